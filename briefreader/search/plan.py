"""A compiled query -> a `Plan`: what to look for in which index fields, for one index.

The plan is a small tree of briefreader's own nodes, evaluated on whole posting lists by
`briefreader.search.evaluate`; Whoosh's query objects stop at the compiler. A plain word becomes
a `Terms` node over every word field of the letter with its boost (BM25F, see
`briefreader.search.fields`); a prefix or wildcard becomes its most frequent completions in this
index, scored as a constant (as Lucene rewrites multi-term queries); `NOT` becomes `Without`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from briefreader.index import NOTES_FIELD, TEXT_FIELD
from briefreader.index.whoosh_private import prefix_terms
from briefreader.search.compile import CompiledQuery, is_null
from briefreader.search.fields import FIELD_BOOSTS, INDEX_FIELDS, KEYWORD_FIELDS
from briefreader.search.highlight import wildcard_regex

#: The score a letter gets for containing a completion of a prefix (a word scores 1-10).
PREFIX_SCORE = 1.0
#: A prefix this short (`eu`, `mig`) has thousands of completions: it stands for its
#: `SHORT_PREFIX_TERMS` most frequent ones only, so the first letters typed answer as fast as a
#: word does (and show what the most likely word finds).
SHORT_PREFIX = 3
SHORT_PREFIX_TERMS = 3
#: The `date` column's value of a letter without a date (Whoosh's missing value, 2**64 - 1).
NO_DATE = 2**64 - 1

FieldBoosts = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Terms:
    """Letters holding `terms[0]` (or, for a prefix, any of `terms`) in any of `fields`.

    Scored BM25F: the sum over the fields holding it of boost x BM25; with `constant`, every
    letter scores that instead.
    """

    terms: tuple[str, ...]
    fields: FieldBoosts
    constant: float | None = None


@dataclass(frozen=True)
class Phrase:
    """Letters holding `words` one after another within one block of one of `fields`."""

    words: tuple[str, ...]
    fields: FieldBoosts


@dataclass(frozen=True)
class Keyword:
    """Letters whose exact-value field (`dossier`, `nr`, `tag`) holds one of `values`; not scored."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Dates:
    """Letters dated from `low` to `high` (inclusive; the `date` column's numbers); not scored."""

    low: int | None
    high: int | None


