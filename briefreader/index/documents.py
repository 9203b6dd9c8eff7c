"""What the index keeps of a letter: its `LetterInfo`, and the one Whoosh document it becomes.

The document layout, stated once (everything that reads the index by position relies on it):

    A letter is one Whoosh document. Its paragraphs and list items, in reading order, are the
    blocks of the `text` field, its footnotes the blocks of the `notes` field, its section titles
    the blocks of the `heading` field. A field's words are numbered from 0 through its blocks, in
    order, skipping stop words, with `BLOCK_GAP` numbers left out after every block, so a phrase
    never runs from one block into the next. The stored `layout` lists the blocks with the range
    of word numbers each one holds (`Block.start`, `Block.end`), its text, what it is and its
    section: a word found at a position is found in the block whose range holds it.

Letter-wide fields (`title`, `signatory`, `date`, `dossier`, `nr`, `tag`) are fields of the same
document. The `LetterInfo` of every letter is kept apart from Whoosh, in the letters table
(`briefreader.index.letters_table`), so listing 100,000 letters does not read 100,000 documents.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, NamedTuple

from briefreader.analysis import term, words
from briefreader.index.errors import IndexDamaged
from briefreader.index.info import LetterInfo, SectionInfo
from briefreader.index.schema import KIND_FOOTNOTE, NOTES_FIELD, TEXT_FIELD, TermPositions, dossier_terms
from briefreader.model import Letter

#: Word numbers left out after each block (see the module docstring).
BLOCK_GAP = 1
#: How much of a letter's first paragraph `LetterInfo.summary` keeps (characters).
SUMMARY_LENGTH = 300
#: No section: a block before the first section, or a footnote whose marker was not found.
NO_SECTION = -1


class Block(NamedTuple):
    """A paragraph, list item or footnote of a letter, as the index stores it (see the module docstring)."""

    kind: str
    #: The letter-wide paragraph position (as in `Letter.paragraphs()`), or the footnote number.
    number: int
    #: Index into `Layout.sections`, or `NO_SECTION`.
    section: int
    #: `text` or `notes`.
    field: str
    start: int
    end: int
    text: str


class Layout(NamedTuple):
    """What a letter's document stores to find its hits again: its sections (title, and the
    range of word numbers of the title in `heading`, empty for an untitled section) and its blocks."""

    sections: tuple[str | None, ...]
    headings: tuple[tuple[int, int], ...]
    blocks: tuple[Block, ...]

    def to_stored(self) -> tuple[Any, ...]:
        """Plain tuples, as Whoosh stores them."""
        return (self.sections, self.headings, tuple(tuple(block) for block in self.blocks))

    @classmethod
    def from_stored(cls, data: object) -> Layout:
        """The inverse of `to_stored()`; `IndexDamaged` if `data` has another shape."""
        try:
            sections, headings, blocks = data  # type: ignore[misc]
            layout = cls(tuple(sections), tuple((int(a), int(b)) for a, b in headings), tuple(Block(*block) for block in blocks))
        except (TypeError, ValueError):
            raise IndexDamaged("a letter's stored layout is malformed") from None
        if len(layout.headings) != len(layout.sections) or not all(0 <= a <= b for a, b in layout.headings):
            raise IndexDamaged("a letter's stored layout is malformed")
        last_end = {TEXT_FIELD: 0, NOTES_FIELD: 0}
        for block in layout.blocks:
            if not (
                block.field in last_end
                and isinstance(block.start, int)
                and isinstance(block.end, int)
                and last_end[block.field] <= block.start <= block.end
                and isinstance(block.section, int)
                and NO_SECTION <= block.section < len(layout.sections)
                and isinstance(block.text, str)
            ):
                raise IndexDamaged("a letter's stored layout is malformed")
            last_end[block.field] = block.end
        return layout


def letter_info(letter_id: str, path: Path, letter: Letter) -> LetterInfo:
    """The `LetterInfo` of a parsed letter."""
    sections: list[tuple[str | None, int]] = []
    position = 0
    for section in letter.sections:
        sections.append((section.title, position))
        position += len(section.paragraphs)
    cites: list[str] = []
    for reference in letter.references:
        if reference.kst_id not in cites:
            cites.append(reference.kst_id)
    return LetterInfo.of(
        id=letter_id,
        folder=path.parent,
        file=path.name,
        title=letter.title,
        date=letter.date.isoformat() if letter.date else None,
        dossiers=tuple((d.number, d.title) for d in letter.dossiers),
        number=letter.number,
        kst_id=letter.kst_id,
        signatories=tuple((s.function, s.name) for s in letter.signatories),
        section_rows=tuple(sections),
        cites=tuple(cites),
        tags=tuple(letter.tags),
        paragraphs=position,
        footnotes=len(letter.footnotes),
        warnings=tuple(letter.warnings),
        summary=_summary(letter),
    )


def _summary(letter: Letter) -> str:
    for _, _, paragraph in letter.paragraphs():
        text = " ".join(paragraph.text.split())
        if text:
            if len(text) <= SUMMARY_LENGTH:
                return text
            cut = text.rfind(" ", 0, SUMMARY_LENGTH)
            return text[: cut if cut > SUMMARY_LENGTH // 2 else SUMMARY_LENGTH].rstrip(" ,;:") + "…"
    return ""


class _Field:
    """The words of one field of a letter, block by block (see the module docstring)."""

    def __init__(self) -> None:
        self.positions: dict[str, list[int]] = {}
        self.next = 0

    def add(self, text: str) -> tuple[int, int]:
        """Add one block's words; returns the range of word numbers it got."""
        start = position = self.next
        positions = self.positions
        for word in words(text):
            found = term(word)
            if found:
                positions.setdefault(found, []).append(position)
                position += 1
        self.next = position + BLOCK_GAP
        return start, position

    def value(self) -> TermPositions:
        return TermPositions(self.positions.items())


