"""Dutch analysis: what a word becomes in the index, and where it stands in the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.lang.snowball.dutch import DutchStemmer

from briefreader.analysis import STOP_WORDS, analyze, fold, stem, term, tokens_with_offsets, words


def test_plural_and_singular_share_a_stem():
    assert stem("migratiestroom") == stem("migratiestromen")
    assert stem("asielzoeker") == stem("asielzoekers")
    assert stem("lidstaat") == stem("lidstaten")
    assert stem("vluchteling") == stem("vluchtelingen")


def test_different_words_keep_different_stems():
    assert stem("migratie") != stem("asiel")
    assert stem("migratie") != stem("migranten")
    assert stem("Frontex") == "frontex"


def test_case_and_accents_are_folded():
    assert fold("Moldavië") == "moldavie"
    assert fold("Coördinator") == "coordinator"
    assert fold("geïnformeerd") == "geinformeerd"
    assert analyze("Moldavië") == analyze("moldavie") == analyze("MOLDAVIE")


def test_stop_words_are_left_out():
    assert {"de", "het", "van", "een", "en"} <= STOP_WORDS
    assert analyze("de raad van het land") == [stem("raad"), stem("land")]


def test_hyphenated_compounds_index_both_parts():
    assert analyze("EU-lidstaten") == ["eu", stem("lidstaten")]
    assert analyze("informatie-uitwisseling") == [stem("informatie"), stem("uitwisseling")]


def test_single_digits_are_kept():
    # `nr 7`, `artikel 2`: Whoosh drops one-character words by default; a number matters here.
    assert analyze("artikel 2") == [stem("artikel"), "2"]


def test_tokens_carry_their_offsets_and_stop_words_stay_in_place():
    text = "De Raad van Justitie en Moldavië."
    tokens = tokens_with_offsets(text)
    assert [text[start:end] for _, _, start, end in tokens] == ["De", "Raad", "van", "Justitie", "en", "Moldavië"]
    assert [term for term, *_ in tokens] == ["", stem("raad"), "", stem("justitie"), "", "moldavie"]
    assert tokens[5][1] == "moldavie"


# --- plurals ----------------------------------------------------------------------------------

PLURALS = Path(__file__).parent / "search_fixtures" / "dutch_plurals.txt"


def word_pairs() -> list[tuple[str, str]]:
    lines = PLURALS.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split()) for line in lines if line.strip() and not line.startswith("#")]


def first_term(word: str) -> str:
    """The index term of a word as written (`agenda's` indexes `agenda` and `s`)."""
    return analyze(word)[0]


def test_the_pair_table_holds_at_least_300_pairs_from_real_letters():
    pairs = word_pairs()
    assert len(pairs) >= 300 and len(set(pairs)) == len(pairs)
    assert PLURALS.read_text(encoding="utf-8").count("# source: ") >= 20


def test_every_plural_meets_its_singular():
    apart = [(a, b, first_term(a), first_term(b)) for a, b in word_pairs() if first_term(a) != first_term(b)]
    assert apart == []


def test_the_issues_examples():
    for singular, plural in [("brief", "brieven"), ("kamerbrief", "kamerbrieven"), ("huis", "huizen"), ("prijs", "prijzen"),
                             ("grens", "grenzen"), ("reis", "reizen"), ("motie", "moties"), ("gemeente", "gemeentes"),
                             ("staatssecretaris", "staatssecretarissen")]:
        assert stem(singular) == stem(plural), singular


def test_no_pair_plain_snowball_conflates_stops_conflating():
    snowball = DutchStemmer()
    together = [(a, b) for a, b in word_pairs() if snowball.stem(fold(first(a))) == snowball.stem(fold(first(b)))]
    assert len(together) > 200  # the baseline the normalisation adds to
    assert [(a, b) for a, b in together if first_term(a) != first_term(b)] == []


def first(word: str) -> str:
    return re.findall(r"\w+", word)[0]


@pytest.mark.parametrize(
    "a, b",
    [
        # Different words stay apart (PyStemmer's newer `dutch` algorithm merges the first four).
        ("gevolg", "volgen"),
        ("gelijk", "lijken"),
        ("gesteld", "stelsel"),
        ("gewezen", "wees"),
        ("migratie", "migranten"),
        ("gemeente", "gemeenschap"),
        ("huis", "huisvesting"),
        ("motie", "motief"),
        ("brief", "briefing"),
        # The edges of the steps: a singular in -es is no plural; a short -es stem is left alone.
        ("proces", "procedure"),
        ("les", "lezing"),
        ("besteden", "steden"),
    ],
)
def test_different_words_stay_apart(a, b):
    assert stem(a) != stem(b)


@pytest.mark.parametrize("singular, plural", [("proces", "processen"), ("adres", "adressen"), ("congres", "congressen"), ("les", "lessen")])
def test_singulars_in_es_keep_their_ending(singular, plural):
    assert stem(singular) == stem(plural) and stem(singular).endswith("s")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzëéïöü ABZ-.'0123456789")), max_size=80))
def test_indexing_and_querying_analyse_alike(text):
    # Documents are analysed word by word (`term`); queries by Whoosh's analyzer chain.
    assert [t for t in map(term, words(text)) if t] == analyze(text)
