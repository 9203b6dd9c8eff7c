"""briefreader.cite: citations as Dutch policy writing gives them."""

from __future__ import annotations

import datetime as dt

from briefreader.cite import citation, dossier_text, footnote_quote, paragraph_quote
from briefreader.model import Dossier, Footnote, Letter, Paragraph, Section


def letter(**fields) -> Letter:
    base = dict(
        source="x.txt",
        title="Ingelaste JBZ-Raad",
        date=dt.date(2021, 8, 26),
        dossiers=(Dossier("32317", "JBZ-Raad"),),
        number="704",
        sections=(Section(None, (Paragraph("Eerste alinea.", page=1), Paragraph("Tweede alinea.", page=2), Paragraph("Zonder pagina."))),),
        footnotes=(Footnote(4, "Agentschap Frontex.", page=3), Footnote(5, "Zonder pagina.")),
    )
    base.update(fields)
    return Letter(**base)


def test_dossier_numbers_as_printed() -> None:
    assert dossier_text("32317") == "32 317"
    assert dossier_text("21501-20") == "21 501-20"
    assert dossier_text("36410-VI") == "36 410 VI"
    assert dossier_text("36600-B") == "36 600 B"
    assert dossier_text("onbekend") == "onbekend"


def test_a_paragraph_with_its_page_and_without() -> None:
    assert paragraph_quote(letter(), 1) == "Tweede alinea. (Kamerstuk 32 317, nr. 704, p. 2)"
    assert paragraph_quote(letter(), 2) == "Zonder pagina. (Kamerstuk 32 317, nr. 704)"
    assert paragraph_quote(letter(), 3) is None and paragraph_quote(letter(), -1) is None


def test_a_footnote_with_its_page_and_number() -> None:
    assert footnote_quote(letter(), 4) == "Agentschap Frontex. (Kamerstuk 32 317, nr. 704, p. 3, voetnoot 4)"
    assert footnote_quote(letter(), 5) == "Zonder pagina. (Kamerstuk 32 317, nr. 704, voetnoot 5)"
    assert footnote_quote(letter(), 6) is None


def test_without_number_or_dossier() -> None:
    assert citation(letter(number=None)) == "(Kamerstuk 32 317)"
    assert citation(letter(dossiers=()), page=2) == "(“Ingelaste JBZ-Raad”, 26 augustus 2021, p. 2)"
    assert citation(letter(dossiers=(), title=None, date=None), letter_id="brief-1") == "(brief-1)"
