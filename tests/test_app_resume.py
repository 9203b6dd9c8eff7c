"""Coming back: the reader resumes the letter and place last read, each letter opens where it was
left, marks survive restarts, a damaged state file is ignored with a notice, new letters are marked,
and copying gives the paragraph with its citation."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from ui_fixtures.helpers import (
    CITED_LETTER,
    CORPUS_LETTER,
    HERE,
    indexed_corpus,
    screen_text,
    settle,
    two_letter_corpus,
    wait_for,
)

from briefreader.commands.app import build_app
from briefreader.index import open_index
from briefreader.state import state_path
from briefreader.ui.screens.marks import MarkPrompt


@pytest.fixture
def app_for(reader_corpus: tuple[Path, Path]):
    corpus, index_dir = reader_corpus
    return lambda **options: build_app(corpus=corpus, index_dir=index_dir, **options)


async def test_the_reader_resumes_where_it_was_left_and_each_letter_too(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader, view = app.reader, app.reader.view
        assert view.letter_id == CORPUS_LETTER  # a first run: the newest letter, at the top
        view.scroll_to_anchor(("p", 5))
        await pilot.pause()
        await reader.open_letter(CITED_LETTER)
        assert view.spot.anchor == ("h", 0)
        # Back to the first letter (as from the tree): where it was left, not at the top.
        await reader.open_letter(CORPUS_LETTER)
        assert view.spot.anchor == ("p", 5)
        view.scroll_to_anchor(("p", 7))
        await pilot.pause()
        await pilot.press("q")
    # A new run opens the letter last read, at its place; at another width too.
    for size in ((120, 40), (80, 24)):
        app = app_for()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            view = app.reader.view
            assert view.letter_id == CORPUS_LETTER and view.spot.anchor == ("p", 7)
            assert view.block_text(("p", 7))[:20] in screen_text(app)


async def test_marks_are_set_jumped_to_listed_and_kept(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader, view = app.reader, app.reader.view
        view.scroll_to_anchor(("p", 6))
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, MarkPrompt)
        await pilot.press("a")
        assert app.screen is reader
        await reader.open_letter(CITED_LETTER)
        await pilot.press("apostrophe")
        assert isinstance(app.screen, MarkPrompt)
        await wait_for(pilot, lambda: "a  2021-08-26 Ingelaste JBZ-Raad" in screen_text(app), "the marks")
        assert "paragraph 7" in screen_text(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER, "the marked letter")
        assert view.spot.anchor == ("p", 6)
        # Back returns from the jump.
        await pilot.press("b")
        await wait_for(pilot, lambda: view.letter_id == CITED_LETTER, "back")
        # An unset mark: a bell, nothing moves.
        await pilot.press("apostrophe", "z")
        assert view.letter_id == CITED_LETTER
        await pilot.press("q")
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader, view = app.reader, app.reader.view
        # The palette lists the marks first, before anything is typed.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "Mark a · 2021-08-26 Ingelaste" in screen_text(app), "the mark in the palette")
        await pilot.press("escape")
        await pilot.press("apostrophe", "a")
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER and view.spot.anchor == ("p", 6), "the mark")


async def test_a_damaged_state_file_is_ignored_with_a_notice_and_replaced(app_for) -> None:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"version": 1, "corpora": {"x": [1, 2\x00\xff')
    app = app_for()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert app.reader.view.letter_id == CORPUS_LETTER
        await wait_for(pilot, lambda: "damaged, ignored" in screen_text(app), "the notice")
        await pilot.press("q")
    import json

    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1


async def test_copy_without_a_known_page_cites_without_one(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await app.reader.open_letter(CITED_LETTER)  # its text shows no page breaks
        view = app.reader.view
        await wait_for(pilot, lambda: view.letter_id == CITED_LETTER and view.letter is not None, "the letter")
        await pilot.press("y")  # the letter fits on screen: its first paragraph is copied
        text = view.letter.sections[0].paragraphs[0].text
        assert app.clipboard == f"{text} (Kamerstuk 32 317, nr. 703)"
        await wait_for(pilot, lambda: "Copied with citation" in screen_text(app), "the notification")


async def test_letters_that_arrived_since_the_last_visit_are_marked_new(tmp_path: Path) -> None:
    corpus, index_dir = indexed_corpus(tmp_path, HERE, CITED_LETTER)
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.reader.letter_tree.new_letters  # a first visit: nothing is "new"
        await pilot.press("q")
    # A letter arrives (as `add` or a sync brings it) while the reader is closed.
    full = two_letter_corpus(tmp_path / "full")
    for suffix in (".txt", ".yaml"):
        shutil.copy(full / f"{CORPUS_LETTER}{suffix}", corpus)
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: reader.index_checked and reader.letter_tree.new_letters == {CORPUS_LETTER}, "the mark")
        await settle(pilot)
        assert "● 2021-08-26" in screen_text(app)
        assert "● 2021-08-18" not in screen_text(app)
        # The place is kept when the letter list is read again (what a "sync now" would do).
        await reader.open_letter(CORPUS_LETTER)
        reader.view.scroll_to_anchor(("p", 5))
        await pilot.pause()
        reader.reload_letters()
        await settle(pilot)
        assert reader.view.letter_id == CORPUS_LETTER and reader.view.spot.anchor == ("p", 5)
        assert reader.letter_tree.new_letters == {CORPUS_LETTER}


async def test_a_letter_added_while_reading_is_listed_after_the_index_refresh_and_reading_goes_on_meanwhile(
    tmp_path: Path, monkeypatch
) -> None:
    full = two_letter_corpus(tmp_path / "full")
    corpus, index_dir = indexed_corpus(tmp_path, full, CORPUS_LETTER)
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        reader, view = app.reader, app.reader.view
        await wait_for(pilot, lambda: reader.index_checked and view.letter_id == CORPUS_LETTER, "the reader")
        await settle(pilot)
        # A letter arrives (as `add` puts it in the corpus). The index refresh finds it, and the
        # letter list is read again (at 100,000 letters, about a second): held here until the
        # reader has answered a key, which it can only do if the list is read off the event loop.
        for suffix in (".txt", ".yaml"):
            shutil.copy(full / f"{CITED_LETTER}{suffix}", corpus)
        reading, go_on, held_too_long = threading.Event(), threading.Event(), []
        reload = app.library.reload

        def held_reload() -> None:
            reading.set()
            if not go_on.wait(5):
                held_too_long.append(True)
            reload()

        monkeypatch.setattr(app.library, "reload", held_reload)
        reader.refresh_index()
        await wait_for(pilot, reading.is_set, "the list being read again")
        top = view.scroll_y
        await pilot.press("j")
        await wait_for(pilot, lambda: view.scroll_y > top, "the key answered")
        assert reader.letter_tree.letter_node(CITED_LETTER) is None  # not listed yet
        go_on.set()
        await wait_for(pilot, lambda: reader.letter_tree.letter_node(CITED_LETTER) is not None, "the new letter in the tree")
        await settle(pilot)
        assert not held_too_long
        assert "2021-08-18" in screen_text(app) and view.letter_id == CORPUS_LETTER


def letter_cache_written() -> None:
    """Wait for the letter cache's writes (a thread each) to end, as quitting the reader does."""
    for thread in [t for t in threading.enumerate() if t.name == "letter-cache"]:
        thread.join()


