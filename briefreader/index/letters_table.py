"""The letters table: every indexed letter's `LetterInfo`, in one file per generation.

The reader lists every letter at start-up and the links between letters need all of them. Read
from Whoosh, that is one stored document per letter (2 s at 10,000 letters); here it is one file,
newest first, read in one go (about 0.2 s at 100,000 letters) and kept in memory until the file
changes. It is written after every commit that changes the letters, through a temporary file
renamed into place.

The file is `MAGIC`, a CRC-32 of the rest, then a pickle of one plain tuple per letter (a
`LetterInfo` without its folder). Pickle, like Whoosh's own stored fields in the same cache, is
only ever read from the user's own cache folder; the checksum makes damage `IndexDamaged` before
anything is unpickled.
"""

from __future__ import annotations

import os
import pickle
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path

from briefreader.index.documents import LetterInfo
from briefreader.index.errors import IndexDamaged

TABLE_NAME = "letters.table"
MAGIC = b"briefreader letters 1\n"
_CRC_SIZE = 4
_FIELDS = len(LetterInfo._fields)


def newest_first(infos: Iterable[LetterInfo]) -> list[LetterInfo]:
    """Newest first, undated last, ties by id."""
    ordered = sorted(infos, key=lambda info: info.id)
    ordered.sort(key=lambda info: info.date or "", reverse=True)  # stable, also with reverse=True
    return ordered


def write_table(generation: Path, infos: Iterable[LetterInfo]) -> None:
    """Write the letters table of a generation (newest first)."""
    rows = [(info[0], *info[2:]) for info in newest_first(infos)]
    payload = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    path = generation / TABLE_NAME
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(MAGIC + zlib.crc32(payload).to_bytes(_CRC_SIZE, "big") + payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _payload(generation: Path) -> bytes | None:
    """The pickled rows of a generation's table, checked against their checksum (None: no table)."""
    try:
        data = (generation / TABLE_NAME).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexDamaged(f"{TABLE_NAME} unreadable ({error.strerror or error})") from None
    head = len(MAGIC) + _CRC_SIZE
    if not data.startswith(MAGIC) or zlib.crc32(data[head:]) != int.from_bytes(data[len(MAGIC) : head], "big"):
        raise IndexDamaged(f"the letters table ({TABLE_NAME}) is damaged (its checksum differs)")
    return data[head:]


def check_table(generation: Path) -> None:
    """`IndexDamaged` if the table is missing or damaged (reads it, unpickles nothing)."""
    if _payload(generation) is None:
        raise IndexDamaged(f"the letters table ({TABLE_NAME}) is missing")


def read_table(generation: Path, folder: Path) -> list[LetterInfo] | None:
    """The letters of a generation, newest first (None if it has no table yet); `IndexDamaged`
    if the file is not what `write_table` wrote."""
    payload = _payload(generation)
    if payload is None:
        return None
    rows = pickle.loads(payload)
    if not isinstance(rows, list) or not all(isinstance(row, tuple) and len(row) == _FIELDS - 1 for row in rows):
        raise IndexDamaged(f"{TABLE_NAME} is malformed")
    make = tuple.__new__
    return [make(LetterInfo, (row[0], folder, *row[1:])) for row in rows]


__all__ = ["TABLE_NAME", "check_table", "newest_first", "read_table", "write_table"]
