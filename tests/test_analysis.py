"""Dutch analysis: what a word becomes in the index, and where it stands in the text."""

from __future__ import annotations

from briefreader.analysis import STOP_WORDS, analyze, fold, stem, tokens_with_offsets


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
