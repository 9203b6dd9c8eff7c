"""A query string -> a `CompiledQuery`: the parsed Whoosh query, what to highlight, how to run it.

The string is first rewritten (`briefreader.search.syntax`), then parsed by Whoosh's query
parser with briefreader's operators and field aliases, then checked and folded like the analyzer
does (prefixes, wildcards). What can't run becomes a `QueryProblem` with a message for the user.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import plugins as qplugins

from briefreader.analysis import STOP_WORDS, fold, stem
from briefreader.index import build_schema
from briefreader.search.fields import FIELD_ALIASES, PARAGRAPH_FIELDS, TEXT_FIELDS, USER_FIELDS
from briefreader.search.highlight import HighlightTerms
from briefreader.search.syntax import (
    MAX_QUERY_LENGTH,
    MIN_PREFIX,
    OPERATORS,
    TITLES_NOTICE,
    QueryProblem,
    check_dates,
    date_problem,
    fix_quotes,
    normalise_dossier_values,
    outside_quotes,
    plain_words,
    rewrite_syntax,
    tidy_operators,
    title_query,
)
from briefreader.search.syntax import (
    as_you_type as complete_last_word,
)

#: A prefix (`migra*`) stands for its most frequent completions, at most this many (as you type:
#: `TYPING_PREFIX_TERMS`). Whoosh ORs the completions in Python, so every one costs time.
PREFIX_TERMS = 24
TYPING_PREFIX_TERMS = 8


@dataclass(frozen=True)
class CompiledQuery:
    """A query string made ready: the Whoosh query, what to highlight, how to run it."""

    #: The parsed query (prefixes not yet expanded, letter fields not yet scoped).
    query: wq.Query
    highlight: HighlightTerms
    #: True when the query names no paragraph words, only letter filters: its hits are letters.
    letters_only: bool
    notice: str | None = None
    #: The query's positive words (Term and Phrase queries on `body`), for the title and section boosts.
    words: tuple[wq.Query, ...] = ()
    #: How many completions a prefix stands for.
    prefix_terms: int = PREFIX_TERMS
    #: For letter hits: True when only filters (no words) decide, so the newest letters come first.
    pure_filter: bool = False
    #: True for a short word typed, looked up in the titles only (`syntax.title_query`): when no
    #: title holds it, the search looks in the text after all (`titles_first=False`).
    titles_only: bool = False


def _query_schema() -> Schema:
    # Only the fields a user may name (`letter:` and the like stay plain words). The word fields
    # are analysed as the index's are; `plan` maps them to the index fields.
    full = build_schema()
    schema = Schema()
    for name in USER_FIELDS:
        schema.add(name, full["text"] if name in TEXT_FIELDS else full[name])
    return schema


_SCHEMA: Schema | None = None


def _parser() -> qparser.QueryParser:
    """A fresh parser (parsers are cheap; a new one per call keeps threads apart)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = _query_schema()
    parser = qparser.QueryParser("body", _SCHEMA, group=qparser.AndGroup)
    # Apostrophes are part of Dutch words (`scenario's`), `^` and `~` of ordinary text.
    for plugin in (qplugins.SingleQuotePlugin, qplugins.BoostPlugin, qplugins.EveryPlugin):
        parser.remove_plugin_class(plugin)
    parser.replace_plugin(
        qplugins.OperatorsPlugin(
            And=r"(?<=\s)(AND|EN)(?=\s)",
            Or=r"(?<=\s)(OR|OF)(?=\s)",
            AndNot=r"(?<=\s)ANDNOT(?=\s)",
            AndMaybe=r"(?<=\s)ANDMAYBE(?=\s)",
            Not=r"(^|(?<=(\s|[()])))(NOT|NIET)(?=\s)",
            Require=None,
        )
    )
    parser.add_plugin(qplugins.GtLtPlugin())
    parser.add_plugin(qplugins.FieldAliasPlugin(FIELD_ALIASES))
    return parser


def _error_message(error: object) -> str:
    text = str(error)
    match = re.search(r"'(.*)' is not a parseable date", text)
    if match:
        return date_problem(match.group(1))
    return f"Part of the query could not be read ({text})"


