"""The fields a query may name, the index fields each stands for, and how much each counts.

A letter is one document (see `briefreader.index.documents`). A plain word (the query field
`body`) is looked for anywhere in the letter: its paragraphs (`text`), footnotes (`notes`), title,
section titles (`heading`) and signatories. Where it stands decides how much it counts (BM25F):
`FIELD_BOOSTS`.
"""

from __future__ import annotations

from briefreader.index import NOTES_FIELD, TEXT_FIELD

#: Fields a user may name in a query, with their aliases (Dutch and English).
FIELD_ALIASES: dict[str, list[str]] = {
    "signatory": ["from", "van", "signatories", "ondertekenaar"],
    "date": ["datum"],
    "title": ["titel"],
    "dossier": ["dossiers"],
    "nr": ["number", "nummer"],
    "section": ["sectie", "kop"],
    "tag": ["tags"],
}
USER_FIELDS = ("body", "title", "section", "date", "dossier", "nr", "signatory", "tag")
#: Fields whose words are analysed like the letter text (stemmed); the others are exact.
TEXT_FIELDS = ("body", "title", "section", "signatory")
#: Query fields whose words are found in paragraphs and footnotes (and so shown in snippets).
PARAGRAPH_FIELDS = ("body", "section")
LETTER_FIELDS = ("title", "date", "dossier", "nr", "signatory", "tag")
#: Exact-value fields (filters: they select letters, they don't rank them).
KEYWORD_FIELDS = ("dossier", "nr", "tag")

#: How much a word counts where it stands (multiplies its BM25 score in that field). A word in
#: the title or a section title says more about the letter than one in a paragraph; a footnote
#: says less.
TITLE_BOOST = 2.0
SECTION_BOOST = 1.5
FOOTNOTE_BOOST = 0.8
SIGNATORY_BOOST = 1.0
FIELD_BOOSTS: dict[str, float] = {
    TEXT_FIELD: 1.0,
    NOTES_FIELD: FOOTNOTE_BOOST,
    "title": TITLE_BOOST,
    "heading": SECTION_BOOST,
    "signatory": SIGNATORY_BOOST,
}
#: The index fields a query field stands for.
INDEX_FIELDS: dict[str, tuple[str, ...]] = {
    "body": (TEXT_FIELD, NOTES_FIELD, "title", "heading", "signatory"),
    "title": ("title",),
    "section": ("heading",),
    "signatory": ("signatory",),
}

__all__ = [
    "FIELD_ALIASES",
    "FIELD_BOOSTS",
    "FOOTNOTE_BOOST",
    "INDEX_FIELDS",
    "KEYWORD_FIELDS",
    "LETTER_FIELDS",
    "PARAGRAPH_FIELDS",
    "SECTION_BOOST",
    "SIGNATORY_BOOST",
    "TEXT_FIELDS",
    "TITLE_BOOST",
    "USER_FIELDS",
]