@dataclass(frozen=True)
class All:
    """Letters matching every child; scores add up."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Either:
    """Letters matching any child; the scores of the children it matches add up."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    """Letters matching `keep` and not `drop`, scored as `keep` scores them."""

    keep: Node
    drop: Node


@dataclass(frozen=True)
class Everything:
    """Every letter, score 0 (what `NOT x` alone leaves out from)."""


@dataclass(frozen=True)
class Nothing:
    """No letter."""


Node = Terms | Phrase | Keyword | Dates | All | Either | Without | Everything | Nothing


@dataclass(frozen=True)
class Plan:
    """How to run a compiled query on one index."""

    root: Node
    #: Nothing but filters and constants decides: list the newest letters first.
    by_date: bool
    #: What to look for in the paragraphs and footnotes: the positive word units, each a tuple of
    #: alternatives, each alternative a tuple of consecutive terms (a phrase; a word is a phrase
    #: of one). A letter's best paragraphs are those holding most units, nearest together.
    units: tuple[tuple[tuple[str, ...], ...], ...] = ()
    #: Terms of `section:` filters: only paragraphs under a section title holding one of them count.
    sections: tuple[str, ...] = ()


def _boosts(query_field: str) -> FieldBoosts:
    return tuple((name, FIELD_BOOSTS[name]) for name in INDEX_FIELDS[query_field])


def completions(readers: list[IndexReader], fieldname: str, prefix: str, pattern: re.Pattern[str] | None, limit: int) -> list[str]:
    """The `limit` most frequent terms of a field that start with `prefix` (and match `pattern`).

    `readers` are the index's segments: each walks its own term dictionary from the prefix on
    (merging them through Whoosh's multi-segment reader costs eight times as much).
    """
    frequencies: dict[str, int] = {}
    for reader in readers:
        if fieldname not in reader.schema:
            return []
        for btext, frequency in prefix_terms(reader, fieldname, prefix):
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if pattern is None or pattern.fullmatch(text):
                frequencies[text] = frequencies.get(text, 0) + frequency
    return heapq.nlargest(limit, frequencies, key=lambda text: (frequencies[text], text))


class _Planner:
    def __init__(self, searcher: Searcher, prefix_terms: int):
        self.readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        # Completions looked up by earlier searches on this searcher (the same index version).
        self.cache: dict[tuple[str, str, str, int], list[str]] = getattr(searcher, "briefreader_cache", {}).setdefault("completions", {})
        self.prefix_terms = prefix_terms
        self.units: list[tuple[tuple[str, ...], ...]] = []
        self.sections: list[str] = []

    def complete(self, fieldname: str, prefix: str, pattern: re.Pattern[str] | None, limit: int) -> list[str]:
        key = (fieldname, prefix, pattern.pattern if pattern else "", limit)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = completions(self.readers, fieldname, prefix, pattern, limit)
        return found

    def node(self, query: wq.Query, negated: bool = False) -> Node:
        if is_null(query):
            return Nothing()
        if isinstance(query, wq.Not):
            return Without(Everything(), self.node(query.query, not negated))
        if isinstance(query, (wq.AndNot, wq.AndMaybe)):
            keep = self.node(query.a, negated)
            other = self.node(query.b, negated if isinstance(query, wq.AndMaybe) else not negated)
            return Without(keep, other) if isinstance(query, wq.AndNot) else All((keep, Either((other, Everything()))))
        if isinstance(query, wq.And):
            positive = [self.node(child, negated) for child in query.subqueries if not isinstance(child, wq.Not)]
            negative = [self.node(child.query, not negated) for child in query.subqueries if isinstance(child, wq.Not)]
            keep: Node = All(tuple(positive)) if len(positive) != 1 else positive[0]
            if not positive:
                keep = Everything()
            if negative:
                return Without(keep, negative[0] if len(negative) == 1 else Either(tuple(negative)))
            return keep
        if isinstance(query, wq.Or):
            return Either(tuple(self.node(child, negated) for child in query.subqueries))
        if isinstance(query, wq.NumericRange):
            low = query.start if query.start is not None else None
            high = query.end if query.end is not None else None
            if low is not None and query.startexcl:
                low += 1
            if high is not None and query.endexcl:
                high -= 1
            return Dates(low, high)
        fieldname = getattr(query, "fieldname", None)
        if fieldname in KEYWORD_FIELDS:
            return self.keyword(query, fieldname)
        if fieldname not in INDEX_FIELDS:
            return Nothing()
        return self.words(query, fieldname, negated)

    def keyword(self, query: wq.Query, fieldname: str) -> Node:
        if isinstance(query, wq.Term):
            return Keyword(fieldname, (query.text,))
        if isinstance(query, (wq.Prefix, wq.Wildcard)):
            pattern = wildcard_regex(query.text) if isinstance(query, wq.Wildcard) else None
            literal = re.split(r"[*?]", query.text, maxsplit=1)[0]
            return Keyword(fieldname, tuple(self.complete(fieldname, literal, pattern, 1_000)))
        if isinstance(query, wq.Phrase):
            return Keyword(fieldname, (" ".join(query.words),))
        return Nothing()

    def words(self, query: wq.Query, fieldname: str, negated: bool) -> Node:
        boosts = _boosts(fieldname)
        in_blocks = fieldname == "body"
        if isinstance(query, wq.Term):
            if not negated:
                if in_blocks:
                    self.units.append(((query.text,),))
                elif fieldname == "section":
                    self.sections.append(query.text)
            return Terms((query.text,), boosts)
        if isinstance(query, wq.Phrase):
            words = tuple(query.words)
            if not negated and in_blocks:
                self.units.append((words,))
            return Phrase(words, boosts)
        if isinstance(query, (wq.Prefix, wq.Wildcard)):
            source = TEXT_FIELD if fieldname == "body" else INDEX_FIELDS[fieldname][0]
            pattern = wildcard_regex(query.text) if isinstance(query, wq.Wildcard) else None
            literal = re.split(r"[*?]", query.text, maxsplit=1)[0]
            limit = self.prefix_terms if len(literal) > SHORT_PREFIX else min(self.prefix_terms, SHORT_PREFIX_TERMS)
            terms = list(self.complete(source, literal, pattern, limit))
            if fieldname == "body" and len(terms) < limit:
                # Completions seen only in footnotes count too.
                extra = [t for t in self.complete(NOTES_FIELD, literal, pattern, limit) if t not in terms]
                terms += extra[: limit - len(terms)]
            if not terms:
                return Nothing()
            if not negated:
                if in_blocks:
                    self.units.append(tuple((t,) for t in terms))
                elif fieldname == "section":
                    self.sections.extend(terms)
            return Terms(tuple(terms), boosts, constant=PREFIX_SCORE * query.boost)
        return Nothing()


def _scored(node: Node) -> bool:
    """Whether any positive part of `node` ranks letters by relevance (not a constant or filter)."""
    if isinstance(node, Terms):
        return node.constant is None
    if isinstance(node, Phrase):
        return True
    if isinstance(node, (All, Either)):
        return any(_scored(child) for child in node.children)
    if isinstance(node, Without):
        return _scored(node.keep)
    return False


def make_plan(compiled: CompiledQuery, searcher: Searcher) -> Plan:
    """The plan of a compiled query on the index `searcher` reads."""
    planner = _Planner(searcher, compiled.prefix_terms)
    root = planner.node(compiled.query)
    units = tuple(dict.fromkeys(planner.units))
    return Plan(root, by_date=not _scored(root), units=units, sections=tuple(dict.fromkeys(planner.sections)))


__all__ = [
    "NO_DATE",
    "PREFIX_SCORE",
    "SHORT_PREFIX",
    "SHORT_PREFIX_TERMS",
    "All",
    "Dates",
    "Either",
    "Everything",
    "Keyword",
    "Node",
    "Nothing",
    "Phrase",
    "Plan",
    "Terms",
    "Without",
    "completions",
    "make_plan",
]
