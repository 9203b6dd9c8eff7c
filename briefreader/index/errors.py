"""What can go wrong with an index, as exceptions the callers catch by name, and how to tell
damage (rebuild the index) from a bug (report it, leave the index alone).

Whoosh reports a damaged file as whatever its reading code stumbles on: `struct.error`,
`zlib.error`, an unpickling error, `EOFError`, an `IndexError` or `ValueError` deep in a codec,
or a plain `Exception("Block tag error")`; opening one, its own `whoosh.index.IndexError`. A bug
in briefreader raises the same kinds of exceptions, but from briefreader's own code. So `is_damage()` looks at where an exception was
raised: I/O and decoding errors are damage wherever they come from; an `IndexError`, `KeyError`,
`ValueError` or plain `Exception` is damage only when Whoosh's own code raised it. Errors that
only a programming mistake raises (`TypeError`, `AttributeError`, `NameError`, ...) never are.
"""

from __future__ import annotations

import contextlib
import errno
import pickle
import struct
import zlib
from collections.abc import Iterator


class IndexLocked(Exception):
    """Another process holds the index's write lock (and we were told not to wait longer)."""


class IndexDamaged(Exception):
    """The index on disk can't be read or holds values it can't hold; `refresh()` rebuilds it."""


class CacheUnwritable(Exception):
    """The index folder can't be written (no permission, read-only, a file in the way, a full
    disk); `str()` is one line naming the folder. The index as it is can still be read."""


#: The errors of writing into a folder one can't write to (or onto a full disk).
UNWRITABLE_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR, errno.EEXIST, errno.EISDIR}
)


#: Reading a damaged or vanished file raises these, whoever asked for the read.
READ_FAILURES = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError)
#: These are damage when Whoosh's reading code raised them, a bug when briefreader's code did.
CODEC_FAILURES = (IndexError, KeyError, ValueError, OverflowError)
#: Only a programming mistake raises these: never damage.
PROGRAMMING_ERRORS = (TypeError, AttributeError, NameError, AssertionError, NotImplementedError, RecursionError)


def _raised_by_whoosh(error: BaseException) -> bool:
    traceback = error.__traceback__
    if traceback is None:
        return False
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = traceback.tb_frame.f_globals.get("__name__", "")
    return module == "whoosh" or module.startswith("whoosh.")


def _whoosh_index_error(error: BaseException) -> bool:
    # `whoosh.index.IndexError` and its kinds (a table of contents that is empty, of another
    # version or "another architecture"): Whoosh's own word for an index it can't open. Known by
    # name, so that this module imports no Whoosh.
    return any(kind.__module__ == "whoosh.index" and kind.__name__ == "IndexError" for kind in type(error).__mro__)


def is_damage(error: BaseException) -> bool:
    """Whether `error`, raised while reading the index, means the index is damaged (see above)."""
    if isinstance(error, IndexDamaged) or _whoosh_index_error(error):
        return True
    if isinstance(error, PROGRAMMING_ERRORS):
        return False
    if isinstance(error, READ_FAILURES):
        return True
    if isinstance(error, CODEC_FAILURES) or type(error) is Exception:
        return _raised_by_whoosh(error)
    return False


@contextlib.contextmanager
def reading_index() -> Iterator[None]:
    """Turn what `is_damage()` calls damage into `IndexDamaged`; let everything else through."""
    try:
        yield
    except IndexDamaged:
        raise
    except Exception as error:
        if is_damage(error):
            raise IndexDamaged(f"{error.__class__.__name__}: {error}") from error
        raise


__all__ = ["UNWRITABLE_ERRNOS", "CacheUnwritable", "IndexDamaged", "IndexLocked", "is_damage", "reading_index"]
