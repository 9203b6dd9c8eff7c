"""The letters table: every indexed letter's `LetterInfo`, a row each in the generation's database.

The reader lists every letter at start-up and the links between letters need all of them. Read
from Whoosh, that is one stored document per letter (2 s at 10,000 letters); here it is one query
over one table, newest first, kept in memory until the database changes. A refresh writes the
rows of the letters it (re)indexed and deletes those of removed letters, in the same transaction
as the manifest (`briefreader.index.database`).

A row is a CRC-32 and a pickle of one plain tuple (a `LetterInfo` without its folder). Pickle,
like Whoosh's own stored fields in the same cache, is only ever read from the user's own cache
folder; the checksum makes damage `IndexDamaged` before anything is unpickled.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

from briefreader.index import database
from briefreader.index.documents import LetterInfo
from briefreader.index.errors import IndexDamaged

TABLE_NAME = "letters"
_CRC_SIZE = 4
_FIELDS = len(LetterInfo._fields)


def _encode(info: LetterInfo) -> bytes:
    payload = pickle.dumps((info[0], *info[2:]), protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.crc32(payload).to_bytes(_CRC_SIZE, "big") + payload


def write_rows(connection: sqlite3.Connection, infos: Iterable[LetterInfo], removed: Iterable[str] = ()) -> None:
    """Delete the rows of `removed`, then write (or replace) the rows of `infos`; inside `database.writing`."""
    connection.executemany(f"DELETE FROM {TABLE_NAME} WHERE id = ?", [(letter_id,) for letter_id in removed])
    connection.executemany(
        f"INSERT OR REPLACE INTO {TABLE_NAME} VALUES (?, ?, ?)", [(info.id, info.date or "", _encode(info)) for info in infos]
    )


def _checked(blobs: Iterable[tuple[object]]) -> Iterable[bytes]:
    """The pickles of the rows, each checked against its checksum (`IndexDamaged` on the first that differs)."""
    crc = zlib.crc32
    for (blob,) in blobs:
        if not isinstance(blob, bytes) or crc(blob[_CRC_SIZE:]) != int.from_bytes(blob[:_CRC_SIZE], "big"):
            raise IndexDamaged("the letters table is damaged (a row's checksum differs)")
        yield blob[_CRC_SIZE:]


def check_table(generation: Path) -> int:
    """How many letters the table holds; `IndexDamaged` if a row is damaged (checks every row's
    checksum, unpickles nothing: 0.1 s at 100,000 letters)."""
    with database.reading(generation) as connection:
        count = 0
        for _ in _checked(connection.execute(f"SELECT row FROM {TABLE_NAME}")):
            count += 1
    return count


def read_table(generation: Path, folder: Path) -> list[LetterInfo]:
    """The letters of a generation, newest first; `IndexDamaged` if a row is not what
    `write_rows` wrote."""
    with database.reading(generation) as connection:
        blobs = connection.execute(f"SELECT row FROM {TABLE_NAME} ORDER BY date DESC, id").fetchall()
    make = tuple.__new__
    loads = pickle.loads
    infos = []
    for payload in _checked(blobs):
        row = loads(payload)
        if not isinstance(row, tuple) or len(row) != _FIELDS - 1:
            raise IndexDamaged("the letters table is malformed")
        infos.append(make(LetterInfo, (row[0], folder, *row[1:])))
    return infos


__all__ = ["TABLE_NAME", "check_table", "read_table", "write_rows"]
