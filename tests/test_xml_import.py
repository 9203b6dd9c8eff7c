"""Importing the official XML (kst-*.xml with its metadata.xml): read from the markup."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from import_fixtures import kstpdf

from briefreader.cli import main
from briefreader.load import load_letter, metadata_path
from briefreader.model import LetterError, Note
from briefreader.parse.xml import parse_xml, read_metadata

FIXTURES = Path(__file__).parent / "import_fixtures"
SAMPLE = FIXTURES / "kst-29362-412.xml"
EUROPE = FIXTURES / "kst-21501-20-1850.xml"


def shape(letter):
    """What must be equal between formats (pages are not: the XML has none, the PDF has them)."""
    return (
        [(s.title, [(p.text, p.kind, p.notes) for p in s.paragraphs]) for s in letter.sections],
        [(f.n, f.text) for f in letter.footnotes],
        [(r.kst_id, r.text, r.paragraph, r.footnote, r.start, r.end) for r in letter.references],
    )


def test_xml_reads_as_the_same_letter_as_the_pdf_and_the_text(tmp_path):
    """The same letter in three formats: one document."""
    pytest.importorskip("fpdf")
    spec = kstpdf.sample_spec()
    pdf = kstpdf.render_pdf(spec, tmp_path / "kst-29362-412.pdf")
    text = tmp_path / "kst-29362-412.txt"
    text.write_text(kstpdf.render_text(spec), encoding="utf-8")
    from_xml, from_pdf, from_text = load_letter(SAMPLE), load_letter(pdf), load_letter(text)
    assert shape(from_xml) == shape(from_pdf) == shape(from_text)
    for field in ("title", "date", "place", "addressee", "dossiers", "number", "session", "chamber", "signatories"):
        assert getattr(from_xml, field) == getattr(from_text, field), field
    assert from_xml.warnings == ()


def test_header_signature_and_footnotes_come_from_the_markup():
    letter = load_letter(SAMPLE)
    assert letter.title == "Brief van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert letter.date == dt.date(2023, 3, 14) and letter.place == "Den Haag"
    assert letter.kst_id == "kst-29362-412" and letter.session == "2022-2023" and letter.chamber == "Tweede Kamer"
    assert [(d.number, d.title) for d in letter.dossiers] == [("29362", "Modernisering van de overheid")]
    assert [(s.function, s.name) for s in letter.signatories] == [
        ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "H.G.J. Bruins Slot")
    ]
    first = letter.sections[0].paragraphs[0]
    # The note stood right after `Overheid`, before the full stop; whitespace of the file is gone.
    assert first.text.startswith("Met deze brief informeer ik uw Kamer over de voortgang van het programma Open Overheid. In mijn")
    assert first.notes == (Note(1, first.text.index(". In mijn")),)
    assert letter.footnote(3).text == "Zie https://www.open-overheid.nl/jaarrapportage."


def test_structure_lists_tables_and_repeated_notes():
    letter = load_letter(EUROPE)
    assert [s.title for s in letter.sections] == [None, "Oekraïne", "Energie", "Overige onderwerpen"]
    ukraine = letter.sections[1].paragraphs
    assert [(p.kind, p.text) for p in ukraine[1:]] == [
        ("item", "1. de levering van munitie wordt versneld;"),
        ("item", "2. de sancties worden uitgebreid, met:"),
        ("item", "a. een tiende sanctiepakket;"),
        ("item", "b. maatregelen tegen omzeiling;"),
        ("item", "3. de wederopbouw wordt voorbereid."),
    ]
    # `nootref` repeats note 1 at a second place.
    assert ukraine[0].notes == (Note(1, ukraine[0].text.index(". Daarbij")),)
    assert ukraine[-1].notes == (Note(2, len(ukraine[-1].text)),)
    assert [f.n for f in letter.footnotes] == [1, 2]
    assert letter.sections[2].paragraphs[0].text == "De opslag van gas (ruim 90 m3 per huishouden) is op peil."
    assert letter.sections[3].paragraphs[1].text == "Jaar  Bedrag\n2022  1,2 mld\n2023  2,5 mld"
    assert [(s.function, s.name) for s in letter.signatories] == [
        ("De Minister van Buitenlandse Zaken", "W.B. Hoekstra"),
        ("De Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking", "E.N.A.J. Schreinemacher"),
    ]
    assert [d.number for d in letter.dossiers] == ["21501-20", "36200-V"]


def test_references_come_from_citations_and_from_extref_links():
    letter = load_letter(EUROPE)
    found = [(r.kst_id, r.text, r.paragraph, r.footnote) for r in letter.references]
    assert found == [
        # `de vorige brief` cites nothing in words; the markup's link says which Kamerstuk it is.
        ("kst-21501-20-1800", "de vorige brief", 0, None),
        ("kst-21501-20-1840", "Kamerstuk 21 501-20, nr. 1840", None, 1),
        ("kst-36045-138", "Kamerstukken II 2022/23, 36 045, nr. 138", None, 2),
    ]
    link = letter.references[0]
    assert letter.sections[0].paragraphs[0].text[link.start : link.end] == "de vorige brief"


def test_metadata_xml_gives_title_and_date():
    assert metadata_path(EUROPE) == FIXTURES / "kst-21501-20-1850.metadata.xml"
    letter = load_letter(EUROPE)
    assert letter.title == "Verslag van de Europese Raad van 23 en 24 maart 2023"
    assert letter.date == dt.date(2023, 3, 28)  # not in the text: from OVERHEIDop.datumBrief
    assert letter.warnings == ()


def test_metadata_xml_in_the_repository_layout_and_plain_name(tmp_path):
    nested = tmp_path / "kst-21501-20-1850" / "1"
    (nested / "xml").mkdir(parents=True)
    (nested / "metadata").mkdir()
    shutil.copy(EUROPE, nested / "xml" / "kst-21501-20-1850.xml")
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", nested / "metadata" / "metadata.xml")
    assert load_letter(nested / "xml" / "kst-21501-20-1850.xml").date == dt.date(2023, 3, 28)

    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(EUROPE, flat / "brief.xml")
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", flat / "metadata.xml")
    assert load_letter(flat / "brief.xml").title.startswith("Verslag van de Europese Raad")


def test_without_metadata_the_letter_still_opens_with_a_warning(tmp_path):
    alone = tmp_path / "kst-21501-20-1850.xml"
    shutil.copy(EUROPE, alone)
    letter = load_letter(alone)
    assert letter.title == "Brief van de Minister van Buitenlandse Zaken"
    assert letter.date is None
    assert any("no date found" in w for w in letter.warnings)


def test_metadata_of_another_letter_is_ignored(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "kst-29362-412.xml")
    # A plain metadata.xml in a folder of several letters belongs to one of them: quietly not ours.
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", tmp_path / "metadata.xml")
    letter = load_letter(tmp_path / "kst-29362-412.xml")
    assert letter.title == "Brief van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert letter.warnings == ()
    # Metadata named after the letter but about another Kamerstuk is a mistake worth a warning.
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", tmp_path / "kst-29362-412.metadata.xml")
    letter = load_letter(tmp_path / "kst-29362-412.xml")
    assert letter.title == "Brief van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert any("metadata.xml is for kst-21501-20-1850" in w for w in letter.warnings)


def test_read_metadata_pairs():
    pairs = read_metadata((FIXTURES / "kst-21501-20-1850.metadata.xml").read_bytes())
    assert pairs["OVERHEIDop.dossiernummer"] == "21501-20;36200-V"
    assert pairs["DC.identifier"] == "kst-21501-20-1850"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<officiele-publicatie><kamerstuk><stuk><al>&lol3;</al></stuk></kamerstuk></officiele-publicatie>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<officiele-publicatie><kamerstuk><stuk><al>&secret;</al></stuk></kamerstuk></officiele-publicatie>"""


