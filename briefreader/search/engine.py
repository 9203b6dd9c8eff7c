"""`search()`: a query string and an index in, matching letters with their best paragraphs out.

A query is matched against whole letters: every word of an AND may stand anywhere in the letter
(its paragraphs, footnotes, title, section titles, signatories); phrases stay within one
paragraph; NOT leaves out the letter. Letters are ranked by BM25F over the letter
(`briefreader.search.fields`), the best `CANDIDATES` of them then with a bonus for words close
together (`briefreader.search.locate`), and each letter shown once with its best paragraphs.
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Iterable

from whoosh.searching import Searcher

from briefreader.index import KIND_LETTER, CorpusIndex, IndexDamaged, Layout, LetterInfo
from briefreader.index.errors import reading_index
from briefreader.sanitise import visible
from briefreader.search.compile import CompiledQuery, compile_query
from briefreader.search.evaluate import StopCheck, Stopped, check, evaluate
from briefreader.search.locate import BlockMatch, LetterMatch, locate
from briefreader.search.plan import NO_DATE, Plan, make_plan
from briefreader.search.results import Hit, LetterHit, SearchResult
from briefreader.search.snippet import make_snippet
from briefreader.search.spelling import suggestions
from briefreader.search.syntax import MIN_PREFIX, QueryProblem

#: How many of the best-scoring letters get the closeness bonus (at least three times `limit`):
#: the bonus only reorders letters that already rank near the top.
CANDIDATES = 30
#: An internal error's message quotes at most this many characters of the query.
QUOTED_QUERY = 80


def _letter_docnums(searcher: Searcher, letter_id: str) -> list[int]:
    return list(searcher.document_numbers(letter=letter_id))


def _dates(searcher: Searcher) -> list[int]:
    """The `date` column of the whole index (global document numbers), kept on the searcher."""
    cache = getattr(searcher, "briefreader_cache", {})
    if "dates" in cache:
        return cache["dates"]
    values: list[int] = cache.setdefault("dates", [])
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.has_column("date"):
            values.extend(reader.column_reader("date", translate=False))
        else:
            values.extend([NO_DATE] * reader.doc_count_all())
    return values


def _by_date(searcher: Searcher) -> list[int]:
    """Every document number of the index, newest first, then in document order, undated last
    (kept on the searcher)."""
    cache = getattr(searcher, "briefreader_cache", {})
    if "by date" not in cache:
        dates = _dates(searcher)
        # A stable sort keeps document order among equal dates, also reversed. Undated letters
        # have the largest value: they come first, and go last.
        order = sorted(range(len(dates)), key=dates.__getitem__, reverse=True)
        undated = dates.count(NO_DATE)
        cache["by date"] = order[undated:] + order[:undated]
    return cache["by date"]


#: A match of 1/DENSE_SHARE of the index or more walks the index newest first for the newest
#: matches; the order is made (a sort of the whole index) for a match of 1/SORT_SHARE or more.
DENSE_SHARE = 50
SORT_SHARE = 2


def _newest_first(searcher: Searcher, docnums: dict[int, float], limit: int) -> list[int]:
    dates = _dates(searcher)
    known = "by date" in getattr(searcher, "briefreader_cache", {})
    if len(docnums) * (DENSE_SHARE if known else SORT_SHARE) >= len(dates):
        # Many matches (a short prefix, a broad filter): the newest letters hold some soon.
        return list(itertools.islice(filter(docnums.__contains__, _by_date(searcher)), limit))
    # Undated last: their column value is the largest number; newest first, then document order.
    return heapq.nsmallest(limit, docnums, key=lambda d: (dates[d] == NO_DATE, -dates[d], d))


def _best(scores: dict[int, float], count: int) -> list[int]:
    """The `count` best-scoring documents, best first, equal scores in the order of `scores`: the
    first `count` of `sorted(scores, key=scores.__getitem__, reverse=True)`, but only the
    documents scoring at least the `count`-th best score are sorted (a fraction of 70,000)."""
    if len(scores) > count:
        threshold = heapq.nlargest(count, scores.values())[-1]
        near = [docnum for docnum, score in scores.items() if score >= threshold]
    else:
        near = list(scores)
    # A stable sort: reversed, it keeps equal scores in their order (as the full sort does).
    return sorted(near, key=scores.__getitem__, reverse=True)[:count]


def _hit(letter_id: str, info: LetterInfo | None, layout: Layout, match: BlockMatch, compiled: CompiledQuery) -> Hit:
    block = match.block
    snippet, spans = make_snippet(block.text, compiled.highlight.spans(block.text))
    is_note = block.kind == "footnote"
    return Hit(
        letter=letter_id,
        title=info.title if info else None,
        date=info.date if info else None,
        section=layout.sections[block.section] if block.section >= 0 else None,
        paragraph=None if is_note else block.number,
        footnote=block.number if is_note else None,
        snippet=snippet,
        highlights=spans,
        score=match.score,
        kind=block.kind,
    )


def _letter_hit(letter_id: str, info: LetterInfo | None, score: float, compiled: CompiledQuery) -> Hit:
    """The letter itself as its hit (its summary), when no paragraph shows the query's words."""
    text = info.summary if info else ""
    snippet, spans = make_snippet(text, compiled.highlight.spans(text))
    return Hit(letter_id, info.title if info else None, info.date if info else None, None, None, None, snippet, spans, score, KIND_LETTER)


