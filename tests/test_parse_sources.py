"""Page numbers (`Paragraph.page`, `Footnote.page`), one-line signatures, the head without the chamber
line, heads repeated on later pages, and the saved web page (`.html`) with footnotes."""

from __future__ import annotations

from conftest import CORPUS_LETTER, all_paragraphs, fixture_path

from briefreader.corpus import bundled_corpus
from briefreader.load import load_letter
from briefreader.model import Dossier, Note, Signatory
from briefreader.parse import parse_text
from briefreader.parse.header import split_one_line_signature
from briefreader.parse.html import parse_html


def pages(letter):
    return [p.page for p in all_paragraphs(letter)], [(f.n, f.page) for f in letter.footnotes]


# --- pages ------------------------------------------------------------------------------------------


def test_pages_of_the_cleaned_layout_come_from_page_start_spaces():
    letter = load_letter(bundled_corpus() / f"{CORPUS_LETTER}.txt")
    # Page 2 starts inside paragraph 4 (` Voorts zal het kabinet`), page 3 inside paragraph 9 (` noemde`).
    assert pages(letter) == ([1, 1, 1, 1, 2, 2, 2, 2, 2, 3], [(1, 2), (2, 2), (3, 2), (4, 2), (5, 3)])


def test_pages_of_the_full_layout_come_from_running_footers():
    ex1 = load_letter(fixture_path("ex1-digitale-overheid.txt"))
    assert pages(ex1) == ([1, 1, 1, 1, 1, 1, 2], [(1, 1), (2, 1), (3, 1), (4, 2)])
    ex3 = load_letter(fixture_path("ex3-jbz-full.txt"))
    assert pages(ex3) == ([1, 1, 2, 2, 2, 2, 2, 3], [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (7, 3)])


def test_form_feeds_are_page_breaks():
    letter = parse_text("Den Haag, 3 maart 2022\nEerste alinea.\n\fTweede alinea.\n\fDerde alinea.\n")
    assert pages(letter)[0] == [1, 2, 3]


def test_no_pages_where_the_text_shows_none():
    assert pages(parse_text("Den Haag, 3 maart 2022\nEerste alinea.\n\nTweede alinea.\n"))[0] == [None, None]
    ocr = load_letter(fixture_path("real/ocr-21044-1-vissersvaartuigen.txt"))
    assert set(pages(ocr)[0]) == {None} and set(n for _n, n in pages(ocr)[1]) == {None}


def test_a_page_number_that_contradicts_the_count_leaves_every_page_unknown():
    """The footer says this is page 2, but the text showed no break before it: a page break is hidden,
    so no page number can be trusted (a citation with a wrong page is worse than none)."""
    text = (
        "Den Haag, 3 maart 2022\nEerste alinea van de brief.\nTweede alinea van de brief.\n"
        "Tweede Kamer, vergaderjaar 2021–2022, 32 317, nr. 700 2\n"
    )
    assert pages(parse_text(text))[0] == [None]


# --- signatures and heads ---------------------------------------------------------------------------


def test_one_line_signatures_split_at_the_last_comma_before_a_name():
    assert split_one_line_signature("De Minister van Sociale Zaken en Werkgelegenheid, A. B. Jansen") == Signatory(
        "De Minister van Sociale Zaken en Werkgelegenheid", "A. B. Jansen"
    )
    assert split_one_line_signature("De Minister-President, Minister van Algemene Zaken, M. Rutte") == Signatory(
        "De Minister-President, Minister van Algemene Zaken", "M. Rutte"
    )
    # a minister ad interim (the archive's prints, 1979-1990)
    assert split_one_line_signature("De Minister van Financiën a.i., J. E. Andriessen") == Signatory(
        "De Minister van Financiën a.i.", "J. E. Andriessen"
    )
    letter = parse_text("Den Haag, 3 maart 1980\nDe Raad sprak over de begroting.\n\nDe Minister voor Ontwikkelingssamenwerking a.i.,\nA. A. M. van Agt\n")
    assert letter.signatories == (Signatory("De Minister voor Ontwikkelingssamenwerking a.i.", "A. A. M. van Agt"),)
    # what follows the last comma is no name: no signature
    assert split_one_line_signature("De Minister van Landbouw, Natuur en Voedselkwaliteit,") is None
    assert split_one_line_signature("De Raad heeft besloten, zoals verwacht.") is None


def test_several_one_line_signers_in_a_row():
    letter = parse_text(
        "Den Haag, 3 maart 2022\nDe Raad sprak over de begroting.\n"
        "De Minister van Financiën, S.A.M. Kaag\nDe Staatssecretaris van Financiën, M.L.A. van Rij\n"
    )
    assert letter.signatories == (
        Signatory("De Minister van Financiën", "S.A.M. Kaag"),
        Signatory("De Staatssecretaris van Financiën", "M.L.A. van Rij"),
    )
    assert [p.text for p in all_paragraphs(letter)] == ["De Raad sprak over de begroting."]


