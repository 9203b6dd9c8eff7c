"""The reader at 80x24 and while its index is being built."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ui_fixtures.helpers import CORPUS_LETTER, screen_text, settle, two_letter_corpus, wait_for

from briefreader.commands.app import build_app
from briefreader.index import CorpusIndex
from briefreader.ui.screens.help import HelpScreen
from briefreader.ui.widgets.index_status import IndexStatus


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


async def test_80x24_reads_searches_and_gives_way(reader_corpus) -> None:
    corpus, index_dir = reader_corpus
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reader = app.reader
        view, tree, panel = reader.view, reader.letter_tree, reader.panel
        # The letter gets the width; the tree waits for `t`.
        assert not tree.display
        assert view.region.width == 80
        lines = screen_text(app).splitlines()
        assert len(lines) == 24
        assert "Ingelaste JBZ-Raad" in "\n".join(lines[:4])
        footer = lines[-1]
        for key in ("f Notes", "/ Search", "b Back", "? Help", "q Quit"):
            assert key in footer, key
        # Search takes the lower part of the screen, full width; Enter gives the letter back.
        await pilot.press("slash")
        panel.input.value = "Frontex Litouwen"
        await wait_for(pilot, lambda: panel.shown_query == "Frontex Litouwen", "the results")
        assert panel.display and panel.region.width == 80 and panel.region.y > 5
        assert view.region.height > 5
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.hit_anchor is not None, "the hit")
        assert not panel.display
        assert app.screen.focused is view
        top = screen_text(app).splitlines()[0].strip()
        assert "Frontex" in view.block_text(view.hit_anchor) and top[:25] in view.block_text(view.hit_anchor)
        # `t` shows the tree beside the letter, `t` again hides it.
        await pilot.press("t")
        await pilot.pause()
        assert tree.display and app.screen.focused is tree
        assert view.region.width >= 40
        await pilot.press("t")
        await pilot.pause()
        assert not tree.display and app.screen.focused is view
        # The help fits and scrolls.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Everywhere" in screen_text(app)
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_wide_terminal_keeps_tree_letter_and_search_side_by_side(reader_corpus) -> None:
    corpus, index_dir = reader_corpus
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        reader = app.reader
        await pilot.press("slash")
        await wait_for(pilot, lambda: reader.panel.input.has_focus, "the query input")
        await pilot.press(*"asiel")
        await wait_for(pilot, lambda: reader.panel.shown_query == "asiel", "the results")
        tree, view, panel = reader.letter_tree, reader.view, reader.panel
        assert tree.display and panel.display
        assert tree.region.right <= view.region.x and view.region.right <= panel.region.x
        assert view.region.width >= 80


async def test_the_letter_is_readable_while_the_index_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = two_letter_corpus(tmp_path / "corpus")  # no index yet
    release = threading.Event()
    original = CorpusIndex.refresh

    def slow_refresh(self, progress=None, rebuild=False):
        if progress is not None:
            progress(0, 2)
        assert release.wait(10)
        return original(self, progress=progress, rebuild=rebuild)

    monkeypatch.setattr(CorpusIndex, "refresh", slow_refresh)
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        status = app.screen.query_one(IndexStatus)
        await wait_for(pilot, lambda: "Indexing 0 of 2 letters" in screen_text(app), "the progress line")
        # Before the index exists: the files are listed, the newest letter is open and readable.
        assert status.display
        assert reader.view.letter_id == CORPUS_LETTER
        assert "Hierbij informeer ik uw Kamer" in screen_text(app)
        await pilot.press("pagedown")
        assert reader.view.scroll_y > 0
        release.set()
        await settle(pilot)
        assert not status.display
        # Now the tree has the index's titles and sections, and search works.
        assert "Ingelaste JBZ-Raad" in screen_text(app)
        assert reader.library.info(CORPUS_LETTER).sections
        await pilot.press("slash")
        reader.panel.input.value = "Frontex"
        await wait_for(pilot, lambda: reader.panel.shown_query == "Frontex", "the results")
        assert reader.panel.listing.letters
