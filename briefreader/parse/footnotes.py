"""Footnote blocks: find them at the bottom of each page and lift them out of the body.

A footnote block is the tail of a page whose first line starts with the next expected footnote number,
and in which every footnote's marker already appeared in the body text above it. Lines that start
with a number that is not the next expected one (`32 317, nr. 703`, `2022, ...`) continue the
footnote before them; so does text after a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefreader.parse import patterns as P
from briefreader.parse.lines import PAGE, Line
from briefreader.parse.markers import glued_numbers
from briefreader.parse.paragraphs import ends_sentence, starts_lower, url_continues


@dataclass
class RawFootnote:
    """A footnote as found: its number and its lines (blank lines between them dropped)."""

    n: int
    lines: list[str] = field(default_factory=list)
    page: int | None = None
    #: What the reader should know about how it was found (an OCR-damaged number, say).
    warnings: list[str] = field(default_factory=list)


class MarkerIndex:
    """Answers "did footnote n's marker appear in the body so far?" without rescanning the text."""

    def __init__(self, ocr: bool = False) -> None:
        self._numbers: set[int] = set()
        self._ocr = ocr

    def add(self, text: str) -> None:
        self._numbers |= glued_numbers(text, self._ocr)

    def seen(self, n: int, extra: set[int] = frozenset()) -> bool:
        return n in self._numbers or n in extra


def _start(text: str) -> tuple[int, str] | None:
    match = P.FOOTNOTE_START.match(text)
    if not match:
        return None
    return int(match.group(1)), match.group(2)


def _parse_block(
    page: list[Line], start: int, expected: int, seen, strict: bool
) -> tuple[list[RawFootnote], int] | None:
    """Parse page[start:] as footnotes `expected`, `expected+1`, ...; None if it isn't a block.

    Returns the footnotes and where the block ends: the page's end, or earlier where the body goes on.
    When the text above the block stopped mid-sentence and a footnote line that ends a sentence is
    followed by a lower-case line, that line is the body going on (a page start the extractor did not
    mark): `Ook Nederland` / footnotes / `noemde de acties ...`.
    """
    notes: list[RawFootnote] = []
    first = _start(page[start].text)
    if first is None or first[0] != expected:
        return None
    above = [line.text for line in page[:start] if line.is_text]
    body_open = bool(above) and not ends_sentence(above[-1])
    for i in range(start, len(page)):
        line = page[i]
        if not line.is_text:
            continue
        begun = _start(line.text)
        if begun and (not notes or begun[0] == notes[-1].n + 1) and seen(begun[0]):
            notes.append(RawFootnote(begun[0], [begun[1]], page=line.page))
            _split_inline(notes, seen)
        elif notes:
            if strict and begun and begun[0] == expected and len(begun[1]) > 3:
                # A second line starting with the block's first number: that one is the real start.
                return None
            previous = notes[-1].lines[-1]
            if body_open and ends_sentence(previous) and starts_lower(line.text) and not url_continues(previous, line.text):
                return notes, i
            notes[-1].lines.append(line.text)
            _split_inline(notes, seen)
        else:
            return None
    return notes, len(page)


#: Inside a footnote's line, the next footnote's number after a sentence end: `... 1972. 2 Ter inzage`
#: (the archive's OCR puts several footnotes on one line).
_INLINE_START = re.compile(r"(?<=[.;)a-z])\s+(\d{1,2})\s+(?=[A-Z])")


def _split_inline(notes: list[RawFootnote], seen) -> None:
    """Split the last footnote's last line where the next footnote starts inside it.

    The next number must be the expected one and its marker must have appeared; the OCR sometimes
    misreads that number as `1` after a sentence end (`... 1972. 1 Ter inzage`), which is taken as
    the expected number with a warning.
    """
    while True:
        last = notes[-1]
        text = last.lines[-1]
        expected = last.n + 1
        for match in _INLINE_START.finditer(text):
            n = int(match.group(1))
            misread = n == 1 and expected > 1 and text[match.start() - 1] == "." and seen(expected)
            if (n == expected and seen(n)) or misread:
                last.lines[-1] = text[: match.start()].rstrip()
                note = RawFootnote(expected, [text[match.end() :]], page=last.page)
                if misread:
                    note.warnings.append(f"footnote {expected} is numbered 1 in the text (an OCR misreading)")
                notes.append(note)
                break
        else:
            return


def split_footnotes(lines: list[Line], ocr: bool = False) -> tuple[list[Line], list[RawFootnote]]:
    """Lift footnote blocks out of `lines`; returns the body lines and the footnotes.

    Removed blocks leave a PAGE line, so the body on either side can be rejoined. With `ocr` (the
    archive's OCR text), the OCR's stand-ins for a marker 1 count as markers.
    """
    pages: list[list[Line]] = [[]]
    for line in lines:
        if line.kind == PAGE:
            pages.append([line])
        else:
            pages[-1].append(line)
    pages.reverse()  # a stack: the body after a block that ended early goes back on it as a page

    markers = MarkerIndex(ocr)
    expected = 1
    body: list[Line] = []
    footnotes: list[RawFootnote] = []
    while pages:
        page = pages.pop()
        found = _find_block(page, expected, markers)
        if found is None and page and page[0].after_signature:
            found = _unnumbered_note(page, expected, markers)
        kept = page if found is None else page[: found[0]]
        body.extend(kept)
        for line in kept:
            if line.is_text:
                markers.add(line.text)
        if found is not None:
            _start_at, block, end = found
            footnotes.extend(block)
            expected = block[-1].n + 1
            body.append(Line("", PAGE))
            if end < len(page):
                pages.append(page[end:])
    return body, footnotes


def _unnumbered_note(page: list[Line], expected: int, markers: MarkerIndex) -> tuple[int, list[RawFootnote], int] | None:
    """After the signature, one paragraph without a number where footnote `expected` is due and its
    marker stands in the body: the footnote, its number lost (the archive's OCR: `Volksgezondheid.1`
    ... `Ter inzage gelegd op de bibliotheek`)."""
    texts = [(i, line) for i, line in enumerate(page) if line.is_text]
    if not texts or _start(texts[0][1].text) or not markers.seen(expected) or len(texts) > 3:
        return None
    first = texts[0][0]
    note = RawFootnote(expected, [line.text for _i, line in texts], page=texts[0][1].page)
    note.warnings.append(f"footnote {expected} has no number in the text; its marker does")
    return first, [note], len(page)


def _find_block(page: list[Line], expected: int, markers: MarkerIndex) -> tuple[int, list[RawFootnote], int] | None:
    """The footnote block on `page`: (start, footnotes, end), or None."""
    for strict in (True, False):
        for i, line in enumerate(page):
            if not line.is_text:
                continue
            begun = _start(line.text)
            if not begun or begun[0] != expected:
                continue
            before = glued_numbers("\n".join(line.text for line in page[:i] if line.is_text), markers._ocr)
            parsed = _parse_block(page, i, expected, lambda n, seen=before: markers.seen(n, seen), strict)
            if parsed:
                return i, parsed[0], parsed[1]
    return None
