"""`search()`: a query string and an index in, a `SearchResult` out; never raises."""

from __future__ import annotations

import bisect
import itertools

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet

from briefreader.index import KIND_FOOTNOTE, KIND_LETTER, CorpusIndex, IndexDamaged, LetterInfo
from briefreader.index.errors import reading_index
from briefreader.sanitise import visible
from briefreader.search.compile import CompiledQuery, compile_query
from briefreader.search.fastpath import whole_postings_picks
from briefreader.search.plan import PREFIX_SCORE, Plan, executable_query
from briefreader.search.results import Hit, SearchResult, group_by_letter
from briefreader.search.snippet import make_snippet
from briefreader.search.syntax import QueryProblem

#: Hits are counted exactly up to this number; beyond it `SearchResult.total_exact` is False.
COUNT_CAP = 200

Pick = tuple[int, float]


def _count(searcher: Searcher, query: wq.Query, cap: int) -> int:
    count = 0
    for _ in searcher.docs_for_query(query):
        count += 1
        if count >= cap:
            break
    return count


def _pick(searcher: Searcher, compiled: CompiledQuery, plan: Plan, limit: int) -> tuple[list[Pick], int, bool]:
    """The hits to show as (document number, score), best first, and the count (exact or not)."""
    if compiled.pure_filter:
        results = searcher.search(plan.ranked, limit=limit, sortedby=FieldFacet("date", reverse=True))
        # Sorted by date, a result's score is its sort key, not a relevance: report 0.
        picks = [(result.docnum, 0.0) for result in results]
    elif plan.prefix_only:
        # Every hit scores the same: take the first matches (as many as we count) and show those
        # of the newest letters first.
        first = list(itertools.islice(searcher.docs_for_query(plan.matching), COUNT_CAP))
        # A paragraph belongs to the nearest letter document before it (briefreader.index.documents).
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
        fast = whole_postings_picks(searcher, plan, limit)
        if fast is not None:
            picks, total = fast
            return picks, total, True
        results = searcher.search(plan.ranked, limit=limit)
        picks = [(result.docnum, float(result.score or 0.0)) for result in results]
    if len(picks) < limit:
        return picks, len(picks), True
    total = _count(searcher, plan.matching, COUNT_CAP)
    return picks, total, total < COUNT_CAP


def _collect(index: CorpusIndex, searcher: Searcher, compiled: CompiledQuery, limit: int, letter: str | None) -> SearchResult:
    plan = executable_query(compiled, searcher, letter)
    picks, total, exact = _pick(searcher, compiled, plan, limit)
    hits: list[Hit] = []
    letters: dict[str, LetterInfo | None] = {}
    for docnum, score in picks:
        fields = searcher.stored_fields(docnum)
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

    What went wrong is told apart (see `briefreader.index.errors.is_damage`): a query that can't
    run gives `message`; a damaged index `index_error` (rebuild it); anything else is a bug in
    briefreader, `internal_error`, with a message naming the query (leave the index alone).
    """
    try:
        compiled = compile_query(query, as_you_type=as_you_type)
    except QueryProblem as problem:
        return SearchResult(message=str(problem))
    except Exception as error:  # noqa: BLE001 - a bug must come back as a result, never crash the caller
        return _internal_error(query, error)
    limit = max(1, int(limit))
    try:
        with index.searcher() as searcher, reading_index():
            return _collect(index, searcher, compiled, limit, letter)
    except IndexDamaged as error:
        return SearchResult(message=f"The search index can't be read ({error}): run `briefreader index --rebuild`.", index_error=True)
    except Exception as error:  # noqa: BLE001 - see above
        return _internal_error(query, error)


#: An internal error's message quotes at most this many characters of the query.
QUOTED_QUERY = 80


def _internal_error(query: str, error: Exception) -> SearchResult:
    shown = visible(query if len(query) <= QUOTED_QUERY else query[:QUOTED_QUERY] + "…", newlines=False)
    detail = visible(f"{error.__class__.__name__}: {error}", newlines=False)
    return SearchResult(message=f"internal error while searching for “{shown}” ({detail}); please report it", internal_error=True)


__all__ = ["COUNT_CAP", "search"]
