"""Which character spans of a text a query matches: the words (stemmed and folded as the index
has them), prefixes, wildcards and phrases. Spans, never markup."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefreader.analysis import fold, word_matches
from briefreader.analysis import term as term_of

if TYPE_CHECKING:
    from briefreader.index import CorpusIndex

Span = tuple[int, int]
#: How many words as written a query's highlighter remembers the verdict on (word -> term, marked?).
KNOWN_WORDS = 50_000


@dataclass(frozen=True)
class HighlightTerms:
    """What to mark in a text for a query: stemmed terms, prefixes, wildcards and phrases."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    wildcards: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.wildcards or self.phrases)

    def spans(self, text: str) -> list[Span]:
        """Sorted, non-overlapping (start, end) spans of the matched words in `text`."""
        if not self or not text:
            return []
        if not (self.prefixes or self.wildcards or self.phrases):
            # Plain words: one pass with the analysis's cached word -> term lookup.
            terms = self.terms
            return merge_spans([m.span() for m in word_matches(text) if term_of(m.group()) in terms])
        known = self._known
        judge = self._judge
        found: list[Span] = []
        # Phrases are matched on the words that are indexed (stop words skipped, as in the index).
        words: list[tuple[str, int, int]] = []
        for match in word_matches(text):
            word = match.group()
            verdict = known.get(word)
            if verdict is None:
                verdict = judge(word)
                if len(known) < KNOWN_WORDS:
                    known[word] = verdict
            term, matched = verdict
            if not term:
                continue
            start, end = match.span()
            if matched:
                found.append((start, end))
            words.append((term, start, end))
        for phrase in self.phrases:
            size = len(phrase)
            for i in range(len(words) - size + 1):
                if all(words[i + k][0] == phrase[k] for k in range(size)):
                    found.append((words[i][1], words[i + size - 1][2]))
        return merge_spans(found)

    @functools.cached_property
    def _known(self) -> dict[str, tuple[str, bool]]:
        # A word as written -> (its term, whether it is marked on its own), for the next texts.
        return {}

    @functools.cached_property
    def _patterns(self) -> list[re.Pattern[str]]:
        return [wildcard_regex(w) for w in self.wildcards]

    def _judge(self, word: str) -> tuple[str, bool]:
        term = term_of(word)
        if not term:
            return term, False
        if term in self.terms:
            return term, True
        folded = fold(word)
        matched = any(folded.startswith(p) or term.startswith(p) for p in self.prefixes) or any(
            p.fullmatch(folded) for p in self._patterns
        )
        return term, matched


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """A wildcard (`migr?tie*`) as a regular expression on a folded word."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=64)
def terms_for_highlight(query: str, *, as_you_type: bool = False) -> HighlightTerms:
    """What to highlight for `query` in a paragraph's text (empty for a query that can't run).

    Call `.spans(text)` for each paragraph shown. Cached: `highlight_spans` for every paragraph
    of a letter parses the query once.
    """
    from briefreader.search.compile import compile_query
    from briefreader.search.syntax import QueryProblem

    try:
        compiled = compile_query(query, as_you_type=as_you_type)
    except QueryProblem:
        return HighlightTerms()
    return compiled.highlight


def highlight_spans(index: CorpusIndex | None, query: str, text: str, *, as_you_type: bool = False) -> list[Span]:
    """The (start, end) spans of `text` that `query` matches, stemmed matches included.

    Uses the same Dutch analysis as the index (`index` is accepted for symmetry with `search`;
    the analysis does not depend on it).
    """
    return terms_for_highlight(query, as_you_type=as_you_type).spans(text)


__all__ = ["HighlightTerms", "Span", "highlight_spans", "merge_spans", "terms_for_highlight", "wildcard_regex"]
