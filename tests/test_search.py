"""Queries: syntax, filters, error cases, ranking, footnotes, snippets and highlight spans."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import helpers
from search_fixtures.helpers import mini_index

import briefreader.search.engine as engine_module
import briefreader.search.fastpath as fastpath_module
from briefreader.search import Hit, highlight_spans, make_snippet, search, terms_for_highlight

# Fixtures, by assignment (an imported fixture is "unused" to a linter).
built_index, isolated_dirs, mini_corpus = helpers.built_index, helpers.isolated_dirs, helpers.mini_corpus

AFG = "2021-08-26-jbz-afghanistan"
MOL = "2022-06-14-moldavie"
DIG = "2023-02-09-digitale-overheid"
VIS = "2020-11-30-visserijraad"
FRX = "2024-01-15-frontex-evaluatie"


def found(index, query: str, **kwargs) -> list[tuple[str, int | None, int | None]]:
    """(letter, paragraph, footnote) of every hit, best first."""
    result = search(index, query, limit=50, **kwargs)
    assert result.message is None, result.message
    return [(hit.letter, hit.paragraph, hit.footnote) for hit in result.hits]


def places(index, query: str, **kwargs) -> set[tuple[str, int | None, int | None]]:
    return set(found(index, query, **kwargs))


def marked(hit: Hit) -> list[str]:
    """The highlighted words of a hit, cut out of its snippet by its spans."""
    return [hit.snippet[start:end] for start, end in hit.highlights]


# --- words and analysis ---------------------------------------------------------------------


def test_words_are_anded_and_matched_the_dutch_way(built_index):
    assert places(built_index, "frontex litouwen") == {(AFG, 5, None)}
    # Accent folding: `moldavie` finds Moldavië; stemming: singular finds plural and back.
    assert (MOL, 1, None) in places(built_index, "moldavie")
    assert places(built_index, "migratiestroom") == {(AFG, 2, None), (MOL, 0, None)}
    assert places(built_index, "asielzoeker") == {(AFG, 1, None)}
    # Stop words don't have to be in the paragraph.
    assert places(built_index, "de agentschappen") == places(built_index, "agentschappen")


def test_or_not_and_minus(built_index):
    assert places(built_index, "kabeljauw OR schol") == {(VIS, 1, None)}
    assert places(built_index, "easo OF algoritmeregister") == {(AFG, 4, None), (DIG, 2, None)}
    with_frontex = places(built_index, "frontex")
    assert (AFG, 5, None) in with_frontex
    assert places(built_index, "frontex NOT litouwen") == with_frontex - {(AFG, 5, None)}
    assert places(built_index, "frontex -litouwen") == with_frontex - {(AFG, 5, None)}
    assert places(built_index, "frontex NIET litouwen") == with_frontex - {(AFG, 5, None)}


def test_phrases(built_index):
    assert places(built_index, '"raad van justitie"') == {(AFG, 0, None)}
    # The same words, not in that order: no phrase match.
    assert places(built_index, '"justitie raad"') == set()
    # A hyphenated word is a phrase of its parts.
    assert places(built_index, "informatie-uitwisseling") == {(DIG, 5, None)}


def test_prefixes(built_index):
    assert places(built_index, "migratie*") == {(AFG, 1, None), (AFG, 2, None), (MOL, 0, None)}
    # A prefix longer than the stem still finds the word (asielzoekers* -> stem asielzoeker).
    assert places(built_index, "asielzoekers*") == {(AFG, 1, None)}
    # Prefixes alone give every hit the same score: the newest letters' hits come first.
    assert found(built_index, "migratie*") == [(MOL, 0, None), (AFG, 1, None), (AFG, 2, None)]
    # `algoritmes` also stands in footnote 1 (in a URL).
    assert places(built_index, "algoritm*") == {(DIG, 1, None), (DIG, 2, None), (DIG, None, 1)}


def test_search_as_you_type_completes_the_last_word(built_index):
    assert places(built_index, "grensbew") == set()
    typing = places(built_index, "grensbew", as_you_type=True)
    assert typing == {(AFG, 4, None), (AFG, 5, None)}
    # A finished word (followed by a space) is not a prefix any more.
    assert places(built_index, "grensbew ", as_you_type=True) == set()
    # The earlier words stay whole words.
    assert places(built_index, "litouwen grensbew", as_you_type=True) == {(AFG, 5, None)}


# --- field filters --------------------------------------------------------------------------


def test_date_filters(built_index):
    assert {hit[0] for hit in found(built_index, "frontex date:2021")} == {AFG}
    assert {hit[0] for hit in found(built_index, "frontex date:2022-06")} == {MOL}
    assert {hit[0] for hit in found(built_index, "frontex date:2021..2022")} == {AFG, MOL}
    assert {hit[0] for hit in found(built_index, "frontex date:[2022 TO 2024]")} == {MOL, FRX}
    assert {hit[0] for hit in found(built_index, "frontex datum:>2023")} == {FRX}


def test_dossier_title_from_tag_and_number_filters(built_index):
    assert {hit[0] for hit in found(built_index, "frontex dossier:32317")} == {AFG, FRX}
    assert {hit[0] for hit in found(built_index, "frontex dossier:21501-20")} == {MOL}
    # A sub-dossier also files under its base number, and spaces in quotes are normalised.
    assert {hit[0] for hit in found(built_index, "dossier:21501")} == {MOL, VIS}
    assert {hit[0] for hit in found(built_index, 'dossier:"21 501-20"')} == {MOL}
    assert {hit[0] for hit in found(built_index, "frontex title:litouwen")} == {AFG}
    assert {hit[0] for hit in found(built_index, "frontex from:grapperhaus")} == {AFG}
    assert {hit[0] for hit in found(built_index, "frontex van:broekers")} == {AFG}
    assert {hit[0] for hit in found(built_index, "frontex tag:afghanistan")} == {AFG}
    assert {hit[0] for hit in found(built_index, "frontex nr:850")} == {FRX}
    assert {hit[0] for hit in found(built_index, "frontex -dossier:32317")} == {MOL}
    assert places(built_index, "section:grensbeheer") == {(MOL, 2, None), (MOL, None, 1)}


def test_filters_alone_list_letters_newest_first(built_index):
    result = search(built_index, "dossier:32317")
    assert [(hit.letter, hit.paragraph, hit.footnote) for hit in result.hits] == [(FRX, None, None), (AFG, None, None)]
    assert result.hits[0].title == "Evaluatie van het mandaat van Frontex"
    assert result.hits[0].snippet.startswith("De Europese Commissie heeft")
    assert result.total == 2
    title = search(built_index, "title:frontex").hits
    assert [hit.letter for hit in title] == [FRX]


def test_search_within_one_letter(built_index):
    assert {hit[0] for hit in found(built_index, "frontex", letter=MOL)} == {MOL}


# --- queries that can't run, or run leniently ------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type one or more words"),
        ("   ", "Type one or more words"),
        ("AND", "Type one or more words"),
        ("OR OR", "Type one or more words"),
        ("*", "`*` alone matches everything"),
        ("a*", "at least 2 letters"),
        ("*tex", "can't start with *"),
        ("de het", "Only very common words (de, het)"),
        ("NOT frontex", "NOT and -word only leave words out"),
        ("-frontex", "NOT and -word only leave words out"),
        ("date:gisteren", "“gisteren” is not a date"),
        ("frontex date:[morgen TO overmorgen]", "“morgen” is not a date"),
        ("frontex date:2021-13", "“2021-13” is not a date"),
        ("frontex date:", "“” is not a date"),
    ],
)
def test_bad_queries_give_a_clear_message(built_index, query, message):
    result = search(built_index, query)
    assert result.hits == [] and result.total == 0
    assert result.message is not None and message in result.message
    assert "\n" not in result.message


@pytest.mark.parametrize(
    "query",
    ['"raad van', 'frontex "', "frontex)", "(frontex", "frontex OR", "AND frontex", "frontex^2", "frontex~"],
)
def test_sloppy_syntax_still_searches(built_index, query):
    result = search(built_index, query)
    assert result.message is None
    assert result.hits, query


def test_an_unclosed_quote_is_read_as_words_with_a_notice(built_index):
    result = search(built_index, '"raad van justitie')
    assert result.notice is not None and "quote" in result.notice
    assert (AFG, 0, None) in {(hit.letter, hit.paragraph, hit.footnote) for hit in result.hits}


@pytest.mark.parametrize("query", ["[bold]x[/]", "[@click=app.quit]x[/]", "[@click=app.bell('[')]x[/]", "[/]", "<b>frontex</b>"])
def test_markup_like_queries_are_just_words(built_index, query):
    result = search(built_index, query)
    assert result.message is None or "\n" not in result.message


def assert_sound(result, query: str) -> None:
    """What every search must give, whatever the query: no bug, no damage, a one-line message or
    hits that hang together (spans inside snippets, letters made of the hits, a total)."""
    assert not result.internal_error, result.message
    assert not result.index_error, result.message
    if result.message is not None:
        assert result.hits == [] and result.letters == [] and "\n" not in result.message
        return
    assert result.total >= len(result.letters)
    assert sorted(id(hit) for letter in result.letters for hit in letter.paragraphs) == sorted(id(hit) for hit in result.hits)
    for hit in result.hits:
        assert all(0 <= start < end <= len(hit.snippet) for start, end in hit.highlights), query


QUERY_PARTS = ['"', "(", ")", "*", "-", "OR", "AND", "NOT", "NIET", "OF", "ANDNOT", "date:", "dossier:", "title:", "frontex",
               "litouwen", "21501-20", "a", "[", "]", "..", ":", "^", "~", " ", "2021", "TO", "{", "}", ">", "migr*"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_query_string_gives_a_sound_result(built_index, text):
    for typing in (False, True):
        assert_sound(search(built_index, text, as_you_type=typing), text)
        spans = highlight_spans(None, text, "Frontex en Litouwen over migratie in 2021.", as_you_type=typing)
        assert all(isinstance(span, tuple) for span in spans)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(QUERY_PARTS), max_size=8))
def test_any_mix_of_operators_gives_a_sound_result(built_index, parts):
    query = " ".join(parts)
    for typing in (False, True):
        assert_sound(search(built_index, query, as_you_type=typing), query)


def test_the_soundness_check_catches_a_bug(built_index, monkeypatch):
    # The properties above must be able to fail: a bug in the engine makes them fail.
    def broken(*args, **kwargs):
        return [][0]

    monkeypatch.setattr(engine_module, "_collect", broken)
    result = search(built_index, "frontex")
    with pytest.raises(AssertionError):
        assert_sound(result, "frontex")


def test_a_bug_is_an_internal_error_naming_the_query_not_damage(built_index, monkeypatch):
    def broken(*args, **kwargs):
        return {}["missing"]

    monkeypatch.setattr(engine_module, "_collect", broken)
    result = search(built_index, "frontex\x1b[2J litouwen")
    assert result.internal_error and not result.index_error
    assert result.message.startswith("internal error while searching for “frontex␛[2J litouwen” (KeyError: 'missing')")
    assert "\n" not in result.message and "\x1b" not in result.message


def test_garbage_in_the_postings_is_damage(built_index):
    # Same size, zeros where the posting lists were: the index opens, reading a word fails
    # inside Whoosh's codec (not in briefreader's code), so it is damage, not a bug.
    generation = built_index._current_generation()
    postings = next(generation.glob("*.pst"))
    postings.write_bytes(b"\0" * postings.stat().st_size)
    assert built_index.is_fresh()  # the cheap checks can't see it
    result = search(built_index, "frontex")
    assert result.index_error and not result.internal_error
    assert "\n" not in result.message


# --- ranking ----------------------------------------------------------------------------------


def test_a_footnote_ranks_below_an_equally_strong_paragraph(mini_corpus):
    (mini_corpus / "2019-01-01-gelijk.txt").write_text(
        "title: Gelijk\ndate: 2019-01-01\n\n"
        "De zeehondencrèche in Pieterburen vangt jonge zeehonden op.[1]\n"
        "[^1] De zeehondencrèche in Pieterburen vangt jonge zeehonden op.\n",
        encoding="utf-8",
    )
    index = mini_index(mini_corpus)
    index.refresh()
    hits = search(index, "zeehondencrèche pieterburen").hits
    assert [(hit.paragraph, hit.footnote) for hit in hits] == [(0, None), (None, 1)]
    assert hits[0].score > hits[1].score


def test_a_word_in_the_title_ranks_its_letter_first(built_index):
    # `Frontex` stands in the title of the 2024 letter only; its paragraph comes first although
    # other letters mention Frontex more often.
    hits = search(built_index, "frontex").hits
    assert hits[0].letter == FRX
    assert hits[0].score > hits[1].score


def test_more_occurrences_rank_higher(built_index):
    hits = search(built_index, "frontex").hits
    afghanistan = [hit for hit in hits if hit.letter == AFG and hit.footnote is None]
    # Paragraph 4 names Frontex twice, item 5 once.
    assert [hit.paragraph for hit in afghanistan] == [4, 5]


# --- hits: footnotes, sections, snippets, spans -------------------------------------------------


def test_footnote_hits_carry_their_number_and_the_section_of_their_marker(built_index):
    hits = search(built_index, "asielzaken").hits
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.letter, hit.paragraph, hit.footnote, hit.section) == (AFG, None, 2, "Verslag IPCR")
    assert hit.snippet == "Het Europees Ondersteuningsbureau voor asielzaken."
    assert hit.title == "Ingelaste JBZ-Raad van 31 augustus 2021 en verslag IPCR over Litouwen"
    assert hit.date == "2021-08-26"


def test_highlight_spans_cover_the_matched_words_in_the_snippet(built_index):
    hit = search(built_index, "frontex litouwen").hits[0]
    assert hit.snippet == "Litouwen vraagt steun van Frontex bij de grensbewaking;"
    assert hit.highlights == ((0, 8), (26, 33))
    assert marked(hit) == ["Litouwen", "Frontex"]
    # Stemmed and folded matches are highlighted as they are written.
    assert marked(search(built_index, "migratiestroom").hits[0]) == ["migratiestromen"]
    assert marked(search(built_index, "moldavie grenswachten").hits[0]) == ["Moldavië", "grenswachten"]
    # A phrase is one span, its stop words included; prefixes mark every completion.
    assert marked(search(built_index, '"raad van justitie"').hits[0]) == ["Raad van Justitie"]
    assert marked(search(built_index, "algoritm*").hits[0]) == ["algoritmen"] or marked(
        search(built_index, "algoritm*").hits[0]
    ) == ["algoritmeregister"]
    # An excluded word is not highlighted.
    assert marked(search(built_index, "frontex -litouwen").hits[0]) == ["Frontex"]


def test_json_shape_of_a_hit(built_index):
    hit = search(built_index, "asielzaken").hits[0]
    data = hit.to_dict()
    assert list(data) == ["letter", "title", "date", "section", "paragraph", "footnote", "snippet", "highlights", "score"]
    assert data["highlights"] == [[39, 49]] and data["paragraph"] is None and data["footnote"] == 2
    assert isinstance(data["score"], float)


def test_highlight_spans_for_a_full_paragraph():
    text = "De asielzoekers uit Moldavië: migratiestromen, EU-lidstaten en de Raad van Justitie."
    spans = highlight_spans(None, 'asielzoeker moldavie migratiestroom "raad van justitie" lidstaat', text)
    assert [text[s:e] for s, e in spans] == ["asielzoekers", "Moldavië", "migratiestromen", "lidstaten", "Raad van Justitie"]
    assert highlight_spans(None, "*", text) == []
    terms = terms_for_highlight("migra", as_you_type=True)
    assert [text[s:e] for s, e in terms.spans(text)] == ["migratiestromen"]


def test_a_long_paragraph_becomes_a_window_around_the_match():
    text = ("Lorem ipsum dolor sit amet. " * 20) + "Hier staat Frontex in de tekst. " + ("Nog meer woorden hier. " * 20)
    spans = terms_for_highlight("frontex").spans(text)
    snippet, moved = make_snippet(text, spans)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 245
    assert [snippet[s:e] for s, e in moved] == ["Frontex"]


def test_many_threads_search_at_once(built_index):
    results: list = []

    def work():
        for _ in range(5):
            results.append(search(built_index, "frontex litouwen"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20
    assert all([(h.letter, h.paragraph) for h in r.hits] == [(AFG, 5)] for r in results)


@pytest.mark.parametrize(
    "query",
    [
        "frontex litouwen",
        "frontex OR moldavie",
        "frontex -litouwen",
        "frontex NOT dossier:32317",
        "frontex date:2021..2022",
        "frontex from:grapperhaus",
        "frontex section:grensbeheer",
        '"raad van justitie"',
        '"europese unie" frontex',
        '"grens van litouwen" OR moldavie',
        "(frontex OR easo) agentschappen",
        "frontex title:litouwen",
    ],
)
def test_whole_postings_path_gives_what_whoosh_gives(built_index, monkeypatch, query):
    # Most multi-word queries run on whole posting lists (fast); Whoosh's own matchers are the
    # reference: same hits, same order, same scores.
    used = []
    original = fastpath_module.whole_postings_picks

    def spy(*args):
        result = original(*args)
        used.append(result is not None)
        return result

    monkeypatch.setattr(engine_module, "whole_postings_picks", spy)
    fast = search(built_index, query, limit=50)
    assert used == [True]
    monkeypatch.setattr(fastpath_module, "ENABLED", False)
    slow = search(built_index, query, limit=50)
    assert fast.message is None and slow.message is None
    assert [(h.letter, h.paragraph, h.footnote) for h in fast.hits] == [(h.letter, h.paragraph, h.footnote) for h in slow.hits]
    assert [h.score for h in fast.hits] == pytest.approx([h.score for h in slow.hits])
    assert fast.total == slow.total
