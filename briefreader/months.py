"""The Dutch month names, as the letters write dates: the parser reads them, the display writes them.

A module of its own so that showing a date does not import the parser (its patterns compile
dozens of regular expressions: imported by the display, they were on the way to the reader's
first screen).
"""

from __future__ import annotations

#: Month name -> number, januari ... december in order.
MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

__all__ = ["MONTHS"]
