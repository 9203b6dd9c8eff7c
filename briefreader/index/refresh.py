"""Bringing an index up to date with its corpus: what changed, parsing, writing, rebuilding.

Only added and changed letters are parsed (a letter's size and mtime decide first, then the
SHA-256 of its bytes and its companions'); removed ones are deleted. An incremental update goes
through Whoosh's own commit (new segment files, then the table of contents renamed into place);
a rebuild writes a whole new generation and swaps `CURRENT` (see `briefreader.index.generations`).
The caller holds the write lock.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index

from briefreader.corpus import CorpusError, CorpusScan, LetterFile, scan_corpus, scan_letters
from briefreader.index import checksums, database, generations
from briefreader.index import manifest as manifests
from briefreader.index.documents import Layout, LetterInfo
from briefreader.index.errors import IndexDamaged, reading_index
from briefreader.index.letters_table import check_table, write_rows
from briefreader.index.manifest import Entry, signature_text
from briefreader.index.schema import INDEX_NAME, SCHEMA_VERSION, build_schema
from briefreader.index.writing import PARALLEL_THRESHOLD, Loader, ProgressCallback, file_digest, write_letters

if TYPE_CHECKING:
    from briefreader.index.corpus_index import CorpusIndex


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh did. Ids for added/changed/removed letters; `skipped` holds (file, problem)
    for every letter of the corpus that could not be indexed, including earlier ones."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    unchanged: int = 0
    rebuilt: bool = False
    #: One line for the user when something unusual happened (a damaged index was rebuilt).
    notice: str | None = None
    seconds: float = 0.0
    #: Letters indexed now whose parse produced warnings: (letter id, warning).
    warnings: tuple[tuple[str, str], ...] = ()
    #: Of those, the warnings about a letter's sidecar or metadata file (an unreadable or
    #: malformed sidecar): (that file, warning). The letter itself was indexed.
    file_warnings: tuple[tuple[str, str], ...] = ()

    @property
    def indexed(self) -> int:
        """How many letters were (re)indexed."""
        return len(self.added) + len(self.changed)

    @property
    def letters(self) -> int:
        """How many letters the index holds now."""
        return self.unchanged + self.indexed


def diff(letters: dict[str, LetterFile], known: dict[str, Entry]) -> tuple[list[str], list[str], list[str], dict[str, str], list[str]]:
    """Compare the corpus with the manifest: (added, changed, removed, digests, touched).

    A letter whose size or mtime differ is hashed; if the hash is the same it is only
    `touched` (its manifest entry gets the new size and mtime, nothing is re-indexed).
    """
    added = [letter_id for letter_id in letters if letter_id not in known]
    removed = [letter_id for letter_id in known if letter_id not in letters]
    changed: list[str] = []
    touched: list[str] = []
    digests: dict[str, str] = {}
    for letter_id, letter in letters.items():
        entry = known.get(letter_id)
        if entry is None:
            continue
        if entry.file == letter.name and entry.sig == signature_text(letter.signature):
            continue
        try:
            digest = file_digest(letter)
        except OSError:
            changed.append(letter_id)
            continue
        digests[letter_id] = digest
        if entry.sha == digest and entry.file == letter.name:
            touched.append(letter_id)
        else:
            changed.append(letter_id)
    return added, changed, removed, digests, touched


def verify(index: CorpusIndex, generation: Path, manifest: dict[str, Any]) -> str | None:
    """Why the live index can't be trusted, or None if it looks sound."""
    problem = manifests.files_intact(generation, manifest)
    if problem:
        return problem
    expected = sum(1 for entry in manifest["letters"].values() if entry.ok)
    try:
        rows = check_table(generation)
        if rows != expected:
            return f"the letters table holds {rows} letters, the manifest {expected}"
        with index.searcher() as searcher, reading_index():
            # doc_count(), not doc_frequency(): the latter still counts deleted documents.
            if searcher.doc_count() != expected:
                return f"it holds {searcher.doc_count()} letters, the manifest {expected}"
            if expected:
                last = max(searcher.document_numbers())
                Layout.from_stored(searcher.stored_fields(last).get("layout"))
    except IndexDamaged as error:
        return str(error)
    return None


