"""A block of letter text whose link spans report clicks as messages (the footnote popup's footnotes;
the letter view draws its own lines instead, see `letter_view`)."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from briefreader.ui.render import Anchor


class TextBlock(Static):
    """One footnote (or other block of text) in a popup.

    Its content is always a `Content` built by `briefreader.ui.render`, never a markup string. The
    link spans in it run this widget's `link(index)` action, which posts `TextBlock.LinkClicked`;
    the owner (the footnote popup) looks the index up in its own link table.
    """

    class LinkClicked(Message):
        """A link span in a text block was clicked."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, content=None, *, anchor: Anchor | None = None, **kwargs) -> None:
        super().__init__(content if content is not None else "", markup=False, **kwargs)
        self.anchor = anchor

    def action_link(self, index: int) -> None:
        """Run by a click on a link span."""
        self.post_message(self.LinkClicked(int(index)))
