"""What the search panel lists and how: the query input, the result list and its lines, and a
search result grouped by letter.

The panel (`briefreader.ui.widgets.search_panel`) imports this module when it is filled, right
after the reader's first frame (`SearchPanel.fill`): the panel is hidden until `/`, and its parts'
classes cost the first frame a few milliseconds more.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from briefreader.sanitise import visible
from briefreader.ui.library import HitLike, LetterHitLike, ResultLike

#: Snippets shown under each letter (its best paragraphs); n/N reach the rest once it is open.
SNIPPETS_PER_LETTER = 3


class QueryInput(Input):
    """The query input; Enter opens the highlighted hit (named so in the footer).

    Whatever is typed or pasted is shown, never obeyed: control characters become visible
    (a pasted `ESC [ 2 J` is a query for `␛[2J`, not a cleared screen).
    """

    BINDINGS = [Binding("enter", "submit", "Open hit")]

    #: Textual's `Input` sets its virtual size (the text's width, for scrolling it) on every key,
    #: and a widget's virtual size asks for a layout pass of the whole screen. This input's size
    #: never depends on its text (one line, the panel's width), so here it only repaints.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def validate_value(self, value: str) -> str:
        return visible(value, newlines=False)

    def type_ahead(self, character: str) -> None:
        """Take a character typed before this input had the focus, as if typed here."""
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(character)
        else:
            self.replace(character, *selection)


class ResultList(OptionList, can_focus=False):
    """The results; driven from the query input (Up/Down/Enter) or the mouse, so it never takes focus."""

    #: As for `QueryInput`: the list's size is the panel's, whatever it holds, so new results
    #: repaint it (and its scrollbar) without a layout pass of the whole screen.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


@dataclass(frozen=True)
class LetterResults:
    """A search result as the panel lists it: the matching letters, each with its hits."""

    letters: tuple[LetterHitLike, ...]

    @classmethod
    def of(cls, result: ResultLike) -> LetterResults:
        """The letters of `result` (grouped from its hits if the result has no letter list)."""
        letters = tuple(getattr(result, "letters", ()) or ())
        if letters or not result.hits:
            return cls(letters)
        grouped: dict[str, list[HitLike]] = {}
        for hit in result.hits:
            grouped.setdefault(hit.letter, []).append(hit)
        return cls(tuple(_Grouped(hits[0].letter, hits[0].title, hits[0].date, hits[0].score, tuple(hits)) for hits in grouped.values()))


@dataclass(frozen=True)
class _Grouped:
    letter: str
    title: str | None
    date: str | None
    score: float
    paragraphs: tuple[HitLike, ...]


def shown_options(listing: LetterResults, suggestions: tuple[str, ...]) -> tuple:
    """What the result list shows for `listing`: equal for two results that look the same."""
    return suggestions[:1], tuple(
        (letter.letter, letter.date, letter.title,
         tuple((hit.section, hit.footnote, hit.snippet, tuple(hit.highlights)) for hit in letter.paragraphs[:SNIPPETS_PER_LETTER]))
        for letter in listing.letters
    )


class ResultOption(Option):
    """One line of the result list: a snippet of a letter (`letter`, `hit` indexes) or a suggestion."""

    def __init__(self, prompt, *, letter: int | None = None, hit: int | None = None, suggestion: str | None = None) -> None:
        super().__init__(prompt)
        self.letter = letter
        self.hit = hit
        self.suggestion = suggestion
