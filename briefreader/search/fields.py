"""The fields a query may name, their aliases, and how much each counts in the ranking."""

from __future__ import annotations

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
#: Fields of a paragraph's (or footnote's) own document; the others belong to the whole letter
#: and live on the letter's document (see `briefreader.index.documents`).
PARAGRAPH_FIELDS = ("body", "section")
LETTER_FIELDS = ("title", "date", "dossier", "nr", "signatory", "tag")

#: How much a query word found in the letter's title or the section title adds (BM25F boosts).
TITLE_BOOST = 2.0
SECTION_BOOST = 1.5

__all__ = ["FIELD_ALIASES", "LETTER_FIELDS", "PARAGRAPH_FIELDS", "SECTION_BOOST", "TEXT_FIELDS", "TITLE_BOOST", "USER_FIELDS"]
