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
