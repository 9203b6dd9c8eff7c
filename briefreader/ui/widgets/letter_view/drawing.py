"""Drawing: each block as styled text (footnote markers, links, highlights) and one line at a time.

Textual's line API calls `render_line` for the rows on screen only; rows are cut from the block's
`Content` (made by `briefreader.ui.render`) where `briefreader.ui.layout` breaks it, and kept in
bounded caches. A block that changes (a hit marked, the link cursor moved) is drawn again alone.
`DrawingMixin` is part of `LetterView`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

from briefreader.ui import render
from briefreader.ui.document import RULE, Block
from briefreader.ui.layout import Layout
from briefreader.ui.render import Anchor

#: The row of the view where a message shown instead of a letter stands (below a blank line).
MESSAGE_ROW = 1


class _Frame(NamedTuple):
    """What every row drawn in one frame shares."""

    scroll_x: int
    scroll_y: int
    width: int
    base: VisualStyle
    layout: Layout | None


class DrawingMixin:
    """Blocks as Content and rows as Strips (part of `LetterView`)."""

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

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every row of one frame shares is worked out once per frame, not per row (as Textual's
        # own Tree and OptionList do): the view's region and style cost more than a cached row.
        self._frame = self._frame_state()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_state(self) -> _Frame:
        scroll_x, scroll_y = self.scroll_offset
        return _Frame(scroll_x, scroll_y, self.scrollable_content_region.width, self.visual_style, self._ensure_layout())

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._frame_state()
        width, base = frame.width, frame.base
        if self.document is None:
            if self.message is not None and y >= MESSAGE_ROW:
                # A message may name a long path: wrapped, never cut off.
                lines = render.notice(self.message, "$text-error").wrap(max(width - 1, 10))
                if y - MESSAGE_ROW < len(lines):
                    return self._strip(lines[y - MESSAGE_ROW], width, base)
            return Strip.blank(width, base.rich_style)
        layout = frame.layout
        if layout is None:
            return Strip.blank(width, base.rich_style)
        line = frame.scroll_y + y
        index = layout.block_at(line)
        if index is None:
            return Strip.blank(width, base.rich_style)
        # The row with its offsets applied is kept: the same Strip, frame after frame, keeps the
        # crops and filters Textual caches on it.
        key = (index, line - layout.top(index), self._line_layout_key, self._block_version.get(index, 0),
               self._render_version, frame.scroll_x, line)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._render_row(index, line - layout.top(index), width).apply_offsets(frame.scroll_x, line)
            self._strip_cache[key] = strip
        return strip

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

    def block_text(self, anchor: Anchor) -> str:
        """The text of block `anchor` as shown (footnote markers in), or ''."""
        if self.document is None or anchor not in self.document.index:
            return ""
        return self._content(self.document.index[anchor], plain=True).plain
