"""Checksums of the index's per-document columns, so silent damage is seen before it is used.

The per-document column files (field lengths, dates, `ndocs`, ...) hold plain numbers: random
bytes in them are still numbers, and nothing Whoosh reads would fail; the search would silently
rank by garbage, or (a garbage count) try to build a range of billions of documents. They are
small (a few bytes per document), so each commit records a CRC-32 of every one, and every
searcher checks them once per process before the first use. The big files (postings, stored
fields) are not checksummed: reading them checks their structure, and a failure there is damage
(`briefreader.index.errors.is_damage`).

Whoosh never changes a file in place (a commit writes new segment files), so a file listed here
keeps its checksum; a file not listed yet (a commit in another process is just being recorded)
or listed but gone (merged away) is skipped.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from pathlib import Path

from briefreader.index.errors import IndexDamaged
from briefreader.index.generations import write_text_atomic

CHECKSUMS_NAME = "checksums.json"
#: The per-document column files: Whoosh names them `<segment>.<field>.col`; the stored fields
#: (`._stored.col`, most of the index) are left out.
COLUMN_SUFFIX = ".col"
STORED_SUFFIX = "._stored.col"

_verified: set[tuple[str, int, int]] = set()
_verified_lock = threading.Lock()


def _columns(generation: Path) -> list[os.DirEntry]:
    with os.scandir(generation) as entries:
        return [e for e in entries if e.name.endswith(COLUMN_SUFFIX) and not e.name.endswith(STORED_SUFFIX)]


def _crc(path: str) -> int:
    crc = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return crc


def record(generation: Path) -> None:
    """Write the checksums of the generation's column files (after a commit)."""
    sums = {entry.name: [entry.stat().st_size, _crc(entry.path)] for entry in _columns(generation)}
    write_text_atomic(generation / CHECKSUMS_NAME, json.dumps(sums, separators=(",", ":")))


def verify(generation: Path) -> None:
    """`IndexDamaged` if a column file differs from its recorded checksum (see the module docstring)."""
    try:
        with open(generation / CHECKSUMS_NAME, encoding="utf-8") as handle:
            sums = json.load(handle)
    except FileNotFoundError:
        return  # a generation that is still being built: nothing recorded yet
    except (OSError, ValueError) as error:
        raise IndexDamaged(f"{CHECKSUMS_NAME} unreadable ({error.__class__.__name__})") from None
    if not isinstance(sums, dict):
        raise IndexDamaged(f"{CHECKSUMS_NAME} malformed")
    try:
        columns = _columns(generation)
    except FileNotFoundError:
        return  # a rebuild in another process replaced the generation; our files are open
    for entry in columns:
        recorded = sums.get(entry.name)
        if recorded is None:
            continue
        try:
            stat = entry.stat()
            key = (entry.path, stat.st_size, stat.st_mtime_ns)
            with _verified_lock:
                if key in _verified:
                    continue
            actual = [stat.st_size, _crc(entry.path)]
        except FileNotFoundError:
            continue  # merged away by a writer in another process since the listing
        if not (isinstance(recorded, list) and len(recorded) == 2 and actual == recorded):
            raise IndexDamaged(f"{entry.name} is damaged (its checksum differs)")
        with _verified_lock:
            _verified.add(key)


__all__ = ["CHECKSUMS_NAME", "record", "verify"]
