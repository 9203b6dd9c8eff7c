"""The letter view: header, sections, paragraphs, list items and footnotes of one letter.

It draws only the lines on screen (Textual's line API: a `ScrollView` with `render_line`, as
Textual's own `Log` and `Tree` do): a 60-page letter costs what one screen costs. The letter comes
as a `LetterDocument` (built in the worker that loaded it); `briefreader.ui.layout` breaks its
blocks into lines and knows where each block starts, measuring only as far as needed and the rest
in small steps in the background. Rendered lines are kept in a bounded cache, so memory grows with
what has been on screen, not with the letter.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefreader.ui import render
from briefreader.ui.document import RULE, Block, LetterDocument
from briefreader.ui.layout import Layout, wrap
from briefreader.ui.render import Anchor, Link

#: Finds the spans of a query's matches in a text (None: no query active).
Highlighter = Callable[[str], Sequence[tuple[int, int]]]

#: Lines of text are at most this many cells wide: longer lines are hard to follow on a wide terminal.
MAX_WIDTH = 110
#: Seconds of layout work between two turns of the event loop while a long letter is measured in
#: the background, so a key waits at most about this long.
LAYOUT_STEP = 0.004
#: Rendered lines and blocks kept (a few screens' worth; the rest is drawn again when scrolled back).
LINE_CACHE = 1024
BLOCK_CACHE = 256

#: Until a block is measured its height is guessed (only the scrollbar sees the guess): a header
#: runs to about this many lines, and a paragraph loses about a tenth of each line to word breaks.
HEADER_ESTIMATE = 6
WRAP_WASTE = 1.1
#: The row of the view where a message shown instead of a letter stands (below a blank line).
MESSAGE_ROW = 1

_SECTION = Binding.Group("Section")
_HITS = Binding.Group("Hit")


@dataclass(frozen=True)
class Spot:
    """A place in the letter shown: the block at the top of the screen and how many lines down it."""

    anchor: Anchor
    offset: int = 0


class LetterView(ScrollView, can_focus=True):
    """Shows one letter and lets the reader scroll it and follow its links."""

    COMPONENT_CLASSES = {
        "letter-view--footnote",
        "letter-view--hit",
        "letter-view--rule",
        "letter-view--bullet",
    }

    BINDINGS = [
        Binding("f", "footnotes", "Notes", tooltip="Footnotes of the paragraph at the link cursor, else of the text on screen"),
        Binding("tab", "next_link", "Link", show=False, tooltip="Next footnote marker or link on screen"),
        Binding("shift+tab", "previous_link", "Previous link", show=False),
        Binding("enter", "activate_link", "Follow", show=False, tooltip="Open the footnote or letter at the link cursor"),
        Binding("left_square_bracket", "previous_section", "Previous section", group=_SECTION),
        Binding("right_square_bracket", "next_section", "Next section", group=_SECTION),
        Binding("n", "next_hit", "Next hit", group=_HITS),
        Binding("N", "previous_hit", "Previous hit", group=_HITS),
        Binding("y", "copy", "Copy", tooltip="Copy the current paragraph with its citation"),
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

    class CopyRequested(Message):
        """`y`: copy the block at `anchor` (a paragraph or footnote) with its citation."""

        def __init__(self, anchor: Anchor) -> None:
            self.anchor = anchor
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.document: LetterDocument | None = None
        self.message: str | None = None
        self.focused_link: int | None = None
        self.hit_anchor: Anchor | None = None
        #: The paragraphs and footnotes holding search hits, in reading order (set by the screen).
        self.hit_anchors: list[Anchor] = []
        self.has_hits = False
        self._active_highlighter: Highlighter | None = None
        self._highlight_cache: dict[Anchor, list[tuple[int, int]]] = {}
        self._line_layout: Layout | None = None
        self._line_layout_key: tuple[int, int] | None = None  # (wrap width, view width) the layout is for
        self._pending_spot: Spot | None = None
        self._binding_state: tuple[bool, ...] | None = None
        self._render_version = 0  # bumped whenever every line must be drawn again
        self._block_version: dict[int, int] = {}
        self._content_cache: LRUCache[tuple[int, int, int], Content] = LRUCache(BLOCK_CACHE)
        self._wrap_cache: LRUCache[tuple[int, int], list[tuple[int, int]]] = LRUCache(BLOCK_CACHE)
        self._strip_cache: LRUCache[tuple, Strip] = LRUCache(LINE_CACHE)

    # -- what is shown ------------------------------------------------------------------------------

    @property
    def letter(self):
        """The letter shown (a `briefreader.model.Letter`), or None."""
        return self.document.letter if self.document else None

    @property
    def letter_id(self) -> str | None:
        """The id of the letter shown, or None."""
        return self.document.letter_id if self.document else None

    @property
    def links(self) -> list[Link]:
        """Every link of the letter shown, in reading order (`Link.index` is the position here)."""
        return self.document.links if self.document else []

    @property
    def blocks(self) -> list[Block]:
        """The blocks of the letter shown."""
        return self.document.blocks if self.document else []

    def show(self, document: LetterDocument, *, spot: Spot | None = None, highlighter: Highlighter | None = None) -> None:
        """Show `document` at `spot` (default: the top)."""
        self.document, self.message = document, None
        self.focused_link, self.hit_anchor, self.hit_anchors = None, None, []
        self._active_highlighter = highlighter
        self._highlight_cache = {}
        self._forget_layout()
        self._pending_spot = spot or Spot(("h", 0))
        self._apply_pending()
        self.update_bindings()

    def show_message(self, text: str) -> None:
        """Show a message (wrapped to the width) instead of a letter (e.g. why a letter can't be opened)."""
        self.document, self.message = None, text
        self.focused_link, self.hit_anchor, self.hit_anchors = None, None, []
        self._highlight_cache = {}
        self._forget_layout()
        self.virtual_size = Size(0, 3)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        self.update_bindings()

    def _forget_layout(self) -> None:
        self._line_layout, self._line_layout_key = None, None
        self._render_version += 1
        self._block_version.clear()
        self._content_cache.clear()
        self._wrap_cache.clear()
        self._strip_cache.clear()
        self.workers.cancel_group(self, "layout")

    def update_bindings(self) -> None:
        """Tell the footer the keys on offer changed, if they did. Every such refresh rebuilds the
        footer (a dozen widgets: 50-150 ms on a busy machine), so the keys on offer change only with
        the search (n/N); the others are always on and say so when they have nothing to do."""
        state = (self.has_hits,)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @property
    def cached_lines(self) -> int:
        """How many rendered lines the view keeps (at most `LINE_CACHE`, whatever the letter's length)."""
        return len(self._strip_cache)

    @property
    def measured_blocks(self) -> int:
        """How many blocks (from the top) have been broken into lines at the current width."""
        return self._line_layout.measured if self._line_layout is not None else 0

    def notify_style_update(self) -> None:
        # The theme or the CSS changed: every cached line has old colours.
        super().notify_style_update()
        self._strip_cache.clear()
        self._content_cache.clear()
        self._render_version += 1

    # -- layout -------------------------------------------------------------------------------------

    def _widths(self) -> tuple[int, int]:
        view = self.scrollable_content_region.width
        return min(MAX_WIDTH, view), view

    def _ensure_layout(self) -> Layout | None:
        """The layout for the current width (made, or made again after a resize keeping the place)."""
        if self.document is None:
            return None
        key = self._widths()
        if key[0] <= 0:
            return None
        if self._line_layout is not None and self._line_layout_key == key:
            return self._line_layout
        keep = self.spot if self._line_layout is not None and self._pending_spot is None else None
        blocks = self.document.blocks
        self._line_layout_key = key
        self._wrap_cache.clear()
        self._strip_cache.clear()
        self._line_layout = Layout(len(blocks), self._measure, self._estimate)
        if keep is not None and self._pending_spot is None:
            self._pending_spot = keep
        self._update_size()
        if not self._line_layout.done:
            # The function, not a coroutine: a worker cancelled before it starts leaves nothing unawaited.
            self.run_worker(self._measure_rest, exclusive=True, group="layout")
        return self._line_layout

    def _measure(self, index: int) -> int:
        block = self.document.blocks[index]  # type: ignore[union-attr]
        return block.rows_around + len(self._wrap(index))

    def _estimate(self, index: int) -> int:
        block = self.document.blocks[index]  # type: ignore[union-attr]
        width = max(10, self._line_layout_key[0] - block.indent) if self._line_layout_key else 80
        text = block.paragraph.text if block.paragraph else block.footnote.text if block.footnote else block.text
        if block.kind == "header":
            return block.rows_around + HEADER_ESTIMATE
        return block.rows_around + 1 + int(len(text) * WRAP_WASTE / width)

    def _wrap(self, index: int) -> list[tuple[int, int]]:
        """Where block `index`'s text breaks into lines at the current width."""
        assert self._line_layout_key is not None
        key = (index, self._line_layout_key[0])
        lines = self._wrap_cache.get(key)
        if lines is None:
            block = self.document.blocks[index]  # type: ignore[union-attr]
            width = max(1, self._line_layout_key[0] - block.indent)
            lines = wrap(self._content(index, plain=True).plain, width, hang=block.hang)
            self._wrap_cache[key] = lines
        return lines

    async def _measure_rest(self) -> None:
        """Measure the rest of a long letter a little at a time, so keys are answered meanwhile.

        The scrollbar learns the exact height once, at the end: every change of the view's size
        makes Textual lay out and redraw the whole screen, which costs more than the measuring.
        """
        layout = self._line_layout
        while layout is not None and layout is self._line_layout and not layout.done:
            layout.step(LAYOUT_STEP)
            await asyncio.sleep(0)
        if layout is not None and layout is self._line_layout:
            self._update_size()

    def _update_size(self) -> None:
        if self._line_layout is not None:
            size = Size(self._widths()[0], self._line_layout.height)
            if size != self.virtual_size:
                self.virtual_size = size

    def on_resize(self) -> None:
        if self._ensure_layout() is not None:
            self._apply_pending()
        self.refresh()

    def _apply_pending(self) -> None:
        """Scroll to the place asked for before the view knew its width."""
        layout = self._ensure_layout()
        if layout is None or self._pending_spot is None or self.document is None:
            return
        spot, self._pending_spot = self._pending_spot, None
        y = self.y_of(spot)
        self._update_size()
        self.scroll_to(0, y, animate=False, immediate=True, force=True)

    def y_of(self, spot: Spot) -> int:
        """The line a spot is at (the top, for an anchor this letter does not have)."""
        layout = self._ensure_layout()
        if layout is None or self.document is None:
            return 0
        index = self.document.index.get(spot.anchor)
        if index is None:
            return 0
        top = layout.top(index)
        return top + max(0, min(spot.offset, layout.bottom(index) - top - 1))

    @property
    def spot(self) -> Spot:
        """Where the reader is: the block at the top of the screen and the lines scrolled into it."""
        if self._pending_spot is not None:
            return self._pending_spot
        layout = self._line_layout
        if layout is None or self.document is None:
            return Spot(("h", 0))
        y = round(self.scroll_y)
        index = layout.block_at(y)
        if index is None:
            index = len(self.document.blocks) - 1
        return Spot(self.document.blocks[index].anchor, y - layout.top(index))

    def go_to(self, spot: Spot) -> None:
        """Scroll to `spot`."""
        if self._ensure_layout() is None:
            self._pending_spot = spot
            return
        y = self.y_of(spot)
        self._update_size()
        self.scroll_to(0, y, animate=False, immediate=True, force=True)

    def scroll_to_anchor(self, anchor: Anchor) -> None:
        """Bring the text of block `anchor` to the top (below the blank lines above it)."""
        block = self.document.block(anchor) if self.document else None
        self.go_to(Spot(anchor, block.lead if block else 0))

    def scroll_to_section(self, paragraph: int) -> None:
        """Bring the section whose first paragraph is `paragraph` to the top (its heading if it has one)."""
        document = self.document
        if document is None or ("p", paragraph) not in document.index:
            return
        index = document.index[("p", paragraph)]
        previous = document.blocks[index - 1] if index > 0 else None
        if paragraph == 0 and (previous is None or previous.kind != "heading"):
            self.go_to(Spot(("h", 0)))
        elif previous is not None and previous.kind == "heading":
            self.scroll_to_anchor(previous.anchor)
        else:
            self.scroll_to_anchor(("p", paragraph))

    def visible_anchors(self) -> list[Anchor]:
        """The blocks at least partly on screen, in reading order."""
        layout = self._ensure_layout()
        if layout is None or self.document is None:
            return []
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        first = layout.block_at(top)
        if first is None:
            return []
        anchors = []
        for index in range(first, len(self.document.blocks)):
            if layout.top(index) >= bottom:
                break
            anchors.append(self.document.blocks[index].anchor)
        return anchors

    def current_anchor(self) -> Anchor | None:
        """The paragraph or footnote the reader is at: the one at the link cursor, else the current
        search hit if it is on screen, else the first one whose text starts on screen (or the one
        running through the top of the screen)."""
        document = self.document
        if document is None:
            return None
        visible = self.visible_anchors()
        if self.focused_link is not None and self.links[self.focused_link].anchor in visible:
            anchor = self.links[self.focused_link].anchor
            if anchor[0] in "pf":
                return anchor
        if self.hit_anchor in visible:
            return self.hit_anchor
        layout = self._line_layout
        top = round(self.scroll_y)
        readable = [anchor for anchor in visible if anchor[0] in "pf"]
        for anchor in readable:
            index = document.index[anchor]
            if layout is not None and layout.top(index) + document.blocks[index].lead >= top:
                return anchor
        return readable[0] if readable else None

    # -- drawing ------------------------------------------------------------------------------------

    def _content(self, index: int, *, plain: bool = False) -> Content:
        """Block `index` as Content (with its highlights and the link cursor unless `plain`)."""
        document = self.document
        assert document is not None
        version = -1 if plain else self._block_version.get(index, 0)
        key = (index, version, self._render_version)
        cached = self._content_cache.get(key)
        if cached is not None:
            return cached
        block = document.blocks[index]
        focused = None if plain else self.focused_link
        highlights = () if plain else self._highlights_of(block)
        if block.kind == "header":
            content = render.letter_header(document.letter, letter_id=document.letter_id)
        elif block.kind in ("heading", "footnotes-title"):
            content = render.section_title(block.text)
        elif block.kind == "cited":
            content = render.linked_text(block.text, links=block.links, focused=focused)
        elif block.kind == "notice":
            content = render.notice(block.text)
        elif block.footnote is not None:
            content = render.footnote_content(block.footnote, block.links, highlights, focused)
        else:
            assert block.paragraph is not None
            content = render.paragraph_content(block.paragraph, block.links, highlights, focused)
        self._content_cache[key] = content
        return content

    def _highlights_of(self, block: Block) -> Sequence[tuple[int, int]]:
        if self._active_highlighter is None or block.kind not in ("paragraph", "item", "footnote"):
            return ()
        spans = self._highlight_cache.get(block.anchor)
        if spans is None:
            text = block.paragraph.text if block.paragraph else block.footnote.text if block.footnote else ""
            spans = self._highlight_cache[block.anchor] = list(self._active_highlighter(text))
        return spans

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.visual_style
        if self.document is None:
            if self.message is not None and y >= MESSAGE_ROW:
                # A message may name a long path: wrapped, never cut off.
                lines = render.notice(self.message, "$text-error").wrap(max(width - 1, 10))
                if y - MESSAGE_ROW < len(lines):
                    return self._strip(lines[y - MESSAGE_ROW], width, base)
            return Strip.blank(width, base.rich_style)
        layout = self._ensure_layout()
        if layout is None:
            return Strip.blank(width, base.rich_style)
        line = scroll_y + y
        index = layout.block_at(line)
        if index is None:
            return Strip.blank(width, base.rich_style)
        key = (index, line - layout.top(index), self._line_layout_key, self._block_version.get(index, 0), self._render_version)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._render_row(index, line - layout.top(index), width)
            self._strip_cache[key] = strip
        return strip.apply_offsets(scroll_x, line)

    def _render_row(self, index: int, row: int, width: int) -> Strip:
        """Row `row` of block `index`: a blank or rule above or below it, or a line of its text."""
        assert self.document is not None and self._line_layout_key is not None
        block = self.document.blocks[index]
        text_width = self._line_layout_key[0]
        base = self.visual_style
        lines = self._wrap(index)
        text_row = row - len(block.before)
        if text_row < 0 or text_row >= len(lines):
            around = block.before[row] if text_row < 0 else block.after[text_row - len(lines)]
            if around == RULE:
                rule = self.get_visual_style("letter-view--rule")
                return self._strip(Content.styled("─" * text_width, rule), width, base)
            return Strip.blank(width, base.rich_style)
        style = base
        if block.kind == "footnote":
            style = self.get_visual_style("letter-view--footnote")
        if block.anchor == self.hit_anchor:
            style = self.get_visual_style("letter-view--hit") if block.kind != "footnote" else \
                self.get_visual_style("letter-view--footnote", "letter-view--hit")
        start, end = lines[text_row]
        piece = self._content(index)[start:end]
        if text_row > 0 and block.hang:
            piece = Content(" " * block.hang) + piece
        if block.indent:
            if text_row == 0 and block.marker:
                bullet = self.get_visual_style("letter-view--bullet")
                piece = Content.styled(block.marker.ljust(block.indent), bullet) + piece
            else:
                piece = Content(" " * block.indent) + piece
        if style is not base:
            # The hit's background spans the text's width, as a block would.
            piece = piece.extend_right(max(0, text_width - piece.cell_length))
        return self._strip(piece, width, style, base)

    def _strip(self, content: Content, width: int, style, base=None) -> Strip:
        strips = Visual.to_strips(self, content, width, 1, style)
        strip = strips[0] if strips else Strip.blank(0)
        return strip.extend_cell_length(width, (base or style).rich_style)

    def _redraw_block(self, anchor: Anchor | None) -> None:
        if anchor is None or self.document is None or anchor not in self.document.index:
            return
        index = self.document.index[anchor]
        self._block_version[index] = self._block_version.get(index, 0) + 1
        layout = self._line_layout
        if layout is not None and index < layout.measured:
            top = layout.top(index)
            self.refresh_lines(top, layout.bottom(index) - top)  # only the block's own lines
        else:
            self.refresh()

    # -- search highlights --------------------------------------------------------------------------

    def set_highlighter(self, highlighter: Highlighter | None) -> None:
        """Highlight the matches of a (new) query in the letter shown, or none."""
        self._active_highlighter = highlighter
        self._highlight_cache = {}
        self._render_version += 1
        self.refresh()

    @property
    def highlighter(self) -> Highlighter | None:
        """The highlighter of the current search, if any."""
        return self._active_highlighter

    def highlighted_anchors(self) -> list[Anchor]:
        """Every paragraph and footnote with a highlighted match, in reading order (reads them all)."""
        if self.document is None or self._active_highlighter is None:
            return []
        return [block.anchor for block in self.document.blocks if self._highlights_of(block)]

    def mark_hit(self, anchor: Anchor | None, *, scroll: bool = True) -> None:
        """Show `anchor` as the current search hit and bring it to the top of the view."""
        old, self.hit_anchor = self.hit_anchor, anchor
        self._redraw_block(old)
        self._redraw_block(anchor)
        if anchor is not None and scroll:
            self.scroll_to_anchor(anchor)

    def highlights_in(self, anchor: Anchor) -> list[str]:
        """The words shown highlighted as matches in block `anchor` (for tests and the copy notice)."""
        if self.document is None or anchor not in self.document.index:
            return []
        content = self._content(self.document.index[anchor])
        return [content.plain[span.start : span.end] for span in content.spans if span.style == render.MATCH_STYLE]

    def block_text(self, anchor: Anchor) -> str:
        """The text of block `anchor` as shown (footnote markers in), or ''."""
        if self.document is None or anchor not in self.document.index:
            return ""
        return self._content(self.document.index[anchor], plain=True).plain

    # -- sections -----------------------------------------------------------------------------------

    def action_next_section(self) -> None:
        """Scroll the next section heading to the top."""
        layout = self._ensure_layout()
        if layout is None or self.document is None:
            return
        for index in self.document.headings:
            y = layout.top(index) + self.document.blocks[index].lead
            if y > self.scroll_y + 0.5 and self.scroll_y < self.max_scroll_y:
                self._update_size()
                # A heading too near the end to reach the top: show the end, where it is.
                self.scroll_to(y=min(y, self.max_scroll_y), animate=False, immediate=True)
                return
        self.app.bell()

    def action_previous_section(self) -> None:
        """Scroll the previous section heading (or the top of the letter) to the top."""
        layout = self._ensure_layout()
        if layout is None or self.document is None:
            return
        if self.scroll_y <= 0:
            self.app.bell()
            return
        tops = [0] + [layout.top(i) + self.document.blocks[i].lead for i in self.document.headings]
        index = bisect_right(tops, self.scroll_y - 0.5) - 1
        self.scroll_to(y=tops[max(index, 0)], animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        """To the end of the letter (measuring the whole of it first)."""
        if self._line_layout is not None:
            self._line_layout.finish()
            self._update_size()
        self.scroll_to(y=max(0, self._line_layout.height - self.scrollable_content_region.height) if self._line_layout else 0,
                       animate=False, immediate=True, force=True)

    def action_scroll_home(self) -> None:
        """To the top of the letter."""
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_page_down(self) -> None:
        """A screen further, at once (as in less: an animated page costs a long letter frames, a
        reader nothing)."""
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        """A screen back, at once."""
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height, animate=False, immediate=True)

    # -- links --------------------------------------------------------------------------------------

    def _set_focused_link(self, index: int | None) -> None:
        old = self.focused_link
        self.focused_link = index
        if old is not None and old < len(self.links):
            self._redraw_block(self.links[old].anchor)
        if index is not None:
            self._redraw_block(self.links[index].anchor)
        self.update_bindings()

    def _step_link(self, step: int) -> bool:
        document = self.document
        if document is None:
            return False
        candidates = [link.index for anchor in self.visible_anchors() for link in document.blocks[document.index[anchor]].links]
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
        """Follow the link under the link cursor (Tab puts it on a link)."""
        if self.focused_link is not None:
            self.activate(self.focused_link)
        else:
            self.app.bell()

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
            self.notify(render.message(f"Copied {link.target}"), title="URL", markup=False)

    def action_link(self, index: int) -> None:
        """Run by a click on a link span (the only `@click` action in a letter's text)."""
        index = int(index)
        if 0 <= index < len(self.links):
            self._set_focused_link(index)
            self.activate(index)

    def action_footnotes(self) -> None:
        """Show the footnotes of the paragraph under the link cursor, or else of the text on screen."""
        document = self.document
        if document is None or not document.letter.footnotes:
            self.notify("This letter has no footnotes.", timeout=2)
            return
        numbers: list[int] = []
        visible = self.visible_anchors()
        if self.focused_link is not None and self.links[self.focused_link].anchor in visible:
            anchors = [self.links[self.focused_link].anchor]
        else:
            anchors = visible
        for anchor in anchors:
            if anchor[0] == "f":
                numbers.append(anchor[1])
            for link in document.blocks[document.index[anchor]].links:
                if link.kind == "footnote":
                    numbers.append(int(link.target))
        numbers = list(dict.fromkeys(numbers))
        if numbers:
            self.post_message(self.FootnotesRequested(tuple(numbers)))
        else:
            self.notify("No footnotes on screen.", timeout=2)

    def action_copy(self) -> None:
        """Copy the current paragraph (or footnote) with its citation."""
        anchor = self.current_anchor()
        if anchor is None:
            self.app.bell()
            return
        self.post_message(self.CopyRequested(anchor))

    # -- hits ---------------------------------------------------------------------------------------

    def action_next_hit(self) -> None:
        """Go to the next search hit."""
        self.post_message(self.HitStep(+1))

    def action_previous_hit(self) -> None:
        """Go to the previous search hit."""
        self.post_message(self.HitStep(-1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit"):
            return self.has_hits
        return True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # A link cursor that scrolled out of sight no longer makes Enter follow it.
        if self.focused_link is not None and self.links[self.focused_link].anchor not in self.visible_anchors():
            self._set_focused_link(None)


def anchors_in_order(document: LetterDocument | None, anchors: Iterable[Anchor]) -> list[Anchor]:
    """`anchors` that `document` has, in reading order, each once."""
    if document is None:
        return []
    return sorted({anchor for anchor in anchors if anchor in document.index}, key=document.order)