#: How many letters' stored layouts a searcher keeps for the next searches.
LAYOUT_CACHE_SIZE = 2_000


def _layouts(searcher: Searcher, docnums: Iterable[int]) -> tuple[dict[int, Layout], dict[int, str]]:
    """The stored layout and letter id of each document (kept on the searcher for the next searches)."""
    cache: OrderedDict[int, tuple[Layout, str]] = getattr(searcher, "briefreader_cache", {}).setdefault("layouts", OrderedDict())
    layouts: dict[int, Layout] = {}
    ids: dict[int, str] = {}
    for docnum in docnums:
        found = cache.get(docnum)
        if found is None:
            stored = searcher.stored_fields(docnum)
            letter_id = stored.get("letter")
            if not isinstance(letter_id, str):
                raise IndexDamaged(f"document {docnum} has no letter id")
            found = cache[docnum] = (Layout.from_stored(stored.get("layout")), letter_id)
            if len(cache) > LAYOUT_CACHE_SIZE:
                cache.popitem(last=False)
        layouts[docnum], ids[docnum] = found
    return layouts, ids


def _collect(
    index: CorpusIndex, searcher: Searcher, compiled: CompiledQuery, query: str, limit: int, letter: str | None, stop: StopCheck | None = None
) -> SearchResult:
    plan = make_plan(compiled, searcher)
    check(stop)
    within = None
    if letter is not None:
        within = _letter_docnums(searcher, letter)
        if not within:
            return SearchResult(notice=compiled.notice)
    scores = evaluate(searcher, plan.root, within, stop)
    check(stop)
    if letter is not None:
        return _in_letter(index, searcher, compiled, plan, scores)
    if plan.by_date:
        shown = [(docnum, 0.0) for docnum in _newest_first(searcher, scores, limit)]
        matches: dict[int, LetterMatch] = {}
        layouts, ids = _layouts(searcher, [d for d, _ in shown])
        if plan.units or plan.sections:
            matches = locate(searcher, plan, layouts)
    else:
        # Only letters near the top can move up for words close together; one word has no bonus.
        wanted = max(CANDIDATES, 3 * limit) if len(plan.units) > 1 else limit
        best = _best(scores, wanted)
        candidates = sorted(((d, scores[d]) for d in best), key=lambda item: (-item[1], item[0]))
        layouts, ids = _layouts(searcher, [d for d, _ in candidates])
        check(stop)
        matches = locate(searcher, plan, layouts) if plan.units or plan.sections else {}
        rescored = [(docnum, score * (matches[docnum].proximity if docnum in matches else 1.0)) for docnum, score in candidates]
        shown = sorted(rescored, key=lambda item: (-item[1], item[0]))[:limit]
    letters: list[LetterHit] = []
    for docnum, score in shown:
        letter_id = ids[docnum]
        info = index.letter(letter_id)
        match = matches.get(docnum)
        best = match.best() if match is not None else []
        paragraphs = tuple(_hit(letter_id, info, layouts[docnum], m, compiled) for m in best) or (
            _letter_hit(letter_id, info, score, compiled),
        )
        letters.append(LetterHit(letter_id, info.title if info else None, info.date if info else None, score, paragraphs))
    hits = [hit for letter_hit in letters for hit in letter_hit.paragraphs]
    check(stop)
    return SearchResult(hits, len(scores), notice=compiled.notice, letters=letters, suggestions=suggestions(searcher, compiled, query))


