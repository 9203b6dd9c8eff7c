"""Corpora: which files are letters, letter ids, and which folder a command uses (config, bundled)."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_fixtures.helpers import isolated_dirs  # noqa: F401 - autouse fixture

from briefreader.config import load_config
from briefreader.corpus import CorpusError, bundled_corpus, find_letters, letter_id, resolve_corpus, scan_corpus, scan_letters


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_find_letters_takes_letter_files_only(tmp_path):
    write(tmp_path / "b.txt")
    write(tmp_path / "a.TXT")
    write(tmp_path / "c.pdf")
    write(tmp_path / "d.xml")
    write(tmp_path / "d.metadata.xml")
    write(tmp_path / "metadata.xml")
    write(tmp_path / "b.yaml")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / "notes.md")
    write(tmp_path / "sub" / "e.txt")
    (tmp_path / "folder.txt").mkdir()
    assert [p.name for p in find_letters(tmp_path)] == ["a.TXT", "b.txt", "c.pdf", "d.xml"]


def test_two_files_with_one_id_keep_the_preferred_suffix(tmp_path):
    write(tmp_path / "x.pdf")
    write(tmp_path / "x.txt")
    scan = scan_corpus(tmp_path)
    assert [p.name for p in find_letters(tmp_path)] == ["x.txt"]
    assert [(path.name, problem) for path, problem in scan.ignored] == [
        ("x.pdf", "has the same id `x` as another letter; left out")
    ]


def test_scan_pairs_letters_with_sidecar_and_metadata(tmp_path):
    write(tmp_path / "a.txt", "letter")
    write(tmp_path / "a.yaml", "title: A\n")
    write(tmp_path / "k.xml", "<x/>")
    write(tmp_path / "k.metadata.xml", "<meta/>")
    letters = scan_corpus(tmp_path).letters
    assert letters["a"].sidecar == tmp_path / "a.yaml"
    assert letters["k"].companions == (tmp_path / "k.metadata.xml",)
    assert letters["k"].path == tmp_path / "k.xml"
    assert letters["a"].signature[0] == len("letter")


def test_letter_id_is_the_file_stem():
    assert letter_id("/x/2021-08-26-jbz-raad.txt") == "2021-08-26-jbz-raad"
    assert letter_id(Path("kst-32317-703.xml")) == "kst-32317-703"


def test_without_a_config_the_bundled_corpus_is_used():
    assert resolve_corpus(None) == bundled_corpus().resolve()
    assert [p.suffix for p in find_letters(resolve_corpus(None))] == [".txt"]


def test_the_users_own_corpus_is_the_default_once_it_holds_letters(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    own = tmp_path / "data" / "briefreader" / "corpus"
    own.mkdir(parents=True)
    assert resolve_corpus(None) == bundled_corpus().resolve()  # empty: still the bundled letters
    (own / "brief.txt").write_text("Den Haag, 1 mei 2022\nTekst.\n", encoding="utf-8")
    assert resolve_corpus(None) == own.resolve()


def test_config_default_and_names(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    config = write(
        tmp_path / "xdg-config" / "briefreader" / "config.yaml",
        f"corpora:\n  werk: {work}\n  rel: brieven\ndefault: werk\n",
    )
    (config.parent / "brieven").mkdir()
    assert resolve_corpus(None) == work.resolve()
    assert resolve_corpus("werk") == work.resolve()
    # A relative folder in the config file is relative to the file, not to the current directory.
    assert resolve_corpus("rel") == (config.parent / "brieven").resolve()


def test_config_pointing_at_a_missing_folder_says_so(tmp_path):
    write(tmp_path / "xdg-config" / "briefreader" / "config.yaml", "default: /nowhere/at/all\n")
    with pytest.raises(CorpusError) as error:
        resolve_corpus(None)
    assert "config.yaml (default corpus): /nowhere/at/all: no such folder" in str(error.value)


def test_bad_corpus_paths_are_one_line_errors(tmp_path):
    with pytest.raises(CorpusError, match="no such folder"):
        resolve_corpus(tmp_path / "missing")
    with pytest.raises(CorpusError, match="is a file, not a corpus folder"):
        resolve_corpus(str(write(tmp_path / "a.txt")))


def test_a_broken_config_is_a_warning_not_a_crash(tmp_path):
    path = write(tmp_path / "c.yaml", "corpora: [unclosed\n")
    config = load_config(path)
    assert config.corpora == {} and config.default is None
    assert config.warnings and str(path) in config.warnings[0] and "not valid YAML" in config.warnings[0]


def test_config_refuses_python_tags(tmp_path):
    path = write(tmp_path / "c.yaml", "default: !!python/object/apply:os.system ['echo hacked']\n")
    config = load_config(path)
    assert config.default is None
    assert "refused the tag !!python/object/apply:os.system" in config.warnings[0]


def test_config_unknown_keys_and_bad_values_are_named(tmp_path):
    path = write(tmp_path / "c.yaml", "corpora:\n  a: [1, 2]\ncolour: blue\n")
    config = load_config(path)
    assert config.corpora == {}
    assert any("corpus `a` ignored" in w for w in config.warnings)
    assert any("`colour` ignored: unknown key" in w for w in config.warnings)


def test_scanning_named_letters_finds_what_the_folder_scan_finds(tmp_path):
    write(tmp_path / "a.TXT")
    write(tmp_path / "b.txt", "letter b")
    write(tmp_path / "b.yaml", "title: B\n")
    write(tmp_path / "b.yml", "title: old\n")
    write(tmp_path / "d.xml", "<x/>")
    write(tmp_path / "d.metadata.xml", "<meta/>")
    write(tmp_path / "x.pdf")
    write(tmp_path / "x.txt")
    write(tmp_path / ".h.txt")
    (tmp_path / "folder.txt").mkdir()
    whole = scan_corpus(tmp_path)
    named = scan_letters(tmp_path, ["a", "b", "d", "x", "gone", ".h", "folder", "../b", ""])
    assert named.letters == whole.letters
    assert named.ignored == whole.ignored == ((tmp_path / "x.pdf", "has the same id `x` as another letter; left out"),)
    assert scan_letters(tmp_path, ["b"]).letters == {"b": whole.letters["b"]}
    assert scan_letters(tmp_path, ["gone"]).letters == {}
