"""Issue 9, item 3: one file with a name that is not UTF-8 must not break the whole corpus.

Such a file is left out with a warning that names it readably (`x\\xff.txt`); every other letter
is listed, indexed and searchable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run

from briefreader.corpus import bundled_corpus, scan_corpus

LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"
BAD_NAME = os.fsdecode(b"brief-\xff\xfe.txt")


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "brieven"
    folder.mkdir()
    shutil.copy(bundled_corpus() / f"{LETTER}.txt", folder / f"{LETTER}.txt")
    try:
        shutil.copy(bundled_corpus() / f"{LETTER}.txt", folder / BAD_NAME)
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    return folder


def test_the_scan_leaves_it_out_and_says_why(corpus):
    scan = scan_corpus(corpus)
    assert list(scan.letters) == [LETTER]
    assert [(path.name, reason) for path, reason in scan.ignored] == [
        (BAD_NAME, "file name is not valid UTF-8; left out (rename the file to read it)")
    ]


@pytest.mark.parametrize(
    "argv",
    [["index"], ["list"], ["search", "Frontex"], ["refs", LETTER], ["show", LETTER]],
    ids=["index", "list", "search", "refs", "show"],
)
def test_every_command_still_works_on_the_rest(capsys, corpus, argv):
    code, out, err = run(capsys, *argv, "--corpus", str(corpus))
    assert code == 0, err
    assert "internal error" not in err
    assert "\udcff" not in out + err


def test_index_names_the_file_readably(capsys, corpus):
    code, out, err = run(capsys, "index", "--corpus", str(corpus))
    assert code == 0
    assert "brief-\\xff\\xfe.txt: file name is not valid UTF-8" in err
    assert "Index up to date: 1 letter (" in out and "1 skipped" in out
