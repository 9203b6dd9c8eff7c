"""The search index of a corpus: a Whoosh index in the user's cache, kept fresh.

One Whoosh document per paragraph or list item, one per footnote, and one per letter (kind
`letter`: the letter's metadata, for `letters()` and for filter-only queries). The letter's
title, date, dossiers, number, signatories and tags are fields of every document, so filters
like `dossier:32317` combine with words.

On disk, under the index folder (default: the user cache dir, one folder per corpus)::

    CURRENT            the name of the live generation, replaced atomically
    lock               held (flock) by the one process that writes
    gen-000003/        a Whoosh index + manifest.json

`manifest.json` records, per letter, what change detection needs (size, mtime, SHA-256 of letter
and sidecar) and whether it was indexed or skipped, plus the schema version and the sizes of the
Whoosh files as committed (a cheap test for a truncated index).

Readers never see a half-written index: an incremental update goes through Whoosh's own commit
(new segment files, then the table of contents renamed into place); a rebuild writes a whole new
generation folder and then swaps `CURRENT`. Writers take the lock; a second writer waits for it.
The manifest is written after the Whoosh commit, so after a crash it can only be behind, and the
next refresh re-indexes those letters again (deleting a letter's documents first makes that safe).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import platformdirs
from whoosh import index as whoosh_index
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from briefreader import __version__
from briefreader.analysis import dutch_analyzer
from briefreader.corpus import CorpusError, LetterFile, scan_corpus
from briefreader.model import Letter, LetterError
from briefreader.model import normalise_dossier as _normalise_dossier

#: Bump whenever the schema, the analysis or what is stored changes: a different stamp rebuilds.
SCHEMA_VERSION = 2
INDEX_NAME = "MAIN"
APP_NAME = "briefreader"

#: A footnote's terms weigh this much of a paragraph's, so an equally strong body hit ranks first.
FOOTNOTE_BOOST = 0.8
SUMMARY_LENGTH = 300
#: Parse in worker processes when at least this many letters are to be (re)indexed.
PARALLEL_THRESHOLD = 200

#: Document kinds (the `kind` field).
KIND_PARAGRAPH = "paragraph"
KIND_ITEM = "item"
KIND_FOOTNOTE = "footnote"
KIND_LETTER = "letter"

ProgressCallback = Callable[[int, int], None]
Loader = Callable[[Path], Letter]


class IndexLocked(Exception):
    """Another process holds the index's write lock (and we were told not to wait longer)."""


class IndexDamaged(Exception):
    """The index on disk can't be read; `refresh()` rebuilds it."""


#: What a reader may meet while a writer in another process commits or swaps generations:
#: worth a retry. Anything else (garbage where a table of contents should be) is damage.
_TRANSIENT = (OSError, IndexDamaged, whoosh_index.EmptyIndexError)


@dataclass(frozen=True)
class SectionInfo:
    """A section of a letter: its title (None for the untitled opening) and the letter-wide
    position of its first paragraph (as in `Letter.paragraphs()`)."""

    title: str | None
    paragraph: int


