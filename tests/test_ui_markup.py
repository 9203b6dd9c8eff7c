"""A letter whose text looks like Textual markup shows it literally, and clicking it does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.style import Style
from textual.widgets import Static

from briefreader.commands.app import build_app
from briefreader.ui.screens.footnotes import FootnoteScreen
from ui_fixtures.helpers import MARKUP_LETTER, build_index, find_on_screen, markup_corpus, screen_text, settle

LITERAL = ["[@click=app.quit]quit[/]", "[bold]vet[/bold]", "[/]", "[@click=app.bell('[')]x[/]", "[red]kleur[/red]"]


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = markup_corpus(tmp_path / "corpus")
    build_index(folder)
    return folder


def click_actions(app) -> list[str]:
    """Every @click action in the letter view's text."""
    actions = []
    for widget in app.reader.view.query(Static):
        content = widget.visual
        for span in getattr(content, "spans", ()):
            if isinstance(span.style, Style) and "@click" in span.style.meta:
                actions.append(span.style.meta["@click"])
            elif isinstance(span.style, str) and "@click" in span.style:
                actions.append(span.style)
    return actions


async def test_markup_in_a_letter_is_shown_literally_and_is_not_clickable(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    bells: list[bool] = []
    app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        assert view.letter_id == MARKUP_LETTER
        text = screen_text(app)
        for literal in LITERAL:
            assert literal in text, literal
        assert "Opmaak [@click=app.quit]quit[/] [bold]titel" in text  # the title, from the sidecar
        assert "$accent variabelen" in text
        # The footnote marker is the one link in the letter.
        assert click_actions(app) == ["link(0)"]
        # Clicking the look-alike links does nothing: the app neither quits nor rings.
        for literal in ("[@click=app.quit]quit[/]", "[@click=app.bell('[')]x[/]"):
            x, y = find_on_screen(app, literal)
            for offset in (0, len(literal) // 2, len(literal) - 1):
                await pilot.click(offset=(x + offset, y))
            await pilot.pause()
            assert app.is_running
            assert app.screen is app.reader
        assert bells == []
        # The footnote's markup is literal in the popup too.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FootnoteScreen)
        assert "Voetnoot met [@click=app.quit]quit[/] en [b]opmaak[/b]." in screen_text(app)
        await pilot.press("escape")
        # Searching for it shows the snippet literally; a query made of markup is just a query.
        await pilot.press("slash", *"quit")
        await settle(pilot)
        assert app.reader.panel.result.hits
        panel_text = screen_text(app)
        assert "[@click=app.quit]quit[/]" in panel_text
        app.reader.panel.input.value = "[bold] [/] [@click=app.quit]"
        await settle(pilot)
        assert app.is_running
        assert app.reader.panel.result is not None
