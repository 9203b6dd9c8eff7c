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
#: As you type, a query of one word shorter than this is looked up in the letters' titles only
#: (`title_query`): in the text, a prefix of two letters stands for the most frequent words of the
#: whole corpus (`eu`: nearly every letter, about 250 ms to score at 10,000 letters before the
#: caches are warm), while in the titles it is quick and says more (`eu`: the letters about the
#: EU). A space after the word searches the text for it.
TITLES_BELOW = 3
#: Said in the status line while a short first word is looked up in the titles only.
TITLES_NOTICE = "Titles only for now: type on for the text."
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


#: The parts of a query string, for `tidy_operators`: a quoted phrase (with its field), a range
#: in brackets (`date:[2020 TO 2021]`, one part although it has spaces), a parenthesis, a word.
_PART = re.compile(r'(?:\S*?:)?"[^"]*"|\S*?[\[{][^\]}]*[\]}]?|[()]|[^\s()]+')
_BINARY = OPERATORS - {"NOT", "NIET"}
_UNARY = frozenset({"NOT", "NIET"})


def tidy_operators(text: str) -> tuple[str, bool]:
    """Drop operators that have nothing to work on: a binary operator (`OR`, `AND`) needs an
    operand on each side, `NOT` one after it (`frontex OR`, `AND frontex`, `a NOT OR b`,
    `NIET OR 21501-20`, `(NOT)`); empty parentheses go too. Whoosh's parser fails on these.
    Returns the tidied query and whether anything but a trailing or leading operator was dropped.
    """
    parts = _PART.findall(text)
    dropped_inside = False
    changed = True
    while changed:
        changed = False
        for i, part in enumerate(parts):
            before = parts[i - 1] if i > 0 else None
            after = parts[i + 1] if i + 1 < len(parts) else None
            if part in _BINARY:
                operand_before = before is not None and before not in OPERATORS and before != "("
                # `x OR NOT y`: an operand may start with NOT.
                operand_after = after is not None and after not in _BINARY and after != ")"
                drop = not (operand_before and operand_after)
            elif part in _UNARY:
                drop = after is None or after in OPERATORS or after == ")"
            elif part == "(" and after == ")":
                del parts[i : i + 2]
                changed = True
                break
            else:
                continue
            if drop:
                dropped_inside = dropped_inside or (before is not None and after is not None)
                del parts[i]
                changed = True
                break
    return " ".join(parts), dropped_inside


def trim_operators(text: str) -> str:
    """Drop operators that have nothing on one side (see `tidy_operators`)."""
    return tidy_operators(text)[0]


def plain_words(text: str) -> str:
    """The words of a query that could not be parsed, operators left out."""
    return " ".join(word for word in re.findall(r"\w+", text) if word not in OPERATORS)


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


def title_query(raw: str, text: str) -> str | None:
    """As you type: the query for the titles, when the query is one word shorter than
    `TITLES_BELOW` not followed by a space (`eu` -> `title:(eu OR eu*)`); else None."""
    word = text.strip()
    if not raw or raw[-1].isspace() or not re.fullmatch(r"\w+", word) or len(word) >= TITLES_BELOW or word in OPERATORS:
        return None
    return f"title:({word} OR {word}*)" if len(word) >= MIN_PREFIX else f"title:{word}"


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
    "TITLES_BELOW",
    "TITLES_NOTICE",
    "QueryProblem",
    "as_you_type",
    "check_dates",
    "date_problem",
    "fix_quotes",
    "normalise_dossier_values",
    "outside_quotes",
    "title_query",
    "rewrite_syntax",
    "plain_words",
    "tidy_operators",
    "trim_operators",
]
