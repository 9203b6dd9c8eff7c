"""What a generation indexed: per letter what change detection needs, and the Whoosh files.

Per letter: file name, signature (size and mtime of the letter and its companions), SHA-256 of
letter and companions, and whether it was indexed or skipped (and why); for the generation: the
stamp (schema version, briefreader version), the corpus folder, and the sizes of the Whoosh files
as committed (a cheap test for a truncated index). It lives in the generation's database
(`briefreader.index.database`) and is written after the Whoosh commit, so after a crash it can
only be behind, and the next refresh re-indexes those letters again (deleting a letter's
documents first makes that safe). A refresh writes only the entries that changed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from briefreader import __version__
from briefreader.bulk import collector_paused
from briefreader.index import database
from briefreader.index.errors import IndexDamaged

MANIFEST_NAME = database.DATABASE_NAME
#: What held the manifest before the database (an index of an older briefreader): rebuilt.
LEGACY_MANIFEST_NAME = "manifest.json"


def stamp() -> dict[str, Any]:
    """What must match for an index to be used as it is: the schema and briefreader versions."""
    from briefreader.index.schema import SCHEMA_VERSION  # Whoosh's schema: not on the reader's way to its first letter

    return {"schema": SCHEMA_VERSION, "briefreader": __version__}


def stamp_matches(manifest: dict[str, Any]) -> bool:
    """Whether the manifest was written by this version of the index format."""
    return all(manifest.get(key) == value for key, value in stamp().items())


class Entry(NamedTuple):
    """What the manifest knows of one letter file."""

    file: str
    #: The signature (sizes and mtimes of the letter and its companions) as `signature_text` writes it.
    sig: str
    #: SHA-256 of the letter and its companions (None when the letter could not be read).
    sha: str | None
    #: Whether it was indexed; if not, `problem` says why.
    ok: bool
    problem: str | None = None


def signature_text(signature: Iterable[int]) -> str:
    """A file signature as the manifest keeps it (`size,mtime,...`): compared as text, so reading
    100,000 entries parses none."""
    return ",".join(map(str, signature))


#: The entries whose values have the wrong type, found by SQLite (no Python loop over 100,000
#: rows): a damaged manifest is damage, never a TypeError halfway through a refresh. A signature
#: that is text but garbage differs from the file's: the letter is hashed, and its entry written again.
_MALFORMED = """
    (typeof(id) != 'text' OR typeof(file) != 'text' OR typeof(sig) != 'text'
     OR typeof(ok) != 'integer' OR ok NOT IN (0, 1)
     OR (sha IS NOT NULL AND typeof(sha) != 'text')
     OR (ok = 0 AND typeof(problem) != 'text'))
