"""The letter that came with the project (corpus/), parsed: what a careful reader extracts from it."""

from __future__ import annotations

import datetime as dt

from conftest import CORPUS_LETTER, all_paragraphs, marked

from briefreader.corpus import bundled_corpus
from briefreader.load import load_letter
from briefreader.model import Note, Signatory


def test_metadata(corpus_letter):
    assert corpus_letter.date == dt.date(2021, 8, 26)
    assert corpus_letter.place == "Den Haag"
    assert corpus_letter.addressee == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert corpus_letter.session == "2020-2021"  # from the date: before Prinsjesdag 2021
    assert corpus_letter.signatories == (
        Signatory("De Staatssecretaris van Justitie en Veiligheid", "A. Broekers-Knol"),
    )
    assert corpus_letter.warnings == ()


def test_title_comes_from_the_sidecar_and_else_from_the_title_tail():
    path = bundled_corpus() / f"{CORPUS_LETTER}.txt"
    with_sidecar = load_letter(path)
    assert with_sidecar.title.startswith("Ingelaste JBZ-Raad van 31 augustus 2021")
    assert with_sidecar.dossier.number == "32317"
    # The raw text only has `VEILIGHEID`, the tail of `BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN
    # VEILIGHEID`; the signer's function completes it.
    bare = load_letter(path, use_sidecar=False)
    assert bare.title == "Brief van de Staatssecretaris van Justitie en Veiligheid"
    assert bare.dossiers == ()


def test_sections(corpus_letter):
    assert [s.title for s in corpus_letter.sections] == [None, "Verslag IPCR"]
    assert [len(s.paragraphs) for s in corpus_letter.sections] == [7, 3]
    assert all(p.kind == "paragraph" for p in all_paragraphs(corpus_letter))


def test_every_footnote_in_full(corpus_letter):
    assert [(f.n, f.text) for f in corpus_letter.footnotes] == [
        (1, "Het BNC-fiche over het asiel- en migratiepact is uw Kamer op 16 november 2020 toegestuurd. "
            "Kamerstuk 22 112, nr. 2955."),
        (2, "De IPCR is een crisismechanisme dat de Raad ter beschikking heeft bij ernstige en complexe "
            "crises. Zie ook: Kamerbrief verslag iJBZ Raad 14-16 juli d.d. 18 augustus 2021. Kamerstuk "
            "32 317, nr. 703"),
        (3, "Europees Ondersteuningsbureau voor Asielzaken."),
        # continues after a blank line
        (4, "Agentschap voor het beheer van de operationele samenwerking aan de buitengrenzen van de "
            "lidstaten van de Europese Unie."),
        # the URL whole, rejoined without a space
        (5, "Zie: https://slovenian-presidency.consilium.europa.eu/en/news/home-affairs-ministers-express-"
            "solidarity-with-the-eu-member-states-at-the-border-with-belarus/"),
    ]


def test_every_marker_position(corpus_letter):
    paragraphs = all_paragraphs(corpus_letter)
    with_notes = [(i, p) for i, p in enumerate(paragraphs) if p.notes]
    assert [i for i, _p in with_notes] == [5, 7, 8]

    pact = paragraphs[5]
    assert pact.notes == (Note(1, pact.text.index("asielpact") + len("asielpact")),)
    assert marked(pact).endswith("over het migratie- en asielpact^1. Het kabinet zal tijdens de Raad "
                                 "aandringen op voortgang.")

    ipcr = paragraphs[7]
    assert ipcr.notes == (
        Note(2, ipcr.text.index("overgestoken.") + len("overgestoken.")),
        Note(3, ipcr.text.index("EASO") + len("EASO")),
        Note(4, ipcr.text.index("Frontex,") + len("Frontex")),
    )
    assert "illegaal de grens is overgestoken.^2 Hoge Vertegenwoordiger" in marked(ipcr)
    # `EASO3` stood before a blank line; the paragraph goes on with `en Frontex4,`.
    assert "de betrokken agentschappen EASO^3 en Frontex^4, en Litouwen, Letland en Polen" in marked(ipcr)

    belarus = paragraphs[8]
    assert belarus.notes == (Note(5, len(belarus.text)),)
    assert marked(belarus).endswith("op de website van het Sloveense voorzitterschap.^5")
    # no digits of a marker are left in the text
    assert "asielpact1" not in pact.text and "EASO3" not in ipcr.text and "Frontex4" not in ipcr.text


