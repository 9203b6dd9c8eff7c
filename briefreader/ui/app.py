"""The Textual application: global keys, the help screen, the command palette, themes."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from briefreader.model import LetterError
from briefreader.state import load_state
from briefreader.ui import render
from briefreader.ui.library import Library
from briefreader.ui.palette import LetterCommands
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.screens.help import MOUSE_ROWS, HelpScreen, binding_rows
from briefreader.ui.screens.reader import NARROW, WIDE, ReaderScreen, first_request
from briefreader.ui.widgets.letter_tree import LetterTree
from briefreader.ui.widgets.letter_view import LetterView
from briefreader.ui.widgets.search_panel import SearchPanel

#: Seconds the link maps wait for the first frame before they are made anyway.
FIRST_FRAME_WAIT = 10.0


class ReaderApp(App[int]):
    """briefreader: read and search Kamerbrieven."""

    # Absolute, so an app made from a subclass elsewhere (tests, benchmarks) finds it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "briefreader"
    COMMANDS = App.COMMANDS | {LetterCommands}
    # Every screen gets -narrow / -normal / -wide by the terminal's width (used in app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-normal"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+t", "change_theme", "Theme", show=False),
    ]

    def __init__(self, library: Library, *, start: str | None = None, refresh_index: bool = True) -> None:
        super().__init__()
        self.library = library
        self.start = start
        self.refresh_on_start = refresh_index
        self.sub_title = render.message(str(library.corpus_dir))
        # The reading places, and the first letter parsed in a thread while Textual starts up, so
        # the first frame can show it (ReaderScreen shows a letter at hand without a worker).
        self.state, self.state_notice = load_state(library.corpus_dir)
        first = first_request(library, self.state, start)
        self._first_frame = threading.Event()
        threading.Thread(
            target=self._prefetch, args=(first.letter_id if first else None,), name="first-letter", daemon=True
        ).start()

    def _prefetch(self, letter_id: str | None) -> None:
        """Parse the first letter while Textual starts; after the first frame, make the link maps.

        (Made before, they would share the interpreter with the tree and the first frame: at
        100,000 letters that doubled the time to the first screen. The first letter shows without
        its links to other letters for that half second.)"""
        if letter_id is not None:
            try:
                self.library.load(letter_id)
            except LetterError:
                pass  # the screen opens it the ordinary way and says what is wrong with it
        self._first_frame.wait(FIRST_FRAME_WAIT)
        self.library.warm_links()

    def get_default_screen(self) -> Screen:
        return ReaderScreen(self.library, start=self.start, refresh_index=self.refresh_on_start, state=self.state)

    def on_mount(self) -> None:
        if self.state_notice:
            self.notify(render.message(self.state_notice), title="Reading places", severity="warning", markup=False)

    def on_ready(self) -> None:
        # The first frame is on screen: now the link maps may be made and the index checked.
        self._first_frame.set()
        self.reader.first_frame_shown()

    @property
    def reader(self) -> ReaderScreen:
        """The main screen (also when a popup is on top)."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                return screen
        raise LookupError("the reader screen is not running")

    def reload_letters(self) -> None:
        """Read the letter list again after the corpus changed (a sync, `add`), keeping the reader's
        place and marking the letters that arrived: see `ReaderScreen.reload_letters`."""
        self.reader.reload_letters()

    def help_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The help screen's key table, straight from the bindings."""
        everywhere = binding_rows(self, [ReaderApp, ReaderScreen])
        everywhere.append(("tab shift+tab", "next / previous pane (in the letter: the links on screen first)"))
        everywhere.extend(MOUSE_ROWS)
        return [
            ("Everywhere", everywhere),
            ("Letter", binding_rows(self, [LetterView])),
            ("Tree", binding_rows(self, [LetterTree])),
            ("Search panel", _search_rows(self)),
            ("Footnote popup", binding_rows(self, [FootnoteScreen])),
        ]

    def action_help(self) -> None:
        """Show every key and the query syntax."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key and the search syntax", self.action_help)


def _search_rows(app: App) -> list[tuple[str, str]]:
    rows = binding_rows(app, [SearchPanel])
    rows.insert(0, ("enter", "open the letter at the highlighted snippet, or run the \"did you mean\" suggestion"))
    rows.insert(0, ("(type)", "search as you type: each matching letter once, with its best paragraphs"))
    return rows
