"""The search panel: each matching letter once with its best paragraphs, "did you mean", and stale
searches dropped (a library with a fake search, so the panel is tested, not the engine)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual import events
from ui_fixtures.helpers import find_on_screen, screen_text, wait_for
from ui_fixtures.long_letter import LONG_ID, MISSPELT, RARE, SHORT_ID, fake_library

from briefreader.search import SearchResult
from briefreader.ui.app import ReaderApp
from briefreader.ui.widgets.search_panel import SearchPanel
from briefreader.ui.widgets.search_results import SNIPPETS_PER_LETTER, ResultOption


class Recording(ReaderApp):
    """The reader, noting each query whose results the panel painted."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.painted: list[str] = []

    def on_search_panel_painted(self, message: SearchPanel.Painted) -> None:
        self.painted.append(message.query)


def options(panel) -> list[tuple[int | None, int | None, str | None]]:
    """(letter, hit, suggestion) of each option of the result list."""
    rows = []
    for index in range(panel.results.option_count):
        option = panel.results.get_option_at_index(index)
        rows.append((option.letter, option.hit, option.suggestion) if isinstance(option, ResultOption) else None)
    return rows


async def open_panel(app: ReaderApp, pilot) -> SearchPanel:
    """Wait for the long letter, then open the search panel with `/`."""
    await wait_for(pilot, lambda: app.reader.view.letter_id == LONG_ID, "the letter")
    await pilot.press("slash")
    # Keys sent before the screen has run `/` still go to the letter (`f` would open its footnotes).
    await wait_for(pilot, lambda: app.reader.panel.input.has_focus, "the query input")
    return app.reader.panel


