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
A query of filters only lists letters (newest first) instead of paragraphs.

Ranking is BM25F: a word in the letter's title or the section title adds to a paragraph's
score, a footnote weighs less than a paragraph (see `briefreader.index.FOOTNOTE_BOOST`). A prefix
stands for its most frequent completions and scores as a constant (as Lucene does), so a query of
prefixes alone lists the newest letters' hits first.

`search()` never raises: a query that can't be run gives a `SearchResult` whose `message` says
why. Hits carry the character spans of the matched words in their snippet, never markup.

How the queries run on Whoosh (the parts below the query parser): letter-wide fields live on
one document per letter and reach the paragraphs through `LetterScope`; prefixes become a
`CompletionsQuery`; `NOT` inside `AND` becomes `AndNot`. Each of these replaced a Whoosh default
that the benchmark (bench/bench_search.py) showed to be the slow part.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import matching, qparser, query as wq
from whoosh.fields import Schema
from whoosh.qparser import plugins as qplugins
from whoosh.query.wrappers import WrappingQuery
from whoosh.sorting import FieldFacet

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
#: Fields of a paragraph's (or footnote's) own document; the others belong to the whole letter
#: and live on the letter's document (see `briefreader.index.build_schema`).
PARAGRAPH_FIELDS = ("body", "section")
LETTER_FIELDS = ("title", "date", "dossier", "nr", "signatory", "tag")

#: How much a query word found in the letter's title or the section title adds (BM25F boosts).
TITLE_BOOST = 2.0
SECTION_BOOST = 1.5

SNIPPET_WIDTH = 240
MAX_QUERY_LENGTH = 500
MIN_PREFIX = 2
#: A prefix (`migra*`) stands for its most frequent completions, at most this many (as you type:
#: `TYPING_PREFIX_TERMS`). Whoosh ORs the completions in Python, so every one costs time.
PREFIX_TERMS = 24
TYPING_PREFIX_TERMS = 8
#: The score a paragraph gets for containing a completion of a prefix (a word scores 1-10).
PREFIX_SCORE = 1.0
#: Hits are counted exactly up to this number; beyond it `SearchResult.total_exact` is False.
COUNT_CAP = 200

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
class LetterHit:
    """One matching letter, shown once: its best paragraphs and footnotes as snippets.

    `paragraphs` are paragraph- or footnote-level `Hit`s of this letter, best first (a filter-only
    query gives the letter's own `Hit` of kind `letter`). `score` ranks the letters.
    """

    letter: str
    title: str | None
    date: str | None
    score: float
    paragraphs: tuple[Hit, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one letter in `briefreader search --json`."""
        return {
            "letter": self.letter,
            "title": self.title,
            "date": self.date,
            "score": round(self.score, 4),
            "paragraphs": [hit.to_dict() for hit in self.paragraphs],
        }


def group_by_letter(hits: list[Hit]) -> list[LetterHit]:
    """Paragraph-level hits (best first) -> one `LetterHit` per letter, in the order of each
    letter's best hit."""
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.letter, []).append(hit)
    return [
        LetterHit(first.letter, first.title, first.date, first.score, tuple(group))
        for group in grouped.values()
        for first in (group[0],)
    ]


@dataclass(frozen=True)
class SearchResult:
    """The hits (best first, at most `limit`), how many matched in all, and why there are none
    when the query could not be run (`message`). `notice` says how a sloppy query was read.

    `letters` are the matching letters, each once with its best paragraphs; `hits` are the
    paragraph-level hits (with `search(..., letter=ID)`: every hit in that letter, for n/N).
    `suggestions` are corrected queries ("did you mean"), best first, when words were not found.
    """

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    message: str | None = None
    notice: str | None = None
    #: True when the index (not the query) was the problem: `refresh(rebuild=True)` and retry.
    index_error: bool = False
    #: False when there were more than `COUNT_CAP` hits: `total` is then that cap ("200+").
    total_exact: bool = True
    letters: list[LetterHit] = field(default_factory=list)
    suggestions: tuple[str, ...] = ()


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

    #: The parsed query (prefixes not yet expanded, letter fields not yet scoped).
    query: Any
    highlight: HighlightTerms
    #: True when the query names no paragraph words, only letter filters: its hits are letters.
    letters_only: bool
    notice: str | None = None
    #: The query's positive words (Term and Phrase queries on `body`), for the title and section boosts.
    words: tuple[Any, ...] = ()
    #: How many completions a prefix stands for.
    prefix_terms: int = PREFIX_TERMS
    #: For letter hits: True when only filters (no words) decide, so the newest letters come first.
    pure_filter: bool = False


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
    # Whoosh's boost and fuzzy suffixes (`frontex^2`, `frontex~`) are not part of our syntax: drop them.
    text = re.sub(r"(?<=[\w\"])[\^~][\d.]*", " ", text)
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


