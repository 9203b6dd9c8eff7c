"""briefreader.ui.layout: line breaking (the same breaks as Textual's own wrapping) and block positions."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content
from ui_fixtures.long_letter import long_letter

from briefreader.ui.layout import Layout, wrap


def lines(text: str, width: int, hang: int = 0) -> list[str]:
    return [text[start:end] for start, end in wrap(text, width, hang=hang)]


def test_breaks_at_spaces_and_never_wider_than_the_width() -> None:
    text = "De minister heeft de Kamer geïnformeerd over de stand van zaken."
    assert lines(text, 20) == ["De minister heeft de", "Kamer geïnformeerd", "over de stand van", "zaken."]
    for width in range(12, 70):  # from the longest word up: nothing is folded
        assert all(len(line) <= width for line in lines(text, width))
        assert " ".join(lines(text, width)) == text


@pytest.mark.parametrize("width", [20, 37, 61, 80, 110])
def test_the_same_lines_as_textuals_own_wrapping_on_real_paragraphs(width: int) -> None:
    for _position, _section, paragraph in list(long_letter().paragraphs())[:60]:
        ours = lines(paragraph.text, width)
        theirs = [line.plain.rstrip() for line in Content(paragraph.text).wrap(width)]
        assert ours == theirs


def test_the_edges_a_long_word_newlines_wide_characters_and_a_hang() -> None:
    url = "https://www.rijksoverheid.nl/documenten/kamerstukken/2024/03/01/brief"
    assert lines(f"Zie {url} hier", 30) == ["Zie", url[:30], url[30:60], url[60:] + " hier"]
    assert lines("een\ntwee drie", 80) == ["een", "twee drie"]
    assert lines("", 10) == [""]
    assert lines("ｗｉｄｅ ｗｉｄｅ", 8) == ["ｗｉｄｅ", "ｗｉｄｅ"]  # four characters, eight cells each
    # Exactly the width fits; one more cell breaks.
    assert lines("abcd efgh", 9) == ["abcd efgh"]
    assert lines("abcd efgh", 8) == ["abcd", "efgh"]
    # A hanging indent: the lines after the first are `hang` cells narrower.
    assert lines("12 aaaa bbbb cccc", 9, hang=3) == ["12 aaaa", "bbbb", "cccc"]


def test_the_characters_taken_as_narrow_are_one_cell_wide_as_rich_measures_them() -> None:
    # The line-at-a-time breaking counts one cell per character for these (and the view draws
    # with Rich's measure): a Rich that measured one of them otherwise would break lines wrongly.
    from rich.cells import get_character_cell_size

    from briefreader.ui.layout import _NARROW, NARROW_RANGES

    wrong = [
        f"U+{code:04X}"
        for low, high in NARROW_RANGES
        for code in range(low, high + 1)
        if chr(code).isspace() or get_character_cell_size(chr(code)) != 1
    ]
    assert wrong == []
    assert {"’", "“", "–", "…", "¹", "€", "é", "ß", "ł"} <= _NARROW and not _NARROW & {"\t", "\u00a0", "\u0301", "世"}


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(["a", "b", "é", "’", "¹", " ", " ", "\t", "\u00a0", "世", "\n", "\u0301"]), max_size=60),
    width=st.integers(1, 14),
    hang=st.integers(0, 6),
)
def test_line_at_a_time_breaking_gives_the_word_by_word_breaks(text: str, width: int, hang: int) -> None:
    # Narrow text breaks a line at a time (rfind); anything else word by word: same breaks.
    from briefreader.ui import layout

    hang = min(hang, width - 1)
    expected, start, first = [], 0, True
    for line in text.split("\n"):
        expected += layout._wrap_words(text, start, start + len(line), width, hang, first)
        start, first = start + len(line) + 1, False
    assert wrap(text, width, hang=hang) == expected


def test_a_layout_measures_only_as_far_as_asked_and_the_rest_in_steps() -> None:
    heights = [random.Random(n).randint(1, 9) for n in range(1000)]
    measured: list[int] = []

    def measure(index: int) -> int:
        measured.append(index)
        return heights[index]

    layout = Layout(len(heights), measure, lambda index: 5)
    assert layout.height == 5000 and layout.measured == 0
    assert layout.block_at(0) == 0 and layout.measured == 1
    assert layout.block_at(30) is not None and layout.measured < 15
    assert layout.top(100) == sum(heights[:100]) and layout.measured == 101
    assert layout.height == sum(heights[:101]) + 5 * 899
    while not layout.step(0.0001):
        pass
    assert layout.done and layout.height == sum(heights)
    assert measured == list(range(1000))  # each block once, in order
    assert layout.block_at(sum(heights)) is None and layout.block_at(sum(heights) - 1) == 999
