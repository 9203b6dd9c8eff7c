"""Plain-text display helpers shared by the command line and the reader (no Textual, no Rich)."""

from __future__ import annotations

import datetime as dt

from briefreader.months import MONTHS

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MONTH_NAMES = list(MONTHS)  # januari ... december, in order


def superscript(n: int) -> str:
    """`12` -> `¹²`: how a footnote marker is shown."""
    return str(n).translate(_SUPERSCRIPT)


def dutch_date(value: dt.date | str | None) -> str:
    """`2021-08-26` -> `26 augustus 2021`, as the letters themselves write it; '' if unknown."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"