_DATE_VALUE = re.compile(r"(?i)\b(?:date|datum):(\[[^\]]*\]?|\{[^}]*\}?|[<>]=?\S*|\S*)")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _check_dates(text: str) -> None:
    """Refuse a date filter Whoosh would misread: each end must be YYYY, YYYY-MM or YYYY-MM-DD."""
    for match in _DATE_VALUE.finditer(text):
        value = match.group(1).strip("[]{}<>=")
        ends = re.split(r"(?i)\s+TO\s+|\s+TO$|^TO\s+", value.strip()) if value.strip() else []
        if not ends:
            raise QueryProblem(_date_problem(match.group(1) or ""))
        for end in ends:
            end = end.strip()
            if not end:
                continue
            date = _DATE.fullmatch(end)
            month = int(date.group(2)) if date and date.group(2) else 1
            day = int(date.group(3)) if date and date.group(3) else 1
            if not date or not 1 <= month <= 12 or not 1 <= day <= 31:
                raise QueryProblem(_date_problem(end))


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
    _check_dates(text)
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
    if not positive:
        if leaves:
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
        )
    words = tuple(
        leaf
        for leaf in paragraph_level
        if leaf.fieldname == "body" and isinstance(leaf, (wq.Term, wq.Phrase))
    )
    return CompiledQuery(
        parsed,
        _highlight_terms(paragraph_level, ("body",)),
        letters_only=False,
        notice=notice,
        words=words,
        prefix_terms=prefix_terms,
    )


