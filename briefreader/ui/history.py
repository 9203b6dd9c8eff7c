"""Back and forward through the places the reader has been, as in a browser or Info.

Textual-free: the screen records a place before every jump (following a citation, opening a hit,
a letter from the tree); `back()` returns to it and `forward()` undoes the `back()`. Both stacks are
bounded, the oldest places dropped first.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

__all__ = ["History", "HISTORY_SIZE"]

T = TypeVar("T")

#: Places kept behind (and ahead of) the reader: a morning of reading, without growing for ever.
HISTORY_SIZE = 100


class History(Generic[T]):
    """A bounded back/forward history of places."""

    def __init__(self, size: int = HISTORY_SIZE) -> None:
        if size < 1:
            raise ValueError("a history holds at least one place")
        self._back: deque[T] = deque(maxlen=size)
        self._forward: deque[T] = deque(maxlen=size)

    def __len__(self) -> int:
        return len(self._back)

    @property
    def can_go_back(self) -> bool:
        """True when there is a place to go back to."""
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        """True when a `back()` can be undone."""
        return bool(self._forward)

    def push(self, place: T) -> None:
        """Record `place`, the one being left by a jump. The way forward is forgotten (a new branch)."""
        self._back.append(place)
        self._forward.clear()

    def back(self, current: T) -> T | None:
        """The place before `current` (which becomes the way forward), or None."""
        if not self._back:
            return None
        self._forward.append(current)
        return self._back.pop()

    def forward(self, current: T) -> T | None:
        """The place a `back()` came from (`current` goes behind again), or None."""
        if not self._forward:
            return None
        self._back.append(current)
        return self._forward.pop()

    def clear(self) -> None:
        """Forget every place."""
        self._back.clear()
        self._forward.clear()
