"""The letter last shown in each corpus, kept parsed in the user's cache folder.

The reader reopens the letter last read; kept parsed, that letter reaches the first screen without
the parser, PyYAML (for its sidecar) or the parse: about half of what the reader did beyond a bare
Textual app before its first screen.

One file per corpus, `$XDG_CACHE_HOME/briefreader/shown/<corpus digest>.json`, two lines of JSON:
the key, then the letter (`briefreader.letter_data`). The key is everything the parse depends on:
the letter's path, and the size, modification and change time and inode of each file
`load_letter` may read (`briefreader.load.source_files`, absent ones included: a sidecar created
since counts as a change), briefreader's version and the size and modification time of the
modules that read letters. A letter is served from here only when the whole key still holds; the
letter read is still passed through `briefreader.sanitise.visible_data`, as every letter is.

It is a cache, nothing more: a file that is damaged, of another format, too large or not ours is
ignored silently (the letter is parsed) and replaced when the next letter is shown; a file that
can't be written is not written. Files are written atomically (a temporary file in the same
folder, then `os.replace`); only files named and shaped as ours are ever deleted, keeping the
`MAX_CORPORA` most recently written. Not pickle: nothing read here is ever executed.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import briefreader
from briefreader.atomic import write_text
from briefreader.letter_data import letter_from_data, letter_to_data
from briefreader.load import source_files
from briefreader.model import Letter
from briefreader.sanitise import visible_data

__all__ = ["FORMAT", "MAX_CORPORA", "Kept", "LetterCache", "Signature", "default_folder"]

#: Raised when the form of the file changes; a file of another format is ignored.
FORMAT = 1
#: Corpora whose last letter is kept (the least recently written are deleted).
MAX_CORPORA = 50
#: The largest file read: a letter is at most 8 MB of text (`briefreader.load.MAX_TEXT_BYTES`),
#: which JSON's escapes may make larger; anything beyond is not ours.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The key line is a few hundred bytes; a longer first line is not ours.
MAX_KEY_BYTES = 64 * 1024
#: What the first line starts with, so that only our files are ever deleted.
_MAGIC = b'{"briefreader": "shown letter"'
_NAME = re.compile(r"^[0-9a-f]{16}\.json$")
_TEMPORARY_PREFIX = ".shown-"
#: A temporary file older than this was left by a write that was killed: it goes at the next write.
_STALE_TEMPORARY = 3600.0
#: The modules whose code decides what a parse gives (relative to the package).
_READING_CODE = ("parse", "load.py", "sidecar.py", "yamlfile.py", "sanitise.py", "model.py", "months.py", "letter_data.py")

#: The state of the files a parse was made from: `[path, size, mtime_ns, ctime_ns, inode]`, or
#: `[path]` for one that did not exist. Plain lists, so that it compares equal to its JSON.
Signature = list


def default_folder() -> Path:
    """`shown/` in the user's cache folder (beside the indexes)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefreader")) / "shown"


def _name_digest(corpus: str) -> str:
    """16 hex digits for the corpus's file name: two 32-bit checksums of its path. zlib, which
    Textual has loaded already: importing hashlib cost 5 ms of every start. Two corpora that
    get one name share a file; the key line names the corpus, so each then finds the other's
    letter not its own and parses, as for any miss."""
    data = corpus.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _read_key(handle: BinaryIO) -> dict[str, Any] | None:
    """The key line at the start of a cache file (None if it is not one of ours); `ValueError` or
    `RecursionError` if it is not JSON."""
    head = handle.readline(MAX_KEY_BYTES + 1)
    if not head.startswith(_MAGIC):
        return None
    key = json.loads(head)
    return key if isinstance(key, dict) else None


