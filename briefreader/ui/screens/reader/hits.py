"""Search hits: the search panel, the chosen hit, and the walk through the hits with n/N.

`ActiveSearch` is the search whose hits n/N walk: within the letter shown, then on through the
matching letters. `HitsMixin` is part of `ReaderScreen`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from textual import events, on
from textual.message_pump import MessagePump

from briefreader.ui.library import LetterHitLike
from briefreader.ui.render import Anchor
from briefreader.ui.screens.reader.requests import Opening, OpenRequest
from briefreader.ui.widgets.letter_view import LetterView
from briefreader.ui.widgets.search_panel import SearchPanel


@dataclass
class ActiveSearch:
    """The search whose hits n/N walk: its query, its letters, and which of them is being walked."""

    query: str
    as_you_type: bool
    letters: tuple[LetterHitLike, ...]
    current: int = 0
    #: letter id -> the anchors of its hits in reading order (from `Library.letter_hits`).
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)

    def position(self, letter_id: str | None) -> int | None:
        """Where `letter_id` stands among the letters, or None."""
        for number, letter in enumerate(self.letters):
            if letter.letter == letter_id:
                return number
        return None


def hit_anchor(hit) -> Anchor | None:
    """Where a hit stands in its letter: its footnote or paragraph (None: the letter as a whole)."""
    if hit.footnote is not None:
        return ("f", int(hit.footnote))
    if hit.paragraph is not None:
        return ("p", int(hit.paragraph))
    return None


class HitsMixin(MessagePump):
    """The search panel and the search hits (part of `ReaderScreen`)."""

    # -- the search panel ---------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search panel and put the focus in its input."""
        panel = self.panel
        panel.fill()
        panel.display = True
        self.apply_layout()
        panel.focus_input()

    def on_key(self, event: events.Key) -> None:
        """`/` and the keys typed right behind it in one burst (pasted, or typed fast over a slow
        link) reach the screen one by one, all sent to the letter before the focus could move
        (the key bindings run only after that). So `/` opens the panel here, as it comes by, and
        a printable key that comes by while the query input has the focus goes into the query
        (the input keeps every key sent to it): `/frontex` searches for frontex instead of
        losing it or opening the footnotes (`f`) and hiding the tree (`t`)."""
        panel = self.panel
        if event.key == "slash" and not panel.input_focused:
            event.stop()
            event.prevent_default()
            self.action_search()
        elif panel.display and panel.input_focused and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            panel.input.type_ahead(event.character)

    def action_escape(self) -> None:
        """Close the search panel, or else clear the highlighted hits."""
        if self.panel.display:
            self._close_panel()
        elif self.search_state is not None:
            self.clear_hits()

    def _close_panel(self) -> None:
        self.panel.display = False
        self.apply_layout()
        self.view.focus()

    @on(SearchPanel.Closed)
    def _panel_closed(self) -> None:
        if self.narrow:
            self._close_panel()
        self.view.focus()

    def clear_hits(self) -> None:
        """Forget the search: no highlights, n/N idle."""
        self.search_state = None
        view = self.view
        view.set_highlighter(None)
        view.mark_hit(None, scroll=False)
        view.hit_anchors = []
        view.has_hits = False
        view.update_bindings()

    # -- search hits --------------------------------------------------------------------------------

    @on(SearchPanel.HitChosen)
    def _hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        from briefreader.ui.widgets.search_results import LetterResults  # loaded with the panel's parts

        listing = LetterResults.of(message.result)
        if not 0 <= message.letter < len(listing.letters):
            return
        letter = listing.letters[message.letter]
        self.search_state = ActiveSearch(message.query, message.as_you_type, listing.letters, message.letter)
        hits = letter.paragraphs
        anchor = hit_anchor(hits[message.hit]) if 0 <= message.hit < len(hits) else None
        self.open_hit(letter.letter, anchor if anchor is not None else "first")
        if self.narrow:
            self._close_panel()
        self.view.focus()

    def open_hit(self, letter_id: str, hit: Anchor | Literal["first", "last"]) -> Opening | None:
        """Show the hit `hit` of the active search in `letter_id` (opening it if needed)."""
        search = self.search_state
        view = self.view
        if search is not None:
            position = search.position(letter_id)
            if position is not None:
                search.current = position
                self.panel.show_current(position)
        if letter_id == view.letter_id and search is not None and letter_id in search.anchors:
            current = self.current_place()
            if current is not None:
                self.history.push(current)
            view.set_highlighter(self.library.highlighter(search.query, search.as_you_type))
            view.hit_anchors = search.anchors[letter_id]
            view.has_hits = True
            view.update_bindings()
            if hit == "first" or hit == "last":
                found = view.hit_anchors or view.highlighted_anchors()
                hit = (found[0] if hit == "first" else found[-1]) if found else None  # type: ignore[assignment]
            view.mark_hit(hit)  # type: ignore[arg-type]
            return None
        return self._open(OpenRequest(letter_id, hit=hit, resume=False))

    @on(LetterView.HitStep)
    def _hit_step(self, message: LetterView.HitStep) -> None:
        self.step_hit(message.step)

    def step_hit(self, step: int) -> Opening | None:
        """`n`/`N`: the next/previous hit in this letter, then on through the matching letters."""
        search = self.search_state
        if search is None:
            return None
        view = self.view
        document = view.document
        anchors = view.hit_anchors or view.highlighted_anchors()
        if document is not None and anchors:
            if view.hit_anchor is not None and view.hit_anchor in document.index:
                reference = document.order(view.hit_anchor)
            else:
                # No hit marked yet: from where the reader is (the block at the top of the screen).
                reference = document.order(view.spot.anchor) - (1 if step > 0 else 0)
                reference = reference if step > 0 else reference + 1
            if step > 0:
                following = [a for a in anchors if document.order(a) > reference]
            else:
                following = [a for a in reversed(anchors) if document.order(a) < reference]
            if following:
                view.mark_hit(following[0])
                return None
        here = search.position(view.letter_id)
        start = here if here is not None else search.current
        order = range(start + 1, len(search.letters)) if step > 0 else range(start - 1, -1, -1)
        for position in order:
            letter = search.letters[position]
            if letter.letter != view.letter_id:
                return self.open_hit(letter.letter, "first" if step > 0 else "last")
        self.app.bell()
        self.notify("No more hits." if step > 0 else "No earlier hits.", timeout=2)
        return None