def letter_document(info: LetterInfo, letter: Letter) -> dict[str, Any]:
    """The Whoosh document of one letter (see the module docstring)."""
    text, notes, headings = _Field(), _Field(), _Field()
    section_titles: list[str | None] = []
    heading_ranges: list[tuple[int, int]] = []
    blocks: list[Block] = []
    marker_section: dict[int, int] = {}
    position = 0
    for index, section in enumerate(letter.sections):
        section_titles.append(section.title)
        heading_ranges.append(headings.add(section.title) if section.title else (0, 0))
        for paragraph in section.paragraphs:
            for note in paragraph.notes:
                marker_section.setdefault(note.n, index)
            if paragraph.text.strip():
                start, end = text.add(paragraph.text)
                blocks.append(Block(paragraph.kind, position, index, TEXT_FIELD, start, end, paragraph.text))
            position += 1
    for footnote in letter.footnotes:
        if footnote.text.strip():
            start, end = notes.add(footnote.text)
            blocks.append(Block(KIND_FOOTNOTE, footnote.n, marker_section.get(footnote.n, NO_SECTION), NOTES_FIELD, start, end, footnote.text))

    document: dict[str, Any] = {
        "letter": info.id,
        TEXT_FIELD: text.value(),
        NOTES_FIELD: notes.value(),
        "heading": headings.value(),
        "layout": Layout(tuple(section_titles), tuple(heading_ranges), tuple(blocks)).to_stored(),
    }
    if letter.title:
        document["title"] = letter.title
    if letter.signatories:
        document["signatory"] = " ; ".join(f"{s.function} {s.name}" for s in letter.signatories)
    if letter.date:
        document["date"] = _dt.datetime.combine(letter.date, _dt.time())
    if letter.dossiers:
        document["dossier"] = dossier_terms([d.number for d in letter.dossiers])
    if letter.number:
        document["nr"] = letter.number
    if letter.tags:
        document["tag"] = ",".join(letter.tags)
    return document


__all__ = [
    "BLOCK_GAP",
    "NO_SECTION",
    "SUMMARY_LENGTH",
    "Block",
    "Layout",
    "LetterInfo",
    "SectionInfo",
    "letter_document",
    "letter_info",
]
