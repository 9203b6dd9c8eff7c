"""A read-only or odd cache (issue 9, item 6): no write permission, the cache path is a file, a
full disk. Each command reads what it can without writing and says one clear line about the cache;
only `briefreader index`, whose job is writing, fails (exit 1).

Tests run as root here and there, where permissions don't stop anything: then the writes into the
cache folder are made to fail the way the system would fail them (EACCES, ENOSPC).
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
from pathlib import Path

import pytest
from conftest import run
from search_fixtures.helpers import TEXT, copy_corpus, listing

from briefreader.index import CacheUnwritable, open_index

LETTERS = ["2022-10-04-energie-moldavie", "2023-05-22-asiel"]


@pytest.fixture
def corpus(tmp_path) -> Path:
    return copy_corpus(TEXT, tmp_path / "brieven")


def unwritable(folder: Path, monkeypatch, code: int = errno.EACCES) -> None:
    """Make writing anything under `folder` fail with `code` (reading still works)."""
    folder = folder.resolve()
    if code == errno.EACCES and os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o555)
        return

    def inside(path) -> bool:
        try:
            return folder == Path(path).resolve() or folder in Path(path).resolve().parents
        except (TypeError, ValueError):
            return False

    def fail(path):
        raise OSError(code, os.strerror(code), str(path))

    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir
    real_replace, real_rename = os.replace, os.rename

    def guarded_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+") and inside(file):
            fail(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and inside(path):
            fail(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded(real):
        def call(path, *args, **kwargs):
            if inside(path):
                fail(path)
            return real(path, *args, **kwargs)

        return call

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "mkdir", guarded(real_mkdir))
    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))


@pytest.fixture
def built(corpus, tmp_path, capsys) -> Path:
    """The corpus indexed in a folder of its own; then a letter changes, so the index is stale."""
    index_dir = tmp_path / "idx"
    assert run(capsys, "index", "--corpus", str(corpus), "--index", str(index_dir))[0] == 0
    letter = corpus / f"{LETTERS[1]}.txt"
    letter.write_text(letter.read_text(encoding="utf-8") + "\nNieuwe alinea over walvissen.\n", encoding="utf-8")
    return index_dir


def test_search_and_list_read_a_stale_index_they_cant_update(capsys, corpus, built, monkeypatch):
    before = listing(built)
    unwritable(built, monkeypatch)
    code, out, err = run(capsys, "search", "moldavie", "--corpus", str(corpus), "--index", str(built))
    assert code == 0 and "Moldavië" in out
    assert err.count("\n") == 1 and "can't be written" in err and "using the index as it is" in err
    code, out, err = run(capsys, "list", "--corpus", str(corpus), "--index", str(built), "--json")
    assert code == 0 and [info["id"] for info in json.loads(out)] == LETTERS[::-1]
    assert err.count("\n") == 1 and "can't be written" in err
    code, out, err = run(capsys, "parse", str(corpus / f"{LETTERS[0]}.txt"), "--corpus", str(corpus), "--index", str(built))
    assert code == 0 and "Moldavië" in out and "can't be written" in err
    monkeypatch.undo()
    assert listing(built) == before


def test_index_says_in_one_line_that_it_cant_write(capsys, corpus, built, monkeypatch):
    unwritable(built, monkeypatch)
    code, out, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(built))
    assert code == 1 and out == ""
    assert err == f"briefreader: index: {built}: the search index can't be written (Permission denied)\n"


def test_a_full_disk_leaves_the_old_index_readable(capsys, corpus, built, monkeypatch):
    unwritable(built, monkeypatch, errno.ENOSPC)
    with pytest.raises(CacheUnwritable, match="No space left on device"):
        open_index(corpus, built).refresh(workers=0)
    with pytest.raises(CacheUnwritable, match="No space left on device"):
        open_index(corpus, built).refresh(rebuild=True, workers=0)
    code, out, err = run(capsys, "search", "asielzoeker", "--corpus", str(corpus), "--index", str(built))
    assert code == 0 and "asiel" in out and "No space left on device" in err
    monkeypatch.undo()
    assert [p.name for p in built.iterdir() if p.name.startswith("gen-")] == ["gen-000001"]


def test_a_cache_path_that_is_a_file(capsys, corpus, tmp_path, monkeypatch):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    code, out, err = run(capsys, "search", "moldavie", "--corpus", str(corpus))
    assert code == 1 and out == ""
    assert err.startswith("briefreader: search: searching needs an index, and none can be made: ")
    assert err.count("\n") == 1 and str(blocker) in err
    code, out, err = run(capsys, "list", "--corpus", str(corpus))
    assert code == 0 and LETTERS[0] in out and LETTERS[1] in out
    assert "reading the letters without an index" in err
    code, out, err = run(capsys, "index", "--corpus", str(corpus))
    assert code == 1 and "can't be written" in err and err.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_readers_index_opening_reads_without_writing(corpus, built, monkeypatch):
    unwritable(built, monkeypatch)
    index = open_index(corpus, built)
    assert [info.id for info in index.letters()] == LETTERS[::-1]
    assert not index.is_fresh()
    with pytest.raises(CacheUnwritable):
        index.refresh(workers=0)
