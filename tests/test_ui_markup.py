"""Outside text in the reader is shown, never obeyed: markup stays literal, terminal escapes become
visible, and the only click actions on screen are the reader's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ui_fixtures.helpers import (
    CORPUS_LETTER,
    MARKUP_LETTER,
    build_index,
    find_on_screen,
    markup_corpus,
    screen_text,
    settle,
    two_letter_corpus,
    wait_for,
)

from briefreader.commands.app import build_app
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.screens.marks import MarkPrompt

LITERAL = ["[@click=app.quit]quit[/]", "[bold]vet[/bold]", "[/]", "[@click=app.bell('[')]x[/]", "[red]kleur[/red]"]
#: OSC 52 (rewrite the clipboard), and clear the screen: as a sidecar title and a file name hold them.
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
CLEAR = "\x1b[2J"
#: How they must look on screen: the control pictures for ESC and BEL.
OSC52_SHOWN = "␛]52;c;SGVsbG8=␇"
CLEAR_SHOWN = "␛[2J"
#: Click actions of Textual's own widgets (the footer's keys); everything else must be `link(N)`.
OWN_ACTION = re.compile(r"^link\(\d+\)$")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = markup_corpus(tmp_path / "corpus")
    build_index(folder)
    return folder


def click_actions(app) -> set[str]:
    """Every @click action anywhere on the screen (read cell by cell through the public style lookup)."""
    actions = set()
    width, height = app.size
    for y in range(height):
        for x in range(width):
            meta = app.screen.get_style_at(x, y).meta
            if "@click" in meta:
                actions.add(meta["@click"])
    return actions


def assert_nothing_obeyed(app) -> None:
    text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    foreign = {action for action in click_actions(app) if not OWN_ACTION.match(action) and not action.startswith("app.simulate_key")}
    assert not foreign, foreign


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
        assert [link.kind for link in view.links] == ["footnote"]
        assert {action for action in click_actions(app) if action.startswith("link")} == {"link(0)"}
        assert_nothing_obeyed(app)
        # Clicking the look-alike links does nothing: the app neither quits nor rings.
        for literal in ("[@click=app.quit]quit[/]", "[@click=app.bell('[')]x[/]"):
            x, y = find_on_screen(app, literal)
            for offset in (0, len(literal) // 2, len(literal) - 1):
                await pilot.click(offset=(x + offset, y))
            assert app.is_running
            assert app.screen is app.reader
        assert bells == []
        # The footnote's markup is literal in the popup too.
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert "Voetnoot met [@click=app.quit]quit[/] en [b]opmaak[/b]." in screen_text(app)
        await pilot.press("escape")
        # Searching for it shows the snippet literally; a query made of markup is just a query.
        await pilot.press("slash")
        panel = app.reader.panel
        panel.input.value = "quit"
        await wait_for(pilot, lambda: panel.shown_query == "quit", "the results")
        assert panel.listing.letters
        assert "[@click=app.quit]quit[/]" in screen_text(app)
        panel.input.value = "[bold] [/] [@click=app.quit]"
        await wait_for(pilot, lambda: panel.shown_query == "[bold] [/] [@click=app.quit]", "the results")
        assert app.is_running and panel.result is not None
        assert_nothing_obeyed(app)


async def test_terminal_escapes_in_titles_file_names_and_queries_are_shown_not_sent(tmp_path: Path) -> None:
    corpus = two_letter_corpus(tmp_path / "corpus")
    # The newest letter's sidecar title holds OSC 52 and a screen clear, and markup.
    sidecar = corpus / f"{CORPUS_LETTER}.yaml"
    text = sidecar.read_text(encoding="utf-8")
    title = 'title: "Brief \\e]52;c;SGVsbG8=\\a wis \\e[2J [@click=app.quit]x[/]"'  # YAML's own escapes for ESC, BEL
    text = re.sub(r"^title: .*$", lambda _match: title, text, flags=re.M)
    sidecar.write_text(text, encoding="utf-8")
    # A letter whose file name holds a screen clear, and no title of its own.
    hostile = corpus / f"2019-01-01-naam{CLEAR}.txt"
    hostile.write_bytes((corpus / "2021-08-18-verslag-jbz-raad.txt").read_bytes().replace(b"VEILIGHEID", b"", 1))
    build_index(corpus)
    app = build_app(corpus=corpus)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        reader = app.reader
        assert reader.view.letter_id == CORPUS_LETTER
        shown = screen_text(app)
        # The header and the tree show the title visibly (the tree cuts it short).
        assert f"Brief {OSC52_SHOWN} wis {CLEAR_SHOWN} [@click=app.quit]x[/]" in shown
        assert f"2021-08-26 Brief {OSC52_SHOWN}" in shown
        assert f"naam{CLEAR_SHOWN}" in shown
        assert_nothing_obeyed(app)
        # The palette.
        await pilot.press("ctrl+p", *"SGVsbG8")
        await wait_for(pilot, lambda: f"2021-08-26 Brief {OSC52_SHOWN}" in screen_text(app).split("▕", 1)[-1], "the palette")
        assert_nothing_obeyed(app)
        await pilot.press("escape")
        # The search panel, with a pasted escape in the query.
        await pilot.press("slash")
        panel = reader.panel
        panel.input.value = f"Frontex {CLEAR}"
        await wait_for(pilot, lambda: panel.shown_query == f"Frontex {CLEAR_SHOWN}", "the results")
        assert f"Frontex {CLEAR_SHOWN}" in screen_text(app)
        panel.input.value = "Frontex"
        await wait_for(pilot, lambda: panel.shown_query == "Frontex", "the results")
        assert f"Brief {OSC52_SHOWN}" in screen_text(app)
        assert_nothing_obeyed(app)
        # A notification with the title in it (setting a mark names the letter).
        await pilot.press("escape")
        reader.view.focus()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MarkPrompt), "the mark prompt")
        await pilot.press("a")
        await wait_for(pilot, lambda: "Mark a: 2021-08-26 Brief ␛]52" in screen_text(app), "the notification")
        assert_nothing_obeyed(app)
