"""Locks between processes (and threads): one writer of an index, one sync of a corpus at a time.

Built on the `filelock` package rather than our own fcntl/msvcrt calls: it is the maintained answer
to exactly this (flock on Unix, msvcrt on Windows, a soft lock where a file system has neither), and
both locks here need only its non-blocking try. The lock file stays in place after release (the
index folder and the sync state folder are ours; nothing else is ever deleted for a lock).

`filelock` is imported when the first lock is made, not with this module: opening an index (the
reader's first screen) takes no lock, and the package costs a few hundredths of a second to import.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path


@functools.cache
def _keep_file() -> dict[str, bool]:
    """filelock 4.x removes the lock file on release unless told not to; older releases keep it
    anyway and don't know the option."""
    from filelock import FileLock

    return {"preserve_lock_file": True} if "preserve_lock_file" in inspect.signature(FileLock.__init__).parameters else {}


class ProcessLock:
    """An exclusive lock on `path`: held by one process, and by one holder within a process."""

    def __init__(self, path: Path) -> None:
        from filelock import FileLock

        self.path = path
        self._lock = FileLock(path, thread_local=False, **_keep_file())

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False if another holder has it."""
        from filelock import Timeout

        if self._lock.is_locked:
            return False  # one holder per lock object: this one is not reentrant
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        """Give the lock back (nothing happens if it is not held)."""
        if self._lock.is_locked:
            self._lock.release(force=True)


__all__ = ["ProcessLock"]
