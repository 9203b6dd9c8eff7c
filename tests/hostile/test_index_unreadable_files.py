"""A sidecar that can't be read is blamed by name, and its letter is still indexed (issue 9, item 8).

The index hashed the sidecar with the letter and, when that failed, skipped the letter blaming its
`.txt`. Now the loader reads the sidecar (an unreadable one is a warning naming it) and the index
reports what the loader reports.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import pytest
from search_fixtures.helpers import TEXT, copy_corpus

from briefreader.cli import main
from briefreader.index import open_index
from briefreader.search import search

LETTER = "2023-05-22-asiel"


@pytest.fixture
def corpus(tmp_path) -> Path:
    return copy_corpus(TEXT, tmp_path / "brieven")


def make_unreadable(path: Path, monkeypatch) -> None:
    """Permission denied on reading `path` (chmod; as root, which chmod can't stop, by patching open)."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)


def test_an_unreadable_sidecar_leaves_its_letter_indexed_and_is_named(corpus, tmp_path, monkeypatch):
    sidecar = corpus / f"{LETTER}.yaml"
    make_unreadable(sidecar, monkeypatch)
    index = open_index(corpus, tmp_path / "idx")
    report = index.refresh(workers=0)
    assert report.skipped == ()
    assert LETTER in report.added
    assert [path for path, _ in report.file_warnings] == [str(sidecar)]
    assert "not read (permission denied)" in report.file_warnings[0][1]
    assert {hit.letter for hit in search(index, "asielzoeker").hits} == {LETTER}


def test_index_prints_the_sidecar_warning_not_a_skip(corpus, tmp_path, monkeypatch, capsys):
    sidecar = corpus / f"{LETTER}.yaml"
    make_unreadable(sidecar, monkeypatch)
    monkeypatch.setattr("briefreader.index.writing.PARALLEL_THRESHOLD", 10**9)
    code = main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "idx")])
    captured = capsys.readouterr()
    assert code == 0
    assert "2 added" in captured.out and "skipped" not in captured.out
    assert f"warning: {sidecar}: sidecar ignored: not read (permission denied)" in captured.err
    assert f"{corpus / LETTER}.txt" not in captured.err
