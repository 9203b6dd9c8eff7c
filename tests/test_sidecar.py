"""Metadata sidecars: NAME.yaml beside a letter overrides what the parser found."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from briefreader.load import load_letter
from briefreader.model import Dossier
from briefreader.sidecar import read_sidecar, write_sidecar

FIXTURES = Path(__file__).parent / "import_fixtures"
XML = FIXTURES / "kst-29362-412.xml"


@pytest.fixture
def letter_file(tmp_path) -> Path:
    path = tmp_path / "kst-29362-412.xml"
    shutil.copy(XML, path)
    return path


def test_round_trip_write_read_apply(letter_file):
    fields = {
        "title": "Voortgang Open Overheid: “jaarbrief” [2023]",
        "date": dt.date(2023, 3, 15),
        "dossiers": (Dossier("29362", "Modernisering van de overheid"), Dossier("32802")),
        "number": "412",
        "tags": ("openbaarheid", "woo", "informatie huishouding"),
        "notes": "Gelezen.\nTweede regel: met dubbele punt, # en 'quotes'.",
    }
    sidecar = letter_file.with_suffix(".yaml")
    write_sidecar(sidecar, fields)
    read, warnings = read_sidecar(sidecar)
    assert warnings == []
    assert read == fields

    letter = load_letter(letter_file)
    assert letter.title == fields["title"]
    assert letter.date == dt.date(2023, 3, 15)  # overrides the parsed 14 March
    assert letter.tags == fields["tags"] and letter.notes == fields["notes"]
    assert [d.number for d in letter.dossiers] == ["29362", "32802"]
    assert load_letter(letter_file, use_sidecar=False).date == dt.date(2023, 3, 14)


def test_a_dossier_number_alone_keeps_the_parsed_title(letter_file):
    letter_file.with_suffix(".yaml").write_text('dossier: "29 362"\n', encoding="utf-8")
    letter = load_letter(letter_file)
    assert letter.dossiers == (Dossier("29362", "Modernisering van de overheid"),)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('title: "Een titel"\ntags: [a, b\n', ":: line 2: sidecar ignored: not valid YAML ("),
        ("title: x\n  - broken: [\n", ":: line 2: sidecar ignored:"),
        ("title: Goed\ndate: 31-02-2023\n", ":: line 2: `date` ignored: not a date (write it as YYYY-MM-DD)"),
        ("titel: Fout gespeld\n", ":: line 1: `titel` ignored: unknown key"),
        ("- een\n- lijst\n", ":: line 1: sidecar ignored: expected `key: value` pairs"),
    ],
    ids=["unclosed-list", "bad-indent", "bad-date", "unknown-key", "not-a-mapping"],
)
def test_malformed_sidecar_warns_with_file_and_line_and_the_letter_opens(letter_file, text, expected):
    sidecar = letter_file.with_suffix(".yaml")
    sidecar.write_text(text, encoding="utf-8")
    letter = load_letter(letter_file)
    assert letter.sections and letter.kst_id == "kst-29362-412"
    assert any(w.startswith(str(sidecar) + expected.replace("::", ":", 1)) for w in letter.warnings), letter.warnings


def test_python_tags_are_refused_and_never_run(letter_file, tmp_path):
    marker = tmp_path / "pwned"
    sidecar = letter_file.with_suffix(".yaml")
    sidecar.write_text(f'title: !!python/object/apply:os.system ["touch {marker}"]\ntags: [x]\n', encoding="utf-8")
    letter = load_letter(letter_file)
    assert not marker.exists()
    assert letter.title == "Brief van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert letter.tags == ()  # the whole sidecar is ignored, not half of it
    assert f"{sidecar}: line 1: sidecar ignored: refused the tag !!python/object/apply:os.system" in letter.warnings[0]


def test_a_sidecar_that_is_not_utf8_is_a_warning(letter_file):
    sidecar = letter_file.with_suffix(".yaml")
    sidecar.write_bytes(b"title: caf\xe9\n")
    letter = load_letter(letter_file)
    assert f"{sidecar}: sidecar ignored: not UTF-8 text" in letter.warnings


def test_sidecar_beside_a_pdf(tmp_path):
    pytest.importorskip("fpdf")
    from import_fixtures import kstpdf

    pdf = kstpdf.render_pdf(kstpdf.sample_spec(), tmp_path / "brief.pdf")
    (tmp_path / "brief.yaml").write_text("title: Mijn titel\ntags: woo, open\n", encoding="utf-8")
    letter = load_letter(pdf)
    assert (letter.title, letter.tags) == ("Mijn titel", ("woo", "open"))
