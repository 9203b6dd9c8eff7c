"""Bringing an index up to date with its corpus: what changed, parsing, writing, rebuilding.

Only added and changed letters are parsed (a letter's size and mtime decide first, then the
SHA-256 of its bytes and its companions'); removed ones are deleted. An incremental update goes
through Whoosh's own commit (new segment files, then the table of contents renamed into place);
a rebuild writes a whole new generation and swaps `CURRENT` (see `briefreader.index.generations`).
The caller holds the write lock.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from briefreader.corpus import CorpusError, LetterFile, scan_corpus
from briefreader.index import checksums, generations
from briefreader.index import manifest as manifests
from briefreader.index.documents import Layout, LetterInfo, letter_document, letter_info
from briefreader.index.errors import IndexDamaged, reading_index
from briefreader.index.letters_table import read_table, write_table
from briefreader.index.schema import INDEX_NAME, SCHEMA_VERSION, build_schema
from briefreader.model import Letter, LetterError

if TYPE_CHECKING:
    from briefreader.index.corpus_index import CorpusIndex

#: Parse in worker processes when at least this many letters are to be (re)indexed.
PARALLEL_THRESHOLD = 200

ProgressCallback = Callable[[int, int], None]
Loader = Callable[[Path], Letter]


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


def file_digest(letter: LetterFile) -> str:
    """SHA-256 of the letter's bytes and its companions' (sidecar, metadata): what decides a change.

    An unreadable letter file raises `OSError` (the letter can't be indexed). An unreadable
    companion does not: the loader reads it again and reports it as a warning naming that file,
    and the digest records it as unreadable, so the letter is indexed again once it can be read.
    """
    digest = hashlib.sha256()
    with open(letter.path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    for companion in letter.companions:
        digest.update(b"\0" + companion.name.encode("utf-8", "surrogatepass") + b"\0")
        try:
            with open(companion, "rb") as handle:
                digest.update(handle.read())
        except OSError as error:
            digest.update(f"\0unreadable {error.errno}\0".encode())
    return digest.hexdigest()


def diff(letters: dict[str, LetterFile], known: dict[str, Any]) -> tuple[list[str], list[str], list[str], dict[str, str], list[str]]:
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
        if entry.get("file") == letter.name and tuple(entry.get("sig", ())) == letter.signature:
            continue
        try:
            digest = file_digest(letter)
        except OSError:
            changed.append(letter_id)
            continue
        digests[letter_id] = digest
        if entry.get("sha") == digest and entry.get("file") == letter.name:
            touched.append(letter_id)
        else:
            changed.append(letter_id)
    return added, changed, removed, digests, touched


def verify(index: CorpusIndex, generation: Path, manifest: dict[str, Any]) -> str | None:
    """Why the live index can't be trusted, or None if it looks sound."""
    problem = manifests.files_intact(generation, manifest)
    if problem:
        return problem
    expected = sum(1 for entry in manifest["letters"].values() if entry.get("ok"))
    try:
        table = read_table(generation, index.corpus_dir)
        if table is None or len(table) != expected:
            return f"the letters table holds {len(table or ())} letters, the manifest {expected}"
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


def refresh_locked(index: CorpusIndex, progress: ProgressCallback | None, rebuild: bool, workers: int | None) -> RefreshReport:
    """`CorpusIndex.refresh` with the write lock held."""
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

    try:
        scan = scan_corpus(index.corpus_dir)
    except OSError as error:
        raise CorpusError(f"{index.corpus_dir}: cannot be read ({error.strerror or error})") from None

    if rebuild:
        known: dict[str, Any] = {}
        added, changed, removed = list(scan.letters), [], []
        digests: dict[str, str] = {}
        touched: list[str] = []
        if manifest is not None:
            previous = manifest["letters"]
            changed = [letter_id for letter_id in added if letter_id in previous]
            added = [letter_id for letter_id in added if letter_id not in previous]
            removed = [letter_id for letter_id in previous if letter_id not in scan.letters]
    else:
        assert manifest is not None
        known = dict(manifest["letters"])
        added, changed, removed, digests, touched = diff(scan.letters, known)

    work = sorted(added + changed)
    entries = dict(known)
    for letter_id in removed:
        entries.pop(letter_id, None)
    for letter_id in touched:
        letter = scan.letters[letter_id]
        entries[letter_id] = {**entries[letter_id], "sig": list(letter.signature)}

    warnings: list[tuple[str, str]] = []
    file_warnings: list[tuple[str, str]] = []
    infos: dict[str, LetterInfo] = {}
    if rebuild or work or removed:
        target = generations.new_generation(index_dir) if rebuild else generation
        assert target is not None
        try:
            if rebuild:
                whoosh_ix = whoosh_index.create_in(str(target), build_schema(), indexname=INDEX_NAME)
            else:
                whoosh_ix = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
            write(
                whoosh_ix,
                index._loader,
                scan.letters,
                work,
                removed,
                digests,
                entries,
                infos,
                warnings,
                file_warnings,
                progress,
                rebuild,
                workers,
            )
            checksums.record(target)
            previous = [] if rebuild else (read_table(target, index.corpus_dir) or [])
            gone = set(removed) | set(work)
            write_table(target, [info for info in previous if info.id not in gone] + list(infos.values()))
            new_manifest = {
                **manifests.stamp(),
                "corpus": str(index.corpus_dir),
                "letters": entries,
                "files": manifests.whoosh_files(target),
            }
            manifests.write_manifest(target, new_manifest)
        except BaseException:
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if rebuild:
            generations.switch_to(index_dir, target)
            generations.remove_other_generations(index_dir, keep=target)
    elif touched:
        assert generation is not None and manifest is not None
        manifests.write_manifest(generation, {**manifest, "letters": entries})

    skipped = tuple(
        sorted(
            [(str(scan.letters[i].path), e["problem"]) for i, e in entries.items() if not e.get("ok")]
            + [(str(path), problem) for path, problem in scan.ignored]
        )
    )
    newly_skipped = {i for i in work if not entries[i].get("ok")}
    # A first build is not a re-build.
    rebuilt = rebuild and (manifest is not None or notice is not None)
    return RefreshReport(
        added=tuple(i for i in sorted(added) if i not in newly_skipped),
        changed=tuple(i for i in sorted(changed) if i not in newly_skipped),
        removed=tuple(sorted(removed)),
        skipped=skipped,
        unchanged=sum(1 for i, e in entries.items() if e.get("ok") and i not in work),
        rebuilt=rebuilt,
        notice=notice,
        warnings=tuple(warnings),
        file_warnings=tuple(file_warnings),
    )


def parsed(
    loader: Loader, letters: list[LetterFile], digests: dict[str, str], workers: int | None
) -> Iterator[tuple[LetterFile, str | None, Letter | None, str | None]]:
    """(file, digest, letter, problem) for each file, in order; parsed in worker processes
    when there are many, so the parser runs on one core while Whoosh indexes on another."""
    # Worker processes are forked, and forking is only safe while this process has a single
    # thread (a fork of a threaded process can deadlock in the child). `spawn` would avoid
    # that but re-imports the caller's main module, which a library must not do behind
    # its caller's back. So: the CLI parses in parallel, a refresh from a reader's worker
    # thread parses here.
    can_fork = hasattr(os, "fork") and threading.active_count() == 1
    if workers is None:
        cpus = os.cpu_count() or 1
        workers = min(cpus - 1, 4) if len(letters) >= PARALLEL_THRESHOLD and cpus > 1 else 0
    jobs = [(loader, letter, digests.get(letter.id)) for letter in letters]
    if workers <= 0 or not can_fork:
        for job in jobs:
            yield (job[1], *parse_one(*job))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            for job, result in zip(jobs, pool.map(_parse_one_job, jobs, chunksize=8), strict=True):
                yield (job[1], *result)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def write(
    whoosh_ix: Index,
    loader: Loader,
    letters: dict[str, LetterFile],
    work: list[str],
    removed: list[str],
    digests: dict[str, str],
    entries: dict[str, Any],
    infos: dict[str, LetterInfo],
    warnings: list[tuple[str, str]],
    file_warnings: list[tuple[str, str]],
    progress: ProgressCallback | None,
    rebuild: bool,
    workers: int | None,
) -> None:
    """Delete the removed and changed letters' documents, add the new ones, commit; `infos`
    gets the `LetterInfo` of every letter indexed."""
    total = len(work)
    if progress is not None:
        progress(0, total)
    # compound=False: separate files are opened without copying; a compound segment file is
    # copied into memory (BytesIO) for every searcher that opens it.
    writer = whoosh_ix.writer(limitmb=256 if rebuild else 64, compound=False)
    try:
        if not rebuild:
            for letter_id in [*removed, *work]:
                writer.delete_by_term("letter", letter_id)
        jobs = parsed(loader, [letters[letter_id] for letter_id in work], digests, workers)
        for done, (letter_file, digest, letter, problem) in enumerate(jobs, 1):
            entry: dict[str, Any] = {"file": letter_file.name, "sig": list(letter_file.signature)}
            if digest:
                entry["sha"] = digest
            if letter is not None:
                info = letter_info(letter_file.id, letter_file.path, letter)
                writer.add_document(**letter_document(info, letter))
                infos[info.id] = info
                entry["ok"] = True
                warnings.extend((letter_file.id, warning) for warning in letter.warnings)
                for companion in letter_file.companions:
                    file_warnings.extend((str(companion), w) for w in letter.warnings if w.startswith(str(companion)))
            else:
                entry["ok"] = False
                entry["problem"] = problem
            entries[letter_file.id] = entry
            if progress is not None:
                progress(done, total)
        writer.commit(optimize=rebuild)
    except BaseException:
        writer.cancel()
        raise


def parse_one(loader: Loader, letter_file: LetterFile, digest: str | None) -> tuple[str | None, Letter | None, str | None]:
    """Hash and parse one letter: (digest, letter, None), or (digest, None, problem) if it fails."""
    try:
        digest = digest or file_digest(letter_file)
    except OSError as error:
        return None, None, f"cannot be read ({error.strerror or error})"
    try:
        return digest, loader(letter_file.path), None
    except LetterError as error:
        return digest, None, error.problem
    except OSError as error:
        return digest, None, f"cannot be read ({error.strerror or error})"
    except Exception as error:  # noqa: BLE001 - one bad letter must not stop the corpus
        return digest, None, f"could not be parsed ({error.__class__.__name__}: {error})"


def _parse_one_job(job: tuple[Loader, LetterFile, str | None]) -> tuple[str | None, Letter | None, str | None]:
    return parse_one(*job)


__all__ = ["PARALLEL_THRESHOLD", "Loader", "ProgressCallback", "RefreshReport", "diff", "file_digest", "refresh_locked"]
