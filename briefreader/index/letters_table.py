"""The letters table: every indexed letter's `LetterInfo`, a row each in the generation's database.

The reader lists every letter at start-up and the links between letters need all of them. Read
from Whoosh, that is one stored document per letter (2 s at 10,000 letters); here it is one query
over one table, newest first, kept in memory until the database changes. A refresh writes the
rows of the letters it (re)indexed and deletes those of removed letters, in the same transaction
as the manifest (`briefreader.index.database`).

A row holds what lists a letter (`listing`) and its `LetterDetails` (`details`), each a CRC-32
and a pickle (`info.pack`): the listing is unpickled at start-up, the details only when a
letter's sections, signers or summary are asked for. Pickle, like Whoosh's own stored fields in
the same cache, is only ever read from the user's own cache folder; a checksum makes damage
`IndexDamaged` before anything is unpickled. `check_table` checks every row (a refresh does);
`read_table` checks the listings it reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from briefreader.bulk import collector_paused
from briefreader.index import database
from briefreader.index.errors import IndexDamaged
from briefreader.index.info import LetterInfo, pack, packed_intact, unpack

TABLE_NAME = "letters"
#: The listing's values: a `LetterInfo` without its folder and its packed details.
_LISTED = len(LetterInfo._fields) - 2
_SELECT = f"SELECT listing, details FROM {TABLE_NAME}"
#: The reader's order; the index `letters_by_date` serves it (`briefreader.index.database`).
_NEWEST_FIRST = "ORDER BY date DESC, id"


def write_rows(connection: sqlite3.Connection, infos: Iterable[LetterInfo], removed: Iterable[str] = ()) -> None:
    """Delete the rows of `removed`, then write (or replace) the rows of `infos`; inside `database.writing`."""
    connection.executemany(f"DELETE FROM {TABLE_NAME} WHERE id = ?", [(letter_id,) for letter_id in removed])
    connection.executemany(
        f"INSERT OR REPLACE INTO {TABLE_NAME} VALUES (?, ?, ?, ?)",
        [(info.id, info.date or "", pack((info[0], *info[2:-1])), info.packed_details) for info in infos],
    )


def check_table(generation: Path) -> int:
    """How many letters the table holds; `IndexDamaged` if a row is damaged (checks every
    checksum, unpickles nothing)."""
    count = 0
    with database.reading(generation) as connection:
        for listing, details in connection.execute(_SELECT):
            if not (packed_intact(listing) and packed_intact(details)):
                raise IndexDamaged("the letters table is damaged (a row's checksum differs)")
            count += 1
    return count


def read_row(generation: Path, folder: Path, letter_id: str | None = None) -> LetterInfo | None:
    """One letter (by id), or else the newest (None: there is none), read without reading the
    table (the reader's first screen at 100,000 letters, before the whole list is read)."""
    with database.reading(generation) as connection:
        if letter_id is not None:
            rows = connection.execute(f"{_SELECT} WHERE id = ?", (letter_id,)).fetchall()
        else:
            rows = connection.execute(f"{_SELECT} {_NEWEST_FIRST} LIMIT 1").fetchall()
    found = _infos(rows, folder)
    return found[0] if found else None


def read_table(generation: Path, folder: Path) -> list[LetterInfo]:
    """The letters of a generation, newest first (undated last, ties by id); `IndexDamaged` if
    a listing is not what `write_rows` wrote."""
    with database.reading(generation) as connection, collector_paused():  # 100,000 rows: see briefreader.bulk
        rows = connection.execute(f"{_SELECT} {_NEWEST_FIRST}").fetchall()
        return _infos(rows, folder)


def _infos(rows: list[tuple[object, object]], folder: Path) -> list[LetterInfo]:
    make = tuple.__new__
    infos = []
    for listing, details in rows:
        values = unpack(listing)  # type: ignore[arg-type]
        if not isinstance(values, tuple) or len(values) != _LISTED or not isinstance(details, bytes):
            raise IndexDamaged("the letters table is malformed")
        infos.append(make(LetterInfo, (values[0], folder, *values[1:], details)))
    return infos


__all__ = ["TABLE_NAME", "check_table", "read_row", "read_table", "write_rows"]
