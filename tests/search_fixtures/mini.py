"""A tiny letter format for the index and search tests, so they test the index, not the parser.

    title: Ingelaste JBZ-Raad
    date: 2021-08-26
    dossier: 32317 | JBZ-Raad
    number: 703
    signatory: De Minister van Justitie en Veiligheid | F.B.J. Grapperhaus
    tags: migratie, jbz
    cite: 32317-700
    fail: the parser gives up on this letter (raises LetterError)

    ## Section title
    A paragraph, one per line; [1] marks footnote 1 here.
    - a list item
    [^1] the text of footnote 1

`load_mini(path)` reads such a file into a `briefreader.model.Letter`; pass it as `loader=` to
`open_index`. The real parser is exercised separately (tests/test_search_cli.py, bundled corpus).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from briefreader.model import (
    Dossier,
    Footnote,
    Letter,
    LetterError,
    Note,
    Paragraph,
    Reference,
    Section,
    Signatory,
)

FIXTURES = Path(__file__).parent


def parse_mini(text: str, source: str = "<mini>") -> Letter:
    """Read the mini format (see the module docstring)."""
    meta: dict[str, list[str]] = {}
    sections: list[tuple[str | None, list[Paragraph]]] = [(None, [])]
    footnotes: list[Footnote] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line:
            continue
        header = re.match(r"^(title|date|dossier|number|signatory|tags|cite|fail|warning): ?(.*)$", line)
        if header and sections == [(None, [])]:
            meta.setdefault(header.group(1), []).append(header.group(2))
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
            continue
        note = re.match(r"^\[\^(\d+)\] (.*)$", line)
        if note:
            footnotes.append(Footnote(int(note.group(1)), note.group(2)))
            continue
        kind = "paragraph"
        if line.startswith("- "):
            kind, line = "item", line[2:]
        notes = []
        clean = ""
        last = 0
        for marker in re.finditer(r"\[(\d+)\]", line):
            clean += line[last : marker.start()]
            notes.append(Note(int(marker.group(1)), len(clean)))
            last = marker.end()
        clean += line[last:]
        sections[-1][1].append(Paragraph(clean, kind, tuple(notes)))
    if "fail" in meta:
        raise LetterError(source, meta["fail"][0])

    def one(key: str) -> str | None:
        return meta[key][0] if key in meta else None

    dossiers = []
    for value in meta.get("dossier", []):
        number, _, title = value.partition("|")
        dossiers.append(Dossier(number.strip(), title.strip() or None))
    signatories = []
    for value in meta.get("signatory", []):
        function, _, name = value.partition("|")
        signatories.append(Signatory(function.strip(), name.strip()))
    references = []
    for value in meta.get("cite", []):
        dossier, _, number = value.rpartition("-")
        references.append(Reference(dossier, number, f"Kamerstuk {dossier}, nr. {number}"))
    return Letter(
        source=source,
        title=one("title"),
        date=dt.date.fromisoformat(one("date")) if one("date") else None,
        dossiers=tuple(dossiers),
        number=one("number"),
        signatories=tuple(signatories),
        sections=tuple(Section(title, tuple(paragraphs)) for title, paragraphs in sections if title or paragraphs),
        footnotes=tuple(footnotes),
        references=tuple(references),
        tags=tuple(t.strip() for t in (one("tags") or "").split(",") if t.strip()),
        warnings=tuple(meta.get("warning", [])),
    )


def load_mini(path: Path) -> Letter:
    """Load a mini-format letter file (a `loader` for `open_index`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LetterError(str(path), f"cannot be read ({error.strerror})") from None
    if not data.strip():
        raise LetterError(str(path), "is empty")
    return parse_mini(data.decode("utf-8"), source=str(path))