@dataclass
class _Changes:
    """What a refresh found: the letters looked at, and what became of them since the last one."""

    scan: CorpusScan
    added: list[str]
    changed: list[str]
    removed: list[str]
    digests: dict[str, str]
    #: Letters whose size or mtime changed but not their content: only their entries are written.
    touched: list[str]

    @property
    def work(self) -> list[str]:
        """The letters to (re)index, sorted."""
        return sorted(self.added + self.changed)


@dataclass
class _Written:
    """The manifest entries a refresh wrote (letters (re)indexed or touched), and its warnings."""

    entries: dict[str, Entry]
    warnings: list[tuple[str, str]]
    file_warnings: list[tuple[str, str]]


@contextlib.contextmanager
def _reading_corpus(corpus_dir: Path) -> Iterator[None]:
    """A corpus folder that can't be read is a `CorpusError` naming it (never taken as empty)."""
    try:
        yield
    except OSError as error:
        raise CorpusError(f"{corpus_dir}: cannot be read ({error.strerror or error})") from None


def refresh_locked(
    index: CorpusIndex, progress: ProgressCallback | None, rebuild: bool, workers: int | None, only: Collection[str] | None = None
) -> RefreshReport:
    """`CorpusIndex.refresh` with the write lock held; `only`: see `refresh_named`."""
    if only is not None and not rebuild:
        report = refresh_named(index, only, progress, workers)
        if report is not None:
            return report
    index_dir = index.index_dir
    notice = None
    manifest: dict[str, Any] | None = None
    generation: Path | None = None
    try:
        generation = generations.current_generation(index_dir)
        if generation is not None:
            manifest = manifests.read_manifest(generation)
    except IndexDamaged as error:
        notice = f"The search index in {index_dir} was damaged ({error}); rebuilding it."
        manifest = None
    # Generations a killed rebuild left behind (we hold the lock: no one is building one now).
    generations.remove_other_generations(index_dir, keep=generation)
    if manifest is not None and generation is not None:
        if not manifests.stamp_matches(manifest):
            rebuild = True
            old = manifest.get("schema")
            notice = f"The search index format changed (version {old} -> {SCHEMA_VERSION}); rebuilding it."
        elif not rebuild:
            problem = verify(index, generation, manifest)
            if problem:
                notice = f"The search index in {index_dir} was damaged ({problem}); rebuilding it."
                rebuild = True
    if manifest is None:
        rebuild = True

    with _reading_corpus(index.corpus_dir):
        scan = scan_corpus(index.corpus_dir)

    known: dict[str, Entry] = {}
    if rebuild:
        added, changed, removed = list(scan.letters), [], []
        if manifest is not None:
            previous = manifest["letters"]
            changed = [letter_id for letter_id in added if letter_id in previous]
            added = [letter_id for letter_id in added if letter_id not in previous]
            removed = [letter_id for letter_id in previous if letter_id not in scan.letters]
        changes = _Changes(scan, added, changed, removed, {}, [])
    else:
        assert manifest is not None
        known = manifest["letters"]
        changes = _Changes(scan, *diff(scan.letters, known))

    written = _write(index, generation, rebuild, changes, known, progress, workers)
    entries = dict(known)
    for letter_id in changes.removed:
        entries.pop(letter_id, None)
    entries.update(written.entries)
    skipped = [(str(scan.letters[i].path), e.problem or "") for i, e in entries.items() if not e.ok]
    worked = set(changes.work)  # a set: a full build of 100,000 letters made a list's count quadratic
    indexed = sum(1 for i, e in entries.items() if e.ok and i not in worked)
    # A first build is not a re-build.
    return _report(changes, entries, written, skipped, indexed, rebuilt=rebuild and (manifest is not None or notice is not None), notice=notice)


