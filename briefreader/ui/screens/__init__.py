"""The reader's screens: the main reader, the footnote popup, the help screen, the mark prompt."""

from pathlib import Path

#: The popups' styles (footnotes, help, marks), read when the first popup opens (each popup's
#: CSS_PATH): parsed with app.tcss, they made every start wait for them.
POPUPS_CSS = Path(__file__).resolve().parent.parent / "popups.tcss"
