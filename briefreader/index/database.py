"""The manifest database of a generation: one SQLite file beside Whoosh's files.

It holds what change detection needs per letter (`briefreader.index.manifest`), every indexed
letter's `LetterInfo` (`briefreader.index.letters_table`) and the stamp. A refresh changes only the
rows of the letters that changed, in one transaction, so a one-letter update at 100,000 letters
writes a few rows instead of rewriting two files of 100,000 entries (what the JSON manifest and
the pickled table before it did: 10 s of a 11 s update). SQLite, from the standard library,
because an updatable, transactional file that survives a crash is a solved problem.

Tables:

    meta(key, value)          the stamp (schema, briefreader version), corpus, Whoosh file sizes (JSON)
    files(id, file, sig, sha, ok, problem)
                              per letter: file name, signature (sizes and mtimes, as text), SHA-256,
                              whether it was indexed and if not why
    letters(id, date, listing, details)
                              per indexed letter: its date (for the order), what lists it and
                              its details, each a CRC-32 and a pickle (`letters_table`)

Every value read is checked (types, checksums); anything SQLite can't read (a damaged page, a
file that is not a database) is `IndexDamaged`, and a failure to write is the `OSError` it
amounts to (read-only folder, full disk), which `CorpusIndex.refresh` reports as such.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from briefreader.index.errors import IndexDamaged

DATABASE_NAME = "manifest.sqlite"
#: How long a reader waits for another process's write transaction to finish (s).
BUSY_SECONDS = 10.0

_TABLES = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE files (id TEXT PRIMARY KEY, file TEXT NOT NULL, sig TEXT NOT NULL, sha TEXT, ok INTEGER NOT NULL, problem TEXT) WITHOUT ROWID",
    "CREATE TABLE letters (id TEXT PRIMARY KEY, date TEXT NOT NULL, listing BLOB NOT NULL, details BLOB NOT NULL)",
    # The reader lists letters newest first: read in this index's order instead of sorted each time.
    "CREATE INDEX letters_by_date ON letters (date DESC, id)",
)


def path_of(generation: Path) -> Path:
    """The database file of a generation."""
    return generation / DATABASE_NAME


def _damaged(error: sqlite3.Error) -> IndexDamaged:
    return IndexDamaged(f"{DATABASE_NAME} unreadable ({error})")


#: What SQLite says when the file or its folder can't be written.
_WRITE_FAILURES = ("readonly", "read-only", "unable to open", "full", "disk i/o")


def _write_failure(error: sqlite3.Error) -> Exception:
    """The `OSError` a failed write amounts to, or `IndexDamaged` when the file is not what we wrote."""
    text = str(error)
    if not any(failure in text.lower() for failure in _WRITE_FAILURES):
        return _damaged(error)
    code = errno.ENOSPC if "full" in text else errno.EACCES
    return OSError(code, f"{DATABASE_NAME}: {text}")


@contextlib.contextmanager
def reading(generation: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection for the `with` block; `IndexDamaged` if there is no database or it
    can't be read."""
    path = path_of(generation)
    if not path.is_file():
        raise IndexDamaged(f"{DATABASE_NAME} missing")
    try:
        # mode=ro: reading never creates or changes a file (a read-only cache stays readable).
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS, check_same_thread=False)
    except sqlite3.Error as error:
        raise _damaged(error) from None
    try:
        yield connection
    except sqlite3.Error as error:
        raise _damaged(error) from None
    finally:
        connection.close()


@contextlib.contextmanager
def writing(generation: Path, create: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection in one write transaction for the `with` block, committed at its end (rolled
    back if it raises). `create`: make the database of a new generation."""
    path = path_of(generation)
    if not create and not path.is_file():
        raise IndexDamaged(f"{DATABASE_NAME} missing")
    try:
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise _write_failure(error) from None
    try:
        connection.execute("BEGIN IMMEDIATE")
        if create:
            for statement in _TABLES:
                connection.execute(statement)
        yield connection
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        _rollback(connection)
        raise _write_failure(error) from None
    except BaseException:
        _rollback(connection)
        raise
    finally:
        connection.close()


def _rollback(connection: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if connection.in_transaction:
            connection.execute("ROLLBACK")


__all__ = ["BUSY_SECONDS", "DATABASE_NAME", "path_of", "reading", "writing"]