def test_paragraph_rejoined_across_the_footnote_block(corpus_letter):
    belarus = all_paragraphs(corpus_letter)[8]
    assert belarus.text.startswith("De ministers spraken brede steun uit voor de getroffen lidstaten")
    assert "richting Belarus. Ook Nederland noemde de acties van Belarus onaanvaardbaar en onderstreepte" in belarus.text
    # nothing of the footnotes leaked into the body
    assert not any("BNC-fiche" in p.text or "Agentschap voor" in p.text for p in all_paragraphs(corpus_letter))


def test_paragraph_continues_over_a_page_start(corpus_letter):
    text = all_paragraphs(corpus_letter)[3].text
    assert "van mogelijke migratiestromen. Voorts zal het kabinet de Europese Commissie verzoeken" in text
    assert text.endswith("steun voor onder andere opvang en asielmanagement.")


def test_dehyphenation(corpus_letter):
    body = " ".join(p.text for p in all_paragraphs(corpus_letter))
    for joined in ["migratiesituatie", "secundaire migratie", "relevante internationale en Europese",
                   "een voorzitterschapsverklaring aan"]:
        assert joined in body
    # real hyphens stay: inside a line, before `en`, next to capitals
    for kept in ["informatie-uitwisseling", "migratie- en asielpact", "humanitaire- en veiligheidsaspecten",
                 "EU-buitengrens", "adequate opvang- en asielprocedures", "JBZ-Raad", "2-3 september",
                 "migratie-aspecten", "(IPCR)-mechanisme", "EU-lidstaten"]:
        assert kept in body
    assert "migratiesi-" not in body and "secun-" not in body and "interna-" not in body


def test_references(corpus_letter):
    assert [(r.dossier, r.number, r.text, r.footnote) for r in corpus_letter.references] == [
        ("22112", "2955", "Kamerstuk 22 112, nr. 2955", 1),
        ("32317", "703", "Kamerstuk 32 317, nr. 703", 2),
    ]
    first = corpus_letter.references[0]
    assert corpus_letter.footnote(1).text[first.start : first.end] == first.text
    assert first.kst_id == "kst-22112-2955"


def test_no_furniture_or_metadata_in_the_body(corpus_letter):
    body = [p.text for p in all_paragraphs(corpus_letter)]
    assert body[0].startswith("Hierbij informeer ik uw Kamer")
    assert body[-1].endswith("Nederland heeft dit verzoek van harte gesteund.")
    for text in body:
        assert "VEILIGHEID" not in text and "Den Haag, 26 augustus" not in text
        assert "Broekers-Knol" not in text and "Aan de Voorzitter" not in text
        assert "  " not in text and "\n" not in text


def test_same_letter_without_page_start_spaces(corpus_letter):
    """Another extractor drops the space that marks a new page: the body must still be found after
    the footnote block, because the text above it stopped mid-sentence (`Ook Nederland`)."""
    from briefreader.parse import parse_text

    raw = (bundled_corpus() / f"{CORPUS_LETTER}.txt").read_text(encoding="utf-8")
    letter = parse_text("\n".join(line.lstrip() for line in raw.split("\n")))
    assert [(f.n, f.text) for f in letter.footnotes] == [(f.n, f.text) for f in corpus_letter.footnotes]
    assert [marked(p) for p in all_paragraphs(letter)] == [marked(p) for p in all_paragraphs(corpus_letter)]


def test_same_letter_in_windows_1252_with_crlf(corpus_letter):
    from briefreader.parse import parse_bytes

    raw = (bundled_corpus() / f"{CORPUS_LETTER}.txt").read_text(encoding="utf-8")
    letter = parse_bytes(raw.replace("\n", "\r\n").encode("cp1252"), "cp1252.txt")
    assert letter.warnings == ("not valid UTF-8: read as Windows-1252",)
    assert [marked(p) for p in all_paragraphs(letter)] == [marked(p) for p in all_paragraphs(corpus_letter)]
    assert "Coördinator" in all_paragraphs(letter)[6].text
