"""Putting letter files into a corpus folder: the one way `add` and `sync` write there.

A corpus is the user's folder. What this module promises about it:

- a file appears whole or not at all: bytes go to a hidden temporary file in the same folder,
  which is then linked (or renamed) to its name, so a crash, Ctrl+C or SIGKILL never leaves a
  half-written letter under a letter's name (`write_new`, `write_over`);
- a new file never lands on an existing one (`write_new` fails instead of overwriting);
- a letter appears last, after its companions (its YAML sidecar, an XML letter's
  `NAME.metadata.xml`), so whoever sees the letter sees what belongs to it (`store_new`);
- an existing file is replaced or removed only when the caller proves it wrote it: the SHA-256
  it recorded must still be the file's (`replace_file`, `remove_own`); a file the user changed
  since is left alone (`NotOurs`);
- the same content is never stored twice: `CorpusFiles.holding()` finds a file with the same
  SHA-256, hashing only files of the same size.

No Textual, no Rich, no network: the command line, the sync core and (later) the reader share it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefreader.load import LETTER_SUFFIXES, METADATA_SUFFIX, is_letter_file
from briefreader.model import Letter
from briefreader.sidecar import SIDECAR_SUFFIXES

__all__ = [
    "Companion",
    "CorpusFiles",
    "NotOurs",
    "digest",
    "looks_like_a_letter",
    "remove_own",
    "replace_file",
    "store_new",
    "write_new",
    "write_over",
]

#: Temporary files are hidden (a leading dot: never a letter for `scan_corpus`) and start with this.
TEMP_PREFIX = ".briefreader-"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def digest(data: bytes) -> str:
    """The SHA-256 of `data`, in hex: what decides "the same content"."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


class NotOurs(Exception):
    """A file that was to be replaced or removed is not the one the caller wrote (the user changed
    or replaced it since): it was left as it is. `str()` names the file."""


def _temporary(folder: Path, data: bytes, tag: str, suffix: str) -> str:
    """Write `data` to a new hidden temporary file in `folder`; return its path."""
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{tag}-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); a corpus file gets the usual mode, as `cp` would.
        os.chmod(temporary, 0o666 & ~_UMASK)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_new(path: Path, data: bytes, tag: str = "new") -> None:
    """Write `data` to `path` atomically; never over an existing file (FileExistsError instead)."""
    temporary = _temporary(path.parent, data, tag, path.suffix)
    try:
        try:
            os.link(temporary, path)  # fails if `path` appeared meanwhile, instead of replacing it
        except FileExistsError:
            raise
        except OSError:
            # A file system without hard links: check, then rename (a tiny race, no worse than cp).
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_over(path: Path, data: bytes, tag: str = "replace") -> None:
    """Write `data` to `path` atomically, replacing what is there (readers see old or new, whole)."""
    temporary = _temporary(path.parent, data, tag, path.suffix)
    try:
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _check_own(path: Path, expected_sha256: str) -> None:
    try:
        current = file_digest(path)
    except FileNotFoundError:
        raise NotOurs(f"{path}: no longer there") from None
    if current != expected_sha256:
        raise NotOurs(f"{path}: changed since briefreader wrote it; left as it is")


def replace_file(path: Path, data: bytes, expected_sha256: str, tag: str = "replace") -> None:
    """Replace `path` with `data`, only if the file still holds what the caller wrote (its
    SHA-256 is `expected_sha256`); NotOurs otherwise, and nothing is changed."""
    _check_own(path, expected_sha256)
    write_over(path, data, tag)


def remove_own(path: Path, expected_sha256: str) -> None:
    """Remove `path`, only if it still holds what the caller wrote; NotOurs otherwise."""
    _check_own(path, expected_sha256)
    path.unlink()


@dataclass(frozen=True)
class Companion:
    """A file stored with a letter under the letter's name: `suffix` is `.yaml` (the sidecar) or
    `.metadata.xml` (an XML letter's metadata)."""

    suffix: str
    data: bytes


def store_new(folder: Path, stem: str, suffix: str, data: bytes, companions: tuple[Companion, ...] = (), tag: str = "new") -> Path:
    """Write a new letter `stem + suffix` and its companions into `folder` (created if needed).

    Companions are written first, the letter last. If any file already exists or a write fails,
    what this call wrote is removed again and the error (FileExistsError, OSError) is raised.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (stem + suffix)
    files = [(folder / (stem + companion.suffix), companion.data) for companion in companions]
    files.append((target, data))
    written: list[Path] = []
    try:
        for path, content in files:
            write_new(path, content, tag)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return target


class CorpusFiles:
    """The letter files already in a corpus folder, hashed lazily: only files of the size of a new one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.by_size: dict[int, list[Path]] = {}
        self.hashes: dict[str, Path] = {}
        self._hashed: set[Path] = set()
        self.names: set[str] = set()
        if folder.is_dir():
            for entry in folder.iterdir():
                self.names.add(entry.name.lower())
                if entry.is_file() and is_letter_file(entry):
                    self.by_size.setdefault(entry.stat().st_size, []).append(entry)

    def holding(self, data: bytes) -> Path | None:
        """The corpus file with exactly this content, if any."""
        wanted = digest(data)
        for path in self.by_size.get(len(data), []):
            if path not in self._hashed:
                self._hashed.add(path)
                try:
                    self.hashes.setdefault(file_digest(path), path)
                except OSError:
                    continue
        return self.hashes.get(wanted)

    def taken(self, stem: str) -> bool:
        """Whether a letter, sidecar or metadata file in the corpus uses this stem."""
        names = [stem + suffix for suffix in LETTER_SUFFIXES + SIDECAR_SUFFIXES + (METADATA_SUFFIX,)]
        return any(name.lower() in self.names for name in names)

    def free_stem(self, stem: str) -> str:
        """`stem`, or `stem-2`, `stem-3`...: a name no letter, sidecar or metadata file in the corpus uses."""
        candidate, n = stem, 1
        while self.taken(candidate):
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def record(self, path: Path, data: bytes) -> None:
        """Note a letter file just written (so a second copy of it is found)."""
        self.names.add(path.name.lower())
        self.hashes[digest(data)] = path
        self._hashed.add(path)
        self.by_size.setdefault(len(data), []).append(path)

    def forget(self, path: Path) -> None:
        """Note a file just removed."""
        self.names.discard(path.name.lower())
        for sha, held in list(self.hashes.items()):
            if held == path:
                del self.hashes[sha]
        for paths in self.by_size.values():
            if path in paths:
                paths.remove(path)


def looks_like_a_letter(letter: Letter) -> str | None:
    """None if the parse found a letter, else what is missing (for the error message)."""
    if not any(section.paragraphs for section in letter.sections):
        return "no text found"
    signals = [letter.date, letter.addressee, letter.signatories, letter.number, letter.dossiers]
    if not any(signals):
        return "does not look like a letter to parliament (no date, addressee, signature or Kamerstuk number found)"
    return None