@functools.lru_cache(maxsize=64)
def terms_for_highlight(query: str, *, as_you_type: bool = False) -> HighlightTerms:
    """What to highlight for `query` in a paragraph's text (empty for a query that can't run).

    Call `.spans(text)` for each paragraph shown. Cached: `highlight_spans` for every paragraph
    of a letter parses the query once.
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


# --- letter-wide fields --------------------------------------------------------------------


class _ScoredMatcher(matching.Matcher):
    """What our own matchers share: a score per document, no terms, no value types to offer."""

    def weight(self) -> float:
        return self.score()

    def supports(self, astype) -> bool:
        return False

    def term_matchers(self):
        return iter(())

    def matching_terms(self, id=None):
        return iter(())


class RangesMatcher(_ScoredMatcher):
    """Matches the document numbers of sorted, disjoint ranges [start, end), each with a score."""

    def __init__(self, starts: list[int], ends: list[int], scores: list[float], quality: bool = False):
        self._starts, self._ends, self._scores = starts, ends, scores
        self._quality = quality
        self._i = 0
        self._id = starts[0] if starts else 0

    def is_active(self) -> bool:
        return self._i < len(self._starts)

    def id(self) -> int:
        return self._id

    def next(self) -> bool:
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

    def copy(self) -> "RangesMatcher":
        copy = RangesMatcher(self._starts, self._ends, self._scores, self._quality)
        copy._i, copy._id = self._i, self._id
        return copy

    def all_ids(self):
        for i in range(self._i, len(self._starts)):
            yield from range(self._id if i == self._i else self._starts[i], self._ends[i])

    # Block quality (Whoosh's block-max pruning): each range is a block whose quality is its
    # score. Only scored scopes offer it: Whoosh's intersection would otherwise skip past every
    # zero-scored filter range and lose matches.
    def supports_block_quality(self) -> bool:
        return self._quality

    def max_quality(self) -> float:
        return max(self._scores[self._i :], default=0.0)

    def block_quality(self) -> float:
        return self._scores[self._i]

    def skip_to_quality(self, minquality: float) -> int:
        skipped = 0
        while self._i < len(self._starts) and self._scores[self._i] <= minquality:
            self._i += 1
            skipped += 1
        if skipped and self._i < len(self._starts):
            self._id = self._starts[self._i]
        return skipped

    def score(self) -> float:
        return self._scores[self._i]


class LetterScope(WrappingQuery):
    """Matches the paragraphs and footnotes of the letters whose letter document matches `child`.

    A letter's documents are contiguous in a segment, letter document first, and its `ndocs`
    column says how many follow (see `briefreader.index.build_schema`), so a filter like
    `date:2021` costs one lookup per matching letter, not per paragraph. With `scored`, each
    paragraph gets its letter's score times `boost` (the title boost); otherwise 0, so a
    filter does not change the ranking.
    """

    def __init__(self, child, boost: float = 1.0, scored: bool = False):
        super().__init__(child)
        self.boost = boost
        self.scored = scored

    def __repr__(self) -> str:
        return f"LetterScope({self.child!r}, boost={self.boost}, scored={self.scored})"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, LetterScope)
            and self.child == other.child
            and self.boost == other.boost
            and self.scored == other.scored
        )

    def __hash__(self) -> int:
        return hash((LetterScope, self.child, self.boost, self.scored))

    def _rewrap(self, child):
        return LetterScope(child, self.boost, self.scored)

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count_all()

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        try:
            ndocs = reader.column_reader("ndocs")
        except Exception:  # noqa: BLE001 - a segment without letters has no column
            return matching.NullMatcher()
        starts: list[int] = []
        ends: list[int] = []
        scores: list[float] = []
        letters = None if self.scored else _letter_docs(self.child, reader)
        if letters is not None:
            for docnum in sorted(letters):
                count = ndocs[docnum]
                if count:  # only letter documents have a count
                    starts.append(docnum + 1)
                    ends.append(docnum + 1 + count)
            scores = [0.0] * len(starts)
        else:
            inner = self.child.matcher(searcher, context if self.scored else None)
            while inner.is_active():
                docnum = inner.id()
                count = ndocs[docnum]
                if count:
                    starts.append(docnum + 1)
                    ends.append(docnum + 1 + count)
                    scores.append(inner.score() * self.boost if self.scored else 0.0)
                inner.next()
        if not starts:
            return matching.NullMatcher()
        return RangesMatcher(starts, ends, scores, quality=self.scored)


def _letter_docs(node: Any, reader: Any) -> set[int] | None:
    """The documents a filter on letter fields matches, as a set, or None to let Whoosh do it.

    A date range is an OR of a few dozen numeric terms; Whoosh's union matcher walks it in
    Python at ~10 µs a document, where reading the (short) posting lists into a set is cheap.
    """
    if isinstance(node, wq.Term):
        if (node.fieldname, node.text) not in reader:
            return set()
        return set(reader.postings(node.fieldname, node.text).all_ids())
    if isinstance(node, WrappingQuery) and not isinstance(node, LetterScope):
        return _letter_docs(node.child, reader)
    if isinstance(node, wq.NumericRange):
        return _letter_docs(node._compile_query(reader), reader)
    if isinstance(node, wq.MultiTerm):
        fieldname = node.field()
        result: set[int] = set()
        for btext in node._btexts(reader):
            result.update(reader.postings(fieldname, btext).all_ids())
        return result
    if isinstance(node, (wq.Or, wq.And)):
        parts = [_letter_docs(child, reader) for child in node.subqueries]
        if any(part is None for part in parts):
            return None
        if not parts:
            return set()
        return set().union(*parts) if isinstance(node, wq.Or) else set.intersection(*parts)
    if isinstance(node, wq.AndNot):
        a, b = _letter_docs(node.a, reader), _letter_docs(node.b, reader)
        return None if a is None or b is None else a - b
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return set()
    return None


def _fields_of(node: Any) -> set[str]:
    return {getattr(leaf, "fieldname", None) for leaf, _ in _leaves(node)}


def _is_letter_level(node: Any) -> bool:
    fields = _fields_of(node)
    return bool(fields) and fields <= set(LETTER_FIELDS)


def _scope(node: Any) -> Any:
    """Wrap the letter-wide parts of a paragraph query in `LetterScope`s (one per group)."""
    if _is_letter_level(node):
        return LetterScope(node)
    if isinstance(node, wq.Not):
        return wq.Not(_scope(node.query))
    if isinstance(node, (wq.And, wq.Or)):
        letter_parts = [child for child in node.subqueries if _is_letter_level(child)]
        others = [_scope(child) for child in node.subqueries if not _is_letter_level(child)]
        if len(letter_parts) > 1:
            # `date:2021 dossier:32317` is one look-up on the letter documents, not two.
            others.append(LetterScope(node.__class__(letter_parts)))
        elif letter_parts:
            others.append(LetterScope(letter_parts[0]))
        return node.__class__(others, boost=node.boost)
    if isinstance(node, wq.CompoundQuery):
        return node.__class__([_scope(child) for child in node.subqueries], boost=node.boost)
    if isinstance(node, wq.BinaryQuery):
        return node.__class__(_scope(node.a), _scope(node.b))
    return node


class UnionMatcher(_ScoredMatcher):
    """The union of several term matchers, read lazily, every document with the same score.

    A heap holds each child at its current document. Whoosh's own union matcher does the same
    with scores and block-quality bookkeeping at every step, which is what made prefixes slow.
    """

    def __init__(self, children: list[Any], score: float, quality: bool):
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

    def copy(self) -> "UnionMatcher":
        return UnionMatcher([child.copy() for child in self._children], self._score, self._quality)

    def all_ids(self):
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

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, CompletionsQuery)
            and (self.fieldname, self.texts, self.score, self.quality) == (other.fieldname, other.texts, other.score, other.quality)
        )

    def __hash__(self) -> int:
        return hash((CompletionsQuery, self.fieldname, tuple(self.texts), self.score, self.quality))

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def terms(self, phrases: bool = False):
        for text in self.texts:
            yield (self.fieldname, text)

    def estimate_size(self, ixreader) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, text) for text in self.texts)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        children = [
            reader.postings(self.fieldname, text) for text in self.texts if (self.fieldname, text) in reader
        ]
        if not children:
            return matching.NullMatcher()
        return UnionMatcher(children, self.score, self.quality)


def _completions(reader: Any, fieldname: str, prefix: str, pattern: re.Pattern[str] | None, limit: int) -> list[str]:
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


def _expand(node: Any, reader: Any, limit: int, quality: bool) -> Any:
    """Replace prefixes and wildcards by their most frequent completions in this index."""
    if isinstance(node, (wq.Prefix, wq.Wildcard)):
        if isinstance(node, wq.Prefix):
            terms = _completions(reader, node.fieldname, node.text, None, limit)
        else:
            literal = re.split(r"[*?]", node.text, maxsplit=1)[0]
            terms = _completions(reader, node.fieldname, literal, _wildcard_regex(node.text), limit)
        if not terms:
            return wq.NullQuery
        if node.fieldname in LETTER_FIELDS:
            # Inside a letter filter: evaluated on the letter documents, few enough to score.
            return wq.Or([wq.Term(node.fieldname, t, boost=node.boost) for t in terms])
        return CompletionsQuery(node.fieldname, terms, PREFIX_SCORE * node.boost, quality)
    if isinstance(node, wq.Not):
        return wq.Not(_expand(node.query, reader, limit, quality))
    if isinstance(node, wq.CompoundQuery):
        return node.__class__([_expand(child, reader, limit, quality) for child in node.subqueries], boost=node.boost)
    if isinstance(node, wq.BinaryQuery):
        return node.__class__(_expand(node.a, reader, limit, quality), _expand(node.b, reader, limit, quality))
    return node


def _and_not(node: Any) -> Any:
    """`And([a, b, Not(c), Not(d)])` -> `AndNot(And([a, b]), Or([c, d]))`.

    Whoosh matches a `Not` inside an `And` by walking every document of the index that lacks
    the word (an inverse matcher); `AndNot` only checks the documents the positive part found.
    """
    if isinstance(node, wq.And):
        children = [_and_not(child) for child in node.subqueries]
        positive = [child for child in children if not isinstance(child, wq.Not)]
        negative = [child.query for child in children if isinstance(child, wq.Not)]
        if positive and negative:
            keep = positive[0] if len(positive) == 1 else wq.And(positive, boost=node.boost)
            drop = negative[0] if len(negative) == 1 else wq.Or(negative)
            return wq.AndNot(keep, drop)
        return wq.And(children, boost=node.boost)
    if isinstance(node, wq.Not):
        return wq.Not(_and_not(node.query))
    if isinstance(node, wq.CompoundQuery):
        return node.__class__([_and_not(child) for child in node.subqueries], boost=node.boost)
    if isinstance(node, wq.BinaryQuery):
        return node.__class__(_and_not(node.a), _and_not(node.b))
    return node


@dataclass(frozen=True)
class Plan:
    """How to run a compiled query on one searcher."""

    #: The query that ranks (with the title and section boosts).
    ranked: Any
    #: The same documents without the boosts: cheaper to count.
    matching: Any
    #: Only prefixes to rank by (all hits score the same): list the newest letters' hits first.
    prefix_only: bool = False


def executable_query(compiled: CompiledQuery, searcher: Any, letter: str | None = None) -> Plan:
    """The Whoosh queries to run on `searcher` for a compiled query (see `compile_query`)."""
    reader = searcher.reader()
    # Words that are in the index: if there are none, prefixes alone rank the hits.
    words = [word for word in compiled.words if not isinstance(word, wq.Term) or (word.fieldname, word.text) in reader]
    query = _expand(compiled.query, reader, compiled.prefix_terms, quality=not words).normalize()
    if compiled.letters_only:
        parts = [query, wq.Term("kind", KIND_LETTER)]
    else:
        parts = [_scope(query)]
    if letter:
        parts.append(wq.Term("letter", letter))
    query = wq.And(parts).normalize() if len(parts) > 1 else parts[0]
    query = _and_not(query)
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


# --- running a query ------------------------------------------------------------------------


def _count(searcher: Any, query: Any, cap: int) -> int:
    count = 0
    for _ in searcher.docs_for_query(query):
        count += 1
        if count >= cap:
            break
    return count


class _Unsupported(Exception):
    """A query shape the whole-postings path does not handle: let Whoosh's matchers run it."""


