""""Did you mean …": corrected queries from the index's own words, when a query word is in no letter.

A word is corrected to the index terms one edit away (else two), found with Whoosh's Levenshtein
automaton over the sorted term list (`IndexReader.terms_within`, which skips through the list
instead of comparing every term); the most frequent come first. Index terms are stems (`stikstof`,
`asielzoeker`), so each is shown as a word as it stands in a letter that holds it. A suggestion is
the whole query with the misspelt words replaced.
"""

from __future__ import annotations

import bisect
import itertools
import re

from whoosh import query as wq
from whoosh.searching import Searcher

from briefreader.analysis import term, word_matches
from briefreader.index import TEXT_FIELD, WORD_FIELDS, Layout
from briefreader.search.compile import CompiledQuery, leaves
from briefreader.search.locate import positions

#: How many edits (letters added, left out, changed or swapped) a correction may be away.
MAX_EDITS = 2
#: Corrections keep the typed word's first letters: typos seldom hit the first letter, and it
#: lets the automaton skip most of the term list.
SHARED_PREFIX = 1
#: At most this many corrected queries, and candidate words per misspelt word.
MAX_SUGGESTIONS = 3
#: Words this short are not corrected (`eu`, `nr`): too many words are an edit or two away.
MIN_CORRECTED_LENGTH = 4


def _frequency(searcher: Searcher, stem: str) -> int:
    reader = searcher.reader()
    return sum(reader.doc_frequency(field, stem) for field in WORD_FIELDS)


def _candidates(searcher: Searcher, stem: str) -> list[str]:
    """Index terms of the paragraphs near `stem`, nearest and most frequent first."""
    for edits in range(1, MAX_EDITS + 1):
        found: set[str] = set()
        for leaf, _ in searcher.leaf_searchers():
            found.update(leaf.reader().terms_within(TEXT_FIELD, stem, edits, prefix=SHARED_PREFIX))
        found.discard(stem)
        if found:
            ranked = sorted(found, key=lambda t: (-_frequency(searcher, t), t))
            return ranked[:MAX_SUGGESTIONS]
    return []


def _surface(searcher: Searcher, stem: str) -> str | None:
    """`stem` as a word stands in a letter that holds it (lower case), or None."""
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (TEXT_FIELD, stem) not in reader:
            continue
        matcher = reader.postings(TEXT_FIELD, stem)
        if not matcher.is_active():
            continue
        docnum = matcher.id() + offset
        where = positions(searcher, TEXT_FIELD, stem, [docnum]).get(docnum)
        if not where:
            continue
        layout = Layout.from_stored(searcher.stored_fields(docnum).get("layout"))
        blocks = [block for block in layout.blocks if block.field == TEXT_FIELD]
        i = bisect.bisect_right([block.start for block in blocks], where[0]) - 1
        if i < 0:
            continue
        block = blocks[i]
        counted = [m.group() for m in word_matches(block.text) if term(m.group())]
        index = where[0] - block.start
        if 0 <= index < len(counted) and term(counted[index]) == stem:
            return counted[index].lower()
    return None


def _unknown_words(searcher: Searcher, compiled: CompiledQuery) -> list[str]:
    """The positive plain words of the query that stand in no letter (stems)."""
    found = list(leaves(compiled.query))
    typing = {leaf.text for leaf, _ in found if isinstance(leaf, wq.Prefix)}
    unknown = []
    for leaf, negated in found:
        if negated or not isinstance(leaf, wq.Term) or leaf.fieldname != "body" or leaf.text in typing:
            continue
        if len(leaf.text) >= MIN_CORRECTED_LENGTH and _frequency(searcher, leaf.text) == 0 and leaf.text not in unknown:
            unknown.append(leaf.text)
    return unknown


def suggestions(searcher: Searcher, compiled: CompiledQuery, query: str) -> tuple[str, ...]:
    """Whole corrected queries, best first; () when every word of the query is in the index."""
    unknown = _unknown_words(searcher, compiled)
    if not unknown:
        return ()
    options: list[list[str]] = []
    for stem in unknown:
        words = [word for word in (_surface(searcher, candidate) for candidate in _candidates(searcher, stem)) if word]
        if not words:
            return ()
        options.append(words)
    # The best word for each, then the next-best choices for one word at a time.
    best = [words[0] for words in options]
    combinations = [best]
    for n, words in enumerate(options):
        for alternative in words[1:]:
            combinations.append([*best[:n], alternative, *best[n + 1 :]])
    result: list[str] = []
    for choice in itertools.islice(combinations, MAX_SUGGESTIONS * 2):
        corrected = _replace(query, dict(zip(unknown, choice, strict=True)))
        if corrected != query and corrected not in result:
            result.append(corrected)
    return tuple(result[:MAX_SUGGESTIONS])


def _replace(query: str, corrections: dict[str, str]) -> str:
    """`query` with each word whose stem is a key of `corrections` replaced by its value."""

    def swap(match: re.Match[str]) -> str:
        return corrections.get(term(match.group()), match.group())

    return re.sub(r"\w+", swap, query)


__all__ = ["MAX_EDITS", "MAX_SUGGESTIONS", "MIN_CORRECTED_LENGTH", "SHARED_PREFIX", "suggestions"]
