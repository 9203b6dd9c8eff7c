"""The main screen: the tree, the letter and the search panel, laid out for the terminal's width.

`ReaderScreen` composes the panes, shows or hides the tree for the width, and starts the reader:
the first letter, the saved place, the check for new letters and the index refresh. What the
reader does on it is in the mixins, one concern each: `opening` (opening letters, back and
forward), `places` (the reading place and marks), `copying` (copy with citation), `hits` (the
search panel and n/N), `letters` (the letter list and the index refresh).
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from briefreader.state import Place, ReaderState, load_state
from briefreader.ui import render
from briefreader.ui.history import History
from briefreader.ui.library import Library
from briefreader.ui.screens.reader.copying import CopyMixin
from briefreader.ui.screens.reader.hits import ActiveSearch, HitsMixin
from briefreader.ui.screens.reader.letters import LettersMixin
from briefreader.ui.screens.reader.opening import OpeningMixin
from briefreader.ui.screens.reader.places import SAVE_INTERVAL, PlacesMixin
from briefreader.ui.screens.reader.requests import first_request
from briefreader.ui.widgets.index_status import IndexStatus
from briefreader.ui.widgets.letter_tree import LetterTree
from briefreader.ui.widgets.letter_view import LetterView
from briefreader.ui.widgets.search_panel import SearchPanel

#: Below this width the tree starts hidden and the search panel takes the lower half of the screen.
NARROW = 100
#: From this width the tree stays beside an open search panel (below it, the tree gives way).
WIDE = 170


class ReaderScreen(OpeningMixin, PlacesMixin, CopyMixin, HitsMixin, LettersMixin, Screen):
    """Tree left, letter centre, search panel right (or below, on narrow terminals)."""

    #: The letter has the focus from the start (else Textual focuses the first focusable widget,
    #: the tree, and both are styled again when `on_mount` moves the focus on).
    AUTO_FOCUS = "#letter"

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
        self._index_error_told = False

    # -- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield LetterTree(id="tree")
            yield LetterView(id="letter")
            yield SearchPanel(self.library.search, id="search")
        yield IndexStatus(id="index-status")
        # The footer's line; the footer itself comes right after the first frame (`first_frame_shown`).
        yield Static(id="footer-room")

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
        for footer in self.query("Footer"):  # none before the first frame (`first_frame_shown`)
            footer.show_command_palette = not self.narrow
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
        if self.library.listed:
            tree.set_letters(self.library.letters)
            tree.open_newest()
        else:
            tree.show_listing()
        start = first_request(self.library, self.state, self.start)
        if start is not None:
            if not self._open_now(start):
                self._open(start)
        else:
            self.view.show_message(self.library.corpus_problem or f"No letters in {self.library.corpus_dir}")
        self.view.focus()
        self.tell_index_error()
        self._mounted = True
        self.set_interval(SAVE_INTERVAL, self.save_place)
        self.call_after_refresh(self._start_refresh)

    def on_unmount(self) -> None:
        # Quitting: the place is written now, not by the interval that will not come.
        self.save_place(background=False)

    def tell_index_error(self) -> None:
        """Say (once) why there is no search, if the index can't be used. The index may be opened
        only when the letter list is read, after the first screen."""
        if self.library.index_error and not self._index_error_told:
            self._index_error_told = True
            self.notify(render.message(self.library.index_error), severity="warning", markup=False)

    def first_frame_shown(self) -> None:
        """Called by the app once the first frame is on the terminal."""
        self._frame_shown = True
        self.panel.fill()  # hidden until `/`: filled now, after the first frame (see `SearchPanel.fill`)
        # Textual's footer shows its keys only a frame after it is mounted; mounted with the
        # screen, it also made the first frame wait for its styles (2-4 ms of the start-up).
        from textual.widgets import Footer

        self.mount(Footer(show_command_palette=not self.narrow), before="#footer-room")
        self.query_one("#footer-room").remove()
        self._start_refresh()

    def _start_refresh(self) -> None:
        # The freshness check runs in a thread but shares the interpreter with the screen: start it
        # only once the letter has been drawn, so it can't delay the first readable screen.
        if self._mounted and self._frame_shown and not self._refresh_started:
            self._refresh_started = True
            self.save_place()
            if not self.library.listed:
                self.list_letters()  # then `after_listing`
            else:
                self.after_listing()

    def after_listing(self) -> None:
        """What waits for the letter list: marking new letters, the index's freshness check."""
        if self.previous_visit is not None:
            self.find_new_letters()
        if self.refresh_on_mount and self.library.index is not None:
            self.refresh_index()


    # -- panes --------------------------------------------------------------------------------------

    def action_toggle_tree(self) -> None:
        """Hide the tree, or show it and put the focus in it."""
        self.tree_choice = not self.letter_tree.display
        self.apply_layout()
        if self.tree_choice:
            self.letter_tree.focus()
