"""Places in the letter and moving between them: spots, what is on screen, sections, top and end.

A `Spot` is the block at the top of the screen and how many lines down it; the view scrolls to
one (at once, not animated), says which blocks are on screen and which paragraph the reader is
at, and steps from section heading to section heading. `ScrollingMixin` is part of `LetterView`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from briefreader.ui.render import Anchor


@dataclass(frozen=True)
class Spot:
    """A place in the letter shown: the block at the top of the screen and how many lines down it."""

    anchor: Anchor
    offset: int = 0


class ScrollingMixin:
    """Spots, the blocks on screen, sections and scrolling (part of `LetterView`)."""

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
