"""Where an index lives and its generations: `CURRENT` names the live generation folder.

On disk, under the index folder (default: the user cache dir, one folder per corpus)::

    CURRENT            the name of the live generation, replaced atomically
    lock               held (flock) by the one process that writes
    gen-000003/        a Whoosh index + manifest.json

A rebuild writes a whole new generation folder and then swaps `CURRENT`, so readers never see a
half-built index; the old generations are removed after the swap.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from pathlib import Path

import platformdirs

from briefreader.index.errors import IndexDamaged

APP_NAME = "briefreader"
#: The name of a generation folder.
GENERATION_PATTERN = re.compile(r"gen-\d{6}")


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


def new_generation(index_dir: Path) -> Path:
    """Create the next generation folder (empty)."""
    numbers = [int(entry.name[4:]) for entry in os.scandir(index_dir) if GENERATION_PATTERN.fullmatch(entry.name)]
    generation = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    generation.mkdir()
    return generation


def switch_to(index_dir: Path, generation: Path) -> None:
    """Make `generation` the live one."""
    write_text_atomic(index_dir / "CURRENT", generation.name + "\n")


def remove_other_generations(index_dir: Path, keep: Path | None) -> None:
    """Remove every generation folder but `keep`."""
    for entry in os.scandir(index_dir):
        if GENERATION_PATTERN.fullmatch(entry.name) and (keep is None or entry.name != keep.name):
            # A reader still holding old files keeps them (POSIX); ignore what can't go yet.
            shutil.rmtree(entry.path, ignore_errors=True)


__all__ = [
    "APP_NAME",
    "cache_root",
    "current_generation",
    "default_index_dir",
    "new_generation",
    "remove_other_generations",
    "switch_to",
    "write_text_atomic",
]
