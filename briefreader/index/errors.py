"""What can go wrong with an index, as exceptions the callers catch by name."""

from __future__ import annotations


class IndexLocked(Exception):
    """Another process holds the index's write lock (and we were told not to wait longer)."""


class IndexDamaged(Exception):
    """The index on disk can't be read or holds values it can't hold; `refresh()` rebuilds it."""


__all__ = ["IndexDamaged", "IndexLocked"]
