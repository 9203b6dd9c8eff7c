"""briefreader.export: a letter as Markdown with front matter and footnotes."""

from __future__ import annotations

import datetime as dt

import yaml

from briefreader.export import escape_markdown, letter_markdown
from briefreader.model import Dossier, Footnote, Letter, Note, Paragraph, Section, Signatory


def test_front_matter_headings_paragraphs_items_and_footnotes(corpus_letter: Letter) -> None:
    text = letter_markdown(corpus_letter, letter_id="2021-08-26-jbz")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert meta["id"] == "2021-08-26-jbz" and meta["date"] == "2021-08-26"
    assert meta["dossiers"] == [{"number": "32317", "title": "JBZ-Raad"}]
    assert meta["signatories"][0]["name"] == "A. Broekers-Knol"
    assert body.lstrip().startswith("# Ingelaste JBZ-Raad van 31 augustus 2021")
    assert "\n## Verslag IPCR\n" in body
    # Markers where they stood, the notes at the end, one each.
    assert "asielpact[^1]. Het kabinet" in body
    assert "EASO[^3] en Frontex[^4]" in body
    for footnote in corpus_letter.footnotes:
        assert body.count(f"\n[^{footnote.n}]: ") == 1
    assert body.endswith("\n")


def test_letter_text_is_data_not_markdown() -> None:
    letter = Letter(
        source="x.txt",
        title="Over *sterren* en [links](http://x)",
        date=dt.date(2020, 1, 1),
        dossiers=(Dossier("32317"),),
        signatories=(Signatory("De Minister", "A_B"),),
        sections=(
            Section("# Kop", (
                Paragraph("- geen lijst, 1. geen nummer, `code` en <b>html</b>", notes=(Note(1, 4),)),
                Paragraph("1. een echt item", "item"),
                Paragraph("nog een item", "item"),
            )),
        ),
        footnotes=(Footnote(1, "Zie _dit_."),),
    )
    text = letter_markdown(letter)
    assert "# Over \\*sterren\\* en \\[links\\](http://x)" in text
    assert "## \\# Kop" in text
    assert "\\- ge[^1]en lijst, 1. geen nummer, \\`code\\` en \\<b\\>html\\</b\\>" in text
    assert "- 1\\. een echt item\n- nog een item" in text
    assert "[^1]: Zie \\_dit\\_." in text
    assert "A\\_B" in text
    assert escape_markdown("+ plus\n> quote") == "\\+ plus\n\\> quote"
