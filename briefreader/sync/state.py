"""What the sync remembers between runs, per corpus, outside the corpus.

A JSON file in the user's state folder (`$XDG_STATE_HOME/briefreader/sync/`, e.g.
`~/.local/state/briefreader/sync/` on Linux), one per corpus folder (its name and a hash of its
path), with a lock file beside it:

- `stored`: each publication the sync put into the corpus: its letter file and metadata file,
  their SHA-256 (the proof that briefreader wrote them, which replacing them requires), the
  record's modified date (`version`), and when it arrived (`fetched`, UTC);
- `failed`: publications that could not be stored, with the problem and what is needed to try
  again (the record's URLs), so the next run retries them;
- `listings`: for each query, the date of its last complete listing; the next listing asks only
  for records modified since then (less a margin).

It is written atomically (a temporary file, then a rename), so a crash leaves the old state or the
new one. A damaged file is set aside as `NAME.damaged` and the sync starts afresh, with a notice:
it then compares what it downloads with what is in the corpus, so nothing is duplicated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from briefreader.atomic import write_text
from briefreader.locking import ProcessLock

__all__ = ["Failed", "Stored", "SyncBusy", "SyncLock", "SyncState", "arrivals", "load_state", "state_path"]

STATE_VERSION = 1


def state_root() -> Path:
    """`sync/` in the user's state folder."""
    return Path(platformdirs.user_state_dir("briefreader")) / "sync"


def state_path(corpus: Path) -> Path:
    """The state file of one corpus folder: its folder name (for humans) and a hash of its full path."""
    resolved = str(Path(corpus).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(resolved).name)[:40] or "corpus"
    return state_root() / f"{name}-{digest}.json"


@dataclass
class Stored:
    """A publication the sync stored in the corpus."""

    file: str
    sha256: str
    version: str | None
    fetched: str
    metadata_file: str | None = None
    metadata_sha256: str | None = None
    title: str | None = None
    date: str | None = None


@dataclass
class Failed:
    """A publication that could not be stored (yet), with what a retry needs."""

    problem: str
    at: str
    version: str | None = None
    title: str | None = None
    date: str | None = None
    urls: list[list[str]] = field(default_factory=list)


@dataclass
class SyncState:
    """The state of one corpus (see the module docstring); `notice` says when a damaged file was set aside."""

    path: Path
    corpus: str
    stored: dict[str, Stored] = field(default_factory=dict)
    failed: dict[str, Failed] = field(default_factory=dict)
    listings: dict[str, str] = field(default_factory=dict)
    notice: str | None = None

    def save(self) -> None:
        """Write the state atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": STATE_VERSION,
            "corpus": self.corpus,
            # vars(), not dataclasses.asdict(): the fields are plain values, and asdict deep-copies.
            "stored": {key: vars(value) for key, value in sorted(self.stored.items())},
            "failed": {key: vars(value) for key, value in sorted(self.failed.items())},
            "listings": dict(sorted(self.listings.items())),
        }
        # One line per publication: readable, and json's C encoder (indent= would use the slow one).
        text = "{\n" + ",\n".join(f"{json.dumps(key)}: {_dumps(value)}" for key, value in data.items()) + "\n}\n"
        write_text(self.path, text, prefix=".state-", suffix=".json")


def _dumps(value: object) -> str:
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        inner = ",\n  ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
        return "{\n  " + inner + "\n}"
    return json.dumps(value, ensure_ascii=False)


def _build(path: Path, corpus: str, data: object) -> SyncState:
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise ValueError("not a briefreader sync state of this version")
    stored = {str(k): Stored(**v) for k, v in data.get("stored", {}).items()}
    failed = {str(k): Failed(**v) for k, v in data.get("failed", {}).items()}
    listings = {str(k): str(v) for k, v in data.get("listings", {}).items()}
    return SyncState(path, corpus, stored, failed, listings)


def load_state(corpus: Path, path: Path | None = None) -> SyncState:
    """The corpus's sync state; empty when there is none; a damaged file is set aside with a notice."""
    corpus_text = str(Path(corpus).resolve())
    path = state_path(corpus) if path is None else path
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SyncState(path, corpus_text)
    except (OSError, UnicodeDecodeError) as error:
        return SyncState(path, corpus_text, notice=f"{path}: sync state not read ({error.__class__.__name__}); starting afresh")
    try:
        return _build(path, corpus_text, json.loads(raw))
    except (ValueError, TypeError, AttributeError) as error:
        # json.JSONDecodeError is a ValueError; a wrong field makes Stored(**v) raise TypeError.
        aside = path.with_name(path.name + ".damaged")
        try:
            os.replace(path, aside)
        except OSError:
            aside = path
        reason = "not valid JSON" if isinstance(error, json.JSONDecodeError) else "not in the expected form"
        return SyncState(
            path,
            corpus_text,
            notice=f"{path}: sync state damaged ({reason}); set aside as {aside.name}, starting afresh",
        )


def arrivals(corpus: Path) -> dict[str, dt.datetime]:
    """Letter id (file name without suffix) -> when the sync stored or last updated it (UTC).

    For the reader's "new since you last looked" marks. Read-only; {} when there is no state.
    """
    state = load_state(corpus)
    found: dict[str, dt.datetime] = {}
    for entry in state.stored.values():
        try:
            when = dt.datetime.fromisoformat(entry.fetched)
        except ValueError:
            continue
        found[Path(entry.file).stem] = when
    return found


class SyncBusy(Exception):
    """Another sync of the same corpus is running; `str()` says so."""


class SyncLock:
    """One sync per corpus at a time: an exclusive lock on `NAME.lock` beside the state file."""

    def __init__(self, state_file: Path) -> None:
        self.path = state_file.with_suffix(".lock")
        self._lock = ProcessLock(self.path)

    def __enter__(self) -> SyncLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._lock.try_acquire():
            raise SyncBusy("another briefreader sync of this corpus is running; try again when it has finished")
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
