"""The search panel: a query input and the matching letters, updated as the user types.

Each matching letter is listed once, with its best paragraphs as snippets; each snippet is an
option of its own, so Enter (or a click) opens the letter at that paragraph. When the engine has a
corrected query ("did you mean"), it is the first line of the list: Enter on it, a click or
Ctrl+Y runs it.

Searching runs in a thread, so typing never waits for the index. At most one search runs at a
time: a key typed while one runs makes its query the next to run and drops any query waiting
before it, so a burst of keys costs one search more, not one per key. The running search goes on
when the newer query only extends it (a key added at the end) and is painted when it ends within
`EXTEND_BUDGET`: its results answer the keys typed so far, while the newer one runs (a quick
typist's keys come about as often as searches end, so otherwise nothing would show until typing
paused). A search the newer query does not extend, or that runs longer, stops at its next stage
and is never painted. Results are painted in the order their queries were typed. The panel only
shows results; opening one is the screen's job (it receives `SearchPanel.HitChosen`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from briefreader.ui import render
from briefreader.ui.library import ResultLike

if TYPE_CHECKING:
    from textual.widgets.option_list import Option

    # Imported when the panel is filled (see `fill`): the input, the list and their lines.
    from briefreader.ui.widgets.search_results import LetterResults, QueryInput, ResultList, ResultOption

#: (query, as_you_type, stop) -> a search result; must never raise. `stop()` says, while the
#: search runs, whether it is still wanted.
Searcher = Callable[[str, bool, Callable[[], bool]], ResultLike]

#: The key that runs the "did you mean" suggestion (also Enter on it, or a click).
SUGGESTION_KEY = "ctrl+y"
#: Seconds a search may run on, and still be painted, once a newer query that extends it waits.
#: Generous: a search stopped is work thrown away, and the newer one costs as much. With 0.25 s,
#: on a loaded machine (10,000 letters, a key every 120 ms) most searches ran past it and were
#: stopped: p95 from key to results 1.5-2.1 s, against 0.7-1.0 s with 1 s (about as with no limit).
EXTEND_BUDGET = 1.0


class SearchPanel(Vertical):
    """Query input, a one-line status (count or the query's problem) and the matching letters."""

    BINDINGS = [
        Binding("down", "cursor(1)", "Next result", show=False),
        Binding("up", "cursor(-1)", "Previous result", show=False),
        Binding("pagedown", "cursor(5)", "Results page down", show=False),
        Binding("pageup", "cursor(-5)", "Results page up", show=False),
        Binding(SUGGESTION_KEY, "accept_suggestion", "Did you mean"),
        Binding("escape", "close", "Back to letter"),
    ]

    class HitChosen(Message):
        """The user opened hit `hit` of letter `letter` of `result` (the result of `query`)."""

        def __init__(self, query: str, result: ResultLike, letter: int, hit: int, as_you_type: bool) -> None:
            self.query = query
            self.result = result
            self.letter = letter
            self.hit = hit
            self.as_you_type = as_you_type
            super().__init__()

    class Closed(Message):
        """Esc: the user wants the letter back."""

    class Painted(Message):
        """The results of `query` are in the list (`seconds` after its last key); for measuring."""

        def __init__(self, query: str, seconds: float) -> None:
            self.query = query
            self.seconds = seconds
            super().__init__()

    def __init__(self, searcher: Searcher, **kwargs) -> None:
        super().__init__(**kwargs)
        self.searcher = searcher
        self.shown_query: str = ""
        self.shown_as_you_type = True
        self.result: ResultLike | None = None
        self.listing: LetterResults | None = None  # the letters listed (`_show`)
        self._shown_options: tuple | None = None  # what the result list shows (`shown_options`)
        self._open_when_done = False
        #: The query waiting to run: (query, as_you_type, when its key came), or None.
        self._search_waiting: tuple[str, bool, float] | None = None
        self._search_running = False
        #: The query of the search running now, and when it started.
        self._running: tuple[str, float] = ("", 0.0)
        self.extend_budget = EXTEND_BUDGET
        self._filled = False  # see `fill()`

    def compose(self) -> ComposeResult:
        yield from ()  # empty until `fill()`

    def fill(self) -> None:
        """Put the query input, the status line and the result list in the panel (once; nothing
        after). The reader does it right after its first frame, or at `/` if that comes first:
        mounted with the screen, they made the first frame wait for Textual to parse and apply
        the styles of its Input and OptionList: 4% of the instructions up to the first frame."""
        if self._filled:
            return
        self._filled = True
        from briefreader.ui.widgets.search_results import QueryInput, ResultList

        # Not selected on focus: `/` selects the query itself (`focus_input`), and Textual's select
        # on the (queued) focus event would select a key typed right behind `/` and let the next replace it.
        self.mount(
            QueryInput(placeholder="Search… (? for the syntax)", id="query", select_on_focus=False),
            Static(render.notice("Type a word or two."), id="search-status", markup=False),
            ResultList(id="results"),
        )

    @property
    def filled(self) -> bool:
        """True once `fill()` has put the input and the result list in the panel."""
        return self._filled

    @property
    def typed(self) -> str:
        """The query in the input (\"\" before the panel is filled)."""
        return self.input.value if self._filled else ""

    @property
    def input_focused(self) -> bool:
        """True while the query input has the focus."""
        return self._filled and self.screen.focused is self.input

    @property
    def input(self) -> QueryInput:
        """The query input."""
        return self.query_one("#query", Input)  # type: ignore[return-value] - a QueryInput

    @property
    def results(self) -> ResultList:
        """The list of results."""
        return self.query_one("#results", OptionList)  # type: ignore[return-value] - a ResultList

    @property
    def busy(self) -> bool:
        """True while a search runs or waits to run."""
        return self._search_running or self._search_waiting is not None

    def focus_input(self) -> None:
        """Focus the query input, its text selected so typing replaces it. At once, not after
        the keys already waiting (`Widget.focus` is deferred): `/frontex` typed in one go must
        not send `f` to the letter, which opens its footnotes."""
        self.screen.set_focus(self.input)
        self.input.select_all()

    # -- searching ----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._open_when_done = False
        self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def search(self, query: str, *, as_you_type: bool = True) -> None:
        """Search for `query` as soon as the search running now (if any) is done."""
        self._search_waiting = (query, as_you_type, time.perf_counter())
        if not self._search_running:
            self._search_running = True
            self._run_searches()

    @work(group="search")
    async def _run_searches(self) -> None:
        """Run the waiting query, and then the one that came meanwhile, until none waits."""
        try:
            while self._search_waiting is not None:
                query, as_you_type, asked = self._search_waiting
                self._search_waiting = None
                if not query.strip():
                    result = None
                else:
                    self._set_status(render.notice("Searching…"), fit=False)
                    self._running = (query, time.perf_counter())
                    # A newer key ends this search at its next stage, unless it only extends it.
                    result = await asyncio.to_thread(self.searcher, query, as_you_type, self._superseded)
                    if getattr(result, "stopped", False) or (self._search_waiting is not None and self._superseded()):
                        continue  # stopped, or stale: a newer query came that it doesn't answer
                self._show(query, result, as_you_type)
                self.post_message(self.Painted(query, time.perf_counter() - asked))
        finally:
            self._search_running = False
        if self._open_when_done:
            self._open_when_done = False
            self.action_open()

    def _superseded(self) -> bool:
        """Whether the running search is no longer wanted (asked from its thread): a newer query
        waits that does not only extend it, or the search has run past `extend_budget`."""
        waiting = self._search_waiting
        if waiting is None:
            return False
        query, began = self._running
        return not (waiting[0].startswith(query) and waiting[1]) or time.perf_counter() - began > self.extend_budget

    def _show(self, query: str, result: ResultLike | None, as_you_type: bool) -> None:
        from briefreader.ui.widgets.search_results import LetterResults, shown_options

        had_suggestion = bool(getattr(self.result, "suggestions", ()))
        self.shown_query, self.result, self.shown_as_you_type = query, result, as_you_type
        self.listing = LetterResults.of(result) if result is not None else LetterResults(())
        if result is None:
            self._set_status(render.notice("Type a word or two."))
        elif result.message:
            self._set_status(render.notice(result.message, "$text-warning"))
        else:
            self._set_status(render.notice(self._status_text(result)))
        suggestions = tuple(getattr(result, "suggestions", ()) or ()) if result is not None and not result.message else ()
        shown = shown_options(self.listing, suggestions)
        if shown != self._shown_options:
            # As one types on, the results often stay the same (`fronte`, `frontex`): the list,
            # its most costly part to draw, is drawn again only when what it shows changed.
            self._shown_options = shown
            self._list_options(suggestions)
        if bool(suggestions) != had_suggestion:
            self.refresh_bindings()  # the footer offers Ctrl+Y only while there is a suggestion (redrawing it costs)

    def _list_options(self, suggestions: tuple[str, ...]) -> None:
        from briefreader.ui.widgets.search_results import SNIPPETS_PER_LETTER, ResultOption

        assert self.listing is not None
        options: list[Option | None] = []
        if suggestions:
            options.append(ResultOption(render.suggestion_content(suggestions[0], SUGGESTION_KEY), suggestion=suggestions[0]))
        for number, letter in enumerate(self.listing.letters):
            if number:
                options.append(None)
            shown = list(letter.paragraphs[:SNIPPETS_PER_LETTER])
            if not shown:
                options.append(ResultOption(render.letter_title_content(letter.date, letter.title, letter.letter), letter=number))
            for place, hit in enumerate(shown):
                options.append(ResultOption(render.hit_content(hit, with_title=place == 0), letter=number, hit=place))
        results = self.results
        results.set_options(options)
        if options:
            # No hits: the suggestion is what Enter should take; else the best letter.
            first_hit = next((i for i, option in enumerate(options) if isinstance(option, ResultOption) and option.suggestion is None), None)
            results.highlighted = first_hit if first_hit is not None else 0

    def _set_status(self, content: Content, *, fit: bool = True) -> None:
        """Show `content` in the status line. A layout pass (the whole screen measured and drawn
        again) only when `fit` and the line count changes: two for every key would cost the search
        thread more time than the search, on a quick typist's keys. Without `fit` (`Searching…`),
        the text is padded with blank lines to the status line's height, so that a layout pass
        meanwhile (another widget's) doesn't shrink it, only for the result to grow it again."""
        status = self.query_one("#search-status", Static)
        if not fit and (missing := status.content_size.height - content.plain.count("\n") - 1) > 0:
            content = content + Content("\n" * missing)
        status.update(content, layout=False)
        width = status.content_size.width
        if fit and width and status.get_content_height(status.content_size, self.app.size, width) != status.content_size.height:
            status.refresh(layout=True)

    def _status_text(self, result: ResultLike) -> str:
        letters = len(self.listing.letters) if self.listing is not None else 0
        if not letters:
            text = "No hits."
        else:
            # `total` counts the matching letters; the panel lists the best of them.
            total = max(result.total, letters)
            exact = getattr(result, "total_exact", True)
            text = f"{total:,}{'' if exact else '+'} letter{'s' if total != 1 else ''}"
            if total > letters:
                text += f" · the best {letters} shown"
            text += "  ·  Enter opens, Esc back"
        notice = getattr(result, "notice", None)
        return f"{notice} {text}" if notice else text

    # -- moving and opening -------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight through the results (skipping the lines between letters)."""
        from briefreader.ui.widgets.search_results import ResultOption

        results = self.results
        if not results.option_count:
            return
        current = results.highlighted if results.highlighted is not None else -1
        target = max(0, min(results.option_count - 1, current + step))
        direction = 1 if step > 0 else -1
        while 0 <= target < results.option_count and not isinstance(results.get_option_at_index(target), ResultOption):
            target += direction
        if 0 <= target < results.option_count:
            results.highlighted = target

    def _option(self, index: int | None) -> ResultOption | None:
        from briefreader.ui.widgets.search_results import ResultOption

        if index is None or not 0 <= index < self.results.option_count:
            return None
        option = self.results.get_option_at_index(index)
        return option if isinstance(option, ResultOption) else None

    def action_open(self) -> None:
        """Open the highlighted result (searching first if the shown results are for an older query),
        or run the highlighted suggestion."""
        value = self.input.value
        if value != self.shown_query or self.result is None or self.busy:
            if value.strip():
                self._open_when_done = True
                if value != self.shown_query and not self.busy:
                    self.search(value)
            return
        self._choose(self._option(self.results.highlighted))

    def _choose(self, option: ResultOption | None) -> None:
        if option is None:
            self.app.bell()
            return
        if option.suggestion is not None:
            self.use_suggestion(option.suggestion)
            return
        if self.result is None or option.letter is None:
            return
        self.post_message(self.HitChosen(self.shown_query, self.result, option.letter, option.hit or 0, self.shown_as_you_type))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self._option(event.option_index))

    def use_suggestion(self, suggestion: str) -> None:
        """Put `suggestion` in the input and search for it (a whole query: no prefix matching)."""
        self.input.value = suggestion
        self.input.cursor_position = len(self.input.value)
        self.search(self.input.value, as_you_type=False)

    def action_accept_suggestion(self) -> None:
        """Run the "did you mean" suggestion."""
        suggestions: Sequence[str] = getattr(self.result, "suggestions", ()) or ()
        if suggestions:
            self.use_suggestion(suggestions[0])
        else:
            self.app.bell()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(getattr(self.result, "suggestions", ()))
        return True

    def show_current(self, letter: int, anchor_hit: int | None = None) -> None:
        """Highlight letter `letter` (its hit `anchor_hit`, if listed): the screen moved there with n/N."""
        for index in range(self.results.option_count):
            option = self._option(index)
            if option is not None and option.letter == letter and (anchor_hit is None or option.hit in (anchor_hit, None)):
                self.results.highlighted = index
                return
        for index in range(self.results.option_count):
            option = self._option(index)
            if option is not None and option.letter == letter:
                self.results.highlighted = index
                return

    def action_close(self) -> None:
        """Give the letter back the focus."""
        self.post_message(self.Closed())
