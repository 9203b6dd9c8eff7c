"""The letter view: header, sections, paragraphs, list items and footnotes of one letter.

It draws only the lines on screen (Textual's line API: a `ScrollView` with `render_line`, as
Textual's own `Log` and `Tree` do): a 60-page letter costs what one screen costs. The letter comes
as a `LetterDocument` (built in the worker that loaded it); `briefreader.ui.layout` breaks its
blocks into lines and knows where each block starts, measuring only as far as needed and the rest
in small steps in the background. Rendered lines are kept in a bounded cache, so memory grows with
what has been on screen, not with the letter.

One module per concern; `LetterView` (in `view`) mixes them in:

- `view`: the widget, what it shows, its keys and the messages it sends the screen;
- `measuring`: layout measuring (the text width, line breaks, the height; `MAX_WIDTH`);
- `scrolling`: `Spot`, the blocks on screen, the current paragraph, sections, top and end;
- `drawing`: blocks as styled text (footnote markers, links, highlights) and `render_line`;
- `highlights`: search highlights, the current hit, n/N (`Highlighter`, `anchors_in_order`);
- `links`: the link cursor (Tab), following links, the footnotes popup (`f`).

The names below are re-exported for `from briefreader.ui.widgets.letter_view import ...`; a
constant is read from the module that defines it, so patch it there.
"""

from briefreader.ui.widgets.letter_view.drawing import MESSAGE_ROW
from briefreader.ui.widgets.letter_view.highlights import Highlighter, anchors_in_order
from briefreader.ui.widgets.letter_view.measuring import HEADER_ESTIMATE, LAYOUT_STEP, MAX_WIDTH, WRAP_WASTE
from briefreader.ui.widgets.letter_view.scrolling import Spot
from briefreader.ui.widgets.letter_view.view import BLOCK_CACHE, LINE_CACHE, LetterView

__all__ = [
    "BLOCK_CACHE",
    "HEADER_ESTIMATE",
    "LAYOUT_STEP",
    "LINE_CACHE",
    "MAX_WIDTH",
    "MESSAGE_ROW",
    "WRAP_WASTE",
    "Highlighter",
    "LetterView",
    "Spot",
    "anchors_in_order",
]
