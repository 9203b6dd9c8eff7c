"""Queries: syntax, filters, error cases, ranking, footnotes, snippets and highlight spans."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import helpers
from search_fixtures.helpers import mini_index

import briefreader.search.engine as engine_module
from briefreader.search import Hit, highlight_spans, make_snippet, search, terms_for_highlight
from briefreader.search.syntax import TITLES_NOTICE

# Fixtures, by assignment (an imported fixture is "unused" to a linter).
built_index, isolated_dirs, mini_corpus = helpers.built_index, helpers.isolated_dirs, helpers.mini_corpus

AFG = "2021-08-26-jbz-afghanistan"
MOL = "2022-06-14-moldavie"
DIG = "2023-02-09-digitale-overheid"
VIS = "2020-11-30-visserijraad"
FRX = "2024-01-15-frontex-evaluatie"


def found(index, query: str, **kwargs) -> list[tuple[str, int | None, int | None]]:
    """(letter, paragraph, footnote) of every paragraph-level hit, letter by letter, best first."""
    result = search(index, query, limit=50, **kwargs)
    assert result.message is None, result.message
    return [(hit.letter, hit.paragraph, hit.footnote) for hit in result.hits]


def places(index, query: str, **kwargs) -> set[tuple[str, int | None, int | None]]:
    return set(found(index, query, **kwargs))


def letters(index, query: str, **kwargs) -> list[str]:
    """The matching letters, best first."""
    result = search(index, query, limit=50, **kwargs)
    assert result.message is None, result.message
    assert result.total == len(result.letters)
    return [letter.letter for letter in result.letters]


def marked(hit: Hit) -> list[str]:
    """The highlighted words of a hit, cut out of its snippet by its spans."""
    return [hit.snippet[start:end] for start, end in hit.highlights]


# --- words and analysis ---------------------------------------------------------------------


def test_words_are_anded_and_matched_the_dutch_way(built_index):
    assert found(built_index, "frontex litouwen")[0] == (AFG, 5, None)
    assert letters(built_index, "frontex litouwen") == [AFG]
    # Accent folding: `moldavie` finds Moldavië; stemming: singular finds plural and back.
    assert (MOL, 1, None) in places(built_index, "moldavie")
    assert places(built_index, "migratiestroom") == {(AFG, 2, None), (MOL, 0, None)}
    assert places(built_index, "asielzoeker") == {(AFG, 1, None)}
    # Stop words don't have to be in the letter.
    assert places(built_index, "de agentschappen") == places(built_index, "agentschappen")


def test_the_words_of_an_and_may_stand_anywhere_in_the_letter(built_index):
    # `easo` and `polen` stand in different paragraphs of one letter: the letter is found, with
    # both paragraphs as its snippets.
    result = search(built_index, "easo polen")
    assert [letter.letter for letter in result.letters] == [AFG]
    assert {(hit.paragraph, hit.footnote) for hit in result.letters[0].paragraphs} == {(4, None), (6, None)}
    # A word in a footnote and one in the title count too; the signatories as well.
    assert letters(built_index, "asielzaken afghanistan") == [AFG]
    assert letters(built_index, "grapperhaus litouwen") == [AFG]
    assert letters(built_index, "minister buitenlandse moldavie") == [MOL]


def test_each_letter_is_shown_once_with_its_best_paragraphs(built_index):
    result = search(built_index, "frontex")
    assert [letter.letter for letter in result.letters] == [FRX, MOL, AFG]
    assert result.total == 3
    afghanistan = result.letters[2]
    # Paragraph 4 names Frontex twice, item 5 once, footnote 3 once: at most three, best first.
    assert [(hit.paragraph, hit.footnote) for hit in afghanistan.paragraphs] == [(4, None), (5, None), (None, 3)]
    assert result.hits == [hit for letter in result.letters for hit in letter.paragraphs]


def test_the_paragraph_holding_most_words_comes_first(built_index):
    # Item 5 holds both words; paragraphs 3 and 4 one each.
    paragraphs = search(built_index, "frontex litouwen").letters[0].paragraphs
    assert (paragraphs[0].paragraph, paragraphs[0].footnote) == (5, None)
    assert marked(paragraphs[0]) == ["Litouwen", "Frontex"]


def test_or_not_and_minus(built_index):
    assert places(built_index, "kabeljauw OR schol") == {(VIS, 1, None)}
    assert places(built_index, "easo OF algoritmeregister") == {(AFG, 4, None), (DIG, 2, None)}
    with_frontex = set(letters(built_index, "frontex"))
    # NOT leaves out the letter.
    for query in ("frontex NOT litouwen", "frontex -litouwen", "frontex NIET litouwen"):
        assert set(letters(built_index, query)) == with_frontex - {AFG}


def test_phrases(built_index):
    assert places(built_index, '"raad van justitie"') == {(AFG, 0, None)}
    # The same words, not in that order: no phrase match.
    assert places(built_index, '"justitie raad"') == set()
    # A hyphenated word is a phrase of its parts.
    assert places(built_index, "informatie-uitwisseling") == {(DIG, 5, None)}


def test_a_phrase_stays_within_one_paragraph(built_index):
    # "Brussel." ends paragraph 0 and "De verwachting" starts paragraph 1 of the same letter.
    assert letters(built_index, "brussel verwachting") == [AFG]
    assert letters(built_index, '"brussel verwachting"') == []


def test_prefixes(built_index):
    assert places(built_index, "migratie*") == {(AFG, 1, None), (AFG, 2, None), (MOL, 0, None)}
    # A prefix longer than the stem still finds the word (asielzoekers* -> stem asielzoeker).
    assert places(built_index, "asielzoekers*") == {(AFG, 1, None)}
    # Prefixes alone give every letter the same score: the newest letters come first.
    assert letters(built_index, "migratie*") == [MOL, AFG]
    # `algoritmes` also stands in footnote 1 (in a URL).
    assert places(built_index, "algoritm*") == {(DIG, 1, None), (DIG, 2, None), (DIG, None, 1)}


def test_search_as_you_type_completes_the_last_word(built_index):
    assert places(built_index, "grensbew") == set()
    typing = places(built_index, "grensbew", as_you_type=True)
    assert typing == {(AFG, 4, None), (AFG, 5, None)}
    # A finished word (followed by a space) is not a prefix any more.
    assert places(built_index, "grensbew ", as_you_type=True) == set()
    # The earlier words stay whole words.
    assert letters(built_index, "litouwen grensbew", as_you_type=True) == [AFG]


def test_as_you_type_a_word_of_one_or_two_letters_is_looked_up_in_the_titles(built_index):
    # `fr`: the letter whose title holds a word starting fr (Frontex), not the two that only mention
    # Frontex in the text; the status line says so.
    result = search(built_index, "fr", limit=50, as_you_type=True)
    assert [letter.letter for letter in result.letters] == [FRX]
    assert result.notice == TITLES_NOTICE
    assert letters(built_index, "mo", as_you_type=True) == [MOL]
    assert letters(built_index, "e", as_you_type=True) == []  # one letter: no title word `e`, no text search
    # No title holds it: the text after all, never "No hits" while a letter has the word.
    result = search(built_index, "ai", limit=50, as_you_type=True)
    assert [letter.letter for letter in result.letters] == [DIG] and result.notice is None
    # A third letter searches the text, as does a space after the word, or a second word.
    assert set(letters(built_index, "fro", as_you_type=True)) == {AFG, MOL, FRX}
    assert search(built_index, "fro", as_you_type=True).notice is None
    assert letters(built_index, "ai ", as_you_type=True) == [DIG]
    assert letters(built_index, "litouwen fr", as_you_type=True) == letters(built_index, "litouwen fr*") == [AFG]
    # Not while typing: `fr` is the word fr.
    assert letters(built_index, "fr") == []


# --- field filters --------------------------------------------------------------------------


def test_date_filters(built_index):
    assert letters(built_index, "frontex date:2021") == [AFG]
    assert letters(built_index, "frontex date:2022-06") == [MOL]
    assert set(letters(built_index, "frontex date:2021..2022")) == {AFG, MOL}
    assert set(letters(built_index, "frontex date:[2022 TO 2024]")) == {MOL, FRX}
    assert letters(built_index, "frontex datum:>2023") == [FRX]


def test_dossier_title_from_tag_and_number_filters(built_index):
    assert set(letters(built_index, "frontex dossier:32317")) == {AFG, FRX}
    assert letters(built_index, "frontex dossier:21501-20") == [MOL]
    # A sub-dossier also files under its base number, and spaces in quotes are normalised.
    assert set(letters(built_index, "dossier:21501")) == {MOL, VIS}
    assert letters(built_index, 'dossier:"21 501-20"') == [MOL]
    assert letters(built_index, "frontex title:litouwen") == [AFG]
    assert letters(built_index, "frontex from:grapperhaus") == [AFG]
    assert letters(built_index, "frontex van:broekers") == [AFG]
    assert letters(built_index, "frontex tag:afghanistan") == [AFG]
    assert letters(built_index, "frontex nr:850") == [FRX]
    assert letters(built_index, "frontex -dossier:32317") == [MOL]
    # A section filter shows the paragraphs (and footnotes) of that section.
    assert places(built_index, "section:grensbeheer") == {(MOL, 2, None), (MOL, None, 1)}
    assert places(built_index, "frontex section:grensbeheer") == {(MOL, 2, None), (MOL, None, 1)}


def test_filters_alone_list_letters_newest_first(built_index):
    result = search(built_index, "dossier:32317")
    assert [(hit.letter, hit.paragraph, hit.footnote, hit.kind) for hit in result.hits] == [(FRX, None, None, "letter"), (AFG, None, None, "letter")]
    assert result.hits[0].title == "Evaluatie van het mandaat van Frontex"
    assert result.hits[0].snippet.startswith("De Europese Commissie heeft")
    assert result.total == 2
    title = search(built_index, "title:frontex").hits
    assert [hit.letter for hit in title] == [FRX]


def test_search_within_one_letter_gives_every_hit_in_reading_order(built_index):
    result = search(built_index, "frontex", letter=AFG)
    assert [(hit.letter, hit.paragraph, hit.footnote) for hit in result.hits] == [(AFG, 4, None), (AFG, 5, None), (AFG, None, 3)]
    assert result.total == 1 and [letter.letter for letter in result.letters] == [AFG]
    assert search(built_index, "frontex", letter=VIS).hits == []
    assert search(built_index, "frontex", letter="no-such-letter").hits == []


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
    assert [hit for letter in result.letters for hit in letter.paragraphs] == result.hits
    assert len({letter.letter for letter in result.letters}) == len(result.letters)
    assert all(letter.paragraphs and all(hit.letter == letter.letter for hit in letter.paragraphs) for letter in result.letters)
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
    for name, body in [("alinea", "De zeehondencrèche in Pieterburen vangt jonge zeehonden op."), ("noot", "Zie de bijlage.[1]\n[^1] De zeehondencrèche in Pieterburen vangt jonge zeehonden op.")]:
        (mini_corpus / f"2019-01-01-{name}.txt").write_text(f"title: Gelijk\ndate: 2019-01-01\n\n{body}\n", encoding="utf-8")
    index = mini_index(mini_corpus)
    index.refresh()
    result = search(index, "zeehondencrèche pieterburen")
    assert [letter.letter for letter in result.letters] == ["2019-01-01-alinea", "2019-01-01-noot"]
    assert result.letters[0].score > result.letters[1].score
    assert [(hit.paragraph, hit.footnote) for hit in result.hits] == [(0, None), (None, 1)]


def test_a_word_in_the_title_ranks_its_letter_first(built_index):
    # `Frontex` stands in the title of the 2024 letter only; it comes first although other
    # letters mention Frontex more often.
    result = search(built_index, "frontex")
    assert result.letters[0].letter == FRX
    assert result.letters[0].score > result.letters[1].score


def test_words_in_one_paragraph_rank_above_words_apart(mini_corpus):
    apart = "title: Apart\ndate: 2019-01-01\n\nOekraïne vraagt steun.\nEen alinea over iets anders.\n## Elders\nMoldavië ook.\n"
    samen = "title: Samen\ndate: 2019-01-01\n\nOekraïne vraagt steun.\nEen alinea over iets anders.\n## Elders\nMoldavië en Oekraïne ook.\n"
    sectie = "title: Sectie\ndate: 2019-01-01\n\nOekraïne vraagt steun.\nEen alinea over iets anders.\nMoldavië ook.\n"
    for name, text in [("apart", apart), ("samen", samen), ("sectie", sectie)]:
        (mini_corpus / f"2019-01-01-{name}.txt").write_text(text, encoding="utf-8")
    index = mini_index(mini_corpus)
    index.refresh()
    result = search(index, "oekraine moldavie", limit=10)
    ranked = [letter.letter for letter in result.letters if letter.letter.startswith("2019")]
    # One paragraph with both, then one section with both, then both only in different sections.
    assert ranked == ["2019-01-01-samen", "2019-01-01-sectie", "2019-01-01-apart"]
    scores = {letter.letter: letter.score for letter in result.letters}
    assert scores["2019-01-01-sectie"] > scores["2019-01-01-apart"]


# --- hits: footnotes, sections, snippets, spans -------------------------------------------------


def test_footnote_hits_carry_their_number_and_the_section_of_their_marker(built_index):
    hits = search(built_index, "asielzaken").hits
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.letter, hit.paragraph, hit.footnote, hit.section, hit.kind) == (AFG, None, 2, "Verslag IPCR", "footnote")
    assert hit.snippet == "Het Europees Ondersteuningsbureau voor asielzaken."
    assert hit.title == "Ingelaste JBZ-Raad van 31 augustus 2021 en verslag IPCR over Litouwen"
    assert hit.date == "2021-08-26"


def test_highlight_spans_cover_the_matched_words_in_the_snippet(built_index):
    hit = search(built_index, "frontex litouwen").hits[0]
    assert hit.snippet == "Litouwen vraagt steun van Frontex bij de grensbewaking;"
    assert hit.highlights == ((0, 8), (26, 33))
    assert marked(hit) == ["Litouwen", "Frontex"]
    # Stemmed and folded matches are highlighted as they are written.
    assert marked(search(built_index, "migratiestroom").hits[0]) == ["migratiestroom"]
    assert marked(search(built_index, "moldavie grenswachten").hits[0]) == ["Moldavië", "grenswachten"]
    # A phrase is one span, its stop words included; prefixes mark every completion.
    assert marked(search(built_index, '"raad van justitie"').hits[0]) == ["Raad van Justitie"]
    assert marked(search(built_index, "algoritm*").hits[0]) in (["algoritmen"], ["algoritmeregister"])
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


_HIGHLIGHT_WORDS = ["Frontex", "frontex", "FRONTEX", "frontex_2", "Moldavië", "moldavie", "migratie", "migratiestromen",
                    "Migratiestroom", "raad", "Raad", "van", "justitie", "de", "het", "EU", "lidstaten", "2021", "ĳs", "straße",
                    "scenario", "s", "x", "naïef", "brieven", "brief", "huizen", "asielzoekers"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_HIGHLIGHT_WORDS), max_size=40),
    st.lists(st.sampled_from([" ", "  ", "-", ".", "'", "’", "\n", "/", "(", ")", ", ", "_", "é"]), min_size=40, max_size=40),
    st.sampled_from(["frontex", "migratie*", '"raad van justitie"', "moldavie brief", "migr?tie* huis", '"de raad" eu',
                     "lidstaat 2021", "ijs strasse", "naief", "frontex migra"]),
)
def test_highlight_spans_are_the_words_the_query_marks_token_by_token(words, separators, query):
    # Reference: every word (a run of word characters) judged on its own, then the phrases.
    from briefreader.analysis import tokens_with_offsets
    from briefreader.search.highlight import merge_spans, wildcard_regex

    text = "".join(word + separator for word, separator in zip(words, separators[: len(words)], strict=True))
    terms = terms_for_highlight(query, as_you_type=True)
    tokens = tokens_with_offsets(text)
    expected = [
        (start, end)
        for t, folded, start, end in tokens
        if t and (t in terms.terms or any(folded.startswith(p) or t.startswith(p) for p in terms.prefixes)
                  or any(wildcard_regex(w).fullmatch(folded) for w in terms.wildcards))
    ]
    indexed = [(t, start, end) for t, _, start, end in tokens if t]
    for phrase in terms.phrases:
        for i in range(len(indexed) - len(phrase) + 1):
            if all(indexed[i + k][0] == phrase[k] for k in range(len(phrase))):
                expected.append((indexed[i][1], indexed[i + len(phrase) - 1][2]))
    assert terms.spans(text) == merge_spans(expected)
    assert terms.spans(text) == merge_spans(expected)  # again, with the words judged before


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
    assert all([(h.letter, h.paragraph) for h in r.hits[:1]] == [(AFG, 5)] for r in results)


def test_plurals_find_their_singular_and_back(mini_corpus):
    (mini_corpus / "2019-01-01-woningen.txt").write_text(
        "title: Woningmarkt\ndate: 2019-01-01\n\nDe Kamer ontving twee brieven over de prijzen van huizen.\nEen motie over de grens.\n",
        encoding="utf-8",
    )
    index = mini_index(mini_corpus)
    index.refresh()
    assert letters(index, "brief prijs huis") == ["2019-01-01-woningen"]
    assert letters(index, "moties grenzen") == ["2019-01-01-woningen"]
    hit = search(index, "brief prijs huis").hits[0]
    assert marked(hit) == ["brieven", "prijzen", "huizen"]


# --- did you mean ------------------------------------------------------------------------------


def test_a_misspelt_word_gets_whole_corrected_queries_from_the_index(built_index):
    assert search(built_index, "asielzoekrs").suggestions == ("asielzoekers",)
    # The whole query comes back, operators and other words kept; words shown as written.
    assert search(built_index, "grenswahten litouwen").suggestions == ("grenswachten litouwen",)
    assert search(built_index, "grensbewakng OR moldavei").suggestions == ("grensbewaking OR moldavië",)
    # Two edits away.
    assert search(built_index, "algoritmregiser").suggestions == ("algoritmeregister",)


def test_no_suggestion_for_known_words_excluded_words_or_the_word_being_typed(built_index):
    assert search(built_index, "frontex litouwen").suggestions == ()
    assert search(built_index, "frontex -litouwn").suggestions == ()
    assert search(built_index, "frontex grensbewakn", as_you_type=True).suggestions == ()
    assert search(built_index, "frontex grensbewakn ", as_you_type=True).suggestions == ("frontex grensbewaking ",)


@pytest.mark.parametrize("query, suggested", [("brif", ("brief",)), ("brf", ())])
def test_the_shortest_corrected_word(built_index, query, suggested):
    # `brif` (4 letters) is corrected; `brf` (3) is not: too many words are an edit or two away.
    assert search(built_index, query).suggestions == suggested


def test_a_search_told_to_stop_ends_early_and_one_never_told_gives_the_same_result(built_index):
    asked: list[int] = []

    def stop_at_second_stage() -> bool:
        asked.append(1)
        return len(asked) >= 2

    stopped = search(built_index, "frontex litouwen", stop=stop_at_second_stage)
    assert stopped.stopped and stopped.letters == [] and stopped.message is None and len(asked) == 2
    assert search(built_index, "frontex", stop=lambda: True).stopped
    kept = search(built_index, "frontex litouwen", stop=lambda: False)
    plain = search(built_index, "frontex litouwen")
    assert not kept.stopped and kept.letters and kept == plain
