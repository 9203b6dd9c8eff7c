"""briefreader's own matchers and fast path against Whoosh's own, on an index big enough that the
collector skips posting blocks, with several segments and deleted documents, on hundreds of queries.

Whoosh's results without block-quality pruning are the reference for the pruned ones (pruning may
only save time, never change the top hits); Whoosh's own matchers are the reference for the
whole-postings path and for `CompletionsQuery` and `LetterScope`.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_fixtures.big import build_big_index, real_words
from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.matching import ReadTooFar

import briefreader.search.fastpath as fastpath
from briefreader.search import compile_query, executable_query
from briefreader.search.matchers import CompletionsQuery, LetterScope, RangesMatcher


@pytest.fixture(scope="module")
def big_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    return build_big_index(folder / "corpus", folder / "index")


def queries(count: int = 200, seed: int = 11) -> list[tuple[str, bool]]:
    """(query, as_you_type): words of every frequency, in every construct of the syntax."""
    rng = random.Random(seed)
    words = real_words()[:400]
    common, rare = words[:40], words[40:]

    def word() -> str:
        return rng.choice(common) if rng.random() < 0.6 else rng.choice(rare)

    shapes = [
        lambda: word(),
        lambda: f"{word()} {word()}",
        lambda: f"{word()} {word()} {word()}",
        lambda: f"{word()} OR {word()}",
        lambda: f"{word()} NOT {word()}",
        lambda: f"{word()} -{word()}",
        lambda: f'"{word()} {word()}"',
        lambda: f"{word()[:4]}*",
        lambda: f"{word()} {word()[:5]}*",
        lambda: f"{word()} date:{rng.randint(2015, 2023)}",
        lambda: f"{word()} date:{rng.randint(2015, 2018)}..{rng.randint(2019, 2023)}",
        lambda: f"{word()} dossier:{rng.choice(['32317', '21501-20', '26643'])}",
        lambda: f"{word()} title:{word()}",
        lambda: f"{word()} from:grapperhaus",
        lambda: f"{word()} section:{word()}",
        lambda: f"({word()} OR {word()}) {word()}",
        lambda: f"{word()} {word()} -dossier:32317",
        lambda: f"title:{word()}",
    ]
    result = [(rng.choice(shapes)(), False) for _ in range(count)]
    result += [(f"{word()} {word()[:rng.randint(2, 5)]}", True) for _ in range(count // 10)]
    return result


QUERIES = queries()


def top(searcher, query, limit: int | None, usequality: bool) -> tuple[list[tuple[int, float]], int]:
    if limit is None:  # every match, by score (Whoosh's unlimited collector)
        return [(hit.docnum, round(float(hit.score or 0.0), 6)) for hit in searcher.search(query, limit=None)], 0
    collector = TopCollector(limit=limit, usequality=usequality)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return [(hit.docnum, round(float(hit.score or 0.0), 6)) for hit in results], collector.skipped_times


def test_the_index_has_several_segments_and_deleted_documents(big_index):
    with big_index.searcher() as searcher:
        leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        assert len(leaves) >= 3
        assert any(reader.has_deletions() for reader in leaves)


def test_block_quality_pruning_never_changes_the_top_hits(big_index):
    skipped = 0
    with big_index.searcher() as searcher:
        for query, typing in QUERIES:
            compiled = compile_query(query, as_you_type=typing)
            plan = executable_query(compiled, searcher)
            pruned, skips = top(searcher, plan.ranked, 10, usequality=True)
            reference, _ = top(searcher, plan.ranked, 10, usequality=False)
            assert pruned == reference, query
            skipped += skips
    # The index is big enough that the collector did skip blocks (else this test tests nothing).
    assert skipped > 20


def test_the_whole_postings_path_gives_whooshs_full_result_lists(big_index):
    compared = 0
    with big_index.searcher() as searcher:
        for query, typing in QUERIES:
            compiled = compile_query(query, as_you_type=typing)
            plan = executable_query(compiled, searcher)
            fast = fastpath.whole_postings_picks(searcher, plan, limit=100_000)
            if fast is None:
                continue
            picks, total = fast
            reference, _ = top(searcher, plan.ranked, None, usequality=False)
            assert total == len(reference), query
            # Same documents, same scores; documents of equal score in document order.
            assert sorted(picks, key=lambda p: (-round(p[1], 6), p[0])) == [(d, pytest.approx(s, abs=1e-5)) for d, s in reference], query
            compared += 1
    assert compared > 150


def test_completions_match_what_whoosh_matches_for_their_terms(big_index):
    with big_index.searcher() as searcher:
        reader = searcher.reader()
        for prefix in ["ver", "mig", "inf", "eur", "kab", "minis", "stat"]:
            terms = [t.decode() for t in reader.expand_prefix("body", prefix)][:24]
            assert terms, prefix
            ours = CompletionsQuery("body", terms, score=1.5)
            whoosh = wq.ConstantScoreQuery(wq.Or([wq.Term("body", t) for t in terms]), 1.5)
            assert top(searcher, ours, None, usequality=False)[0] == top(searcher, whoosh, None, usequality=False)[0]
            quality = CompletionsQuery("body", terms, score=1.5, quality=True)
            assert top(searcher, quality, 10, usequality=True)[0] == top(searcher, whoosh, 10, usequality=False)[0]


@pytest.mark.parametrize("child", ["date:2018", "dossier:26643", "from:grapperhaus", "title:veiligheid"])
def test_a_letter_scope_matches_the_paragraphs_of_the_matching_letters(big_index, child):
    with big_index.searcher() as searcher:
        reader = searcher.reader()
        parsed = compile_query(child).query
        letters = {reader.stored_fields(d)["letter"] for d in searcher.docs_for_query(wq.And([parsed, wq.Term("kind", "letter")]))}
        assert letters
        expected = {
            d for d in reader.all_doc_ids() if reader.stored_fields(d)["kind"] != "letter" and reader.stored_fields(d)["letter"] in letters
        }
        assert set(searcher.docs_for_query(LetterScope(parsed))) == expected
        scored = dict(top(searcher, LetterScope(parsed, boost=2.0, scored=True), None, usequality=False)[0])
        assert set(scored) == expected


# --- the matcher protocol, call by call ------------------------------------------------------


ranges_strategy = st.lists(st.tuples(st.integers(1, 5), st.integers(0, 4), st.floats(0, 5)), min_size=1, max_size=8)
operations = st.lists(
    st.one_of(
        st.just(("next",)),
        st.tuples(st.just("skip_to"), st.integers(0, 80)),
        st.tuples(st.just("skip_to_quality"), st.floats(0, 6)),
        st.just(("block_quality",)),
        st.just(("copy",)),
        st.just(("reset",)),
    ),
    max_size=25,
)


def make_ranges(spec: list[tuple[int, int, float]]) -> tuple[list[int], list[int], list[float]]:
    starts, ends, scores, position = [], [], [], 0
    for length, gap, score in spec:
        position += gap
        starts.append(position)
        ends.append(position + length)
        scores.append(score)
        position += length
    return starts, ends, scores


def block_of(starts: list[int], ends: list[int], docnum: int) -> int:
    return next(k for k in range(len(starts)) if starts[k] <= docnum < ends[k])


@settings(max_examples=300, deadline=None)
@given(ranges_strategy, operations)
def test_ranges_matcher_follows_the_matcher_protocol(spec, ops):
    starts, ends, scores = make_ranges(spec)
    members = {d: scores[i] for i in range(len(starts)) for d in range(starts[i], ends[i])}
    matcher = RangesMatcher(starts, ends, scores, quality=True)
    last = -1
    for op in ops:
        if op[0] == "reset":
            matcher.reset()
            last = -1
            continue
        if op[0] == "copy":
            copy = matcher.copy()
            assert copy.is_active() == matcher.is_active()
            if matcher.is_active():
                assert copy.id() == matcher.id()
            matcher = copy
            continue
        if not matcher.is_active():
            # Exhausted: quality queries still answer (Whoosh asks them), moving on is ReadTooFar.
            assert matcher.block_quality() == 0.0 and matcher.skip_to_quality(1.0) == 0
            if op[0] == "next":
                with pytest.raises(ReadTooFar):
                    matcher.next()
            continue
        if op[0] == "next":
            matcher.next()
        elif op[0] == "skip_to":
            matcher.skip_to(op[1])
            if matcher.is_active():
                assert matcher.id() >= op[1] or matcher.id() == last
        elif op[0] == "skip_to_quality":
            first = block_of(starts, ends, matcher.id())
            matcher.skip_to_quality(op[1])
            after = block_of(starts, ends, matcher.id()) if matcher.is_active() else len(starts)
            # Only blocks (ranges) no better than the minimum are skipped, and it stops at a better one.
            assert all(scores[k] <= op[1] for k in range(first, after))
            assert after == first or after == len(starts) or scores[after] > op[1]
        elif op[0] == "block_quality":
            assert matcher.block_quality() == members[matcher.id()]
        if matcher.is_active():
            assert matcher.id() in members and matcher.id() >= last
            assert matcher.score() == members[matcher.id()]
            last = matcher.id()
    remaining = list(matcher.all_ids()) if matcher.is_active() else []
    assert remaining == sorted(remaining) and set(remaining) <= set(members)


def test_without_leaves_out_an_excluded_first_document():
    # Whoosh 2.7.5's AndNot keeps the first document of `a` when `b` starts before it.
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from briefreader.search.matchers import Without

    index = RamStorage().create_index(Schema(body=TEXT(stored=True)))
    with index.writer() as writer:
        for body in ["tweede", "verzoek tweede", "verzoek", "verzoek tweede", "verzoek"]:
            writer.add_document(body=body)
    with index.searcher() as searcher:
        a, b = wq.Term("body", "verzoek"), wq.Term("body", "tweede")
        assert list(searcher.docs_for_query(Without(a, b))) == [2, 4]
        assert [hit.docnum for hit in searcher.search(Without(a, b), limit=1)] in ([2], [4])
        matcher = Without(a, b).matcher(searcher)
        assert list(Without(a, b).matcher(searcher).all_ids()) == [2, 4]
        matcher.next()
        assert matcher.id() == 4
        matcher.reset()
        assert matcher.id() == 2


def test_an_exhausted_ranges_matcher_inside_whooshs_union_still_answers_block_quality():
    # Whoosh's union asks a child for its block quality right after skip_to_quality may have
    # exhausted it (issue 8 item 0: an IndexError once the collector's heap was full).
    from whoosh.matching import UnionMatcher

    weak = RangesMatcher([0, 10], [3, 12], [1.0, 1.0], quality=True)
    strong = RangesMatcher([20], [25], [5.0], quality=True)
    union = UnionMatcher(weak, strong)
    union.skip_to_quality(7.0)
    assert not weak.is_active() and union.block_quality() == 5.0
