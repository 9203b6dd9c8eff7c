"""A `Letter` as plain data (lists, strings, numbers: what `json` writes) and back, losslessly.

For `briefreader.letter_cache`, which keeps the last letter shown as JSON. Unlike
`Letter.to_dict()` (the documented shape of `briefreader parse --json`, made to be read), this
form is compact and private, and reading it back checks every value's type: what comes back is a
`Letter` the rest of briefreader can rely on, or a `ValueError`. It is still data read from a
file: the caller passes it through `briefreader.sanitise.visible_data` like any letter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefreader.model import Dossier, Footnote, Letter, Note, Paragraph, Reference, Section, Signatory

__all__ = ["LETTER_FIELDS", "letter_from_data", "letter_to_data"]

#: The fields of `Letter` this form holds, in order (a test checks it is every field).
LETTER_FIELDS = (
    "source", "title", "date", "place", "addressee", "dossiers", "number", "session", "signatories",
    "sections", "footnotes", "references", "warnings", "tags", "notes", "chamber",
)  # fmt: skip
_KINDS = ("paragraph", "item")


def letter_to_data(letter: Letter) -> list[Any]:
    """`letter` as nested lists, in the order of `LETTER_FIELDS`."""
    return [
        letter.source,
        letter.title,
        letter.date.isoformat() if letter.date is not None else None,
        letter.place,
        letter.addressee,
        [[d.number, d.title] for d in letter.dossiers],
        letter.number,
        letter.session,
        [[s.function, s.name] for s in letter.signatories],
        [
            [
                section.title,
                [[p.text, p.kind, [[note.n, note.at] for note in p.notes], p.page] for p in section.paragraphs],
            ]
            for section in letter.sections
        ],
        [[f.n, f.text, f.page] for f in letter.footnotes],
        [[r.dossier, r.number, r.text, r.paragraph, r.footnote, r.start, r.end] for r in letter.references],
        list(letter.warnings),
        list(letter.tags),
        letter.notes,
        letter.chamber,
    ]


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("expected a text")
    return value


def _maybe_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("expected a whole number")
    return value


def _maybe_number(value: Any) -> int | None:
    return None if value is None else _number(value)


def _rows(value: Any, width: int) -> list[list[Any]]:
    """A list of lists of `width` items each."""
    if type(value) is not list or any(type(row) is not list or len(row) != width for row in value):
        raise ValueError(f"expected rows of {width}")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise ValueError("expected a list of texts")
    return tuple(_text(item) for item in value)


def _paragraph(row: list[Any]) -> Paragraph:
    text, kind, notes, page = row
    if kind not in _KINDS:
        raise ValueError("unknown paragraph kind")
    return Paragraph(
        _text(text), kind, tuple(Note(_number(n), _number(at)) for n, at in _rows(notes, 2)), _maybe_number(page)
    )


def letter_from_data(data: Any) -> Letter:
    """The `Letter` that `letter_to_data` made `data` from; ValueError for anything else."""
    if type(data) is not list or len(data) != len(LETTER_FIELDS):
        raise ValueError("not a letter")
    (source, title, date, place, addressee, dossiers, number, session, signatories,
     sections, footnotes, references, warnings, tags, notes, chamber) = data  # fmt: skip
    return Letter(
        source=_text(source),
        title=_maybe_text(title),
        date=None if date is None else dt.date.fromisoformat(_text(date)),
        place=_maybe_text(place),
        addressee=_maybe_text(addressee),
        dossiers=tuple(Dossier(_text(n), _maybe_text(t)) for n, t in _rows(dossiers, 2)),
        number=_maybe_text(number),
        session=_maybe_text(session),
        signatories=tuple(Signatory(_text(f), _text(n)) for f, n in _rows(signatories, 2)),
        sections=tuple(
            Section(_maybe_text(title), tuple(_paragraph(row) for row in _rows(paragraphs, 4)))
            for title, paragraphs in _rows(sections, 2)
        ),
        footnotes=tuple(Footnote(_number(n), _text(t), _maybe_number(p)) for n, t, p in _rows(footnotes, 3)),
        references=tuple(
            Reference(_text(d), _text(n), _text(t), _maybe_number(p), _maybe_number(f), _number(s), _number(e))
            for d, n, t, p, f, s, e in _rows(references, 7)
        ),
        warnings=_texts(warnings),
        tags=_texts(tags),
        notes=_maybe_text(notes),
        chamber=_maybe_text(chamber),
    )