@dataclass(frozen=True)
class LetterInfo:
    """What the index knows about a letter, enough to list it and build a contents tree.

    Built from stored fields, never by parsing the letter again.
    """

    id: str
    path: Path
    title: str | None
    date: str | None
    dossiers: tuple[tuple[str, str | None], ...] = ()
    number: str | None = None
    kst_id: str | None = None
    signatories: tuple[tuple[str, str], ...] = ()
    sections: tuple[SectionInfo, ...] = ()
    cites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: How many paragraphs (and list items) and footnotes the letter has.
    paragraphs: int = 0
    footnotes: int = 0
    #: The parser's and the sidecar's warnings about this letter.
    warnings: tuple[str, ...] = ()
    #: The start of the letter's first paragraph (at most `SUMMARY_LENGTH` characters).
    summary: str = ""

    @property
    def display_title(self) -> str:
        """The title, or the letter id when the letter has none."""
        return self.title or self.id

    def to_stored(self) -> dict[str, Any]:
        """The plain-data form kept in the index (the path relative to the corpus)."""
        return {
            "id": self.id,
            "file": self.path.name,
            "title": self.title,
            "date": self.date,
            "dossiers": [list(d) for d in self.dossiers],
            "number": self.number,
            "kst_id": self.kst_id,
            "signatories": [list(s) for s in self.signatories],
            "sections": [[s.title, s.paragraph] for s in self.sections],
            "cites": list(self.cites),
            "tags": list(self.tags),
            "paragraphs": self.paragraphs,
            "footnotes": self.footnotes,
            "warnings": list(self.warnings),
            "summary": self.summary,
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any], corpus_dir: Path) -> "LetterInfo":
        """The inverse of `to_stored()`, with the path made absolute again."""
        return cls(
            id=data["id"],
            path=corpus_dir / data["file"],
            title=data.get("title"),
            date=data.get("date"),
            dossiers=tuple((d[0], d[1]) for d in data.get("dossiers", ())),
            number=data.get("number"),
            kst_id=data.get("kst_id"),
            signatories=tuple((s[0], s[1]) for s in data.get("signatories", ())),
            sections=tuple(SectionInfo(s[0], s[1]) for s in data.get("sections", ())),
            cites=tuple(data.get("cites", ())),
            tags=tuple(data.get("tags", ())),
            paragraphs=data.get("paragraphs", 0),
            footnotes=data.get("footnotes", 0),
            warnings=tuple(data.get("warnings", ())),
            summary=data.get("summary", ""),
        )


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

    @property
    def indexed(self) -> int:
        """How many letters were (re)indexed."""
        return len(self.added) + len(self.changed)

    @property
    def letters(self) -> int:
        """How many letters the index holds now."""
        return self.unchanged + self.indexed


# --- schema and documents -------------------------------------------------------------------


def normalise_dossier(value: str) -> str:
    """The dossier as an index term: `model.normalise_dossier`, lower case (`36 410 VI` -> `36410-vi`)."""
    return _normalise_dossier(value.upper()).lower()


def dossier_terms(numbers: list[str]) -> str:
    """The `dossier` field's value: every number, and the base of a sub-dossier (`21501-20` also
    files under `21501`)."""
    terms: list[str] = []
    for number in numbers:
        normal = normalise_dossier(number)
        for term in (normal, normal.split("-")[0]):
            if term and term not in terms:
                terms.append(term)
    return " ".join(terms)


def build_schema() -> Schema:
    """The index schema. Text fields share the Dutch analyzer.

    Paragraph and footnote documents hold only what differs per paragraph (`body`, `section`,
    `pos`); the letter-wide fields (`title`, `date`, `dossier`, `nr`, `signatory`, `tag`) are
    on the letter's own document. A letter's documents are written together, letter document
    first, so in every segment they are contiguous: `ndocs` (a column of the letter document)
    says how many follow it. `briefreader.search` uses that to apply a letter-wide filter or
    boost to the paragraphs without repeating the letter's fields on each of them, which makes
    indexing about twice as fast and filters proportional to letters rather than paragraphs.
    """
    analyzer = dutch_analyzer()

    def text(stored: bool = False) -> TEXT:
        # A query word that analyses into several terms (`EU-lidstaten`) becomes a phrase.
        return TEXT(analyzer=analyzer, stored=stored, multitoken_query="phrase")

    return Schema(
        letter=ID(stored=True),
        kind=ID(stored=True),
        pos=STORED(),
        body=text(stored=True),
        section=text(stored=True),
        title=text(),
        date=DATETIME(sortable=True),
        dossier=KEYWORD(lowercase=True),
        nr=KEYWORD(lowercase=True),
        signatory=text(),
        tag=KEYWORD(lowercase=True, commas=True),
        meta=STORED(),
        ndocs=COLUMN(NumericColumn("I")),
    )


def letter_info(letter_id: str, path: Path, letter: Letter) -> LetterInfo:
    """The `LetterInfo` of a parsed letter."""
    sections: list[SectionInfo] = []
    position = 0
    for section in letter.sections:
        sections.append(SectionInfo(section.title, position))
        position += len(section.paragraphs)
    cites: list[str] = []
    for reference in letter.references:
        if reference.kst_id not in cites:
            cites.append(reference.kst_id)
    return LetterInfo(
        id=letter_id,
        path=path,
        title=letter.title,
        date=letter.date.isoformat() if letter.date else None,
        dossiers=tuple((d.number, d.title) for d in letter.dossiers),
        number=letter.number,
        kst_id=letter.kst_id,
        signatories=tuple((s.function, s.name) for s in letter.signatories),
        sections=tuple(sections),
        cites=tuple(cites),
        tags=tuple(letter.tags),
        paragraphs=position,
        footnotes=len(letter.footnotes),
        warnings=tuple(letter.warnings),
        summary=_summary(letter),
    )


