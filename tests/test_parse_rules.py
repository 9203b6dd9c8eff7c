"""One small letter per parsing rule (docs/FORMAT.md): decoding, furniture, metadata, paragraphs, hyphens,
headings, footnote markers, references and warnings."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from conftest import all_paragraphs, marked

from briefreader.model import LetterError, Note, Signatory
from briefreader.parse import parse_bytes, parse_text
from briefreader.parse.decode import decode, normalise

OPENING = [
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
    "Den Haag, 12 mei 2022",
]
SIGNATURE = ["De Minister van Buitenlandse Zaken,", "W.B. Hoekstra"]


def letter(*body: str, notes: tuple[str, ...] = (), opening=OPENING, signature=SIGNATURE):
    """A letter in the full layout from body lines, with footnote lines after the signature."""
    return parse_text("\n".join([*opening, *body, *signature, *notes]) + "\n", source="test.txt")


def texts(parsed) -> list[str]:
    return [marked(p) for p in all_paragraphs(parsed)]


# --- 1. decoding and normalisation ---------------------------------------------------------------

BODY = "Den Haag, 3 maart 2022\nDe Raad sprak over de coördinatie van café’s en de ministeriële agenda.\n"


def test_utf8_with_and_without_bom_and_crlf():
    for data in [BODY.encode(), codecs.BOM_UTF8 + BODY.encode(), BODY.replace("\n", "\r\n").encode()]:
        parsed = parse_bytes(data, "x.txt")
        assert texts(parsed) == ["De Raad sprak over de coördinatie van café’s en de ministeriële agenda."]
        assert parsed.date == dt.date(2022, 3, 3)
        assert not any("Windows-1252" in w for w in parsed.warnings)


def test_windows_1252_is_read_with_a_warning():
    parsed = parse_bytes(BODY.encode("cp1252"), "x.txt")
    assert texts(parsed) == ["De Raad sprak over de coördinatie van café’s en de ministeriële agenda."]
    assert "not valid UTF-8: read as Windows-1252" in parsed.warnings


def test_utf16_with_bom():
    parsed = parse_bytes(BODY.encode("utf-16"), "x.txt")
    assert texts(parsed)[0].startswith("De Raad sprak over de coördinatie")


def test_binary_data_is_refused():
    with pytest.raises(LetterError, match="binary"):
        parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "plaatje.txt")


def test_normalisation_of_special_characters():
    raw = "de pro\u00adcedure van de ﬁnanciële\u00a0markt\u200b en\x07 het\u00a0beleid"
    assert normalise(raw) == "de procedure van de financiële markt en het beleid"
    text, warnings = decode(b"a\r\nb\rc\fd")
    assert text == "a\nb\nc\fd" and warnings == []


def test_no_control_characters_in_the_output():
    parsed = parse_bytes(b"Den Haag, 3 maart 2022\nDe Raad\x01 sprak\x1b over\x7f de agenda.\n", "x.txt")
    assert texts(parsed) == ["De Raad sprak over de agenda."]


def test_form_feed_is_a_page_break_inside_a_sentence():
    parsed = letter("De Raad besprak de stand van zaken van de", "onderhandelingen1\f", "over het pact en de",
                    "verordeningen.", notes=("1 Kamerstuk 32 317, nr. 700.",))
    assert texts(parsed) == ["De Raad besprak de stand van zaken van de onderhandelingen^1 over het pact en de verordeningen."]


# --- 2. page furniture and the header block ------------------------------------------------------


def test_running_footer_page_number_and_colophon_are_removed():
    parsed = letter(
        "De Raad besprak de stand van zaken rond de onderhandelingen over het",
        "kst-21501-02-2500",
        "ISSN 0921 - 7371",
        "’s-Gravenhage 2022",
        "Tweede Kamer, vergaderjaar 2021–2022, 21 501-02, nr. 2500",
        "1",
        "pact en de verordeningen.",
        "Tweede Kamer, vergaderjaar 2021-2022, 21 501-02, nr. 2500 2",
    )
    assert texts(parsed) == ["De Raad besprak de stand van zaken rond de onderhandelingen over het pact en de verordeningen."]
    assert parsed.session == "2021-2022"
    assert parsed.dossier.number == "21501-02" and parsed.number == "2500"  # read from the footer


def test_header_block_after_the_body_is_still_read():
    # Extractors put the first page's margin column anywhere; patterns find it, not positions.
    parsed = parse_text("\n".join([
        "Aan de Voorzitter van de Eerste Kamer der Staten-Generaal",
        "Den Haag, 1 juli 2020",
        "De regering heeft besloten het wetsvoorstel in te trekken.",
        "Eerste Kamer der Staten-Generaal",
        "Vergaderjaar 2019-2020",
        "35 300 XVI Vaststelling van de begrotingsstaten",
        "Nr. 7",
        "BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID, WELZIJN EN SPORT",
        *SIGNATURE,
    ]))
    assert parsed.chamber == "Eerste Kamer"
    assert parsed.session == "2019-2020"
    assert parsed.dossier.number == "35300-XVI" and parsed.dossier.title == "Vaststelling van de begrotingsstaten"
    assert parsed.number == "7"
    assert parsed.title == "Brief van de Minister van Volksgezondheid, Welzijn en Sport"
    assert texts(parsed) == ["De regering heeft besloten het wetsvoorstel in te trekken."]


# --- 3. addressee, place, date, signature --------------------------------------------------------


@pytest.mark.parametrize(
    "line,place,date",
    [
        ("Den Haag, 1 januari 2020", "Den Haag", dt.date(2020, 1, 1)),
        ("Den Haag, 29 februari 2024", "Den Haag", dt.date(2024, 2, 29)),
        ("’s-Gravenhage, 15 juni 2019", "’s-Gravenhage", dt.date(2019, 6, 15)),
        ("'s-Gravenhage, 31 december 2021", "'s-Gravenhage", dt.date(2021, 12, 31)),
        ("Den Haag, 7 oktober 2022", "Den Haag", dt.date(2022, 10, 7)),
    ],
)
def test_place_and_date(line, place, date):
    parsed = letter("De Raad vergaderde.", opening=[line])
    assert (parsed.place, parsed.date) == (place, date)


def test_impossible_date_is_a_warning_not_a_crash():
    parsed = letter("De Raad vergaderde.", opening=["Den Haag, 31 februari 2023"])
    assert parsed.date is None and parsed.place == "Den Haag"
    assert any("date" in w for w in parsed.warnings)


def test_several_signers_with_commas_and_a_wrapped_function():
    parsed = letter(
        "Wij sturen u het verslag.",
        signature=[
            "De Minister van Landbouw, Natuur en Voedselkwaliteit,",
            "A.B.C. de Vries",
            "",
            "De Minister voor Natuur en Stikstof, tevens Minister van Binnenlandse",
            "Zaken en Koninkrijksrelaties,",
            "J.M. van der Berg-Smit",
        ],
    )
    assert parsed.signatories == (
        Signatory("De Minister van Landbouw, Natuur en Voedselkwaliteit", "A.B.C. de Vries"),
        Signatory("De Minister voor Natuur en Stikstof, tevens Minister van Binnenlandse Zaken en "
                  "Koninkrijksrelaties", "J.M. van der Berg-Smit"),
    )
    assert texts(parsed) == ["Wij sturen u het verslag."]
    assert parsed.addressee == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"


# --- 4. paragraphs and list items ----------------------------------------------------------------


def test_paragraph_boundaries_from_line_shape_in_the_full_layout():
    parsed = letter(
        "De Raad heeft gesproken over de voortgang van de onderhandelingen over",
        "het pact. Er is nog geen akkoord.",
        "Het kabinet zet in op een snelle afronding van de onderhandelingen en op",
        "een eerlijke verdeling.",
    )
    assert texts(parsed) == [
        "De Raad heeft gesproken over de voortgang van de onderhandelingen over het pact. Er is nog geen akkoord.",
        "Het kabinet zet in op een snelle afronding van de onderhandelingen en op een eerlijke verdeling.",
    ]


def test_list_items_of_every_kind():
    parsed = letter(
        "Het kabinet neemt de volgende maatregelen:",
        "1. de huurtoeslag gaat omhoog;",
        "2. de energietoeslag blijft;",
        "Daarnaast geldt:",
        "a) een ruimere regeling voor gezinnen met",
        "kinderen;",
        "b) een hoger budget.",
        "Tot slot:",
        "▪ een evaluatie in 2025.",
    )
    assert [(p.kind, p.text) for p in all_paragraphs(parsed)] == [
        ("paragraph", "Het kabinet neemt de volgende maatregelen:"),
        ("item", "1. de huurtoeslag gaat omhoog;"),
        ("item", "2. de energietoeslag blijft;"),
        ("paragraph", "Daarnaast geldt:"),
        ("item", "a) een ruimere regeling voor gezinnen met kinderen;"),
        ("item", "b) een hoger budget."),
        ("paragraph", "Tot slot:"),
        ("item", "een evaluatie in 2025."),
    ]


# --- 5. hyphens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "left,right,expected",
    [
        ("de migratiesi-", "tuatie is zorgelijk.", "de migratiesituatie is zorgelijk."),
        ("het migratie-", "en asielpact.", "het migratie- en asielpact."),
        ("de opvang-", "of terugkeerlocaties.", "de opvang- of terugkeerlocaties."),
        ("de EU-", "lidstaten samen.", "de EU-lidstaten samen."),
        ("de JBZ-", "Raad van juni.", "de JBZ-Raad van juni."),
        ("in Zuid-", "Amerika en Azië.", "in Zuid-Amerika en Azië."),
        ("Kamerstuk 21 501-", "20, nr. 1.", "Kamerstuk 21 501-20, nr. 1."),
        ("een betere informatie-", "uitwisseling.", "een betere informatie-uitwisseling."),
        ("zie https://www.example.nl/a-", "b/c.", "zie https://www.example.nl/a-b/c."),
        ("zie https://www.example.nl/", "nieuws/item.", "zie https://www.example.nl/nieuws/item."),
        ("zie www.rijksoverheid.", "nl/onderwerpen.", "zie www.rijksoverheid.nl/onderwerpen."),
    ],
)
def test_line_end_hyphens(left, right, expected):
    parsed = letter(left, right)
    assert texts(parsed) == [expected]


def test_compound_hyphenated_elsewhere_keeps_its_hyphen():
    parsed = letter("Het gaat om hoog-risico-algoritmen. Ook de hoog-", "risico-algoritmen van gemeenten.")
    assert texts(parsed) == ["Het gaat om hoog-risico-algoritmen. Ook de hoog-risico-algoritmen van gemeenten."]


def test_a_hyphen_inside_a_line_is_never_touched():
    parsed = letter("De ex-minister sprak over de na-apen en de EU-top van 2-3 juni.")
    assert texts(parsed) == ["De ex-minister sprak over de na-apen en de EU-top van 2-3 juni."]


# --- 6. headings ---------------------------------------------------------------------------------


def test_numbered_and_unnumbered_headings():
    parsed = letter(
        "Hierbij stuur ik u de agenda.",
        "1. Inleiding",
        "De Raad komt bijeen in Brussel.",
        "2.1 Stand van zaken",
        "Er is voortgang geboekt.",
        "II Vooruitblik",
        "De volgende Raad is in juni.",
        "Verslag van de Raad",
        "De ministers spraken over de begroting.",
    )
    assert [s.title for s in parsed.sections] == [None, "Inleiding", "Stand van zaken", "Vooruitblik", "Verslag van de Raad"]
    assert [len(s.paragraphs) for s in parsed.sections] == [1, 1, 1, 1, 1]


def test_short_last_lines_are_not_headings():
    parsed = letter(
        "De ministers hebben gesproken over de voortgang van de onderhandelingen",
        "over het pact en de",
        "Verordening Opvang",
        "in het bijzonder.",
    )
    assert parsed.sections[0].title is None and len(parsed.sections) == 1
    cleaned = parse_text("\n".join([
        " TITEL", "", *OPENING, "",
        "De Raad sprak over de situatie in Litouwen en over de steun van de lidstaten",
        "aan de grensbewaking. Ook Nederland", "",
        "1 Zie de brief van juni.", " steunde dit en deed een bijdrage.", "", *SIGNATURE,
    ]))
    assert [s.title for s in cleaned.sections] == [None]


# --- 7. footnote markers -------------------------------------------------------------------------


def test_markers_glued_to_words_punctuation_and_years():
    parsed = letter(
        "Het asielpact1 is besproken. De grens is overgestoken.2 Het EASO3 en",
        "Frontex4, de studie (2019)5 en de vraag eigenlijk?»6 en het akkoord van",
        "september 20207 zijn genoemd.",
        notes=tuple(f"{n} Noot {n}." for n in range(1, 8)),
    )
    (paragraph,) = all_paragraphs(parsed)
    assert paragraph.text == (
        "Het asielpact is besproken. De grens is overgestoken. Het EASO en Frontex, de studie (2019) en de "
        "vraag eigenlijk?» en het akkoord van september 2020 zijn genoemd."
    )
    assert [n.n for n in paragraph.notes] == [1, 2, 3, 4, 5, 6, 7]
    assert paragraph.notes[0] == Note(1, len("Het asielpact"))
    assert paragraph.notes[6] == Note(7, paragraph.text.index("september 2020") + len("september 2020"))
    assert parsed.warnings == ()


def test_numbers_that_are_data_stay_text():
    parsed = letter(
        "De uitstoot van CO2 en de G20 en COVID-19 en het NIB2 staan in nr. 703",
        "van 2021.1 Het gaat om",
        "12 miljoen euro.",
        notes=("1 Zie de brief van 4 juni", "2021 over de G20.", "2 Een tweede noot."),
    )
    (paragraph,) = all_paragraphs(parsed)
    assert paragraph.text == (
        "De uitstoot van CO2 en de G20 en COVID-19 en het NIB2 staan in nr. 703 van 2021. Het gaat om 12 miljoen euro."
    )
    assert paragraph.notes == (Note(1, paragraph.text.index("2021.") + 5),)
    assert [(f.n, f.text) for f in parsed.footnotes] == [(1, "Zie de brief van 4 juni 2021 over de G20."), (2, "Een tweede noot.")]
    assert "footnote 2 has no marker in the text" in parsed.warnings


def test_marker_without_footnote_is_a_warning():
    parsed = letter("Het pact is besproken.1 Daarna volgde de lunch.")
    assert texts(parsed) == ["Het pact is besproken.1 Daarna volgde de lunch."]
    assert any(w.startswith("marker 1 has no footnote") for w in parsed.warnings)


def test_footnote_continues_over_a_blank_line():
    parsed = letter("Het Agentschap1 is genoemd.", notes=("1 Agentschap voor de samenwerking aan de", "", "buitengrenzen."))
    assert parsed.footnotes[0].text == "Agentschap voor de samenwerking aan de buitengrenzen."


# --- 8. references -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("zie Kamerstuk 22 112, nr. 2955.", [("22112", "2955")]),
        ("zie Kamerstukken II 2020/21, 32 317, nr. 703, p. 7–8.", [("32317", "703")]),
        ("zie Kamerstukken II, 1998–1999, 26 387, nr. 1.", [("26387", "1")]),
        ("zie Kamerstukken II 2020-2021, 36 410 VI, nr. 12.", [("36410-VI", "12")]),
        ("zie Kamerstukken 36 600 B en 36 600 C, nr. 6.", [("36600-B", "6"), ("36600-C", "6")]),
        ("zie Kamerstuk 21 501-20, nrs. 520 en 548.", [("21501-20", "520"), ("21501-20", "548")]),
        ("zie Kamerstukken I 2021/22, 35 925, E.", [("35925", "E")]),
        ("zie kst-35300-XVI-133 en kst-32317-703.", [("35300-XVI", "133"), ("32317", "703")]),
        ("zie zoek.officielebekendmakingen.nl/kst-32317-703.html.", [("32317", "703")]),
        ("zie (Kamerstuk 26 643, nr. 940).", [("26643", "940")]),
        ("zie Handelingen II 2020/21, nr. 12, item 5.", []),
        ("zie Aanhangsel Handelingen II 2020/21, nr. 1234.", []),
    ],
)
def test_reference_forms(text, expected):
    parsed = letter("Dit is " + text)
    assert [(r.dossier, r.number) for r in parsed.references] == expected
    for ref in parsed.references:
        assert all_paragraphs(parsed)[0].text[ref.start : ref.end] == ref.text


def test_reference_broken_over_lines():
    parsed = letter("Zie de brief van 18 augustus 2021, Kamerstuk", "32 317, nr. 703 voor het verslag.")
    assert [(r.dossier, r.number, r.text) for r in parsed.references] == [("32317", "703", "Kamerstuk 32 317, nr. 703")]


# --- 9. never raise ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "\n\n\n", "1", "1 2 3", "\f\f\f", "Nr. 5", "De Minister van Financiën,\nA. B", "- \n•\n1.\n", "2\n2\n2\n",
     "Tweede Kamer der Staten-Generaal\nVergaderjaar 2020–2021\n32 317\n", "[bold]x[/] [@click=app.quit]q[/]"],
)
def test_odd_input_never_raises(text):
    parsed = parse_text(text)
    assert isinstance(parsed.warnings, tuple)


def test_markup_like_text_is_kept_literally():
    parsed = letter("Zie [bold]dit[/] en [@click=app.quit]quit[/] in de tekst.")
    assert texts(parsed) == ["Zie [bold]dit[/] en [@click=app.quit]quit[/] in de tekst."]
