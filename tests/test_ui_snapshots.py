"""SVG snapshots of the reader's main screens (pytest-textual-snapshot).

After a deliberate change of the look: `pytest tests/test_ui_snapshots.py --snapshot-update`, then
look at the new SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest
from ui_fixtures.helpers import settle

from briefreader.commands.app import build_app


@pytest.fixture
def app_for(reader_corpus):
    corpus, index_dir = reader_corpus
    return lambda: build_app(corpus=corpus, index_dir=index_dir)


def test_reader_120x40(snap_compare, app_for) -> None:
    assert snap_compare(app_for(), terminal_size=(120, 40), run_before=settle)


def test_reader_80x24(snap_compare, app_for) -> None:
    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=settle)


def test_footnote_popup(snap_compare, app_for) -> None:
    async def open_footnotes(pilot) -> None:
        await settle(pilot)
        await pilot.press("right_square_bracket", "f")
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=(100, 30), run_before=open_footnotes)


def test_help_80x24(snap_compare, app_for) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=open_help)


def test_search_panel_120x40(snap_compare, app_for) -> None:
    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.reader.panel.input.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        pilot.app.reader.panel.input.value = "migratiestroom"
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=(120, 40), run_before=search)
