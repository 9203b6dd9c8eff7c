"""Copying to the user's clipboard, with a notification that shows what was copied."""

from __future__ import annotations

from textual.dom import DOMNode

from briefreader.ui import render

#: How much of a copied text the notification shows.
COPY_PREVIEW = 160


def copy_with_notice(node: DOMNode, text: str, what: str = "Copied with citation") -> None:
    """Put `text` on the clipboard (Textual's OSC 52 support) and show what was copied."""
    node.app.copy_to_clipboard(text)
    preview = text if len(text) <= COPY_PREVIEW else text[: COPY_PREVIEW - 1] + "…"
    node.notify(render.message(preview), title=what, timeout=5, markup=False)
