"""The help screen: every key of every pane, read from the bindings themselves, and the query syntax."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from briefreader.ui import render
from briefreader.ui.screens import POPUPS_CSS

#: The query syntax of `briefreader.search`, as the help screen shows it.
QUERY_SYNTAX: Sequence[tuple[str, str]] = (
    ("frontex litouwen", "both words (AND is the default)"),
    ("frontex OR easo", "either word (OF works too)"),
    ("frontex NOT litouwen", "leave out a word (also -litouwen, NIET)"),
    ('"raad van justitie"', "a phrase"),
    ("migratie*", "words starting with migratie"),
    ("date:2021", "a year, a month (date:2021-08) or a day (date:2021-08-26)"),
    ("date:2020..2021", "a range (also date:[2020 TO 2021], date:>2021-06)"),
    ("dossier:32317", "a dossier (dossier:21501-20)"),
    ("title:afghanistan", "words in the letter's title"),
    ("from:broekers", "words in the signatories"),
    ("section:ipcr", "words in a section title"),
    ("tag:migratie nr:703", "a tag, a document number"),
    ("", "Dutch matching: case and accents don't matter, word forms are stemmed "
     "(migratiestroom finds migratiestromen); operators are written in capitals."),
)

#: Extra rows for what a binding list cannot say.
MOUSE_ROWS: Sequence[tuple[str, str]] = (
    ("click", "a footnote number, a citation or a URL follows it; a tree node opens it"),
    ("ctrl+p", "command palette: jump to a letter or section by name; change the theme"),
)


#: Inherited actions that mean nothing in this app (letters don't scroll sideways).
_NOT_SHOWN = {"scroll_left", "scroll_right", "page_left", "page_right", "app.focus_next", "app.focus_previous"}


def binding_rows(app: App, owners: Iterable[type[DOMNode]]) -> list[tuple[str, str]]:
    """(keys, description) for the bindings of `owners` (with what they inherit), one row per action."""
    rows: dict[str, tuple[list[str], str]] = {}
    for owner in owners:
        for cls in reversed(owner.__mro__):
            for item in cls.__dict__.get("BINDINGS", []):
                for binding in Binding.make_bindings([item]):
                    if binding.system or not binding.description or binding.action in _NOT_SHOWN:
                        continue
                    keys, _ = rows.setdefault(binding.action, ([], binding.description))
                    display = app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
                    rows[binding.action] = (keys, binding.description)
    return [(" ".join(keys), description) for keys, description in rows.values()]


class HelpScreen(ModalScreen[None]):
    """Every key, pane by pane, and the search syntax."""

    CSS_PATH = POPUPS_CSS

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False),
        Binding("space,pagedown", "scroll(10)", "Page down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
    ]

    def __init__(self, groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="help-popup") as popup:
            popup.border_title = "briefreader keys"
            popup.border_subtitle = "Esc closes"
            with VerticalScroll(id="help-body"):
                for group, rows in [*self.groups, ("Search syntax", QUERY_SYNTAX)]:
                    yield Static(render.section_title(group), classes="help-group")
                    for keys, description in rows:
                        # Two columns, so a long description wraps under itself, not under the keys.
                        yield HorizontalGroup(
                            Static(render.help_key(keys), classes="help-key"),
                            Static(render.help_text(description), classes="help-description"),
                            classes="help-row",
                        )
        yield Footer()

    def rows(self) -> list[tuple[str, str]]:
        """The (keys, description) rows as shown."""
        return [
            (str(row.query_one(".help-key", Static).visual), str(row.query_one(".help-description", Static).visual))
            for row in self.query(".help-row")
        ]

    def action_close(self) -> None:
        """Back to where the reader was."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help text."""
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)
