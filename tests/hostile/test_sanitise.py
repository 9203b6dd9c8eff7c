"""The one sanitiser (`briefreader.sanitise.visible`): every control character shown, never obeyed."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from briefreader.model import Footnote, Letter, Paragraph, Section
from briefreader.sanitise import is_clean, visible, visible_data
from briefreader.terminal import console, dump_json


def obeyable(text: str, newlines: bool = True) -> list[str]:
    """The characters a terminal (or a bidi renderer) would act on."""
    allowed = "\n\t" if newlines else ""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in allowed)
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
        or 0xD800 <= ord(c) <= 0xDFFF
    ]


def test_the_attacks_of_the_issue_are_shown():
    assert visible("Brief \x1b]52;c;SGVsbG8=\x07") == "Brief ␛]52;c;SGVsbG8=␇"
    assert visible("\x1b]0;titel\x07") == "␛]0;titel␇"
    assert visible("\x1b[2J") == "␛[2J"
    assert visible("\x9b2J") == "\\x9b2J"
    assert visible("a\x7fb") == "a␡b"
    assert visible("x\udcff.txt") == "x\\xff.txt"  # a file name byte that is not UTF-8
    assert visible("abc\u202etxt.exe") == "abc\\u202etxt.exe"


def test_newlines_and_tabs_stay_unless_one_line_is_asked_for():
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible("a\nb\tc", newlines=False) == "a␊b␉c"


def test_clean_text_is_returned_as_it_is():
    text = "Kamerstuk 32 317, nr. 704 – Moldavië"
    assert visible(text) is text and is_clean(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200))
def test_fuzz_nothing_obeyable_survives_and_it_is_idempotent(text):
    for newlines in (True, False):
        shown = visible(text, newlines=newlines)
        assert obeyable(shown, newlines) == []
        assert visible(shown, newlines=newlines) == shown
    # Character by character: what a terminal would not obey is kept as it was.
    assert visible(text) == "".join(visible(c) for c in text)
    assert all(visible(c) == c for c in text if not obeyable(c))


def test_visible_data_walks_a_letter():
    letter = Letter(
        source="x\x1b[2J.txt",
        title="Brief \x1b]52;c;SGVsbG8=\x07",
        sections=(Section("Kop\x1b[2J", (Paragraph("tekst\x9b"),)),),
        footnotes=(Footnote(1, "noot\x07"),),
        tags=("a\x1b",),
    )
    shown = visible_data(letter)
    assert shown.title == "Brief ␛]52;c;SGVsbG8=␇"
    assert shown.sections[0].title == "Kop␛[2J"
    assert shown.sections[0].paragraphs[0].text == "tekst\\x9b"
    assert shown.footnotes[0].text == "noot␇" and shown.tags == ("a␛",) and shown.source == "x␛[2J.txt"
    clean = Letter(source="a.txt", title="Titel")
    assert visible_data(clean) is clean


def test_the_console_shows_what_rich_would_pass_through():
    out = io.StringIO()
    made = console(file=out, force_terminal=True, color_system="truecolor", width=80)
    made.print("[bold]titel[/bold] \x1b]52;c;SGVsbG8=\x07 \x1b[2J", markup=True)
    text = out.getvalue()
    # Rich's own styling escape (bold) is there; the data's escapes are shown.
    assert "\x1b[1m" in text
    assert "␛]52;c;SGVsbG8=" in text and "␛[2J" in text
    assert "\x1b]52" not in text and "\x1b[2J" not in text


def test_json_keeps_values_but_escapes_what_a_terminal_would_obey():
    out = io.StringIO()
    dump_json({"title": "a\x1b]52;c;x\x07b\x9bc\u202e"}, out)
    text = out.getvalue()
    assert obeyable(text.replace("\n", "")) == []
    assert json.loads(text) == {"title": "a\x1b]52;c;x\x07b\x9bc\u202e"}