@pytest.mark.parametrize(
    "data, problem",
    [
        (BOMB, "declares the XML entity `lol`"),
        (EXTERNAL, "declares the XML entity `secret`"),
        (b"<officiele-publicatie><kamerstuk><al>open</kamerstuk>", "is not well-formed XML (line 1"),
        (b"<?xml version='1.0'?>\n<html><body>Een webpagina</body></html>", "is XML but not a Kamerstuk"),
        ((FIXTURES / "kst-21501-20-1850.metadata.xml").read_bytes(), "is the metadata of a Kamerstuk"),
        (
            b"<officiele-publicatie><kamerstuk><stuk><al>" + b"<nadruk>" * 5000 + b"x" + b"</nadruk>" * 5000
            + b"</al></stuk></kamerstuk></officiele-publicatie>",
            "is XML nested too deeply",
        ),
    ],
    ids=["entity-bomb", "external-entity", "malformed", "not-kamerstuk", "metadata-as-letter", "too-deep"],
)
def test_unsafe_or_foreign_xml_is_refused_with_one_line(tmp_path, capsys, data, problem):
    path = tmp_path / "brief.xml"
    path.write_bytes(data)
    with pytest.raises(LetterError) as caught:
        load_letter(path)
    assert str(caught.value).startswith(f"{path}: {problem}")
    assert main(["parse", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err


def test_a_metadata_file_is_not_a_letter(tmp_path):
    path = tmp_path / "kst-1.metadata.xml"
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", path)
    with pytest.raises(LetterError, match="is the metadata of an XML letter"):
        load_letter(path)


def test_parse_command_reads_xml(capsys):
    assert main(["parse", str(EUROPE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Verslag van de Europese Raad van 23 en 24 maart 2023"
    assert [s["title"] for s in data["sections"]][1:] == ["Oekraïne", "Energie", "Overige onderwerpen"]


def test_markup_in_letter_text_stays_text():
    """Letter text is data: brackets that look like Rich markup come through as characters."""
    data = SAMPLE.read_bytes().replace(b"het komende jaar.", b"het komende jaar [bold]x[/] [@click=app.quit]y[/].")
    letter = parse_xml(data, source="x.xml")
    assert letter.sections[0].paragraphs[0].text.endswith("het komende jaar [bold]x[/] [@click=app.quit]y[/].")


def test_a_note_in_a_heading_is_a_footnote_not_part_of_the_title():
    data = EUROPE.read_bytes().replace(
        b"<tussenkop>Overige onderwerpen</tussenkop>",
        b'<tussenkop>Overige<br/>onderwerpen<noot id="n9" type="voet"><noot.nr>3</noot.nr><noot.al>Een noot.</noot.al></noot></tussenkop>',
    )
    letter = parse_xml(data, source="x.xml")
    assert letter.sections[-1].title == "Overige onderwerpen"
    assert letter.footnote(3).text == "Een noot."
