"""Writing letters into the Whoosh index: here, or in worker processes that each write a segment.

A letter costs its parse (most of the time) and its indexing; both run in Python, so one process
uses one core. With many letters to index (`PARALLEL_THRESHOLD`), one worker process per core
parses its share of the letters and writes its own Whoosh segment, and this process commits the
segments together (`briefreader.index.whoosh_private`: Whoosh's writer has no public way to
commit segments written elsewhere; its own `MpWriter` parses in the parent). The segments are not
merged afterwards: a search reads a few segments as fast as one.

Worker processes are forked, and forking is only safe while this process has a single thread (a
fork of a threaded process can deadlock in the child); `spawn` would re-import the caller's main
module, which a library must not do behind its caller's back. So the command line indexes in
parallel, and a refresh from the reader's worker thread indexes here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import queue as queues
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from briefreader.corpus import LetterFile
from briefreader.index import whoosh_private
from briefreader.index.documents import LetterInfo, letter_document, letter_info
from briefreader.index.manifest import Entry, signature_text
from briefreader.index.schema import INDEX_NAME
from briefreader.model import Letter, LetterError

#: Index in worker processes when at least this many letters are to be (re)indexed.
PARALLEL_THRESHOLD = 200
#: Memory for a writer's buffer of postings before it spills to temporary files (MB), per
#: process: with two workers, a full build of 100,000 letters stays under 1 GB.
WRITER_MEMORY_MB = 64
#: How long the parent waits for a worker's next message before checking the workers are alive (s).
POLL_SECONDS = 1.0
#: A worker reports progress after this many letters (one message each would cost more than it says).
PROGRESS_EVERY = 20

ProgressCallback = Callable[[int, int], None]
Loader = Callable[[Path], Letter]


@dataclass(frozen=True)
class Indexed:
    """What became of one letter: its manifest entry, its info (None if it was skipped) and the
    warnings of its parse (those about its sidecar or metadata file also by that file)."""

    letter_id: str
    entry: Entry
    info: LetterInfo | None = None
    warnings: tuple[str, ...] = ()
    file_warnings: tuple[tuple[str, str], ...] = ()


@dataclass
class WriteResult:
    """Every letter written, in the order they were done."""

    letters: list[Indexed] = field(default_factory=list)


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


def index_one(loader: Loader, letter_file: LetterFile, digest: str | None) -> tuple[Indexed, dict[str, Any] | None]:
    """Parse one letter: what became of it, and its Whoosh document (None if it was skipped)."""
    digest, letter, problem = parse_one(loader, letter_file, digest)
    signature = signature_text(letter_file.signature)
    if letter is None:
        return Indexed(letter_file.id, Entry(letter_file.name, signature, digest, False, problem)), None
    entry = Entry(letter_file.name, signature, digest, True)
    info = letter_info(letter_file.id, letter_file.path, letter)
    companions = [str(path) for path in letter_file.companions]
    file_warnings = tuple((path, w) for path in companions for w in letter.warnings if w.startswith(path))
    return Indexed(letter_file.id, entry, info, tuple(letter.warnings), file_warnings), letter_document(info, letter)


def _start_method() -> str:
    """How worker processes start: forked from this process while it has a single thread (cheap,
    nothing to import again); from a fork server when threads run (the reader, a progress bar),
    since forking a process with threads can copy a lock that another thread holds."""
    return "fork" if threading.active_count() == 1 else "forkserver"


def worker_count(letters: int, workers: int | None) -> int:
    """How many worker processes to index `letters` letters with (0: in this process)."""
    if not hasattr(os, "fork") or not whoosh_private.AVAILABLE:
        return 0
    if workers is None:
        cpus = os.cpu_count() or 1
        return cpus if letters >= PARALLEL_THRESHOLD and cpus > 1 else 0
    return max(0, workers)


def write_letters(
    whoosh_ix: Index,
    loader: Loader,
    files: list[LetterFile],
    digests: dict[str, str],
    delete: list[str],
    progress: ProgressCallback | None,
    workers: int | None,
) -> WriteResult:
    """Delete the documents of the letters in `delete`, index `files`, commit."""
    total = len(files)
    count = worker_count(total, workers)
    # compound=False: separate files are opened without copying; a compound segment file is
    # copied into memory (BytesIO) for every searcher that opens it.
    writer = whoosh_ix.writer(limitmb=WRITER_MEMORY_MB, compound=False)
    whoosh_private.fast_flush(writer)
    try:
        for letter_id in delete:
            writer.delete_by_term("letter", letter_id)
        if count:
            result = _write_in_workers(whoosh_ix, writer, loader, files, digests, progress, count)
        else:
            result = WriteResult()
            if progress is not None:
                progress(0, total)
            for done, letter_file in enumerate(files, 1):
                indexed, document = index_one(loader, letter_file, digests.get(letter_file.id))
                if document is not None:
                    writer.add_document(**document)
                result.letters.append(indexed)
                if progress is not None:
                    progress(done, total)
            writer.commit()
        return result
    except BaseException:
        writer.cancel()
        raise


def _worker(folder: str, loader: Loader, jobs: list[tuple[LetterFile, str | None]], messages: Any, results: str) -> None:
    """A worker process: index its share of the letters into a segment of its own.

    What became of each letter goes to the file `results`, letter by letter, not through the
    queue: the parent would otherwise hold 100,000 letters' details while the workers still hold
    their memory too. The queue carries progress, the segment, or a failure.
    """
    try:
        whoosh_ix = whoosh_index.open_dir(folder, indexname=INDEX_NAME)
        writer = whoosh_private.worker_writer(whoosh_ix, limitmb=WRITER_MEMORY_MB)
        with open(results, "wb") as handle:
            for n, (letter_file, digest) in enumerate(jobs, 1):
                indexed, document = index_one(loader, letter_file, digest)
                if document is not None:
                    writer.add_document(**document)
                pickle.dump(indexed, handle, protocol=pickle.HIGHEST_PROTOCOL)
                if n % PROGRESS_EVERY == 0:
                    messages.put(("progress", PROGRESS_EVERY))
        messages.put(("progress", len(jobs) % PROGRESS_EVERY))
        messages.put(("segment", whoosh_private.finish_worker_segment(writer)))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        messages.put(("failed", f"{error.__class__.__name__}: {error}"))


@contextlib.contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """Lend `sys.__stderr__` as `sys.stderr` while worker processes start.

    multiprocessing's helper processes (its fork server, its resource tracker) inherit the file
    descriptor of `sys.stderr`. While Textual runs, `sys.stderr` is its print capture, whose
    `fileno()` is -1, and starting them fails ("bad value(s) in fds_to_keep"): the reader could not
    index 200 letters at once.
    """
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    lent, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = lent


class WorkerFailed(Exception):
    """A worker process stopped without finishing its segment (a bug, or it was killed)."""


def _write_in_workers(
    whoosh_ix: Index,
    writer: Any,
    loader: Loader,
    files: list[LetterFile],
    digests: dict[str, str],
    progress: ProgressCallback | None,
    count: int,
) -> WriteResult:
    import multiprocessing

    context = multiprocessing.get_context(_start_method())
    with _stderr_with_a_descriptor():  # the queue's lock starts the resource tracker
        messages = context.Queue()
    jobs = [(letter_file, digests.get(letter_file.id)) for letter_file in files]
    shares = [jobs[n::count] for n in range(count)]
    folder = str(whoosh_ix.storage.folder)
    scratch = tempfile.mkdtemp(prefix=".results-", dir=folder)
    files_of = [os.path.join(scratch, f"worker-{n}.pickle") for n in range(count)]
    processes = [
        context.Process(target=_worker, args=(folder, loader, share, messages, path), daemon=True)
        for share, path in zip(shares, files_of, strict=True)
    ]
    with _stderr_with_a_descriptor():
        for process in processes:
            process.start()
    if progress is not None:
        progress(0, len(files))  # after the forks: a progress display may start a thread
    segments = []
    finished = done = 0
    try:
        while finished < count:
            try:
                kind, payload = messages.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if any(not process.is_alive() and process.exitcode not in (0, None) for process in processes):
                    raise WorkerFailed("an indexing worker process ended without finishing") from None
                continue
            if kind == "progress":
                done += payload
                if progress is not None and payload:
                    progress(done, len(files))
            elif kind == "segment":
                finished += 1
                if payload is not None:
                    segments.append(payload)
            else:
                raise WorkerFailed(f"an indexing worker process failed ({payload})")
        for process in processes:
            process.join()
        result = WriteResult()
        for path in files_of:
            with open(path, "rb") as handle:
                while True:
                    try:
                        result.letters.append(pickle.load(handle))
                    except EOFError:
                        break
        whoosh_private.commit_segments(writer, segments)
        return result
    except BaseException:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


__all__ = [
    "PARALLEL_THRESHOLD",
    "WRITER_MEMORY_MB",
    "Indexed",
    "WorkerFailed",
    "WriteResult",
    "file_digest",
    "index_one",
    "parse_one",
    "worker_count",
    "write_letters",
]
