"""The main screen: the tree, the letter and the search panel, and how the reader moves between them.

Navigation lives here: opening a letter (from the tree, a hit, a citation, the palette), the history
behind Backspace, the walk through search hits with n/N, the footnote popup, and the index refresh
running in a worker while the reader reads.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Tree
from textual.worker import get_current_worker

from briefreader.model import LetterError
from briefreader.ui.library import Library
from briefreader.ui.render import Anchor
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.widgets.index_status import IndexStatus
from briefreader.ui.widgets.letter_tree import LetterTree, TreeData
from briefreader.ui.widgets.letter_view import LetterView, anchor_key
from briefreader.ui.widgets.search_panel import SearchPanel

#: Below this width the tree starts hidden and the search panel takes the lower half of the screen.
NARROW = 100
#: From this width the tree stays beside an open search panel (below it, the tree gives way).
WIDE = 170
#: Seconds between two progress updates of the index refresh (older ones would only be dropped).
PROGRESS_INTERVAL = 0.1


@dataclass(frozen=True)
class Place:
    """Where the reader was: a letter and the exact scroll position in it."""

    letter_id: str
    scroll_y: float


class IndexProgress(Message):
    """The index refresh has indexed `done` of `total` letters."""

    def __init__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        super().__init__()


class IndexDone(Message):
    """The index refresh finished (`error` says why not, if it failed)."""

    def __init__(self, report: Any = None, error: str | None = None, changed: bool = True) -> None:
        self.report, self.error, self.changed = report, error, changed
        super().__init__()


def report_summary(report: Any) -> str:
    """One line on what an index refresh did."""
    if report is None:
        return "Index up to date."
    parts = []
    added, changed, removed = (len(getattr(report, name, ()) or ()) for name in ("added", "changed", "removed"))
    if added:
        parts.append(f"{added} added")
    if changed:
        parts.append(f"{changed} changed")
    if removed:
        parts.append(f"{removed} removed")
    skipped = len(getattr(report, "skipped", ()) or ())
    if skipped:
        parts.append(f"{skipped} not readable")
    line = "Index up to date" + (f": {', '.join(parts)}" if parts else "") + "."
    notice = getattr(report, "notice", None)
    return f"{notice} {line}" if notice else line


class ReaderScreen(Screen):
    """Tree left, letter centre, search panel right (or below, on narrow terminals)."""

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("t", "toggle_tree", "Tree"),
        Binding("b,backspace", "back", "Back"),
        Binding("escape", "escape", "Close search / clear hits", show=False),
    ]

    def __init__(self, library: Library, *, start: str | None = None, refresh_index: bool = True) -> None:
        super().__init__()
        self.library = library
        self.start = start
        self.refresh_on_mount = refresh_index
        self.history: list[Place] = []
        self.hit_query: str | None = None
        self.hits: list[Any] = []
        self.hit_index: int = 0
        self._view_query: str | None = None
        self._mounted = self._frame_shown = self._refresh_started = False
        #: True once the index refresh (or the check that it is up to date) has finished.
        self.index_checked = False
        self.tree_choice: bool | None = None  # None: whatever suits the width; else the user's `t`

    # -- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield LetterTree(id="tree")
            yield LetterView(id="letter")
            yield SearchPanel(self.library.search, id="search")
        yield IndexStatus(id="index-status")
        yield Footer()

    @property
    def view(self) -> LetterView:
        """The letter view."""
        return self.query_one("#letter", LetterView)

    @property
    def letter_tree(self) -> LetterTree:
        """The letter tree."""
        return self.query_one("#tree", LetterTree)

    @property
    def panel(self) -> SearchPanel:
        """The search panel."""
        return self.query_one("#search", SearchPanel)

    @property
    def narrow(self) -> bool:
        """True on terminals too narrow for three panes side by side."""
        return self.size.width < NARROW

    def apply_layout(self) -> None:
        """Show or hide the tree for the width and the search panel (unless the user chose with `t`)."""
        if self.tree_choice is not None:
            show = self.tree_choice
        else:
            show = not self.narrow and not (self.panel.display and self.size.width < WIDE)
        # The palette key (also in the help) leaves its room in the footer to the pane's keys when narrow.
        self.query_one(Footer).show_command_palette = not self.narrow
        tree = self.letter_tree
        if tree.display != show:
            if not show and tree.has_focus:
                self.view.focus()
            tree.display = show

    def on_resize(self) -> None:
        self.apply_layout()

    async def on_mount(self) -> None:
        self.apply_layout()
        self.letter_tree.set_letters(self.library.letters)
        start = self.start or (self.library.letters[0].id if self.library.letters else None)
        if start is not None:
            await self.open_letter(start, push=False)
        else:
            await self.view.show_message(f"No letters in {self.library.corpus_dir}")
        self.view.focus()
        if self.library.index_error:
            self.notify(self.library.index_error, severity="warning", markup=False)
        self._mounted = True
        self.call_after_refresh(self._start_refresh)

    def first_frame_shown(self) -> None:
        """Called by the app once the first frame is on the terminal."""
        self._frame_shown = True
        self._start_refresh()

    def _start_refresh(self) -> None:
        # The freshness check runs in a thread but shares the interpreter with the screen: start it
        # only once the letter has been drawn, so it can't delay the first readable screen.
        if self._mounted and self._frame_shown and not self._refresh_started:
            self._refresh_started = True
            if self.refresh_on_mount and self.library.index is not None:
                self.refresh_index()

    # -- opening letters ----------------------------------------------------------------------------

    def _push_history(self) -> None:
        if self.view.letter_id is not None:
            self.history.append(Place(self.view.letter_id, self.view.scroll_y))

    async def open_letter(
        self,
        letter_id: str,
        *,
        paragraph: int | None = None,
        anchor: Anchor | None = None,
        scroll_y: float | None = None,
        push: bool = True,
    ) -> bool:
        """Show `letter_id` at a section (`paragraph`), a block (`anchor`) or a scroll position."""
        view = self.view
        if push:
            self._push_history()
        if letter_id != view.letter_id:
            try:
                letter = self.library.load(letter_id)
            except LetterError as error:
                await view.show_message(str(error))
                self.notify(str(error), severity="error", markup=False)
                return False
            highlighter = self.library.highlighter(self.hit_query) if self.hit_query else None
            self._view_query = self.hit_query
            cited_by = [(other, self.library.label(other)) for other in self.library.cited_by(letter_id)]
            await view.show_letter(
                letter, letter_id, resolve=self.library.resolve, highlighter=highlighter, cited_by=cited_by
            )
            view.has_hits = bool(self.hit_query)
            view.refresh_bindings()
        if anchor is not None:
            view.scroll_to_anchor(anchor)
        elif paragraph is not None:
            view.scroll_to_section(paragraph)
        elif scroll_y is not None:
            view.restore_scroll(scroll_y)
        elif push:
            view.restore_scroll(0)
        self.letter_tree.show_letter(letter_id, expand=True)
        return True

    async def action_back(self) -> None:
        """Go back to where the reader was before the last jump."""
        if not self.history:
            self.app.bell()
            self.notify("Nothing to go back to.", timeout=2)
            return
        place = self.history.pop()
        await self.open_letter(place.letter_id, scroll_y=place.scroll_y, push=False)
        self.view.focus()

    @on(Tree.NodeSelected)
    async def _tree_selected(self, event: Tree.NodeSelected[TreeData]) -> None:
        data = event.node.data
        if data is None or data.kind == "dossier" or data.letter is None:
            return
        if data.kind == "section":
            await self.open_letter(data.letter, paragraph=data.paragraph)
        else:
            await self.open_letter(data.letter)
        if self.narrow:
            self.view.focus()

    async def jump_to(self, letter_id: str, paragraph: int | None = None) -> None:
        """Open a letter (at a section) from outside the screen, e.g. the command palette."""
        await self.open_letter(letter_id, paragraph=paragraph)
        self.view.focus()

    @on(LetterView.LetterRequested)
    async def _follow_citation(self, message: LetterView.LetterRequested) -> None:
        await self.open_letter(message.letter_id)
        self.view.focus()

    @on(LetterView.FootnotesRequested)
    def _show_footnotes(self, message: LetterView.FootnotesRequested) -> None:
        view = self.view
        if view.letter is None or view.letter_id is None:
            return
        popup = FootnoteScreen(view.letter, message.numbers, letter_id=view.letter_id, resolve=self.library.resolve)

        async def followed(target: str | None) -> None:
            if target:
                await self.open_letter(target)
                self.view.focus()

        self.app.push_screen(popup, followed)

    # -- panes --------------------------------------------------------------------------------------

    def action_toggle_tree(self) -> None:
        """Hide the tree, or show it and put the focus in it."""
        self.tree_choice = not self.letter_tree.display
        self.apply_layout()
        if self.tree_choice:
            self.letter_tree.focus()

    def action_search(self) -> None:
        """Open the search panel and put the focus in its input."""
        self.panel.display = True
        self.apply_layout()
        self.panel.focus_input()

    def action_escape(self) -> None:
        """Close the search panel, or else clear the highlighted hits."""
        if self.panel.display:
            self._close_panel()
        elif self.hit_query:
            self.clear_hits()

    def _close_panel(self) -> None:
        self.panel.display = False
        self.apply_layout()
        self.view.focus()

    @on(SearchPanel.Closed)
    def _panel_closed(self) -> None:
        if self.narrow:
            self._close_panel()
        self.view.focus()

    def clear_hits(self) -> None:
        """Forget the search: no highlights, n/N idle."""
        self.hit_query, self.hits, self._view_query = None, [], None
        self.view.set_highlighter(None)
        self.view.mark_hit(None, scroll=False)
        self.view.has_hits = False
        self.view.refresh_bindings()

    # -- search hits --------------------------------------------------------------------------------

    @on(SearchPanel.HitChosen)
    async def _hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        self.hit_query = message.query
        self.hits = list(message.result.hits)
        await self.open_hit(message.index)
        if self.narrow:
            self._close_panel()
        self.view.focus()

    async def open_hit(self, index: int, *, push: bool = True) -> None:
        """Open hit `index` of the current results: its letter, scrolled to its paragraph or footnote."""
        hit = self.hits[index]
        self.hit_index = index
        anchor: Anchor | None = None
        if hit.footnote is not None:
            anchor = ("f", int(hit.footnote))
        elif hit.paragraph is not None:
            anchor = ("p", int(hit.paragraph))
        if hit.letter != self.view.letter_id:
            if not await self.open_letter(hit.letter, push=push):
                return
        else:
            if push:
                self._push_history()
            if self._view_query != self.hit_query:
                self.view.set_highlighter(self.library.highlighter(self.hit_query or ""))
                self._view_query = self.hit_query
        self.view.has_hits = True
        self.view.refresh_bindings()
        self.view.mark_hit(anchor)
        self.letter_tree.show_letter(hit.letter, expand=True)
        self.panel.show_current(index)

    @on(LetterView.HitStep)
    async def _hit_step(self, message: LetterView.HitStep) -> None:
        await self.step_hit(message.step)

    async def step_hit(self, step: int) -> None:
        """`n`/`N`: the next/previous match in this letter, then on through the results."""
        if not self.hit_query:
            return
        view = self.view
        anchors = view.hit_anchors
        current = view.hit_anchor
        if step > 0:
            after = [a for a in anchors if current is None or anchor_key(a) > anchor_key(current)]
            if after:
                view.mark_hit(after[0])
                return
            order = range(self.hit_index + 1, len(self.hits))
        else:
            before = [a for a in anchors if current is not None and anchor_key(a) < anchor_key(current)]
            if before:
                view.mark_hit(before[-1])
                return
            order = range(self.hit_index - 1, -1, -1)
        for index in order:
            if self.hits[index].letter != view.letter_id:
                await self.open_hit(index)
                return
        self.app.bell()
        self.notify("No more hits." if step > 0 else "No earlier hits.", timeout=2)

    # -- the index ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def refresh_index(self) -> None:
        """Bring the index up to date in a thread; the letter stays readable meanwhile."""
        worker = get_current_worker()
        index = self.library.index
        try:
            if index.is_fresh():
                self.post_message(IndexDone(changed=False))
                return
            self.post_message(IndexProgress(0, 0))
            last = 0.0

            def progress(done: int, total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if now - last >= PROGRESS_INTERVAL or done >= total:
                    last = now
                    if not worker.is_cancelled:
                        self.post_message(IndexProgress(done, total))

            report = index.refresh(progress=progress)
        except Exception as error:  # noqa: BLE001 - reported in the UI; reading goes on
            self.post_message(IndexDone(error=f"{error.__class__.__name__}: {error}"))
            return
        self.post_message(IndexDone(report=report))

    def on_index_progress(self, message: IndexProgress) -> None:
        status = self.query_one(IndexStatus)
        if message.total:
            status.progress(message.done, message.total)
        else:
            status.start()

    async def on_index_done(self, message: IndexDone) -> None:
        self.index_checked = True
        self.query_one(IndexStatus).finish()
        if message.error:
            self.notify(f"Index not updated: {message.error}", severity="error", markup=False)
            return
        if not message.changed:
            return
        self.library.forget()
        self.library.reload()
        self.letter_tree.set_letters(self.library.letters)
        if self.view.letter_id is not None:
            self.letter_tree.show_letter(self.view.letter_id, expand=True)
        report = message.report
        self.notify(report_summary(report), title="Search index", timeout=4, markup=False)
        for path, problem in getattr(report, "skipped", ())[:3]:
            self.notify(f"{path}: {problem}", title="Not indexed", severity="warning", markup=False)
        if self.panel.input.value.strip():
            self.panel.search(self.panel.input.value, debounce=False)
