"""Links: the link cursor (Tab, Shift+Tab), following a link (Enter, a click) and footnotes (`f`).

A footnote marker opens its footnote, a citation its letter (both as messages to the screen), a
URL is copied. `LinksMixin` is part of `LetterView`.
"""

from __future__ import annotations

from briefreader.ui import render


class LinksMixin:
    """The link cursor and following links (part of `LetterView`)."""

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
