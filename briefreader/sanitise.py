"""Text from outside made safe to show: the one function every boundary uses.

Letter text, sidecar and config values, file names, queries and XML/PDF metadata are data. Printed
raw, a control character is an instruction to the terminal: `ESC ] 52 ; c ; … BEL` rewrites the
user's clipboard (OSC 52), `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears the screen.
`visible()` turns every such character into something that shows and does nothing:

- C0 controls (U+0000-U+001F) become their Unicode Control Picture (ESC -> `␛`, BEL -> `␇`);
  newline and tab stay unless `newlines=False` (one-line labels);
- DEL (U+007F) becomes `␡`; C1 controls (U+0080-U+009F, which 8-bit terminals obey: U+009B is CSI)
  become `\\x9b`-style text;
- the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is
  shown, become `\\u202e`-style text;
- lone surrogates, which is how Python spells the bytes of a file name that is not UTF-8
  (`surrogateescape`), become `\\xNN` with the original byte, so the name reads as `ls` would quote it.

No Textual and no Rich here: the command line (`briefreader.terminal`), the reader's rendering and
the loaders call it. It is idempotent: what it returns passes through it unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

__all__ = ["visible", "visible_data", "is_clean"]

T = TypeVar("T")

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:
        # surrogateescape: the undecodable byte 0xNN of a file name.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with every control character shown instead of obeyed (see the module docstring).

    `newlines=False` also shows newline and tab (`␊`, `␉`): for titles, file names and other
    one-line values.
    """
    pattern = _UNSAFE if newlines else _UNSAFE_ONE_LINE
    if not pattern.search(text):
        return text
    return pattern.sub(_shown, text)


def is_clean(text: str, *, newlines: bool = True) -> bool:
    """True when `visible(text, newlines=newlines)` would return `text` itself."""
    return (_UNSAFE if newlines else _UNSAFE_ONE_LINE).search(text) is None


def visible_data(value: T) -> T:
    """`value` with `visible()` applied to every string in it: a string, a tuple, or a (frozen)
    dataclass such as a `Letter`, walked through its fields. Unchanged parts are returned as
    they are (no copy when nothing needed showing)."""
    if isinstance(value, str):
        return visible(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        items = tuple(visible_data(item) for item in value)
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in dataclasses.fields(value):
            old = getattr(value, item.name)
            new = visible_data(old)
            if new is not old:
                changes[item.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
