"""A 1,000-paragraph letter with 200 footnotes: drawn a screen at a time, and every feature of the
letter view still works on it (markers, citation links, Tab, highlights, [ ], f, n/N, clicks, copy)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ui_fixtures.helpers import find_on_screen, screen_text, settle, wait_for
from ui_fixtures.long_letter import CITATION, LONG_ID, RARE, SHORT_ID, fake_library, long_letter, short_letter

from briefreader.ui.app import ReaderApp
from briefreader.ui.document import build_document
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.widgets.letter_view import LINE_CACHE, Spot, measuring


@pytest.fixture
def library(tmp_path: Path):
    return fake_library(tmp_path / "corpus")


def top_anchor(view):
    return view.spot.anchor


async def open_long(pilot, app) -> None:
    view = app.reader.view
    await wait_for(pilot, lambda: view.letter_id == LONG_ID, "the long letter")


async def test_only_what_is_on_screen_is_drawn_and_measured(library) -> None:
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        view = app.reader.view
        # Shown again from scratch: the first screen needs a handful of blocks measured, not 1,200.
        document = view.document
        view.show(build_document(long_letter(), LONG_ID, resolve=library.resolve))
        assert 0 < view.measured_blocks < 60 < len(document.blocks)
        await pilot.pause()
        assert view.cached_lines <= 2 * 40
        # The rest is measured in the background; then the scrollbar knows the whole height.
        await wait_for(pilot, lambda: view.measured_blocks == len(document.blocks), "the whole layout")
        assert view.virtual_size.height > 5000
        # Reading all through the letter keeps at most LINE_CACHE lines, whatever its length.
        for y in range(0, view.max_scroll_y + 1, view.max_scroll_y // 60):
            view.scroll_to(y=y, animate=False, immediate=True)
            await pilot.pause()
        await pilot.press("pagedown", "G")
        assert LINE_CACHE - 40 <= view.cached_lines <= LINE_CACHE
        assert "Zie https://www.rijksoverheid.nl/documenten/kamerstukken/2024/200/brief" in screen_text(app)


async def test_the_background_measuring_waits_while_keys_come_in(library, monkeypatch) -> None:
    # Keys "just now" for as long as the test runs: the measuring must leave the loop to them.
    monkeypatch.setattr(measuring, "INPUT_QUIET", 3600.0)
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        view = app.reader.view
        view.show(build_document(long_letter(), LONG_ID, resolve=library.resolve))
        await pilot.press("j")
        assert view.scroll_y == 1
        measured = view.measured_blocks
        for _ in range(20):  # turns of the event loop in which the measuring would have gone on
            await pilot.pause()
        assert view.measured_blocks == measured < len(view.blocks)
        await pilot.press("j", "j")
        assert view.scroll_y == 3
        # The keys stop: the rest is measured, and the scrollbar learns the whole height.
        monkeypatch.setattr(measuring, "INPUT_QUIET", 0.0)
        await wait_for(pilot, lambda: view.measured_blocks == len(view.blocks), "the rest of the layout")
        assert view.virtual_size.height > 5000


async def test_sections_links_markers_and_footnotes_deep_in_the_letter(library) -> None:
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        view = app.reader.view
        # ] and [ through the sections: 24 of them, each heading at the top.
        for number in range(1, 4):
            await pilot.press("right_square_bracket")
            assert top_anchor(view) == ("s", number)
            assert f"{number}. Onderdeel {number}" in find_row(app, view, 0)
        await pilot.press("left_square_bracket")
        assert top_anchor(view) == ("s", 2)
        # Far down: paragraph 803 cites the short letter and carries no marker; 800 carries footnote 161.
        view.scroll_to_anchor(("p", 800))
        await pilot.pause()
        await pilot.press("tab")
        link = view.links[view.focused_link]
        assert link.anchor == ("p", 800) and link.kind == "footnote" and link.target == 161
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert app.screen.numbers == [161]
        await pilot.press("escape")
        # The citation link in paragraph 803, by keyboard: Tab until it, Enter opens the cited letter.
        while view.focused_link is None or view.links[view.focused_link].anchor != ("p", 803):
            await pilot.press("tab")
        assert view.links[view.focused_link].kind == "letter"
        place = view.scroll_y
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.letter_id == SHORT_ID, "the cited letter")
        await pilot.press("b")
        await wait_for(pilot, lambda: view.letter_id == LONG_ID, "back")
        assert view.scroll_y == place
        # A click on a marker deep in the letter opens its footnote.
        x, y = find_on_screen(app, "¹⁶¹")
        await pilot.click(offset=(x, y))
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert app.screen.numbers == [161]
        await pilot.press("escape")
        # f: the footnotes of the paragraphs on screen.
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert 161 in app.screen.numbers
        await pilot.press("escape")
        # G: the end, measured at once; the last footnote is on screen.
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y
        assert "kamerstukken/2024/200/brief" in screen_text(app)
        # A click on a citation in a footnote (footnote 196 cites the short letter).
        x, y = find_on_screen(app, CITATION)
        await pilot.click(offset=(x + 2, y))
        await wait_for(pilot, lambda: view.letter_id == SHORT_ID, "the cited letter")


def find_row(app, view, row: int) -> str:
    rows = screen_text(app).splitlines()
    return rows[view.region.y + row][view.region.x : view.region.right]


async def test_search_hits_highlights_and_n_in_a_long_letter(library) -> None:
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        reader, view = app.reader, app.reader.view
        await pilot.press("slash")
        reader.panel.input.value = RARE
        await wait_for(pilot, lambda: reader.panel.shown_query == RARE, "the results")
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.hit_anchor == ("p", 7), "the first hit")
        assert view.hit_anchors == [("p", 7 + 100 * k) for k in range(10)]
        assert view.highlights_in(("p", 7)) == [RARE]
        await pilot.press(*"n" * 9)
        assert view.hit_anchor == ("p", 907) and top_anchor(view) == ("p", 907)
        assert RARE in find_row(app, view, 0)
        # n past the last hit of this letter: on to the next letter with a hit.
        await pilot.press("n")
        await wait_for(pilot, lambda: view.letter_id == SHORT_ID, "the next letter")
        assert view.hit_anchor == ("p", 0)
        await pilot.press("N")
        await wait_for(pilot, lambda: view.letter_id == LONG_ID and view.hit_anchor == ("p", 907), "back to the last hit")


async def test_copy_gives_the_paragraph_with_its_citation_and_page(library) -> None:
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_long(pilot, app)
        view = app.reader.view
        view.scroll_to_anchor(("p", 30))
        await pilot.press("y")
        paragraph = view.letter.sections[0].paragraphs[30]
        assert app.clipboard == f"{paragraph.text} (Kamerstuk 19 637, nr. 3201, p. 3)"
        await wait_for(pilot, lambda: "Copied with citation" in screen_text(app), "the notification")
        # In the footnote popup, y copies the footnote with its citation.
        view.scroll_to_anchor(("f", 12))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        await pilot.press("tab", "y")
        number = app.screen.links[app.screen.focused_link].anchor[1]
        footnote = view.letter.footnote(number)
        assert app.clipboard == f"{footnote.text} (Kamerstuk 19 637, nr. 3201, p. {footnote.page}, voetnoot {number})"


async def test_a_resize_keeps_the_place(library) -> None:
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        view = app.reader.view
        view.go_to(Spot(("p", 600), 2))
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: view.scrollable_content_region.width < 90, "the resize")
        await pilot.pause()
        assert top_anchor(view) == ("p", 600)


async def test_a_newer_request_replaces_a_letter_still_loading_and_keys_work_meanwhile(tmp_path: Path) -> None:
    release = threading.Event()
    letters = {LONG_ID: long_letter(), SHORT_ID: short_letter()}
    library = fake_library(tmp_path / "corpus", letters, hold={LONG_ID: release})
    app = ReaderApp(library, start=SHORT_ID, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader, view = app.reader, app.reader.view
        await wait_for(pilot, lambda: view.letter_id == SHORT_ID, "the short letter")
        loading = reader.open_letter(LONG_ID)
        await pilot.press("t")  # keys are answered while the long letter loads
        assert not reader.letter_tree.display
        again = reader.open_letter(SHORT_ID, anchor=("p", 0))
        assert await again
        release.set()
        assert await loading is False
        await settle(pilot)
        assert view.letter_id == SHORT_ID
