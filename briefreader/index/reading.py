"""Reading the live index: a Whoosh searcher on the current generation.

Readers never take the write lock. A writer in another process may swap generations or merge
segments away while a reader opens the index: opening retries a few times on what such a race
looks like (a file gone, an empty table of contents), and anything else is `IndexDamaged`.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def open_searcher(index_dir: Path) -> Iterator[Searcher]:
    """A Whoosh searcher on the live index, closed on exit. One per thread; never shared.

    The searcher carries `briefreader_generation` (the generation folder it reads), which with
    Whoosh's own generation number keys caches of what was read from it (`searcher_key`).
    Raises `IndexDamaged` when there is no index or it can't be read.
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
        try:
            yield searcher
        finally:
            searcher.close()
        return
    raise IndexDamaged(f"cannot read the index ({last_error.__class__.__name__}: {last_error})")


def searcher_key(searcher: Searcher) -> tuple[str, int]:
    """What identifies the index contents a searcher reads (for caches of derived data)."""
    return (getattr(searcher, "briefreader_generation", ""), searcher.reader().generation())


def generation_of(searcher: Searcher) -> Path:
    """The generation folder a searcher reads."""
    return Path(searcher.briefreader_generation)


__all__ = ["OPEN_ATTEMPTS", "TRANSIENT", "generation_of", "open_searcher", "open_whoosh", "searcher_key"]
