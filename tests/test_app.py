"""The reader, driven through Textual's pilot on the two-letter corpus (index built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_fixtures.helpers import (
    CITED_LETTER,
    CORPUS_LETTER,
    find_on_screen,
    screen_text,
    settle,
    wait_for,
)

from briefreader.commands.app import build_app
from briefreader.ui.screens.footnotes import FootnoteScreen
from briefreader.ui.screens.help import HelpScreen
from briefreader.ui.widgets.letter_view import LetterView


@pytest.fixture
def app_for(reader_corpus: tuple[Path, Path]):
    """A fresh app on the session's corpus and index."""
    corpus, index_dir = reader_corpus
    return lambda: build_app(corpus=corpus, index_dir=index_dir)


def letter_top(app, lines: int = 2) -> str:
    """The first lines of the letter pane as shown."""
    view = app.reader.view
    rows = screen_text(app).splitlines()[view.region.y : view.region.y + lines]
    return "\n".join(row[view.region.x : view.region.right] for row in rows)


def pane_text(app, widget) -> str:
    """What `widget`'s part of the screen shows."""
    rows = screen_text(app).splitlines()[widget.region.y : widget.region.bottom]
    return "\n".join(row[widget.region.x : widget.region.right] for row in rows)


def paragraph_with(view: LetterView, word: str) -> int:
    for position, _section, paragraph in view.letter.paragraphs():
        if word in paragraph.text:
            return position
    raise AssertionError(word)


async def test_opens_the_newest_letter_with_its_header_and_tree(app_for) -> None:
    app = app_for()
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


async def test_a_section_in_the_tree_opens_the_letter_there(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.reader.letter_tree
        tree.focus()
        node = next(n for n in tree.root.children[0].children[0].children if str(n.label) == "Verslag IPCR")
        tree.move_cursor(node)
        await pilot.press("enter")
        view = app.reader.view
        await wait_for(pilot, lambda: view.scroll_y > 0, "the section")
        # The section heading is at the top of the letter pane.
        assert "Verslag IPCR" in letter_top(app)
        # ] and [ move between sections: back to the top, then to the footnotes.
        view.focus()
        await pilot.press("left_square_bracket")
        assert view.scroll_y == 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "Verslag IPCR" in letter_top(app)
        # The footnotes heading is too near the end to reach the top: the end is shown, with it.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y and "Footnotes" in pane_text(app, view)


async def test_a_footnote_opens_and_closes_without_losing_the_place(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        view.scroll_to_anchor(("p", paragraph_with(view, "EASO")))
        await pilot.pause()
        before = view.scroll_y
        assert before > 0
        # Click the superscript 4 after "Frontex".
        x, y = find_on_screen(app, "Frontex⁴")
        await pilot.click(offset=(x + len("Frontex"), y))
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert app.screen.numbers == [4]
        assert "Agentschap voor het beheer van de operationele samenwerking" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, FootnoteScreen)
        assert view.scroll_y == before


async def test_keyboard_alone_reaches_every_footnote_and_copies_the_url(app_for) -> None:
    app = app_for()
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
                    await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
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
            await wait_for(pilot, lambda: not view.is_scrolling, "the page to scroll")
        assert seen == {1, 2, 3, 4, 5}

        # Footnote 5's URL is whole in the popup, and `c` copies it.
        view.post_message(LetterView.FootnotesRequested((5,)))
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        url = "https://slovenian-presidency.consilium.europa.eu/en/news/home-affairs-ministers-express-solidarity-with-the-eu-member-states-at-the-border-with-belarus/"
        popup = app.screen
        assert [link.target for link in popup.links if link.kind == "url"] == [url]
        await pilot.press("c")
        assert app.clipboard == url


async def test_f_shows_the_footnotes_on_screen(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        view.scroll_to_anchor(("p", paragraph_with(view, "EASO")))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FootnoteScreen), "the popup")
        assert {2, 3, 4} <= set(app.screen.numbers)
        assert "Europees Ondersteuningsbureau voor Asielzaken." in screen_text(app)


async def test_a_citation_opens_the_cited_letter_and_back_and_forward_return_exactly(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.reader.view
        # Footnote 2 of the corpus letter cites Kamerstuk 32 317, nr. 703: a link to the other letter.
        await pilot.press("G")
        before = view.scroll_y
        assert before > 0
        x, y = find_on_screen(app, "32 317, nr. 703")
        await pilot.click(offset=(x, y))
        await wait_for(pilot, lambda: view.letter_id == CITED_LETTER, "the cited letter")
        assert view.scroll_y == 0
        assert "Verslag van de informele JBZ-Raad" in screen_text(app)
        # The cited letter shows who cites it, and cites the first letter back in its text.
        assert "Cited by: 2021-08-26 Ingelaste JBZ-Raad" in screen_text(app)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: not view.is_scrolling, "the page to scroll")
        there = view.scroll_y
        await pilot.press("b")
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER, "back")
        assert view.scroll_y == before
        # Forward (Shift+B) undoes the Back: the cited letter, where the reader left it.
        await pilot.press("B")
        await wait_for(pilot, lambda: view.letter_id == CITED_LETTER, "forward")
        assert view.scroll_y == there
        await pilot.press("B")  # nothing more ahead: a bell, the place stays
        assert view.letter_id == CITED_LETTER

        # From the cited letter's body link, by keyboard, and back with Backspace.
        view.scroll_to_anchor(("h", 0))
        links = [link for link in view.links if link.kind == "letter" and link.anchor[0] == "p"]
        assert [link.target for link in links] == [CORPUS_LETTER]
        while view.focused_link is None or view.links[view.focused_link] != links[0]:
            await pilot.press("tab")
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER, "the citing letter")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: view.letter_id == CITED_LETTER, "back")


