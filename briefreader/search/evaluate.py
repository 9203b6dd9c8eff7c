"""Evaluating a plan on one segment of the index by reading whole posting lists.

Whoosh walks the documents of `frontex litouwen` one by one through a tree of Python matchers
(skip_to, score, collect): about 20 µs per candidate, 1.6 s when two words each stand in 80,000
letters. Reading each word's posting list a block at a time (about 0.4 µs a posting), intersecting
them as sets and scoring only the survivors gives the same letters and the same BM25F scores (the
formula is Whoosh's, `whoosh.scoring.bm25`, with its statistics) in a fraction of that. A phrase
checks the positions of its words only in the letters that hold all of them.

Scores are what Whoosh gives for the equivalent query (tests/test_search_engine.py compares both
on hundreds of queries, on an index with several segments and deleted documents). The private
reads are in `briefreader.index.whoosh_private`, with a public fallback.

What a search reads stays with the searcher for the next ones (the same version of the index;
typing on repeats the words typed before): per segment, in one budget, least recently used out,
each word's posting lists, the letters holding it, its scores in each field and the letters
holding a phrase; and the segment's dates, field lengths and live documents.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from whoosh import scoring
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from briefreader.index.errors import IndexDamaged
from briefreader.index.whoosh_private import Unavailable, deleted_docs, length_bytes, positions_decoder, read_postings
from briefreader.search.plan import NO_DATE, All, Dates, Either, Everything, Keyword, Node, Nothing, Phrase, Terms, Without

_LENGTHS = [byte_to_length(b) for b in range(256)]
#: How many postings the posting lists kept between searches may hold in all, with the letters
#: and scores derived from them (about 40-70 bytes each, per segment): as-you-type searches
#: repeat the words typed before.
POSTINGS_CACHE_SIZE = 2_000_000


class PostingsCache:
    """Decoded posting lists of one segment (and what is derived from them: a phrase's letters,
    a term's scores), least recently used first out."""

    def __init__(self, budget: int = POSTINGS_CACHE_SIZE):
        self.budget = budget
        self.size = 0
        self._lists: OrderedDict[tuple[str, str], tuple[Any, int]] = OrderedDict()
        #: What every search derives from the segment alike (its date column, field lengths,
        #: live documents): a few values per document, read once.
        self.segment: dict[Any, Any] = {}

    def get(self, key: tuple[str, str]) -> Any:
        found = self._lists.get(key)
        if found is None:
            return None
        self._lists.move_to_end(key)
        return found[0]

    def put(self, key: tuple[str, str], value: Any, size: int) -> None:
        if size > self.budget:
            return
        self._lists[key] = (value, size)
        self.size += size
        while self.size > self.budget:
            _, (_, dropped) = self._lists.popitem(last=False)
            self.size -= dropped

Scores = dict[int, float]


class SegmentEvaluator:
    """Evaluates plan nodes on one segment (`leaf`), with the index-wide statistics of `top`.

    Document numbers are the segment's own; deleted documents never match; with `within`, only
    those documents can match.
    """

    def __init__(self, leaf: Searcher, top: Searcher, within: set[int] | None = None, shared: PostingsCache | None = None):
        self.leaf = leaf
        #: Posting lists read by earlier searches on the same searcher (the same index version).
        self.shared = shared if shared is not None else PostingsCache()
        self.top = top
        self.reader = leaf.reader()
        self.size = self.reader.doc_count_all()
        self.deleted = deleted_docs(self.reader)
        self.within = within
        weighting = top.weighting
        if type(weighting) is not scoring.BM25F:
            raise TypeError(f"briefreader scores with BM25F, not {type(weighting).__name__}")
        self.b, self.k1 = weighting.B, weighting.K1
        self._postings: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self._values: dict[tuple[str, str], dict[int, Any]] = {}
        #: Kept with the shared posting lists: the same for every search on this segment.
        self._norms: dict[str, tuple[list[float], bytes | None]] = self.shared.segment.setdefault("norms", {})

    # -- reading

    def _checked(self, ids: list[int]) -> None:
        # Every number read from the index is checked before it is used (ids are ascending).
        if ids and not (0 <= ids[0] and ids[-1] < self.size):
            raise IndexDamaged(f"a posting list names document {ids[-1]} of a segment of {self.size}")

    def postings(self, fieldname: str, text: str) -> tuple[list[int], list[float]]:
        """A term's live postings in this segment: (document numbers, weights)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None and self.within is None:
            found = self.shared.get(key)
            if found is not None:
                self._postings[key] = found
        if found is None:
            ids, weights, _ = read_postings(self.reader, fieldname, text)
            found = self._keep_postings(key, ids, weights)
        return found

    def _keep_postings(self, key: tuple[str, str], ids: list[int], weights: list[float]) -> tuple[list[int], list[float]]:
        """A term's postings as read, without the deleted documents (and those not `within`)."""
        self._checked(ids)
        if self.deleted or self.within is not None:
            keep = self.within
            deleted = self.deleted
            pairs = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted and (keep is None or d in keep)]
            ids = [d for d, _ in pairs]
            weights = [w for _, w in pairs]
        found = self._postings[key] = (ids, list(weights))
        if self.within is None:
            self.shared.put(key, found, len(ids))
        return found

    def values(self, fieldname: str, text: str) -> dict[int, Any]:
        """A term's encoded positions by document number (decode with `self.decode(fieldname)`)."""
        key = (fieldname, text)
        found = self._values.get(key)
        if found is None:
            ids, weights, encoded = read_postings(self.reader, fieldname, text, values=True)
            self._checked(ids)
            found = self._values[key] = dict(zip(ids, encoded, strict=True))
            if key not in self._postings and (self.within is not None or self.shared.get(key) is None):
                # The same read gives the postings: a phrase needs both.
                self._keep_postings(key, ids, weights)
        return found

    def decode(self, fieldname: str) -> Callable[[bytes], list[int]]:
        """Encoded positions -> positions, for one field."""
        return positions_decoder(self.reader, fieldname)

    def _lengths(self, fieldname: str) -> tuple[list[float], bytes | None]:
        """The length part of BM25's denominator (K1 * (1 - B + B * length / average)) for each of
        the 256 length bytes, and the field's length column (None: ask Whoosh document by document)."""
        found = self._norms.get(fieldname)
        if found is None:
            average = self.top.avg_field_length(fieldname) or 1
            b, k1 = self.b, self.k1
            table = [k1 * ((1 - b) + b * length / average) for length in _LENGTHS]
            try:
                # The column ends at the last document holding the field: beyond it, none does.
                raw: bytes | None = length_bytes(self.reader, fieldname)
            except Unavailable:
                raw = None
            found = self._norms[fieldname] = (table, raw)
        return found

    def term_scores(self, fieldname: str, text: str, boost: float, within: set[int] | None = None) -> Scores:
        """BM25 x `boost` of a term's documents in one field (only those in `within`, if given),
        in document order. The scores may be shared with later searches: never change them."""
        ids, weights = self.postings(fieldname, text)
        if not ids:
            return {}
        factor = self.top.idf(fieldname, text) * (self.k1 + 1) * boost
        table, raw = self._lengths(fieldname)
        if raw is None:
            k1, b = self.k1, self.b
            average = self.top.avg_field_length(fieldname) or 1
            length = self.reader.doc_field_length
            pairs = zip(ids, weights, strict=True)
            return {
                d: factor * w / (w + k1 * ((1 - b) + b * length(d, fieldname, 1) / average))
                for d, w in pairs
                if within is None or d in within
            }
        every = self._all_scores(fieldname, text, factor, ids, weights, table, raw)
        if within is None:
            return every
        # In document order either way (as the posting list has them).
        if len(within) < len(every):
            return {d: every[d] for d in sorted(within) if d in every}
        return {d: score for d, score in every.items() if d in within}

    def _all_scores(
        self, fieldname: str, text: str, factor: float, ids: list[int], weights: list[float], table: list[float], raw: bytes
    ) -> Scores:
        """BM25 x boost (in `factor`) of every document of a term's posting list, in its order;
        kept with the posting lists between searches (shared: never change it)."""
        key = (f"\0scores {fieldname} {factor!r}", text)
        if self.within is None:
            kept = self.shared.get(key)
            if kept is not None:
                return kept[0]
        if ids[-1] >= len(raw):
            raise IndexDamaged(f"document {ids[-1]} holds `{text}` in {fieldname} but has no length there")
        # The hot loop of every search: no function calls inside.
        every = {d: factor * w / (w + table[raw[d]]) for d, w in zip(ids, weights, strict=True)}
        if self.within is None:
            self.shared.put(key, (every, []), len(every))
        return every

    def dates(self) -> list[int]:
        """The `date` column of this segment (`NO_DATE` for an undated letter)."""
        found = self.shared.segment.get("dates")
        if found is None:
            if not self.reader.has_column("date"):
                found = [NO_DATE] * self.size
            else:
                found = list(self.reader.column_reader("date", translate=False))
                if len(found) != self.size:
                    raise IndexDamaged(f"the date column has {len(found)} of {self.size} documents")
            self.shared.segment["dates"] = found
        return found

    def _by_date(self) -> tuple[list[int], list[int]]:
        """The segment's document numbers ordered by date, and their dates in that order."""
        found = self.shared.segment.get("by date")
        if found is None:
            dates = self.dates()
            order = sorted(range(self.size), key=dates.__getitem__)
            found = self.shared.segment["by date"] = (order, [dates[d] for d in order])
        return found

    def _dated(self, low: int, high: int) -> set[int]:
        """The live documents dated from `low` to `high` (inclusive)."""
        segment = self.shared.segment
        if "by date" not in segment and not segment.get("dated before"):
            # The first date filter on this segment walks its dates (a fifth of a sort's cost);
            # the next ones get the sorted dates.
            segment["dated before"] = True
            live = self._live()
            return {d for d, value in enumerate(self.dates()) if low <= value <= high and d in live}
        order, values = self._by_date()
        found = set(order[bisect.bisect_left(values, low) : bisect.bisect_right(values, high)])
        if self.within is not None:
            found &= self.within
        return found - self.deleted if self.deleted else found

    def _live(self) -> set[int]:
        if self.within is not None:
            return set(self.within) - self.deleted
        live = self.shared.segment.get("live")
        if live is None:
            live = self.shared.segment["live"] = frozenset(range(self.size)) - self.deleted
        return set(live)

    # -- phrases

    def _phrase_in(self, fieldname: str, words: tuple[str, ...], within: set[int] | None) -> set[int]:
        # The letters holding a phrase are kept with the posting lists between searches (typing
        # on after a phrase repeats it; two common words cost tens of milliseconds to match).
        key = (f"\0phrase {fieldname}", " ".join(words))
        unfiltered = within is None and self.within is None
        if unfiltered:
            cached = self.shared.get(key)
            if cached is not None:
                return set(cached[0])
        matched = self._match_phrase(fieldname, words, within)
        if unfiltered:
            self.shared.put(key, (sorted(matched), []), len(matched))
        return matched

    def _match_phrase(self, fieldname: str, words: tuple[str, ...], within: set[int] | None) -> set[int]:
        maps = [self.values(fieldname, word) for word in words]
        if not all(maps):
            return set()
        decode = self.decode(fieldname)
        candidates = set(self.postings(fieldname, words[0])[0])
        for word in words[1:]:
            candidates.intersection_update(self.postings(fieldname, word)[0])
        if within is not None:
            candidates &= within
        # A letter holds the phrase where word k stands at start + k for every k: the starts that
        # survive intersecting each word's positions shifted back by k. Set operations and map()
        # run in C; this loop runs for thousands of letters when both words are common.
        first, rest = maps[0], list(enumerate(maps[1:], 1))
        matched: set[int] = set()
        for docnum in candidates:
            starts = set(decode(first[docnum]))
            for k, positions in rest:
                starts.intersection_update(map((-k).__add__, decode(positions[docnum])))
                if not starts:
                    break
            else:
                matched.add(docnum)
        return matched

    def phrase_scores(self, node: Phrase, within: set[int] | None = None) -> Scores:
        """Letters holding the phrase in one of its fields, scored as Whoosh scores a phrase (the
        BM25 of its words in that field), summed over the fields, with their boosts."""
        result: Scores = {}
        for fieldname, boost in node.fields:
            matched = self._phrase_in(fieldname, node.words, within)
            if not matched:
                continue
            for word in node.words:
                for docnum, score in self.term_scores(fieldname, word, boost, matched).items():
                    result[docnum] = result.get(docnum, 0.0) + score
        return result

    # -- nodes

    def docs(self, node: Node) -> set[int]:
        """The documents `node` matches, unscored (for filters, NOTs and ANDs). A word's set may
        be shared with later searches: change only what an AND, OR or NOT made."""
        if isinstance(node, Terms):
            if self.within is not None:
                return set().union(*(self.postings(f, t)[0] for t in node.terms for f, _ in node.fields))
            key = ("\0docs " + " ".join(f for f, _ in node.fields), " ".join(node.terms))
            kept = self.shared.get(key)
            if kept is None:
                kept = set().union(*(self.postings(f, t)[0] for t in node.terms for f, _ in node.fields))
                self.shared.put(key, kept, len(kept))
            return kept
        if isinstance(node, Phrase):
            return set().union(*(self._phrase_in(f, node.words, None) for f, _ in node.fields))
        if isinstance(node, Keyword):
            return set().union(*(self.postings(node.field, value)[0] for value in node.values))
        if isinstance(node, Dates):
            low = node.low if node.low is not None else -1
            high = node.high if node.high is not None else NO_DATE - 1
            return self._dated(low, high)
        if isinstance(node, All):
            if not node.children:
                return set()
            sets = sorted((self.docs(child) for child in node.children), key=len)
            return sets[0].intersection(*sets[1:])
        if isinstance(node, Either):
            return set().union(*(self.docs(child) for child in node.children))
        if isinstance(node, Without):
            return self.docs(node.keep) - self.docs(node.drop)
        if isinstance(node, Everything):
            return self._live()
        if isinstance(node, Nothing):
            return set()
        raise TypeError(f"not a plan node: {node!r}")

    def scores(self, node: Node, within: set[int] | None = None) -> Scores:
        """The documents `node` matches (only those in `within`, if given), with their scores."""
        if isinstance(node, Terms):
            if node.constant is not None:
                found = self.docs(node)
                return dict.fromkeys(found if within is None else found & within, node.constant)
            return _sum([self.term_scores(fieldname, node.terms[0], boost, within) for fieldname, boost in node.fields])
        if isinstance(node, Phrase):
            return self.phrase_scores(node, within)
        if isinstance(node, (Keyword, Dates, Everything, Nothing)):
            found = self.docs(node)
            return dict.fromkeys(found if within is None else found & within, 0.0)
        if isinstance(node, All):
            # Intersect first (document numbers only), then score what is left.
            survivors = self.docs(node)
            if within is not None:
                survivors &= within
            result = dict.fromkeys(survivors, 0.0)
            if survivors:
                for child in node.children:
                    for docnum, score in self.scores(child, survivors).items():
                        result[docnum] += score
            return result
        if isinstance(node, Either):
            return _sum([self.scores(child, within) for child in node.children])
        if isinstance(node, Without):
            result = self.scores(node.keep, within)
            if result:
                for docnum in self.docs(node.drop):
                    result.pop(docnum, None)
            return result
        raise TypeError(f"not a plan node: {node!r}")


