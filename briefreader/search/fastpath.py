"""Running a query of words, filters and NOTs on whole posting lists instead of Whoosh's matchers.

Whoosh walks the documents of `frontex litouwen` one by one through a tree of Python matchers
(skip_to, score, collect), about 20 µs per matching paragraph: 120 ms when both words are common.
Reading each word's postings a block at a time (about 0.4 µs a posting), intersecting them as sets
and scoring the survivors with Whoosh's own BM25F formula gives the same hits and scores in a
fraction of that; a phrase checks the positions of its words only in the paragraphs that hold all
of them. Prefixes and single words (where Whoosh's block-max pruning works) stay with Whoosh.
The private reads are in `briefreader.index.whoosh_private`; tests compare both ways.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from briefreader.index.whoosh_private import Unavailable, deleted_docs, length_bytes, read_postings
from briefreader.search.fields import PARAGRAPH_FIELDS
from briefreader.search.matchers import LetterScope, RangesMatcher
from briefreader.search.plan import Plan

#: Use the whole-postings path; tests switch it off to compare both paths.
ENABLED = True


class Unsupported(Exception):
    """A query shape the whole-postings path does not handle: let Whoosh's matchers run it."""


_LENGTH_TABLE = [byte_to_length(b) for b in range(256)]


class WholePostings:
    """Runs a query on one segment (a leaf searcher) by reading whole posting lists."""

    def __init__(self, leaf: Searcher):
        self.searcher = leaf
        self.reader = leaf.reader()
        self.deleted = deleted_docs(self.reader)
        self._lengths: dict[str, Callable[[int], int]] = {}
        self._weights: dict[tuple[str, str], dict[int, float]] = {}
        self._positions: dict[tuple[str, str], dict[int, Any]] = {}

    def _postings(self, fieldname: str, text: str, values: bool = False) -> tuple[list[int], list[float], list[Any]]:
        ids, weights, encoded = read_postings(self.reader, fieldname, text, values)
        if self.deleted:
            keep = [n for n, docnum in enumerate(ids) if docnum not in self.deleted]
            ids = [ids[n] for n in keep]
            weights = [weights[n] for n in keep]
            encoded = [encoded[n] for n in keep] if values else encoded
        return ids, weights, encoded

    def positions(self, fieldname: str, text: str) -> dict[int, Any]:
        """A word's postings as document number -> encoded positions."""
        key = (fieldname, text)
        if key not in self._positions:
            ids, weights, encoded = self._postings(fieldname, text, values=True)
            self._positions[key] = dict(zip(ids, encoded, strict=True))
            self._weights.setdefault(key, dict(zip(ids, weights, strict=True)))
        return self._positions[key]

    def phrase_scores(self, node: wq.Phrase) -> dict[int, float]:
        """The documents holding the phrase, scored as Whoosh scores a phrase: its words' BM25F."""
        if node.fieldname not in PARAGRAPH_FIELDS or node.slop != 1 or not node.words:
            raise Unsupported("phrase")
        maps = [self.positions(node.fieldname, word) for word in node.words]
        if not all(maps):
            return {}
        decode = self.reader.schema[node.fieldname].format.decode_positions
        candidates = set(min(maps, key=len)).intersection(*maps)
        matched: set[int] = set()
        for docnum in candidates:
            following = [set(decode(positions[docnum])) for positions in maps[1:]]
            for start in decode(maps[0][docnum]):
                if all(start + k + 1 in later for k, later in enumerate(following)):
                    matched.add(docnum)
                    break
        result = dict.fromkeys(matched, 0.0)
        for word in node.words:
            for docnum, score in self.term_scores(node.fieldname, word, 1.0, matched).items():
                result[docnum] += score
        if node.boost != 1.0:
            result = {d: v * node.boost for d, v in result.items()}
        return result

    def _length_of(self, fieldname: str) -> Callable[[int], int]:
        if fieldname not in self._lengths:
            try:
                raw = length_bytes(self.reader, fieldname)
                table = _LENGTH_TABLE
                self._lengths[fieldname] = lambda docnum: table[raw[docnum]] if docnum < len(raw) else 1
            except Unavailable:
                reader = self.reader
                self._lengths[fieldname] = lambda docnum: reader.doc_field_length(docnum, fieldname, 1)
        return self._lengths[fieldname]

    def weights(self, fieldname: str, text: str) -> dict[int, float]:
        """A word's postings as document number -> weight (term frequency)."""
        key = (fieldname, text)
        if key not in self._weights:
            ids, weights, _ = self._postings(fieldname, text)
            self._weights[key] = dict(zip(ids, weights, strict=True))
        return self._weights[key]

    def _score_function(self, fieldname: str, text: str) -> Callable[[float, int], float]:
        """Whoosh's BM25F for one word, from its public parts (`whoosh.scoring.bm25`)."""
        weighting = self.searcher.weighting
        if type(weighting) is not scoring.BM25F or not self.reader.schema[fieldname].scorable:
            raise Unsupported("weighting")
        parent = self.searcher.get_parent()  # idf and average length are index-wide
        idf = parent.idf(fieldname, text)
        average = parent.avg_field_length(fieldname) or 1
        b, k1 = weighting.B, weighting.K1
        return lambda weight, length: scoring.bm25(idf, weight, length, average, b, k1)

    def term_scores(self, fieldname: str, text: str, boost: float, within: set[int] | None = None) -> dict[int, float]:
        """BM25F scores of a word's documents (only those in `within`, if given)."""
        weights = self.weights(fieldname, text)
        if not weights:
            return {}
        score = self._score_function(fieldname, text)
        length = self._length_of(fieldname)
        docnums = weights.keys() if within is None else (d for d in within if d in weights)
        return {docnum: score(weights[docnum], length(docnum)) * boost for docnum in docnums}

    def ranges(self, node: LetterScope) -> RangesMatcher | None:
        matcher = node.matcher(self.searcher)
        return matcher if isinstance(matcher, RangesMatcher) else None

    def docset(self, node: wq.Query) -> set[int]:
        """The documents `node` matches, unscored (for filters and NOTs)."""
        if isinstance(node, LetterScope):
            ranges = self.ranges(node)
            result: set[int] = set()
            if ranges is not None:
                starts, ends, _ = ranges.ranges
                for start, end in zip(starts, ends, strict=True):
                    result.update(range(start, end))
            return result
        if isinstance(node, wq.Term) and node.fieldname in PARAGRAPH_FIELDS:
            return set(self.weights(node.fieldname, node.text))
        if isinstance(node, wq.Phrase):
            return set(self.phrase_scores(node))
        if isinstance(node, wq.Or):
            return set().union(*(self.docset(child) for child in node.subqueries))
        if isinstance(node, wq.And):
            sets = sorted((self.docset(child) for child in node.subqueries), key=len)
            return sets[0].intersection(*sets[1:]) if sets else set()
        raise Unsupported(type(node).__name__)

    def scores(self, node: wq.Query) -> dict[int, float]:
        """The documents `node` matches with their scores, as Whoosh's matchers would give them."""
        if isinstance(node, wq.Term) and node.fieldname in PARAGRAPH_FIELDS:
            return self.term_scores(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.Phrase):
            return self.phrase_scores(node)
        if isinstance(node, wq.Or):
            merged: dict[int, float] = {}
            for child in node.subqueries:
                part = dict.fromkeys(self.docset(child), 0.0) if isinstance(child, LetterScope) else self.scores(child)
                for docnum, score in part.items():
                    merged[docnum] = merged.get(docnum, 0.0) + score
            if node.boost != 1.0:
                merged = {d: v * node.boost for d, v in merged.items()}
            return merged
        if isinstance(node, wq.And):
            # Intersect first (document numbers only), then score what is left.
            words = [c for c in node.subqueries if isinstance(c, wq.Term) and c.fieldname in PARAGRAPH_FIELDS]
            others = [c for c in node.subqueries if c not in words and not isinstance(c, LetterScope)]
            if not words and not others:
                raise Unsupported("filters only")
            other_scores = [self.scores(child) for child in others]
            candidates = [self.weights(w.fieldname, w.text).keys() for w in words]
            candidates += [scores.keys() for scores in other_scores]
            candidates += [self.docset(c) for c in node.subqueries if isinstance(c, LetterScope)]
            candidates.sort(key=len)
            survivors = set(candidates[0]).intersection(*candidates[1:])
            result = dict.fromkeys(survivors, 0.0)
            for word in words:
                for docnum, score in self.term_scores(word.fieldname, word.text, word.boost, survivors).items():
                    result[docnum] += score
            for scores in other_scores:
                for docnum in survivors:
                    result[docnum] += scores[docnum]
            if node.boost != 1.0:
                result = {d: v * node.boost for d, v in result.items()}
            return result
        if isinstance(node, wq.AndNot):
            result = self.scores(node.a)
            for docnum in self.docset(node.b):
                result.pop(docnum, None)
            return result
        if isinstance(node, wq.AndMaybe):
            result = self.scores(node.a)
            extras = node.b.subqueries if isinstance(node.b, wq.Or) else [node.b]
            for extra in extras:
                if isinstance(extra, LetterScope):
                    ranges = self.ranges(extra)
                    if ranges is None:
                        continue
                    starts, ends, values = ranges.ranges
                    for docnum in result:
                        i = bisect.bisect_right(starts, docnum) - 1
                        if i >= 0 and docnum < ends[i]:
                            result[docnum] += values[i]
                else:
                    for docnum, score in self.scores(extra).items():
                        if docnum in result:
                            result[docnum] += score
            return result
        raise Unsupported(type(node).__name__)


def whole_postings_picks(searcher: Searcher, plan: Plan, limit: int) -> tuple[list[tuple[int, float]], int] | None:
    """Top hits and exact count through `WholePostings`, or None if the query is not for it."""
    if not ENABLED or isinstance(plan.matching, wq.Term):
        return None  # one word: Whoosh's block-max pruning does well
    try:
        everything: list[tuple[float, int]] = []
        for leaf, offset in searcher.leaf_searchers():
            scores = WholePostings(leaf).scores(plan.ranked)
            everything.extend((score, docnum + offset) for docnum, score in scores.items())
    except Unsupported:
        return None
    best = heapq.nsmallest(limit, everything, key=lambda item: (-item[0], item[1]))
    return [(docnum, score) for score, docnum in best], len(everything)


__all__ = ["ENABLED", "Unsupported", "WholePostings", "whole_postings_picks"]
