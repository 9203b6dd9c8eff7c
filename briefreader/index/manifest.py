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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from briefreader import __version__
from briefreader.index import database, schema
from briefreader.index.errors import IndexDamaged

MANIFEST_NAME = database.DATABASE_NAME
#: What held the manifest before the database (an index of an older briefreader): rebuilt.
LEGACY_MANIFEST_NAME = "manifest.json"


def stamp() -> dict[str, Any]:
    """What must match for an index to be used as it is: the schema and briefreader versions."""
    return {"schema": schema.SCHEMA_VERSION, "briefreader": __version__}


def stamp_matches(manifest: dict[str, Any]) -> bool:
    """Whether the manifest was written by this version of the index format."""
    return all(manifest.get(key) == value for key, value in stamp().items())


def read_manifest(generation: Path) -> dict[str, Any]:
    """The manifest of a generation: the stamp, `corpus`, `files` (Whoosh file sizes) and
    `letters` (id -> entry); `IndexDamaged` if it is missing or malformed."""
    if not database.path_of(generation).is_file() and (generation / LEGACY_MANIFEST_NAME).is_file():
        return _legacy_stamp(generation)
    with database.reading(generation) as connection:
        manifest: dict[str, Any] = {key: value for key, value in connection.execute("SELECT key, value FROM meta")}
        rows = connection.execute("SELECT id, file, sig, sha, ok, problem FROM files").fetchall()
    try:
        manifest["schema"] = int(manifest["schema"])
        manifest["files"] = json.loads(manifest.get("files", "{}"))
    except (KeyError, ValueError):
        raise IndexDamaged("manifest malformed: no version stamp") from None
    letters: dict[str, dict[str, Any]] = {}
    for letter_id, file, sig, sha, ok, problem in rows:
        entry = {"file": file, "sig": _signature(sig), "ok": ok == 1 if ok in (0, 1) else ok}
        if sha is not None:
            entry["sha"] = sha
        if problem is not None:
            entry["problem"] = problem
        letters[letter_id] = entry
    manifest["letters"] = letters
    problem = manifest_problem(manifest)
    if problem:
        raise IndexDamaged(f"manifest malformed: {problem}")
    return manifest


def _signature(text: object) -> object:
    """A signature as stored ("size,mtime,..."), as a tuple of ints; the value itself if it is
    not one (`manifest_problem` names it)."""
    if not isinstance(text, str):
        return text
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        return text


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
    """What is wrong with the shape of a manifest (types, ranges), or None.

    Every value the index reads from it is checked here, once, so that a damaged manifest is
    damage (rebuilt) and never a TypeError halfway through a refresh.
    """
    if not isinstance(manifest, dict):
        return "not an object"
    if not _is_int(manifest.get("schema")) or not isinstance(manifest.get("briefreader"), str):
        return "no version stamp"
    files = manifest.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(k, str) and _is_int(v) and v >= 0 for k, v in files.items()):
        return "file sizes"
    letters = manifest.get("letters")
    if not isinstance(letters, dict):
        return "no letters"
    for letter_id, entry in letters.items():
        if not isinstance(letter_id, str) or not isinstance(entry, dict):
            return "a letter entry"
        if not isinstance(entry.get("file"), str) or not isinstance(entry.get("ok"), bool):
            return f"the entry of {letter_id!r}"
        signature = entry.get("sig")
        if not isinstance(signature, tuple) or not all(_is_int(v) for v in signature):
            return f"the file signature of {letter_id!r}"
        if "sha" in entry and not isinstance(entry["sha"], str):
            return f"the digest of {letter_id!r}"
        if not entry["ok"] and not isinstance(entry.get("problem"), str):
            return f"the problem of {letter_id!r}"
    return None


def write_manifest(
    connection: sqlite3.Connection,
    corpus: Path,
    whoosh_files: Mapping[str, int],
    entries: Mapping[str, Mapping[str, Any]],
    removed: Iterable[str] = (),
) -> None:
    """Write the stamp, the corpus and the Whoosh file sizes, the entries of the letters (re)indexed
    or touched, and drop the entries of removed letters; inside `database.writing`."""
    meta = {**stamp(), "corpus": str(corpus), "files": json.dumps(dict(whoosh_files), separators=(",", ":"))}
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(key, str(value)) for key, value in meta.items()])
    connection.executemany("DELETE FROM files WHERE id = ?", [(letter_id,) for letter_id in removed])
    connection.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
        [
            (letter_id, e["file"], ",".join(str(v) for v in e["sig"]), e.get("sha"), int(e["ok"]), e.get("problem"))
            for letter_id, e in entries.items()
        ],
    )


def indexed_count(connection: sqlite3.Connection) -> int:
    """How many letters the manifest says were indexed."""
    return connection.execute("SELECT count(*) FROM files WHERE ok = 1").fetchone()[0]


def whoosh_files(generation: Path) -> dict[str, int]:
    """The Whoosh files of a generation with their sizes (recorded after a commit)."""
    name = schema.INDEX_NAME
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


__all__ = ["LEGACY_MANIFEST_NAME", "MANIFEST_NAME", "files_intact", "indexed_count", "manifest_problem", "read_manifest", "stamp", "stamp_matches", "whoosh_files", "write_manifest"]