#: Use the whole-postings path (see `_WholePostings`); tests switch it off to compare both paths.
WHOLE_POSTINGS = True


class _WholePostings:
    """Runs a query of words, filters and NOTs on one segment by reading whole posting lists.

    Whoosh walks the documents of `frontex litouwen` one by one through a tree of Python
    matchers (skip_to, score, collect), about 20 µs per matching paragraph: 120 ms when both
    words are common. Reading each word's postings a block at a time (about 0.4 µs a posting),
    intersecting them as sets and scoring the survivors with Whoosh's own BM25F scorer gives the
    same hits and scores in a fraction of that; a phrase checks the positions of its words only
    in the paragraphs that hold all of them. Prefixes and single words (where Whoosh's
    block-max pruning works) stay with Whoosh.
    """

    def __init__(self, leaf: Any):
        self.searcher = leaf
        self.reader = leaf.reader()
        self.deleted = set(self.reader._perdoc.deleted_docs()) if self.reader.has_deletions() else None
        self._lengths: dict[str, Any] = {}
        self._weights: dict[tuple[str, str], dict[int, float]] = {}

    def _postings(self, fieldname: str, text: str, values: bool = False) -> tuple[list[int], list[float], list[Any]]:
        """A word's posting list, read a block at a time: ids, weights and (if asked) values."""
        if (fieldname, text) not in self.reader:
            return [], [], []
        matcher = self.reader.postings(fieldname, text)
        leaf = getattr(matcher, "child", matcher)  # unwrap the filter for deleted documents
        ids: list[int] = []
        weights: list[float] = []
        encoded: list[Any] = []
        if hasattr(leaf, "_read_ids") and hasattr(leaf, "_next_block"):
            while not leaf._atend:
                leaf._read_ids()
                leaf._read_weights()
                ids.extend(leaf._ids)
                weights.extend(leaf._weights)
                if values:
                    leaf._read_values()
                    encoded.extend(leaf._values)
                leaf._next_block()
        else:  # another codec: the slow, public way
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                if values:
                    encoded.append(matcher.value())
                matcher.next()
        if self.deleted:
            keep = [n for n, docnum in enumerate(ids) if docnum not in self.deleted]
            ids = [ids[n] for n in keep]
            weights = [weights[n] for n in keep]
            encoded = [encoded[n] for n in keep] if values else encoded
        return ids, weights, encoded

    def positions(self, fieldname: str, text: str) -> dict[int, Any]:
        """A word's postings as document number -> encoded positions."""
        key = ("#values", fieldname, text)
        if key not in self._weights:
            ids, weights, encoded = self._postings(fieldname, text, values=True)
            self._weights[key] = dict(zip(ids, encoded))
            self._weights.setdefault((fieldname, text), dict(zip(ids, weights)))
        return self._weights[key]

    def phrase_scores(self, node: wq.Phrase) -> dict[int, float]:
        """The documents holding the phrase, scored as Whoosh scores a phrase: its words' BM25F."""
        if node.fieldname not in PARAGRAPH_FIELDS or node.slop != 1 or not node.words:
            raise _Unsupported("phrase")
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

    def _length_of(self, fieldname: str):
        if fieldname not in self._lengths:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
            from whoosh.util.numeric import byte_to_length

            column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                raise _Unsupported(fieldname)
            raw = column._dbfile.get(column._basepos, column._count)
            table = [byte_to_length(b) for b in range(256)]
            self._lengths[fieldname] = (raw, table)
        raw, table = self._lengths[fieldname]
        return lambda docnum: table[raw[docnum]] if docnum < len(raw) else 1

    def weights(self, fieldname: str, text: str) -> dict[int, float]:
        """A word's postings as document number -> weight (term frequency)."""
        key = (fieldname, text)
        if key not in self._weights:
            ids, weights, _ = self._postings(fieldname, text)
            self._weights[key] = dict(zip(ids, weights))
        return self._weights[key]

    def term_scores(self, fieldname: str, text: str, boost: float, within: set[int] | None = None) -> dict[int, float]:
        """BM25F scores of a word's documents (only those in `within`, if given)."""
        weights = self.weights(fieldname, text)
        if not weights:
            return {}
        scorer = self.searcher.weighting.scorer(self.searcher, fieldname, text)
        score = getattr(scorer, "_score", None)
        if score is None:
            raise _Unsupported("scorer")
        length = self._length_of(fieldname)
        docnums = weights.keys() if within is None else (d for d in within if d in weights)
        return {docnum: score(weights[docnum], length(docnum)) * boost for docnum in docnums}

    def ranges(self, scope: LetterScope) -> RangesMatcher | None:
        matcher = scope.matcher(self.searcher)
        return matcher if isinstance(matcher, RangesMatcher) else None

    def docset(self, node: Any) -> set[int]:
        """The documents `node` matches, unscored (for filters and NOTs)."""
        if isinstance(node, LetterScope):
            ranges = self.ranges(node)
            result: set[int] = set()
            if ranges is not None:
                for start, end in zip(ranges._starts, ranges._ends):
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
        raise _Unsupported(type(node).__name__)

    def scores(self, node: Any) -> dict[int, float]:
        """The documents `node` matches with their scores, as Whoosh's matchers would give them."""
        if isinstance(node, wq.Term) and node.fieldname in PARAGRAPH_FIELDS:
            return self.term_scores(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.Phrase):
            return self.phrase_scores(node)
        if isinstance(node, wq.Or):
            merged: dict[int, float] = {}
            for child in node.subqueries:
                part = {d: 0.0 for d in self.docset(child)} if isinstance(child, LetterScope) else self.scores(child)
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
                raise _Unsupported("filters only")
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
                    starts, ends, values = ranges._starts, ranges._ends, ranges._scores
                    for docnum in result:
                        i = bisect.bisect_right(starts, docnum) - 1
                        if i >= 0 and docnum < ends[i]:
                            result[docnum] += values[i]
                else:
                    for docnum, score in self.scores(extra).items():
                        if docnum in result:
                            result[docnum] += score
            return result
        raise _Unsupported(type(node).__name__)


