"""What the reader remembers between runs, per corpus: the letter last read, where each letter was
left, the marks (`m` + a letter), and when the reader was last opened (to mark new letters).

One JSON file in the user's state folder (`$XDG_STATE_HOME/briefreader/reader.json`, found with
platformdirs), written atomically (a temporary file in the same folder, then `os.replace`), so a
crash or a full disk never leaves half a file. Saving merges: another reader process's corpora
are kept, only this corpus's entry is replaced. A file that can't be read as ours (damaged,
hand-edited, another version) is ignored with a notice and rewritten on the next save; it never
stops the reader. Textual-free; the reader screen calls `load_state()` and `save()`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from briefreader.atomic import write_text

__all__ = ["CorpusState", "Place", "ReaderState", "load_state", "state_path", "MAX_PLACES", "MAX_CORPORA"]

STATE_VERSION = 1
#: Letters whose reading place is remembered per corpus (the least recently read are forgotten).
MAX_PLACES = 1000
#: Corpora remembered (the least recently opened are forgotten).
MAX_CORPORA = 50
#: Anchor kinds a place may name (see `briefreader.ui.render.Anchor`).
_ANCHOR_KINDS = frozenset("hcsptfn")


@dataclass(frozen=True)
class Place:
    """A place in a letter: the block at the top of the screen (`anchor`: kind and number) and how
    many lines into it. Independent of the terminal's width, unlike a scroll offset."""

    letter: str
    anchor: tuple[str, int] = ("h", 0)
    offset: int = 0

    def to_json(self) -> dict[str, Any]:
        """The plain-data form stored in the state file."""
        return {"letter": self.letter, "anchor": [self.anchor[0], self.anchor[1]], "offset": self.offset}

    @classmethod
    def from_json(cls, data: Any) -> Place:
        """The inverse of `to_json()`; ValueError for anything else."""
        if not isinstance(data, dict):
            raise ValueError("a place is an object")
        letter, anchor, offset = data.get("letter"), data.get("anchor"), data.get("offset", 0)
        if not isinstance(letter, str) or not letter:
            raise ValueError("a place names its letter")
        if (
            not isinstance(anchor, list)
            or len(anchor) != 2
            or anchor[0] not in _ANCHOR_KINDS
            or type(anchor[1]) is not int
            or type(offset) is not int
            or offset < 0
        ):
            raise ValueError("a place has an anchor [kind, number] and an offset")
        return cls(letter, (anchor[0], anchor[1]), offset)


@dataclass
class CorpusState:
    """The reader's memory for one corpus."""

    #: The letter and place last read.
    last: Place | None = None
    #: Letter id -> where it was left, least recently read first.
    places: dict[str, Place] = field(default_factory=dict)
    #: Mark name (one character) -> place.
    marks: dict[str, Place] = field(default_factory=dict)
    #: When the reader was opened on this corpus before this run (seconds since the epoch).
    last_opened: float | None = None
    #: When this entry was last used (to forget the least recently used corpora).
    used: float = 0.0

    def remember(self, place: Place) -> None:
        """Record `place` as where its letter was left and as the last place read."""
        self.places.pop(place.letter, None)
        self.places[place.letter] = place
        while len(self.places) > MAX_PLACES:
            self.places.pop(next(iter(self.places)))
        self.last = place

    def place_of(self, letter_id: str) -> Place | None:
        """Where `letter_id` was left, if it was read before."""
        return self.places.get(letter_id)

    def to_json(self) -> dict[str, Any]:
        """The plain-data form stored in the state file."""
        return {
            "last": self.last.to_json() if self.last else None,
            "places": [place.to_json() for place in self.places.values()],
            "marks": {name: place.to_json() for name, place in sorted(self.marks.items())},
            "last_opened": self.last_opened,
            "used": self.used,
        }

    @classmethod
    def from_json(cls, data: Any) -> CorpusState:
        """The inverse of `to_json()`; ValueError for anything else."""
        if not isinstance(data, dict):
            raise ValueError("a corpus entry is an object")
        last = data.get("last")
        places = data.get("places", [])
        marks = data.get("marks", {})
        last_opened = data.get("last_opened")
        used = data.get("used", 0.0)
        if not isinstance(places, list) or not isinstance(marks, dict):
            raise ValueError("places are a list and marks an object")
        if last_opened is not None and not isinstance(last_opened, (int, float)):
            raise ValueError("last_opened is a number")
        if not isinstance(used, (int, float)):
            raise ValueError("used is a number")
        state = cls(last=Place.from_json(last) if last is not None else None, last_opened=last_opened, used=float(used))
        for item in places[-MAX_PLACES:]:
            place = Place.from_json(item)
            state.places[place.letter] = place
        for name, item in marks.items():
            if not isinstance(name, str) or len(name) != 1:
                raise ValueError("a mark is named by one character")
            state.marks[name] = Place.from_json(item)
        return state


def state_path() -> Path:
    """The state file in the user's state folder."""
    return Path(platformdirs.user_state_dir("briefreader")) / "reader.json"


def _corpus_key(folder: Path) -> str:
    try:
        return str(Path(folder).resolve())
    except OSError:
        return str(Path(folder).absolute())


def _read(path: Path) -> dict[str, Any]:
    """The corpora in the state file; {} when there is none. ValueError/OSError when it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION or not isinstance(data.get("corpora"), dict):
        raise ValueError("not a briefreader state file of this version")
    return data["corpora"]


class ReaderState:
    """The reader's memory for the corpus in `folder`; `corpus` holds it, `save()` writes it."""

    def __init__(self, folder: Path, path: Path | None = None, corpus: CorpusState | None = None) -> None:
        self.path = path or state_path()
        self.key = _corpus_key(folder)
        self.corpus = corpus or CorpusState()

    def snapshot(self) -> dict[str, Any]:
        """This corpus's state as plain data, to `write()` (possibly from another thread)."""
        entry = self.corpus.to_json()
        entry["used"] = time.time()
        return entry

    def save(self) -> str | None:
        """Write this corpus's state now; the problem as one line if it could not be written."""
        return self.write(self.snapshot())

    def write(self, entry: dict[str, Any]) -> str | None:
        """Write `entry` (a `snapshot()`) as this corpus's state, keeping the other corpora in the
        file. The problem as one line if it could not be written, else None."""
        try:
            try:
                corpora = _read(self.path)
            except (ValueError, OSError):
                corpora = {}  # damaged: replaced by what we know (the notice was given at load)
            corpora[self.key] = entry
            if len(corpora) > MAX_CORPORA:

                def used(item: tuple[str, Any]) -> float:
                    value = item[1].get("used", 0.0) if isinstance(item[1], dict) else 0.0
                    return float(value) if isinstance(value, (int, float)) else 0.0

                corpora = dict(sorted(corpora.items(), key=used)[-MAX_CORPORA:])
            write_text(self.path, json.dumps({"version": STATE_VERSION, "corpora": corpora}, ensure_ascii=False), prefix=".reader-")
        except OSError as error:
            return f"{self.path}: the reading place can't be saved ({error.strerror or error})"
        return None


def load_state(folder: Path, path: Path | None = None) -> tuple[ReaderState, str | None]:
    """The reader's memory for the corpus `folder`, and a one-line notice if the file was damaged
    (then the state starts empty)."""
    state = ReaderState(folder, path)
    try:
        corpora = _read(state.path)
        entry = corpora.get(state.key)
        if entry is not None:
            state.corpus = CorpusState.from_json(entry)
    except (ValueError, OSError) as error:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors too.
        problem = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return state, f"{state.path}: damaged, ignored ({problem}); reading places start afresh"
    return state, None


