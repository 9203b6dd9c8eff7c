"""Properties of the parser on arbitrary text: it never raises, and no word of the body is lost."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefreader.parse import parse_bytes, parse_text

WORDS = [
    "de", "het", "een", "kabinet", "Raad", "migratie", "asielpact", "Frontex", "lidstaten", "opvang",
    "Commissie", "regio", "Nederland", "Europese", "steun", "overleg", "begroting", "EU", "JBZ", "IPCR",
    "informatie", "uitwisseling", "Belarus", "Litouwen", "zorg", "brief", "verslag", "Kamer", "Minister",
    "Staatssecretaris", "voorstel", "akkoord", "coördinatie", "ministeriële", "café’s", "Zuid", "Afrika",
]  # fmt: skip
PUNCT = ["", "", "", ".", ",", ";", ":", "?", "-", ")", "»"]

word = st.tuples(st.sampled_from(WORDS), st.sampled_from(["", "", "", "1", "2", "3", "12", "2020"]), st.sampled_from(PUNCT))
line = st.lists(word, min_size=0, max_size=12).map(lambda ws: " ".join(w + d + p for w, d, p in ws))
prefix = st.sampled_from(["", "", "", " ", "• ", "– ", "1. ", "2 ", "\f", "12 ", " Tabel 1 ", "Tabel 2 ", "Bron: ", "•"])
lines = st.lists(st.tuples(prefix, line), min_size=0, max_size=40).map(
    lambda ls: "\n".join(p + text for p, text in ls)
)


def _output_text(letter) -> str:
    parts = [letter.title or "", letter.addressee or "", letter.place or "", *letter.warnings]
    parts += [s.title or "" for s in letter.sections]
    parts += [p.text for s in letter.sections for p in s.paragraphs]
    parts += [f.text for f in letter.footnotes]
    parts += [f"{s.function} {s.name}" for s in letter.signatories]
    parts += [d.title or "" for d in letter.dossiers]
    return " ".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"[^\w’]", "", text.lower())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_every_word_of_the_input_survives(text):
    letter = parse_text(text)
    output = _squash(_output_text(letter))
    for token in re.findall(r"[^\W\d_][\w’]*", text):
        assert _squash(token) in output, token


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises_on_any_text(text):
    letter = parse_text(text)
    assert all(isinstance(w, str) for w in letter.warnings)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_bytes_either_parse_or_give_a_letter_error(data):
    from briefreader.model import LetterError

    try:
        parse_bytes(data, "x.txt")
    except LetterError as error:
        assert str(error).startswith("x.txt: ")
