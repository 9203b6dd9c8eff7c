""""Did you mean …": corrected queries from the index's own words, when a query word is in no letter.

A word is corrected to the index terms fewest edits away (letters added, left out, changed or two
swapped; at most two), most frequent first. The terms compared are those sharing the word's first
two letters, else its first letter (typos seldom hit the first letters): read from each segment's
term dictionary once per searcher (`whoosh_private.prefix_terms`) and compared by rapidfuzz's optimal
string alignment distance in C, a few milliseconds where Whoosh's pure-Python Levenshtein automaton
(`terms_within`) took 30-200 ms at 10,000 letters. Index terms are stems (`stikstof`,
`asielzoeker`), so each is shown as a word as it stands in a letter that holds it. A suggestion is
the whole query with the misspelt words replaced.
"""

from __future__ import annotations

import bisect
import itertools
import re

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.searching import Searcher

from briefreader.analysis import term, word_matches
from briefreader.index import TEXT_FIELD, WORD_FIELDS, Layout
from briefreader.index.whoosh_private import prefix_terms
from briefreader.search.compile import CompiledQuery, leaves
from briefreader.search.locate import positions

#: How many edits (letters added, left out, changed or swapped) a correction may be away.
MAX_EDITS = 2
#: Corrections keep the typed word's first letters (two, else one): typos seldom hit them, and it
#: keeps the terms to compare to a few thousand.
SHARED_PREFIXES = (2, 1)
#: At most this many corrected queries, and candidate words per misspelt word.
MAX_SUGGESTIONS = 3
#: Words this short are not corrected (`eu`, `nr`): too many words are an edit or two away.
MIN_CORRECTED_LENGTH = 4


def _frequency(searcher: Searcher, stem: str) -> int:
    reader = searcher.reader()
    return sum(reader.doc_frequency(field, stem) for field in WORD_FIELDS)


def _in_index(searcher: Searcher, stem: str) -> bool:
    """Whether any letter holds `stem` in a word field (`_frequency(...) > 0`, without adding up
    every segment's statistics: the first segment that holds it says so)."""
    reader = searcher.reader()
    return any((field, stem) in reader for field in WORD_FIELDS)


def _vocabulary(searcher: Searcher, prefix: str) -> list[str]:
    """The text terms starting with `prefix` (kept on the searcher, which is reused while the index
    is unchanged). Terms only: decoding each term's statistics would cost twice as much."""
    cache = getattr(searcher, "briefreader_cache", {}).setdefault("vocabulary", {})
    found = cache.get(prefix)
    if found is None:
        terms: set[str] = set()
        for leaf, _ in searcher.leaf_searchers():
            for btext, _ in prefix_terms(leaf.reader(), TEXT_FIELD, prefix):
                terms.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
        found = cache[prefix] = sorted(terms)
    return found


def _candidates(searcher: Searcher, stem: str) -> list[str]:
    """Index terms fewest edits away from `stem`, most frequent first."""
    for shared in SHARED_PREFIXES:
        near = [(term, distance) for term, distance, _ in
                process.extract(stem, _vocabulary(searcher, stem[:shared]), scorer=OSA.distance,
                                score_cutoff=MAX_EDITS, limit=None)
                if term != stem]
        if near:
            fewest = min(distance for _, distance in near)
            ranked = sorted((term for term, distance in near if distance == fewest), key=lambda t: (-_frequency(searcher, t), t))
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
        if len(leaf.text) >= MIN_CORRECTED_LENGTH and leaf.text not in unknown and not _in_index(searcher, leaf.text):
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


__all__ = ["MAX_EDITS", "MAX_SUGGESTIONS", "MIN_CORRECTED_LENGTH", "SHARED_PREFIXES", "suggestions"]
