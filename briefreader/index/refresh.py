"""Bringing an index up to date with its corpus: what changed, parsing, writing, rebuilding.

Only added and changed letters are parsed (a letter's size and mtime decide first, then the
SHA-256 of its bytes and its companions'); removed ones are deleted. An incremental update goes
through Whoosh's own commit (new segment files, then the table of contents renamed into place);
a rebuild writes a whole new generation and swaps `CURRENT` (see `briefreader.index.generations`).
The caller holds the write lock.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index

from briefreader.corpus import CorpusError, LetterFile, scan_corpus
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
        known: dict[str, Entry] = {}
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
    #: The entries to write: all of them for a rebuild, else those of the letters touched or (re)indexed.
    written_entries: dict[str, Entry] = {}
    for letter_id in touched:
        letter = scan.letters[letter_id]
        entries[letter_id] = written_entries[letter_id] = entries[letter_id]._replace(sig=signature_text(letter.signature))

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
            written = write_letters(whoosh_ix, index._loader, [scan.letters[i] for i in work], digests, [] if rebuild else [*removed, *work], progress, workers)
            for indexed in written.letters:
                entries[indexed.letter_id] = written_entries[indexed.letter_id] = indexed.entry
                if indexed.info is not None:
                    infos[indexed.letter_id] = indexed.info
                warnings.extend((indexed.letter_id, warning) for warning in indexed.warnings)
                file_warnings.extend(indexed.file_warnings)
            checksums.record(target)
            with database.writing(target, create=rebuild) as connection:
                manifests.write_manifest(connection, index.corpus_dir, manifests.whoosh_files(target), written_entries, removed)
                # A letter re-indexed that now fails to parse leaves the table; one that parses is replaced.
                write_rows(connection, infos.values(), removed=[*removed, *(i for i in work if i not in infos)])
        except BaseException:
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if rebuild:
            generations.switch_to(index_dir, target)
            generations.remove_other_generations(index_dir, keep=target)
    elif touched:
        assert generation is not None
        with database.writing(generation) as connection:
            manifests.write_manifest(connection, index.corpus_dir, manifests.whoosh_files(generation), written_entries)

    skipped = tuple(
        sorted(
            [(str(scan.letters[i].path), e.problem or "") for i, e in entries.items() if not e.ok]
            + [(str(path), problem) for path, problem in scan.ignored]
        )
    )
    newly_skipped = {i for i in work if not entries[i].ok}
    worked = set(work)  # a set: `work` is a list, and a full build of 100,000 letters made this count quadratic
    # A first build is not a re-build.
    rebuilt = rebuild and (manifest is not None or notice is not None)
    return RefreshReport(
        added=tuple(i for i in sorted(added) if i not in newly_skipped),
        changed=tuple(i for i in sorted(changed) if i not in newly_skipped),
        removed=tuple(sorted(removed)),
        skipped=skipped,
        unchanged=sum(1 for i, e in entries.items() if e.ok and i not in worked),
        rebuilt=rebuilt,
        notice=notice,
        warnings=tuple(warnings),
        file_warnings=tuple(file_warnings),
    )


__all__ = ["PARALLEL_THRESHOLD", "Loader", "ProgressCallback", "RefreshReport", "diff", "file_digest", "refresh_locked"]
