"""Building many small objects at once (a corpus scan, a manifest of 100,000 letters).

Python's cyclic garbage collector runs every few hundred new container objects, and each of its
oldest-generation passes walks every object alive; building 100,000 named tuples for a scan
makes it run hundreds of times over a growing heap, about a third of a scan at 100,000 letters.
Tuples of strings and numbers form no cycles, so nothing is lost by pausing it meanwhile.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (unless it was off already)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


__all__ = ["collector_paused"]
