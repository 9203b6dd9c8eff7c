"""The write lock of an index folder: one writer process at a time (flock; msvcrt on Windows)."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl as _fcntl
except ImportError:  # Windows
    _fcntl = None


class FileLock:
    """An exclusive lock on a file, held by one writer process."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if _fcntl is not None:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        """Give the lock back (closing the file releases it too)."""
        if self.fd is None:
            return
        try:
            if _fcntl is not None:
                _fcntl.flock(self.fd, _fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None


__all__ = ["FileLock"]
