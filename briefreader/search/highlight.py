"""Which character spans of a text a query matches: the words (stemmed and folded as the index
has them), prefixes, wildcards and phrases. Spans, never markup."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefreader.analysis import fold, word_matches
from briefreader.analysis import term as term_of
from briefreader.analysis import words as words_of

if TYPE_CHECKING:
    from briefreader.index import CorpusIndex

Span = tuple[int, int]
#: How many words as written a query's highlighter remembers whether it marks them.
KNOWN_WORDS = 50_000
#: ...and how many patterns for the sets of words marked in a text.
KNOWN_PATTERNS = 1_000
_WORD_CHARACTER = re.compile(r"\w")


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
        found = self._marked(text)
        if self.phrases:
            found += self._phrase_spans(text)
        return merge_spans(found)

    def _marked(self, text: str) -> list[Span]:
        """The spans of the words marked on their own (a term, a prefix's or wildcard's match).

        Each distinct word as written is judged once for the query (set operations in C sort
        the text's words into judged and new); the marked ones are then found by a pattern of
        those very words, each a whole token: a word is a maximal run of word characters
        (`analysis.WORD_PATTERN`), so a match with no word character on either side is exactly
        a token that is one of them.
        """
        present = set(words_of(text))
        seen, hits, patterns = self._memory
        new = present - seen
        if new:
            judged = {word for word in new if self._judge(word)}
            if len(seen) < KNOWN_WORDS:
                hits |= judged  # first: a word seen is in `hits` if it is marked (other threads read them)
                seen |= new
            marked = frozenset((present & hits) | judged)
        else:
            marked = frozenset(present & hits)
        if not marked:
            return []
        pattern = patterns.get(marked)
        if pattern is None:
            alternatives = "|".join(re.escape(word) for word in sorted(marked))
            pattern = re.compile(rf"(?:{alternatives})(?!\w)")
            if len(patterns) < KNOWN_PATTERNS:
                patterns[marked] = pattern
        # The word character before a match is tested here: a pattern starting with a lookbehind
        # scans the text three times slower. A match inside a word hides no token start.
        word_character = _WORD_CHARACTER.match
        return [match.span() for match in pattern.finditer(text) if not (match.start() and word_character(text, match.start() - 1))]

    def _phrase_spans(self, text: str) -> list[Span]:
        # Phrases are matched on the words that are indexed (stop words skipped, as in the index).
        words: list[tuple[str, int, int]] = []
        for match in word_matches(text):
            term = term_of(match.group())
            if term:
                start, end = match.span()
                words.append((term, start, end))
        found: list[Span] = []
        for phrase in self.phrases:
            size = len(phrase)
            for i in range(len(words) - size + 1):
                if all(words[i + k][0] == phrase[k] for k in range(size)):
                    found.append((words[i][1], words[i + size - 1][2]))
        return found

    @functools.cached_property
    def _memory(self) -> tuple[set[str], set[str], dict[frozenset[str], re.Pattern[str]]]:
        # What the next texts reuse, made at once (threads share a query's HighlightTerms): the
        # words as written judged so far, those of them marked on their own, and the patterns
        # finding a text's marked words.
        return set(), set(), {}

    @functools.cached_property
    def _patterns(self) -> list[re.Pattern[str]]:
        return [wildcard_regex(w) for w in self.wildcards]

    def _judge(self, word: str) -> bool:
        term = term_of(word)
        if not term:
            return False
        if term in self.terms:
            return True
        folded = fold(word)
        return any(folded.startswith(p) or term.startswith(p) for p in self.prefixes) or any(
            p.fullmatch(folded) for p in self._patterns
        )


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
