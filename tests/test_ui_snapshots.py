"""SVG snapshots of the reader's main screens (pytest-textual-snapshot).

After a deliberate change of the look: `pytest tests/test_ui_snapshots.py --snapshot-update`, then
look at the new SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.commands.app import build_app
from ui_fixtures.helpers import build_index, settle, two_letter_corpus


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = two_letter_corpus(tmp_path / "corpus")
    build_index(folder)
    return folder


def test_reader_120x40(snap_compare, corpus: Path) -> None:
    assert snap_compare(build_app(corpus=corpus), terminal_size=(120, 40), run_before=settle)


def test_reader_80x24(snap_compare, corpus: Path) -> None:
    assert snap_compare(build_app(corpus=corpus), terminal_size=(80, 24), run_before=settle)


def test_footnote_popup(snap_compare, corpus: Path) -> None:
    async def open_footnotes(pilot) -> None:
        await settle(pilot)
        await pilot.press("right_square_bracket", "f")
        await settle(pilot)

    assert snap_compare(build_app(corpus=corpus), terminal_size=(100, 30), run_before=open_footnotes)


def test_help_80x24(snap_compare, corpus: Path) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(build_app(corpus=corpus), terminal_size=(80, 24), run_before=open_help)
