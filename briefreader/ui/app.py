"""The Textual application: global keys, the help screen, the command palette, themes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from briefreader.model import LetterError
from briefreader.state import load_state
from briefreader.ui import render
from briefreader.ui.library import Library
from briefreader.ui.screens.reader import NARROW, WIDE, ReaderScreen, first_request
from briefreader.ui.widgets.index_status import IndexStatus
from briefreader.ui.widgets.letter_tree import LetterTree
from briefreader.ui.widgets.letter_view import LetterView
from briefreader.ui.widgets.search_panel import SearchPanel

#: Seconds the link maps wait for the first frame before they are made anyway.
FIRST_FRAME_WAIT = 10.0
#: Seconds between two progress updates of a sync.
SYNC_PROGRESS_INTERVAL = 0.1


class SyncUpdate(Message):
    """A sync in the background says where it is (one line)."""

    def __init__(self, text: str, done: int = 0, total: int | None = None) -> None:
        self.text, self.done, self.total = text, done, total
        super().__init__()


class SyncFinished(Message):
    """A sync in the background ended: its report and the index refresh after it, or why it failed."""

    def __init__(self, report=None, refreshed=None, error: str | None = None, index_error: str | None = None) -> None:
        self.report, self.refreshed, self.error, self.index_error = report, refreshed, error, index_error
        super().__init__()


def sync_summary(report) -> str:
    """One line on what a sync did, for a notification."""
    if report.error and not (report.new or report.updated):
        return f"Nothing synced: {report.error}"
    parts = []
    for count, what in ((len(report.new), "new"), (len(report.updated), "updated"), (len(report.skipped), "already here"),
                        (len(report.failed), "failed")):
        if count:
            parts.append(f"{count} {what}")
    head = "Sync stopped" if report.cancelled else "Synced"
    line = f"{head}: {', '.join(parts)}" if parts else f"{head}: nothing new"
    if report.failed or report.problems or report.error:
        line += " (`briefreader sync` in a terminal says what went wrong)"
    return line


def letter_commands() -> type[Provider]:
    """The palette's letters, marks and actions (`briefreader.ui.palette`), imported when the
    palette first opens (Textual takes a callable that returns the provider)."""
    from briefreader.ui.palette import LetterCommands

    return LetterCommands


class ReaderApp(App[int]):
    """briefreader: read and search Kamerbrieven."""

    # Absolute, so an app made from a subclass elsewhere (tests, benchmarks) finds it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "briefreader"
    COMMANDS = App.COMMANDS | {letter_commands}
    # Every screen gets -narrow / -normal / -wide by the terminal's width (used in app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-normal"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+t", "change_theme", "Theme", show=False),
        Binding("S", "sync", "Sync now (fetch new letters of the watch list)", show=False),
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
        #: `time.monotonic()` at the user's last key, scroll or click: background work on the event
        #: loop (measuring a long letter) waits while keys come in (`TracksInput`).
        self.last_input = 0.0
        #: Set while a sync runs in the background; setting it stops the sync after the current request.
        self._sync_cancel: threading.Event | None = None
        first = first_request(library, self.state, start)
        self._first_frame = threading.Event()
        library.hold_writes(self._first_frame, FIRST_FRAME_WAIT)  # the letter cache: after the first frame
        threading.Thread(
            target=self._prefetch, args=(first.letter_id if first else None,), name="first-letter", daemon=True
        ).start()

    def _prefetch(self, letter_id: str | None) -> None:
        """Parse the first letter while Textual starts; after the first frame, make the link maps
        and import the search engine.

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
        self.library.warm_search()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

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
        # The popups are imported when first opened, not before the first screen.
        from briefreader.ui.screens.footnotes import FootnoteScreen
        from briefreader.ui.screens.help import MOUSE_ROWS, binding_rows

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
        from briefreader.ui.screens.help import HelpScreen  # imported when first opened

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key and the search syntax", self.action_help)
        yield SystemCommand("Sync now", "Fetch the new letters of the watched dossiers and queries (S)", self.action_sync)

    # -- sync ---------------------------------------------------------------------------------------

    def action_sync(self) -> None:
        """Fetch the new letters of the config's watch list in the background; reading goes on."""
        if self._sync_cancel is not None:
            self.notify("A sync is running already.", timeout=3)
            return
        plan, problem = self.library.sync_plan()
        if plan is None:
            self.notify(render.message(problem or "Nothing to sync."), title="Sync", severity="warning", markup=False)
            return
        self._sync_cancel = threading.Event()
        what = ", ".join(source.label for source in plan.sources[:3]) + (" …" if len(plan.sources) > 3 else "")
        self._show_sync(SyncUpdate(f"Syncing {what}…"))
        self._run_sync(plan, self._sync_cancel)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _run_sync(self, plan, cancel: threading.Event) -> None:
        worker = get_current_worker()
        last = 0.0

        def progress(step) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last < SYNC_PROGRESS_INTERVAL or worker.is_cancelled:
                return
            last = now
            if step.phase == "listing":
                self.post_message(SyncUpdate(f"Syncing: asking the repository ({step.source or ''})…"))
            elif step.phase == "fetching":
                self.post_message(SyncUpdate(f"Syncing: {step.done:,} of {step.total or 0:,} publications", step.done, step.total))

        try:
            report = self.library.sync(plan, progress, cancel)
        except Exception as error:  # noqa: BLE001 - one line in the UI; reading goes on
            self.post_message(SyncFinished(error=render.error_text(error)))
            return
        refreshed = index_error = None
        if (report.new or report.updated) and self.library.index is not None:
            self.post_message(SyncUpdate("Updating the search index with the new letters…"))
            try:
                # Only the letters that arrived are looked at, not the whole corpus (seconds at 100,000 letters).
                refreshed = self.library.index.refresh(only=report.stored)
            except Exception as error:  # noqa: BLE001 - the letters arrived; only the index is behind
                index_error = render.error_text(error)
        self.post_message(SyncFinished(report=report, refreshed=refreshed, index_error=index_error))

    def _show_sync(self, update: SyncUpdate) -> None:
        status = self.reader.query_one(IndexStatus)
        if update.total:
            status.progress(update.done, update.total, text=update.text)
        else:
            status.start(update.text)

    def on_sync_update(self, message: SyncUpdate) -> None:
        if self._sync_cancel is not None:
            self._show_sync(message)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self._sync_cancel = None
        reader = self.reader
        reader.query_one(IndexStatus).finish()
        if message.error:
            self.notify(render.message(f"Sync failed: {message.error}"), title="Sync", severity="error", markup=False)
            return
        report = message.report
        self.notify(render.message(sync_summary(report)), title="Sync", markup=False,
                    severity="warning" if not report.ok else "information")
        if message.index_error:
            self.notify(render.message(f"The letters are in the corpus, but the index was not updated: {message.index_error}"),
                        title="Search index", severity="warning", markup=False)
        if message.refreshed is not None:
            reader.reload_letters(new=report.stored)  # the letters it stored are marked new

    async def action_quit(self) -> None:
        if self._sync_cancel is not None:
            self._sync_cancel.set()  # the sync stops after its current request; what it stored is kept
        await super().action_quit()


def _search_rows(app: App) -> list[tuple[str, str]]:
    from briefreader.ui.screens.help import binding_rows

    rows = binding_rows(app, [SearchPanel])
    rows.insert(0, ("enter", "open the letter at the highlighted snippet, or run the \"did you mean\" suggestion"))
    rows.insert(0, ("(type)", "search as you type: each matching letter once, with its best paragraphs"))
    return rows
