"""Copying to the user's clipboard, with a notification that shows what was copied."""

from __future__ import annotations

from collections.abc import Sequence

from textual.dom import DOMNode

from briefreader.ui import render

#: How much of a copied text the notification shows (the citation is always shown whole).
COPY_PREVIEW = 160


def preview(text: str, citation: str = "") -> str:
    """The start of `text` (at most about `COPY_PREVIEW` characters), then `citation` whole."""
    room = max(20, COPY_PREVIEW - len(citation))
    head = text if len(text) <= room else text[: room - 1].rstrip() + "…"
    return f"{head} {citation}".strip()


def copy_quotes(node: DOMNode, quotes: Sequence[tuple[str, str]], what: str = "Copied with citation") -> None:
    """Copy (text, citation) pairs, each text followed by its citation, a blank line between them;
    the notification shows the start of the first and its citation."""
    text = "\n\n".join(f"{body} {citation}" for body, citation in quotes)
    node.app.copy_to_clipboard(text)
    shown = preview(*quotes[0]) + (f" (+{len(quotes) - 1} more)" if len(quotes) > 1 else "")
    node.notify(render.message(shown), title=what, timeout=5, markup=False)
