"""Corpora: folders of letters, the bundled one included.

A corpus is one folder holding letter files (see `briefreader.load.LETTER_SUFFIXES`) and, beside
them, optional YAML sidecars (`NAME.yaml`). A letter's id is its file name without the suffix.
briefreader only ever reads a corpus folder; the search index lives in the user's cache.
"""

from __future__ import annotations

import os
import stat as _stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from briefreader.bulk import collector_paused
from briefreader.config import load_config
from briefreader.sidecar import SIDECAR_SUFFIXES


class CorpusError(Exception):
    """A corpus folder that can't be used; `str()` is the one-line message naming it."""


def bundled_corpus() -> Path:
    """The corpus that ships with briefreader: `corpus/` in a checkout; in an installed wheel the
    same files are `briefreader/bundled_corpus/` (see pyproject.toml)."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "corpus"
    if checkout.is_dir() and (checkout.parent / "pyproject.toml").is_file():
        return checkout
    return package / "bundled_corpus"


def user_corpus() -> Path:
    """The user's own corpus, where `briefreader add` puts letters when no corpus is named:
    `corpus/` in the user data folder (`~/.local/share/briefreader/corpus` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("briefreader")) / "corpus"


def _has_letters(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(
            entry.suffix.lower() in _letter_suffixes() for entry in folder.iterdir() if entry.is_file()
        )
    except OSError:
        return False


def _check_folder(path: Path, source: str | None = None) -> Path:
    where = f"{source}: " if source else ""
    if not path.exists():
        raise CorpusError(f"{where}{path}: no such folder")
    if not path.is_dir():
        raise CorpusError(f"{where}{path}: is a file, not a corpus folder")
    if not os.access(path, os.R_OK | os.X_OK):
        raise CorpusError(f"{where}{path}: permission denied")
    return path.resolve()


def check_listable(folder: Path) -> None:
    """CorpusError (one line naming the folder) when `folder` can't be listed: the reader and the
    commands then say so, rather than show an empty corpus."""
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
    except OSError as error:
        raise CorpusError(f"{folder}: the corpus folder can't be read ({error.strerror or error.__class__.__name__})") from None


def resolve_corpus(path: str | Path | None) -> Path:
    """The corpus folder to use, absolute and resolved.

    `None`: the config file's `default` if it names one, else the user's own corpus once `add` has
    put letters in it, else the bundled corpus. A string that is
    a corpus name in the config file means that corpus; anything else is a folder path (`~`
    expanded). Raises `CorpusError` with a one-line message if the folder can't be used.
    """
    if path is None:
        config = load_config()
        default = config.default_corpus()
        if default is None:
            own = user_corpus()
            return own.resolve() if _has_letters(own) else bundled_corpus().resolve()
        return _check_folder(default, f"{config.path} (default corpus)")
    if isinstance(path, str):
        text = path.strip()
        if not text:
            raise CorpusError("the corpus folder name is empty")
        candidate = Path(text).expanduser()
        if not candidate.exists():
            config = load_config()
            if text in config.corpora:
                return _check_folder(config.corpora[text], f"{config.path} (corpus `{text}`)")
        return _check_folder(candidate)
    return _check_folder(Path(path).expanduser())


def letter_id(path: str | Path) -> str:
    """A letter's id: its file name without the suffix (`2021-08-26-jbz-raad.txt` -> `2021-08-26-jbz-raad`)."""
    return Path(path).stem


def _letter_suffixes() -> tuple[str, ...]:
    # Imported here so that `import briefreader.corpus` stays cheap (load pulls in the parsers).
    from briefreader.load import LETTER_SUFFIXES

    return tuple(suffix.lower() for suffix in LETTER_SUFFIXES)


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _letter_like(name: str) -> bool:
    """Whether a (possibly undecodable) file name ends like a letter file."""
    return "." + name.rpartition(".")[2].lower() in _letter_suffixes()


_FILE_TYPE, _REGULAR = _stat.S_IFMT(0o177777), _stat.S_IFREG  # `S_ISREG`, without a call per file

#: Beside `NAME.xml`, the official metadata as `briefreader add` stores it (see briefreader.load).
METADATA_SUFFIX = ".metadata.xml"


class LetterFile(NamedTuple):
    """A letter file found in a corpus, with what change detection needs.

    `companions` are the files read with the letter (its YAML sidecar, an XML letter's
    `NAME.metadata.xml`); `signature` holds the sizes and modification times of all of them.
    Names are kept as strings (paths are made on demand) and it is a named tuple, not a
    dataclass: a freshness check at 100,000 letters makes 100,000 of them.
    """

    id: str
    folder: Path
    name: str
    size: int
    mtime_ns: int
    companion_names: tuple[str, ...] = ()
    companion_stats: tuple[tuple[int, int], ...] = ()

    @property
    def path(self) -> Path:
        """The letter file."""
        return self.folder / self.name

    @property
    def companions(self) -> tuple[Path, ...]:
        """The sidecar and metadata files read with the letter."""
        return tuple(self.folder / name for name in self.companion_names)

    @property
    def sidecar(self) -> Path | None:
        """The YAML sidecar, if there is one."""
        for name in self.companion_names:
            if name.endswith(SIDECAR_SUFFIXES):
                return self.folder / name
        return None

    @property
    def signature(self) -> tuple[int, ...]:
        """What a cheap freshness check compares: sizes and modification times."""
        if not self.companion_stats:
            return (self.size, self.mtime_ns)
        values = [self.size, self.mtime_ns]
        for size, mtime in self.companion_stats:
            values += [size, mtime]
        return tuple(values)


@dataclass(frozen=True)
class CorpusScan:
    """A corpus folder's letters by id (sorted), and the files left out with the reason why."""

    letters: dict[str, LetterFile]
    ignored: tuple[tuple[Path, str], ...] = ()


def scan_corpus(corpus_dir: str | Path) -> CorpusScan:
    """List a corpus folder once (one `scandir`), matching letters with their sidecars.

    Hidden files and XML metadata files are not letters. Two letters with the same id (`x.txt`
    and `x.pdf`) can't both be indexed: the one whose suffix comes first in `LETTER_SUFFIXES`
    wins and the other is reported in `ignored`.
    """
    corpus_dir = Path(corpus_dir)
    with os.scandir(corpus_dir) as entries, collector_paused():
        return _scan(corpus_dir, entries)


class _NamedFile(NamedTuple):
    """A file looked up by name (not listed), with what `_scan` asks of an `os.DirEntry`."""

    name: str
    path: str
    info: os.stat_result

    def stat(self) -> os.stat_result:
        return self.info


def scan_letters(corpus_dir: str | Path, ids: Iterable[str]) -> CorpusScan:
    """What `scan_corpus` would find for these letter ids, without listing the folder: the files
    an id can have (its letter suffixes in lower and upper case, its sidecars and metadata file)
    are looked up one by one. For a caller that knows which letters it added, changed or removed
    (`briefreader add`, sync): at 100,000 letters, listing the folder alone takes seconds.
    A letter whose suffix is in mixed case (`x.Txt`) is found only by `scan_corpus`. A name that
    can't be looked up for another reason (no permission, an I/O error) raises the `OSError`:
    its letter is not taken for removed."""
    corpus_dir = Path(corpus_dir)
    suffixes = _letter_suffixes()
    found: list[_NamedFile] = []
    seen: set[tuple[int, int]] = set()
    for stem in dict.fromkeys(ids):
        if not stem or stem.startswith(".") or "/" in stem or os.sep in stem or "\0" in stem:  # no id of a file in the folder
            continue
        names = [stem + suffix for suffix in suffixes] + [stem + suffix.upper() for suffix in suffixes]
        for name in [*dict.fromkeys(names), *(stem + suffix for suffix in SIDECAR_SUFFIXES), stem + METADATA_SUFFIX]:
            path = os.path.join(corpus_dir, name)
            try:
                info = os.stat(path)
            except (FileNotFoundError, NotADirectoryError):
                continue  # not there: an id has few of the names it could have
            if (info.st_dev, info.st_ino) in seen:
                continue  # the same file by another case of its name (a case-insensitive file system)
            seen.add((info.st_dev, info.st_ino))
            found.append(_NamedFile(name, path, info))
    return _scan(corpus_dir, found)


def _scan(corpus_dir: Path, entries: Iterable[os.DirEntry[str] | _NamedFile]) -> CorpusScan:
    """Sort a folder's entries into letters with their companions (see `scan_corpus`)."""
    suffixes = _letter_suffixes()
    rank_of = {suffix: rank for rank, suffix in enumerate(suffixes)}
    xml_rank = rank_of[".xml"]
    letters: dict[str, tuple[int, os.DirEntry[str] | _NamedFile, os.stat_result]] = {}
    sidecars: dict[str, tuple[os.DirEntry[str] | _NamedFile, os.stat_result]] = {}
    metadata: dict[str, tuple[os.DirEntry[str] | _NamedFile, os.stat_result]] = {}
    ignored: list[tuple[Path, str]] = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if not (name.isascii() or _encodable(name)):
            # Bytes that are not UTF-8 arrive as lone surrogates (surrogateescape): such a name
            # can't be stored in the index or printed as text. Say which file, readably.
            if _letter_like(name):
                ignored.append((Path(entry.path), "file name is not valid UTF-8; left out (rename the file to read it)"))
            continue
        dot = name.rfind(".")
        if dot <= 0:
            continue
        stem, raw_suffix = name[:dot], name[dot:]
        # Sidecars match case-sensitively, as `briefreader.sidecar.sidecar_path` finds them;
        # letter suffixes in any case. Most names are one of the two, decided by one lookup.
        rank = rank_of.get(raw_suffix)
        is_sidecar = rank is None and raw_suffix in SIDECAR_SUFFIXES
        if rank is None and not is_sidecar:
            rank = rank_of.get(raw_suffix.lower())
            if rank is None:
                continue
        is_metadata = False
        if rank == xml_rank:
            lower = name.lower()
            is_metadata = lower == "metadata.xml" or lower.endswith(METADATA_SUFFIX)
        try:
            info = entry.stat()  # follows symlinks: a linked letter is a letter
        except OSError:
            continue  # vanished between listing and stat, or a dangling link, or (named) not there
        if info.st_mode & _FILE_TYPE != _REGULAR:
            continue
        if is_metadata:
            if lower != "metadata.xml":
                metadata[name[: -len(METADATA_SUFFIX)]] = (entry, info)
        elif not is_sidecar:
            assert rank is not None
            previous = letters.get(stem)
            if previous is not None:
                loser = entry if rank >= previous[0] else previous[1]
                ignored.append((Path(loser.path), f"has the same id `{stem}` as another letter; left out"))
                if rank >= previous[0]:
                    continue
            letters[stem] = (rank, entry, info)
        elif stem not in sidecars or raw_suffix == SIDECAR_SUFFIXES[0]:
            sidecars[stem] = (entry, info)

    result: dict[str, LetterFile] = {}
    for stem in sorted(letters):
        _, entry, info = letters[stem]
        sidecar = sidecars.get(stem)
        meta = metadata.get(stem) if metadata else None
        names: tuple[str, ...] = ()
        stats: tuple[tuple[int, int], ...] = ()
        if meta is None:
            if sidecar is not None:  # most letters with companions: written out, 100,000 times
                names, stats = (sidecar[0].name,), ((sidecar[1].st_size, sidecar[1].st_mtime_ns),)
        else:
            companions = [found for found in (sidecar, meta) if found is not None]
            names = tuple(e.name for e, _ in companions)
            stats = tuple((i.st_size, i.st_mtime_ns) for _, i in companions)
        result[stem] = LetterFile(stem, corpus_dir, entry.name, info.st_size, info.st_mtime_ns, names, stats)
    return CorpusScan(result, tuple(sorted(ignored)))


def find_letters(corpus_dir: str | Path) -> list[Path]:
    """The letter files of a corpus folder (not its subfolders), sorted by name, one per id."""
    return [letter.path for letter in scan_corpus(corpus_dir).letters.values()]


__all__ = [
    "CorpusError",
    "check_listable",
    "CorpusScan",
    "LetterFile",
    "bundled_corpus",
    "find_letters",
    "letter_id",
    "resolve_corpus",
    "scan_corpus",
    "scan_letters",
]
