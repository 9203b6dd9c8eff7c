"""render.py: model and hits -> Content, with links and highlights as spans, never markup."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from textual.style import Style

from briefreader.model import Dossier, Footnote, Letter, Note, Paragraph, Reference, Signatory
from briefreader.ui import render
from briefreader.ui.render import FOCUSED_LINK_STYLE, MATCH_STYLE, Link

MARKUP = "[@click=app.quit]quit[/] [bold] [/] [@click=app.bell('[')]x[/]"


def clicks(content) -> list[tuple[str, str]]:
    """(text under the span, its @click action) for every clickable span."""
    found = []
    for span in content.spans:
        if isinstance(span.style, Style) and "@click" in span.style.meta:
            found.append((content.plain[span.start : span.end], span.style.meta["@click"]))
    return found


def styled(content, style) -> list[str]:
    return [content.plain[span.start : span.end] for span in content.spans if span.style == style]


def test_superscript_and_dutch_date() -> None:
    assert render.superscript(1) == "¹"
    assert render.superscript(12) == "¹²"
    assert render.dutch_date(dt.date(2021, 8, 26)) == "26 augustus 2021"
    assert render.dutch_date("2020-01-05") == "5 januari 2020"
    assert render.dutch_date(None) == ""


def test_markers_are_superscript_links_where_they_stood() -> None:
    paragraph = Paragraph("EASO en Frontex, en Litouwen.", notes=(Note(3, 4), Note(4, 15)))
    links = render.paragraph_links(0, paragraph, [], start_index=7)
    assert [(link.index, link.kind, link.target, link.start) for link in links] == [
        (7, "footnote", 3, 4),
        (8, "footnote", 4, 15),
    ]
    content = render.paragraph_content(paragraph, links)
    assert content.plain == "EASO³ en Frontex⁴, en Litouwen."
    assert clicks(content) == [("³", "link(7)"), ("⁴", "link(8)")]


def test_highlights_shift_with_the_markers_and_the_focused_link_is_reversed() -> None:
    paragraph = Paragraph("Frontex en Frontex helpt.", notes=(Note(1, 7),))
    links = render.paragraph_links(0, paragraph, [], 0)
    content = render.paragraph_content(paragraph, links, highlights=[(0, 7), (11, 18), (40, 50)], focused=0)
    assert content.plain == "Frontex¹ en Frontex helpt."
    assert styled(content, MATCH_STYLE) == ["Frontex", "Frontex"]
    assert styled(content, FOCUSED_LINK_STYLE) == ["¹"]


def test_citations_are_links_over_their_text() -> None:
    text = "Zie ook Kamerstuk 32 317, nr. 703 voor meer."
    reference = Reference("32317", "703", "Kamerstuk 32 317, nr. 703", paragraph=0, start=8, end=33)
    paragraph = Paragraph(text, notes=(Note(1, len(text)),))
    links = render.paragraph_links(0, paragraph, [(reference, "other-letter")], 0)
    assert [(link.kind, link.target) for link in links] == [("letter", "other-letter"), ("footnote", 1)]
    content = render.paragraph_content(paragraph, links)
    assert clicks(content) == [("Kamerstuk 32 317, nr. 703", "link(0)"), ("¹", "link(1)")]


def test_urls_in_footnotes_are_whole_and_without_trailing_punctuation() -> None:
    text = "Zie: https://example.org/a-b/c_d.html. En www.rijksoverheid.nl/x)."
    assert [text[s:e] for s, e in render.find_urls(text)] == [
        "https://example.org/a-b/c_d.html",
        "www.rijksoverheid.nl/x",
    ]
    footnote = Footnote(5, text)
    links = render.footnote_links(footnote, [], 0)
    assert [link.target for link in links] == ["https://example.org/a-b/c_d.html", "www.rijksoverheid.nl/x"]
    content = render.footnote_content(footnote, links)
    assert content.plain == "5 " + text
    assert [action for _text, action in clicks(content)] == ["link(0)", "link(1)"]


def test_markup_like_text_stays_text() -> None:
    paragraph = Paragraph(MARKUP, notes=(Note(1, len(MARKUP)),))
    content = render.paragraph_content(paragraph, render.paragraph_links(0, paragraph, [], 0))
    assert content.plain == MARKUP + "¹"
    # The only clickable span is the footnote marker.
    assert clicks(content) == [("¹", "link(0)")]
    letter = Letter(
        source="x.txt",
        title=MARKUP,
        date=dt.date(2020, 1, 10),
        dossiers=(Dossier("32317", "[b]JBZ[/b]"),),
        addressee="Aan [@click=app.quit]de Kamer[/]",
        signatories=(Signatory("[i]Minister[/i]", "[/]"),),
    )
    header = render.letter_header(letter)
    assert MARKUP in header.plain and "[b]JBZ[/b]" in header.plain and "[i]Minister[/i]" in header.plain
    assert clicks(header) == []
    hit = SimpleNamespace(
        letter="x", title=MARKUP, date="2020-01-10", section="[bold]", paragraph=0, footnote=None,
        snippet=MARKUP, highlights=((17, 21),), score=1.0,
    )
    shown = render.hit_content(hit)
    assert shown.plain.count(MARKUP) == 2 and "§ [bold]" in shown.plain
    assert styled(shown, MATCH_STYLE) == ["quit"]
    assert clicks(shown) == []
    assert render.tree_letter_label("2020-01-10", MARKUP).plain == "2020-01-10 " + MARKUP


def test_link_descriptions_and_short_titles() -> None:
    assert Link(0, "footnote", ("p", 0), 3, 3, 2).description == "footnote 2"
    assert render.short_title("een twee drie vier", "x", limit=10) == "een twee…"
    assert render.short_title(None, "fallback") == "fallback"


def test_palette_names_match_words_anywhere_and_fuzzily() -> None:
    from briefreader.ui.palette import match_name

    name = "Verslag IPCR · 2021-08-26 Ingelaste JBZ-Raad"
    exact = match_name(["ipcr"], name)
    fuzzy = match_name(["vslg"], name)
    assert exact is not None and fuzzy is not None and exact[0] > fuzzy[0]
    assert [name[i] for i in exact[1]] == list("IPCR")
    assert match_name(["ipcr", "jbz"], name) is not None
    assert match_name(["frontex"], name) is None


def test_control_characters_are_shown_and_spans_stay_on_their_words() -> None:
    # ESC shows as one visible character; a C1 control (CSI, 0x9b) and a bidi override as escapes
    # several characters long: the highlight and the marker must still sit on "Frontex".
    text = "\x1b[2J a\x9bb \u202e Frontex helpt."
    paragraph = Paragraph(text, notes=(Note(1, text.index(" helpt")),))
    start = text.index("Frontex")
    content = render.paragraph_content(paragraph, render.paragraph_links(0, paragraph, [], 0), highlights=[(start, start + 7)])
    assert content.plain == "␛[2J a\\x9bb \\u202e Frontex¹ helpt."
    assert styled(content, MATCH_STYLE) == ["Frontex"]
    assert clicks(content) == [("¹", "link(0)")]
    assert "\x1b" not in render.tree_letter_label("2020-01-01", "Brief \x1b]52;c;SGVsbG8=\x07").plain
    assert render.one_line("a\nb\x07") == "a␊b␇"
    assert render.message("Kopie\x1b[2J") == "Kopie␛[2J"
