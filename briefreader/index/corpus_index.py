"""`CorpusIndex`: the search index of one corpus folder, as the rest of briefreader sees it.

The concerns live in their own modules (`schema`, `documents`, `manifest`, `generations`,
`refresh`, `reading`; the write lock is `briefreader.locking`); this class ties them to one corpus folder and one index folder.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefreader.corpus import scan_corpus
from briefreader.index import database, generations
from briefreader.index import manifest as manifests
from briefreader.index.errors import UNWRITABLE_ERRNOS, CacheUnwritable, IndexDamaged, IndexLocked
from briefreader.index.info import LetterInfo
from briefreader.index.letters_table import check_table, read_row, read_table
from briefreader.locking import ProcessLock
from briefreader.model import Letter

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from briefreader.index.reading import SearcherPool
    from briefreader.index.refresh import RefreshReport
    from briefreader.index.writing import Loader, ProgressCallback


def _default_loader(path: Path) -> Letter:
    from briefreader.load import load_letter

    return load_letter(path)


class CorpusIndex:
    """The search index of one corpus folder. Cheap to create: nothing is read until asked.

    Safe to share between threads: `refresh()` may run in a worker thread while others search
    (each search opens its own Whoosh searcher through `searcher()`).
    """

    def __init__(self, corpus_dir: Path, index_dir: Path, loader: Loader | None = None):
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self._loader: Loader = loader or _default_loader
        self._write_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._letters_cache: tuple[tuple[str, int, int, int], dict[str, LetterInfo]] | None = None  # key: the database file
        self._searchers: SearcherPool | None = None

    def __repr__(self) -> str:
        return f"CorpusIndex({str(self.corpus_dir)!r}, index_dir={str(self.index_dir)!r})"

    # -- where things are

    def _current_generation(self) -> Path | None:
        return generations.current_generation(self.index_dir)

    def size_bytes(self) -> int:
        """The disk size of the live index."""
        generation = self._current_generation()
        if generation is None or not generation.is_dir():
            return 0
        return sum(entry.stat().st_size for entry in os.scandir(generation) if entry.is_file())

    def exists(self) -> bool:
        """Whether an index has been built (it may be stale)."""
        try:
            generation = self._current_generation()
        except IndexDamaged:
            return False
        return generation is not None and (generation / manifests.MANIFEST_NAME).is_file()

    # -- freshness

    def is_fresh(self) -> bool:
        """Whether the index matches the corpus: same letters, same sizes and mtimes (or, where
        those differ, the same content hash), same schema, index files intact and openable.
        Reads no letter unless its size or mtime changed."""
        try:
            generation = self._current_generation()
            if generation is None:
                return False
            manifest = manifests.read_manifest(generation)
        except IndexDamaged:
            return False
        if not manifests.stamp_matches(manifest) or manifests.files_intact(generation, manifest):
            return False
        try:
            # Opening a searcher reads the table of contents and opens the segment files: a few
            # milliseconds, and it catches an index damaged in place (same sizes, bad bytes); every
            # row of the letters table is checked against its checksum as well.
            with self.searcher():
                pass
            check_table(generation)
        except IndexDamaged:
            return False
        try:
            scan = scan_corpus(self.corpus_dir)
        except OSError:
            return False
        from briefreader.index.refresh import diff

        added, changed, removed, _, _ = diff(scan.letters, manifest["letters"])
        return not (added or changed or removed)

    # -- reading

    def searcher(self) -> contextlib.AbstractContextManager[Searcher]:
        """A Whoosh searcher on the live index for the `with` block, lent to this thread alone
        (see `reading.SearcherPool`). Raises `IndexDamaged` when there is no index or it can't be read.
        """
        return self._pool.borrow()

    @property
    def _pool(self) -> SearcherPool:
        # Made at the first search: Whoosh is imported then, not when the reader opens its first letter.
        if self._searchers is None:
            from briefreader.index.reading import SearcherPool

            with self._cache_lock:
                if self._searchers is None:
                    self._searchers = SearcherPool(self.index_dir)
        return self._searchers

    def _letters_map(self) -> dict[str, LetterInfo]:
        """The letters table of the live generation, read once per version of it; {} when there
        is no index or it can't be read."""
        try:
            generation = self._current_generation()
            if generation is None:
                return {}
            stat = os.stat(database.path_of(generation))
        except (IndexDamaged, OSError):
            return {}
        key = (str(generation), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._cache_lock:
            if self._letters_cache is not None and self._letters_cache[0] == key:
                return self._letters_cache[1]
        try:
            infos = read_table(generation, self.corpus_dir)
        except IndexDamaged:
            return {}
        ordered = {info.id: info for info in infos}
        with self._cache_lock:
            self._letters_cache = (key, ordered)
        return ordered

    def letters(self) -> list[LetterInfo]:
        """Every indexed letter, newest first (undated last); [] without an index."""
        return list(self._letters_map().values())

    def letter(self, letter_id: str) -> LetterInfo | None:
        """The indexed letter with this id, or None."""
        return self._letters_map().get(letter_id)

    def peek(self, letter_id: str | None = None) -> LetterInfo | None:
        """One letter (by id), or else the newest, without reading the whole table when it has not
        been read yet (the reader's first screen); None if there is none or no readable index."""
        with self._cache_lock:
            listed = self._letters_cache is not None
        if listed:
            letters = self._letters_map()
            return letters.get(letter_id) if letter_id is not None else next(iter(letters.values()), None)
        try:
            generation = self._current_generation()
            return read_row(generation, self.corpus_dir, letter_id) if generation is not None else None
        except IndexDamaged:
            return None

    def stored_letter(self, searcher: Searcher, letter_id: str) -> LetterInfo | None:
        """A letter's info while searching (`searcher` is accepted for the callers that have one)."""
        return self.letter(letter_id)

    # -- writing

    @contextlib.contextmanager
    def _locked(self, wait: float | None, on_wait: Callable[[], None] | None) -> Iterator[None]:
        generations.check_index_dir(self.index_dir, self.corpus_dir)
        generations.claim_index_dir(self.index_dir)
        lock = ProcessLock(self.index_dir / "lock")
        with self._write_lock:
            deadline = None if wait is None else time.monotonic() + wait
            told = False
            while not lock.try_acquire():
                if deadline is not None and time.monotonic() >= deadline:
                    raise IndexLocked(f"{self.index_dir}: another briefreader process is updating this index")
                if on_wait is not None and not told:
                    on_wait()
                    told = True
                time.sleep(0.1)
            try:
                yield
            finally:
                lock.release()

    def refresh(
        self,
        progress: ProgressCallback | None = None,
        rebuild: bool = False,
        *,
        wait: float | None = None,
        on_wait: Callable[[], None] | None = None,
        workers: int | None = None,
        only: Iterable[str] | None = None,
    ) -> RefreshReport:
        """Bring the index up to date with the corpus; only added and changed letters are parsed.

        `progress(done, total)` is called from this thread as letters are indexed. `rebuild`
        builds everything from scratch. If another process is writing, waits for it (at most
        `wait` seconds if given, then `IndexLocked`), calling `on_wait()` once first. A letter
        that fails to parse is skipped and reported; a damaged or outdated index is rebuilt.
        `workers`: parser processes (default: one per spare core when many letters are to be
        parsed; 0 parses in this thread). `only`: the ids of the letters the caller added, changed or
        removed (`briefreader add`, sync); only their files are looked at, not the whole corpus,
        unless the index needs more (none yet, a format change, damage). Raises `CorpusError` if the corpus folder can't be listed,
        `CacheUnwritable` if the index folder can't be written (the index as it was stays readable).
        """
        started = time.perf_counter()
        try:
            with self._locked(wait, on_wait):
                from briefreader.index.refresh import refresh_locked

                report = refresh_locked(self, progress, rebuild, workers, None if only is None else tuple(only))
        except OSError as error:
            # Letters that can't be read are skipped one by one and the corpus folder is a
            # CorpusError: what is left is writing the index.
            if error.errno not in UNWRITABLE_ERRNOS:
                raise
            reason = error.strerror or error.__class__.__name__
            raise CacheUnwritable(f"{self.index_dir}: the search index can't be written ({reason})") from error
        return replace(report, seconds=time.perf_counter() - started)


__all__ = ["CorpusIndex"]
