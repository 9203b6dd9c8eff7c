"""The corpus-level check of issue 11: every real letter in tests/fixtures/real, parsed and compared with
what a careful reader takes from it (tests/fixtures/real/expected.yaml).

Per letter: the head (title, date, place, addressee, chamber, session, dossiers, number), every signer,
each footnote once with its own text, no citation of the letter itself, and the body: at least
`MIN_BODY_KEPT` of the body's words in the paragraphs and at most `MAX_FOREIGN` words there that are not
the body's (head, signature, colophon, footer, footnotes). The shares of all letters are printed
(`pytest -s tests/test_parse_real_letters.py`) and summed up per source kind.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from briefreader.load import load_letter
from briefreader.model import Letter

REAL = Path(__file__).parent / "fixtures" / "real"
EXPECTED = yaml.safe_load((REAL / "expected.yaml").read_text(encoding="utf-8"))

#: The share of the body's words that must be found in the paragraphs (issue 11: 99%).
MIN_BODY_KEPT = 0.99
#: The share of the paragraphs' words that may come from elsewhere (head, signature, furniture).
MAX_FOREIGN = 0.01

_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> Counter[str]:
    """The words of a text, lower-cased, without numbers (footnote markers are digits)."""
    return Counter(word.lower() for word in _WORD.findall(text))


def body_truth(raw: str, first: str, last: str, exclude: list[str] = ()) -> Counter[str]:
    """The words of the letter's own text: from the first to the last words of the body in the file,
    without the lines inside that range that are not its own (`exclude`); of a page, its text."""
    if raw.lstrip().startswith("<!DOCTYPE html"):
        raw = page_text(raw)
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    flat = " ".join(line for line in lines if line and line not in exclude)
    start = flat.index(first)
    end = flat.rindex(last) + len(last)
    return words(flat[start:end])


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        self.parts.append("\n")


def page_text(page: str) -> str:
    """The test's own view of a saved page: its text, a line per element."""
    reader = _Text()
    reader.feed(page)
    return "".join(reader.parts)


def parsed_body(letter: Letter) -> Counter[str]:
    text = [section.title or "" for section in letter.sections] + [p.text for _i, _s, p in letter.paragraphs()]
    return words(" ".join(text))


def shares(letter: Letter, raw: str, expected: dict) -> tuple[float, float]:
    truth, got = body_truth(raw, *expected["body"], expected.get("exclude", [])), parsed_body(letter)
    kept = sum(min(n, got[w]) for w, n in truth.items()) / max(1, sum(truth.values()))
    foreign = sum(max(0, n - truth[w]) for w, n in got.items()) / max(1, sum(got.values()))
    return kept, foreign


@pytest.fixture(scope="module")
def parsed() -> dict[str, Letter]:
    return {name: load_letter(REAL / name) for name in EXPECTED}


def test_every_real_letter_has_its_expectations():
    assert sorted(EXPECTED) == sorted(p.name for p in REAL.iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_head_and_signers(parsed, name):
    letter, expected = parsed[name], EXPECTED[name]
    got = {
        "title": letter.title,
        "date": letter.date.isoformat() if letter.date else None,
        "place": letter.place,
        "addressee": letter.addressee,
        "chamber": letter.chamber,
        "session": letter.session,
        "number": letter.number,
        "dossiers": [[d.number, d.title] for d in letter.dossiers],
        "signers": [[s.function, s.name] for s in letter.signatories],
    }
    assert got == {key: expected[key] for key in got}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_footnotes_once_and_no_self_citation(parsed, name):
    letter, expected = parsed[name], EXPECTED[name]
    assert [[f.n, f.text] for f in letter.footnotes] == expected["footnotes"]
    assert letter.warnings == tuple(expected["warnings"])
    if letter.dossier and letter.number:
        own = {(d.number, letter.number) for d in letter.dossiers}
        assert not [r for r in letter.references if (r.dossier, r.number) in own]
    body = " ".join(p.text for _i, _s, p in letter.paragraphs())
    for footnote in letter.footnotes:
        assert footnote.text not in body


def test_body_shares_over_every_real_letter(parsed, capsys):
    """At least 99% of each body's words kept, at most 1% foreign words; the shares are reported."""
    rows = []
    for name in sorted(EXPECTED):
        raw = (REAL / name).read_text(encoding="utf-8")
        kept, foreign = shares(parsed[name], raw, EXPECTED[name])
        rows.append((name, kept, foreign))
    with capsys.disabled():
        print("\nbody words kept / foreign words per real letter:")
        for name, kept, foreign in rows:
            print(f"  {name:<45} {kept:7.1%} {foreign:7.1%}")
        for kind in ("ocr", "web", "html"):
            mine = [row for row in rows if row[0].startswith(kind)]
            if mine:
                print(f"  {kind:<45} {min(r[1] for r in mine):7.1%} {max(r[2] for r in mine):7.1%}  (worst)")
        signers = sum(bool(parsed[name].signatories) for name in EXPECTED)
        print(f"  letters with their signers found: {signers}/{len(EXPECTED)}")
    assert [row for row in rows if row[1] < MIN_BODY_KEPT or row[2] > MAX_FOREIGN] == []
