"""The one-key prompt after `m` (set a mark) or `'` (jump to one), as in less and vim.

It waits for one printable key and dismisses with it (Esc: None). For `'` it lists the marks set,
so the reader need not remember them.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from briefreader.ui import render
from briefreader.ui.screens import POPUPS_CSS


class MarkPrompt(ModalScreen["str | None"]):
    """Asks for a mark's name: one letter or digit."""

    CSS_PATH = POPUPS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, marks: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.title_text = title
        #: (mark, what it points to) of the marks set.
        self.marks = list(marks)

    def compose(self) -> ComposeResult:
        with Vertical(id="mark-popup") as popup:
            popup.border_title = self.title_text
            popup.border_subtitle = "Esc cancels"
            if self.marks:
                for name, label in self.marks:
                    yield Static(render.mark_row(name, label), classes="mark-row", markup=False)
            else:
                yield Static(render.notice("Press a letter or digit."), classes="mark-row", markup=False)

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if event.key == "escape":
            return
        event.stop()
        event.prevent_default()
        if character is not None and len(character) == 1 and character.isalnum():
            self.dismiss(character)
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        """Close without a mark."""
        self.dismiss(None)
