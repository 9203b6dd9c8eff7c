"""Issue 9, items 3 and 8: `add` with odd file names, unreadable sidecars and unusable corpus folders.

`add` never copies a file in under a name that breaks the corpus, reports each file that can't be
added and goes on with the rest, and says what is wrong with a corpus folder in one line.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run

from briefreader.corpus import bundled_corpus, scan_corpus

LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"
XML = Path(__file__).resolve().parent.parent / "import_fixtures" / "kst-29362-412.xml"


def test_a_name_that_is_not_utf8_is_stored_under_a_safe_name(capsys, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    try:
        bad = inbox / os.fsdecode(b"brief-\xff.txt")
        shutil.copy(bundled_corpus() / f"{LETTER}.txt", bad)
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    corpus = tmp_path / "brieven"
    code, out, err = run(capsys, "add", str(bad), "--corpus", str(corpus))
    assert code == 0, err
    names = [os.fsencode(p.name) for p in corpus.iterdir()]
    assert names == [b"brief.txt"]
    assert "stored as brief.txt: its file name is not valid UTF-8" in out
    assert "\udcff" not in out + err
    assert list(scan_corpus(corpus).letters) == ["brief"]


def test_an_xml_letter_with_control_characters_in_its_name_gets_its_kamerstuk_id(capsys, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    odd = inbox / "x\x1b]0;pwned\x07.xml"
    shutil.copy(XML, odd)
    corpus = tmp_path / "brieven"
    code, out, err = run(capsys, "add", str(odd), "--corpus", str(corpus))
    assert code == 0, err
    assert [p.name for p in corpus.iterdir()] == ["kst-29362-412.xml"]
    assert "\x1b" not in out + err
    assert "stored as kst-29362-412.xml: its file name holds control characters" in out


def inbox_denying(tmp_path: Path, monkeypatch, denied: str) -> Path:
    """A folder with a letter `a.txt` (and its sidecar `a.yaml`) and `b.xml`; reading `denied` is
    refused (patched, since root reads any file)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(bundled_corpus() / f"{LETTER}.txt", inbox / "a.txt")
    (inbox / "a.yaml").write_text("title: A\n", encoding="utf-8")
    shutil.copy(XML, inbox / "b.xml")
    real = Path.read_bytes

    def deny(self):
        if self.name == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    return inbox


def test_an_unreadable_sidecar_fails_that_letter_only(capsys, tmp_path, monkeypatch):
    inbox = inbox_denying(tmp_path, monkeypatch, "a.yaml")
    corpus = tmp_path / "brieven"
    code, out, err = run(capsys, "add", str(inbox), "--corpus", str(corpus))
    assert code == 1
    assert f"{inbox / 'a.txt'}: its sidecar {inbox / 'a.yaml'} can't be read (Permission denied) (not added)" in err
    assert "internal error" not in err
    assert sorted(p.name for p in corpus.iterdir()) == ["b.xml"]
    assert "1 letter added" in err and "1 not added" in err


def test_an_unreadable_letter_in_a_folder_is_reported_and_the_rest_added(capsys, tmp_path, monkeypatch):
    inbox = inbox_denying(tmp_path, monkeypatch, "a.txt")
    corpus = tmp_path / "brieven"
    code, out, err = run(capsys, "add", str(inbox), "--corpus", str(corpus))
    assert code == 1
    assert f"{inbox / 'a.txt'}: permission denied (not added)" in err
    assert [p.name for p in corpus.iterdir()] == ["b.xml"]


def test_an_unreadable_corpus_folder_is_one_line(capsys, tmp_path, monkeypatch):
    corpus = tmp_path / "brieven"
    corpus.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == corpus else real(path, mode, **kw))
    code, out, err = run(capsys, "add", str(bundled_corpus() / f"{LETTER}.txt"), "--corpus", str(corpus))
    assert code == 2
    assert err.strip() == f"briefreader: {corpus}: permission denied (adding letters needs to read and write this folder)"


def test_a_corpus_folder_that_cant_be_listed_is_one_line(capsys, tmp_path, monkeypatch):
    corpus = tmp_path / "brieven"
    corpus.mkdir()
    real = Path.iterdir

    def deny(self):
        if self == corpus:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", deny)
    code, out, err = run(capsys, "add", str(bundled_corpus() / f"{LETTER}.txt"), "--corpus", str(corpus))
    assert code == 2
    assert err.strip().endswith(f"briefreader: {corpus}: can't be read (Permission denied)")
