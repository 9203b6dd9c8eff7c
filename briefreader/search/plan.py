"""A compiled query -> the Whoosh queries to run on one searcher (`Plan`).

Prefixes and wildcards become their most frequent completions in this index
(`CompletionsQuery`); letter-wide fields reach the paragraphs through `LetterScope`; `NOT`
inside `AND` becomes `AndNot`; the query's words also count where they stand in the letter's
title or the section heading (the BM25F boosts). Each of these replaced a Whoosh default that the
benchmark (bench/bench_search.py) showed to be the slow part.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from briefreader.index import KIND_LETTER
from briefreader.search.compile import CompiledQuery, leaves, map_children
from briefreader.search.fields import LETTER_FIELDS, SECTION_BOOST, TITLE_BOOST
from briefreader.search.highlight import wildcard_regex
from briefreader.search.matchers import CompletionsQuery, LetterScope, Without

#: The score a paragraph gets for containing a completion of a prefix (a word scores 1-10).
PREFIX_SCORE = 1.0


@dataclass(frozen=True)
class Plan:
    """How to run a compiled query on one searcher."""

    #: The query that ranks (with the title and section boosts).
    ranked: wq.Query
    #: The same documents without the boosts: cheaper to count.
    matching: wq.Query
    #: Only prefixes to rank by (all hits score the same): list the newest letters' hits first.
    prefix_only: bool = False


def _fields_of(node: wq.Query) -> set[str | None]:
    return {getattr(leaf, "fieldname", None) for leaf, _ in leaves(node)}


def _is_letter_level(node: wq.Query) -> bool:
    fields = _fields_of(node)
    return bool(fields) and fields <= set(LETTER_FIELDS)


def scope(node: wq.Query) -> wq.Query:
    """Wrap the letter-wide parts of a paragraph query in `LetterScope`s (one per group)."""
    if _is_letter_level(node):
        return LetterScope(node)
    if isinstance(node, (wq.And, wq.Or)):
        letter_parts = [child for child in node.subqueries if _is_letter_level(child)]
        others = [scope(child) for child in node.subqueries if not _is_letter_level(child)]
        if len(letter_parts) > 1:
            # `date:2021 dossier:32317` is one look-up on the letter documents, not two.
            others.append(LetterScope(node.__class__(letter_parts)))
        elif letter_parts:
            others.append(LetterScope(letter_parts[0]))
        return node.__class__(others, boost=node.boost)
    return map_children(node, scope)


def completions(reader: IndexReader, fieldname: str, prefix: str, pattern: re.Pattern[str] | None, limit: int) -> list[str]:
    """The `limit` most frequent terms of a field that start with `prefix` (and match `pattern`)."""
    if fieldname not in reader.schema:
        return []
    candidates: list[tuple[int, str]] = []
    for btext in reader.expand_prefix(fieldname, prefix):
        text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        if pattern is not None and not pattern.fullmatch(text):
            continue
        candidates.append((reader.doc_frequency(fieldname, text), text))
    return [text for _, text in heapq.nlargest(limit, candidates)]


def expand(node: wq.Query, reader: IndexReader, limit: int, quality: bool) -> wq.Query:
    """Replace prefixes and wildcards by their most frequent completions in this index."""
    if isinstance(node, (wq.Prefix, wq.Wildcard)):
        if isinstance(node, wq.Prefix):
            terms = completions(reader, node.fieldname, node.text, None, limit)
        else:
            literal = re.split(r"[*?]", node.text, maxsplit=1)[0]
            terms = completions(reader, node.fieldname, literal, wildcard_regex(node.text), limit)
        if not terms:
            return wq.NullQuery
        if node.fieldname in LETTER_FIELDS:
            # Inside a letter filter: evaluated on the letter documents, few enough to score.
            return wq.Or([wq.Term(node.fieldname, t, boost=node.boost) for t in terms])
        return CompletionsQuery(node.fieldname, terms, PREFIX_SCORE * node.boost, quality)
    return map_children(node, lambda child: expand(child, reader, limit, quality))


def and_not(node: wq.Query) -> wq.Query:
    """`And([a, b, Not(c), Not(d)])` -> `Without(And([a, b]), Or([c, d]))`, and every `AndNot` a
    `Without` (see `briefreader.search.matchers`).

    Whoosh matches a `Not` inside an `And` by walking every document of the index that lacks
    the word (an inverse matcher); `Without` only checks the documents the positive part found.
    """
    if isinstance(node, wq.And):
        children = [and_not(child) for child in node.subqueries]
        positive = [child for child in children if not isinstance(child, wq.Not)]
        negative = [child.query for child in children if isinstance(child, wq.Not)]
        if positive and negative:
            keep = positive[0] if len(positive) == 1 else wq.And(positive, boost=node.boost)
            drop = negative[0] if len(negative) == 1 else wq.Or(negative)
            return Without(keep, drop)
        return wq.And(children, boost=node.boost)
    if isinstance(node, wq.AndNot):
        return Without(and_not(node.a), and_not(node.b))
    return map_children(node, and_not)


def executable_query(compiled: CompiledQuery, searcher: Searcher, letter: str | None = None) -> Plan:
    """The Whoosh queries to run on `searcher` for a compiled query (see `compile_query`)."""
    reader = searcher.reader()
    # Words that are in the index: if there are none, prefixes alone rank the hits.
    words = [word for word in compiled.words if not isinstance(word, wq.Term) or (word.fieldname, word.text) in reader]
    query = expand(compiled.query, reader, compiled.prefix_terms, quality=not words).normalize()
    if compiled.letters_only:
        parts = [query, wq.Term("kind", KIND_LETTER)]
    else:
        parts = [scope(query)]
    if letter:
        parts.append(wq.Term("letter", letter))
    query = wq.And(parts).normalize() if len(parts) > 1 else parts[0]
    query = and_not(query)
    if compiled.letters_only:
        return Plan(query, query)
    if not words:
        return Plan(query, query, prefix_only=True)
    # BM25F-style boosts: the query's words count extra where they stand in the letter's title
    # (scored on the letter's document) or in the section title; only paragraphs that contain
    # the words match (AndMaybe).
    titles, sections = [], []
    for word in words:
        for fieldname, target in (("title", titles), ("section", sections)):
            copy = word.copy()
            copy.fieldname = fieldname
            target.append(copy)
    boosts = [
        LetterScope(wq.Or(titles) if len(titles) > 1 else titles[0], boost=TITLE_BOOST, scored=True),
        wq.Or(sections, boost=SECTION_BOOST) if len(sections) > 1 else sections[0].with_boost(SECTION_BOOST),
    ]
    return Plan(wq.AndMaybe(query, wq.Or(boosts)), query)


__all__ = ["PREFIX_SCORE", "Plan", "and_not", "completions", "executable_query", "expand", "scope"]
