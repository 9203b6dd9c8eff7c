"""The query string before parsing: quotes, operators, `-word`, date and dossier values, typing.

Whoosh's query parser reads the rewritten string (see `briefreader.search.compile`); what it
would misread or what is not part of briefreader's syntax is rewritten or refused here first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefreader.index import normalise_dossier

#: A longer query is cut to this many characters (with a notice).
MAX_QUERY_LENGTH = 500
#: A prefix (`migra*`, or the last word while typing) needs at least this many letters.
MIN_PREFIX = 2
#: Operators, written in capitals (Dutch and English).
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "EN", "OF", "NIET"})
#: Fields whose last word completes as a prefix while typing (the text fields).
TYPING_FIELDS = ("title", "titel", "section", "sectie", "kop", "from", "van", "signatory")


class QueryProblem(Exception):
    """A query that can't be run; `str()` is the message for the user."""


_QUOTED = re.compile(r'"[^"]*"')


def outside_quotes(text: str, transform: Callable[[str], str]) -> str:
    """Apply `transform` to the parts of `text` that are not inside double quotes."""
    parts: list[str] = []
    last = 0
    for match in _QUOTED.finditer(text):
        parts.append(transform(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(transform(text[last:]))
    return "".join(parts)


def rewrite_syntax(text: str) -> str:
    """Whoosh's `^`/`~` suffixes dropped, `-word` -> `NOT word`, `date:a..b` -> a Whoosh range."""
    # Whoosh's boost and fuzzy suffixes (`frontex^2`, `frontex~`) are not part of our syntax: drop them.
    text = re.sub(r"(?<=[\w\"])[\^~][\d.]*", " ", text)
    # `-word` and `-"a phrase"` -> NOT; a lone `-` is dropped.
    text = re.sub(r'(^|(?<=[\s(]))-+(?=[\w"(])', "NOT ", text)
    text = re.sub(r"(^|(?<=\s))-+(?=\s|$)", " ", text)
    # date:2020..2021, date:2020.., date:..2021 -> Whoosh ranges
    text = re.sub(
        r"\b((?:date|datum):)([\d-]*)\.\.([\d-]*)",
        lambda m: f"{m.group(1)}[{m.group(2) or ''} TO {m.group(3) or ''}]".replace("[ TO", "[TO"),
        text,
    )
    return text


_DATE_VALUE = re.compile(r"(?i)\b(?:date|datum):(\[[^\]]*\]?|\{[^}]*\}?|[<>]=?\S*|\S*)")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_problem(value: str) -> str:
    """The message for a date filter that is not a date."""
    return f"“{value}” is not a date: use date:2021, date:2021-08, date:2021-08-26 or a range such as date:2020..2021"


def check_dates(text: str) -> None:
    """Refuse a date filter Whoosh would misread: each end must be YYYY, YYYY-MM or YYYY-MM-DD."""
    for match in _DATE_VALUE.finditer(text):
        value = match.group(1).strip("[]{}<>=")
        ends = re.split(r"(?i)\s+TO\s+|\s+TO$|^TO\s+", value.strip()) if value.strip() else []
        if not ends:
            raise QueryProblem(date_problem(match.group(1) or ""))
        for end in ends:
            end = end.strip()
            if not end:
                continue
            date = _DATE.fullmatch(end)
            month = int(date.group(2)) if date and date.group(2) else 1
            day = int(date.group(3)) if date and date.group(3) else 1
            if not date or not 1 <= month <= 12 or not 1 <= day <= 31:
                raise QueryProblem(date_problem(end))


def normalise_dossier_values(text: str) -> str:
    """`dossier:"36 410 VI"` -> `dossier:36410-vi`, the form the index holds."""
    return re.sub(
        r'\b((?:dossier|dossiers):)"([^"]*)"',
        lambda m: m.group(1) + (normalise_dossier(m.group(2)) or '""'),
        text,
    )


def trim_operators(text: str) -> str:
    """Drop operators that have nothing on one side (`frontex OR`, `AND frontex`)."""
    words = text.split()
    while words and words[-1] in OPERATORS:
        words.pop()
    while words and words[0] in OPERATORS - {"NOT", "NIET"}:
        words.pop(0)
    return " ".join(words)


def as_you_type(raw: str, text: str) -> str:
    """Let the last, unfinished word also match as a prefix: `... litou` -> `... (litou OR litou*)`."""
    if not raw or raw[-1].isspace() or text.count('"') % 2:
        return text
    match = re.search(r"(^|[\s(])(?:(\w+):)?(\w+)$", text)
    if not match or match.group(3) in OPERATORS or len(match.group(3)) < MIN_PREFIX:
        return text
    fieldname = match.group(2)
    if fieldname and fieldname.lower() not in TYPING_FIELDS:
        return text
    word = match.group(3)
    prefix = f"{fieldname}:" if fieldname else ""
    return text[: match.start(2) if fieldname else match.start(3)] + f"{prefix}({word} OR {word}*)"


def fix_quotes(text: str) -> tuple[str, str | None]:
    """An odd number of quotes: the last one is dropped, with a notice saying so."""
    if text.count('"') % 2 == 0:
        return text, None
    index = text.rfind('"')
    return text[:index] + " " + text[index + 1 :], "The closing quote was missing: the last quote was ignored."


__all__ = [
    "MAX_QUERY_LENGTH",
    "MIN_PREFIX",
    "OPERATORS",
    "QueryProblem",
    "as_you_type",
    "check_dates",
    "date_problem",
    "fix_quotes",
    "normalise_dossier_values",
    "outside_quotes",
    "rewrite_syntax",
    "trim_operators",
]
