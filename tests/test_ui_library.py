"""briefreader.ui.library: the reader's door to the corpus (no Textual needed)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ui_fixtures.long_letter import LONG_ID, SHORT_ID, fake_library

from briefreader.model import LetterError


def test_a_letter_asked_for_twice_at_once_is_parsed_once(tmp_path: Path) -> None:
    release = threading.Event()
    library = fake_library(tmp_path / "corpus", hold={LONG_ID: release})
    parsed: list[str] = []
    inner = library._load_fn  # the fake loader, to count its calls

    def counting(path):
        parsed.append(Path(path).stem)
        return inner(path)

    library._load_fn = counting
    results = []
    threads = [threading.Thread(target=lambda: results.append(library.load(LONG_ID))) for _ in range(3)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert parsed == [LONG_ID] and len(results) == 3 and results[0] is results[1] is results[2]


def test_a_letter_read_by_another_thread_just_before_is_not_parsed_again(tmp_path: Path) -> None:
    # The reader's first letter: the start-up thread parses it while the screen asks for it. The
    # screen's thread found no parsed letter, then the other thread finished, before it looked
    # at who is reading it: it must take the letter kept, not parse it a second time.
    library = fake_library(tmp_path / "corpus")
    parsed: list[str] = []
    inner = library._load_fn

    def counting(path):
        parsed.append(Path(path).stem)
        return inner(path)

    library._load_fn = counting
    lookup = library.lookup
    others: list = []

    def lookup_while_another_reads(letter_id):
        if not others:  # the first look-up only: another thread reads the letter meanwhile, to the end
            other = threading.Thread(target=lambda: others.append(library.load(letter_id)))
            others.append(other)
            other.start()
            other.join(10)
        return lookup(letter_id)

    library.lookup = lookup_while_another_reads
    letter = library.load(LONG_ID)
    assert parsed == [LONG_ID] and letter is others[1]


def test_unknown_letters_and_messages_name_the_users_file(tmp_path: Path) -> None:
    library = fake_library(tmp_path / "corpus")
    with pytest.raises(LetterError, match="not in this corpus"):
        library.load("nergens")
    link = library.info(SHORT_ID).path
    library.aliases[link] = Path("/home/ik/Downloads/brief.txt")
    assert library.shown_path(link) == "/home/ik/Downloads/brief.txt"
    assert library.label(SHORT_ID) == "2024-01-15 Verslag JBZ-Raad"


def test_the_copy_notice_shows_the_start_and_the_whole_citation() -> None:
    from briefreader.ui.clipboard import COPY_PREVIEW, preview

    citation = "(Kamerstuk 32 317, nr. 704, p. 2)"
    room = COPY_PREVIEW - len(citation)
    fits = "x" * room
    assert preview(fits, citation) == f"{fits} {citation}"
    longer = "x" * (room + 1)
    shown = preview(longer, citation)
    assert shown.endswith("… " + citation) and len(shown) <= COPY_PREVIEW + 1


def test_a_library_opened_without_its_list_reads_one_letter_now_and_the_list_later(tmp_path: Path) -> None:
    from search_fixtures.helpers import MINI, copy_corpus, mini_index

    from briefreader.ui.library import Library

    corpus = copy_corpus(MINI, tmp_path / "corpus")
    built = mini_index(corpus, tmp_path / "idx")
    built.refresh()
    listed = [info.id for info in built.letters()]
    # A new process: the reader opens on the newest letter before the list is read.
    library = Library(corpus, mini_index(corpus, tmp_path / "idx"), list_now=False)
    assert not library.listed and library.letters == []
    assert library.newest().id == listed[0]
    oldest = library.lookup(listed[-1])
    assert oldest is not None and oldest.title == built.letter(listed[-1]).title
    assert Path(library.load(listed[-1]).source) == oldest.path
    assert library.lookup("nergens") is None
    assert library.by_kst == {} and not library.links_ready  # the links wait for the list
    library.reload()
    assert library.listed and [info.id for info in library.letters] == listed
    assert library.newest().id == listed[0] and library.by_kst
