"""Reading the live index: a Whoosh searcher on the current generation.

Readers never take the write lock. A writer in another process may swap generations or merge
segments away while a reader opens the index: opening retries a few times on what such a race
looks like (a file gone, an empty table of contents), and anything else is `IndexDamaged`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher

from briefreader.index import checksums
from briefreader.index.errors import IndexDamaged
from briefreader.index.generations import current_generation
from briefreader.index.schema import INDEX_NAME
from briefreader.index.whoosh_private import open_columns

#: What a reader may meet while a writer in another process commits or swaps generations:
#: worth a retry. Anything else (garbage where a table of contents should be) is damage.
TRANSIENT = (OSError, IndexDamaged, whoosh_index.EmptyIndexError)
#: How often opening is tried before a transient problem counts as damage.
OPEN_ATTEMPTS = 6


def open_whoosh(index_dir: Path) -> tuple[Index, Path]:
    """Open the live Whoosh index, retrying while a writer swaps generations or cleans up."""
    last_error: Exception | None = None
    for attempt in range(OPEN_ATTEMPTS):
        generation = current_generation(index_dir)
        if generation is None:
            raise IndexDamaged("no index has been built yet")
        try:
            return whoosh_index.open_dir(str(generation), indexname=INDEX_NAME), generation
        except TRANSIENT as error:
            last_error = error
            time.sleep(0.02 * (attempt + 1))
        except Exception as error:  # noqa: BLE001 - Whoosh raises many kinds on damage
            raise IndexDamaged(f"cannot open the index ({error.__class__.__name__}: {error})") from None
    raise IndexDamaged(f"cannot open the index ({last_error.__class__.__name__}: {last_error})")


def new_searcher(index_dir: Path) -> Searcher:
    """A Whoosh searcher on the live index; the caller closes it. `IndexDamaged` when there is
    no index or it can't be read.

    The searcher carries `briefreader_generation` (the generation folder it reads) and
    `briefreader_cache` (a dict for what searches derive from this version of the index).
    """
    last_error: Exception | None = None
    for attempt in range(OPEN_ATTEMPTS):
        whoosh_ix, generation = open_whoosh(index_dir)
        try:
            searcher = whoosh_ix.searcher()
        except TRANSIENT as error:  # segment files went away mid-open: retry
            last_error = error
            time.sleep(0.02 * (attempt + 1))
            continue
        except Exception as error:  # noqa: BLE001 - Whoosh raises many kinds on damage
            raise IndexDamaged(f"cannot read the index ({error.__class__.__name__}: {error})") from None
        try:
            open_columns(searcher)
        except TRANSIENT as error:  # a writer removed a file meanwhile: retry
            searcher.close()
            last_error = error
            time.sleep(0.02 * (attempt + 1))
            continue
        except Exception as error:  # noqa: BLE001
            searcher.close()
            raise IndexDamaged(f"cannot read the index ({error.__class__.__name__}: {error})") from None
        try:
            checksums.verify(generation)  # files never change in place: no retry
        except IndexDamaged:
            searcher.close()
            raise
        searcher.briefreader_generation = whoosh_ix.storage.folder
        searcher.briefreader_cache = {}
        return searcher
    raise IndexDamaged(f"cannot read the index ({last_error.__class__.__name__}: {last_error})")


@contextlib.contextmanager
def open_searcher(index_dir: Path) -> Iterator[Searcher]:
    """A new Whoosh searcher on the live index, closed on exit (see `new_searcher`)."""
    searcher = new_searcher(index_dir)
    try:
        yield searcher
    finally:
        searcher.close()


class SearcherPool:
    """Open searchers of one index, kept for the next search while the index is unchanged.

    Opening a searcher reads the table of contents and opens every segment's files (a few
    milliseconds, a tenth of a typical search); a searcher is lent to one thread at a time and
    given back, and one that no longer reads the live index (a commit or a rebuild since) is
    closed instead of lent. At most `POOL_SIZE` wait.
    """

    POOL_SIZE = 4

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._idle: list[Searcher] = []
        self._lock = threading.Lock()

    def _live(self, searcher: Searcher) -> bool:
        try:
            generation = current_generation(self.index_dir)
            return generation is not None and str(generation) == searcher.briefreader_generation and searcher.up_to_date()
        except (OSError, IndexDamaged):
            return False

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Searcher]:
        """A searcher on the live index for the length of the `with` block."""
        searcher = None
        with self._lock:
            idle, self._idle = self._idle, []
        for candidate in idle:
            if searcher is None and self._live(candidate):
                searcher = candidate
            elif searcher is not None and self._live(candidate):
                with self._lock:
                    self._idle.append(candidate)
            else:
                candidate.close()
        if searcher is None:
            searcher = new_searcher(self.index_dir)
        keep = False
        try:
            yield searcher
            keep = True
        finally:
            with self._lock:
                if keep and len(self._idle) < self.POOL_SIZE:
                    self._idle.append(searcher)
                    searcher = None
            if searcher is not None:
                searcher.close()

    def close(self) -> None:
        """Close the idle searchers."""
        with self._lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()


def searcher_key(searcher: Searcher) -> tuple[str, int]:
    """What identifies the index contents a searcher reads (for caches of derived data)."""
    return (getattr(searcher, "briefreader_generation", ""), searcher.reader().generation())


def generation_of(searcher: Searcher) -> Path:
    """The generation folder a searcher reads."""
    return Path(searcher.briefreader_generation)


__all__ = ["OPEN_ATTEMPTS", "TRANSIENT", "SearcherPool", "generation_of", "new_searcher", "open_searcher", "open_whoosh", "searcher_key"]