def refresh_named(index: CorpusIndex, ids: Collection[str], progress: ProgressCallback | None, workers: int | None) -> RefreshReport | None:
    """Bring only the letters `ids` up to date (those a caller knows it added, changed or removed:
    `briefreader add`, sync), without listing the corpus or reading the whole manifest: at 100,000
    letters those take seconds. The rest of the corpus is taken as the index knows it.

    None when the live index is not one to update in place (there is none, its format changed,
    its files are not as committed, or it turns out damaged): the caller then refreshes in full,
    which rebuilds what needs it. The full check of every letter's row is left to that refresh.
    """
    try:
        generation = generations.current_generation(index.index_dir)
        if generation is None:
            return None
        manifest = manifests.read_manifest(generation, ids)
    except IndexDamaged:
        return None
    if not manifests.stamp_matches(manifest) or manifests.files_intact(generation, manifest):
        return None
    with _reading_corpus(index.corpus_dir):
        scan = scan_letters(index.corpus_dir, ids)
    known: dict[str, Entry] = manifest["letters"]
    changes = _Changes(scan, *diff(scan.letters, known))
    try:
        with reading_index():  # an index damaged in place (same sizes, bad bytes) fails to open: damage
            written = _write(index, generation, False, changes, known, progress, workers)
        holds, skipped = manifests.read_standing(generation)
    except IndexDamaged:
        return None
    entries = {**known, **written.entries}
    for letter_id in changes.removed:
        entries.pop(letter_id, None)
    worked = set(changes.work)
    skipped = [(str(index.corpus_dir / file), problem) for file, problem in skipped]
    unchanged = holds - sum(1 for i in worked if entries[i].ok)
    return _report(changes, entries, written, skipped, unchanged, rebuilt=False, notice=None)


def _write(
    index: CorpusIndex,
    generation: Path | None,
    rebuild: bool,
    changes: _Changes,
    known: dict[str, Entry],
    progress: ProgressCallback | None,
    workers: int | None,
) -> _Written:
    """Index `changes` into the live generation (or, for a rebuild, a new one that then becomes
    live) and write the manifest entries that changed."""
    index_dir = index.index_dir
    scan, work, removed = changes.scan, changes.work, changes.removed
    written = _Written({}, [], [])
    for letter_id in changes.touched:
        written.entries[letter_id] = known[letter_id]._replace(sig=signature_text(scan.letters[letter_id].signature))
    infos: dict[str, LetterInfo] = {}
    if rebuild or work or removed:
        target = generations.new_generation(index_dir) if rebuild else generation
        assert target is not None
        try:
            if rebuild:
                whoosh_ix = whoosh_index.create_in(str(target), build_schema(), indexname=INDEX_NAME)
            else:
                whoosh_ix = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
            done = write_letters(whoosh_ix, index._loader, [scan.letters[i] for i in work], changes.digests, [] if rebuild else [*removed, *work], progress, workers)
            for indexed in done.letters:
                written.entries[indexed.letter_id] = indexed.entry
                if indexed.info is not None:
                    infos[indexed.letter_id] = indexed.info
                written.warnings.extend((indexed.letter_id, warning) for warning in indexed.warnings)
                written.file_warnings.extend(indexed.file_warnings)
            checksums.record(target)
            with database.writing(target, create=rebuild) as connection:
                manifests.write_manifest(connection, index.corpus_dir, manifests.whoosh_files(target), written.entries, removed)
                # A letter re-indexed that now fails to parse leaves the table; one that parses is replaced.
                write_rows(connection, infos.values(), removed=[*removed, *(i for i in work if i not in infos)])
        except BaseException:
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if rebuild:
            generations.switch_to(index_dir, target)
            generations.remove_other_generations(index_dir, keep=target)
    elif changes.touched:
        assert generation is not None
        with database.writing(generation) as connection:
            manifests.write_manifest(connection, index.corpus_dir, manifests.whoosh_files(generation), written.entries)
    return written


def _report(
    changes: _Changes,
    entries: dict[str, Entry],
    written: _Written,
    skipped: list[tuple[str, str]],
    unchanged: int,
    rebuilt: bool,
    notice: str | None,
) -> RefreshReport:
    """The report of a refresh; `entries` holds at least the entries of the letters it looked at."""
    newly_skipped = {i for i in changes.work if not entries[i].ok}
    return RefreshReport(
        added=tuple(i for i in sorted(changes.added) if i not in newly_skipped),
        changed=tuple(i for i in sorted(changes.changed) if i not in newly_skipped),
        removed=tuple(sorted(changes.removed)),
        skipped=tuple(sorted(skipped + [(str(path), problem) for path, problem in changes.scan.ignored])),
        unchanged=unchanged,
        rebuilt=rebuilt,
        notice=notice,
        warnings=tuple(written.warnings),
        file_warnings=tuple(written.file_warnings),
    )


__all__ = ["PARALLEL_THRESHOLD", "Loader", "ProgressCallback", "RefreshReport", "diff", "file_digest", "refresh_locked", "refresh_named"]
