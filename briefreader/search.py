"""Searching a corpus index: a query string in, hits with snippets and highlight spans out.

Query syntax (also shown by `briefreader search --help` and the reader's help):

    frontex litouwen            both words (AND is the default)
    frontex OR easo             either word (OF works too)
    frontex NOT litouwen        leave out paragraphs with a word (also `-litouwen`, NIET)
    "raad van justitie"         a phrase
    migratie*                   words starting with `migratie`
    date:2021                   a year, a month (date:2021-08) or a day (date:2021-08-26)
    date:2020..2021             a range (also date:[2020 TO 2021], date:>2021-06)
    dossier:32317               a dossier (dossier:21501-20, dossier:"36 410 VI")
    title:afghanistan           words in the letter's title (titel:)
    from:grapperhaus            words in the signatories (van:)
    section:ipcr  tag:migratie  nr:703

Words are matched the Dutch way: case and accents don't matter and word forms are stemmed
(`asielzoeker` finds `asielzoekers`). Operators are written in capitals; `and`, `of` are words.

`search()` never raises: a query that can't be run gives a `SearchResult` whose `message` says
why. Hits carry the character spans of the matched words in their snippet, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, query as wq
from whoosh.fields import Schema
from whoosh.qparser import plugins as qplugins

from briefreader.analysis import STOP_WORDS, fold, stem, tokens_with_offsets
from briefreader.index import KIND_FOOTNOTE, KIND_LETTER, CorpusIndex, IndexDamaged, build_schema, normalise_dossier

#: Fields a user may name in a query, with their aliases (Dutch and English).
FIELD_ALIASES: dict[str, list[str]] = {
    "signatory": ["from", "van", "signatories", "ondertekenaar"],
    "date": ["datum"],
    "title": ["titel"],
    "dossier": ["dossiers"],
    "nr": ["number", "nummer"],
    "section": ["sectie", "kop"],
    "tag": ["tags"],
}
USER_FIELDS = ("body", "title", "section", "date", "dossier", "nr", "signatory", "tag")
#: Fields whose words are analysed like the letter text (stemmed); the others are exact.
TEXT_FIELDS = ("body", "title", "section", "signatory")

#: How much a query word found in the letter's title or the section title adds (BM25F boosts).
TITLE_BOOST = 2.0
SECTION_BOOST = 1.5

SNIPPET_WIDTH = 240
MAX_QUERY_LENGTH = 500
MIN_PREFIX = 2

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "EN", "OF", "NIET"}


@dataclass(frozen=True)
class Hit:
    """One search hit: a paragraph (or list item), a footnote, or (filter-only queries) a letter.

    `paragraph` is the letter-wide position as in `Letter.paragraphs()` (None for a footnote or a
    letter), `footnote` the footnote number (None otherwise). `highlights` are (start, end)
    character spans of the matched words in `snippet`.
    """

    letter: str
    title: str | None
    date: str | None
    section: str | None
    paragraph: int | None
    footnote: int | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    kind: str = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `briefreader search --json`."""
        return {
            "letter": self.letter,
            "title": self.title,
            "date": self.date,
            "section": self.section,
            "paragraph": self.paragraph,
            "footnote": self.footnote,
            "snippet": self.snippet,
            "highlights": [[start, end] for start, end in self.highlights],
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class SearchResult:
    """The hits (best first, at most `limit`), how many matched in all, and why there are none
    when the query could not be run (`message`). `notice` says how a sloppy query was read."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    message: str | None = None
    notice: str | None = None
    #: True when the index (not the query) was the problem: `refresh(rebuild=True)` and retry.
    index_error: bool = False


# --- highlighting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HighlightTerms:
    """What to mark in a text for a query: stemmed terms, prefixes, wildcards and phrases."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    wildcards: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.wildcards or self.phrases)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sorted, non-overlapping (start, end) spans of the matched words in `text`."""
        if not self or not text:
            return []
        tokens = tokens_with_offsets(text)
        patterns = [_wildcard_regex(w) for w in self.wildcards]
        found: list[tuple[int, int]] = []
        for term, folded, start, end in tokens:
            if not term:
                continue
            if (
                term in self.terms
                or any(folded.startswith(p) or term.startswith(p) for p in self.prefixes)
                or any(p.fullmatch(folded) for p in patterns)
            ):
                found.append((start, end))
        if self.phrases:
            # Phrases are matched on the words that are indexed (stop words skipped, as in the index).
            words = [(term, start, end) for term, _, start, end in tokens if term]
            for phrase in self.phrases:
                size = len(phrase)
                for i in range(len(words) - size + 1):
                    if all(words[i + k][0] == phrase[k] for k in range(size)):
                        found.append((words[i][1], words[i + size - 1][2]))
        return _merge(found)


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# --- query compilation ----------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledQuery:
    """A query string made ready: the Whoosh query, what to highlight, how to run it."""

    query: Any
    highlight: HighlightTerms
    #: True when the query names no words, only filters: its hits are letters, not paragraphs.
    letters_only: bool
    notice: str | None = None


class QueryProblem(Exception):
    """A query that can't be run; `str()` is the message for the user."""


def _query_schema() -> Schema:
    # Only the fields a user may name: `kind:`, `letter:` and the like stay plain words.
    full = build_schema()
    schema = Schema()
    for name in USER_FIELDS:
        schema.add(name, full[name])
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


_QUOTED = re.compile(r'"[^"]*"')


def _outside_quotes(text: str, transform) -> str:
    """Apply `transform` to the parts of `text` that are not inside double quotes."""
    parts: list[str] = []
    last = 0
    for match in _QUOTED.finditer(text):
        parts.append(transform(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(transform(text[last:]))
    return "".join(parts)


_FIELD_NAMES = "|".join(sorted({*USER_FIELDS, *(a for aliases in FIELD_ALIASES.values() for a in aliases)}))


def _rewrite_syntax(text: str) -> str:
    # `-word` and `-"a phrase"` -> NOT; a lone `-` is dropped.
    text = re.sub(r'(^|(?<=[\s(]))-+(?=[\w"(])', "NOT ", text)
    text = re.sub(r"(^|(?<=\s))-+(?=\s|$)", " ", text)
    # date:2020..2021, date:2020.., date:..2021 -> Whoosh ranges
    text = re.sub(
        r"\b((?:date|datum):)([\d-]*)\.\.([\d-]*)",
        lambda m: f"{m.group(1)}[{m.group(2) or ''} TO {m.group(3) or ''}]".replace("[ TO", "[TO"),
        text,
    )
    return text


def _normalise_dossier_values(text: str) -> str:
    return re.sub(
        r'\b((?:dossier|dossiers):)"([^"]*)"',
        lambda m: m.group(1) + (normalise_dossier(m.group(2)) or '""'),
        text,
    )


def _trim_operators(text: str) -> str:
    """Drop operators that have nothing on one side (`frontex OR`, `AND frontex`)."""
    words = text.split()
    while words and words[-1] in _OPERATORS:
        words.pop()
    while words and words[0] in _OPERATORS - {"NOT", "NIET"}:
        words.pop(0)
    return " ".join(words)


def _as_you_type(raw: str, text: str) -> str:
    """Let the last, unfinished word also match as a prefix: `... litou` -> `... (litou OR litou*)`."""
    if not raw or raw[-1].isspace() or text.count('"') % 2:
        return text
    match = re.search(r"(^|[\s(])(?:(\w+):)?(\w+)$", text)
    if not match or match.group(3) in _OPERATORS or len(match.group(3)) < MIN_PREFIX:
        return text
    fieldname = match.group(2)
    if fieldname and fieldname.lower() not in ("title", "titel", "section", "sectie", "kop", "from", "van", "signatory"):
        return text
    word = match.group(3)
    prefix = f"{fieldname}:" if fieldname else ""
    return text[: match.start(2) if fieldname else match.start(3)] + f"{prefix}({word} OR {word}*)"


def _fix_quotes(text: str) -> tuple[str, str | None]:
    if text.count('"') % 2 == 0:
        return text, None
    index = text.rfind('"')
    return text[:index] + " " + text[index + 1 :], "The closing quote was missing: the last quote was ignored."


def _date_problem(value: str) -> str:
    return (
        f"“{value}” is not a date: use date:2021, date:2021-08, date:2021-08-26 "
        "or a range such as date:2020..2021"
    )


def _postprocess(node: Any, problems: list[str]) -> Any:
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
        # The index holds stems: `asielzoekers*` must also find the stem `asielzoeker`.
        variants = sorted({folded, stem(folded)})
        if len(variants) == 1:
            return wq.Prefix(node.fieldname, folded, boost=node.boost)
        return wq.Or([wq.Prefix(node.fieldname, v, boost=node.boost) for v in variants])
    if isinstance(node, wq.Wildcard):
        text = fold(node.text)
        if text[:1] in ("*", "?"):
            problems.append("A word can't start with * or ?: type a few letters first, as in migra*")
            return wq.NullQuery
        return wq.Wildcard(node.fieldname, text, boost=node.boost)
    if isinstance(node, wq.Not):
        return wq.Not(_postprocess(node.query, problems))
    if isinstance(node, wq.CompoundQuery):
        return node.__class__([_postprocess(child, problems) for child in node.subqueries], boost=node.boost)
    if isinstance(node, wq.BinaryQuery):
        return node.__class__(_postprocess(node.a, problems), _postprocess(node.b, problems))
    return node


def _error_message(error: Any) -> str:
    text = str(error)
    match = re.search(r"'(.*)' is not a parseable date", text)
    if match:
        return _date_problem(match.group(1))
    return f"Part of the query could not be read ({text})"


def _leaves(node: Any, negated: bool = False):
    """(leaf query, negated?) for every leaf of a Whoosh query tree."""
    if isinstance(node, wq.Not):
        yield from _leaves(node.query, not negated)
    elif isinstance(node, wq.AndNot):
        yield from _leaves(node.a, negated)
        yield from _leaves(node.b, not negated)
    elif isinstance(node, wq.BinaryQuery):
        yield from _leaves(node.a, negated)
        yield from _leaves(node.b, negated)
    elif isinstance(node, wq.CompoundQuery):
        for child in node.subqueries:
            yield from _leaves(child, negated)
    elif node is not wq.NullQuery and not isinstance(node, type(wq.NullQuery)):
        yield node, negated


def _highlight_terms(leaves: list[Any], fields: tuple[str, ...]) -> HighlightTerms:
    terms: set[str] = set()
    prefixes: list[str] = []
    wildcards: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for leaf in leaves:
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
    meaningful = [w for w in words if w.upper() not in _OPERATORS]
    if meaningful and all(w in STOP_WORDS for w in meaningful):
        shown = ", ".join(dict.fromkeys(meaningful[:4]))
        return f"Only very common words ({shown}): add a word that says what you are looking for."
    return "Type one or more words to search for."


def compile_query(text: str, *, as_you_type: bool = False) -> CompiledQuery:
    """Turn a query string into a `CompiledQuery`; `QueryProblem` if it can't be run."""
    raw = text
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()
    notice = None
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notice = f"The query was cut to its first {MAX_QUERY_LENGTH} characters."
    if not text:
        raise QueryProblem("Type one or more words to search for.")
    text, quote_notice = _fix_quotes(text)
    notice = notice or quote_notice
    text = _normalise_dossier_values(text)
    text = _outside_quotes(text, _rewrite_syntax)
    text = _trim_operators(text)
    if not text:
        raise QueryProblem(_nothing_message(raw))
    if as_you_type:
        text = _as_you_type(raw.rstrip("\n"), text)

    parser = _parser()
    problems: list[str] = []
    try:
        parsed = parser.parse(text)
    except Exception as error:  # noqa: BLE001 - whatever the parser chokes on
        message = _error_message(error)
        if "is not a date" in message:
            raise QueryProblem(message) from None
        # Read it as plain words: everything that is not a letter or digit becomes a space.
        plain = " ".join(re.findall(r"\w+", text))
        if not plain:
            raise QueryProblem(_nothing_message(raw)) from None
        parsed = parser.parse(plain)
        notice = notice or "The query's syntax was not understood: searched for its words."
    parsed = _postprocess(parsed, problems).normalize()
    if problems:
        raise QueryProblem(problems[0])

    leaves = list(_leaves(parsed))
    positive = [leaf for leaf, negated in leaves if not negated]
    words = [leaf for leaf in positive if getattr(leaf, "fieldname", None) == "body"]
    if not positive:
        if leaves:
            raise QueryProblem("Add a word to look for: NOT and -word only leave words out.")
        raise QueryProblem(_nothing_message(raw))
    if not words:
        # Filters only: the hits are letters (each letter's document carries the filter fields).
        return CompiledQuery(
            wq.And([parsed, wq.Term("kind", KIND_LETTER)]).normalize(),
            _highlight_terms(positive, ("title",)),
            letters_only=True,
            notice=notice,
        )

    # BM25F-style boosts: the query's words count extra where they stand in the letter's title or
    # in the section title, but only paragraphs that contain them match (AndMaybe).
    boosts = []
    for leaf in words:
        if isinstance(leaf, (wq.Term, wq.Phrase)):
            for fieldname, boost in (("title", TITLE_BOOST), ("section", SECTION_BOOST)):
                copy = leaf.copy()
                copy.fieldname = fieldname
                copy.boost = boost
                boosts.append(copy)
    final = wq.AndMaybe(parsed, wq.Or(boosts)) if boosts else parsed
    return CompiledQuery(final, _highlight_terms(words, ("body",)), letters_only=False, notice=notice)


def terms_for_highlight(query: str, *, as_you_type: bool = False) -> HighlightTerms:
    """What to highlight for `query` in a paragraph's text (empty for a query that can't run).

    Compute it once per query and call `.spans(text)` for each paragraph shown.
    """
    try:
        compiled = compile_query(query, as_you_type=as_you_type)
    except QueryProblem:
        return HighlightTerms()
    return compiled.highlight


def highlight_spans(index: CorpusIndex | None, query: str, text: str, *, as_you_type: bool = False) -> list[tuple[int, int]]:
    """The (start, end) spans of `text` that `query` matches, stemmed matches included.

    Uses the same Dutch analysis as the index (`index` is accepted for symmetry with `search`;
    the analysis does not depend on it).
    """
    return terms_for_highlight(query, as_you_type=as_you_type).spans(text)


# --- snippets -------------------------------------------------------------------------------


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of at most about `width` characters of `text` around the matches, with `…` where
    it was cut, and the spans moved into it (spans that don't fit are left out)."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text, tuple(spans)
    lead = width // 4
    best_start, best_count = 0, -1
    for anchor, _ in spans or [(0, 0)]:
        start = max(0, anchor - lead)
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = best_start
    end = min(len(text), start + width)
    if end == len(text):
        start = max(0, end - width)
    # Cut at word boundaries, never inside a highlighted word.
    if start > 0:
        space = text.find(" ", start, start + 30)
        first = min((s for s, e in spans if e > start), default=None)
        if space != -1 and (first is None or space < first):
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        if space > start:
            end = space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end].strip() + suffix
    shift = len(prefix) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    moved = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return snippet, moved


# --- running a query ------------------------------------------------------------------------


def _collect(index: CorpusIndex, searcher: Any, compiled: CompiledQuery, limit: int, letter: str | None) -> SearchResult:
    restrict = wq.Term("letter", letter) if letter else None
    letters: dict[str, Any] = {}

    def info(letter_id: str):
        if letter_id not in letters:
            letters[letter_id] = index.stored_letter(searcher, letter_id)
        return letters[letter_id]

    hits: list[Hit] = []
    if compiled.letters_only:
        results = searcher.search(compiled.query, limit=None, filter=restrict)
        found = []
        for result in results:
            stored = result.fields()
            found.append((result.score, stored))
        # Equal scores (pure filters) list the newest letters first.
        found.sort(key=lambda item: item[1]["meta"].get("date") or "", reverse=True)
        found.sort(key=lambda item: round(item[0], 6), reverse=True)
        for score, stored in found[:limit]:
            meta = stored["meta"]
            text = meta.get("summary") or ""
            snippet, spans = make_snippet(text, compiled.highlight.spans(text))
            hits.append(
                Hit(meta["id"], meta.get("title"), meta.get("date"), None, None, None, snippet, spans, float(score), KIND_LETTER)
            )
        return SearchResult(hits, len(found), notice=compiled.notice)

    results = searcher.search(
        compiled.query, limit=limit, mask=wq.Term("kind", KIND_LETTER), filter=restrict
    )
    total = len(results)
    for result in results:
        stored = result.fields()
        letter_id = stored["letter"]
        meta = info(letter_id)
        body = stored.get("body") or ""
        snippet, spans = make_snippet(body, compiled.highlight.spans(body))
        kind = stored.get("kind", "paragraph")
        is_note = kind == KIND_FOOTNOTE
        hits.append(
            Hit(
                letter=letter_id,
                title=meta.title if meta else None,
                date=meta.date if meta else None,
                section=stored.get("section") or None,
                paragraph=None if is_note else stored.get("pos"),
                footnote=stored.get("pos") if is_note else None,
                snippet=snippet,
                highlights=spans,
                score=float(result.score),
                kind=kind,
            )
        )
    return SearchResult(hits, total, notice=compiled.notice)


def search(index: CorpusIndex, query: str, limit: int = 10, *, as_you_type: bool = False, letter: str | None = None) -> SearchResult:
    """Search the index; never raises. `limit` hits at most, best first.

    `as_you_type`: the last word, if not followed by a space, also matches as a prefix.
    `letter`: only hits in the letter with this id. Safe to call from any thread (each call
    opens its own searcher).
    """
    try:
        compiled = compile_query(query, as_you_type=as_you_type)
    except QueryProblem as problem:
        return SearchResult(message=str(problem))
    except Exception as error:  # noqa: BLE001 - a query string must never crash the caller
        return SearchResult(message=f"The query could not be read ({error.__class__.__name__}).")
    limit = max(1, int(limit))
    try:
        with index.searcher() as searcher:
            return _collect(index, searcher, compiled, limit, letter)
    except IndexDamaged as error:
        return SearchResult(
            message=f"The search index can't be read ({error}): run `briefreader index --rebuild`.",
            index_error=True,
        )
    except Exception as error:  # noqa: BLE001 - damage shows up as many kinds of exceptions
        return SearchResult(
            message=f"The search index can't be read ({error.__class__.__name__}): run `briefreader index --rebuild`.",
            index_error=True,
        )


__all__ = [
    "CompiledQuery",
    "HighlightTerms",
    "Hit",
    "QueryProblem",
    "SearchResult",
    "compile_query",
    "highlight_spans",
    "make_snippet",
    "search",
    "terms_for_highlight",
]
