"""Issue 9, items 4 and 9: sidecars and configs that are wrong, huge or hostile.

Each problem is one warning line naming the file (and the line where it can); the letter stays
readable and indexed; a bad config is reported and ignored; nothing takes long.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from briefreader.config import load_config
from briefreader.corpus import bundled_corpus
from briefreader.load import load_letter
from briefreader.sidecar import MAX_KEY_WARNINGS, MAX_TAGS, read_sidecar
from briefreader.yamlfile import MAX_YAML_BYTES, MAX_YAML_DEPTH

LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "brieven"
    folder.mkdir()
    shutil.copy(bundled_corpus() / f"{LETTER}.txt", folder / f"{LETTER}.txt")
    return folder


def sidecar(corpus: Path, text: str) -> Path:
    path = corpus / f"{LETTER}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_impossible_sidecar_date_is_a_warning_with_file_and_line(corpus, capsys):
    path = sidecar(corpus, 'title: "Een titel"\ndate: 2021-02-30\n')
    letter = load_letter(corpus / f"{LETTER}.txt")
    assert letter.title == "Een titel"
    assert letter.date is not None and letter.date.isoformat() == "2021-08-26"  # the parsed date stays
    assert f"{path}: line 2: `date` ignored: 2021-02-30 is not a day of the calendar" in letter.warnings
    # The letter is indexed and listed, not dropped.
    code, out, err = run(capsys, "list", "--corpus", str(corpus))
    assert code == 0, err
    assert "Een titel" in out and "1 letter" in err
    code, out, err = run(capsys, "search", "Frontex", "--corpus", str(corpus))
    assert code == 0 and "Een titel" in out


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "2021-00-10", "0000-01-01"])
def test_impossible_dates_of_every_kind(corpus, value):
    path = sidecar(corpus, f"date: {value}\n")
    fields, warnings = read_sidecar(path)
    assert "date" not in fields
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}: line 1: `date` ignored:")


@pytest.mark.parametrize("value, day", [("2021-02-28", "2021-02-28"), ("2024-02-29", "2024-02-29"), ("2021-08-26 10:30", "2021-08-26")])
def test_real_dates_still_read(corpus, value, day):
    fields, warnings = read_sidecar(sidecar(corpus, f"date: {value}\n"))
    assert warnings == [] and fields["date"].isoformat() == day


def test_an_impossible_date_in_the_config_breaks_nothing(corpus, capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpora:\n  kamer: {corpus}\ndefault: kamer\nsince: 2021-02-30\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(config))
    loaded = load_config()
    assert loaded.default == "kamer"
    assert any(w.startswith(f"{config}: `since` ignored") for w in loaded.warnings)
    code, out, err = run(capsys, "list")
    assert code == 0, err
    assert LETTER in out


@pytest.mark.parametrize("where", ["sidecar", "config"])
def test_deeply_nested_yaml_is_one_warning(corpus, tmp_path, monkeypatch, capsys, where):
    deep = "title: " + "[" * 5000 + "]" * 5000 + "\n"
    if where == "sidecar":
        path = sidecar(corpus, deep)
        letter = load_letter(corpus / f"{LETTER}.txt")
        assert letter.sections
        assert [w for w in letter.warnings if w.startswith(str(path))] == [
            f"{path}: line 1: sidecar ignored: nested deeper than {MAX_YAML_DEPTH} levels"
        ]
    else:
        config = tmp_path / "config.yaml"
        config.write_text(deep, encoding="utf-8")
        monkeypatch.setenv("BRIEFREADER_CONFIG", str(config))
        assert load_config().warnings == (f"{config}: line 1: config ignored: nested deeper than {MAX_YAML_DEPTH} levels",)
        code, out, err = run(capsys, "search", "Frontex")
        assert code == 0, err


def test_nesting_at_the_limit_is_still_read(corpus):
    # Depth: the top-level mapping is 1, then the lists.
    inner = MAX_YAML_DEPTH - 1
    path = sidecar(corpus, "tags: " + "[" * inner + "a" + "]" * inner + "\n")
    _fields, warnings = read_sidecar(path)
    assert not any("nested deeper" in w for w in warnings)
    path = sidecar(corpus, "tags: " + "[" * (inner + 1) + "a" + "]" * (inner + 1) + "\n")
    _fields, warnings = read_sidecar(path)
    assert any("nested deeper" in w for w in warnings)


@pytest.mark.parametrize("value", ["0x_", "0b_", "0o_"])
def test_what_yaml_takes_for_a_number_but_cannot_read_stays_text(corpus, value):
    # Found by the fuzz test: PyYAML's resolver calls `0x_` a hex number, its constructor raised.
    path = sidecar(corpus, f"number: {value}\ntags: [{value}, 0x1F]\n")
    fields, warnings = read_sidecar(path)
    assert fields["number"] == value and fields["tags"] == (value, "31")
    assert not any("ignored" in w for w in warnings)


def test_a_sidecar_with_huge_numbers_of_tags_keeps_the_first(corpus):
    path = sidecar(corpus, "tags: [" + ", ".join(f"t{i}" for i in range(5000)) + "]\n")
    fields, warnings = read_sidecar(path)
    assert fields["tags"] == tuple(f"t{i}" for i in range(MAX_TAGS))
    assert warnings == [f"{path}: line 1: `tags`: only the first {MAX_TAGS} kept"]


def test_thousands_of_unknown_keys_give_a_few_lines(corpus):
    path = sidecar(corpus, "".join(f"k{i}: v\n" for i in range(20000)))
    fields, warnings = read_sidecar(path)
    assert fields == {}
    assert len(warnings) == MAX_KEY_WARNINGS + 1
    assert warnings[-1] == f"{path}: {20000 - MAX_KEY_WARNINGS} more unknown keys ignored"


def test_a_sidecar_beyond_the_size_limit_is_not_read(corpus):
    path = sidecar(corpus, "tags: [" + ", ".join("x" * 10 for _ in range(MAX_YAML_BYTES // 10)) + "]\n")
    fields, warnings = read_sidecar(path)
    assert fields == {}
    assert warnings == [f"{path}: sidecar ignored: larger than {MAX_YAML_BYTES // 1024} KiB: not read"]
    assert load_letter(corpus / f"{LETTER}.txt").sections


def test_an_unreadable_sidecar_names_itself_and_the_letter_still_loads(corpus, monkeypatch):
    path = sidecar(corpus, "title: x\n")
    real_open = open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    letter = load_letter(corpus / f"{LETTER}.txt")
    assert letter.sections and letter.title != "x"
    assert f"{path}: sidecar ignored: not read (permission denied)" in letter.warnings


# -- fuzz: whatever the bytes, one line per problem, each naming the file, never an exception ------------

_yamlish = st.text(alphabet=string.printable + "äëï€\x00\x1b\x85\u2028[]{}:&*!|>'\"#%@`-", max_size=400)


@settings(max_examples=300, deadline=None)
@given(text=_yamlish)
def test_fuzz_sidecar_reader(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "x.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    fields, warnings = read_sidecar(path)
    assert isinstance(fields, dict)
    for warning in warnings:
        assert warning.startswith(str(path)) and "\n" not in warning.strip()


@settings(max_examples=300, deadline=None)
@given(text=_yamlish)
def test_fuzz_config_reader(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "config.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    config = load_config(path)
    for warning in config.warnings:
        assert warning.startswith(str(path)) and "\n" not in warning.strip()
