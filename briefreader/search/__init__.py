"""Searching a corpus index: a query string in, matching letters with their best paragraphs out.

Query syntax (also shown by `briefreader search --help` and the reader's help):

    frontex litouwen            both words, anywhere in the letter (AND is the default)
    frontex OR easo             either word (OF works too)
    frontex NOT litouwen        leave out letters with a word (also `-litouwen`, NIET)
    "raad van justitie"         a phrase (within one paragraph)
    migratie*                   words starting with `migratie`
    date:2021                   a year, a month (date:2021-08) or a day (date:2021-08-26)
    date:2020..2021             a range (also date:[2020 TO 2021], date:>2021-06)
    dossier:32317               a dossier (dossier:21501-20, dossier:"36 410 VI")
    title:afghanistan           words in the letter's title (titel:)
    from:grapperhaus            words in the signatories (van:)
    section:ipcr  tag:migratie  nr:703

Words are matched the Dutch way: case and accents don't matter and word forms are stemmed
(`asielzoeker` finds `asielzoekers`). Operators are written in capitals; `and`, `of` are words.
A query of filters only lists letters, newest first.

A query is matched against whole letters: the words of an AND may stand anywhere in the letter
(paragraphs, footnotes, title, section titles, signatories). Letters are ranked by BM25F over the
letter: a word in the title or a section title counts more, one in a footnote less (see
`briefreader.search.fields`), and letters that hold all the words in one paragraph (or one
section) rank higher. Each matching letter is shown once, with its best paragraphs. A prefix
stands for its most frequent completions and scores as a constant (as Lucene does), so a query
of prefixes alone lists the newest letters first.

`search()` never raises: a query that can't be run gives a `SearchResult` whose `message` says
why. Hits carry the character spans of the matched words in their snippet, never markup.

One concern per module, in the order a query goes through them: `syntax` (the string), `compile`
(parsed and checked), `plan` (what to look for in which index fields), `evaluate` (whole posting
lists -> letters and scores), `locate` (a letter's best paragraphs), `engine` (`search()`),
`snippet` and `highlight` (what a hit shows), `results` (what a search gives back), `fields`
(field names and boosts).
"""

from __future__ import annotations

from briefreader.search.compile import PREFIX_TERMS, TYPING_PREFIX_TERMS, CompiledQuery, compile_query
from briefreader.search.engine import CANDIDATES, search
from briefreader.search.fields import (
    FIELD_ALIASES,
    FIELD_BOOSTS,
    FOOTNOTE_BOOST,
    LETTER_FIELDS,
    PARAGRAPH_FIELDS,
    SECTION_BOOST,
    TEXT_FIELDS,
    TITLE_BOOST,
)
from briefreader.search.highlight import HighlightTerms, highlight_spans, terms_for_highlight
from briefreader.search.locate import PARAGRAPH_BONUS, SECTION_BONUS, SNIPPETS_PER_LETTER
from briefreader.search.plan import Plan, make_plan
from briefreader.search.results import Hit, LetterHit, SearchResult, group_by_letter
from briefreader.search.snippet import SNIPPET_WIDTH, make_snippet
from briefreader.search.syntax import MAX_QUERY_LENGTH, MIN_PREFIX, QueryProblem

__all__ = [
    "CANDIDATES",
    "FIELD_ALIASES",
    "FIELD_BOOSTS",
    "FOOTNOTE_BOOST",
    "LETTER_FIELDS",
    "MAX_QUERY_LENGTH",
    "MIN_PREFIX",
    "PARAGRAPH_BONUS",
    "PARAGRAPH_FIELDS",
    "PREFIX_TERMS",
    "SECTION_BONUS",
    "SECTION_BOOST",
    "SNIPPETS_PER_LETTER",
    "SNIPPET_WIDTH",
    "TEXT_FIELDS",
    "TITLE_BOOST",
    "TYPING_PREFIX_TERMS",
    "CompiledQuery",
    "HighlightTerms",
    "Hit",
    "LetterHit",
    "Plan",
    "QueryProblem",
    "SearchResult",
    "compile_query",
    "group_by_letter",
    "highlight_spans",
    "make_plan",
    "make_snippet",
    "search",
    "terms_for_highlight",
]
