"""The letter view widget: header, sections, paragraphs, list items and footnotes of one letter.

It draws only the lines on screen (Textual's line API: a `ScrollView` with `render_line`, as
Textual's own `Log` and `Tree` do): a 60-page letter costs what one screen costs. The letter comes
as a `LetterDocument` (built in the worker that loaded it). `LetterView` holds what is shown, its
keys and the messages it sends the screen; the rest is mixed in, one concern each: `measuring`
(layout measuring), `scrolling` (spots, sections), `drawing` (lines), `highlights` (search hits)
and `links` (the link cursor, footnotes).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefreader.ui.document import Block, LetterDocument
from briefreader.ui.layout import Layout
from briefreader.ui.render import Anchor, Link
from briefreader.ui.widgets.letter_view.drawing import DrawingMixin
from briefreader.ui.widgets.letter_view.highlights import Highlighter, HighlightsMixin
from briefreader.ui.widgets.letter_view.links import LinksMixin
from briefreader.ui.widgets.letter_view.measuring import MeasuringMixin
from briefreader.ui.widgets.letter_view.scrolling import ScrollingMixin, Spot

#: Rendered lines and blocks kept (a few screens' worth; the rest is drawn again when scrolled back).
LINE_CACHE = 1024
BLOCK_CACHE = 256

_SECTION = Binding.Group("Section")
_HITS = Binding.Group("Hit")


class LetterView(MeasuringMixin, ScrollingMixin, DrawingMixin, HighlightsMixin, LinksMixin, ScrollView, can_focus=True):
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
        self._frame = None  # while a frame is drawn: what its rows share (see `render_lines`)

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

    # -- resizing, the keys on offer, scrolling ------------------------------------------------------

    def on_resize(self) -> None:
        if self._ensure_layout() is not None:
            self._apply_pending()
        self.refresh()

    def action_copy(self) -> None:
        """Copy the current paragraph (or footnote) with its citation."""
        anchor = self.current_anchor()
        if anchor is None:
            self.app.bell()
            return
        self.post_message(self.CopyRequested(anchor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit"):
            return self.has_hits
        return True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # A link cursor that scrolled out of sight no longer makes Enter follow it.
        if self.focused_link is not None and self.links[self.focused_link].anchor not in self.visible_anchors():
            self._set_focused_link(None)