def test_the_archive_ocr_gluing_the_date_to_its_neighbours_still_gives_them_apart():
    # Seen in the archive's OCR (e.g. kst 0000117850, 0000177676): the place and date run into the
    # first paragraph, or the addressee into the place and date, on one line.
    import datetime as dt

    from briefreader.parse.decode import normalise

    original = fixture_path("real/ocr-12449-66-oosterschelde.txt").read_text(encoding="utf-8")
    opening = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n's-Gravenhage, 21 juni 1983\nOp 24 augustus"
    assert opening in original
    expected = parse_text(normalise(original))
    for glued in ("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n's-Gravenhage, 21 juni 1983 Op 24 augustus",
                  "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal 's-Gravenhage, 21 juni 1983\nOp 24 augustus"):
        letter = parse_text(normalise(original.replace(opening, glued)))
        assert (letter.place, letter.date) == ("'s-Gravenhage", dt.date(1983, 6, 21))
        assert letter.addressee == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
        assert [p.text for p in all_paragraphs(letter)] == [p.text for p in all_paragraphs(expected)]


def test_the_head_without_the_chamber_line_is_metadata():
    letter = load_letter(fixture_path("real/web-21501-20-865-europese-raad.txt"))
    assert letter.dossiers == (Dossier("21501-20", "Europese Raad"),)
    assert letter.number == "865" and letter.kst_id == "kst-21501-20-865"
    assert letter.title == "Brief van de Minister President, Minister van Algemene Zaken"
    assert not any("BRIEF" in p.text or "Europese Raad\n" in p.text for p in all_paragraphs(letter))
    assert not any(p.text == "Naar boven" for p in all_paragraphs(letter))


def test_the_head_repeated_on_a_later_page_is_not_spliced_into_a_sentence():
    """A PDF's margin column repeats dossier and number on page 2; the extractor put them mid-sentence."""
    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2022–2023\n21 501-20 Europese Raad\nNr. 2044\n"
        "BRIEF VAN DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN\n"
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 3 maart 2023\n"
        "De bijdrage bedraagt\n\f21 501-20 Europese Raad\nNr. 2044\nnaar verwachting 3 miljard euro.\n"
        "De Minister-President, Minister van Algemene Zaken, M. Rutte\n"
    )
    letter = parse_text(text)
    assert [p.text for p in all_paragraphs(letter)] == ["De bijdrage bedraagt naar verwachting 3 miljard euro."]
    assert letter.title == "Brief van de Minister-President, Minister van Algemene Zaken"
    assert letter.dossiers == (Dossier("21501-20", "Europese Raad"),)


# --- the saved web page -------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<meta name="DC.identifier" content="kst-32802-73"><meta name="OVERHEIDop.vergaderjaar" content="2022-2023">
</head><body><nav><a href="/">Home</a></nav><div class="stuk">
<h1 class="dossiertitel"><span class="dossiernummer">32 802</span> Toepassing van de Wet open overheid</h1>
<h1 class="stuktitel"><span class="stuknummer">Nr. 73</span> BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES</h1>
<p class="al">Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</p>
<p class="al">Den Haag, 17 juli 2023</p>
<p class="al">Op 26 april 2022 heb ik uw Kamer ge&iuml;nformeerd over de Wet open overheid (Woo).<sup><a class="nootnum" href="#n1">1</a></sup> Met deze brief informeer ik uw Kamer opnieuw.</p>
<h2>De Woo-invoeringstoets</h2>
<ul><li>de eerste stap;</li><li>de tweede stap.<a class="nootnum" href="#n2">2</a></li></ul>
<p class="ondertekening"><span class="functie">De Minister van Binnenlandse Zaken en Koninkrijksrelaties,</span><br><span class="naam">H.G.J. Bruins Slot</span></p>
</div>
<div id="noten"><hr>
<div class="voet noot"><h5>X Noot</h5><sup><span class="nootnum">1</span></sup><p>Kamerstuk 32 802, nr. 60.</p></div>
<div class="voet noot"><h5>X Noot</h5><sup><span class="nootnum">2</span></sup><p>Zie de bijlage.</p></div>
</div></body></html>"""


def test_a_saved_web_page_reads_as_a_letter():
    letter = parse_html(PAGE.encode(), "kst-32802-73.html")
    assert (letter.kst_id, letter.session, str(letter.date), letter.place) == ("kst-32802-73", "2022-2023", "2023-07-17", "Den Haag")
    assert letter.title == "Brief van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert letter.signatories == (Signatory("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "H.G.J. Bruins Slot"),)
    assert [s.title for s in letter.sections] == [None, "De Woo-invoeringstoets"]
    first, item1, item2 = all_paragraphs(letter)
    assert first.text == "Op 26 april 2022 heb ik uw Kamer geïnformeerd over de Wet open overheid (Woo). Met deze brief informeer ik uw Kamer opnieuw."
    assert first.notes == (Note(1, first.text.index("(Woo).") + len("(Woo).")),)
    assert (item1.kind, item2.text, item2.notes) == ("item", "de tweede stap.", (Note(2, len("de tweede stap.")),))
    assert [(f.n, f.text) for f in letter.footnotes] == [(1, "Kamerstuk 32 802, nr. 60."), (2, "Zie de bijlage.")]
    assert [(r.kst_id, r.footnote) for r in letter.references] == [("kst-32802-60", 1)]
    assert letter.warnings == ()


def test_parse_and_add_read_a_saved_page(tmp_path, capsys):
    from briefreader.cli import main

    page = fixture_path("real/html-34700-6-informateur.html")
    assert main(["parse", str(page), "--json"]) == 0
    assert '"number": "6"' in capsys.readouterr().out
    corpus = tmp_path / "corpus"
    assert main(["add", str(page), "--corpus", str(corpus)]) == 0
    assert (corpus / page.name).read_bytes() == page.read_bytes()
