"""The reader, driven through Textual's pilot on small corpora with a real index in a tmp cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.commands.app import build_app
from briefreader.ui.render import MATCH_STYLE
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.screens.help import HelpScreen
from briefreader.ui.widgets.letter_view import LetterView
from ui_fixtures.helpers import (
    CITED_LETTER,
    CORPUS_LETTER,
    build_index,
    find_on_screen,
    screen_text,
    settle,
    two_letter_corpus,
)


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own index cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = two_letter_corpus(tmp_path / "corpus")
    build_index(folder)
    return folder


def highlighted(view: LetterView, anchor) -> list[str]:
    """The words shown highlighted as search matches in a block of the letter view."""
    content = view.blocks[anchor].visual
    return [content.plain[span.start : span.end] for span in content.spans if span.style == MATCH_STYLE]


def letter_top(app, lines: int = 2) -> str:
    """The first lines of the letter pane as shown."""
    view = app.reader.view
    rows = screen_text(app).splitlines()[view.region.y : view.region.y + lines]
    return "\n".join(row[view.region.x : view.region.right] for row in rows)


def paragraph_with(view: LetterView, word: str) -> int:
    for position, _section, paragraph in view.letter.paragraphs():
        if word in paragraph.text:
            return position
    raise AssertionError(word)


async def test_opens_the_newest_letter_with_its_header_and_tree(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        assert view.letter_id == CORPUS_LETTER
        text = screen_text(app)
        assert "Ingelaste JBZ-Raad van 31 augustus 2021" in text
        assert "26 augustus 2021" in text and "Kamerstuk 32317 JBZ-Raad" in text and "nr. 704" in text
        assert "A. Broekers-Knol" in text
        # Both letters share dossier 32317: one group, newest first, sections under the open letter.
        tree = app.reader.letter_tree
        group = tree.root.children[0]
        assert str(group.label).startswith("32317 JBZ-Raad (2)")
        assert [child.data.letter for child in group.children] == [CORPUS_LETTER, CITED_LETTER]
        sections = [str(node.label) for node in group.children[0].children]
        assert sections == ["(opening)", "Verslag IPCR"]


async def test_a_section_in_the_tree_opens_the_letter_there(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.reader.letter_tree
        tree.focus()
        node = next(n for n in tree.root.children[0].children[0].children if str(n.label) == "Verslag IPCR")
        tree.move_cursor(node)
        await pilot.press("enter")
        await settle(pilot)
        view = app.reader.view
        assert view.scroll_y > 0
        # The section heading is at the top of the letter pane.
        assert "Verslag IPCR" in letter_top(app)
        # ] and [ move between sections: back to the top, then to the footnotes.
        view.focus()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "Verslag IPCR" in letter_top(app)


async def test_a_footnote_opens_and_closes_without_losing_the_place(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        view.scroll_to_anchor(("p", paragraph_with(view, "EASO")))
        await settle(pilot)
        before = view.scroll_y
        assert before > 0
        # Click the superscript 4 after "Frontex".
        x, y = find_on_screen(app, "Frontex⁴")
        await pilot.click(offset=(x + len("Frontex"), y))
        await pilot.pause()
        assert isinstance(app.screen, FootnoteScreen)
        assert app.screen.numbers == [4]
        assert "Agentschap voor het beheer van de operationele samenwerking" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FootnoteScreen)
        assert view.scroll_y == before


async def test_keyboard_alone_reaches_every_footnote_and_copies_the_url(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        seen: set[int] = set()
        # Page through the letter; on each page Tab walks the markers and Enter opens them.
        while True:
            await pilot.press("tab")
            while view.focused_link is not None and app.screen.focused is view:
                link = view.links[view.focused_link]
                if link.kind == "footnote" and int(link.target) not in seen:
                    await pilot.press("enter")
                    assert isinstance(app.screen, FootnoteScreen)
                    assert app.screen.numbers == [link.target]
                    seen.update(app.screen.numbers)
                    await pilot.press("escape")
                    assert app.screen is app.reader
                await pilot.press("tab")
            # Past the last link on screen Tab moved on to the next pane: come back, page down.
            assert app.screen.focused is not view
            view.focus()
            if view.scroll_y >= view.max_scroll_y:
                break
            await pilot.press("pagedown")
        assert seen == {1, 2, 3, 4, 5}

        # Footnote 5's URL is whole in the popup, and `c` copies it.
        view.post_message(LetterView.FootnotesRequested((5,)))
        await pilot.pause()
        url = "https://slovenian-presidency.consilium.europa.eu/en/news/home-affairs-ministers-express-solidarity-with-the-eu-member-states-at-the-border-with-belarus/"
        popup = app.screen
        assert isinstance(popup, FootnoteScreen)
        assert [link.target for link in popup.links if link.kind == "url"] == [url]
        await pilot.press("c")
        assert app.clipboard == url


async def test_f_shows_the_footnotes_on_screen(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        view.scroll_to_anchor(("p", paragraph_with(view, "EASO")))
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FootnoteScreen)
        assert {2, 3, 4} <= set(app.screen.numbers)
        assert "Europees Ondersteuningsbureau voor Asielzaken." in screen_text(app)


async def test_a_citation_opens_the_cited_letter_and_back_returns_exactly(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        # Footnote 2 of the corpus letter cites Kamerstuk 32 317, nr. 703: a link to the other letter.
        await pilot.press("G")
        await pilot.pause()
        before = view.scroll_y
        assert before > 0
        x, y = find_on_screen(app, "32 317, nr. 703")
        await pilot.click(offset=(x, y))
        await settle(pilot)
        assert view.letter_id == CITED_LETTER
        assert "Verslag van de informele JBZ-Raad" in screen_text(app)
        # The cited letter shows who cites it, and cites the first letter back in its text.
        assert "Cited by: 2021-08-26 Ingelaste JBZ-Raad" in screen_text(app)
        await pilot.press("b")
        await settle(pilot)
        assert view.letter_id == CORPUS_LETTER
        assert view.scroll_y == before

        # From the cited letter's body link, by keyboard, and back with Backspace.
        await app.reader.open_letter(CITED_LETTER)
        await settle(pilot)
        links = [link for link in view.links if link.kind == "letter" and link.anchor[0] == "p"]
        assert [link.target for link in links] == [CORPUS_LETTER]
        while view.focused_link is None or view.links[view.focused_link] != links[0]:
            await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert view.letter_id == CORPUS_LETTER
        await pilot.press("backspace")
        await settle(pilot)
        assert view.letter_id == CITED_LETTER


async def test_search_opens_the_paragraph_with_the_match_highlighted(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.screen.focused is app.reader.panel.input
        await pilot.press(*"Frontex Litouwen")
        await settle(pilot)
        panel = app.reader.panel
        assert panel.result is not None and panel.result.hits
        assert "Frontex" in screen_text(app)
        hit = panel.result.hits[panel.results.highlighted]
        await pilot.press("enter")
        await settle(pilot)
        view = app.reader.view
        assert app.screen.focused is view
        assert view.letter_id == hit.letter
        anchor = ("p", hit.paragraph) if hit.footnote is None else ("f", hit.footnote)
        assert view.hit_anchor == anchor
        assert view.blocks[anchor].has_class("-hit")
        assert set(highlighted(view, anchor)) == {"Frontex", "Litouwen"}
        # The hit's paragraph is at the top of the letter pane.
        top = letter_top(app, 1).strip()
        assert top and top[:30] in view.blocks[anchor].visual.plain


async def test_stemmed_hits_and_n_and_N(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"migratiestroom", "enter")
        await settle(pilot)
        view = app.reader.view
        hits = app.reader.hits
        assert {hit.letter for hit in hits} == {CORPUS_LETTER, CITED_LETTER}
        first = view.hit_anchor
        # The stemmed forms are highlighted: migratiestromen in the corpus letter.
        words = {word for anchor in view.hit_anchors for word in highlighted(view, anchor)}
        assert "migratiestromen" in words or "migratiestroom" in words
        # n walks the matches of this letter, then on to the next result's letter; N comes back.
        letters = [view.letter_id]
        anchors = [first]
        for _ in range(len(view.hit_anchors) + 2):
            await pilot.press("n")
            await settle(pilot)
            letters.append(view.letter_id)
            anchors.append(view.hit_anchor)
        # Every hit was visited once, in order: within a letter by position, then the next letter.
        visits = list(dict.fromkeys(zip(letters, anchors)))
        assert {(hit.letter, ("p", hit.paragraph)) for hit in hits} <= set(visits)
        assert letters[-1] == letters[-2] and anchors[-1] == anchors[-2]  # the end: n stays put
        switched = [i for i in range(1, len(visits)) if visits[i][0] != visits[i - 1][0]]
        assert len(switched) == 1
        for i in range(1, len(visits)):
            if visits[i][0] == visits[i - 1][0]:
                assert visits[i][1][1] > visits[i - 1][1][1]
        # N walks back the same way.
        for expected in reversed(visits[:-1]):
            await pilot.press("N")
            await settle(pilot)
            assert (view.letter_id, view.hit_anchor) == expected
        assert "n N Hit" in screen_text(app)
        # Esc clears the hits.
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert not view.highlights and view.hit_anchor is None


async def test_a_bad_query_shows_its_message(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"raad van', "enter")
        await settle(pilot)
        panel = app.reader.panel
        await pilot.press("delete")
        panel.input.value = "date:20x1"
        await settle(pilot)
        assert panel.result is not None and panel.result.message
        assert panel.result.message.split()[0] in screen_text(app)
        assert app.is_running


async def test_help_lists_every_key_and_the_query_syntax(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for row in ("Notes", "Next section", "Previous section", "Next hit", "Previous hit", "Back", "Search", "Tree", "Quit"):
            assert row in text, row
        rows = app.screen.rows()
        examples = [keys for keys, _description in rows]
        for example in ("date:2021", '"raad van justitie"', "migratie*", "dossier:32317", "from:broekers"):
            assert example in examples
        for key in ("j", "k", "g", "G", "[", "]", "space", "pgdn", "/", "?", "b", "⌫", "t", "q", "n", "N", "f", "c"):
            assert any(key in keys.split() for keys in examples), key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_jumps_to_a_section(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Verslag IPCR")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        view = app.reader.view
        assert view.letter_id == CORPUS_LETTER
        assert view.scroll_y > 0
        assert "Verslag IPCR" in letter_top(app)


async def test_quit(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_click_on_a_result_opens_it(corpus: Path) -> None:
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"migratiestroom")
        await settle(pilot)
        x, y = find_on_screen(app, "§ Verslag IPCR")
        await pilot.click(offset=(x, y))
        await settle(pilot)
        view = app.reader.view
        assert view.letter_id == CORPUS_LETTER
        assert view.hit_anchor == ("p", paragraph_with(view, "Ook lijken migratiestromen"))
        assert app.screen.focused is view
