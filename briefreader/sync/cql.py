"""CQL queries for the repository's SRU service: every Kamerstuk of a dossier, or by full text.

The indexes used are the ones the service documents (`operation=explain`) and public clients use:
`c.product-area`, `w.publicatienaam`, `w.dossiernummer`, `cql.textAndIndexes`, `dt.type`,
`dt.date` and `dt.modified`; `sortBy dt.date/sort.descending` gives the newest first. Values are
always quoted, with `"` and `\\` escaped, so a user's text can never become CQL syntax.
"""

from __future__ import annotations

import datetime as dt
import re

from briefreader.model import normalise_dossier

__all__ = ["DossierError", "dossier_number", "dossier_query", "text_query", "quote"]

#: Every Kamerstuk of the official publications; attachments (`Bijlage`) are Kamerstukken too in the
#: repository's metadata but have no letter text, so they are left out in the query already.
_KAMERSTUKKEN = 'c.product-area=="officielepublicaties" AND w.publicatienaam=="Kamerstuk"'
_NO_ATTACHMENTS = 'NOT dt.type=="Bijlage"'
_NEWEST_FIRST = "sortBy dt.date/sort.descending"

#: A dossier number as the repository writes it: five digits, optionally a sub-dossier (`-20`),
#: a budget chapter in Roman numerals (`-VI`, `-XVI`, `-IXB`) or letters (`-A`).
_DOSSIER = re.compile(r"^\d{5}(?:-(?:\d{1,2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?$")


class DossierError(ValueError):
    """Text that is not a dossier number; `str()` says so with examples."""


def dossier_number(text: str) -> str:
    """`32317`, `32 317`, `21501-20`, `21 501-20`, `36410-VI`, `36410 vi` -> the repository's form
    (`32317`, `21501-20`, `36410-VI`); DossierError for anything else."""
    cleaned = " ".join(str(text).split()).upper()
    number = normalise_dossier(cleaned)
    if not _DOSSIER.match(number):
        raise DossierError(f"`{text}` is not a dossier number (e.g. 32317, 32 317, 21501-20, 36410-VI)")
    return number


def quote(value: str) -> str:
    """A CQL string literal: double quotes, with `\\` and `"` escaped and line breaks as spaces."""
    value = " ".join(value.split())
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dates(since: dt.date | None, until: dt.date | None, modified_since: dt.date | None) -> str:
    parts = []
    if since is not None:
        parts.append(f" AND dt.date>={quote(since.isoformat())}")
    if until is not None:
        parts.append(f" AND dt.date<={quote(until.isoformat())}")
    if modified_since is not None:
        parts.append(f" AND dt.modified>={quote(modified_since.isoformat())}")
    return "".join(parts)


def dossier_query(
    dossier: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    modified_since: dt.date | None = None,
) -> str:
    """Every Kamerstuk of `dossier` (already `dossier_number()`-ed), newest first."""
    return (
        f"{_KAMERSTUKKEN} AND w.dossiernummer=={quote(dossier)}"
        f"{_dates(since, until, modified_since)} {_NO_ATTACHMENTS} {_NEWEST_FIRST}"
    )


def text_query(
    text: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    modified_since: dt.date | None = None,
) -> str:
    """Every Kamerstuk whose text or metadata holds `text` (the service's own full-text index), newest first."""
    return (
        f"{_KAMERSTUKKEN} AND cql.textAndIndexes={quote(text)}"
        f"{_dates(since, until, modified_since)} {_NO_ATTACHMENTS} {_NEWEST_FIRST}"
    )
