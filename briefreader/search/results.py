"""What a search gives back: hits, letters with their best hits, and the result as a whole.

These dataclasses are the interface between the search engine and its callers (the reader, the
CLI); they hold plain data only: ids, text, character spans, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hit:
    """One search hit: a paragraph (or list item), a footnote, or (filter-only queries) a letter.

    `paragraph` is the letter-wide position as in `Letter.paragraphs()` (None for a footnote or a
    letter), `footnote` the footnote number (None otherwise). `highlights` are (start, end)
    character spans of the matched words in `snippet`.
    """

    letter: str
    title: str | None
    date: str | None
    section: str | None
    paragraph: int | None
    footnote: int | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    kind: str = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `briefreader search --json`."""
        return {
            "letter": self.letter,
            "title": self.title,
            "date": self.date,
            "section": self.section,
            "paragraph": self.paragraph,
            "footnote": self.footnote,
            "snippet": self.snippet,
            "highlights": [[start, end] for start, end in self.highlights],
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class LetterHit:
    """One matching letter, shown once: its best paragraphs and footnotes as snippets.

    `paragraphs` are paragraph- or footnote-level `Hit`s of this letter, best first (a filter-only
    query gives the letter's own `Hit` of kind `letter`). `score` ranks the letters.
    """

    letter: str
    title: str | None
    date: str | None
    score: float
    paragraphs: tuple[Hit, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one letter in `briefreader search --json`."""
        return {
            "letter": self.letter,
            "title": self.title,
            "date": self.date,
            "score": round(self.score, 4),
            "paragraphs": [hit.to_dict() for hit in self.paragraphs],
        }


def group_by_letter(hits: list[Hit]) -> list[LetterHit]:
    """Paragraph-level hits (best first) -> one `LetterHit` per letter, in the order of each
    letter's best hit."""
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.letter, []).append(hit)
    return [LetterHit(group[0].letter, group[0].title, group[0].date, group[0].score, tuple(group)) for group in grouped.values()]


@dataclass(frozen=True)
class SearchResult:
    """The hits (best first, at most `limit`), how many matched in all, and why there are none
    when the query could not be run (`message`). `notice` says how a sloppy query was read.

    `letters` are the matching letters, each once with its best paragraphs; `hits` are the
    paragraph-level hits (with `search(..., letter=ID)`: every hit in that letter, for n/N).
    `suggestions` are corrected queries ("did you mean"), best first, when words were not found.
    """

    hits: list[Hit] = field(default_factory=list)
    #: How many letters matched in all (`letters` holds the best `limit` of them); with
    #: `search(..., letter=ID)`, how many hits that letter has.
    total: int = 0
    message: str | None = None
    notice: str | None = None
    #: True when the index (not the query) was the problem: `refresh(rebuild=True)` and retry.
    index_error: bool = False
    #: True when briefreader itself failed (a bug): `message` names the query and the error;
    #: the index is fine and must be left alone.
    internal_error: bool = False
    #: False when `total` is a lower bound (more matched than were counted: "200+").
    total_exact: bool = True
    letters: list[LetterHit] = field(default_factory=list)
    suggestions: tuple[str, ...] = ()
    #: True when the caller's `stop()` said the search was no longer wanted (a newer key came):
    #: nothing else in the result means anything.
    stopped: bool = False


__all__ = ["Hit", "LetterHit", "SearchResult", "group_by_letter"]
