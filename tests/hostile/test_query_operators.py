"""Hostile queries: operators with nothing to work on, and highlighting any query (issue 9, item 9).

`a NOT OR b` and `NIET OR 21501-20` made Whoosh's query parser fail (IndexError) and the search
answered "could not be read"; `highlight_spans()` raised on the same queries.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_fixtures import helpers

from briefreader.search import highlight_spans, search

built_index, isolated_dirs, mini_corpus = helpers.built_index, helpers.isolated_dirs, helpers.mini_corpus

AFG = "2021-08-26-jbz-afghanistan"
MOL = "2022-06-14-moldavie"


@pytest.mark.parametrize(
    "query, letters",
    [
        ("frontex NOT OR litouwen", {AFG, MOL, "2024-01-15-frontex-evaluatie"}),
        ("NIET OR 21501-20", set()),
        ("moldavie NIET OR grenswachten", {MOL}),
        ("frontex AND NOT", {AFG, MOL, "2024-01-15-frontex-evaluatie"}),
        ("(NOT) moldavie", {MOL}),
        ("moldavie OR NOT", {MOL}),
    ],
)
def test_an_operator_with_nothing_to_work_on_is_left_out(built_index, query, letters):
    result = search(built_index, query, limit=50)
    assert not result.internal_error and not result.index_error
    assert result.message is None, result.message
    assert {hit.letter for hit in result.hits} >= letters


def test_leaving_an_operator_out_is_said(built_index):
    result = search(built_index, "frontex NOT OR litouwen")
    assert result.notice is not None and "left out" in result.notice


@pytest.mark.parametrize("query", ["a NOT OR b", "NIET OR 21501-20", "frontex NOT OR litouwen", "NOT OR", "dossier: ANDNOT dossier:"])
def test_highlight_spans_never_raises(query):
    text = "Frontex in Litouwen, dossier 21501-20: a en b."
    spans = highlight_spans(None, query, text)
    assert all(0 <= start < end <= len(text) for start, end in spans)


def test_highlighting_a_query_with_a_dangling_operator_marks_its_words():
    text = "Frontex steunt Litouwen."
    assert [text[s:e] for s, e in highlight_spans(None, "frontex NOT OR litouwen", text)] == ["Frontex", "Litouwen"]


OPERATORS = st.sampled_from(["NOT", "NIET", "OR", "OF", "AND", "EN", "ANDNOT", "ANDMAYBE", "(", ")", "-", "frontex", "21501-20", "dossier:", '"'])


@settings(max_examples=200, deadline=None)
@given(st.lists(OPERATORS, max_size=7), st.booleans())
def test_highlight_spans_of_any_operator_soup_never_raises(parts, typing):
    text = "Frontex en 21501-20 over dossier migratie."
    spans = highlight_spans(None, " ".join(parts), text, as_you_type=typing)
    assert all(0 <= start < end <= len(text) for start, end in spans)
