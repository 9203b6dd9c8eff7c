"""The sample letters in tests/fixtures: both layouts, as a careful reader would take them apart."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import all_paragraphs, fixture_path, marked

from briefreader.load import load_letter
from briefreader.model import Dossier, Signatory


@pytest.fixture(scope="module")
def ex1():
    return load_letter(fixture_path("ex1-digitale-overheid.txt"))


@pytest.fixture(scope="module")
def ex2():
    return load_letter(fixture_path("ex2-visserijraad.txt"))


@pytest.fixture(scope="module")
def ex3():
    return load_letter(fixture_path("ex3-jbz-full.txt"))


@pytest.fixture(scope="module")
def ex4():
    return load_letter(fixture_path("ex4-armoede-cleaned.txt"))


# --- ex1: full layout ---------------------------------------------------------------------------


def test_ex1_header(ex1):
    assert ex1.date == dt.date(2023, 2, 9)
    assert ex1.dossiers == (Dossier("26643", "Informatie- en communicatietechnologie (ICT)"),)
    assert ex1.number == "1012"
    assert ex1.kst_id == "kst-26643-1012"
    assert ex1.session == "2022-2023"
    assert ex1.chamber == "Tweede Kamer"
    assert ex1.title == "Brief van de Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties"
    assert ex1.signatories == (
        Signatory("De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties", "A.C. van Huffelen"),
    )
    assert ex1.warnings == ()


def test_ex1_sections_and_lists(ex1):
    assert [s.title for s in ex1.sections] == [None, "Digitale inclusie", "Grip op algoritmen", "Europese samenwerking"]
    inclusie = ex1.sections[1].paragraphs
    assert [p.kind for p in inclusie] == ["paragraph", "item", "item", "item"]
    assert [p.text for p in inclusie[1:]] == [
        "de Informatiepunten Digitale Overheid zijn uitgebreid naar alle openbare bibliotheken;",
        "er komt een meldpunt voor niet-toegankelijke websites van overheidsorganisaties;",
        "gemeenten ontvangen extra middelen voor ondersteuning.",
    ]
    assert marked(inclusie[3]).endswith("ondersteuning.^2")


def test_ex1_page_break_inside_a_sentence(ex1):
    (algoritmen,) = ex1.sections[2].paragraphs
    assert "Ik streef ernaar dat eind 2023 alle hoog-risico-algoritmen van de rijksoverheid in het register staan." in algoritmen.text
    # `1 miljoen euro` at a line start is body text, not footnote 1
    assert "is in 2023 1 miljoen euro beschikbaar, oplopend tot 3,6 miljoen euro structureel vanaf 2026.^3 Het" in marked(algoritmen)
    assert "123 algoritmes van 54 organisaties" in algoritmen.text
    assert "Werkagenda Waardengedreven Digitaliseren^1." in marked(all_paragraphs(ex1)[0])
    assert "met een stemverklaring over de uitzonderingen voor nationale veiligheid.^4" in marked(all_paragraphs(ex1)[-1])


def test_ex1_footnotes_and_references(ex1):
    assert [(f.n, f.text) for f in ex1.footnotes] == [
        (1, "Kamerstuk 26 643, nr. 924."),
        (2, "Zie ook de brief over de aanpak van digitale inclusie van 2 december 2022, Kamerstukken II "
            "2022/23, 26 643, nr. 953."),
        (3, "Zie https://www.autoriteitpersoonsgegevens.nl/nl/nieuws/ap-start-met-toezicht-op-algoritmes."),
        (4, "Raad van de Europese Unie, document 14954/22."),
    ]
    assert [(r.dossier, r.number, r.paragraph, r.footnote) for r in ex1.references] == [
        ("26643", "940", 0, None), ("26643", "924", None, 1), ("26643", "953", None, 2),
    ]


def test_ex1_no_furniture_left(ex1):
    text = " ".join(p.text for p in all_paragraphs(ex1)) + " ".join(f.text for f in ex1.footnotes)
    for furniture in ["kst-26643-1012", "ISSN", "Gravenhage 2023", "vergaderjaar", "Vergaderjaar", "Nr. 1012",
                      "BRIEF VAN", "Staten-Generaal"]:
        assert furniture not in text


# --- ex2: cleaned layout -------------------------------------------------------------------------


def test_ex2(ex2):
    assert ex2.date == dt.date(2023, 1, 30)
    assert ex2.title is None  # only `VISSERIJ` is left, and it doesn't end the signer's function
    assert ex2.warnings == ("only the end of the title is in the text: 'VISSERIJ'",)
    assert [s.title for s in ex2.sections] == [None, "Marktsituatie", "Diversen"]
    assert [marked(p) for p in all_paragraphs(ex2)] == [
        "Hiermee stuur ik u het verslag van de Landbouw- en Visserijraad van 23 januari jl. in Brussel. Het "
        "voornaamste onderwerp was de situatie op de markten voor zuivel en graan^1.",
        "De Commissie gaf een overzicht van de marktsituatie. Diverse lidstaten vroegen aandacht voor de "
        "gevolgen van de hoge energieprijzen voor de glastuinbouw en de visserij (Kamerstuk 21 501-32, nr. "
        "1490).^2 Nederland heeft gewezen op het belang van een gelijk speelveld. Ook heeft Nederland "
        "aandacht gevraagd voor de positie van de kottervloot, die sinds 2021 met een sterk gekrompen "
        "vangstruimte moet werken. De Commissie zegde toe de situatie nauwlettend te volgen.",
        "Daarnaast bespraken de ministers de stand van zaken rond de onderhandelingen met het Verenigd "
        "Koninkrijk over de visserijrechten.",
        "Onder diversen is gesproken over het Europees landbouw- en visserijbeleid na 2027 en over "
        "dierenwelzijn tijdens transport^3.",
    ]
    assert ex2.signatories == (Signatory("De Minister van Landbouw, Natuur en Voedselkwaliteit", "P. Adema"),)
    assert [f.n for f in ex2.footnotes] == [1, 2, 3]
    assert ex2.footnotes[1].text == (
        "Het betreft met name de sectoren die veel gas verbruiken; zie ook het rapport van Wageningen "
        "Economic Research van december 2022."
    )
    assert ex2.footnotes[2].text == "Kamerstuk 28 286, nr. 1277."  # after the signature
    assert [(r.dossier, r.number) for r in ex2.references] == [("21501-32", "1490"), ("21501-32", "1485"), ("28286", "1277")]


# --- ex3: full layout, three pages, every rule --------------------------------------------------


def test_ex3_header_with_two_dossiers_and_a_wrapped_title(ex3):
    assert ex3.dossiers == (
        Dossier("32317", "JBZ-Raad"),
        Dossier("36410-VI", "Vaststelling van de begrotingsstaten van het Ministerie van Justitie en "
                            "Veiligheid (VI) voor het jaar 2024"),
    )
    assert ex3.number == "812"
    assert ex3.session == "2023-2024"
    assert ex3.place == "’s-Gravenhage"
    assert ex3.date == dt.date(2023, 10, 3)
    assert ex3.title == "Brief van de Minister van Justitie en Veiligheid"


def test_ex3_two_signers_and_footnotes_after_them(ex3):
    assert ex3.signatories == (
        Signatory("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius"),
        Signatory("De Staatssecretaris van Justitie en Veiligheid", "E. van der Burg"),
    )
    assert ex3.footnotes[-1].n == 7
    assert ex3.footnotes[-1].text == "Zie voor de vorige evaluatie Kamerstuk 32 317, nr. 700."
    assert not any("Yeşilgöz" in p.text for p in all_paragraphs(ex3))


def test_ex3_markers_and_data_digits(ex3):
    inleiding = ex3.sections[1].paragraphs[0]
    text = marked(inleiding)
    assert "Het NIB2 van de Commissie" in text  # data, though footnote 2 exists
    assert "in de vorige Raad besproken.^2 Het kabinet" in text
    assert "de uitstoot van CO2 door de G20 kwam aan bod." in text
    assert "wat kunnen de lidstaten eigenlijk?»^3 Het antwoord" in text
    assert "Grenzen aan de opvang (2019)^4 en in de evaluatie van september 2022^5. De ministers" in text
    assert [n.n for n in inleiding.notes] == [2, 3, 4, 5]
    assert ex3.warnings == ()


def test_ex3_page_break_footnote_block_and_short_last_line(ex3):
    text = ex3.sections[1].paragraphs[0].text
    # `Ook Nederland`, short and last on its page, is no heading: the sentence goes on overleaf.
    assert "De ministers hebben dit onderschreven. Ook Nederland steunde dit voorstel. De ministers bespraken de volgende punten:" in text
    assert [(f.n, f.text) for f in ex3.footnotes[:5]] == [
        (1, "Kamerstuk 32 317, nr. 790."),
        (2, "Zie het verslag van de JBZ-Raad van 8 en 9 juni 2023, Kamerstuk 32 317, nr. 811."),
        (3, "Adviesraad Migratie, Grenzen aan de opvang, 14 maart 2019."),  # a year continues a footnote
        (4, "Zie ook Kamerstukken II, 1998–1999, 26 387, nr. 1."),
        (5, "Zie de brief van 1 september 2023 over de evaluatie."),
    ]


def test_ex3_lists(ex3):
    items = [p for p in ex3.sections[1].paragraphs if p.kind == "item"]
    assert [marked(p) for p in items] == [
        "de versterking van de buitengrenzen;",
        "de samenwerking met Frontex^6, Europol en het EUAA;",  # its bullet stood alone on a line
        "de terugkeer- en overnamesamenwerking met derde landen.",
    ]


def test_ex3_hyphens(ex3):
    text = " ".join(p.text for p in all_paragraphs(ex3))
    assert "Het aantal asielaanvragen in de EU" in text
    assert "in Noord-Afrika en Zuid-Europa" in text
    assert "een betere informatie-uitwisseling" in text
    assert "de opvang van niet-begeleide minderjarigen" in text  # hyphenated elsewhere in the letter
    assert "voor de ketenpartners." in text
    assert "Kamerstuk 21 501-20, nrs. 520 en 548" in text
    # a dash inside a sentence at a line end, then the sentence goes on
    assert "Het kabinet – zoals eerder gemeld aan uw Kamer – zet in op" in text


def test_ex3_urls_rejoined(ex3):
    text = " ".join(p.text for p in all_paragraphs(ex3))
    assert "https://www.rijksoverheid.nl/documenten/kamerstukken/2023/10/03/geannoteerde-agenda-jbz-raad en" in text
    assert "https://www.consilium.europa.eu/nl/meetings/jha/2023/10/12-13/. Ik verwijs" in text


def test_ex3_headings(ex3):
    assert [s.title for s in ex3.sections] == [None, "Inleiding", "Stand van zaken", "Overige onderwerpen"]
    stand = ex3.sections[2].paragraphs
    assert stand[0].text.startswith("6 miljoen euro is beschikbaar gesteld")  # not footnote 6
    assert stand[1].text.split("\n") == [
        "Tabel 1 Asielaanvragen per lidstaat", "Lidstaat", "2022", "2023", "Duitsland", "217.735", "329.120",
        "Bron: Eurostat",
    ]
    assert stand[1].notes == ()


def test_ex3_references(ex3):
    assert [(r.dossier, r.number, r.paragraph, r.footnote) for r in ex3.references] == [
        ("19637", "3120", 0, None),
        ("36600-B", "6", 5, None),
        ("36600-C", "6", 5, None),
        ("21501-20", "520", 5, None),
        ("21501-20", "548", 5, None),
        ("35925", "E", 5, None),
        ("35300-XVI", "133", 7, None),
        ("32317", "790", None, 1),
        ("32317", "811", None, 2),
        ("26387", "1", None, 4),
        ("32317", "700", None, 7),
    ]
    # Handelingen are not Kamerstukken
    assert not any("Handelingen" in r.text for r in ex3.references)


# --- ex4: cleaned layout with a wrapped signer's function ---------------------------------------


def test_ex4(ex4):
    assert ex4.title == "Brief van de Minister voor Armoedebeleid, Participatie en Pensioenen"
    assert ex4.signatories == (Signatory("De Minister voor Armoedebeleid, Participatie en Pensioenen", "K.L. de Wit"),)
    assert [s.title for s in ex4.sections] == [None, "Bestaanszekerheid", "Schulden"]
    paragraphs = all_paragraphs(ex4)
    assert marked(paragraphs[0]) == (
        "Met deze brief informeer ik uw Kamer over de voortgang van de aanpak van geldzorgen, armoede en "
        "schulden^1. De Raad voor de Rechtspraak en het Nibud^2 hebben hierover eerder geadviseerd."
    )
    assert [p.kind for p in paragraphs[1:6]] == ["paragraph", "item", "item", "item", "paragraph"]
    assert paragraphs[4].text == "gemeenten krijgen 12 miljoen euro extra voor schuldhulp."
    assert "Ook het kabinet maakt zich zorgen over deze ontwikkeling en neemt aanvullende maatregelen." in paragraphs[5].text
    assert paragraphs[5].text.endswith("https://www.rijksoverheid.nl/onderwerpen/armoede-en-schulden.")
    assert marked(paragraphs[6]).endswith("nr. 650 en nr. 651.^4")
    assert ex4.footnotes[2].text == (
        "Centraal Planbureau, Kansrijk armoedebeleid, december 2023. Zie ook Kamerstuk 24 515, nr. 698."
    )
    assert ex4.footnotes[3].text == "Zie ook kst-24515-651."
    assert [(r.dossier, r.number) for r in ex4.references] == [
        ("24515", "650"), ("24515", "651"), ("24515", "700"), ("24515", "698"), ("24515", "651"),
    ]
