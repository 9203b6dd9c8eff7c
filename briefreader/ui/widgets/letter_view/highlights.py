"""Search highlights: the matches of the active query, the current hit, and the n/N keys.

The screen hands the view a `Highlighter` for the search and the hits' anchors; the view
highlights the matches in the blocks it draws and marks the current hit. `HighlightsMixin` is
part of `LetterView`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from briefreader.ui import render
from briefreader.ui.document import LetterDocument
from briefreader.ui.render import Anchor

#: Finds the spans of a query's matches in a text (None: no query active).
Highlighter = Callable[[str], Sequence[tuple[int, int]]]


class HighlightsMixin:
    """Search highlights and the current hit (part of `LetterView`)."""

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

    # -- hits ---------------------------------------------------------------------------------------

    def action_next_hit(self) -> None:
        """Go to the next search hit."""
        self.post_message(self.HitStep(+1))

    def action_previous_hit(self) -> None:
        """Go to the previous search hit."""
        self.post_message(self.HitStep(-1))


def anchors_in_order(document: LetterDocument | None, anchors: Iterable[Anchor]) -> list[Anchor]:
    """`anchors` that `document` has, in reading order, each once."""
    if document is None:
        return []
    return sorted({anchor for anchor in anchors if anchor in document.index}, key=document.order)
