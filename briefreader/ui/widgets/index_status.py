"""A line at the bottom that shows the index being built or refreshed (or a sync running), with a progress bar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import ProgressBar, Static

from briefreader.ui import render


class IndexStatus(HorizontalGroup):
    """Hidden while the index is up to date; a label and a progress bar while it is being refreshed.

    The bar exists only while it is needed: an idle indeterminate bar would keep animating.
    """

    def compose(self) -> ComposeResult:
        yield Static(render.notice("Checking the index…"), id="index-label", markup=False)

    def _bar(self) -> ProgressBar:
        bars = self.query(ProgressBar)
        if bars:
            return bars.first()
        bar = ProgressBar(total=None, show_eta=False, id="index-progress")
        self.mount(bar)
        return bar

    def start(self, text: str = "Updating the search index…") -> None:
        """Show the line with an indeterminate bar."""
        self.query_one("#index-label", Static).update(render.notice(text))
        self._bar().update(total=None, progress=0)
        self.display = True

    def progress(self, done: int, total: int, text: str | None = None) -> None:
        """`done` of `total` letters indexed (or what `text` says is `done` of `total`)."""
        self.query_one("#index-label", Static).update(
            render.notice(text or f"Indexing {done:,} of {total:,} letters · you can read meanwhile")
        )
        self._bar().update(total=max(total, 1), progress=done)
        self.display = True

    def finish(self) -> None:
        """Hide the line and drop the bar."""
        self.display = False
        self.query(ProgressBar).remove()
