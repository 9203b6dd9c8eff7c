"""The evaluator against Whoosh's own matchers, on an index with several segments, deleted
documents and posting lists of several blocks, on hundreds of queries: the same letters, the same
scores. Also through the public fallback of `briefreader.index.whoosh_private` (another Whoosh
version), which must give the same again.
"""

from __future__ import annotations

import random

import pytest
from search_fixtures.big import build_big_index, real_words
from whoosh import query as wq
from whoosh.fields import NUMERIC

import briefreader.index.whoosh_private as whoosh_private
from briefreader.search import compile_query, make_plan, search
from briefreader.search.evaluate import evaluate
from briefreader.search.plan import All, Dates, Either, Everything, Keyword, Node, Nothing, Phrase, Terms, Without


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
        lambda: f"{word()} date:>{rng.randint(2015, 2023)}",
        lambda: f"{word()} dossier:{rng.choice(['32317', '21501-20', '26643'])}",
        lambda: f"{word()} title:{word()}",
        lambda: f"{word()} from:grapperhaus",
        lambda: f"{word()} section:{word()}",
        lambda: f"({word()} OR {word()}) {word()}",
        lambda: f"{word()} {word()} -dossier:32317",
        lambda: f"{word()} OR NOT {word()}",
        lambda: f"title:{word()}",
        lambda: f"dossier:{rng.choice(['32317', '26643'])} date:{rng.randint(2015, 2023)}",
    ]
    result = [(rng.choice(shapes)(), False) for _ in range(count)]
    result += [(f"{word()} {word()[: rng.randint(2, 5)]}", True) for _ in range(count // 10)]
    return result


QUERIES = queries()


#: What a filter scores in the reference: Whoosh's ConstantScoreQuery turns a score of 0.0 into
#: 1.0 (it tests the score for truth), so "nothing" is a score too small to matter.
ZERO = 1e-12


def to_whoosh(node: Node) -> wq.Query:
    """The Whoosh query that means what a plan node means, scored the same way.

    A NOT is an intersection with an inverted query scoring 0: Whoosh's own AndNot (and its And
    with a Not inside) keeps an excluded first document (whoosh-reloaded 2.7.5).
    """
    if isinstance(node, Terms):
        if node.constant is not None:
            return wq.ConstantScoreQuery(wq.Or([wq.Term(f, t) for t in node.terms for f, _ in node.fields]), node.constant)
        return wq.Or([wq.Term(f, node.terms[0], boost=b) for f, b in node.fields])
    if isinstance(node, Phrase):
        return wq.Or([wq.Phrase(f, list(node.words), boost=b) for f, b in node.fields])
    if isinstance(node, Keyword):
        return wq.ConstantScoreQuery(wq.Or([wq.Term(node.field, v) for v in node.values]), ZERO)
    if isinstance(node, Dates):
        return wq.ConstantScoreQuery(wq.NumericRange("date", node.low, node.high), ZERO)
    if isinstance(node, All):
        return wq.And([to_whoosh(child) for child in node.children])
    if isinstance(node, Either):
        return wq.Or([to_whoosh(child) for child in node.children])
    if isinstance(node, Without):
        return wq.And([to_whoosh(node.keep), wq.ConstantScoreQuery(wq.Not(to_whoosh(node.drop)), ZERO)])
    if isinstance(node, Everything):
        return wq.ConstantScoreQuery(wq.Every(), ZERO)
    assert isinstance(node, Nothing)
    return wq.NullQuery


def whoosh_scores(searcher, node: Node) -> dict[int, float]:
    return {hit.docnum: float(hit.score or 0.0) for hit in searcher.search(to_whoosh(node), limit=None)}


def test_the_index_has_segments_deletions_and_long_posting_lists(big_index):
    with big_index.searcher() as searcher:
        leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        assert len(leaves) >= 3
        assert any(reader.has_deletions() for reader in leaves)
        # Whoosh writes postings in blocks of 128: the reader must walk several.
        assert max(reader.doc_frequency("text", t) for reader in leaves for t in reader.lexicon("text")) > 128


def test_the_evaluator_gives_whooshs_letters_and_scores(big_index):
    compared = matched = 0
    with big_index.searcher() as searcher:
        for query, typing in QUERIES:
            plan = make_plan(compile_query(query, as_you_type=typing), searcher)
            ours = evaluate(searcher, plan.root)
            reference = whoosh_scores(searcher, plan.root)
            assert set(ours) == set(reference), query
            for docnum, score in reference.items():
                assert ours[docnum] == pytest.approx(score, rel=1e-6, abs=1e-9), (query, docnum)
            compared += 1
            matched += bool(ours)
    assert compared == len(QUERIES) and matched > len(QUERIES) // 2


def test_the_public_fallback_gives_the_same(big_index, monkeypatch):
    with big_index.searcher() as searcher:
        plans = [make_plan(compile_query(query, as_you_type=typing), searcher) for query, typing in QUERIES[:60]]
        fast = [evaluate(searcher, plan.root) for plan in plans]
    monkeypatch.setattr(whoosh_private, "AVAILABLE", False)
    with big_index.searcher() as searcher:
        slow = [evaluate(searcher, plan.root) for plan in plans]
    for a, b in zip(fast, slow, strict=True):
        assert a.keys() == b.keys() and all(a[d] == pytest.approx(b[d]) for d in a)


def test_every_search_on_the_big_index_is_sound(big_index):
    for query, typing in QUERIES[:80]:
        result = search(big_index, query, limit=5, as_you_type=typing)
        assert result.message is None, (query, result.message)
        assert len(result.letters) <= 5 and result.total >= len(result.letters)
        assert [hit for letter in result.letters for hit in letter.paragraphs] == result.hits
        scores = [letter.score for letter in result.letters]
        assert scores == sorted(scores, reverse=True) or all(score == 0.0 for score in scores), query


def test_search_results_are_the_same_through_the_public_fallback(big_index, monkeypatch):
    def shown(result):
        return [(letter.letter, round(letter.score, 6), [(h.paragraph, h.footnote, h.snippet, h.highlights) for h in letter.paragraphs]) for letter in result.letters]

    fast = [shown(search(big_index, query, limit=5, as_you_type=typing)) for query, typing in QUERIES[:40]]
    monkeypatch.setattr(whoosh_private, "AVAILABLE", False)
    big_index._pool.close()  # searchers carry caches of what the private way read
    slow = [shown(search(big_index, query, limit=5, as_you_type=typing)) for query, typing in QUERIES[:40]]
    assert fast == slow


def test_a_short_prefix_stands_for_its_few_most_frequent_completions(big_index):
    from briefreader.search.plan import SHORT_PREFIX, SHORT_PREFIX_TERMS, Terms

    def completions(query: str) -> tuple[str, ...]:
        with big_index.searcher() as searcher:
            root = make_plan(compile_query(query), searcher).root
        nodes = root.children if isinstance(root, Either) else (root,)
        return tuple(t for node in nodes if isinstance(node, Terms) for t in node.terms)

    short, longer = "migr"[:SHORT_PREFIX], "migr"
    assert len(completions(short + "*")) == SHORT_PREFIX_TERMS
    assert len(completions(longer + "*")) > SHORT_PREFIX_TERMS
    with big_index.searcher() as searcher:
        reader = searcher.reader()
        frequencies = sorted((info.doc_frequency(), t.decode()) for t, info in reader.iter_prefix("text", short))
    assert set(completions(short + "*")) == {t for _, t in frequencies[-SHORT_PREFIX_TERMS:]}


def test_the_postings_cache_keeps_to_its_budget_dropping_the_least_recently_used():
    from briefreader.search.evaluate import PostingsCache

    cache = PostingsCache(budget=10)
    cache.put(("text", "a"), ([1, 2, 3, 4], [1.0] * 4), 4)
    cache.put(("text", "b"), ([1, 2, 3, 4], [1.0] * 4), 4)
    assert cache.get(("text", "a")) is not None  # a is now the most recently used
    cache.put(("text", "c"), ([1, 2, 3, 4], [1.0] * 4), 4)
    assert cache.size == 8 and cache.get(("text", "b")) is None and cache.get(("text", "a")) is not None
    cache.put(("text", "huge"), (list(range(11)), [1.0] * 11), 11)  # bigger than the budget: not kept
    assert cache.get(("text", "huge")) is None and cache.size == 8


def test_phrases_kept_between_searches_give_the_same_letters(big_index):
    # The letters holding a phrase are kept with the searcher's posting lists: asked again, alone
    # or under a filter, the answer must still be Whoosh's own.
    phrases = [query for query, _ in QUERIES if query.startswith('"')]
    queries = phrases + [f"{phrase} date:2016..2021" for phrase in phrases] + [f"{phrase} NOT date:2019" for phrase in phrases]
    with big_index.searcher() as searcher:
        plans = [make_plan(compile_query(query), searcher) for query in queries]
        first = [evaluate(searcher, plan.root) for plan in plans]
        assert _caches_of(searcher)
        again = [evaluate(searcher, plan.root) for plan in plans]
        for query, plan, scores in zip(queries, plans, again, strict=True):
            assert set(scores) == set(whoosh_scores(searcher, plan.root)), query
    assert again == first
    assert sum(bool(scores) for scores in first[: len(phrases)]) >= 5


def _caches_of(searcher) -> bool:
    cache = getattr(searcher, "briefreader_cache", None) or {}
    return any(any(key[0].startswith("\0phrase") for key in shared._lists) for shared in cache.get("postings", {}).values())


def test_prefix_terms_are_whooshs_own_terms_and_frequencies(big_index):
    # The terms file read in one piece must give what Whoosh's iter_prefix gives, segment by segment.
    from briefreader.index.whoosh_private import prefix_terms

    prefixes = ["", "a", "m", "mi", "mig", "grens", "z", "zzz", "é", "3", "nr", "2"]
    prefixes += sorted({word[:n] for word in real_words()[:60] for n in (1, 2, 4)})
    compared = 0
    with big_index.searcher() as searcher:
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            for field in reader.schema.names():
                if not reader.schema[field].indexed or isinstance(reader.schema[field], NUMERIC):
                    continue  # numbers and dates have no words to complete
                for prefix in prefixes:
                    expected = [(text, info.doc_frequency()) for text, info in reader.iter_prefix(field, prefix)]
                    assert prefix_terms(reader, field, prefix) == expected, (field, prefix)
                    compared += bool(expected)
    assert compared > 100


def test_prefix_terms_fall_back_to_whoosh_on_another_version(big_index, monkeypatch):
    from briefreader.search.plan import completions
    from briefreader.search.spelling import _vocabulary

    def both(searcher):
        readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        return [completions(readers, "text", p, None, 50) for p in ("a", "mi", "grens")], [_vocabulary(searcher, p) for p in ("a", "mi")]

    with big_index.searcher() as searcher:
        searcher.briefreader_cache.clear()
        fast = both(searcher)
    monkeypatch.setattr(whoosh_private, "AVAILABLE", False)
    with big_index.searcher() as searcher:
        searcher.briefreader_cache.clear()
        slow = both(searcher)
    assert fast == slow and all(fast[0]) and all(fast[1])


def test_scores_kept_between_searches_give_whooshs_scores_again(big_index):
    # A term's scores are kept with its posting list: asked again, alone, in an AND, under a
    # filter or within one letter, they must still be Whoosh's, in the same order.
    words = [query for query, _ in QUERIES if " " not in query and query.isalpha()][:15]
    queries = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] + [f"{w} date:2016..2021" for w in words]
    with big_index.searcher() as searcher:
        plans = [make_plan(compile_query(query), searcher) for query in queries]
        first = [evaluate(searcher, plan.root) for plan in plans]
        again = [evaluate(searcher, plan.root) for plan in plans]
        for query, plan, scores in zip(queries, plans, again, strict=True):
            reference = whoosh_scores(searcher, plan.root)
            assert set(scores) == set(reference), query
            assert all(scores[d] == pytest.approx(reference[d], rel=1e-6, abs=1e-9) for d in reference), query
            if scores:
                one = next(iter(scores))
                assert evaluate(searcher, plan.root, within=[one]) == {one: scores[one]}, query
    assert [list(scores.items()) for scores in again] == [list(scores.items()) for scores in first]
    assert sum(bool(scores) for scores in first) > len(queries) // 2


@pytest.mark.parametrize("dense_share", [1, 10**9])
def test_filters_list_the_newest_letters_first_however_many_match(big_index, monkeypatch, dense_share):
    # Newest first, then in document order, undated last: walked through the index's letters by
    # date (many matches) or picked from the matches (few), the same letters in the same order.
    import briefreader.search.engine as engine

    monkeypatch.setattr(engine, "DENSE_SHARE", dense_share)
    monkeypatch.setattr(engine, "SORT_SHARE", dense_share)
    with big_index.searcher() as searcher:
        searcher.briefreader_cache.clear()
        dates = engine._dates(searcher)
        for query in ["dossier:32317", "dossier:26643 date:2016..2021", "date:>2019", "migr*", "date:2015", "dossier:99999"]:
            plan = make_plan(compile_query(query), searcher)
            scores = evaluate(searcher, plan.root)
            expected = sorted(scores, key=lambda d: (dates[d] == engine.NO_DATE, -dates[d], d))[:7]
            assert engine._newest_first(searcher, scores, 7) == expected, query


def test_undated_letters_come_last_among_the_newest_first(monkeypatch):
    import types

    import briefreader.search.engine as engine

    dates = [20210101, engine.NO_DATE, 20230505, 20210101, engine.NO_DATE, 20190303, 20230505, 20220202]
    monkeypatch.setattr(engine, "_dates", lambda searcher: dates)
    expected = sorted(range(len(dates)), key=lambda d: (dates[d] == engine.NO_DATE, -dates[d], d))
    assert expected == [2, 6, 7, 0, 3, 5, 1, 4]
    for share in (1, 10**9):
        monkeypatch.setattr(engine, "DENSE_SHARE", share)
        monkeypatch.setattr(engine, "SORT_SHARE", share)
        searcher = types.SimpleNamespace(briefreader_cache={})
        assert engine._newest_first(searcher, dict.fromkeys(range(len(dates)), 0.0), 8) == expected
        assert engine._newest_first(searcher, dict.fromkeys([4, 1, 5, 0], 0.0), 3) == [0, 5, 1]


def test_the_positions_cache_reads_only_what_it_lacks_and_keeps_to_its_budget():
    from briefreader.search.locate import PositionsCache

    asked: list[list[int]] = []

    def read(docnums):
        asked.append(list(docnums))
        return {d: [d, d + 10] for d in docnums if d % 2 == 0}  # odd letters don't hold the term

    cache = PositionsCache(budget=19)
    assert cache.read((0, "text", "a"), [1, 2, 4], read) == {2: [2, 12], 4: [4, 14]}
    assert cache.read((0, "text", "a"), [2, 3, 4], read) == {2: [2, 12], 4: [4, 14]}
    assert asked == [[1, 2, 4], [3]]  # 1 is known not to hold it; only 3 is new
    assert cache.size == 4 * 1 + 2 * 2
    cache.read((0, "text", "b"), [6, 8, 10, 12], read)  # 12 more: over budget, "a" goes
    assert cache.size == 12
    asked.clear()
    cache.read((0, "text", "a"), [2], read)
    assert asked == [[2]]


def test_the_best_scores_are_the_head_of_the_full_sort_ties_included():
    import briefreader.search.engine as engine

    rng = random.Random(5)
    for size in (0, 1, 5, 30, 31, 200, 3000):
        scores = {d: float(rng.randint(0, 12)) for d in rng.sample(range(10 * size + 1), size)}
        for count in (1, 10, 30, 100):
            assert engine._best(scores, count) == sorted(scores, key=scores.__getitem__, reverse=True)[:count]