def _file_state(path: Path) -> list:
    try:
        status = os.stat(path)
    except OSError:
        return [str(path)]
    return [str(path), status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def _code_state() -> list:
    """briefreader's version and the state of its letter-reading modules (a checkout's code
    changes without the version changing)."""
    package = Path(briefreader.__file__).parent
    files: list[Path] = []
    for name in _READING_CODE:
        target = package / name
        files.extend(sorted(target.glob("*.py")) if target.is_dir() else [target])
    states = []
    for file in files:
        try:
            status = file.stat()
        except OSError:
            continue
        states.append([file.name, status.st_size, status.st_mtime_ns])
    return [briefreader.__version__, states]


@dataclass(frozen=True)
class Kept:
    """A letter read from the cache, and the signature it was kept under."""

    letter: Letter
    signature: Signature


class LetterCache:
    """The last letter shown in the corpus `corpus_dir`, in `folder` (default: `default_folder()`).

    `signature(path)` takes the state of the letter's files; take it before parsing, and `save()`
    the letter under it, so a file changed during the parse is never kept as unchanged. `load()`
    gives the kept letter if it is the one at `path` and nothing it was read from has changed.
    Never raises: a cache is only ever a shortcut.
    """

    def __init__(self, corpus_dir: Path, folder: Path | None = None) -> None:
        try:
            corpus = str(Path(corpus_dir).resolve())
        except OSError:
            corpus = str(Path(corpus_dir).absolute())
        self.corpus = corpus
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / f"{_name_digest(corpus)}.json"
        self._code: list | None = None

    def _key(self, letter_path: Path, signature: Signature) -> dict[str, Any]:
        if self._code is None:
            self._code = _code_state()
        return {
            "briefreader": "shown letter",
            "format": FORMAT,
            "code": self._code,
            "corpus": self.corpus,
            "letter": str(letter_path),
            "files": signature,
        }

    def signature(self, letter_path: Path) -> Signature:
        """The state of every file a parse of `letter_path` may read, now."""
        return [_file_state(path) for path in source_files(Path(letter_path))]

    def kept_path(self) -> Path | None:
        """The path of the letter kept for this corpus (its key line only is read), or None when
        none is kept here. Says nothing of whether it is unchanged: `load()` does."""
        try:
            with open(self.path, "rb") as handle:
                key = _read_key(handle)
        except (OSError, ValueError, RecursionError):
            return None
        if key is None or key.get("corpus") != self.corpus or not isinstance(key.get("letter"), str):
            return None
        return Path(key["letter"])

    def load(self, letter_path: Path) -> Kept | None:
        """The kept letter, if it is the one at `letter_path` and its key still holds; else None."""
        try:
            with open(self.path, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                    return None
                key = _read_key(handle)
                if key is None or key.get("letter") != str(letter_path):
                    return None  # another letter (the cheap, usual miss: one line read)
                signature = self.signature(letter_path)
                if key != self._key(letter_path, signature):
                    return None
                body = handle.read()
            letter = letter_from_data(json.loads(body))
        except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None  # damaged, cut short, another shape: parsed instead, replaced at the next save
        return Kept(visible_data(letter), signature)

    def save(self, letter_path: Path, letter: Letter, signature: Signature) -> bool:
        """Keep `letter`, parsed from `letter_path` when its files were in the state `signature`,
        replacing the corpus's letter kept before. False if it could not be written."""
        try:
            key = json.dumps(self._key(letter_path, signature), ensure_ascii=False)
            body = json.dumps(letter_to_data(letter), ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return False
        try:
            write_text(self.path, f"{key}\n{body}", prefix=_TEMPORARY_PREFIX, errors="surrogatepass")
        except (OSError, ValueError):
            return False
        self._prune()
        return True

    def _prune(self) -> None:
        """Delete our least recently written files beyond `MAX_CORPORA`, and temporary files a
        killed write left; only files named as ours and starting as ours."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        now = time.time()
        kept: list[tuple[float, str]] = []
        for entry in entries:
            try:
                if entry.name.startswith(_TEMPORARY_PREFIX) and entry.name.endswith(".tmp"):
                    if now - entry.stat().st_mtime > _STALE_TEMPORARY and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
                elif _NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
                    kept.append((entry.stat().st_mtime, entry.path))
            except OSError:
                continue
        kept.sort()
        for _mtime, path in kept[: max(0, len(kept) - MAX_CORPORA)]:
            try:
                with open(path, "rb") as handle:
                    ours = handle.read(len(_MAGIC)) == _MAGIC
                if ours:
                    os.unlink(path)
            except OSError:
                continue