def _summary(letter: Letter) -> str:
    for _, _, paragraph in letter.paragraphs():
        text = " ".join(paragraph.text.split())
        if text:
            if len(text) <= SUMMARY_LENGTH:
                return text
            cut = text.rfind(" ", 0, SUMMARY_LENGTH)
            return text[: cut if cut > SUMMARY_LENGTH // 2 else SUMMARY_LENGTH].rstrip(" ,;:") + "…"
    return ""


def letter_documents(info: LetterInfo, letter: Letter) -> list[dict[str, Any]]:
    """The Whoosh documents of one letter, in the order they must be written: the letter's own
    document (metadata, `ndocs`), then its paragraphs and list items, then its footnotes."""
    documents: list[dict[str, Any]] = []
    marker_section: dict[int, str | None] = {}
    for position, section, paragraph in letter.paragraphs():
        for note in paragraph.notes:
            marker_section.setdefault(note.n, section.title)
        if not paragraph.text.strip():
            continue
        doc = {"letter": info.id, "kind": paragraph.kind, "pos": position, "body": paragraph.text}
        if section.title:
            doc["section"] = section.title
        documents.append(doc)
    for footnote in letter.footnotes:
        if not footnote.text.strip():
            continue
        doc = {"letter": info.id, "kind": KIND_FOOTNOTE, "pos": footnote.n, "body": footnote.text}
        if marker_section.get(footnote.n):
            doc["section"] = marker_section[footnote.n]
        # Whoosh multiplies the term weights of this document: a footnote ranks below an equal paragraph.
        doc["_boost"] = FOOTNOTE_BOOST
        documents.append(doc)

    head: dict[str, Any] = {"letter": info.id, "kind": KIND_LETTER, "meta": info.to_stored(), "ndocs": len(documents)}
    if letter.title:
        head["title"] = letter.title
    if letter.date:
        head["date"] = _dt.datetime.combine(letter.date, _dt.time())
    if letter.dossiers:
        head["dossier"] = dossier_terms([d.number for d in letter.dossiers])
    if letter.number:
        head["nr"] = letter.number
    if letter.signatories:
        head["signatory"] = " ; ".join(f"{s.function} {s.name}" for s in letter.signatories)
    if letter.tags:
        head["tag"] = ",".join(letter.tags)
    return [head, *documents]


# --- locations ------------------------------------------------------------------------------


def cache_root() -> Path:
    """Where indexes live by default: `<user cache dir>/briefreader/indexes` (XDG_CACHE_HOME respected)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "indexes"


def default_index_dir(corpus_dir: Path) -> Path:
    """The cache folder of one corpus: its folder name (for humans) and a hash of its full path."""
    resolved = str(Path(corpus_dir).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(resolved).name)[:40] or "corpus"
    return cache_root() / f"{name}-{digest}"


def file_digest(letter: LetterFile) -> str:
    """SHA-256 of the letter's bytes and its companions' (sidecar, metadata): what decides a change."""
    digest = hashlib.sha256()
    with open(letter.path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    for companion in letter.companions:
        digest.update(b"\0" + companion.name.encode("utf-8", "surrogatepass") + b"\0")
        with open(companion, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


# --- the lock -------------------------------------------------------------------------------


try:
    import fcntl as _fcntl
except ImportError:  # Windows
    _fcntl = None


class _FileLock:
    """An exclusive lock on a file, held by one writer process (flock; msvcrt on Windows)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if _fcntl is not None:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            if _fcntl is not None:
                _fcntl.flock(self.fd, _fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None


# --- the index ------------------------------------------------------------------------------


def _write_json_atomic(path: Path, data: Any) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


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
        self._letters_cache: tuple[tuple[str, int], dict[str, LetterInfo]] | None = None  # key: _searcher_key

    def __repr__(self) -> str:
        return f"CorpusIndex({str(self.corpus_dir)!r}, index_dir={str(self.index_dir)!r})"

    # -- where things are

    def _current_generation(self) -> Path | None:
        try:
            name = (self.index_dir / "CURRENT").read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise IndexDamaged(f"CURRENT unreadable ({error.__class__.__name__})") from None
        if not re.fullmatch(r"gen-\d{6}", name):
            raise IndexDamaged("CURRENT does not name a generation")
        return self.index_dir / name

    def _read_manifest(self, generation: Path) -> dict[str, Any]:
        try:
            with open(generation / "manifest.json", encoding="utf-8") as handle:
                manifest = json.load(handle)
        except FileNotFoundError:
            raise IndexDamaged("manifest missing") from None
        except (OSError, ValueError) as error:
            raise IndexDamaged(f"manifest unreadable ({error.__class__.__name__})") from None
        if not isinstance(manifest, dict) or not isinstance(manifest.get("letters"), dict):
            raise IndexDamaged("manifest malformed")
        return manifest

    def _stamp(self) -> dict[str, Any]:
        return {"schema": SCHEMA_VERSION, "briefreader": __version__}

    def _stamp_matches(self, manifest: dict[str, Any]) -> bool:
        return all(manifest.get(key) == value for key, value in self._stamp().items())

    def _whoosh_files(self, generation: Path) -> dict[str, int]:
        return {
            entry.name: entry.stat().st_size
            for entry in os.scandir(generation)
            if entry.name.startswith(f"_{INDEX_NAME}_") or entry.name.startswith(f"{INDEX_NAME}_")
            if not entry.name.endswith(".tmp") and "LOCK" not in entry.name
        }

    def _files_intact(self, generation: Path, manifest: dict[str, Any]) -> str | None:
        """None if every Whoosh file the manifest lists is there with its size, else the problem."""
        for name, size in manifest.get("files", {}).items():
            try:
                actual = os.stat(generation / name).st_size
            except OSError:
                return f"{name} is missing"
            if actual != size:
                return f"{name} has {actual} bytes, not {size}"
        return None

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
        return generation is not None and (generation / "manifest.json").is_file()

    # -- freshness

    def _diff(
        self, letters: dict[str, LetterFile], known: dict[str, Any]
    ) -> tuple[list[str], list[str], list[str], dict[str, str], list[str]]:
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

    def is_fresh(self) -> bool:
        """Whether the index matches the corpus: same letters, same sizes and mtimes (or, where
        those differ, the same content hash), same schema, index files intact and openable.
        Reads no letter unless its size or mtime changed."""
        try:
            generation = self._current_generation()
            if generation is None:
                return False
            manifest = self._read_manifest(generation)
        except IndexDamaged:
            return False
        if not self._stamp_matches(manifest) or self._files_intact(generation, manifest):
            return False
        try:
            # Opening a searcher reads the table of contents and opens the segment files: a few
            # milliseconds, and it catches an index damaged in place (same sizes, bad bytes).
            with self.searcher():
                pass
        except IndexDamaged:
            return False
        try:
            scan = scan_corpus(self.corpus_dir)
        except OSError:
            return False
        added, changed, removed, _, _ = self._diff(scan.letters, manifest["letters"])
        return not (added or changed or removed)

    # -- reading

    def _open_whoosh(self) -> tuple[Any, Path]:
        """Open the live Whoosh index, retrying while a writer swaps generations or cleans up."""
        last_error: Exception | None = None
        for attempt in range(6):
            generation = self._current_generation()
            if generation is None:
                raise IndexDamaged("no index has been built yet")
            try:
                return whoosh_index.open_dir(str(generation), indexname=INDEX_NAME), generation
            except _TRANSIENT as error:
                last_error = error
                time.sleep(0.02 * (attempt + 1))
            except Exception as error:  # noqa: BLE001 - Whoosh raises many kinds on damage
                raise IndexDamaged(f"cannot open the index ({error.__class__.__name__}: {error})") from None
        raise IndexDamaged(f"cannot open the index ({last_error.__class__.__name__}: {last_error})")

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Any]:
        """A Whoosh searcher on the live index, closed on exit. One per thread; never shared.

        Raises `IndexDamaged` when there is no index or it can't be read.
        """
        last_error: Exception | None = None
        for attempt in range(6):
            whoosh_ix, _ = self._open_whoosh()
            try:
                searcher = whoosh_ix.searcher()
            except _TRANSIENT as error:  # segment files went away mid-open: retry
                last_error = error
                time.sleep(0.02 * (attempt + 1))
                continue
            except Exception as error:  # noqa: BLE001 - Whoosh raises many kinds on damage
                raise IndexDamaged(f"cannot read the index ({error.__class__.__name__}: {error})") from None
            try:
                _open_columns(searcher)
            except _TRANSIENT as error:  # a writer removed a file meanwhile: retry
                searcher.close()
                last_error = error
                time.sleep(0.02 * (attempt + 1))
                continue
            except Exception as error:  # noqa: BLE001
                searcher.close()
                raise IndexDamaged(f"cannot read the index ({error.__class__.__name__}: {error})") from None
            # Which generation folder this searcher reads: with Whoosh's own generation number
            # it keys the cache of `letters()`.
            searcher.briefreader_generation = whoosh_ix.storage.folder
            try:
                yield searcher
            finally:
                searcher.close()
            return
        raise IndexDamaged(f"cannot read the index ({last_error.__class__.__name__}: {last_error})")

    def _letters_map(self) -> dict[str, LetterInfo]:
        try:
            generation = self._current_generation()
        except IndexDamaged:
            return {}
        if generation is None:
            return {}
        try:
            with self.searcher() as searcher:
                key = _searcher_key(searcher)
                with self._cache_lock:
                    if self._letters_cache is not None and self._letters_cache[0] == key:
                        return self._letters_cache[1]
                result: dict[str, LetterInfo] = {}
                for docnum in searcher.document_numbers(kind=KIND_LETTER):
                    stored = searcher.stored_fields(docnum)
                    info = LetterInfo.from_stored(stored["meta"], self.corpus_dir)
                    result[info.id] = info
        except IndexDamaged:
            return {}
        # Newest first, undated last, ties by id (list.sort is stable, also with reverse=True).
        infos = sorted(result.values(), key=lambda info: info.id)
        infos.sort(key=lambda info: info.date or "", reverse=True)
        ordered = {info.id: info for info in infos}
        with self._cache_lock:
            self._letters_cache = (key, ordered)
        return ordered

    def letters(self) -> list[LetterInfo]:
        """Every indexed letter, newest first (undated last), from stored fields; [] without an index."""
        return list(self._letters_map().values())

    def letter(self, letter_id: str) -> LetterInfo | None:
        """The indexed letter with this id, or None."""
        return self._letters_map().get(letter_id)

    def stored_letter(self, searcher: Any, letter_id: str) -> LetterInfo | None:
        """A letter's info through an open searcher: one lookup, no full letter list needed."""
        with self._cache_lock:
            cached = self._letters_cache
        if cached is not None and cached[0] == _searcher_key(searcher):
            return cached[1].get(letter_id)
        reader = searcher.reader()
        if ("letter", letter_id) not in reader:
            return None
        # The letter's own document is the first of its documents (see build_schema).
        docnum = reader.postings("letter", letter_id).id()
        stored = reader.stored_fields(docnum)
        if stored.get("kind") != KIND_LETTER:
            stored = searcher.document(letter=letter_id, kind=KIND_LETTER) or {}
        if "meta" not in stored:
            return None
        return LetterInfo.from_stored(stored["meta"], self.corpus_dir)

    # -- writing

    @contextlib.contextmanager
    def _locked(self, wait: float | None, on_wait: Callable[[], None] | None) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = _FileLock(self.index_dir / "lock")
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

    def _new_generation(self) -> Path:
        numbers = [
            int(entry.name[4:])
            for entry in os.scandir(self.index_dir)
            if re.fullmatch(r"gen-\d{6}", entry.name)
        ]
        generation = self.index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
        generation.mkdir()
        return generation

    def _remove_other_generations(self, keep: Path | None) -> None:
        for entry in os.scandir(self.index_dir):
            if re.fullmatch(r"gen-\d{6}", entry.name) and (keep is None or entry.name != keep.name):
                # A reader still holding old files keeps them (POSIX); ignore what can't go yet.
                shutil.rmtree(entry.path, ignore_errors=True)

    def _verify(self, generation: Path, manifest: dict[str, Any]) -> str | None:
        """Why the live index can't be trusted, or None if it looks sound."""
        problem = self._files_intact(generation, manifest)
        if problem:
            return problem
        try:
            with self.searcher() as searcher:
                # Not doc_frequency(): that still counts documents deleted since the last merge.
                numbers = list(searcher.document_numbers(kind=KIND_LETTER))
                expected = sum(1 for entry in manifest["letters"].values() if entry.get("ok"))
                if len(numbers) != expected:
                    return f"it holds {len(numbers)} letters, the manifest {expected}"
                if numbers:
                    searcher.stored_fields(numbers[-1])
        except Exception as error:  # noqa: BLE001 - any read error means damage
            return f"{error.__class__.__name__}: {error}"
        return None

    def refresh(
        self,
        progress: ProgressCallback | None = None,
        rebuild: bool = False,
        *,
        wait: float | None = None,
        on_wait: Callable[[], None] | None = None,
        workers: int | None = None,
    ) -> RefreshReport:
        """Bring the index up to date with the corpus; only added and changed letters are parsed.

        `progress(done, total)` is called from this thread as letters are indexed. `rebuild`
        builds everything from scratch. If another process is writing, waits for it (at most
        `wait` seconds if given, then `IndexLocked`), calling `on_wait()` once first. A letter
        that fails to parse is skipped and reported; a damaged or outdated index is rebuilt.
        `workers`: parser processes (default: one per spare core when many letters are to be
        parsed; 0 parses in this thread). Raises `CorpusError` if the corpus folder can't be listed.
        """
        started = time.perf_counter()
        with self._locked(wait, on_wait):
            report = self._refresh_locked(progress, rebuild, workers)
        return replace(report, seconds=time.perf_counter() - started)

    def _refresh_locked(self, progress: ProgressCallback | None, rebuild: bool, workers: int | None) -> RefreshReport:
        notice = None
        manifest: dict[str, Any] | None = None
        generation: Path | None = None
        try:
            generation = self._current_generation()
            if generation is not None:
                manifest = self._read_manifest(generation)
        except IndexDamaged as error:
            notice = f"The search index in {self.index_dir} was damaged ({error}); rebuilding it."
            manifest = None
        if manifest is not None and generation is not None:
            if not self._stamp_matches(manifest):
                rebuild = True
                old = manifest.get("schema")
                notice = f"The search index format changed (version {old} -> {SCHEMA_VERSION}); rebuilding it."
            elif not rebuild:
                problem = self._verify(generation, manifest)
                if problem:
                    notice = f"The search index in {self.index_dir} was damaged ({problem}); rebuilding it."
                    rebuild = True
        if manifest is None:
            rebuild = True

        try:
            scan = scan_corpus(self.corpus_dir)
        except OSError as error:
            raise CorpusError(f"{self.corpus_dir}: cannot be read ({error.strerror or error})") from None

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
            added, changed, removed, digests, touched = self._diff(scan.letters, known)

        work = sorted(added + changed)
        entries = dict(known)
        for letter_id in removed:
            entries.pop(letter_id, None)
        for letter_id in touched:
            letter = scan.letters[letter_id]
            entries[letter_id] = {**entries[letter_id], "sig": list(letter.signature)}

        warnings: list[tuple[str, str]] = []
        if rebuild or work or removed:
            target = self._new_generation() if rebuild else generation
            assert target is not None
            try:
                if rebuild:
                    whoosh_ix = whoosh_index.create_in(str(target), build_schema(), indexname=INDEX_NAME)
                else:
                    whoosh_ix = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
                self._write(
                    whoosh_ix, scan.letters, work, removed, digests, entries, warnings, progress, rebuild, workers
                )
                new_manifest = {
                    **self._stamp(),
                    "corpus": str(self.corpus_dir),
                    "letters": entries,
                    "files": self._whoosh_files(target),
                }
                _write_json_atomic(target / "manifest.json", new_manifest)
            except BaseException:
                if rebuild:
                    shutil.rmtree(target, ignore_errors=True)
                raise
            if rebuild:
                _write_json_atomic_text(self.index_dir / "CURRENT", target.name + "\n")
                self._remove_other_generations(keep=target)
        elif touched:
            assert generation is not None and manifest is not None
            _write_json_atomic(generation / "manifest.json", {**manifest, "letters": entries})

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
        )

    def _parsed(
        self, letters: list[LetterFile], digests: dict[str, str], workers: int | None
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
        jobs = [(self._loader, letter, digests.get(letter.id)) for letter in letters]
        if workers <= 0 or not can_fork:
            for job in jobs:
                yield (job[1], *_parse_one(*job))
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            try:
                for job, result in zip(jobs, pool.map(_parse_one_job, jobs, chunksize=8)):
                    yield (job[1], *result)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _write(
        self,
        whoosh_ix: Any,
        letters: dict[str, LetterFile],
        work: list[str],
        removed: list[str],
        digests: dict[str, str],
        entries: dict[str, Any],
        warnings: list[tuple[str, str]],
        progress: ProgressCallback | None,
        rebuild: bool,
        workers: int | None,
    ) -> None:
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
            parsed = self._parsed([letters[letter_id] for letter_id in work], digests, workers)
            for done, (letter_file, digest, letter, problem) in enumerate(parsed, 1):
                entry: dict[str, Any] = {"file": letter_file.name, "sig": list(letter_file.signature)}
                if digest:
                    entry["sha"] = digest
                if letter is not None:
                    info = letter_info(letter_file.id, letter_file.path, letter)
                    for document in letter_documents(info, letter):
                        writer.add_document(**document)
                    entry["ok"] = True
                    warnings.extend((letter_file.id, warning) for warning in letter.warnings)
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


def _parse_one(loader: Loader, letter_file: LetterFile, digest: str | None) -> tuple[str | None, Letter | None, str | None]:
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
    return _parse_one(*job)


def _open_columns(searcher: Any) -> None:
    """Open every column file of every segment now, while the table of contents still lists them.

    Whoosh opens column files (stored fields, field lengths, `ndocs`) lazily, on first use. A
    writer in another process may by then have merged the segment and deleted its files (or a
    rebuild removed the whole generation), and the read would fail halfway through a search.
    A file that is open stays readable after it is deleted (POSIX), so open them all up front.
    """
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield

    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is None or not hasattr(perdoc, "_cached_reader"):
            continue  # not the W3 codec: nothing we know how to open early
        if reader.doc_count_all() and perdoc._cached_reader("_stored", STORED_COLUMN) is None:
            raise IndexDamaged(f"stored fields of {reader} are missing")
        for name, fieldtype in reader.schema.items():
            if fieldtype.scorable:
                perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            if fieldtype.column_type is not None and perdoc.has_column(name):
                reader.column_reader(name)


def _searcher_key(searcher: Any) -> tuple[str, int]:
    return (getattr(searcher, "briefreader_generation", ""), searcher.reader().generation())


def _write_json_atomic_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def open_index(corpus_dir: str | Path, index_dir: str | Path | None = None, *, loader: Loader | None = None) -> CorpusIndex:
    """The index of a corpus folder (default location: the user cache). Reads nothing yet.

    `index_dir` overrides the location; it must not lie inside the corpus folder, which
    briefreader never writes to. `loader` (default: `briefreader.load.load_letter`) parses a file.
    """
    corpus_dir = Path(corpus_dir).resolve()
    if index_dir is None:
        target = default_index_dir(corpus_dir)
    else:
        target = Path(index_dir).expanduser().resolve()
        if target == corpus_dir or corpus_dir in target.parents:
            raise CorpusError(f"{target}: the index must not be inside the corpus folder {corpus_dir}")
    return CorpusIndex(corpus_dir, target, loader)


__all__ = [
    "FOOTNOTE_BOOST",
    "SCHEMA_VERSION",
    "CorpusIndex",
    "IndexDamaged",
    "IndexLocked",
    "LetterInfo",
    "RefreshReport",
    "SectionInfo",
    "build_schema",
    "cache_root",
    "default_index_dir",
    "letter_documents",
    "letter_info",
    "normalise_dossier",
    "open_index",
]
