"""Where an index lives and its generations: `CURRENT` names the live generation folder.

On disk, under the index folder (default: the user cache dir, one folder per corpus)::

    BRIEFREADER-INDEX       says the folder is a briefreader index (written when briefreader made
                            or first used the folder)
    CURRENT                 the name of the live generation, replaced atomically
    lock                    held (flock) by the one process that writes
    gen-000003/             a Whoosh index, manifest.json and BRIEFREADER-GENERATION

A rebuild writes a whole new generation folder and then swaps `CURRENT`, so readers never see a
half-built index; the old generations are removed after the swap, and generations left behind by
a killed rebuild at the next refresh (under the write lock, so never one another writer is
building). briefreader deletes only what it can prove it made: a generation folder with its marker
file (or, from before markers, holding nothing but Whoosh files and a manifest), in a folder that
is an index folder. An `--index` folder that holds anything else is refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from pathlib import Path

import platformdirs

from briefreader.corpus import CorpusError
from briefreader.index.errors import IndexDamaged

APP_NAME = "briefreader"
#: The name of a generation folder.
GENERATION_PATTERN = re.compile(r"gen-\d{6}")
#: The marker files: in the index folder, and in each generation folder briefreader created.
INDEX_MARKER = "BRIEFREADER-INDEX"
GENERATION_MARKER = "BRIEFREADER-GENERATION"
_MARKER_TEXT = "Made by briefreader: a search index, a cache. Deleting this folder loses nothing.\n"
#: What an index folder of an older briefreader (before the marker) holds: it may be adopted.
_INDEX_ENTRY = re.compile(r"CURRENT|lock|gen-\d{6}|\.CURRENT\..*\.tmp|" + INDEX_MARKER)
#: What a generation folder of an older briefreader holds (or one whose marker was lost): Whoosh's
#: files, the manifest (a JSON file, then a database) and the checksums.
_GENERATION_ENTRY = re.compile(
    r"_?MAIN_.*|MAIN\.tmp|\.?(manifest\.json|checksums\.json|letters\.table)(\..*\.tmp)?|manifest\.sqlite(-journal)?|" + GENERATION_MARKER
)


class IndexFolderRefused(CorpusError):
    """A folder briefreader won't use as an index folder; `str()` is the one-line reason."""


def cache_root() -> Path:
    """Where indexes live by default: `<user cache dir>/briefreader/indexes` (XDG_CACHE_HOME respected)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "indexes"


def default_index_dir(corpus_dir: Path) -> Path:
    """The cache folder of one corpus: its folder name (for humans) and a hash of its full path."""
    resolved = str(Path(corpus_dir).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(resolved).name)[:40] or "corpus"
    return cache_root() / f"{name}-{digest}"


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file renamed into place (readers see the old or
    the new content, never a part)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, None before the first build; `IndexDamaged` if `CURRENT` is garbage."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexDamaged(f"CURRENT unreadable ({error.__class__.__name__})") from None
    if not GENERATION_PATTERN.fullmatch(name):
        raise IndexDamaged("CURRENT does not name a generation")
    return index_dir / name


def _holds_letters(folder: Path) -> bool:
    from briefreader.load import is_letter_file

    try:
        with os.scandir(folder) as entries:
            return any(entry.is_file() and is_letter_file(entry.name) for entry in entries)
    except OSError:
        return False


def is_our_generation(path: Path) -> bool:
    """Whether briefreader made this generation folder (its marker, or only Whoosh files)."""
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return GENERATION_MARKER in names or all(_GENERATION_ENTRY.fullmatch(name) for name in names)


def check_index_dir(index_dir: Path, corpus_dir: Path) -> None:
    """Refuse an index folder that is, holds or lies in a corpus, or holds things that are not
    an index (`IndexFolderRefused`). A missing or empty folder is fine."""
    if index_dir == corpus_dir or corpus_dir in index_dir.parents:
        raise IndexFolderRefused(f"{index_dir}: the index must not be inside the corpus folder {corpus_dir}")
    if index_dir in corpus_dir.parents:
        raise IndexFolderRefused(f"{index_dir}: the index folder must not contain the corpus folder {corpus_dir}")
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise IndexFolderRefused(f"{index_dir}: is a file, not a folder for the index")
    if _holds_letters(index_dir):
        raise IndexFolderRefused(f"{index_dir}: holds letters (a corpus?); the index needs a folder of its own")
    try:
        names = os.listdir(index_dir)
    except OSError as error:
        raise IndexFolderRefused(f"{index_dir}: can't be read ({error.strerror or error})") from None
    for name in names:
        path = index_dir / name
        if GENERATION_PATTERN.fullmatch(name) and path.is_dir() and not is_our_generation(path) and _holds_letters(path):
            raise IndexFolderRefused(f"{index_dir}: {name} holds letters (a corpus?); the index needs a folder of its own")
    if INDEX_MARKER in names:
        return
    strangers = [name for name in names if not _INDEX_ENTRY.fullmatch(name)]
    if strangers:
        raise IndexFolderRefused(
            f"{index_dir}: is not a briefreader index folder (it holds {strangers[0]!r}); use an empty or new folder"
        )


def claim_index_dir(index_dir: Path) -> None:
    """Create the index folder if needed and mark it as briefreader's (before the first write)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    marker = index_dir / INDEX_MARKER
    if not marker.exists():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")


def new_generation(index_dir: Path) -> Path:
    """Create the next generation folder (empty but for its marker)."""
    numbers = [int(entry.name[4:]) for entry in os.scandir(index_dir) if GENERATION_PATTERN.fullmatch(entry.name)]
    generation = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    generation.mkdir()
    (generation / GENERATION_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    return generation


def switch_to(index_dir: Path, generation: Path) -> None:
    """Make `generation` the live one."""
    write_text_atomic(index_dir / "CURRENT", generation.name + "\n")


def remove_other_generations(index_dir: Path, keep: Path | None) -> list[str]:
    """Remove every generation folder briefreader made but `keep` (call with the write lock
    held); returns the names removed. Anything not provably ours stays."""
    removed = []
    for entry in os.scandir(index_dir):
        if not GENERATION_PATTERN.fullmatch(entry.name) or (keep is not None and entry.name == keep.name):
            continue
        if entry.is_dir(follow_symlinks=False) and is_our_generation(Path(entry.path)):
            # A reader still holding old files keeps them (POSIX); ignore what can't go yet.
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
    return removed


__all__ = [
    "APP_NAME",
    "GENERATION_MARKER",
    "INDEX_MARKER",
    "IndexFolderRefused",
    "check_index_dir",
    "claim_index_dir",
    "is_our_generation",
    "cache_root",
    "current_generation",
    "default_index_dir",
    "new_generation",
    "remove_other_generations",
    "switch_to",
    "write_text_atomic",
]
