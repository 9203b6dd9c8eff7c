"""The document model: what a Kamerbrief is once its text has been cleaned.

Everything downstream (the CLI, the index, the reader) consumes these frozen dataclasses; the parsers
produce them. Nothing here imports Textual or Whoosh.

Positions are plain character offsets into the clean text of a paragraph or footnote, so a consumer
can mark a footnote marker, a citation or a search hit without ever building a markup string.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

ParagraphKind = Literal["paragraph", "item"]


@dataclass(frozen=True)
class Note:
    """A footnote marker: footnote number `n` stood at character offset `at` of the clean text."""

    n: int
    at: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or list item, with its footnote markers removed from `text` and kept in `notes`."""

    text: str
    kind: ParagraphKind = "paragraph"
    notes: tuple[Note, ...] = ()
    #: The page of the printed letter on which the paragraph starts (1 for the first page), when
    #: the source shows where pages break (page footers, form feeds, PDF pages); None otherwise.
    page: int | None = None


@dataclass(frozen=True)
class Section:
    """A titled part of the letter; the opening part before the first heading has no title."""

    title: str | None
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Footnote:
    """Footnote `n` and its clean text (lines joined, URLs whole)."""

    n: int
    text: str
    #: The page of the printed letter the footnote stands on, when the source shows it; else None.
    page: int | None = None


@dataclass(frozen=True)
class Reference:
    """A citation of another Kamerstuk, e.g. `Kamerstuk 32 317, nr. 703` -> dossier `32317`, number `703`.

    `text` is the citation as it stands in the clean text. Where it stands: in paragraph `paragraph`
    (the index into `Letter.paragraphs()`) or in footnote `footnote`, from `start` to `end`.
    """

    dossier: str
    number: str
    text: str
    paragraph: int | None = None
    footnote: int | None = None
    start: int = 0
    end: int = 0

    @property
    def kst_id(self) -> str:
        """The official id of the cited document, e.g. `kst-32317-703`."""
        return f"kst-{self.dossier}-{self.number}"


@dataclass(frozen=True)
class Signatory:
    """One signer: the function (`De Minister van ... ,` without the final comma) and the name."""

    function: str
    name: str


_DOSSIER = re.compile(r"(\d{2})\s?(\d{3})(?:\s*[- ]\s*(\d{2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?")


def normalise_dossier(number: str) -> str:
    """A dossier number as briefreader stores it: `32 317` -> `32317`, `21 501-20` -> `21501-20`,
    `36 410 VI` (or `36410-VI`) -> `36410-VI`. Anything else loses only its spaces."""
    number = number.strip()
    match = _DOSSIER.fullmatch(number)
    if not match:
        return re.sub(r"\s+", "", number)
    base = match.group(1) + match.group(2)
    return f"{base}-{match.group(3)}" if match.group(3) else base


@dataclass(frozen=True)
class Dossier:
    """A Kamerstuk dossier: its number normalised (`32317`, `21501-20`, `36410-VI`) and its title."""

    number: str
    title: str | None = None


@dataclass(frozen=True)
class Letter:
    """A letter to parliament, cleaned and structured."""

    source: str
    title: str | None = None
    date: _dt.date | None = None
    place: str | None = None
    addressee: str | None = None
    dossiers: tuple[Dossier, ...] = ()
    number: str | None = None
    session: str | None = None
    signatories: tuple[Signatory, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    references: tuple[Reference, ...] = ()
    warnings: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None
    chamber: str | None = None

    @property
    def dossier(self) -> Dossier | None:
        """The first (main) dossier the letter belongs to, if known."""
        return self.dossiers[0] if self.dossiers else None

    @property
    def kst_id(self) -> str | None:
        """The official id `kst-<dossier>-<number>`, when both are known."""
        if self.dossier and self.number:
            return f"kst-{self.dossier.number}-{self.number}"
        return None

    def paragraphs(self) -> Iterator[tuple[int, Section, Paragraph]]:
        """Every paragraph with its letter-wide position (0-based, across sections) and its section."""
        position = 0
        for section in self.sections:
            for paragraph in section.paragraphs:
                yield position, section, paragraph
                position += 1

    def footnote(self, n: int) -> Footnote | None:
        """Footnote number `n`, or None."""
        for note in self.footnotes:
            if note.n == n:
                return note
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `briefreader parse --json`."""
        dossier = self.dossier
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "addressee": self.addressee,
            "dossier": {"number": dossier.number, "title": dossier.title} if dossier else None,
            "dossiers": [{"number": d.number, "title": d.title} for d in self.dossiers],
            "number": self.number,
            "session": self.session,
            "chamber": self.chamber,
            "signatories": [{"function": s.function, "name": s.name} for s in self.signatories],
            "sections": [
                {
                    "title": section.title,
                    "paragraphs": [
                        {
                            "text": p.text,
                            "kind": p.kind,
                            "notes": [{"n": note.n, "at": note.at} for note in p.notes],
                        }
                        for p in section.paragraphs
                    ],
                }
                for section in self.sections
            ],
            "footnotes": [{"n": f.n, "text": f.text} for f in self.footnotes],
            "references": [
                {
                    "dossier": r.dossier,
                    "number": r.number,
                    "text": r.text,
                    "paragraph": r.paragraph,
                    "footnote": r.footnote,
                }
                for r in self.references
            ],
            "tags": list(self.tags),
            "notes": self.notes,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class LetterError(Exception):
    """A file that cannot be read as a letter at all (missing, empty, binary, unreadable).

    `str()` is the one-line message the CLI prints: the file, then the problem.
    """

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


__all__ = [
    "Dossier",
    "Footnote",
    "Letter",
    "LetterError",
    "Note",
    "Paragraph",
    "ParagraphKind",
    "Reference",
    "Section",
    "Signatory",
    "normalise_dossier",
]
