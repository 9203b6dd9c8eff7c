"""The main screen: the tree, the letter and the search panel, and how the reader moves between them.

Navigation lives here: opening a letter (from the tree, a hit, a citation, the palette, a mark),
back and forward through the places visited, resuming where the reader left off, the walk through
search hits with n/N, the footnote popup, copying with a citation, and the index refresh running
in a worker while the reader reads.

Letters are parsed in a worker thread; a newer request cancels an older one still loading, so
clicking through the tree never queues up letters. What the reader remembers between runs (the
place in each letter, marks, when the reader was last opened) is `briefreader.state`.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Tree
from textual.worker import Worker, WorkerCancelled, get_current_worker

from briefreader import cite
from briefreader.model import Letter, LetterError
from briefreader.state import Place, ReaderState, load_state
from briefreader.ui import render
from briefreader.ui.clipboard import copy_quotes
from briefreader.ui.document import LetterDocument, build_document
from briefreader.ui.history import History
from briefreader.ui.library import LetterHitLike, Library
from briefreader.ui.render import Anchor
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.screens.marks import MarkPrompt
from briefreader.ui.widgets.index_status import IndexStatus
from briefreader.ui.widgets.letter_tree import LetterTree, TreeData
from briefreader.ui.widgets.letter_view import LetterView, Spot, anchors_in_order
from briefreader.ui.widgets.search_panel import LetterResults, SearchPanel

#: Below this width the tree starts hidden and the search panel takes the lower half of the screen.
NARROW = 100
#: From this width the tree stays beside an open search panel (below it, the tree gives way).
WIDE = 170
#: Seconds between two progress updates of the index refresh (older ones would only be dropped).
PROGRESS_INTERVAL = 0.1
#: Seconds between two checks whether the reading place moved (and must be saved).
SAVE_INTERVAL = 2.0
#: A letter that takes longer than this to open gets a notice, so a slow file does not look like a dead key.
LOADING_NOTICE_AFTER = 0.3


class IndexProgress(Message):
    """The index refresh has indexed `done` of `total` letters."""

    def __init__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        super().__init__()


class IndexDone(Message):
    """The index refresh finished (`error` says why not, if it failed)."""

    def __init__(self, report=None, error: str | None = None, changed: bool = True) -> None:
        self.report, self.error, self.changed = report, error, changed
        super().__init__()


class NewLetters(Message):
    """These letters came into the corpus since the reader was last opened."""

    def __init__(self, letter_ids: frozenset[str]) -> None:
        self.letter_ids = letter_ids
        super().__init__()


class StateNotSaved(Message):
    """The reading places could not be written (`problem` says why, in one line)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__()


def report_summary(report) -> str:
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


@dataclass(frozen=True)
class OpenRequest:
    """Where to open a letter: an exact place, a block (`anchor`), a section (`paragraph`), or
    (none of these) where the reader left it. `hit` marks a search hit there: an anchor, or the
    letter's first or last hit."""

    letter_id: str
    place: Place | None = None
    anchor: Anchor | None = None
    paragraph: int | None = None
    hit: Anchor | Literal["first", "last"] | None = None
    push: bool = True
    resume: bool = True


@dataclass
class ActiveSearch:
    """The search whose hits n/N walk: its query, its letters, and which of them is being walked."""

    query: str
    as_you_type: bool
    letters: tuple[LetterHitLike, ...]
    current: int = 0
    #: letter id -> the anchors of its hits in reading order (from `Library.letter_hits`).
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)

    def position(self, letter_id: str | None) -> int | None:
        """Where `letter_id` stands among the letters, or None."""
        for number, letter in enumerate(self.letters):
            if letter.letter == letter_id:
                return number
        return None