def _postprocess(node: wq.Query, problems: list[str]) -> wq.Query:
    """Fold prefixes and wildcards like the analyzer does; refuse what can't run well."""
    if getattr(node, "error", None) is not None:
        problems.append(_error_message(node.error))
        return wq.NullQuery
    if isinstance(node, wq.Every):
        problems.append("`*` alone matches everything: type a few letters before it, as in migra*")
        return wq.NullQuery
    if isinstance(node, wq.Prefix):
        if node.fieldname not in TEXT_FIELDS:
            return node
        folded = fold(node.text)
        if len(folded) < MIN_PREFIX:
            problems.append(f"Type at least {MIN_PREFIX} letters before *, as in migra*")
            return wq.NullQuery
        # The index holds stems: `asielzoekers*` must also find the stem `asielzoeker`. The
        # stem is usually a prefix of the word, and then it alone covers both.
        stemmed = stem(folded)
        if folded.startswith(stemmed) or stemmed.startswith(folded):
            return wq.Prefix(node.fieldname, min(folded, stemmed, key=len), boost=node.boost)
        return wq.Or([wq.Prefix(node.fieldname, v, boost=node.boost) for v in (folded, stemmed)])
    if isinstance(node, wq.Wildcard):
        text = fold(node.text)
        if text[:1] in ("*", "?"):
            problems.append("A word can't start with * or ?: type a few letters first, as in migra*")
            return wq.NullQuery
        return wq.Wildcard(node.fieldname, text, boost=node.boost)
    return map_children(node, lambda child: _postprocess(child, problems))


def map_children(node: wq.Query, function: Callable[[wq.Query], wq.Query]) -> wq.Query:
    """`node` with `function` applied to its direct children (a leaf comes back as it is).

    Whoosh's `BinaryQuery` (AndNot, AndMaybe, ...) is a `CompoundQuery` too, but is built from
    two queries, not a list: it is checked first.
    """
    if isinstance(node, wq.Not):
        return wq.Not(function(node.query))
    if isinstance(node, wq.BinaryQuery):
        return node.__class__(function(node.a), function(node.b))
    if isinstance(node, wq.CompoundQuery):
        return node.__class__([function(child) for child in node.subqueries], boost=node.boost)
    return node


def is_null(node: wq.Query) -> bool:
    """Whether `node` is Whoosh's query that matches nothing."""
    return node is wq.NullQuery or isinstance(node, type(wq.NullQuery))


def leaves(node: wq.Query, negated: bool = False) -> Iterator[tuple[wq.Query, bool]]:
    """(leaf query, negated?) for every leaf of a Whoosh query tree."""
    if isinstance(node, wq.Not):
        yield from leaves(node.query, not negated)
    elif isinstance(node, wq.AndNot):
        yield from leaves(node.a, negated)
        yield from leaves(node.b, not negated)
    elif isinstance(node, wq.BinaryQuery):
        yield from leaves(node.a, negated)
        yield from leaves(node.b, negated)
    elif isinstance(node, wq.CompoundQuery):
        for child in node.subqueries:
            yield from leaves(child, negated)
    elif not is_null(node):
        yield node, negated


def _highlight_terms(found: list[wq.Query], fields: tuple[str, ...]) -> HighlightTerms:
    terms: set[str] = set()
    prefixes: list[str] = []
    wildcards: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for leaf in found:
        if getattr(leaf, "fieldname", None) not in fields:
            continue
        if isinstance(leaf, wq.Prefix):
            prefixes.append(leaf.text)
        elif isinstance(leaf, wq.Wildcard):
            wildcards.append(leaf.text)
        elif isinstance(leaf, wq.Phrase):
            phrases.append(tuple(leaf.words))
        elif isinstance(leaf, wq.Term):
            terms.add(leaf.text)
    return HighlightTerms(frozenset(terms), tuple(dict.fromkeys(prefixes)), tuple(dict.fromkeys(wildcards)), tuple(dict.fromkeys(phrases)))


