"""The footnote popup: one or more footnotes over the letter, which keeps its place underneath."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from briefreader import cite
from briefreader.model import Letter, Reference
from briefreader.ui import render
from briefreader.ui.clipboard import copy_quotes
from briefreader.ui.render import Link
from briefreader.ui.screens import POPUPS_CSS
from briefreader.ui.widgets.text_block import TextBlock


class FootnoteScreen(ModalScreen["str | None"]):
    """Shows footnotes `numbers` of `letter`; dismisses with a letter id when a citation is followed."""

    CSS_PATH = POPUPS_CSS

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("tab", "step_link(1)", "Next link"),
        Binding("shift+tab", "step_link(-1)", "Previous link", show=False),
        Binding("enter", "activate", "Follow / copy"),
        Binding("c", "copy", "Copy URL"),
        Binding("y", "copy_cited", "Copy with citation"),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(
        self,
        letter: Letter,
        numbers: Sequence[int],
        *,
        letter_id: str,
        resolve: Callable[[Reference], str | None],
    ) -> None:
        super().__init__()
        self.letter = letter
        self.letter_id = letter_id
        self.numbers = [n for n in numbers if letter.footnote(n) is not None]
        self.links: list[Link] = []
        self.focused_link: int | None = None
        self.blocks: dict[int, TextBlock] = {}
        by_footnote: dict[int, list[tuple[Reference, str]]] = {}
        for reference in letter.references:
            target = resolve(reference)
            if reference.footnote is not None and target is not None and target != letter_id:
                by_footnote.setdefault(reference.footnote, []).append((reference, target))
        self._references = by_footnote

    def compose(self) -> ComposeResult:
        with Vertical(id="footnote-popup") as popup:
            label = "Footnote" if len(self.numbers) == 1 else "Footnotes"
            popup.border_title = f"{label} {', '.join(str(n) for n in self.numbers)}"
            popup.border_subtitle = "Esc closes"
            with VerticalScroll(id="footnote-body"):
                for n in self.numbers:
                    footnote = self.letter.footnote(n)
                    assert footnote is not None
                    links = render.footnote_links(footnote, self._references.get(n, []), len(self.links))
                    self.links.extend(links)
                    block = TextBlock(anchor=("f", n), classes="footnote")
                    self.blocks[n] = block
                    yield block
        yield Footer()

    def on_mount(self) -> None:
        self._rerender()

    def _rerender(self) -> None:
        for n, block in self.blocks.items():
            footnote = self.letter.footnote(n)
            assert footnote is not None
            links = [link for link in self.links if link.anchor == ("f", n)]
            block.update(render.footnote_content(footnote, links, focused=self.focused_link))
        self.refresh_bindings()

    def action_close(self) -> None:
        """Close the popup; the letter is where it was."""
        self.dismiss(None)

    def action_step_link(self, step: int) -> None:
        """Move the link cursor through the URLs and citations of the popup (wrapping round)."""
        if not self.links:
            return
        if self.focused_link is None:
            self.focused_link = 0 if step > 0 else len(self.links) - 1
        else:
            self.focused_link = (self.focused_link + step) % len(self.links)
        self._rerender()
        block = self.blocks.get(self.links[self.focused_link].anchor[1])
        if block is not None:
            block.scroll_visible(animate=False)

    def action_activate(self) -> None:
        """Follow the focused citation, or copy the focused URL."""
        if self.focused_link is not None:
            self.activate(self.focused_link)

    def activate(self, index: int) -> None:
        """Follow link `index` of the popup."""
        link = self.links[index]
        if link.kind == "letter":
            self.dismiss(str(link.target))
        elif link.kind == "url":
            self._copy(str(link.target))

    def on_text_block_link_clicked(self, message: TextBlock.LinkClicked) -> None:
        message.stop()
        if 0 <= message.index < len(self.links):
            self.focused_link = message.index
            self._rerender()
            self.activate(message.index)

    def action_copy(self) -> None:
        """Copy the focused URL, else every URL shown, else the footnote text."""
        if self.focused_link is not None and self.links[self.focused_link].kind == "url":
            self._copy(str(self.links[self.focused_link].target))
            return
        urls = [str(link.target) for link in self.links if link.kind == "url"]
        if urls:
            self._copy("\n".join(urls))
        else:
            texts = [self.letter.footnote(n).text for n in self.numbers]  # type: ignore[union-attr]
            self._copy("\n".join(texts), what="footnote")

    def action_copy_cited(self) -> None:
        """Copy the footnote at the link cursor (else every footnote shown) with its citation."""
        numbers = self.numbers
        if self.focused_link is not None:
            numbers = [int(self.links[self.focused_link].anchor[1])]
        quotes = [cite.footnote_parts(self.letter, n, letter_id=self.letter_id) for n in numbers]
        found = [quote for quote in quotes if quote is not None]
        if not found:
            self.app.bell()
            return
        copy_quotes(self, found)

    def _copy(self, text: str, what: str = "URL") -> None:
        self.app.copy_to_clipboard(text)
        self.notify(render.message(text), title=f"Copied {what}", markup=False, timeout=4)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activate":
            return self.focused_link is not None
        if action == "step_link":
            return bool(self.links)
        return True

    def on_click(self, event) -> None:
        # A click outside the popup closes it, as with most popups.
        if self.get_widget_at(event.screen_x, event.screen_y)[0] is self:
            self.dismiss(None)