def _whole_postings_picks(searcher: Any, plan: Plan, limit: int) -> tuple[list[tuple[int, float]], int] | None:
    """Top hits and exact count through `_WholePostings`, or None if the query is not for it."""
    matching_query = plan.matching
    if not WHOLE_POSTINGS or isinstance(matching_query, wq.Term):
        return None  # one word: Whoosh's block-max pruning does well
    try:
        everything: list[tuple[float, int]] = []
        for leaf, offset in searcher.leaf_searchers():
            scores = _WholePostings(leaf).scores(plan.ranked)
            everything.extend((score, docnum + offset) for docnum, score in scores.items())
    except _Unsupported:
        return None
    except AttributeError:
        return None  # Whoosh internals differ from what this path reads
    best = heapq.nsmallest(limit, everything, key=lambda item: (-item[0], item[1]))
    return [(docnum, score) for score, docnum in best], len(everything)


def _pick(index: CorpusIndex, searcher: Any, compiled: CompiledQuery, plan: Plan, limit: int, stored: dict[int, dict]) -> tuple[list[tuple[int, float]], int, bool]:
    """The hits to show as (document number, score), best first, and the count (exact or not)."""
    if compiled.pure_filter:
        results = searcher.search(plan.ranked, limit=limit, sortedby=FieldFacet("date", reverse=True))
        # Sorted by date, a result's score is its sort key, not a relevance: report 0.
        picks = [(result.docnum, 0.0) for result in results]
    elif plan.prefix_only:
        # Every hit scores the same: take the first matches (as many as we count) and show those
        # of the newest letters first.
        first = list(itertools.islice(searcher.docs_for_query(plan.matching), COUNT_CAP))
        # A paragraph belongs to the nearest letter document before it (see build_schema).
        heads = list(searcher.docs_for_query(wq.Term("kind", KIND_LETTER)))
        dates: dict[int, str] = {}
        keyed = []
        for docnum in first:
            head = heads[bisect.bisect_right(heads, docnum) - 1] if heads and heads[0] <= docnum else -1
            if head not in dates:
                meta = searcher.stored_fields(head).get("meta", {}) if head >= 0 else {}
                dates[head] = meta.get("date") or ""
            keyed.append((dates[head], -docnum))
        order = sorted(range(len(first)), key=lambda i: keyed[i], reverse=True)
        picks = [(first[i], PREFIX_SCORE) for i in order[:limit]]
        return picks, len(first), len(first) < COUNT_CAP
    else:
        fast = _whole_postings_picks(searcher, plan, limit)
        if fast is not None:
            picks, total = fast
            return picks, total, True
        results = searcher.search(plan.ranked, limit=limit)
        picks = [(result.docnum, float(result.score or 0.0)) for result in results]
    if len(picks) < limit:
        return picks, len(picks), True
    total = _count(searcher, plan.matching, COUNT_CAP)
    return picks, total, total < COUNT_CAP