def _nothing_message(text: str) -> str:
    words = [fold(w) for w in re.findall(r"\w+", text)]
    meaningful = [w for w in words if w.upper() not in OPERATORS]
    if meaningful and all(w in STOP_WORDS for w in meaningful):
        shown = ", ".join(dict.fromkeys(meaningful[:4]))
        return f"Only very common words ({shown}): add a word that says what you are looking for."
    return "Type one or more words to search for."


#: How many compiled queries are kept: typing on repeats the queries before it, and a query is
#: compiled again for each letter's highlights (parsing costs about a millisecond).
COMPILED_QUERIES = 256


@functools.lru_cache(maxsize=COMPILED_QUERIES)
def compile_query(text: str, *, as_you_type: bool = False, titles_first: bool = True) -> CompiledQuery:
    """Turn a query string into a `CompiledQuery`; `QueryProblem` if it can't be run.

    `as_you_type`: the last word, unless followed by a space, also matches as a prefix; and a
    query of one short word is looked up in the titles only, unless `titles_first` is False.

    The same string gives the same (shared, never changed) `CompiledQuery` while it is kept.
    """
    raw = text
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()
    notice = None
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notice = f"The query was cut to its first {MAX_QUERY_LENGTH} characters."
    if not text:
        raise QueryProblem("Type one or more words to search for.")
    text, quote_notice = fix_quotes(text)
    notice = notice or quote_notice
    text = normalise_dossier_values(text)
    text = outside_quotes(text, rewrite_syntax)
    text, dropped = tidy_operators(text)
    if not text:
        raise QueryProblem(_nothing_message(raw))
    if dropped:
        notice = notice or "An operator without a word on each side (OR, AND) or after it (NOT) was left out."
    check_dates(text)
    titles = title_query(raw.rstrip("\n"), text) if as_you_type and titles_first else None
    if as_you_type:
        if titles is not None:
            text, notice = titles, notice or TITLES_NOTICE
        else:
            text = complete_last_word(raw.rstrip("\n"), text)

    parser = _parser()
    problems: list[str] = []
    try:
        parsed = parser.parse(text)
    except Exception as error:  # noqa: BLE001 - Whoosh's parser raises many kinds on odd input
        message = _error_message(error)
        if "is not a date" in message:
            raise QueryProblem(message) from None
        # Read it as plain words (operators and punctuation left out); if Whoosh's parser fails
        # on that too, it is a bug and propagates.
        plain = plain_words(text)
        if not plain:
            raise QueryProblem(_nothing_message(raw)) from None
        parsed = parser.parse(plain)
        notice = notice or "The query's syntax was not understood: searched for its words."
    parsed = _postprocess(parsed, problems).normalize()
    if problems:
        raise QueryProblem(problems[0])

    found = list(leaves(parsed))
    positive = [leaf for leaf, negated in found if not negated]
    if not positive:
        if found:
            raise QueryProblem("Add a word to look for: NOT and -word only leave words out.")
        raise QueryProblem(_nothing_message(raw))
    prefix_terms = TYPING_PREFIX_TERMS if as_you_type else PREFIX_TERMS
    paragraph_level = [leaf for leaf in positive if getattr(leaf, "fieldname", None) in PARAGRAPH_FIELDS]
    if not paragraph_level:
        # Filters only: the hits are letters (each letter's document carries the letter's fields).
        return CompiledQuery(
            parsed,
            _highlight_terms(positive, ("title",)),
            letters_only=True,
            notice=notice,
            prefix_terms=prefix_terms,
            pure_filter=not any(getattr(leaf, "fieldname", None) in TEXT_FIELDS for leaf in positive),
            titles_only=titles is not None,
        )
    words = tuple(leaf for leaf in paragraph_level if leaf.fieldname == "body" and isinstance(leaf, (wq.Term, wq.Phrase)))
    return CompiledQuery(
        parsed,
        _highlight_terms(paragraph_level, ("body",)),
        letters_only=False,
        notice=notice,
        words=words,
        prefix_terms=prefix_terms,
    )


__all__ = ["PREFIX_TERMS", "TYPING_PREFIX_TERMS", "CompiledQuery", "QueryProblem", "compile_query", "is_null", "leaves", "map_children"]
