"""The letter list and the index: new letters marked, the list read again, the index refreshed.

The index refresh runs in a worker thread while the reader reads, with a progress line at the
bottom; when it changed anything, the letter list is read again, keeping the reader's place.
`LettersMixin` is part of `ReaderScreen`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from briefreader.ui import render
from briefreader.ui.screens.reader.requests import OpenRequest
from briefreader.ui.widgets.index_status import IndexStatus
from briefreader.ui.widgets.letter_tree import Listing, group_letters

#: Seconds between two progress updates of the index refresh (older ones would only be dropped).
PROGRESS_INTERVAL = 0.1


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


class LettersListed(Message):
    """The letter list was read (it is read after the first screen: see `Library`), and grouped
    for the tree."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        super().__init__()


class LettersReread(Message):
    """The letter list was read again after the corpus changed, and grouped for the tree; `new`
    are letters to mark as new."""

    def __init__(self, listing: Listing, new: frozenset[str]) -> None:
        self.listing, self.new = listing, new
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


class LettersMixin(MessagePump):
    """The letter list and the index refresh (part of `ReaderScreen`)."""

    # -- the letter list ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="listing")
    def list_letters(self) -> None:
        """Read the letter list (after the first screen, when the library was opened without it)."""
        self.library.reload()
        listing = group_letters(self.library.letters)  # here, not on the event loop
        if not get_current_worker().is_cancelled:
            self.post_message(LettersListed(listing))

    def on_letters_listed(self, message: LettersListed) -> None:
        self.tell_index_error()
        tree = self.letter_tree
        tree.set_letters(message.listing, new=tree.new_letters)
        tree.open_newest()
        letter_id = self.view.letter_id
        if letter_id is not None:
            tree.show_letter(letter_id, expand=True)
            # The letter on screen was shown before the list was read: without its links.
            self.run_worker(functools.partial(self._add_links, letter_id), group="links")
        self.after_listing()

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

    def reload_letters(self, *, new: Iterable[str] = ()) -> None:
        """Read the letter list again after the corpus changed (an index refresh, `add`, a sync), and
        fill the tree anew, keeping the reader's place: the letter shown stays where it is (read
        again, in case its file changed), its place in the tree is opened, and letters that
        arrived since the reader was last opened, and `new`, are marked new.

        The list is read in a thread (100,000 letters take about a second after the index
        changed); the tree is filled when it is read. The hook for a "sync now" action: fetch the
        new letters, refresh the index, then call this.
        """
        self._read_letters_again(frozenset(new))

    @work(thread=True, exclusive=True, group="relisting")
    def _read_letters_again(self, new: frozenset[str]) -> None:
        self.library.forget()
        self.library.reload()
        listing = group_letters(self.library.letters)  # here, not on the event loop
        if not get_current_worker().is_cancelled:
            self.post_message(LettersReread(listing, new))  # a message: dropped if the reader closed meanwhile

    def on_letters_reread(self, message: LettersReread) -> None:
        tree = self.letter_tree
        expanded = tree.expanded_letters()
        tree.set_letters(message.listing, new=tree.new_letters | message.new)
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
        if self.panel.typed.strip():
            self.panel.search(self.panel.typed)  # the results as the corpus is now

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
            self.post_message(IndexDone(error=render.error_text(error)))
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