def _collect(index: CorpusIndex, searcher: Any, compiled: CompiledQuery, limit: int, letter: str | None) -> SearchResult:
    plan = executable_query(compiled, searcher, letter)
    stored: dict[int, dict] = {}
    picks, total, exact = _pick(index, searcher, compiled, plan, limit, stored)
    hits: list[Hit] = []
    letters: dict[str, Any] = {}
    for docnum, score in picks:
        fields = stored.get(docnum) or searcher.stored_fields(docnum)
        if fields.get("kind") == KIND_LETTER:
            meta = fields["meta"]
            text = meta.get("summary") or ""
            snippet, spans = make_snippet(text, compiled.highlight.spans(text))
            hits.append(Hit(meta["id"], meta.get("title"), meta.get("date"), None, None, None, snippet, spans, score, KIND_LETTER))
            continue
        letter_id = fields["letter"]
        if letter_id not in letters:
            letters[letter_id] = index.stored_letter(searcher, letter_id)
        meta = letters[letter_id]
        body = fields.get("body") or ""
        snippet, spans = make_snippet(body, compiled.highlight.spans(body))
        kind = fields.get("kind", "paragraph")
        is_note = kind == KIND_FOOTNOTE
        hits.append(
            Hit(
                letter=letter_id,
                title=meta.title if meta else None,
                date=meta.date if meta else None,
                section=fields.get("section") or None,
                paragraph=None if is_note else fields.get("pos"),
                footnote=fields.get("pos") if is_note else None,
                snippet=snippet,
                highlights=spans,
                score=score,
                kind=kind,
            )
        )
    return SearchResult(hits, total, notice=compiled.notice, total_exact=exact, letters=group_by_letter(hits))


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
    "LetterHit",
    "LetterScope",
    "Plan",
    "QueryProblem",
    "SearchResult",
    "compile_query",
    "executable_query",
    "group_by_letter",
    "highlight_spans",
    "make_snippet",
    "search",
    "terms_for_highlight",
]
