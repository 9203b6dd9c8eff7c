"""Hostile and odd letter files (issue 9, items 7 and 9): every one a one-line LetterError naming the
file and the problem, or a letter, in a second or so; never minutes, gigabytes or a traceback.

Inputs are generated here; the large ones are sparse files or built in memory.
"""

from __future__ import annotations

import io

import pytest

from briefreader.cli import main
from briefreader.load import MAX_PDF_BYTES, MAX_TEXT_BYTES, load_letter
from briefreader.model import LetterError
from briefreader.parse.html import HTML_MAX_DEPTH, HTML_MAX_ELEMENTS, parse_html
from briefreader.parse.xml import XML_MAX_DEPTH, XML_MAX_ELEMENTS, parse_xml

HEAD = b"<officiele-publicatie><kamerstuk><stuk><al>"
TAIL = b"</al></stuk></kamerstuk></officiele-publicatie>"


def refused(path, problem: str, capsys) -> str:
    """The file is refused by the loader and by `briefreader parse` with one line naming it."""
    with pytest.raises(LetterError) as caught:
        load_letter(path)
    assert str(caught.value).startswith(f"{path}: {problem}")
    assert main(["parse", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err
    return str(caught.value)


# --- XML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [XML_MAX_DEPTH + 1, 50_000])
def test_deep_xml_is_refused_while_streaming(tmp_path, capsys, levels):
    path = tmp_path / "diep.xml"
    path.write_bytes(HEAD + b"<nadruk>" * levels + b"x" + b"</nadruk>" * levels + TAIL)
    refused(path, "is XML nested too deeply to be a Kamerstuk", capsys)


def test_half_a_million_levels_stop_at_the_limit_not_at_the_end():
    """Past the size limit as a file; given as bytes, the parser still stops at level 101."""
    with pytest.raises(LetterError, match="nested too deeply"):
        parse_xml(HEAD + b"<nadruk>" * 500_000 + b"x" + b"</nadruk>" * 500_000 + TAIL, "diep.xml")


def test_xml_just_within_the_depth_limit_is_read():
    levels = XML_MAX_DEPTH - 10
    letter = parse_xml(HEAD + b"<nadruk>" * levels + b"diep" + b"</nadruk>" * levels + TAIL, "diep.xml")
    assert [p.text for _i, _s, p in letter.paragraphs()] == ["diep"]


def test_too_many_xml_elements_are_refused(tmp_path, capsys):
    path = tmp_path / "veel.xml"
    path.write_bytes(HEAD + b"<nadruk>x</nadruk>" * (XML_MAX_ELEMENTS + 1) + TAIL)
    refused(path, "is XML with too many elements", capsys)


def test_twenty_thousand_extrefs_in_one_paragraph_are_read_whole():
    """105 s before (quadratic); linear now: every citation is found and the text is whole."""
    n = 20_000
    letter = parse_xml(HEAD + b'zie <extref doc="kst-32317-703">het verslag</extref>, ' * n + TAIL, "links.xml")
    ((_i, _s, paragraph),) = list(letter.paragraphs())
    assert paragraph.text.count("zie het verslag,") == n
    assert len(letter.references) == n and {r.kst_id for r in letter.references} == {"kst-32317-703"}
    last = letter.references[-1]
    assert paragraph.text[last.start : last.end] == "het verslag"


def test_twenty_thousand_footnotes_are_read():
    notes = b"".join(
        b'woord<noot id="n%d" type="voet"><noot.nr>%d</noot.nr><noot.al>noot %d</noot.al></noot> ' % (i, i, i)
        for i in range(1, 20_001)
    )
    letter = parse_xml(HEAD + notes + TAIL, "noten.xml")
    ((_i, _s, paragraph),) = list(letter.paragraphs())
    assert len(letter.footnotes) == 20_000 and letter.footnotes[-1].text == "noot 20000"
    assert [n.n for n in paragraph.notes[:3]] == [1, 2, 3]
    assert paragraph.text[: paragraph.notes[1].at] == "woord woord"


@pytest.mark.parametrize("encoding", [b"x-unknown", b"utf-32"])
def test_an_unreadable_encoding_declaration_is_one_line(tmp_path, capsys, encoding):
    path = tmp_path / "brief.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="' + encoding + b'"?>' + HEAD + b"x" + TAIL)
    refused(path, "declares an XML encoding that can't be read", capsys)


def test_entity_declarations_are_refused_by_defusedxml(tmp_path, capsys):
    path = tmp_path / "bom.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + HEAD + b"&a;" + TAIL)
    refused(path, "declares the XML entity `a`", capsys)


# --- HTML -----------------------------------------------------------------------------------------

PAGE = b"<!DOCTYPE html><html><body><div class='stuk'>%s</div></body></html>"


def test_deep_html_is_refused(tmp_path, capsys):
    path = tmp_path / "diep.html"
    path.write_bytes(PAGE % (b"<div>" * (HTML_MAX_DEPTH + 1) + b"x"))
    refused(path, "is HTML nested too deeply", capsys)


def test_html_just_within_the_depth_limit_is_read():
    letter = parse_html(PAGE % (b"<div>" * (HTML_MAX_DEPTH - 20) + b"<p>Den Haag ligt aan zee.</p>"), "diep.html")
    assert [p.text for _i, _s, p in letter.paragraphs()] == ["Den Haag ligt aan zee."]


def test_too_many_html_elements_are_refused():
    with pytest.raises(LetterError, match="is HTML with too many elements"):
        parse_html(PAGE % (b"<b>x</b>" * (HTML_MAX_ELEMENTS + 1)), "veel.html")


def test_html_expands_only_the_standard_character_references():
    letter = parse_html(PAGE % b"<p>&lol; &amp; &eacute;&#233; &unknown;</p>", "tekens.html")
    assert [p.text for _i, _s, p in letter.paragraphs()] == ["&lol; & éé &unknown;"]


def test_html_markup_and_escapes_in_a_page_are_text(tmp_path):
    path = tmp_path / "brief.html"
    path.write_bytes(PAGE % b"<p>[@click=app.quit]x[/] \x1b]52;c;SGVsbG8=\x07 klaar</p>")
    text = [p.text for _i, _s, p in load_letter(path).paragraphs()]
    assert text == ["[@click=app.quit]x[/] ]52;c;SGVsbG8= klaar"]  # no control character is left


# --- size limits ----------------------------------------------------------------------------------


def sparse(path, size: int):
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def test_a_text_letter_over_the_limit_is_refused_naming_size_and_limit(tmp_path, capsys):
    path = sparse(tmp_path / "groot.txt", MAX_TEXT_BYTES + 1)
    message = refused(path, "is 8.0 MB, larger than briefreader reads as a letter (8.0 MB for TXT)", capsys)
    assert message == f"{path}: is 8.0 MB, larger than briefreader reads as a letter (8.0 MB for TXT)"


def test_any_file_over_the_pdf_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    path = sparse(tmp_path / "enorm.pdf", MAX_PDF_BYTES + 1)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read a file that is too large"))
    with pytest.raises(LetterError, match="larger than briefreader reads as a letter"):
        load_letter(path)


def test_a_text_letter_at_the_limit_is_parsed():
    from briefreader.load import check_size

    check_size("x.txt", "txt", MAX_TEXT_BYTES)  # no error: the limit itself is allowed


# --- PDF ------------------------------------------------------------------------------------------


def test_a_pdf_without_pages_says_so(tmp_path, capsys):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "leeg.pdf"
    path.write_bytes(buffer.getvalue())
    message = refused(path, "is a PDF without pages", capsys)
    assert "success" not in message


def test_a_pdf_over_the_page_limit_is_refused(tmp_path, capsys, monkeypatch):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(3):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "dik.pdf"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr("briefreader.parse.pdf.MAX_PDF_PAGES", 2)
    refused(path, "is a PDF of 3 pages (briefreader reads letters of at most 2)", capsys)