"""
_ENTRY_COLUMNS = "id, file, sig, sha, ok = 1, problem"
#: Letters per `WHERE id IN (...)` (SQLite allows 999 parameters in older builds).
_IDS_PER_QUERY = 500


@collector_paused()  # 100,000 rows and entries: see briefreader.bulk
def read_manifest(generation: Path, ids: Collection[str] | None = None) -> dict[str, Any]:
    """The manifest of a generation: the stamp, `corpus`, `files` (Whoosh file sizes) and
    `letters` (id -> `Entry`); `IndexDamaged` if it is missing or malformed. With `ids`, `letters`
    holds only the entries of those letters (the others are not read)."""
    if not database.path_of(generation).is_file() and (generation / LEGACY_MANIFEST_NAME).is_file():
        return _legacy_stamp(generation)
    with database.reading(generation) as connection:
        manifest: dict[str, Any] = {key: value for key, value in connection.execute("SELECT key, value FROM meta")}
        if ids is None:
            malformed = connection.execute(f"SELECT id FROM files WHERE {_MALFORMED} LIMIT 1").fetchone()
            rows = connection.execute(f"SELECT {_ENTRY_COLUMNS} FROM files").fetchall()
        else:
            malformed, rows = None, []
            wanted = list(dict.fromkeys(ids))
            for start in range(0, len(wanted), _IDS_PER_QUERY):
                chunk = wanted[start : start + _IDS_PER_QUERY]
                among = f"id IN ({','.join('?' * len(chunk))})"
                malformed = malformed or connection.execute(f"SELECT id FROM files WHERE {among} AND {_MALFORMED} LIMIT 1", chunk).fetchone()
                rows += connection.execute(f"SELECT {_ENTRY_COLUMNS} FROM files WHERE {among}", chunk).fetchall()
    try:
        manifest["schema"] = int(manifest["schema"])
        manifest["files"] = json.loads(manifest.get("files", "{}"))
    except (KeyError, ValueError):
        raise IndexDamaged("manifest malformed: no version stamp") from None
    if malformed is not None:
        raise IndexDamaged(f"manifest malformed: the entry of {malformed[0]!r}")
    manifest["letters"] = {letter_id: Entry(file, sig, sha, bool(ok), problem) for letter_id, file, sig, sha, ok, problem in rows}
    problem = manifest_problem(manifest)
    if problem:
        raise IndexDamaged(f"manifest malformed: {problem}")
    return manifest


def read_standing(generation: Path) -> tuple[int, list[tuple[str, str]]]:
    """How many letters the generation holds, and (file, problem) of each letter it could not
    index: what a refresh of a few named letters reports of the rest without reading every entry."""
    with database.reading(generation) as connection:
        (indexed,) = connection.execute("SELECT count(*) FROM files WHERE ok = 1").fetchone()
        skipped = connection.execute("SELECT file, problem FROM files WHERE ok = 0").fetchall()
    return indexed, [(str(file), str(problem)) for file, problem in skipped]


def _legacy_stamp(generation: Path) -> dict[str, Any]:
    """An index written by a briefreader before the database: only its stamp, so that the
    refresh says the format changed and rebuilds it."""
    try:
        with open(generation / LEGACY_MANIFEST_NAME, encoding="utf-8") as handle:
            old = json.load(handle)
        version = old.get("schema") if isinstance(old, dict) else None
    except (OSError, ValueError):
        version = None
    return {"schema": version if _is_int(version) else 0, "briefreader": "", "files": {}, "letters": {}}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def manifest_problem(manifest: object) -> str | None:
    """What is wrong with the stamp and the file sizes of a manifest, or None (the entries are
    checked by `_MALFORMED`)."""
    if not isinstance(manifest, dict):
        return "not an object"
    if not _is_int(manifest.get("schema")) or not isinstance(manifest.get("briefreader"), str):
        return "no version stamp"
    files = manifest.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(k, str) and _is_int(v) and v >= 0 for k, v in files.items()):
        return "file sizes"
    if not isinstance(manifest.get("letters"), dict):
        return "no letters"
    return None


def write_manifest(
    connection: sqlite3.Connection,
    corpus: Path,
    whoosh_files: Mapping[str, int],
    entries: Mapping[str, Entry],
    removed: Iterable[str] = (),
) -> None:
    """Write the stamp, the corpus and the Whoosh file sizes, the entries of the letters (re)indexed
    or touched, and drop the entries of removed letters; inside `database.writing`."""
    meta = {**stamp(), "corpus": str(corpus), "files": json.dumps(dict(whoosh_files), separators=(",", ":"))}
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(key, str(value)) for key, value in meta.items()])
    connection.executemany("DELETE FROM files WHERE id = ?", [(letter_id,) for letter_id in removed])
    connection.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
        [(letter_id, e.file, e.sig, e.sha, int(e.ok), e.problem) for letter_id, e in entries.items()],
    )


def whoosh_files(generation: Path) -> dict[str, int]:
    """The Whoosh files of a generation with their sizes (recorded after a commit)."""
    from briefreader.index.schema import INDEX_NAME as name
    return {
        entry.name: entry.stat().st_size
        for entry in os.scandir(generation)
        if entry.name.startswith(f"_{name}_") or entry.name.startswith(f"{name}_")
        if not entry.name.endswith(".tmp") and "LOCK" not in entry.name
    }


def files_intact(generation: Path, manifest: dict[str, Any]) -> str | None:
    """None if every Whoosh file the manifest lists is there with its size, else the problem."""
    for name, size in manifest.get("files", {}).items():
        try:
            actual = os.stat(generation / name).st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes, not {size}"
    return None


__all__ = ["Entry", "LEGACY_MANIFEST_NAME", "signature_text", "MANIFEST_NAME", "files_intact", "manifest_problem", "read_manifest", "read_standing", "stamp", "stamp_matches", "whoosh_files", "write_manifest"]