async def test_each_letter_once_with_its_best_paragraphs_and_enter_opens_the_chosen_one(tmp_path: Path) -> None:
    app = ReaderApp(fake_library(tmp_path / "corpus"), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        reader = app.reader
        panel = await open_panel(app, pilot)
        await pilot.press(*RARE.lower())
        await wait_for(pilot, lambda: panel.shown_query == RARE.lower(), "the results")
        assert [letter.letter for letter in panel.listing.letters] == [LONG_ID, SHORT_ID]
        assert options(panel) == [(0, 0, None), (0, 1, None), (0, 2, None), (1, 0, None)]
        assert SNIPPETS_PER_LETTER == 3
        shown = screen_text(app)
        assert shown.count("Staat van de migratie 2024") == 2  # the tree, and the panel once
        assert "2 letters  ·  Enter opens" in shown
        # Down twice: the third snippet of the long letter; Enter opens the letter there.
        await pilot.press("down", "down", "enter")
        view = reader.view
        await wait_for(pilot, lambda: view.hit_anchor == ("p", 207) and view.spot.anchor == ("p", 207), "the chosen paragraph")
        # n walks on from there; the panel follows the letter walked.
        await pilot.press("n")
        await wait_for(pilot, lambda: view.hit_anchor == ("p", 307), "the next hit")


async def test_did_you_mean_by_enter_by_key_and_by_click(tmp_path: Path) -> None:
    app = ReaderApp(fake_library(tmp_path / "corpus"), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        panel = await open_panel(app, pilot)
        for way in ("enter", "ctrl+y", "click"):
            panel.input.value = MISSPELT
            await wait_for(pilot, lambda: panel.shown_query == MISSPELT, "the suggestion")
            assert "No hits." in screen_text(app)
            assert f"Did you mean {RARE.lower()}?" in screen_text(app)
            assert options(panel) == [(None, None, RARE.lower())]
            if way == "click":
                x, y = find_on_screen(app, "Did you mean")
                await pilot.click(offset=(x, y))
            else:
                await pilot.press(way)
            await wait_for(pilot, lambda: panel.shown_query == RARE.lower(), f"the corrected search ({way})")
            assert panel.input.value == RARE.lower()
            assert [letter.letter for letter in panel.listing.letters] == [LONG_ID, SHORT_ID]
            assert app.reader.view.letter_id == LONG_ID  # the suggestion searched; nothing was opened yet


async def test_a_stale_search_is_never_painted_and_a_burst_of_keys_costs_one_search(tmp_path: Path) -> None:
    release = threading.Event()
    asked: list[str] = []

    def slow_first(inner):
        def search(index, query, limit, **options):
            asked.append(query)
            if query == "sta":
                assert release.wait(10)
            return inner(index, query, limit, **options)

        return search

    app = Recording(fake_library(tmp_path / "corpus", search_wrapper=slow_first), refresh_index=False)
    painted = app.painted
    async with app.run_test(size=(140, 45)) as pilot:
        panel = await open_panel(app, pilot)
        panel.input.value = "sta"
        await wait_for(pilot, lambda: asked == ["sta"], "the first search")
        for value in ("w", "wo", "woo", "woo van"):
            panel.input.value = value  # another word, typed while "sta" still runs
        try:
            await pilot.press("end", "j")  # the input answers keys meanwhile
            assert panel.input.value == "woo vanj"
        finally:
            release.set()
        await wait_for(pilot, lambda: panel.shown_query == "woo vanj" and not panel.busy, "the last query")
        assert asked == ["sta", "woo vanj"]
        assert painted == ["woo vanj"]


async def test_typing_on_shows_the_results_of_the_word_so_far_while_the_next_search_runs(tmp_path: Path) -> None:
    asked: list[str] = []

    def until_the_next_key(inner):
        def search(index, query, limit, *, stop=None, **options):
            asked.append(query)
            if query == "sta":  # ends only once the next key waits: as when keys come as fast as searches
                for _ in range(1000):
                    if app.reader.panel.busy and app.reader.panel._search_waiting is not None:
                        break
                    threading.Event().wait(0.01)
                assert not stop(), "a search the next key only extends was stopped"
            return inner(index, query, limit, stop=stop, **options)

        return search

    app = Recording(fake_library(tmp_path / "corpus", search_wrapper=until_the_next_key), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        panel = await open_panel(app, pilot)
        panel.extend_budget = 60.0  # however slow the machine: this is about order, not speed
        panel.input.value = "sta"
        await wait_for(pilot, lambda: asked == ["sta"], "the first search")
        panel.input.value = "staat"
        await wait_for(pilot, lambda: panel.shown_query == "staat" and not panel.busy, "the newer query")
        assert asked == ["sta", "staat"] and app.painted == ["sta", "staat"]


async def test_a_newer_key_stops_the_running_search_instead_of_waiting_for_it(tmp_path: Path) -> None:
    stopped: list[str] = []

    def stoppable(inner):
        def search(index, query, limit, *, stop=None, **options):
            if query == "sta":  # a slow search: runs until told it is no longer wanted
                for _ in range(1000):
                    if stop():
                        stopped.append(query)
                        return SearchResult(stopped=True)
                    threading.Event().wait(0.01)
                raise AssertionError("the search was never told a newer key came")
            return inner(index, query, limit, **options)

        return search

    app = Recording(fake_library(tmp_path / "corpus", search_wrapper=stoppable), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        panel = await open_panel(app, pilot)
        panel.input.value = "sta"
        await wait_for(pilot, lambda: panel.busy, "the first search")
        panel.input.value = RARE.lower()
        await wait_for(pilot, lambda: panel.shown_query == RARE.lower() and not panel.busy, "the newer query")
        assert stopped == ["sta"] and app.painted == [RARE.lower()]
        assert [letter.letter for letter in panel.listing.letters] == [LONG_ID, SHORT_ID]


async def test_a_query_the_engine_cannot_run_shows_its_message(tmp_path: Path) -> None:
    def refusing(inner):
        return lambda *args, **kwargs: SearchResult(message="The query could not be read (IndexError).")

    app = ReaderApp(fake_library(tmp_path / "corpus", search_wrapper=refusing), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: app.reader.view.letter_id == LONG_ID, "the letter")
        await pilot.press("slash")
        app.reader.panel.input.value = "x"
        await wait_for(pilot, lambda: "The query could not be read" in screen_text(app), "the message")
        await pilot.press("enter")
        assert app.reader.view.hit_anchor is None


@pytest.mark.parametrize("panel_filled", [True, False], ids=["panel-filled", "slash-before-the-panel-is-filled"])
async def test_slash_and_a_word_typed_in_one_burst_search_for_the_word(tmp_path: Path, monkeypatch, panel_filled: bool) -> None:
    # Pasted, or typed fast over a slow link: every key is on its way to the letter before `/`
    # could move the focus; `f` would open the letter's footnotes. The panel gets its input and
    # result list only after the first frame (`SearchPanel.fill`): a burst may come before that.
    fill = SearchPanel.fill
    held = [not panel_filled]

    def fill_unless_held(panel: SearchPanel) -> None:
        if not held[0]:
            fill(panel)

    monkeypatch.setattr(SearchPanel, "fill", fill_unless_held)
    app = Recording(fake_library(tmp_path / "corpus"), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: reader.view.letter_id == LONG_ID, "the letter")
        reader.view.focus()
        await wait_for(pilot, lambda: reader.view.has_focus and reader.panel.filled == panel_filled, "the letter's focus")
        held[0] = False  # from now on, as when `/` comes before the panel was filled
        word = "frontexevaluatie"
        for key in ["slash", *word]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await wait_for(pilot, lambda: reader.panel.shown_query == word and not reader.panel.busy, "the burst's search")
        assert reader.panel.input.value == word and app.screen is reader  # every key in the query, no popup
        assert [letter.letter for letter in reader.panel.listing.letters] == [LONG_ID, SHORT_ID]


async def test_a_query_longer_than_the_input_scrolls_to_the_cursor(tmp_path: Path) -> None:
    # The input asks for no layout pass per key (its size never depends on its text); it still
    # scrolls its text to keep the cursor in sight.
    app = ReaderApp(fake_library(tmp_path / "corpus"), refresh_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(app, pilot)
        query = panel.input

        def shown() -> str:
            region = query.content_region
            return screen_text(app).splitlines()[region.y][region.x : region.right]

        words = "migratie_in_afghanistan_en_litouwen_grensbewaking"
        await pilot.press(*words)
        assert query.value == words and query.content_size.width < len(words)
        assert "grensbewaking" in shown() and "migratie" not in shown()
        await pilot.press("home")
        await wait_for(pilot, lambda: shown().startswith("migratie"), "the start of the query")
        assert "grensbewaking" not in shown()
        await pilot.press("end")
        await wait_for(pilot, lambda: "grensbewaking" in shown(), "the end of the query")


async def test_results_that_stay_the_same_as_one_types_on_keep_the_chosen_line(tmp_path: Path) -> None:
    # The list is drawn again only when what it shows changes; then the line moved to stays.
    app = ReaderApp(fake_library(tmp_path / "corpus"), refresh_index=False)
    async with app.run_test(size=(140, 45)) as pilot:
        panel = await open_panel(app, pilot)
        await pilot.press(*RARE.lower())
        await wait_for(pilot, lambda: panel.shown_query == RARE.lower(), "the results")
        await pilot.press("down")
        assert panel.results.highlighted == 1
        await pilot.press("space")
        await wait_for(pilot, lambda: panel.shown_query == RARE.lower() + " ", "the results of the finished word")
        assert options(panel) == [(0, 0, None), (0, 1, None), (0, 2, None), (1, 0, None)]
        assert panel.results.highlighted == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.view.hit_anchor == ("p", 107), "the second snippet's paragraph")
