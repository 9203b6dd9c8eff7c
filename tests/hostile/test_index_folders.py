"""`--index DIR` never deletes what briefreader did not make; killed rebuilds leave nothing behind
(issue 9, items 5 and 9).

With `--index` pointing at a folder that held the corpus in a subfolder named like a generation
(`gen-000001`), the corpus was deleted after the build. briefreader now marks its index folder and
each generation it makes, refuses a folder that is, holds or lies in a corpus or holds anything
else, and removes only generations it can prove it made.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import run
from search_fixtures.helpers import MINI, copy_corpus, listing, mini_index

from briefreader.index import open_index
from briefreader.index.generations import GENERATION_MARKER, INDEX_MARKER, IndexFolderRefused, new_generation

TESTS = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path) -> Path:
    return copy_corpus(MINI, tmp_path / "brieven")


def test_an_index_folder_holding_a_corpus_named_like_a_generation_is_refused(capsys, tmp_path):
    folder = tmp_path / "idx"
    letters = copy_corpus(MINI, folder / "gen-000001")
    before = listing(folder)
    other = copy_corpus(MINI, tmp_path / "andere")
    for corpus in (letters, other):
        code, out, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(folder))
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("briefreader: ")
    assert listing(folder) == before


def test_an_index_folder_that_is_a_corpus_or_holds_other_files_is_refused(capsys, corpus, tmp_path):
    other_corpus = copy_corpus(MINI, tmp_path / "andere")
    code, _, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(other_corpus))
    assert code == 2 and "holds letters" in err
    photos = tmp_path / "fotos"
    photos.mkdir()
    (photos / "vakantie.jpg").write_bytes(b"\xff\xd8")
    code, _, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(photos))
    assert code == 2 and "is not a briefreader index folder" in err and "vakantie.jpg" in err
    assert (photos / "vakantie.jpg").read_bytes() == b"\xff\xd8"
    code, _, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(tmp_path))
    assert code == 2 and "must not contain the corpus folder" in err


def test_a_new_or_empty_folder_becomes_a_marked_index_folder(corpus, tmp_path):
    empty = tmp_path / "leeg"
    empty.mkdir()
    for folder in (tmp_path / "nieuw" / "idx", empty):
        index = mini_index(corpus, folder)
        assert index.refresh().letters == 5
        assert (folder / INDEX_MARKER).is_file()
        generation = index._current_generation()
        assert (generation / GENERATION_MARKER).is_file()
        assert mini_index(corpus, folder).refresh().letters == 5  # ours: used again


def test_an_index_folder_of_an_older_briefreader_is_adopted(corpus, tmp_path):
    folder = tmp_path / "oud"
    index = mini_index(corpus, folder)
    index.refresh()
    (folder / INDEX_MARKER).unlink()
    (index._current_generation() / GENERATION_MARKER).unlink()
    assert mini_index(corpus, folder).refresh(rebuild=True).letters == 5
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("gen-")) == ["gen-000002"]


def test_generations_left_behind_are_removed_only_if_ours(corpus, tmp_path):
    folder = tmp_path / "idx"
    index = mini_index(corpus, folder)
    index.refresh()
    orphan = new_generation(folder)
    (orphan / "MAIN_abc.pst").write_bytes(b"half written")
    stranger = folder / "gen-000099"
    stranger.mkdir()
    (stranger / "mijn-notities.md").write_text("niet weggooien", encoding="utf-8")
    assert index.refresh().indexed == 0
    assert not orphan.exists()
    assert (stranger / "mijn-notities.md").read_text(encoding="utf-8") == "niet weggooien"


def test_a_killed_rebuild_leaves_no_generation_behind(corpus, tmp_path):
    folder = tmp_path / "idx"
    index = mini_index(corpus, folder)
    index.refresh()
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(TESTS)!r})
        from search_fixtures.mini import load_mini
        from briefreader.index import open_index

        def slow(path):
            print("parsing", flush=True)
            time.sleep(30)
            return load_mini(path)

        open_index({str(corpus)!r}, {str(folder)!r}, loader=slow).refresh(rebuild=True, workers=0)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "parsing"
        generations = sorted(p.name for p in folder.iterdir() if p.name.startswith("gen-"))
        assert generations == ["gen-000001", "gen-000002"]
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    time.sleep(0.05)
    report = index.refresh()
    assert report.indexed == 0 and report.letters == 5
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]


def test_open_index_refuses_before_anything_is_written(corpus, tmp_path):
    with pytest.raises(IndexFolderRefused):
        open_index(corpus, corpus / "idx")
    assert not (corpus / "idx").exists()
