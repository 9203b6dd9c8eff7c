"""What the index keeps of a letter: its `LetterInfo`, and the Whoosh documents it becomes.

The document layout, stated once (everything that reads the index by position relies on it):

    A letter becomes one letter document (kind `letter`: the letter-wide fields and the stored
    `LetterInfo`, with `ndocs` = how many documents follow), then one document per non-empty
    paragraph or list item in reading order, then one per non-empty footnote. The documents of
    a letter are always written together in that order, so in every segment they are
    contiguous: the paragraphs of the letter document `d` are `d + 1 .. d + ndocs[d]`.

Whoosh keeps documents in the order they were added, within a segment and through merges, and a
letter is deleted and re-added as a whole, so the layout survives updates
(tests/test_index.py checks it through many updates and merges).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefreader.index.errors import IndexDamaged
from briefreader.index.schema import KIND_FOOTNOTE, KIND_LETTER, dossier_terms
from briefreader.model import Letter

#: A footnote's terms weigh this much of a paragraph's, so an equally strong body hit ranks first.
FOOTNOTE_BOOST = 0.8
#: How much of a letter's first paragraph `LetterInfo.summary` keeps (characters).
SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class SectionInfo:
    """A section of a letter: its title (None for the untitled opening) and the letter-wide
    position of its first paragraph (as in `Letter.paragraphs()`)."""

    title: str | None
    paragraph: int


@dataclass(frozen=True)
class LetterInfo:
    """What the index knows about a letter, enough to list it and build a contents tree.

    Built from stored fields, never by parsing the letter again.
    """

    id: str
    path: Path
    title: str | None
    date: str | None
    dossiers: tuple[tuple[str, str | None], ...] = ()
    number: str | None = None
    kst_id: str | None = None
    signatories: tuple[tuple[str, str], ...] = ()
    sections: tuple[SectionInfo, ...] = ()
    cites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: How many paragraphs (and list items) and footnotes the letter has.
    paragraphs: int = 0
    footnotes: int = 0
    #: The parser's and the sidecar's warnings about this letter.
    warnings: tuple[str, ...] = ()
    #: The start of the letter's first paragraph (at most `SUMMARY_LENGTH` characters).
    summary: str = ""

    @property
    def display_title(self) -> str:
        """The title, or the letter id when the letter has none."""
        return self.title or self.id

    def to_stored(self) -> dict[str, Any]:
        """The plain-data form kept in the index (the path relative to the corpus)."""
        return {
            "id": self.id,
            "file": self.path.name,
            "title": self.title,
            "date": self.date,
            "dossiers": [list(d) for d in self.dossiers],
            "number": self.number,
            "kst_id": self.kst_id,
            "signatories": [list(s) for s in self.signatories],
            "sections": [[s.title, s.paragraph] for s in self.sections],
            "cites": list(self.cites),
            "tags": list(self.tags),
            "paragraphs": self.paragraphs,
            "footnotes": self.footnotes,
            "warnings": list(self.warnings),
            "summary": self.summary,
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any], corpus_dir: Path) -> LetterInfo:
        """The inverse of `to_stored()`, with the path made absolute again; `IndexDamaged` if
        `data` does not have the shape `to_stored()` gives."""
        problem = _stored_problem(data)
        if problem:
            raise IndexDamaged(f"stored letter malformed: {problem}")
        return cls(
            id=data["id"],
            path=corpus_dir / data["file"],
            title=data.get("title"),
            date=data.get("date"),
            dossiers=tuple((d[0], d[1]) for d in data.get("dossiers", ())),
            number=data.get("number"),
            kst_id=data.get("kst_id"),
            signatories=tuple((s[0], s[1]) for s in data.get("signatories", ())),
            sections=tuple(SectionInfo(s[0], s[1]) for s in data.get("sections", ())),
            cites=tuple(data.get("cites", ())),
            tags=tuple(data.get("tags", ())),
            paragraphs=data.get("paragraphs", 0),
            footnotes=data.get("footnotes", 0),
            warnings=tuple(data.get("warnings", ())),
            summary=data.get("summary", ""),
        )


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _pairs(value: object, second: Callable[[object], bool]) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 2 and _text_or_none(item[0]) and second(item[1]) for item in value
    )


def _stored_problem(data: object) -> str | None:
    """What is wrong with a stored `LetterInfo` (see `to_stored`), or None."""
    if not isinstance(data, dict):
        return "not a mapping"
    if not isinstance(data.get("id"), str) or not isinstance(data.get("file"), str):
        return "id or file"
    if not all(_text_or_none(data.get(key)) for key in ("title", "date", "number", "kst_id")):
        return "title, date or number"
    if not all(isinstance(data.get(key, ""), str) for key in ("summary",)):
        return "summary"
    if not _pairs(data.get("dossiers", []), _text_or_none) or not _pairs(data.get("signatories", []), _text_or_none):
        return "dossiers or signatories"
    if not _pairs(data.get("sections", []), _count):
        return "sections"
    for key in ("cites", "tags", "warnings"):
        if not isinstance(data.get(key, []), list) or not all(isinstance(item, str) for item in data.get(key, [])):
            return key
    if not _count(data.get("paragraphs", 0)) or not _count(data.get("footnotes", 0)):
        return "counts"
    return None


def letter_info(letter_id: str, path: Path, letter: Letter) -> LetterInfo:
    """The `LetterInfo` of a parsed letter."""
    sections: list[SectionInfo] = []
    position = 0
    for section in letter.sections:
        sections.append(SectionInfo(section.title, position))
        position += len(section.paragraphs)
    cites: list[str] = []
    for reference in letter.references:
        if reference.kst_id not in cites:
            cites.append(reference.kst_id)
    return LetterInfo(
        id=letter_id,
        path=path,
        title=letter.title,
        date=letter.date.isoformat() if letter.date else None,
        dossiers=tuple((d.number, d.title) for d in letter.dossiers),
        number=letter.number,
        kst_id=letter.kst_id,
        signatories=tuple((s.function, s.name) for s in letter.signatories),
        sections=tuple(sections),
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


def letter_documents(info: LetterInfo, letter: Letter) -> list[dict[str, Any]]:
    """The Whoosh documents of one letter, in the order they must be written (see the module
    docstring): the letter's own document, then its paragraphs and list items, then its footnotes."""
    documents: list[dict[str, Any]] = []
    marker_section: dict[int, str | None] = {}
    for position, section, paragraph in letter.paragraphs():
        for note in paragraph.notes:
            marker_section.setdefault(note.n, section.title)
        if not paragraph.text.strip():
            continue
        doc = {"letter": info.id, "kind": paragraph.kind, "pos": position, "body": paragraph.text}
        if section.title:
            doc["section"] = section.title
        documents.append(doc)
    for footnote in letter.footnotes:
        if not footnote.text.strip():
            continue
        doc = {"letter": info.id, "kind": KIND_FOOTNOTE, "pos": footnote.n, "body": footnote.text}
        if marker_section.get(footnote.n):
            doc["section"] = marker_section[footnote.n]
        # Whoosh multiplies the term weights of this document: a footnote ranks below an equal paragraph.
        doc["_boost"] = FOOTNOTE_BOOST
        documents.append(doc)

    head: dict[str, Any] = {"letter": info.id, "kind": KIND_LETTER, "meta": info.to_stored(), "ndocs": len(documents)}
    if letter.title:
        head["title"] = letter.title
    if letter.date:
        head["date"] = _dt.datetime.combine(letter.date, _dt.time())
    if letter.dossiers:
        head["dossier"] = dossier_terms([d.number for d in letter.dossiers])
    if letter.number:
        head["nr"] = letter.number
    if letter.signatories:
        head["signatory"] = " ; ".join(f"{s.function} {s.name}" for s in letter.signatories)
    if letter.tags:
        head["tag"] = ",".join(letter.tags)
    return [head, *documents]


__all__ = ["FOOTNOTE_BOOST", "SUMMARY_LENGTH", "LetterInfo", "SectionInfo", "letter_documents", "letter_info"]
