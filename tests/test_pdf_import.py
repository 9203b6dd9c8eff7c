"""Importing PDFs: generated Kamerstuk-like PDFs must read as the same letter as their text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_fixtures import kstpdf

from briefreader.cli import main
from briefreader.load import load_letter
from briefreader.model import Letter, LetterError
from briefreader.parse import parse_bytes
from briefreader.parse.pdf import extract_text, parse_pdf

pytest.importorskip("fpdf")

FONTS = ["core"] + (["ttf"] if kstpdf.DEJAVU.is_file() and kstpdf.DEJAVU_BOLD.is_file() else [])


def shape(letter: Letter):
    """What must be equal between formats: sections, paragraphs with markers, footnotes, references."""
    return (
        [(s.title, [(p.text, p.kind, p.notes) for p in s.paragraphs]) for s in letter.sections],
        letter.footnotes,
        [(r.kst_id, r.text, r.paragraph, r.footnote, r.start, r.end) for r in letter.references],
    )


@pytest.fixture(scope="module", params=[(font, first) for font in FONTS for first in (False, True)], ids=lambda p: f"{p[0]}-{'furniture-first' if p[1] else 'body-first'}")
def generated(request, tmp_path_factory):
    font, furniture_first = request.param
    spec = kstpdf.sample_spec()
    path = tmp_path_factory.mktemp("pdf") / "kst-29362-412.pdf"
    kstpdf.render_pdf(spec, path, font=font, furniture_first=furniture_first)
    text = kstpdf.render_text(spec, font=font)
    return spec, path, text


def page_lines(spec, font: str, page: int) -> list[str]:
    """The body lines of a page as laid out (the line breaks depend on the font)."""
    return [kstpdf._runs_text(line.runs) for line in kstpdf.layout(spec, font)[page].body]


def test_the_pdf_has_the_kamerstuk_layout(generated):
    """The generator really makes what the tests claim: two pages, footers, footnotes, superscripts."""
    _spec, path, text = generated
    pages = text.split("\f")
    assert len(pages) == 2
    assert all("Tweede Kamer, vergaderjaar 2022–2023, 29 362, nr. 412" in page for page in pages)
    assert "kst-29362-412\nISSN 0921 - 7371" in pages[0]
    # The second page starts inside a paragraph, in lower case.
    assert pages[1][0].islower()
    assert any(line.endswith("-") for line in text.splitlines())


def test_pdf_reads_as_the_same_letter_as_its_text(generated):
    _spec, path, text = generated
    from_pdf = load_letter(path)
    from_text = parse_bytes(text.encode("utf-8"), source="same.txt")
    assert shape(from_pdf) == shape(from_text)
    assert (from_pdf.title, from_pdf.date, from_pdf.dossiers, from_pdf.number, from_pdf.signatories) == (
        from_text.title,
        from_text.date,
        from_text.dossiers,
        from_text.number,
        from_text.signatories,
    )
    assert from_pdf.warnings == ()


def test_pdf_paragraphs_and_markers_are_those_written(generated):
    """Independent of the text layout: every paragraph whole, each marker where it was written."""
    spec, path, _text = generated
    letter = load_letter(path)
    got = [(p.text, [(n.n, n.at) for n in p.notes]) for _i, _s, p in letter.paragraphs()]
    assert got == kstpdf.expected_paragraphs(spec)
    assert [s.title for s in letter.sections] == [
        None,
        "Openbaarheid van informatie",
        "Informatiehuishouding",
        "Uitvoering en financiering",
    ]
    assert [f.text for f in letter.footnotes] == [spec.footnotes[n] for n in sorted(spec.footnotes)]
    assert str(letter.date) == "2023-03-14" and letter.kst_id == "kst-29362-412"
    assert [(s.function, s.name) for s in letter.signatories] == [
        ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "H.G.J. Bruins Slot")
    ]


def test_superscript_markers_are_glued_to_their_word(generated):
    _spec, path, _text = generated
    text = extract_text(path.read_bytes())
    assert "Open Overheid1. In mijn brief" in text
    assert "gedaald2. Toch" in text
    assert "zichtbaar.3" in text
    # No line consisting of a detached marker's punctuation.
    assert not [line for line in text.splitlines() if line.strip() in {".", ",", "1", "2", "3", "4"}]


def test_pdf_extraction_puts_footnotes_after_the_body_of_their_page(generated, request):
    spec, path, _text = generated
    font = request.node.callspec.params["generated"][0]
    first_page = extract_text(path.read_bytes()).split("\f")[0].splitlines()
    last_body_line = page_lines(spec, font, 0)[-1]
    assert first_page.index("1 Kamerstuk 29 362, nr. 320.") > first_page.index(last_body_line)


def test_running_footers_and_colophon_do_not_reach_the_letter(generated):
    _spec, path, _text = generated
    letter = load_letter(path)
    everything = " ".join(p.text for _i, _s, p in letter.paragraphs()) + " ".join(f.text for f in letter.footnotes)
    for furniture in ("vergaderjaar", "ISSN", "kst-29362-412", "’s-Gravenhage"):
        assert furniture not in everything


def test_a_paragraph_over_the_page_break_stays_whole(generated, request):
    spec, path, _text = generated
    font = request.node.callspec.params["generated"][0]
    letter = load_letter(path)
    end_of_page, start_of_next = page_lines(spec, font, 0)[-1], page_lines(spec, font, 1)[0]
    assert start_of_next[0].islower()  # the page really breaks inside a sentence
    end, start = end_of_page.split()[-3:], start_of_next.split()[:3]
    if end[-1].endswith("-"):  # a hyphenated word across the break (a syllable break: joined)
        joined = " ".join(end[:-1] + [end[-1][:-1] + start[0]] + start[1:])
    else:
        joined = " ".join(end + start)
    assert any(joined in p.text for _i, _s, p in letter.paragraphs()), joined


def test_parse_command_reads_a_pdf(generated, capsys):
    _spec, path, _text = generated
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == "412" and len(data["footnotes"]) == 4
    assert data["sections"][1]["title"] == "Openbaarheid van informatie"


def _pdf_without_text(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.line(10, 10, 100, 100)  # a drawing, no text: what a scan without OCR looks like to us
    pdf.output(str(path))
    return path


def _encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(text="Den Haag, 1 maart 2023")
    pdf.set_encryption(owner_password="o", user_password="u", encryption_method=EncryptionMethod.RC4)
    pdf.output(str(path))
    return path


def _writer(data: bytes):
    def write(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return write


@pytest.mark.parametrize(
    "make, problem",
    [
        (_writer(b"Den Haag, 1 maart 2023\nDit is tekst, geen PDF.\n"), "is not a PDF file"),
        (_writer(b"%PDF-1.4\n1 0 obj garbage"), "is a damaged PDF"),
        (_pdf_without_text, "has no text layer"),
        (_encrypted_pdf, "is a password-protected PDF"),
    ],
    ids=["text-named-pdf", "damaged", "no-text", "encrypted"],
)
def test_unreadable_pdfs_give_one_clear_line(tmp_path, capsys, make, problem):
    path = make(tmp_path / "brief.pdf")
    with pytest.raises(LetterError) as caught:
        load_letter(path)
    assert str(caught.value).startswith(f"{path}: {problem}")
    assert main(["parse", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err


def test_parse_pdf_without_a_file(generated):
    """The parser works on bytes, so the reader and `add` can parse before anything is written."""
    _spec, path, _text = generated
    letter = parse_pdf(path.read_bytes(), source="upload.pdf")
    assert letter.source == "upload.pdf" and len(letter.footnotes) == 4