async def test_search_lists_each_letter_once_and_opens_the_chosen_paragraph(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        panel = app.reader.panel
        assert app.screen.focused is panel.input
        await pilot.press(*"migratiestroom")
        await wait_for(pilot, lambda: panel.shown_query == "migratiestroom", "the results")
        letters = [letter.letter for letter in panel.listing.letters]
        assert sorted(letters) == sorted({CORPUS_LETTER, CITED_LETTER}) and len(letters) == 2
        # Each letter's title once in the panel, with its snippets under it.
        shown = pane_text(app, panel)
        assert shown.count("Ingelaste JBZ-Raad") == 1 and shown.count("Verslag van de informele") == 1
        assert "migratiestromen" in shown
        # Down to the second snippet of the corpus letter, Enter: that paragraph, highlighted, at the top.
        corpus_hits = next(letter for letter in panel.listing.letters if letter.letter == CORPUS_LETTER).paragraphs
        assert len(corpus_hits) >= 2
        panel.show_current(letters.index(CORPUS_LETTER), 1)
        await pilot.press("enter")
        view = app.reader.view
        anchor = ("p", corpus_hits[1].paragraph)
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER and view.hit_anchor == anchor, "the hit")
        assert app.screen.focused is view
        assert {word.lower() for word in view.highlights_in(anchor)} <= {"migratiestromen", "migratiestroom"}
        assert view.highlights_in(anchor)
        top = letter_top(app, 1).strip()
        assert top and top[:30] in view.block_text(anchor)


async def test_n_and_N_walk_the_hits_in_the_letter_then_on_to_the_next_letter(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.reader.panel.input.value = "migratiestroom"  # typed at once: typing key by key is tested above
        await pilot.press("enter")
        reader = app.reader
        view = reader.view
        await wait_for(pilot, lambda: view.hit_anchor is not None, "the first hit")
        order = [letter.letter for letter in reader.search_state.letters]
        assert set(order) == {CORPUS_LETTER, CITED_LETTER}
        visits = [(view.letter_id, view.hit_anchor)]
        for _ in range(12):
            await pilot.press("n")
            await settle(pilot)
            visits.append((view.letter_id, view.hit_anchor))
        walked = list(dict.fromkeys(visits))
        assert visits[-1] == visits[-2]  # the end: n stays put
        # Every hit of every letter was visited, letter by letter in the results' order, each in reading order.
        assert [letter for letter, _ in dict.fromkeys((letter, None) for letter, _a in walked)] == order
        for letter_id in order:
            anchors = [anchor for letter, anchor in walked if letter == letter_id]
            assert anchors == reader.search_state.anchors[letter_id]
            assert anchors
        # N walks back the same way.
        for expected in reversed(walked[:-1]):
            await pilot.press("N")
            await settle(pilot)
            assert (view.letter_id, view.hit_anchor) == expected
        assert "n N Hit" in screen_text(app)
        # Esc clears the hits.
        await pilot.press("escape", "escape")
        assert reader.search_state is None and view.hit_anchor is None and not view.highlights_in(walked[0][1])


async def test_a_bad_query_shows_its_message(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        panel = app.reader.panel
        panel.input.value = "date:20x1"
        await wait_for(pilot, lambda: panel.shown_query == "date:20x1", "the message")
        assert panel.result is not None and panel.result.message
        assert panel.result.message.split()[0] in screen_text(app)
        assert app.is_running


async def test_help_lists_every_key_and_the_query_syntax(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Everywhere" in screen_text(app)
        rows = app.screen.rows()
        descriptions = " ".join(description for _keys, description in rows)
        for row in ("Notes", "Next section", "Previous section", "Next hit", "Previous hit", "Back", "Forward",
                    "Set mark", "Go to mark", "Copy", "Search", "Tree", "Quit", "Did you mean"):
            assert row in descriptions, row
        examples = [keys for keys, _description in rows]
        for example in ("date:2021", '"raad van justitie"', "migratie*", "dossier:32317", "from:broekers"):
            assert example in examples
        for key in ("j", "k", "g", "G", "[", "]", "space", "pgdn", "/", "?", "b", "⌫", "B", "m", "'", "y", "t", "q", "n", "N", "f", "c"):
            assert any(key in keys.split() for keys in examples), key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_jumps_to_a_section(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Verslag IPCR")
        await wait_for(pilot, lambda: "Verslag IPCR · 2021-08-26" in screen_text(app), "the palette's hit")
        await pilot.press("enter")
        view = app.reader.view
        await wait_for(pilot, lambda: view.scroll_y > 0, "the section")
        assert view.letter_id == CORPUS_LETTER
        assert "Verslag IPCR" in letter_top(app)


async def test_quit(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_click_on_a_result_opens_it(app_for) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        panel = app.reader.panel
        panel.input.value = "migratiestroom"
        await wait_for(pilot, lambda: panel.shown_query == "migratiestroom", "the results")
        x, y = find_on_screen(app, "§ Verslag IPCR")
        await pilot.click(offset=(x, y))
        view = app.reader.view
        await wait_for(pilot, lambda: view.letter_id == CORPUS_LETTER and view.hit_anchor is not None, "the hit")
        paragraph = paragraph_with(view, "Ook lijken migratiestromen")
        assert view.hit_anchor == ("p", paragraph)
        assert app.screen.focused is view
