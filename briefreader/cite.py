"""Citations the way Dutch policy writing gives them: `(Kamerstuk 32 317, nr. 704, p. 2)`.

Used by the reader's copy key and by `briefreader show LETTER --paragraph N --cite`. Plain text in,
plain text out (no Textual, no Rich): the caller decides how to show it.

The page is the printed page the paragraph or footnote starts on (`Paragraph.page`,
`Footnote.page`), known when the source shows where pages break; without it the citation has no
page. A letter without a dossier number is cited by its title and date instead.
"""

from __future__ import annotations

import re

from briefreader.display import dutch_date
from briefreader.model import Letter

__all__ = [
    "citation",
    "dossier_text",
    "footnote_parts",
    "footnote_quote",
    "paragraph_at",
    "paragraph_parts",
    "paragraph_quote",
]

_DOSSIER = re.compile(r"^(\d{2})(\d{3})(?:-(\d{1,2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?$")


def dossier_text(number: str) -> str:
    """A stored dossier number as it is printed: `32317` -> `32 317`, `21501-20` -> `21 501-20`,
    `36410-VI` -> `36 410 VI`. Anything else is returned as it is."""
    match = _DOSSIER.match(number)
    if not match:
        return number
    first, second, suffix = match.groups()
    base = f"{first} {second}"
    if suffix is None:
        return base
    # A numeric suffix (a sub-dossier) keeps its hyphen; a letter suffix (a budget chapter) is spaced.
    return f"{base}-{suffix}" if suffix.isdigit() else f"{base} {suffix}"


def citation(letter: Letter, *, page: int | None = None, footnote: int | None = None, letter_id: str | None = None) -> str:
    """The citation of `letter` (at `page`, of its `footnote`), in parentheses.

    `(Kamerstuk 32 317, nr. 704, p. 2)`, `(Kamerstuk 32 317, nr. 704, p. 3, voetnoot 4)`; without a
    page `(Kamerstuk 32 317, nr. 704)`; without a dossier the title and date, else `letter_id`.
    """
    parts: list[str] = []
    if letter.dossier is not None:
        parts.append(f"Kamerstuk {dossier_text(letter.dossier.number)}")
        if letter.number:
            parts.append(f"nr. {letter.number}")
    else:
        if letter.title:
            parts.append(f"“{letter.title}”")
        if letter.date:
            parts.append(dutch_date(letter.date))
        if not parts:
            parts.append(letter_id or letter.source)
    if page is not None:
        parts.append(f"p. {page}")
    if footnote is not None:
        parts.append(f"voetnoot {footnote}")
    return f"({', '.join(parts)})"


def paragraph_at(letter: Letter, position: int):
    """Paragraph `position` (counted from 0 through the letter, as in search hits), or None."""
    if position < 0:
        return None
    for at, _section, paragraph in letter.paragraphs():
        if at == position:
            return paragraph
    return None


def paragraph_quote(letter: Letter, position: int, *, letter_id: str | None = None) -> str | None:
    """Paragraph `position` as plain text followed by its citation, or None if there is no such paragraph."""
    parts = paragraph_parts(letter, position, letter_id=letter_id)
    return f"{parts[0]} {parts[1]}" if parts else None


def footnote_quote(letter: Letter, number: int, *, letter_id: str | None = None) -> str | None:
    """Footnote `number` as plain text followed by its citation, or None if the letter has no such footnote."""
    parts = footnote_parts(letter, number, letter_id=letter_id)
    return f"{parts[0]} {parts[1]}" if parts else None


def paragraph_parts(letter: Letter, position: int, *, letter_id: str | None = None) -> tuple[str, str] | None:
    """(text, citation) of paragraph `position`, or None if there is no such paragraph."""
    paragraph = paragraph_at(letter, position)
    if paragraph is None:
        return None
    return paragraph.text, citation(letter, page=paragraph.page, letter_id=letter_id)


def footnote_parts(letter: Letter, number: int, *, letter_id: str | None = None) -> tuple[str, str] | None:
    """(text, citation) of footnote `number`, or None if the letter has no such footnote."""
    footnote = letter.footnote(number)
    if footnote is None:
        return None
    return footnote.text, citation(letter, page=footnote.page, footnote=number, letter_id=letter_id)
