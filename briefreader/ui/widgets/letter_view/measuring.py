"""Layout measuring: the text width, where each block's text breaks into lines, and the view's height.

`briefreader.ui.layout` knows where each block starts; this part of the letter view measures only
as far as needed at once and the rest of a long letter in small steps in the background (only the
scrollbar sees the guessed heights meanwhile), pausing while the user presses keys.
`MeasuringMixin` is part of `LetterView`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol, runtime_checkable

from textual.geometry import Size

from briefreader.ui.layout import Layout, wrap

#: Lines of text are at most this many cells wide: longer lines are hard to follow on a wide terminal.
MAX_WIDTH = 110
#: Seconds of layout work between two turns of the event loop while a long letter is measured in
#: the background, so a key waits at most about this long.
LAYOUT_STEP = 0.004
#: Seconds the background measuring waits after the user's last key (or scroll, or click): while
#: keys come in, each has the event loop to itself instead of sharing it with the measuring.
INPUT_QUIET = 0.2

#: Until a block is measured its height is guessed (only the scrollbar sees the guess): a header
#: runs to about this many lines, and a paragraph loses about a tenth of each line to word breaks.
HEADER_ESTIMATE = 6
WRAP_WASTE = 1.1


@runtime_checkable
class TracksInput(Protocol):
    """An app that says when the user last pressed a key or used the mouse (`ReaderApp` does)."""

    #: `time.monotonic()` at the user's last key, scroll or click.
    last_input: float


class MeasuringMixin:
    """The layout for the current width (part of `LetterView`)."""

    def _widths(self) -> tuple[int, int]:
        view = self.scrollable_content_region.width
        return min(MAX_WIDTH, view), view

    def _ensure_layout(self) -> Layout | None:
        """The layout for the current width (made, or made again after a resize keeping the place)."""
        if self.document is None:
            return None
        key = self._widths()
        if key[0] <= 0:
            return None
        if self._line_layout is not None and self._line_layout_key == key:
            return self._line_layout
        keep = self.spot if self._line_layout is not None and self._pending_spot is None else None
        blocks = self.document.blocks
        self._line_layout_key = key
        self._wrap_cache.clear()
        self._strip_cache.clear()
        self._line_layout = Layout(len(blocks), self._measure, self._estimate)
        if keep is not None and self._pending_spot is None:
            self._pending_spot = keep
        self._update_size()
        if not self._line_layout.done:
            # The function, not a coroutine: a worker cancelled before it starts leaves nothing unawaited.
            self.run_worker(self._measure_rest, exclusive=True, group="layout")
        return self._line_layout

    def _measure(self, index: int) -> int:
        block = self.document.blocks[index]  # type: ignore[union-attr]
        return block.rows_around + len(self._wrap(index))

    def _estimate(self, index: int) -> int:
        block = self.document.blocks[index]  # type: ignore[union-attr]
        width = max(10, self._line_layout_key[0] - block.indent) if self._line_layout_key else 80
        text = block.paragraph.text if block.paragraph else block.footnote.text if block.footnote else block.text
        if block.kind == "header":
            return block.rows_around + HEADER_ESTIMATE
        return block.rows_around + 1 + int(len(text) * WRAP_WASTE / width)

    def _wrap(self, index: int) -> list[tuple[int, int]]:
        """Where block `index`'s text breaks into lines at the current width."""
        assert self._line_layout_key is not None
        key = (index, self._line_layout_key[0])
        lines = self._wrap_cache.get(key)
        if lines is None:
            block = self.document.blocks[index]  # type: ignore[union-attr]
            width = max(1, self._line_layout_key[0] - block.indent)
            lines = wrap(self._content(index, plain=True).plain, width, hang=block.hang)
            self._wrap_cache[key] = lines
        return lines

    async def _measure_rest(self) -> None:
        """Measure the rest of a long letter a little at a time, so keys are answered meanwhile.

        The scrollbar learns the exact height once, at the end: every change of the view's size
        makes Textual lay out and redraw the whole screen, which costs more than the measuring.
        """
        layout = self._line_layout
        while layout is not None and layout is self._line_layout and not layout.done:
            wait = self._input_pause()
            if wait > 0:
                await asyncio.sleep(min(wait, 0.05))  # then asks again: a newer key waits longer
                continue
            layout.step(LAYOUT_STEP)
            await asyncio.sleep(0)
        if layout is not None and layout is self._line_layout:
            self._update_size()

    def _input_pause(self) -> float:
        """Seconds the background measuring should still wait for the user's keys to stop (0: go on)."""
        app = self.app
        if not isinstance(app, TracksInput):
            return 0.0
        return max(0.0, app.last_input + INPUT_QUIET - time.monotonic())

    def _update_size(self) -> None:
        if self._line_layout is not None:
            size = Size(self._widths()[0], self._line_layout.height)
            if size != self.virtual_size:
                self.virtual_size = size