def _in_letter(index: CorpusIndex, searcher: Searcher, compiled: CompiledQuery, plan: Plan, scores: dict[int, float]) -> SearchResult:
    """Every paragraph and footnote hit of one letter, in reading order: its paragraphs and list
    items first, then its footnotes (for n/N in the reader)."""
    if not scores:
        return SearchResult(notice=compiled.notice)
    docnum, score = next(iter(scores.items()))
    layouts, ids = _layouts(searcher, [docnum])
    letter_id = ids[docnum]
    info = index.letter(letter_id)
    match = locate(searcher, plan, layouts).get(docnum) if plan.units or plan.sections else None
    blocks = sorted(match.blocks if match else (), key=lambda m: (m.block.kind == "footnote", m.block.number))
    paragraphs = tuple(_hit(letter_id, info, layouts[docnum], m, compiled) for m in blocks)
    letter_hit = LetterHit(letter_id, info.title if info else None, info.date if info else None, score, paragraphs)
    return SearchResult(list(paragraphs), 1, notice=compiled.notice, letters=[letter_hit])


def search(
    index: CorpusIndex,
    query: str,
    limit: int = 10,
    *,
    as_you_type: bool = False,
    letter: str | None = None,
    stop: StopCheck | None = None,
) -> SearchResult:
    """Search the index; never raises. At most `limit` letters, best first, each with its best
    paragraphs (`SearchResult.letters`; `hits` are those paragraphs, letter by letter).

    `as_you_type`: the last word, if not followed by a space, also matches as a prefix.
    `letter`: only that letter, with every paragraph and footnote that holds the query's words,
    in reading order. Safe to call from any thread (each call opens its own searcher).
    `stop`: asked between the stages of the search (a few milliseconds apart); when it says
    the search is no longer wanted (a newer key came), it ends with `stopped` set.

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
            result = _collect(index, searcher, compiled, query, limit, letter, stop)
            if compiled.titles_only and not result.letters and not result.hits and len(query.strip()) >= MIN_PREFIX:
                # No title holds the short word: the text after all (slower, but no "No hits"
                # while a letter has it). One letter is no word to look for in the text.
                text = compile_query(query, as_you_type=as_you_type, titles_first=False)
                result = _collect(index, searcher, text, query, limit, letter, stop)
            return result
    except Stopped:
        return SearchResult(stopped=True)
    except IndexDamaged as error:
        return SearchResult(message=f"The search index can't be read ({error}): run `briefreader index --rebuild`.", index_error=True)
    except Exception as error:  # noqa: BLE001 - see above
        return _internal_error(query, error)


def _internal_error(query: str, error: Exception) -> SearchResult:
    shown = visible(query if len(query) <= QUOTED_QUERY else query[:QUOTED_QUERY] + "…", newlines=False)
    detail = visible(f"{error.__class__.__name__}: {error}", newlines=False)
    return SearchResult(message=f"internal error while searching for “{shown}” ({detail}); please report it", internal_error=True)


__all__ = ["CANDIDATES", "search"]