async def test_the_letter_reopened_is_the_letter_as_parsed_and_an_edit_since_shows(tmp_path: Path, monkeypatch) -> None:
    import briefreader.load

    corpus = two_letter_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir).refresh()
    letter_file = corpus / f"{CORPUS_LETTER}.txt"
    parsed: list[Path] = []
    load_letter = briefreader.load.load_letter

    def counted(path, **options):
        parsed.append(Path(path))
        return load_letter(path, **options)

    monkeypatch.setattr(briefreader.load, "load_letter", counted)

    async def first_screen() -> tuple[str, object, str]:
        app = build_app(corpus=corpus, index_dir=index_dir, refresh_index=False)  # the letter is what counts here
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.reader.view
            await wait_for(pilot, lambda: view.letter is not None, "the letter")
            letter, opening = view.letter, view.block_text(("p", 0))
            await wait_for(pilot, lambda: opening[:40] in screen_text(app), "the letter drawn")
            await settle(pilot)
            await pilot.press("q")
        letter_cache_written()
        return view.letter_id, letter, opening

    shown, letter, opening = await first_screen()
    assert shown == CORPUS_LETTER and parsed.count(letter_file) == 1
    # Opened again, unchanged: the same letter as a fresh parse gives, kept from the last run.
    assert await first_screen() == (CORPUS_LETTER, load_letter(letter_file), opening)
    assert parsed.count(letter_file) == 1
    # The letter edited since (the same size): the edit is what the first screen shows.
    letter_file.write_text(letter_file.read_text(encoding="utf-8").replace("Hierbij informeer", "Hiermee informeer", 1), encoding="utf-8")
    shown, letter, opening = await first_screen()
    assert opening.startswith("Hiermee informeer ik uw Kamer") and letter == load_letter(letter_file)


async def test_an_index_that_cannot_be_opened_is_said_once_also_when_the_letter_came_from_the_cache(tmp_path: Path) -> None:
    # A reader that reopens the letter it showed last opens the index only when it reads the
    # letter list, after its first screen: an index that can't be opened is then said, as on a
    # first start (where it is opened before), once; the letter is read all the same.
    from briefreader.letter_cache import LetterCache
    from briefreader.ui.app import ReaderApp
    from briefreader.ui.library import Library

    corpus = two_letter_corpus(tmp_path / "corpus")
    opened: list[str] = []

    def unopenable():
        opened.append("tried")
        return None, "search index unavailable: locked by another process"

    async def run(name: str) -> None:
        library = Library(corpus, None, list_now=False, letter_cache=LetterCache(corpus), open_index=unopenable)
        app = ReaderApp(library)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            reader = app.reader
            await wait_for(pilot, lambda: reader.view.letter is not None and library.listed, f"the letter and the list ({name})")
            await wait_for(pilot, lambda: "search index unavailable" in screen_text(app), f"the notice ({name})")
            await settle(pilot)
            assert reader.view.letter_id == CORPUS_LETTER and len(library.letters) == 2
            assert screen_text(app).count("search index unavailable") == 1  # one notice
            await pilot.press("slash", *"frontex")
            await wait_for(pilot, lambda: reader.panel.shown_query == "frontex", f"the search's answer ({name})")
            assert "search index unavailable" in screen_text(app)
            await pilot.press("escape", "q")
        letter_cache_written()

    await run("first start")
    await run("letter from the cache")
    assert opened == ["tried", "tried"]  # once in each run
