"""A line at the bottom that shows the index being built or refreshed (or a sync running), with a progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Static

from briefreader.ui import render

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


class IndexStatus(HorizontalGroup):
    """Hidden while the index is up to date; a label and a progress bar while it is being refreshed.

    The bar exists only while it is needed: an idle indeterminate bar would keep animating. (Its
    module, too, is imported when the bar is first shown, not before the first screen.)
    """

    def compose(self) -> ComposeResult:
        yield Static(render.notice("Checking the index…"), id="index-label", markup=False)

    def _bar(self) -> ProgressBar:
        bars = self.query("#index-progress")
        if bars:
            return bars.first()
        from textual.widgets import ProgressBar

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
        self.query("#index-progress").remove()
