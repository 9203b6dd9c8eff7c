"""The main screen: the tree, the letter and the search panel, and how the reader moves between them.

Navigation lives here: opening a letter (from the tree, a hit, a citation, the palette, a mark),
back and forward through the places visited, resuming where the reader left off, the walk through
search hits with n/N, the footnote popup, copying with a citation, and the index refresh running
in a worker while the reader reads. What the reader remembers between runs (the place in each
letter, marks, when the reader was last opened) is `briefreader.state`.

One module per concern; `ReaderScreen` (in `screen`) mixes them in:

- `screen`: the panes and their layout for the width (`NARROW`, `WIDE`), starting the reader;
- `requests`: what to open (`OpenRequest`), the handle to await it (`Opening`), `first_request`;
- `opening`: opening letters in a worker, back and forward, citations and the footnote popup;
- `places`: the reading place, saved while reading and at exit, and marks;
- `copying`: copy with citation;
- `hits`: the search panel and the walk through the search hits (`ActiveSearch`, n/N);
- `letters`: new letters, reading the letter list again, the index refresh (`report_summary`).

The names below are re-exported for `from briefreader.ui.screens.reader import ...`; a constant
is read from the module that defines it, so patch it there (e.g. `...reader.opening.LOADING_NOTICE_AFTER`).
"""

from briefreader.ui.screens.reader.hits import ActiveSearch, hit_anchor
from briefreader.ui.screens.reader.letters import PROGRESS_INTERVAL, IndexDone, IndexProgress, NewLetters, report_summary
from briefreader.ui.screens.reader.opening import LOADING_NOTICE_AFTER
from briefreader.ui.screens.reader.places import SAVE_INTERVAL, StateNotSaved
from briefreader.ui.screens.reader.requests import Opening, OpenRequest, first_request
from briefreader.ui.screens.reader.screen import NARROW, WIDE, ReaderScreen

__all__ = [
    "LOADING_NOTICE_AFTER",
    "NARROW",
    "PROGRESS_INTERVAL",
    "SAVE_INTERVAL",
    "WIDE",
    "ActiveSearch",
    "IndexDone",
    "IndexProgress",
    "NewLetters",
    "OpenRequest",
    "Opening",
    "ReaderScreen",
    "StateNotSaved",
    "first_request",
    "hit_anchor",
    "report_summary",
]
