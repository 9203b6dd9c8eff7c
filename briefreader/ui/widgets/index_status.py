"""A line at the bottom that shows the index being built or refreshed, with a progress bar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import ProgressBar, Static

from briefreader.ui import render


class IndexStatus(HorizontalGroup):
    """Hidden while the index is up to date; a label and a progress bar while it is being refreshed."""

    def compose(self) -> ComposeResult:
        yield Static(render.notice("Checking the index…"), id="index-label", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="index-progress")

    def start(self, text: str = "Updating the search index…") -> None:
        """Show the line with an indeterminate bar."""
        self.query_one("#index-label", Static).update(render.notice(text))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.display = True

    def progress(self, done: int, total: int) -> None:
        """`done` of `total` letters indexed."""
        self.query_one("#index-label", Static).update(
            render.notice(f"Indexing {done:,} of {total:,} letters · you can read meanwhile")
        )
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.display = True

    def finish(self) -> None:
        """Hide the line."""
        self.display = False
