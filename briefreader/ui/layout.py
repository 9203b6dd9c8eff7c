"""Where the lines of a letter go: line breaking, and the positions of blocks in a long letter.

The letter view draws only the lines on screen (see `briefreader.ui.widgets.letter_view`). For that
it needs two things this module gives, without Textual:

- `wrap(text, width)`: where a block's text breaks into lines. Rich's `divide_line` (which
  Textual uses) costs about 250 µs for a 500-character paragraph, so laying out a 60-page letter
  with it takes a third of a second; this greedy breaker gives the same breaks, a line at a time
  for text of narrow characters (a 1,000-paragraph letter in about 40 ms instead of 200), and the
  view renders each line from these very offsets, so layout and drawing always agree.
- `Layout`: the top of each block at one width, measured for a prefix of the blocks and extended
  on demand (to the lines about to be drawn, to a paragraph being jumped to) or in small steps in
  the background. Blocks not measured yet count with an estimate, so the scrollbar is right
  roughly at once and exactly once the background pass is done. Everything above a measured
  block is measured, so what is on screen never moves when the estimate is replaced.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable

from rich.cells import cell_len, get_character_cell_size

__all__ = ["Layout", "wrap"]

_WORD = re.compile(r"\S+")


def _fold(text: str, start: int, end: int, width: int) -> list[int]:
    """Offsets inside text[start:end] (one word wider than `width`) where it must be cut."""
    cuts: list[int] = []
    cells = 0
    for offset in range(start, end):
        size = get_character_cell_size(text[offset])
        if cells + size > width and cells > 0:
            cuts.append(offset)
            cells = 0
        cells += size
    return cuts


#: Characters one cell wide (as Rich measures them) that are not white space: Latin (with
#: accents), Greek, Cyrillic, and general punctuation, superscripts and currency signs
#: (’ “ ” – — … ¹ ⁴ €). tests/test_ui_lines.py checks with Rich that each is one cell wide
#: (asking Rich here, for each, cost 5-10 ms of every start).
NARROW_RANGES = ((0x21, 0x7E), (0xA1, 0x2FF), (0x370, 0x482), (0x2010, 0x2027), (0x2030, 0x205E), (0x2070, 0x20CF))

#: Text made of these characters and plain spaces is as wide as it is long.
_NARROW = frozenset(chr(code) for low, high in NARROW_RANGES for code in range(low, high + 1)) | {" "}


def _wrap_line(text: str, start: int, end: int, width: int, hang: int, first: bool) -> list[tuple[int, int]]:
    """Break text[start:end] (no newline in it) into (start, end) lines.

    Text of narrow characters and plain spaces (nearly every letter) breaks a line at a time: the
    last space before the width, found by `str.rfind`. Anything else, or a word wider than a line,
    goes word by word (`_wrap_words`), which gives the same breaks.
    """
    if not _NARROW.issuperset(text[start:end]):
        return _wrap_words(text, start, end, width, hang, first)
    lines: list[tuple[int, int]] = []
    line_start = start
    limit = width if first else width - hang
    while end - line_start > limit:
        cut = line_start + limit  # the first cell that doesn't fit
        space = cut if text[cut] == " " else text.rfind(" ", line_start, cut)
        line_end = line_start + len(text[line_start:space].rstrip(" ")) if space >= 0 else line_start
        if line_end == line_start:  # no word fits: one wider than the line, to fold
            return lines + _wrap_words(text, line_start, end, width, hang, first and not lines)
        lines.append((line_start, line_end))
        following = _next_word(text, line_end, end)
        if following >= end:
            return lines
        line_start = following
        limit = width - hang
    line_end = line_start + len(text[line_start:end].rstrip(" "))
    if line_end > line_start or not lines:
        lines.append((line_start, line_end))
    return lines


def _next_word(text: str, position: int, end: int) -> int:
    """Where the first word at or after `position` starts (`end` if there is none)."""
    match = _WORD.search(text, position, end)
    return match.start() if match else end


def _wrap_words(text: str, start: int, end: int, width: int, hang: int, first: bool) -> list[tuple[int, int]]:
    """Break text[start:end] (no newline in it) into (start, end) lines, word by word."""
    lines: list[tuple[int, int]] = []
    simple = text.isascii() if end - start == len(text) else text[start:end].isascii()
    line_start = start
    line_end = start  # end of the last word placed on the current line
    limit = width if first else width - hang
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        used = (word_end - line_start) if simple else cell_len(text[line_start:word_end])
        if used <= limit:
            line_end = word_end
            continue
        if line_end > line_start:
            lines.append((line_start, line_end))
            line_start = word_start
            limit = width - hang
            used = (word_end - word_start) if simple else cell_len(text[word_start:word_end])
            if used <= limit:
                line_end = word_end
                continue
        # A word wider than a whole line (a long URL): fold it where the cells run out.
        cuts = _fold(text, word_start, word_end, max(1, limit))
        for cut in cuts:
            lines.append((line_start, cut))
            line_start = cut
            limit = width - hang
        line_end = word_end
    if line_end > line_start or not lines:
        lines.append((line_start, max(line_end, line_start)))
    return lines


def wrap(text: str, width: int, *, hang: int = 0) -> list[tuple[int, int]]:
    """The lines of `text` broken at spaces to at most `width` cells, as (start, end) offsets.

    A newline always breaks; a word wider than the width is folded; the spaces at a break belong
    to no line (lines never start or end with the space they broke at). Lines after the first
    have `hang` cells less (a hanging indent). Empty text is one empty line.
    """
    width = max(1, width)
    hang = min(max(0, hang), width - 1)
    lines: list[tuple[int, int]] = []
    start = 0
    first = True
    while True:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        lines.extend(_wrap_line(text, start, end, width, hang, first))
        first = False
        if newline < 0:
            return lines
        start = newline + 1


class Layout:
    """The top and height (in lines) of each of `count` blocks at one width.

    `measure(i)` gives block i's exact height, `estimate(i)` a cheap guess. Blocks are measured in
    order from the first; `ensure()` measures up to a block or a line, `step()` a little more.
    """

    def __init__(self, count: int, measure: Callable[[int], int], estimate: Callable[[int], int]) -> None:
        self.count = count
        self._measure = measure
        self._estimate = estimate
        #: tops[i] for every measured block, plus the bottom of the last measured one.
        self._tops: list[int] = [0]
        self._estimates = [max(0, estimate(i)) for i in range(count)]
        self._unmeasured = sum(self._estimates)

    @property
    def measured(self) -> int:
        """How many blocks (from the first) have their exact height."""
        return len(self._tops) - 1

    @property
    def done(self) -> bool:
        """True once every block is measured: `height` is exact."""
        return self.measured >= self.count

    @property
    def height(self) -> int:
        """The letter's height in lines: exact for the measured blocks, estimated for the rest."""
        return self._tops[-1] + self._unmeasured

    def _measure_next(self) -> None:
        index = self.measured
        self._tops.append(self._tops[-1] + max(0, self._measure(index)))
        self._unmeasured -= self._estimates[index]

    def ensure(self, block: int | None = None, *, y: int | None = None) -> None:
        """Measure every block up to `block` (inclusive), and until the measured part reaches line `y`."""
        if block is not None:
            while self.measured <= min(block, self.count - 1):
                self._measure_next()
        if y is not None:
            while self._tops[-1] <= y and not self.done:
                self._measure_next()

    def finish(self) -> None:
        """Measure every block."""
        self.ensure(self.count - 1)

    def step(self, seconds: float) -> bool:
        """Measure more blocks for about `seconds`; True when all are measured."""
        deadline = time.perf_counter() + seconds
        while not self.done:
            self._measure_next()
            if time.perf_counter() >= deadline:
                break
        return self.done

    def top(self, block: int) -> int:
        """The first line of `block` (measuring up to it if needed)."""
        self.ensure(block)
        return self._tops[block]

    def bottom(self, block: int) -> int:
        """The line after `block` (measuring up to it if needed)."""
        self.ensure(block)
        return self._tops[block + 1]

    def block_at(self, y: int) -> int | None:
        """The block that line `y` belongs to (measuring up to it), or None past the end."""
        if y < 0:
            return None
        self.ensure(y=y)
        if y >= self._tops[-1]:
            return None
        return bisect_right(self._tops, y) - 1
