"""The letter view: header, sections, paragraphs, list items and footnotes of one letter.

Each block of text is its own `TextBlock`, so Textual reflows it to the width of the terminal and the
view knows where every paragraph, section and footnote is (for `[`/`]`, search hits and history).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, Iterable, Sequence

from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from briefreader.model import Letter, Reference
from briefreader.ui import render
from briefreader.ui.render import Anchor, Link
from briefreader.ui.widgets.text_block import TextBlock

#: Finds the spans of a query's matches in a text (None: no query active).
Highlighter = Callable[[str], Sequence[tuple[int, int]]]
#: Finds the corpus letter a reference cites (None when it is not in the corpus).
Resolver = Callable[[Reference], "str | None"]


def anchor_key(anchor: Anchor) -> tuple[int, int]:
    """Document order of anchors: paragraphs by position, then the footnotes after the text."""
    kind, number = anchor
    return ({"c": -1, "p": 0}.get(kind, 1), number)


_SECTION = Binding.Group("Section")
_HITS = Binding.Group("Hit")


class LetterView(VerticalScroll, can_focus=True):
    """Shows one letter and lets the reader scroll it and follow its links."""

    BINDINGS = [
        Binding("f", "footnotes", "Notes", tooltip="Footnotes of the paragraph at the link cursor, else of the text on screen"),
        Binding("tab", "next_link", "Link", show=False, tooltip="Next footnote marker or link on screen"),
        Binding("shift+tab", "previous_link", "Previous link", show=False),
        Binding("enter", "activate_link", "Follow", tooltip="Open the footnote or letter at the link cursor"),
        Binding("left_square_bracket", "previous_section", "Previous section", group=_SECTION),
        Binding("right_square_bracket", "next_section", "Next section", group=_SECTION),
        Binding("n", "next_hit", "Next hit", group=_HITS),
        Binding("N", "previous_hit", "Previous hit", group=_HITS),
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    class FootnotesRequested(Message):
        """The reader asked to see footnotes (a click on a marker, Enter on one, or `f`)."""

        def __init__(self, numbers: tuple[int, ...]) -> None:
            self.numbers = numbers
            super().__init__()

    class LetterRequested(Message):
        """The reader followed a citation to another letter of the corpus."""

        def __init__(self, letter_id: str) -> None:
            self.letter_id = letter_id
            super().__init__()

    class HitStep(Message):
        """`n` or `N`: the screen moves through the search hits (`step` is +1 or -1)."""

        def __init__(self, step: int) -> None:
            self.step = step
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.letter: Letter | None = None
        self.letter_id: str | None = None
        self.links: list[Link] = []
        self.blocks: dict[Anchor, TextBlock] = {}
        self.sections: list[Widget] = []
        self.highlights: dict[Anchor, list[tuple[int, int]]] = {}
        self.focused_link: int | None = None
        self.hit_anchor: Anchor | None = None
        self.has_hits = False
        self._highlighter: Highlighter | None = None
        self._cited_text = ""
        self._paragraphs: list = []

    # -- building -----------------------------------------------------------------------------------

    async def show_letter(
        self,
        letter: Letter,
        letter_id: str,
        *,
        resolve: Resolver,
        highlighter: Highlighter | None = None,
        cited_by: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Replace the view's content with `letter`, scrolled to the top.

        `cited_by` holds (letter id, label) of the corpus letters that cite this one; they are shown
        as links under the header.
        """
        self.letter, self.letter_id = letter, letter_id
        self._paragraphs = [paragraph for _position, _section, paragraph in letter.paragraphs()]
        self.links, self.blocks, self.sections = [], {}, []
        self.focused_link, self.hit_anchor = None, None
        self._highlighter = highlighter
        self.highlights = self._compute_highlights(letter, highlighter)

        by_paragraph: dict[int, list[tuple[Reference, str]]] = {}
        by_footnote: dict[int, list[tuple[Reference, str]]] = {}
        for reference in letter.references:
            target = resolve(reference)
            if target is None or target == letter_id:
                continue
            if reference.paragraph is not None:
                by_paragraph.setdefault(reference.paragraph, []).append((reference, target))
            elif reference.footnote is not None:
                by_footnote.setdefault(reference.footnote, []).append((reference, target))

        widgets: list[Widget] = [Static(render.letter_header(letter, letter_id=letter_id), classes="letter-header")]
        self._cited_text = ""
        if cited_by:
            prefix = "Cited by: "
            parts, links, offset = [], [], len(prefix)
            for target, label in cited_by:
                parts.append(label)
                links.append(Link(len(self.links) + len(links), "letter", ("c", 0), offset, offset + len(label), target))
                offset += len(label) + 3
            self._cited_text = prefix + " · ".join(parts)
            self.links.extend(links)
            block = TextBlock(anchor=("c", 0), classes="cited-by")
            self.blocks[("c", 0)] = block
            widgets.append(block)
        position = 0
        for section in letter.sections:
            if section.title:
                heading = TextBlock(render.section_title(section.title), classes="section-title")
                widgets.append(heading)
                self.sections.append(heading)
            for number, paragraph in enumerate(section.paragraphs):
                anchor: Anchor = ("p", position)
                links = render.paragraph_links(position, paragraph, by_paragraph.get(position, []), len(self.links))
                self.links.extend(links)
                block = TextBlock(anchor=anchor, classes="paragraph")
                self.blocks[anchor] = block
                if paragraph.kind == "item":
                    block.add_class("item-text")
                    following = section.paragraphs[number + 1 : number + 2]
                    last_item = not following or following[0].kind != "item"
                    widgets.append(
                        HorizontalGroup(
                            Static(render.item_marker(paragraph), classes="bullet", markup=False),
                            block,
                            classes="item -last-item" if last_item else "item",
                        )
                    )
                else:
                    widgets.append(block)
                position += 1
        if position == 0:
            widgets.append(Static(render.notice("This letter has no text."), classes="notice"))
        if letter.footnotes:
            heading = TextBlock(render.section_title("Footnotes"), classes="section-title footnotes-title")
            widgets.append(heading)
            self.sections.append(heading)
            for footnote in letter.footnotes:
                anchor = ("f", footnote.n)
                links = render.footnote_links(footnote, by_footnote.get(footnote.n, []), len(self.links))
                self.links.extend(links)
                block = TextBlock(anchor=anchor, classes="footnote")
                self.blocks[anchor] = block
                widgets.append(block)
        for block in self.blocks.values():
            block.update(self._render_block(block.anchor))

        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(widgets)
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh_bindings()

    async def show_message(self, text: str) -> None:
        """Replace the view's content with a one-line message (e.g. why a letter can't be opened)."""
        self.letter, self.letter_id = None, None
        self.links, self.blocks, self.sections, self.highlights = [], {}, [], {}
        self.focused_link, self.hit_anchor = None, None
        await self.remove_children()
        await self.mount(Static(render.notice(text, "$text-error"), classes="notice"))

    def _compute_highlights(
        self, letter: Letter, highlighter: Highlighter | None
    ) -> dict[Anchor, list[tuple[int, int]]]:
        if highlighter is None:
            return {}
        found: dict[Anchor, list[tuple[int, int]]] = {}
        for position, _section, paragraph in letter.paragraphs():
            spans = list(highlighter(paragraph.text))
            if spans:
                found[("p", position)] = spans
        for footnote in letter.footnotes:
            spans = list(highlighter(footnote.text))
            if spans:
                found[("f", footnote.n)] = spans
        return found

    def _paragraph(self, position: int):
        return self._paragraphs[position]

    def _render_block(self, anchor: Anchor):
        assert self.letter is not None
        links = [link for link in self.links if link.anchor == anchor]
        highlights = self.highlights.get(anchor, ())
        kind, number = anchor
        if kind == "c":
            return render.linked_text(self._cited_text, links=links, focused=self.focused_link)
        if kind == "p":
            return render.paragraph_content(self._paragraph(number), links, highlights, self.focused_link)
        footnote = self.letter.footnote(number)
        assert footnote is not None
        return render.footnote_content(footnote, links, highlights, self.focused_link)

    def _rerender(self, anchors: Iterable[Anchor | None]) -> None:
        for anchor in set(anchors):
            if anchor is not None and anchor in self.blocks:
                self.blocks[anchor].update(self._render_block(anchor))

    # -- search highlights --------------------------------------------------------------------------

    def set_highlighter(self, highlighter: Highlighter | None) -> None:
        """Highlight the matches of a (new) query in the letter shown, or none."""
        if self.letter is None:
            return
        self._highlighter = highlighter
        old = set(self.highlights)
        self.highlights = self._compute_highlights(self.letter, highlighter)
        self._rerender(old | set(self.highlights))

    @property
    def hit_anchors(self) -> list[Anchor]:
        """The paragraphs and footnotes with highlighted matches, in document order."""
        return sorted(self.highlights, key=anchor_key)

    def mark_hit(self, anchor: Anchor | None, *, scroll: bool = True) -> None:
        """Show `anchor` as the current search hit and bring it to the top of the view."""
        if self.hit_anchor in self.blocks:
            self.blocks[self.hit_anchor].remove_class("-hit")
        self.hit_anchor = anchor
        if anchor in self.blocks:
            self.blocks[anchor].add_class("-hit")
            if scroll:
                self.scroll_to_anchor(anchor)

    # -- positions ----------------------------------------------------------------------------------

    def scroll_to_anchor(self, anchor: Anchor) -> None:
        """Bring the paragraph or footnote `anchor` to the top, once the layout is known."""
        block = self.blocks.get(anchor)
        if block is None:
            return
        self.call_after_refresh(self._scroll_to_widget_top, block)

    def scroll_to_section(self, paragraph: int) -> None:
        """Bring the section whose first paragraph is `paragraph` to the top (its heading if it has one)."""
        block = self.blocks.get(("p", paragraph))
        if block is None:
            return

        def scroll() -> None:
            target: Widget = self._outer(block)
            children = list(self.children)
            place = children.index(target)
            previous = children[place - 1] if place > 0 else None
            if previous is not None and previous.has_class("section-title"):
                target = previous
            elif paragraph == 0:
                self.scroll_to(y=0, animate=False, immediate=True)
                return
            self._scroll_to_widget_top(target)

        self.call_after_refresh(scroll)

    def _outer(self, widget: Widget) -> Widget:
        """The direct child of the view that holds `widget` (list items sit in a group)."""
        while widget.parent is not None and widget.parent is not self:
            widget = widget.parent  # type: ignore[assignment]
        return widget

    def _top_of(self, widget: Widget) -> int:
        return self._outer(widget).virtual_region.y

    def _scroll_to_widget_top(self, widget: Widget) -> None:
        self.scroll_to(y=self._top_of(widget), animate=False, immediate=True)

    def restore_scroll(self, y: float) -> None:
        """Scroll to `y` once the layout of a freshly shown letter is known (history)."""
        self.call_after_refresh(lambda: self.scroll_to(y=y, animate=False, immediate=True))

    def visible_anchors(self) -> list[Anchor]:
        """The blocks at least partly on screen, in document order."""
        top, bottom = self.scroll_y, self.scroll_y + self.scrollable_content_region.height
        result = []
        for anchor, block in self.blocks.items():
            y = self._top_of(block)
            if y < bottom and y + block.outer_size.height > top:
                result.append(anchor)
        return result

    # -- sections -----------------------------------------------------------------------------------

    def action_next_section(self) -> None:
        """Scroll the next section heading to the top."""
        tops = [self._top_of(heading) for heading in self.sections]
        for y in tops:
            if y > self.scroll_y + 0.5 and self.scroll_y < self.max_scroll_y:
                # A heading too near the end to reach the top: show the end, where it is.
                self.scroll_to(y=min(y, self.max_scroll_y), animate=False, immediate=True)
                return
        self.app.bell()

    def action_previous_section(self) -> None:
        """Scroll the previous section heading (or the top of the letter) to the top."""
        tops = [0] + [self._top_of(heading) for heading in self.sections]
        index = bisect_right(tops, self.scroll_y - 0.5) - 1
        if self.scroll_y <= 0:
            self.app.bell()
            return
        self.scroll_to(y=tops[max(index, 0)], animate=False, immediate=True)

    # -- links --------------------------------------------------------------------------------------

    def _set_focused_link(self, index: int | None) -> None:
        old = self.focused_link
        self.focused_link = index
        anchors = []
        if old is not None and old < len(self.links):
            anchors.append(self.links[old].anchor)
        if index is not None:
            anchors.append(self.links[index].anchor)
        self._rerender(anchors)
        self.refresh_bindings()

    def _step_link(self, step: int) -> bool:
        visible = set(self.visible_anchors())
        candidates = [link.index for link in self.links if link.anchor in visible]
        if step < 0:
            candidates.reverse()
        if self.focused_link in candidates:
            position = candidates.index(self.focused_link)
            candidates = candidates[position + 1 :]
        if candidates:
            self._set_focused_link(candidates[0])
            return True
        self._set_focused_link(None)
        return False

    def action_next_link(self) -> None:
        """Move the link cursor to the next marker or link on screen; past the last, to the next pane."""
        if not self._step_link(+1):
            self.screen.focus_next()

    def action_previous_link(self) -> None:
        """Move the link cursor to the previous marker or link on screen; before the first, to the previous pane."""
        if not self._step_link(-1):
            self.screen.focus_previous()

    def action_activate_link(self) -> None:
        """Follow the link under the link cursor."""
        if self.focused_link is not None:
            self.activate(self.focused_link)

    def activate(self, index: int) -> None:
        """Follow link `index`: a footnote opens its popup, a citation its letter, a URL is copied."""
        if not 0 <= index < len(self.links):
            return
        link = self.links[index]
        if link.kind == "footnote":
            self.post_message(self.FootnotesRequested((int(link.target),)))
        elif link.kind == "letter":
            self.post_message(self.LetterRequested(str(link.target)))
        else:
            self.app.copy_to_clipboard(str(link.target))
            self.notify(f"Copied {link.target}", title="URL", markup=False)

    def on_text_block_link_clicked(self, message: TextBlock.LinkClicked) -> None:
        message.stop()
        if 0 <= message.index < len(self.links):
            self._set_focused_link(message.index)
            self.activate(message.index)

    def action_footnotes(self) -> None:
        """Show the footnotes of the paragraph under the link cursor, or else of the text on screen."""
        if self.letter is None:
            return
        numbers: list[int] = []
        anchors: list[Anchor]
        if self.focused_link is not None and self.links[self.focused_link].anchor in self.visible_anchors():
            anchors = [self.links[self.focused_link].anchor]
        else:
            anchors = self.visible_anchors()
        for anchor in anchors:
            if anchor[0] == "f":
                numbers.append(anchor[1])
            for link in self.links:
                if link.anchor == anchor and link.kind == "footnote":
                    numbers.append(int(link.target))
        numbers = list(dict.fromkeys(numbers))
        if numbers:
            self.post_message(self.FootnotesRequested(tuple(numbers)))
        else:
            self.notify("No footnotes on screen.", timeout=2)

    # -- hits ---------------------------------------------------------------------------------------

    def action_next_hit(self) -> None:
        """Go to the next search hit."""
        self.post_message(self.HitStep(+1))

    def action_previous_hit(self) -> None:
        """Go to the previous search hit."""
        self.post_message(self.HitStep(-1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activate_link":
            return self.focused_link is not None
        if action in ("next_hit", "previous_hit"):
            return self.has_hits
        if action == "footnotes":
            return bool(self.letter and self.letter.footnotes)
        return True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # A link cursor that scrolled out of sight no longer makes Enter follow it.
        if self.focused_link is not None and self.links[self.focused_link].anchor not in self.visible_anchors():
            self._set_focused_link(None)