class Opening:
    """A letter being opened: `await` it for True once shown (False if it failed or a newer
    request replaced it); or ignore it, the letter opens all the same."""

    def __init__(self, worker: Worker[bool]) -> None:
        self.worker = worker

    async def _wait(self) -> bool:
        try:
            return bool(await self.worker.wait())
        except WorkerCancelled:
            return False

    def __await__(self) -> Generator[object, None, bool]:
        return self._wait().__await__()


def first_request(library: Library, state: ReaderState, start: str | None) -> OpenRequest | None:
    """The letter the reader opens with: the one asked for, else the one last read (at its place),
    else the newest; None for an empty corpus."""
    if start is not None:
        return OpenRequest(start, push=False)
    last = state.corpus.last
    if last is not None and last.letter in library.by_id:
        return OpenRequest(last.letter, place=last, push=False)
    if library.letters:
        return OpenRequest(library.letters[0].id, push=False)
    return None


def hit_anchor(hit) -> Anchor | None:
    """Where a hit stands in its letter: its footnote or paragraph (None: the letter as a whole)."""
    if hit.footnote is not None:
        return ("f", int(hit.footnote))
    if hit.paragraph is not None:
        return ("p", int(hit.paragraph))
    return None


class ReaderScreen(Screen):
    """Tree left, letter centre, search panel right (or below, on narrow terminals)."""

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("t", "toggle_tree", "Tree"),
        Binding("b,backspace,alt+left", "back", "Back"),
        Binding("B,alt+right", "forward", "Forward", show=False),
        Binding("m", "set_mark", "Set mark", show=False),
        Binding("apostrophe", "go_to_mark", "Go to mark", show=False),
        Binding("escape", "escape", "Close search / clear hits", show=False),
    ]

    def __init__(
        self, library: Library, *, start: str | None = None, refresh_index: bool = True, state: ReaderState | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.start = start
        self.refresh_on_mount = refresh_index
        self.history: History[Place] = History()
        self.search_state: ActiveSearch | None = None
        self._mounted = self._frame_shown = self._refresh_started = False
        #: True once the index refresh (or the check that it is up to date) has finished.
        self.index_checked = False
        self.tree_choice: bool | None = None  # None: whatever suits the width; else the user's `t`
        self.state: ReaderState | None = state
        #: When the reader was opened on this corpus before (None: never); letters newer are new.
        self.previous_visit: float | None = None
        self._saved_entry: dict | None = None
        self._view: LetterView | None = None
        self._save_problem_told = False

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
        """The letter view (kept after unmounting, so the place can still be saved on the way out)."""
        if self._view is None:
            self._view = self.query_one("#letter", LetterView)
        return self._view

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

    def on_mount(self) -> None:
        self.apply_layout()
        if self.state is None:
            self.state, notice = load_state(self.library.corpus_dir)
            if notice:
                self.notify(render.message(notice), title="Reading places", severity="warning", markup=False)
        corpus = self.state.corpus
        self.previous_visit = corpus.last_opened
        corpus.last_opened = time.time()
        tree = self.letter_tree
        tree.set_letters(self.library.letters)
        tree.open_newest()
        start = first_request(self.library, self.state, self.start)
        if start is not None:
            if not self._open_now(start):
                self._open(start)
        else:
            self.view.show_message(self.library.corpus_problem or f"No letters in {self.library.corpus_dir}")
        self.view.focus()
        if self.library.index_error:
            self.notify(render.message(self.library.index_error), severity="warning", markup=False)
        self._mounted = True
        self.set_interval(SAVE_INTERVAL, self.save_place)
        self.call_after_refresh(self._start_refresh)

    def on_unmount(self) -> None:
        # Quitting: the place is written now, not by the interval that will not come.
        self.save_place(background=False)

    def first_frame_shown(self) -> None:
        """Called by the app once the first frame is on the terminal."""
        self._frame_shown = True
        self._start_refresh()

    def _start_refresh(self) -> None:
        # The freshness check runs in a thread but shares the interpreter with the screen: start it
        # only once the letter has been drawn, so it can't delay the first readable screen.
        if self._mounted and self._frame_shown and not self._refresh_started:
            self._refresh_started = True
            self.save_place()
            if self.previous_visit is not None:
                self.find_new_letters()
            if self.refresh_on_mount and self.library.index is not None:
                self.refresh_index()

    # -- the reading place --------------------------------------------------------------------------

    def current_place(self) -> Place | None:
        """Where the reader is now: the letter and the block at the top of the screen."""
        view = self.view
        if view.letter_id is None:
            return None
        spot = view.spot
        return Place(view.letter_id, spot.anchor, spot.offset)

    def _remember_place(self) -> None:
        place = self.current_place()
        if place is not None and self.state is not None:
            self.state.corpus.remember(place)

    def save_place(self, *, background: bool = True) -> None:
        """Record the reading place and write the state if anything changed since the last write."""
        if self.state is None:
            return
        self._remember_place()
        entry = self.state.corpus.to_json()
        if entry == self._saved_entry:
            return
        self._saved_entry = entry
        snapshot = self.state.snapshot()
        if background:
            self._write_state(self.state, snapshot)
        else:
            self._report_save(self.state.write(snapshot))

    @work(thread=True, exclusive=True, group="state")
    def _write_state(self, state: ReaderState, snapshot: dict) -> None:
        problem = state.write(snapshot)
        if problem:
            self.post_message(StateNotSaved(problem))

    def on_state_not_saved(self, message: StateNotSaved) -> None:
        self._report_save(message.problem)

    def _report_save(self, problem: str | None) -> None:
        if problem and not self._save_problem_told:
            self._save_problem_told = True
            self.notify(render.message(problem), title="Reading places", severity="warning", markup=False)

    # -- opening letters ----------------------------------------------------------------------------

    def open_letter(
        self,
        letter_id: str,
        *,
        paragraph: int | None = None,
        anchor: Anchor | None = None,
        place: Place | None = None,
        push: bool = True,
    ) -> Opening:
        """Show `letter_id` at a section (`paragraph`), a block (`anchor`), an exact `place`, or
        else where the reader left it; `push` records the place being left for Back."""
        return self._open(OpenRequest(letter_id, place=place, anchor=anchor, paragraph=paragraph, push=push))

    def _open(self, request: OpenRequest) -> Opening:
        leaving = self.current_place()
        # A partial of the coroutine function, not a coroutine: a request replaced before its worker
        # starts leaves nothing unawaited.
        work = functools.partial(self._open_worker, request, leaving, self.search_state)
        worker = self.run_worker(work, exclusive=True, group="open")
        return Opening(worker)

    def _prepare(
        self, request: OpenRequest, search: ActiveSearch | None, *, linked: bool = True
    ) -> tuple[Letter, LetterDocument, list[Anchor] | None]:
        """Parse the letter, build what the view shows and find the search's hits in it (in a worker
        thread). Not `linked`: without the links to other letters (no pass over the corpus)."""
        letter = self.library.load(request.letter_id)
        if linked:
            cited_by = [(other, self.library.label(other)) for other in self.library.cited_by(request.letter_id)]
            document = build_document(letter, request.letter_id, resolve=self.library.resolve, cited_by=cited_by)
        else:
            document = build_document(letter, request.letter_id, resolve=lambda _reference: None)
        anchors = None
        if search is not None and request.letter_id not in search.anchors:
            hits = self.library.letter_hits(search.query, request.letter_id, search.as_you_type)
            anchors = anchors_in_order(document, (a for a in map(hit_anchor, hits) if a is not None))
        return letter, document, anchors

    async def _open_worker(self, request: OpenRequest, leaving: Place | None, search: ActiveSearch | None) -> bool:
        notice = self.set_timer(
            LOADING_NOTICE_AFTER,
            lambda: self.notify(render.message(f"Opening {self.library.label(request.letter_id)}…"), timeout=2, markup=False),
        )
        try:
            try:
                _letter, document, anchors = await asyncio.to_thread(self._prepare, request, search)
            except LetterError as error:
                self.view.show_message(str(error))
                self.notify(render.message(str(error)), severity="error", markup=False)
                return False
        finally:
            notice.stop()
        self._present(request, leaving, search, document, anchors)
        return True

    def _open_now(self, request: OpenRequest) -> bool:
        """Show a letter that is parsed already at once, without a worker (the first letter, when
        the app read it while Textual started: then it is in the very first frame). False when it
        is not at hand. If the links between the letters are not made yet (a big corpus), the
        letter shows without them first, and gets them as soon as they are made."""
        if self.library.cached(request.letter_id) is None:
            return False  # parsing it here would hold up the first frame
        linked = self.library.links_ready
        try:
            _letter, document, anchors = self._prepare(request, None, linked=linked)
        except LetterError:
            return False
        self._present(request, None, None, document, anchors)
        if not linked:
            self.run_worker(functools.partial(self._add_links, request.letter_id), group="links")
        return True

    async def _add_links(self, letter_id: str) -> None:
        """Show the letter again with its links, once the link maps are made, where the reader is now."""
        await asyncio.to_thread(self.library.warm_links)
        view = self.view
        if view.letter_id != letter_id:
            return
        request = OpenRequest(letter_id, push=False)
        _letter, document, _anchors = await asyncio.to_thread(self._prepare, request, None)
        if view.letter_id == letter_id:
            view.show(document, spot=view.spot, highlighter=view.highlighter)

    def _present(
        self,
        request: OpenRequest,
        leaving: Place | None,
        search: ActiveSearch | None,
        document: LetterDocument,
        anchors: list[Anchor] | None,
    ) -> None:
        """Put a prepared letter on screen, at the place the request asks for."""
        view = self.view
        if request.push and leaving is not None:
            self.history.push(leaving)
        self._remember_place()
        if search is not None and anchors is not None:
            search.anchors[request.letter_id] = anchors
        search = self.search_state
        spot = self._spot_for(request, document)
        highlighter = self.library.highlighter(search.query, search.as_you_type) if search else None
        if view.letter_id == request.letter_id and view.document is not None and request.place is None and spot is None:
            spot = view.spot  # the same letter again (e.g. after a refresh): stay where the reader is
        view.show(document, spot=spot, highlighter=highlighter)
        view.has_hits = search is not None
        if search is not None:
            view.hit_anchors = search.anchors.get(request.letter_id) or []
            position = search.position(request.letter_id)
            if position is not None:
                search.current = position
        target = request.hit
        if target == "first" or target == "last":
            found = view.hit_anchors or view.highlighted_anchors()
            target = (found[0] if target == "first" else found[-1]) if found else None
        if target is not None:
            view.mark_hit(target)
        view.update_bindings()
        self.letter_tree.show_letter(request.letter_id, expand=True)
        self._remember_place()

    def _spot_for(self, request: OpenRequest, document: LetterDocument) -> Spot | None:
        if request.place is not None:
            return Spot(request.place.anchor, request.place.offset)
        anchor = request.anchor if request.anchor is not None else request.hit if isinstance(request.hit, tuple) else None
        if anchor is not None:
            block = document.block(anchor)
            return Spot(anchor, block.lead) if block is not None else None
        if request.paragraph is not None:
            index = document.index.get(("p", request.paragraph))
            if index is None:
                return None
            previous = document.blocks[index - 1] if index else None
            if previous is not None and previous.kind == "heading":
                return Spot(previous.anchor, previous.lead)
            if request.paragraph == 0:
                return Spot(("h", 0))
            return Spot(("p", request.paragraph), document.blocks[index].lead)
        if request.resume and self.state is not None:
            known = self.state.corpus.place_of(request.letter_id)
            if known is not None:
                return Spot(known.anchor, known.offset)
        return None

    def _go(self, place: Place) -> Opening | None:
        """Move to `place` without recording history (back, forward)."""
        if place.letter == self.view.letter_id:
            self.view.go_to(Spot(place.anchor, place.offset))
            self._remember_place()
            return None
        return self._open(OpenRequest(place.letter, place=place, push=False))

    def action_back(self) -> None:
        """Go back to where the reader was before the last jump."""
        current = self.current_place()
        place = self.history.back(current) if current is not None else None
        if place is None:
            self.app.bell()
            self.notify("Nothing to go back to.", timeout=2)
            return
        self._go(place)
        self.view.focus()

    def action_forward(self) -> None:
        """Undo a Back: return to where the reader was before it."""
        current = self.current_place()
        place = self.history.forward(current) if current is not None else None
        if place is None:
            self.app.bell()
            self.notify("Nothing to go forward to.", timeout=2)
            return
        self._go(place)
        self.view.focus()

    def _jump_within(self, spot: Spot) -> None:
        """A jump inside the letter shown (a mark, a section): recorded for Back too."""
        current = self.current_place()
        if current is not None:
            self.history.push(current)
        self.view.go_to(spot)

    @on(Tree.NodeSelected)
    def _tree_selected(self, event: Tree.NodeSelected[TreeData]) -> None:
        data = event.node.data
        if data is None or data.kind not in ("letter", "section") or data.letter is None:
            return
        if data.kind == "section":
            self.open_letter(data.letter, paragraph=data.paragraph)
        elif data.letter != self.view.letter_id:
            self.open_letter(data.letter)
        if self.narrow:
            self.view.focus()

    def jump_to(self, letter_id: str, paragraph: int | None = None) -> None:
        """Open a letter (at a section) from outside the screen, e.g. the command palette."""
        self.open_letter(letter_id, paragraph=paragraph)
        self.view.focus()

    @on(LetterView.LetterRequested)
    def _follow_citation(self, message: LetterView.LetterRequested) -> None:
        self.open_letter(message.letter_id, anchor=("h", 0))
        self.view.focus()

    @on(LetterView.FootnotesRequested)
    def _show_footnotes(self, message: LetterView.FootnotesRequested) -> None:
        view = self.view
        if view.letter is None or view.letter_id is None:
            return
        popup = FootnoteScreen(view.letter, message.numbers, letter_id=view.letter_id, resolve=self.library.resolve)

        def followed(target: str | None) -> None:
            if target:
                self.open_letter(target, anchor=("h", 0))
                self.view.focus()

        self.app.push_screen(popup, followed)

    # -- copy with citation -------------------------------------------------------------------------

    @on(LetterView.CopyRequested)
    def _copy(self, message: LetterView.CopyRequested) -> None:
        view = self.view
        if view.letter is None:
            return
        kind, number = message.anchor
        if kind == "f":
            parts = cite.footnote_parts(view.letter, number, letter_id=view.letter_id)
        else:
            parts = cite.paragraph_parts(view.letter, number, letter_id=view.letter_id)
        if parts is None:
            self.app.bell()
            return
        copy_quotes(self, [parts])

    # -- marks --------------------------------------------------------------------------------------

    def mark_label(self, place: Place) -> str:
        """What a mark points to, in words: the letter and the block."""
        kind, number = place.anchor
        where = {"p": f"paragraph {number + 1}", "f": f"footnote {number}", "s": "a section heading"}.get(kind, "the top")
        info = self.library.info(place.letter)
        if info is None:
            return f"{place.letter} · {where}"
        date = f"{info.date[:10]} " if info.date else ""
        return f"{date}{render.short_title(info.title, info.id, limit=50)} · {where}"

    def marks(self) -> list[tuple[str, Place]]:
        """The marks set, by name."""
        if self.state is None:
            return []
        return sorted(self.state.corpus.marks.items())

    def action_set_mark(self) -> None:
        """`m` then a letter: remember this place under that letter."""
        place = self.current_place()
        if place is None or self.state is None:
            self.app.bell()
            return

        def chosen(name: str | None) -> None:
            if name is None or self.state is None:
                return
            self.state.corpus.marks[name] = place
            self.save_place()
            self.notify(render.message(f"Mark {name}: {self.mark_label(place)}"), timeout=3, markup=False)

        self.app.push_screen(MarkPrompt("Set mark: press a letter"), chosen)

    def action_go_to_mark(self) -> None:
        """`'` then a letter: go to the place marked with it."""
        marks = self.marks()
        if not marks:
            self.app.bell()
            self.notify("No marks yet: m and a letter sets one.", timeout=3)
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self.go_to_mark(name)

        self.app.push_screen(MarkPrompt("Go to mark", [(name, self.mark_label(place)) for name, place in marks]), chosen)

    def go_to_mark(self, name: str) -> Opening | None:
        """Go to mark `name` (recorded for Back)."""
        place = self.state.corpus.marks.get(name) if self.state else None
        if place is None:
            self.app.bell()
            self.notify(render.message(f"No mark {name}."), timeout=2, markup=False)
            return None
        if place.letter not in self.library.by_id:
            self.notify(render.message(f"Mark {name}: letter {place.letter} is no longer in the corpus."), severity="warning", markup=False)
            return None
        self.view.focus()
        if place.letter == self.view.letter_id:
            self._jump_within(Spot(place.anchor, place.offset))
            return None
        return self._open(OpenRequest(place.letter, place=place))

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
        elif self.search_state is not None:
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
        self.search_state = None
        view = self.view
        view.set_highlighter(None)
        view.mark_hit(None, scroll=False)
        view.hit_anchors = []
        view.has_hits = False
        view.update_bindings()

    # -- search hits --------------------------------------------------------------------------------

    @on(SearchPanel.HitChosen)
    def _hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        listing = LetterResults.of(message.result)
        if not 0 <= message.letter < len(listing.letters):
            return
        letter = listing.letters[message.letter]
        self.search_state = ActiveSearch(message.query, message.as_you_type, listing.letters, message.letter)
        hits = letter.paragraphs
        anchor = hit_anchor(hits[message.hit]) if 0 <= message.hit < len(hits) else None
        self.open_hit(letter.letter, anchor if anchor is not None else "first")
        if self.narrow:
            self._close_panel()
        self.view.focus()

    def open_hit(self, letter_id: str, hit: Anchor | Literal["first", "last"]) -> Opening | None:
        """Show the hit `hit` of the active search in `letter_id` (opening it if needed)."""
        search = self.search_state
        view = self.view
        if search is not None:
            position = search.position(letter_id)
            if position is not None:
                search.current = position
                self.panel.show_current(position)
        if letter_id == view.letter_id and search is not None and letter_id in search.anchors:
            current = self.current_place()
            if current is not None:
                self.history.push(current)
            view.set_highlighter(self.library.highlighter(search.query, search.as_you_type))
            view.hit_anchors = search.anchors[letter_id]
            view.has_hits = True
            view.update_bindings()
            if hit == "first" or hit == "last":
                found = view.hit_anchors or view.highlighted_anchors()
                hit = (found[0] if hit == "first" else found[-1]) if found else None  # type: ignore[assignment]
            view.mark_hit(hit)  # type: ignore[arg-type]
            return None
        return self._open(OpenRequest(letter_id, hit=hit, resume=False))

    @on(LetterView.HitStep)
    def _hit_step(self, message: LetterView.HitStep) -> None:
        self.step_hit(message.step)

    def step_hit(self, step: int) -> Opening | None:
        """`n`/`N`: the next/previous hit in this letter, then on through the matching letters."""
        search = self.search_state
        if search is None:
            return None
        view = self.view
        document = view.document
        anchors = view.hit_anchors or view.highlighted_anchors()
        if document is not None and anchors:
            if view.hit_anchor is not None and view.hit_anchor in document.index:
                reference = document.order(view.hit_anchor)
            else:
                # No hit marked yet: from where the reader is (the block at the top of the screen).
                reference = document.order(view.spot.anchor) - (1 if step > 0 else 0)
                reference = reference if step > 0 else reference + 1
            if step > 0:
                following = [a for a in anchors if document.order(a) > reference]
            else:
                following = [a for a in reversed(anchors) if document.order(a) < reference]
            if following:
                view.mark_hit(following[0])
                return None
        here = search.position(view.letter_id)
        start = here if here is not None else search.current
        order = range(start + 1, len(search.letters)) if step > 0 else range(start - 1, -1, -1)
        for position in order:
            letter = search.letters[position]
            if letter.letter != view.letter_id:
                return self.open_hit(letter.letter, "first" if step > 0 else "last")
        self.app.bell()
        self.notify("No more hits." if step > 0 else "No earlier hits.", timeout=2)
        return None

    # -- the letter list ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="new-letters")
    def find_new_letters(self) -> None:
        """Mark the letters that came into the corpus since the reader was last opened (one stat per letter)."""
        if self.previous_visit is None:
            return
        worker = get_current_worker()
        found = self.library.arrived_since(self.previous_visit)
        if not worker.is_cancelled:
            self.post_message(NewLetters(frozenset(found)))  # a message: dropped if the reader closed meanwhile

    def on_new_letters(self, message: NewLetters) -> None:
        self.letter_tree.mark_new(message.letter_ids)

    def reload_letters(self) -> None:
        """Read the letter list again after the corpus changed (an index refresh, `add`, a sync), and
        fill the tree anew, keeping the reader's place: the letter shown stays where it is (read
        again, in case its file changed), its place in the tree is opened, and letters that
        arrived since the reader was last opened are marked new.

        The hook for a "sync now" action: fetch the new letters, refresh the index, then call this.
        """
        self.library.forget()
        self.library.reload()
        tree = self.letter_tree
        expanded = tree.expanded_letters()
        new = tree.new_letters
        tree.set_letters(self.library.letters, new=new)
        tree.open_newest()
        for letter_id in expanded:
            tree.show_letter(letter_id, expand=True)
        letter_id = self.view.letter_id
        if letter_id is not None:
            if letter_id in self.library.by_id:
                place = self.current_place()
                self._open(OpenRequest(letter_id, place=place, push=False))
            else:
                self.notify(render.message(f"{letter_id} is no longer in the corpus."), severity="warning", markup=False)
        if self.previous_visit is not None:
            self.find_new_letters()

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
            # briefreader's own errors are one line naming the folder and the problem; others get their kind.
            own = type(error).__module__.startswith("briefreader.")
            self.post_message(IndexDone(error=str(error) if own else f"{error.__class__.__name__}: {error}"))
            return
        self.post_message(IndexDone(report=report))

    def on_index_progress(self, message: IndexProgress) -> None:
        status = self.query_one(IndexStatus)
        if message.total:
            status.progress(message.done, message.total)
        else:
            status.start()

    def on_index_done(self, message: IndexDone) -> None:
        self.index_checked = True
        self.query_one(IndexStatus).finish()
        if message.error:
            self.notify(render.message(f"Index not updated: {message.error}"), severity="error", markup=False)
            return
        if not message.changed:
            return
        self.reload_letters()
        report = message.report
        self.notify(render.message(report_summary(report)), title="Search index", timeout=4, markup=False)
        for path, problem in (getattr(report, "skipped", ()) or ())[:3]:
            self.notify(render.message(f"{self.library.shown_path(path)}: {problem}"), title="Not indexed",
                        severity="warning", markup=False)
        if self.panel.input.value.strip():
            self.panel.search(self.panel.input.value)