def _sum(parts: list[Scores]) -> Scores:
    """The scores of several parts added up per document (the biggest part copied, the others
    added to it: the words of a letter's title are few, those of its paragraphs many)."""
    parts = sorted((part for part in parts if part), key=len, reverse=True)
    if not parts:
        return {}
    result = dict(parts[0])
    get = result.get
    for part in parts[1:]:
        for docnum, score in part.items():
            result[docnum] = get(docnum, 0.0) + score
    return result


class Stopped(Exception):
    """The caller's `stop()` said the search is no longer wanted."""


StopCheck = Callable[[], bool]


def check(stop: StopCheck | None) -> None:
    """`Stopped` if `stop()` says so (called between the stages of a search)."""
    if stop is not None and stop():
        raise Stopped


def evaluate(searcher: Searcher, root: Node, within: Iterable[int] | None = None, stop: StopCheck | None = None) -> Scores:
    """Every matching letter of the index (global document numbers) with its score.

    `within`: only these (global) document numbers can match. `stop`: asked before each segment;
    `Stopped` when it says the search is no longer wanted.
    """
    wanted = None if within is None else set(within)
    caches = _caches(searcher)
    result: Scores = {}
    for leaf, offset in searcher.leaf_searchers():
        size = leaf.reader().doc_count_all()
        local = None if wanted is None else {d - offset for d in wanted if offset <= d < offset + size}
        if local is not None and not local:
            continue
        check(stop)
        shared = caches.setdefault(offset, PostingsCache())
        found = SegmentEvaluator(leaf, searcher, local, shared).scores(root)
        if not offset and not result:
            result = found  # the first segment: its numbers are the index's
        else:
            result.update(zip(map(offset.__add__, found), found.values(), strict=True))
    return result


def _caches(searcher: Searcher) -> dict[int, PostingsCache]:
    """The posting caches of a searcher's segments (a searcher is lent to one thread at a time:
    see `briefreader.index.reading.SearcherPool`); fresh ones for a searcher without a cache."""
    cache = getattr(searcher, "briefreader_cache", None)
    if cache is None:
        return {}
    return cache.setdefault("postings", {})


__all__ = ["POSTINGS_CACHE_SIZE", "PostingsCache", "SegmentEvaluator", "StopCheck", "Stopped", "check", "evaluate"]
