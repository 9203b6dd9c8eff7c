"""briefreader's own Whoosh queries and matchers, for what Whoosh's defaults made slow.

- `LetterScope` applies a filter or boost on the letter-wide fields to the letter's paragraphs
  (`RangesMatcher`: the paragraph ranges of the matching letters, see the document layout in
  `briefreader.index.documents`);
- `CompletionsQuery` is a prefix or wildcard rewritten to its completions and scored as a
  constant (`UnionMatcher`);
- `Without` is Whoosh's `AndNot` with a matcher that also leaves out an excluded first document
  (`ExcludingMatcher`): Whoosh 2.7.5's `AndNotMatcher` only checks the first document of `a`
  when `b` happens to stand on the same one, so `verzoek -tweede` could list a paragraph with
  "tweede" in it.

Both matchers implement Whoosh's whole matcher protocol, block quality included; the tests check
them against Whoosh's own matchers through every call the collector makes.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import ReadTooFar
from whoosh.query.wrappers import WrappingQuery
from whoosh.reading import IndexReader
from whoosh.searching import SearchContext, Searcher

from briefreader.index.errors import IndexDamaged
from briefreader.index.whoosh_private import range_terms
from briefreader.search.compile import is_null


class ScoredMatcher(matching.Matcher):
    """What our own matchers share: a score per document, no terms, no value types to offer."""

    def weight(self) -> float:
        return self.score()

    def supports(self, astype: str) -> bool:
        return False

    def term_matchers(self) -> Iterator[matching.Matcher]:
        return iter(())

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:
        return iter(())


class RangesMatcher(ScoredMatcher):
    """Matches the document numbers of sorted, disjoint ranges [start, end), each with a score."""

    def __init__(self, starts: list[int], ends: list[int], scores: list[float], quality: bool = False):
        self._starts, self._ends, self._scores = starts, ends, scores
        self._quality = quality
        self._i = 0
        self._id = starts[0] if starts else 0

    @property
    def ranges(self) -> tuple[list[int], list[int], list[float]]:
        """The (starts, ends, scores) lists this matcher walks."""
        return self._starts, self._ends, self._scores

    def is_active(self) -> bool:
        return self._i < len(self._starts)

    def id(self) -> int:
        return self._id

    def next(self) -> bool:
        if not self.is_active():
            raise ReadTooFar
        self._id += 1
        if self._id >= self._ends[self._i]:
            self._i += 1
            if self._i < len(self._starts):
                self._id = self._starts[self._i]
            return True  # a new block: the collector may check its quality
        return False

    def skip_to(self, target: int) -> bool:
        if not self.is_active() or target <= self._id:
            return False
        self._i = bisect.bisect_right(self._ends, target, self._i)
        if self._i < len(self._starts):
            self._id = max(target, self._starts[self._i])
        return False

    def reset(self) -> None:
        self._i = 0
        self._id = self._starts[0] if self._starts else 0

    def copy(self) -> RangesMatcher:
        copy = RangesMatcher(self._starts, self._ends, self._scores, self._quality)
        copy._i, copy._id = self._i, self._id
        return copy

    def all_ids(self) -> Iterator[int]:
        for i in range(self._i, len(self._starts)):
            yield from range(self._id if i == self._i else self._starts[i], self._ends[i])

    # Block quality (Whoosh's block-max pruning): each range is a block whose quality is its
    # score. Only scored scopes offer it: Whoosh's intersection would otherwise skip past every
    # zero-scored filter range and lose matches. Whoosh's union and intersection matchers ask
    # for the block quality of a child right after `skip_to_quality` may have exhausted it: an
    # exhausted matcher has nothing more to offer, quality 0 (as Whoosh's NullMatcher).
    def supports_block_quality(self) -> bool:
        return self._quality

    def max_quality(self) -> float:
        return max(self._scores[self._i :], default=0.0)

    def block_quality(self) -> float:
        return self._scores[self._i] if self.is_active() else 0.0

    def skip_to_quality(self, minquality: float) -> int:
        skipped = 0
        while self._i < len(self._starts) and self._scores[self._i] <= minquality:
            self._i += 1
            skipped += 1
        if skipped and self._i < len(self._starts):
            self._id = self._starts[self._i]
        return skipped

    def score(self) -> float:
        return self._scores[self._i] if self.is_active() else 0.0


class LetterScope(WrappingQuery):
    """Matches the paragraphs and footnotes of the letters whose letter document matches `child`.

    A letter's documents are contiguous in a segment, letter document first, and its `ndocs`
    column says how many follow (see `briefreader.index.documents`), so a filter like
    `date:2021` costs one lookup per matching letter, not per paragraph. With `scored`, each
    paragraph gets its letter's score times `boost` (the title boost); otherwise 0, so a
    filter does not change the ranking.
    """

    def __init__(self, child: wq.Query, boost: float = 1.0, scored: bool = False):
        super().__init__(child)
        self.boost = boost
        self.scored = scored

    def __repr__(self) -> str:
        return f"LetterScope({self.child!r}, boost={self.boost}, scored={self.scored})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, LetterScope)
            and self.child == other.child
            and self.boost == other.boost
            and self.scored == other.scored
        )

    def __hash__(self) -> int:
        return hash((LetterScope, self.child, self.boost, self.scored))

    def _rewrap(self, child: wq.Query) -> LetterScope:
        return LetterScope(child, self.boost, self.scored)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return ixreader.doc_count_all()

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> matching.Matcher:
        reader = searcher.reader()
        if not reader.has_column("ndocs"):
            return matching.NullMatcher()  # a segment without letters has no column
        ndocs = reader.column_reader("ndocs")
        size = reader.doc_count_all()

        def following(docnum: int) -> int:
            # Every number read from the index is checked before it becomes a range.
            count = ndocs[docnum]
            if not 0 <= count < size - docnum:
                raise IndexDamaged(f"letter document {docnum} claims {count} paragraphs; the segment has {size} documents")
            return count

        starts: list[int] = []
        ends: list[int] = []
        scores: list[float] = []
        letters = None if self.scored else letter_docs(self.child, reader)
        if letters is not None:
            for docnum in sorted(letters):
                count = following(docnum)
                if count:  # only letter documents have a count
                    starts.append(docnum + 1)
                    ends.append(docnum + 1 + count)
            scores = [0.0] * len(starts)
        else:
            inner = self.child.matcher(searcher, context if self.scored else None)
            while inner.is_active():
                docnum = inner.id()
                count = following(docnum)
                if count:
                    starts.append(docnum + 1)
                    ends.append(docnum + 1 + count)
                    scores.append(inner.score() * self.boost if self.scored else 0.0)
                inner.next()
        if not starts:
            return matching.NullMatcher()
        return RangesMatcher(starts, ends, scores, quality=self.scored)


def letter_docs(node: wq.Query, reader: IndexReader) -> set[int] | None:
    """The documents a filter on letter fields matches, as a set, or None to let Whoosh do it.

    A date range is an OR of a few dozen numeric terms; Whoosh's union matcher walks it in
    Python at ~10 µs a document, where reading the (short) posting lists into a set is cheap.
    """
    if isinstance(node, wq.Term):
        if (node.fieldname, node.text) not in reader:
            return set()
        return set(reader.postings(node.fieldname, node.text).all_ids())
    if isinstance(node, WrappingQuery) and not isinstance(node, LetterScope):
        return letter_docs(node.child, reader)
    if isinstance(node, (wq.NumericRange, wq.MultiTerm)):
        expanded = range_terms(node, reader)
        if expanded is None:
            return None
        if isinstance(node, wq.NumericRange):
            return letter_docs(expanded, reader)
        fieldname = node.field()
        result: set[int] = set()
        for btext in expanded:
            result.update(reader.postings(fieldname, btext).all_ids())
        return result
    if isinstance(node, (wq.Or, wq.And)):
        parts = [letter_docs(child, reader) for child in node.subqueries]
        if any(part is None for part in parts):
            return None
        if not parts:
            return set()
        return set().union(*parts) if isinstance(node, wq.Or) else set.intersection(*parts)
    if isinstance(node, wq.AndNot):
        a, b = letter_docs(node.a, reader), letter_docs(node.b, reader)
        return None if a is None or b is None else a - b
    if is_null(node):
        return set()
    return None


class UnionMatcher(ScoredMatcher):
    """The union of several term matchers, read lazily, every document with the same score.

    A heap holds each child at its current document. Whoosh's own union matcher does the same
    with scores and block-quality bookkeeping at every step, which is what made prefixes slow.
    """

    def __init__(self, children: list[matching.Matcher], score: float, quality: bool):
        self._children = children
        self._score, self._quality = score, quality
        self._heap = [(child.id(), n) for n, child in enumerate(children) if child.is_active()]
        heapq.heapify(self._heap)

    def is_active(self) -> bool:
        return bool(self._heap)

    def id(self) -> int:
        return self._heap[0][0]

    def next(self) -> bool:
        current = self._heap[0][0]
        heap = self._heap
        while heap and heap[0][0] == current:
            _, n = heap[0]
            child = self._children[n]
            child.next()
            if child.is_active():
                heapq.heapreplace(heap, (child.id(), n))
            else:
                heapq.heappop(heap)
        return True  # every document is its own block: the collector may check quality

    def skip_to(self, target: int) -> bool:
        if not self._heap or target <= self._heap[0][0]:
            return False
        heap = []
        for docnum, n in self._heap:
            child = self._children[n]
            if docnum < target:
                child.skip_to(target)
            if child.is_active():
                heap.append((child.id(), n))
        heapq.heapify(heap)
        self._heap = heap
        return True

    def reset(self) -> None:
        for child in self._children:
            child.reset()
        self._heap = [(child.id(), n) for n, child in enumerate(self._children) if child.is_active()]
        heapq.heapify(self._heap)

    def copy(self) -> UnionMatcher:
        return UnionMatcher([child.copy() for child in self._children], self._score, self._quality)

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()

    def supports_block_quality(self) -> bool:
        return self._quality

    def max_quality(self) -> float:
        return self._score

    def block_quality(self) -> float:
        return self._score

    def skip_to_quality(self, minquality: float) -> int:
        # All scores are equal: once the top hits score at least this, nothing here helps.
        if self._score <= minquality and self._heap:
            self._heap = []
            return 1
        return 0

    def score(self) -> float:
        return self._score


class CompletionsQuery(wq.Query):
    """A prefix or wildcard, rewritten to its completions and scored as a constant.

    Like Lucene's constant-score rewrite of multi-term queries: OR-ing the completions as
    scored terms makes Whoosh score every document that contains any of them (800 ms for
    `migratie*` on 10,000 letters); a constant score needs only their document numbers, read
    lazily, and when the prefix is all there is to rank by (`quality`), Whoosh's block-max
    pruning stops right after the first page of hits.
    """

    def __init__(self, fieldname: str, texts: list[str], score: float = 1.0, quality: bool = False):
        self.fieldname = fieldname
        self.texts = list(texts)
        self.score = score
        self.quality = quality
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"CompletionsQuery({self.fieldname!r}, {self.texts!r}, score={self.score}, quality={self.quality})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompletionsQuery) and (self.fieldname, self.texts, self.score, self.quality) == (
            other.fieldname,
            other.texts,
            other.score,
            other.quality,
        )

    def __hash__(self) -> int:
        return hash((CompletionsQuery, self.fieldname, tuple(self.texts), self.score, self.quality))

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for text in self.texts:
            yield (self.fieldname, text)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, text) for text in self.texts)

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> matching.Matcher:
        reader = searcher.reader()
        children = [reader.postings(self.fieldname, text) for text in self.texts if (self.fieldname, text) in reader]
        if not children:
            return matching.NullMatcher()
        return UnionMatcher(children, self.score, self.quality)


class ExcludingMatcher(matching.WrappingMatcher):
    """The documents of `child` that `excluded` does not match, scored as `child` scores them."""

    def __init__(self, child: matching.Matcher, excluded: matching.Matcher):
        super().__init__(child)
        self.excluded = excluded
        self._leave_out()

    def __repr__(self) -> str:
        return f"ExcludingMatcher({self.child!r}, {self.excluded!r})"

    def _leave_out(self) -> bool:
        """Move on past excluded documents; True if that entered a new block."""
        child, excluded = self.child, self.excluded
        moved = False
        while child.is_active() and excluded.is_active():
            docnum = child.id()
            if excluded.id() < docnum:
                excluded.skip_to(docnum)
                if not excluded.is_active():
                    break
            if excluded.id() != docnum:
                break
            moved = child.next() or moved
        return moved

    def next(self) -> bool:
        if not self.child.is_active():
            raise ReadTooFar
        moved = self.child.next()
        return self._leave_out() or moved

    def skip_to(self, target: int) -> bool:
        if not self.child.is_active():
            raise ReadTooFar
        moved = self.child.skip_to(target)
        return self._leave_out() or moved

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality)
        self._leave_out()
        return skipped

    def reset(self) -> None:
        self.child.reset()
        self.excluded.reset()
        self._leave_out()

    def copy(self) -> ExcludingMatcher:
        return ExcludingMatcher(self.child.copy(), self.excluded.copy())

    def replace(self, minquality: float = 0) -> matching.Matcher:
        child = self.child.replace(minquality)
        if not child.is_active():
            return matching.NullMatcher()
        if not self.excluded.is_active():
            return child
        return self if child is self.child else ExcludingMatcher(child, self.excluded)

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()

    def supports_block_quality(self) -> bool:
        return self.child.supports_block_quality()

    def max_quality(self) -> float:
        return self.child.max_quality()

    def block_quality(self) -> float:
        return self.child.block_quality()

    def weight(self) -> float:
        return self.child.weight()

    def score(self) -> float:
        return self.child.score()

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:
        return self.child.matching_terms(id)

    def term_matchers(self) -> Iterator[matching.Matcher]:
        return self.child.term_matchers()


class Without(wq.AndNot):
    """`a` without the documents of `b` (Whoosh's `AndNot`, with `ExcludingMatcher`)."""

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> matching.Matcher:
        kept = self.a.matcher(searcher, context)
        if not kept.is_active():
            return matching.NullMatcher()
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        if not excluded.is_active():
            return kept
        return ExcludingMatcher(kept, excluded)


__all__ = ["CompletionsQuery", "ExcludingMatcher", "LetterScope", "Without", "RangesMatcher", "ScoredMatcher", "UnionMatcher", "letter_docs"]
