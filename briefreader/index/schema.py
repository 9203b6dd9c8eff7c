"""The Whoosh schema of the index, its version stamp, and how dossier numbers become terms.

The document layout (which documents a letter becomes, in which order) is in
`briefreader.index.documents`; this module says which fields those documents have.
"""

from __future__ import annotations

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from briefreader.analysis import dutch_analyzer
from briefreader.model import normalise_dossier as _normalise_dossier

#: Bump whenever the schema, the analysis or what is stored changes: a different stamp rebuilds.
SCHEMA_VERSION = 2
#: The name of the Whoosh index inside a generation folder (its files are `MAIN_*`, `_MAIN_*.toc`).
INDEX_NAME = "MAIN"

#: Document kinds (the `kind` field).
KIND_PARAGRAPH = "paragraph"
KIND_ITEM = "item"
KIND_FOOTNOTE = "footnote"
KIND_LETTER = "letter"


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
    """The index schema. Text fields share the Dutch analyzer.

    Paragraph and footnote documents hold only what differs per paragraph (`body`, `section`,
    `pos`); the letter-wide fields (`title`, `date`, `dossier`, `nr`, `signatory`, `tag`) are
    on the letter's own document, and `ndocs` (a column of the letter document) says how many
    documents follow it (see `briefreader.index.documents` for the layout).
    """
    analyzer = dutch_analyzer()

    def text(stored: bool = False) -> TEXT:
        # A query word that analyses into several terms (`EU-lidstaten`) becomes a phrase.
        return TEXT(analyzer=analyzer, stored=stored, multitoken_query="phrase")

    return Schema(
        letter=ID(stored=True),
        kind=ID(stored=True),
        pos=STORED(),
        body=text(stored=True),
        section=text(stored=True),
        title=text(),
        date=DATETIME(sortable=True),
        dossier=KEYWORD(lowercase=True),
        nr=KEYWORD(lowercase=True),
        signatory=text(),
        tag=KEYWORD(lowercase=True, commas=True),
        meta=STORED(),
        ndocs=COLUMN(NumericColumn("I")),
    )


__all__ = [
    "INDEX_NAME",
    "KIND_FOOTNOTE",
    "KIND_ITEM",
    "KIND_LETTER",
    "KIND_PARAGRAPH",
    "SCHEMA_VERSION",
    "build_schema",
    "dossier_terms",
    "normalise_dossier",
]
