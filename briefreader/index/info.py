"""What the index knows of a letter without parsing it again: `LetterInfo` (what lists it) and
`LetterDetails` (the rest, unpacked when asked for), and how the letters table packs them.

No Whoosh here: the reader reads its first letter from the letters table before anything of the
search engine is imported.
"""

from __future__ import annotations

import functools
import pickle
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from briefreader.index.errors import IndexDamaged


class SectionInfo(NamedTuple):
    """A section of a letter: its title (None for the untitled opening) and the letter-wide
    position of its first paragraph (as in `Letter.paragraphs()`)."""

    title: str | None
    paragraph: int


class LetterDetails(NamedTuple):
    """What the index knows of a letter beyond what lists it: read when the letter is shown."""

    signatories: tuple[tuple[str, str], ...] = ()
    #: (title, first paragraph) of each section; `LetterInfo.sections` gives them as `SectionInfo`.
    section_rows: tuple[tuple[str | None, int], ...] = ()
    cites: tuple[str, ...] = ()
    #: How many paragraphs (and list items) and footnotes the letter has.
    paragraphs: int = 0
    footnotes: int = 0
    #: The parser's and the sidecar's warnings about this letter.
    warnings: tuple[str, ...] = ()
    #: The start of the letter's first paragraph (at most `SUMMARY_LENGTH` characters).
    summary: str = ""


#: A `LetterDetails` that can't be read: the letter still lists. A row whose checksum differs is
#: also found by the next refresh, which checks every row and rebuilds the index.
DAMAGED_DETAILS = LetterDetails(warnings=("the index's entry for this letter is damaged; `briefreader index --rebuild` reads the letters again",))
_CRC_SIZE = 4


def pack(value: object) -> bytes:
    """A CRC-32 and a pickle of `value` (the letters table's values; see `unpack`)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.crc32(payload).to_bytes(_CRC_SIZE, "big") + payload


def packed_intact(data: object) -> bool:
    """Whether `data` is what `pack` wrote (its checksum matches)."""
    return isinstance(data, bytes) and zlib.crc32(data[_CRC_SIZE:]) == int.from_bytes(data[:_CRC_SIZE], "big")


def unpack(data: bytes) -> Any:
    """The value `pack` packed; `IndexDamaged` if its checksum differs (nothing is unpickled then)
    or it can't be unpickled. Only plain values are packed (tuples, strings, numbers), never a
    class of ours, so a row does not depend on where a class lives."""
    if not packed_intact(data):
        raise IndexDamaged("the letters table is damaged (a row's checksum differs)")
    try:
        return pickle.loads(data[_CRC_SIZE:])
    except Exception as error:  # noqa: BLE001 - whatever unpickling raises, the row is unusable
        raise IndexDamaged(f"the letters table is damaged (a row can't be read: {error.__class__.__name__})") from None


class _Listing(NamedTuple):
    id: str
    folder: Path
    file: str
    title: str | None
    date: str | None
    dossiers: tuple[tuple[str, str | None], ...] = ()
    number: str | None = None
    kst_id: str | None = None
    tags: tuple[str, ...] = ()
    #: `LetterDetails`, packed (`pack`): unpacked when first asked for.
    packed_details: bytes = b""


class LetterInfo(_Listing):
    """What the index knows about a letter, enough to list it and build a contents tree.

    Read from the letters table, never by parsing the letter again. A named tuple of what lists
    a letter (100,000 of them are read at start-up); the rest (`LetterDetails`: sections,
    signatories, citations, summary) stays packed until one of them is asked for. Make one with
    `LetterInfo.of`.
    """

    @classmethod
    def of(
        cls,
        id: str,
        folder: Path,
        file: str,
        title: str | None,
        date: str | None,
        dossiers: tuple[tuple[str, str | None], ...] = (),
        number: str | None = None,
        kst_id: str | None = None,
        tags: tuple[str, ...] = (),
        **details: Any,
    ) -> LetterInfo:
        """A `LetterInfo` from all its values (`details`: the fields of `LetterDetails`)."""
        return cls(id, folder, file, title, date, dossiers, number, kst_id, tags, pack(tuple(LetterDetails(**details))))

    @functools.cached_property
    def details(self) -> LetterDetails:
        """The letter's details, unpacked once."""
        if not self.packed_details:
            return LetterDetails()
        try:
            values = unpack(self.packed_details)
        except IndexDamaged:
            return DAMAGED_DETAILS
        if not isinstance(values, tuple) or len(values) != len(LetterDetails._fields):
            return DAMAGED_DETAILS
        return LetterDetails._make(values)

    signatories = property(lambda self: self.details.signatories, doc="(function, name) of each signer.")
    section_rows = property(lambda self: self.details.section_rows, doc="(title, first paragraph) of each section.")
    cites = property(lambda self: self.details.cites, doc="The kst ids the letter cites.")
    paragraphs = property(lambda self: self.details.paragraphs, doc="How many paragraphs and list items.")
    footnotes = property(lambda self: self.details.footnotes, doc="How many footnotes.")
    warnings = property(lambda self: self.details.warnings, doc="The parser's and the sidecar's warnings.")
    summary = property(lambda self: self.details.summary, doc="The start of the first paragraph.")

    @property
    def path(self) -> Path:
        """The letter file."""
        return self.folder / self.file

    @property
    def sections(self) -> tuple[SectionInfo, ...]:
        """The letter's sections, in order."""
        return tuple(SectionInfo(title, paragraph) for title, paragraph in self.section_rows)

    @property
    def display_title(self) -> str:
        """The title, or the letter id when the letter has none."""
        return self.title or self.id


__all__ = ["DAMAGED_DETAILS", "LetterDetails", "LetterInfo", "SectionInfo", "pack", "packed_intact", "unpack"]
