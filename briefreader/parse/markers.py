"""Footnote markers: digits glued to a word or punctuation (`asielpact1`, `overgestoken.2`, `EASO3`,
`(2019)4`, `september 20201`), told apart from digits that are data (`CO2`, `G20`, `COVID-19`, `nr. 703`).

A candidate only becomes a marker when a footnote with that number exists and the order fits: markers
run 1, 2, 3 through the text. Where a number has several candidates, one glued to punctuation wins.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from briefreader.model import Note

#: Digits glued to a letter or to closing punctuation, not followed by another digit or letter.
_GLUED = re.compile(r"(?:(?<=[^\W\d_])|(?<=[.,;:!?)\]»”’\"']))(\d{1,3})(?![\d\w])")
#: A year with the marker glued on: `september 20201` is 2020 + marker 1.
_YEAR_GLUED = re.compile(r"(?<![\d\w.,])((?:19|20)\d\d)(\d{1,2})(?![\d\w])")
#: Any digit: a text without one has no candidates but the OCR's stand-ins (most lines of a letter).
_DIGIT = re.compile(r"\d")
_SENTENCE_GOES_ON = re.compile(r"$|\s+[A-ZÀ-Ý(‘“\"']|\s*$")
#: Tokens that end in digits but are data, not markers.
_DATA_TOKENS = {
    "CO2", "NO2", "SO2", "N2O", "CH4", "PM10", "PM2", "G7", "G8", "G20", "MH17", "H2", "O2", "O3",
    "NOX", "A2", "A4", "A12", "B1", "B2", "C1", "C2", "F16", "F35", "U21", "T1", "T2", "Q1", "Q2", "Q3", "Q4",
}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """Digits at `start`..`end` of paragraph `paragraph` that could be marker `n`."""

    paragraph: int
    start: int
    end: int
    n: int
    strong: bool  # glued to punctuation: `overgestoken.2`, `(2019)4`

    @property
    def key(self) -> tuple[int, int]:
        return (self.paragraph, self.start)


def _token_before(text: str, start: int) -> str:
    j = start
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return text[j:start]


#: The archive's OCR reads a raised footnote digit 1 as `'` or `^` (`Nederlanden',`, `166).^`).
_OCR_ONE = re.compile(r"(?<=[^\W\d_]|[.,;:)])(['^])(?=[\s,.;:)]|$)")


def candidates(text: str, paragraph: int = 0, ocr: bool = False) -> list[Candidate]:
    """Every place in `text` where a footnote marker could stand, in order (with `ocr`, also the
    OCR's stand-ins for the digit 1)."""
    found: list[Candidate] = []
    if ocr:
        for match in _OCR_ONE.finditer(text):
            found.append(Candidate(paragraph, match.start(), match.end(), 1, strong=False))
    if not _DIGIT.search(text):
        return found
    for match in _GLUED.finditer(text):
        start, end = match.span(1)
        before = text[start - 1]
        token = _token_before(text, start)
        if before in ".," and start >= 2 and text[start - 2].isdigit():
            # `3,6`, `14.30 uur` and `217.735` are numbers; `2026.3 Het` and `nr. 651.4` end a
            # sentence with a marker: a period, a short number, then the end or a new sentence.
            if before == "," or end - start > 2 or not _SENTENCE_GOES_ON.match(text, end):
                continue
        if before.isalpha():
            word = token + match.group(1)
            if word.upper() in _DATA_TOKENS or len(token.rstrip("-")) == 1:
                continue
        found.append(Candidate(paragraph, start, end, int(match.group(1)), strong=not before.isalnum()))
    for match in _YEAR_GLUED.finditer(text):
        start, end = match.span(2)
        found.append(Candidate(paragraph, start, end, int(match.group(2)), strong=False))
    found.sort(key=lambda c: c.start)
    return found


def glued_numbers(text: str, ocr: bool = False) -> set[int]:
    """The numbers that appear glued in `text` (for "has footnote n's marker appeared yet?")."""
    return {c.n for c in candidates(text, ocr=ocr)}


def choose_markers(found: list[Candidate], numbers: list[int]) -> dict[int, Candidate]:
    """Pick one candidate per footnote number so that the markers run in order through the text.

    For footnote n, only candidates after footnote n-1's marker count, and only those before the
    first possible marker of n+1 that comes after them; of these a punctuation-glued one wins, else
    the first.
    """
    by_number: dict[int, list[Candidate]] = {}
    for candidate in found:
        by_number.setdefault(candidate.n, []).append(candidate)
    chosen: dict[int, Candidate] = {}
    last = (-1, -1)
    ordered = sorted(numbers)
    for k, n in enumerate(ordered):
        pool = by_number.get(n, [])
        keys = [c.key for c in pool]
        pool = pool[bisect.bisect_right(keys, last) :]
        if not pool:
            continue
        if k + 1 < len(ordered):
            following = [c.key for c in by_number.get(ordered[k + 1], []) if c.key > pool[0].key]
            if following:
                limit = following[0]
                # If n+1's only candidates come before some of n's, those of n can't be the marker.
                pool = [c for c in pool if c.key < limit] or pool[:1]
        strong = [c for c in pool if c.strong]
        pick = strong[0] if strong else pool[0]
        chosen[n] = pick
        last = pick.key
    return chosen


def strip_markers(text: str, marks: list[Candidate]) -> tuple[str, tuple[Note, ...]]:
    """Remove the markers' digits from `text`; each Note records where its marker stood."""
    out: list[str] = []
    notes: list[Note] = []
    position = 0
    removed = 0
    for mark in sorted(marks, key=lambda c: c.start):
        out.append(text[position : mark.start])
        notes.append(Note(mark.n, mark.start - removed))
        removed += mark.end - mark.start
        position = mark.end
    out.append(text[position:])
    return "".join(out), tuple(notes)
