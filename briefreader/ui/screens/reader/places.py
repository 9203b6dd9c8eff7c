"""Reading places: where the reader is, saved while reading and at exit (to resume there), and marks.

The place is the letter and the block at the top of the screen; `briefreader.state` keeps it
between runs, with the marks (`m` and a letter sets one, `'` and the letter goes there).
`PlacesMixin` is part of `ReaderScreen`.
"""

from __future__ import annotations

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump

from briefreader.state import Place, ReaderState
from briefreader.ui import render
from briefreader.ui.screens.reader.requests import Opening, OpenRequest
from briefreader.ui.widgets.letter_view import Spot

#: Seconds between two checks whether the reading place moved (and must be saved).
SAVE_INTERVAL = 2.0


class StateNotSaved(Message):
    """The reading places could not be written (`problem` says why, in one line)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__()


class PlacesMixin(MessagePump):
    """The reading place and the marks (part of `ReaderScreen`)."""

    # -- the reading place --------------------------------------------------------------------------

    def current_place(self) -> Place | None:
        """Where the reader is now: the letter and the block at the top of the screen."""
        view = self.view
        if view.letter_id is None:
            return None
        spot = view.spot
        return Place(view.letter_id, spot.anchor, spot.offset)

    def _remember_place(self) -> None:
        place = self.current_place()
        if place is not None and self.state is not None:
            self.state.corpus.remember(place)

    def save_place(self, *, background: bool = True) -> None:
        """Record the reading place and write the state if anything changed since the last write."""
        if self.state is None:
            return
        self._remember_place()
        entry = self.state.corpus.to_json()
        if entry == self._saved_entry:
            return
        self._saved_entry = entry
        snapshot = self.state.snapshot()
        if background:
            self._write_state(self.state, snapshot)
        else:
            self._report_save(self.state.write(snapshot))

    @work(thread=True, exclusive=True, group="state")
    def _write_state(self, state: ReaderState, snapshot: dict) -> None:
        problem = state.write(snapshot)
        if problem:
            self.post_message(StateNotSaved(problem))

    def on_state_not_saved(self, message: StateNotSaved) -> None:
        self._report_save(message.problem)

    def _report_save(self, problem: str | None) -> None:
        if problem and not self._save_problem_told:
            self._save_problem_told = True
            self.notify(render.message(problem), title="Reading places", severity="warning", markup=False)

    # -- marks --------------------------------------------------------------------------------------

    def mark_label(self, place: Place) -> str:
        """What a mark points to, in words: the letter and the block."""
        kind, number = place.anchor
        where = {"p": f"paragraph {number + 1}", "f": f"footnote {number}", "s": "a section heading"}.get(kind, "the top")
        info = self.library.info(place.letter)
        if info is None:
            return f"{place.letter} · {where}"
        date = f"{info.date[:10]} " if info.date else ""
        return f"{date}{render.short_title(info.title, info.id, limit=50)} · {where}"

    def marks(self) -> list[tuple[str, Place]]:
        """The marks set, by name."""
        if self.state is None:
            return []
        return sorted(self.state.corpus.marks.items())

    def action_set_mark(self) -> None:
        """`m` then a letter: remember this place under that letter."""
        from briefreader.ui.screens.marks import MarkPrompt  # imported when first opened

        place = self.current_place()
        if place is None or self.state is None:
            self.app.bell()
            return

        def chosen(name: str | None) -> None:
            if name is None or self.state is None:
                return
            self.state.corpus.marks[name] = place
            self.save_place()
            self.notify(render.message(f"Mark {name}: {self.mark_label(place)}"), timeout=3, markup=False)

        self.app.push_screen(MarkPrompt("Set mark: press a letter"), chosen)

    def action_go_to_mark(self) -> None:
        """`'` then a letter: go to the place marked with it."""
        from briefreader.ui.screens.marks import MarkPrompt  # imported when first opened

        marks = self.marks()
        if not marks:
            self.app.bell()
            self.notify("No marks yet: m and a letter sets one.", timeout=3)
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self.go_to_mark(name)

        self.app.push_screen(MarkPrompt("Go to mark", [(name, self.mark_label(place)) for name, place in marks]), chosen)

    def go_to_mark(self, name: str) -> Opening | None:
        """Go to mark `name` (recorded for Back)."""
        place = self.state.corpus.marks.get(name) if self.state else None
        if place is None:
            self.app.bell()
            self.notify(render.message(f"No mark {name}."), timeout=2, markup=False)
            return None
        if place.letter not in self.library.by_id:
            self.notify(render.message(f"Mark {name}: letter {place.letter} is no longer in the corpus."), severity="warning", markup=False)
            return None
        self.view.focus()
        if place.letter == self.view.letter_id:
            self._jump_within(Spot(place.anchor, place.offset))
            return None
        return self._open(OpenRequest(place.letter, place=place))
