"""The search panel: a query input and the hits, updated as the user types.

Searching runs in an exclusive worker after a short pause in typing, so typing never waits for the
index and a new query cancels the one still running. The panel only shows hits; opening one is the
screen's job (it receives `SearchPanel.HitChosen`).
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from briefreader.ui import render

#: (query, as_you_type) -> SearchResult(hits, total, message); must never raise.
Searcher = Callable[[str, bool], Any]

#: Seconds of quiet typing before a search starts.
DEBOUNCE = 0.15


class QueryInput(Input):
    """The query input; Enter opens the highlighted hit (named so in the footer)."""

    BINDINGS = [Binding("enter", "submit", "Open hit")]


class ResultList(OptionList, can_focus=False):
    """The hits; driven from the query input (Up/Down/Enter) or the mouse, so it never takes focus."""


class SearchPanel(Vertical):
    """Query input, a one-line status (count or the query's problem) and the hits."""

    BINDINGS = [
        Binding("down", "cursor(1)", "Next result", show=False),
        Binding("up", "cursor(-1)", "Previous result", show=False),
        Binding("pagedown", "cursor(5)", "Results page down", show=False),
        Binding("pageup", "cursor(-5)", "Results page up", show=False),
        Binding("escape", "close", "Back to letter"),
    ]

    class HitChosen(Message):
        """The user opened hit `index` of `result` (the result of query `query`)."""

        def __init__(self, query: str, result: Any, index: int) -> None:
            self.query = query
            self.result = result
            self.index = index
            super().__init__()

    class Closed(Message):
        """Esc: the user wants the letter back."""

    def __init__(self, searcher: Searcher, **kwargs) -> None:
        super().__init__(**kwargs)
        self.searcher = searcher
        self.shown_query: str = ""
        self.result: Any = None
        self._open_when_done = False

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder="Search… (? for the syntax)", id="query")
        yield Static(render.notice("Type a word or two."), id="search-status", markup=False)
        yield ResultList(id="results")

    @property
    def input(self) -> Input:
        """The query input."""
        return self.query_one("#query", QueryInput)

    @property
    def results(self) -> ResultList:
        """The list of hits."""
        return self.query_one("#results", ResultList)

    def focus_input(self) -> None:
        """Focus the query input, its text selected so typing replaces it."""
        self.input.focus()
        self.input.select_all()

    # -- searching ----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._open_when_done = False
        self.search(event.value, debounce=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @work(exclusive=True, group="search")
    async def search(self, query: str, debounce: bool = True, as_you_type: bool = True) -> None:
        """Search for `query` (after DEBOUNCE seconds of quiet, if asked) and show the hits."""
        if debounce:
            await asyncio.sleep(DEBOUNCE)
        if not query.strip():
            self._show(query, None)
            return
        status = self.query_one("#search-status", Static)
        status.update(render.notice("Searching…"))
        result = await asyncio.to_thread(self.searcher, query, as_you_type)
        self._show(query, result)
        if self._open_when_done:
            self._open_when_done = False
            self.action_open()

    def _show(self, query: str, result: Any) -> None:
        self.shown_query, self.result = query, result
        status = self.query_one("#search-status", Static)
        results = self.results
        results.clear_options()
        if result is None:
            status.update(render.notice("Type a word or two."))
        elif result.message:
            status.update(render.notice(result.message, "$text-warning"))
        else:
            total = result.total
            shown = len(result.hits)
            text = "No hits." if not total else f"{total} hit{'s' if total != 1 else ''}"
            if shown < total:
                text += f", best {shown} shown"
            notice = getattr(result, "notice", None)
            if notice:
                text = f"{notice} {text}"
            status.update(render.notice(text + ("  ·  Enter opens, Esc back" if total else "")))
        if result is not None and result.hits:
            results.add_options([render.hit_content(hit) for hit in result.hits])
            results.highlighted = 0

    # -- moving and opening -------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight through the hits."""
        results = self.results
        if not results.option_count:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(results.option_count - 1, current + step))

    def action_open(self) -> None:
        """Open the highlighted hit (searching first if the shown hits are for an older query)."""
        value = self.input.value
        if value != self.shown_query or self.result is None:
            if value.strip():
                self._open_when_done = True
                self.search(value, debounce=False)
            return
        if not self.result.hits:
            self.app.bell()
            return
        index = self.results.highlighted or 0
        self.post_message(self.HitChosen(self.shown_query, self.result, index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.result is not None and event.option_index < len(self.result.hits):
            self.post_message(self.HitChosen(self.shown_query, self.result, event.option_index))

    def show_current(self, index: int) -> None:
        """Highlight hit `index` (the screen moved to it with n/N)."""
        if 0 <= index < self.results.option_count:
            self.results.highlighted = index

    def action_close(self) -> None:
        """Give the letter back the focus."""
        self.post_message(self.Closed())
