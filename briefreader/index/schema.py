"""The Whoosh schema of the index, its version stamp, and how dossier numbers become terms.

One Whoosh document per letter (see `briefreader.index.documents` for what goes in it). Its words
are split over fields by where they stand, so the ranking can weigh them (BM25F) and a search
can say where they were found: `text` (paragraphs and list items), `notes` (footnotes), `title`,
`heading` (section titles), `signatory`. All of them keep word positions: phrases, and the
paragraphs of a hit found again from where its words stand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from briefreader.analysis import dutch_analyzer
from briefreader.model import normalise_dossier as _normalise_dossier

#: Bump whenever the schema, the analysis or what is stored changes: a different stamp rebuilds.
SCHEMA_VERSION = 6
#: The name of the Whoosh index inside a generation folder (its files are `MAIN_*`, `_MAIN_*.toc`).
INDEX_NAME = "MAIN"

#: The fields holding a letter's words, by where they stand.
TEXT_FIELD = "text"
NOTES_FIELD = "notes"
WORD_FIELDS = (TEXT_FIELD, NOTES_FIELD, "title", "heading", "signatory")

#: Hit kinds (`Hit.kind`).
KIND_PARAGRAPH = "paragraph"
KIND_ITEM = "item"
KIND_FOOTNOTE = "footnote"
KIND_LETTER = "letter"


class TermPositions(tuple):
    """A field value analysed already: (term, positions) pairs. `briefreader.index.documents`
    analyses a letter once, block by block, and knows where each block starts; Whoosh indexes
    these as they are (`AnalysedPositions`)."""


class AnalysedPositions(Positions):
    """Whoosh's `Positions` format that also takes a `TermPositions` value as it is.

    A string (a query, a title) goes through the field's analyzer as usual. `word_values` is the
    public extension point of a Whoosh format.
    """

    def word_values(self, value: Any, analyzer: Analyzer, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(value, TermPositions):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, positions in value:
            yield term, len(positions), len(positions) * boost, self.encode(positions)


def normalise_dossier(value: str) -> str:
    """The dossier as an index term: `model.normalise_dossier`, lower case (`36 410 VI` -> `36410-vi`)."""
    return _normalise_dossier(value.upper()).lower()


def dossier_terms(numbers: list[str]) -> str:
    """The `dossier` field's value: every number, and the base of a sub-dossier (`21501-20` also
    files under `21501`)."""
    terms: list[str] = []
    for number in numbers:
        normal = normalise_dossier(number)
        for term in (normal, normal.split("-")[0]):
            if term and term not in terms:
                terms.append(term)
    return " ".join(terms)


def build_schema() -> Schema:
    """The index schema: one document per letter."""
    analyzer = dutch_analyzer()

    def words() -> TEXT:
        field = TEXT(analyzer=analyzer, phrase=True, multitoken_query="phrase")
        field.format = AnalysedPositions(field_boost=1.0)
        return field

    return Schema(
        letter=ID(stored=True, unique=True),
        text=words(),
        notes=words(),
        title=words(),
        heading=words(),
        signatory=words(),
        date=DATETIME(sortable=True),
        dossier=KEYWORD(lowercase=True),
        nr=KEYWORD(lowercase=True),
        tag=KEYWORD(lowercase=True, commas=True),
        layout=STORED(),
    )


__all__ = [
    "INDEX_NAME",
    "KIND_FOOTNOTE",
    "KIND_ITEM",
    "KIND_LETTER",
    "KIND_PARAGRAPH",
    "NOTES_FIELD",
    "SCHEMA_VERSION",
    "TEXT_FIELD",
    "WORD_FIELDS",
    "AnalysedPositions",
    "TermPositions",
    "build_schema",
    "dossier_terms",
    "normalise_dossier",
]
