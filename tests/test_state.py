"""briefreader.state: reading places, marks and the last visit, kept per corpus in one JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefreader.state import MAX_PLACES, CorpusState, Place, load_state, state_path


def test_places_marks_and_the_last_visit_survive_a_save(tmp_path: Path) -> None:
    state, notice = load_state(tmp_path / "corpus")
    assert notice is None and state.corpus.last is None and state.path == state_path()
    assert str(state.path).startswith(os.environ["XDG_STATE_HOME"])
    state.corpus.remember(Place("a", ("p", 3), 2))
    state.corpus.remember(Place("b", ("f", 4), 0))
    state.corpus.marks["x"] = Place("a", ("s", 1), 0)
    state.corpus.last_opened = 1234.5
    assert state.save() is None
    again, notice = load_state(tmp_path / "corpus")
    assert notice is None
    assert again.corpus.last == Place("b", ("f", 4), 0)
    assert again.corpus.place_of("a") == Place("a", ("p", 3), 2)
    assert again.corpus.marks == {"x": Place("a", ("s", 1), 0)}
    assert again.corpus.last_opened == 1234.5
    # Another corpus has its own memory, in the same file.
    other, _ = load_state(tmp_path / "other")
    assert other.corpus.last is None
    other.corpus.remember(Place("z"))
    other.save()
    assert load_state(tmp_path / "corpus")[0].corpus.last == Place("b", ("f", 4), 0)


def test_places_are_bounded_least_recently_read_forgotten() -> None:
    corpus = CorpusState()
    for number in range(MAX_PLACES + 5):
        corpus.remember(Place(f"letter-{number}"))
    corpus.remember(Place("letter-7", ("p", 1)))  # read again: the most recent now
    assert len(corpus.places) == MAX_PLACES
    assert corpus.place_of("letter-0") is None and corpus.place_of("letter-7") == Place("letter-7", ("p", 1))
    assert corpus.place_of(f"letter-{MAX_PLACES + 4}") is not None


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b'{"version": 99, "corpora": {}}',
        b'{"version": 1, "corpora": []}',
        b'{"version": 1, "corpora": {"CORPUS": {"last": {"letter": "a", "anchor": ["p", "7"]}}}}',
        b'{"version": 1, "corpora": {"CORPUS": {"marks": {"ab": {"letter": "a", "anchor": ["p", 1]}}}}}',
        b'{"version": 1, "corpora": {"CORPUS": {"places": [{"letter": "", "anchor": ["p", 1]}]}}}',
        b'{"version": 1, "corpora": {"CORPUS": {"last_opened": "yesterday"}}}',
    ],
)
def test_a_damaged_file_is_ignored_with_a_notice_and_replaced_on_save(tmp_path: Path, content: bytes) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.replace(b"CORPUS", str(corpus.resolve()).encode()))
    state, notice = load_state(corpus)
    assert notice is not None and str(path) in notice and "damaged" in notice
    assert state.corpus.last is None
    state.corpus.remember(Place("a"))
    assert state.save() is None
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    assert load_state(corpus) [1] is None


def test_the_write_is_atomic_and_a_folder_it_cannot_write_is_one_line(tmp_path: Path) -> None:
    state, _ = load_state(tmp_path / "corpus", path=tmp_path / "state" / "reader.json")
    state.corpus.remember(Place("a"))
    assert state.save() is None
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == ["reader.json"]  # no temporary left
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    state, _ = load_state(tmp_path / "corpus", path=blocked / "reader.json")
    problem = state.save()
    assert problem is not None and problem.startswith(str(blocked / "reader.json")) and "\n" not in problem
