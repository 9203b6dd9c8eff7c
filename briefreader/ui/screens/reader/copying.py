"""Copying with a citation: `y` copies the paragraph or footnote at hand with where it comes from.

`CopyMixin` is part of `ReaderScreen`; the quote and its citation are `briefreader.cite`.
"""

from __future__ import annotations

from textual import on
from textual.message_pump import MessagePump

from briefreader.ui.widgets.letter_view import LetterView


class CopyMixin(MessagePump):
    """Copy with citation (part of `ReaderScreen`)."""

    @on(LetterView.CopyRequested)
    def _copy(self, message: LetterView.CopyRequested) -> None:
        view = self.view
        if view.letter is None:
            return
        from briefreader import cite  # at the first copy, not before the first screen
        from briefreader.ui.clipboard import copy_quotes

        kind, number = message.anchor
        if kind == "f":
            parts = cite.footnote_parts(view.letter, number, letter_id=view.letter_id)
        else:
            parts = cite.paragraph_parts(view.letter, number, letter_id=view.letter_id)
        if parts is None:
            self.app.bell()
            return
        copy_quotes(self, [parts])
