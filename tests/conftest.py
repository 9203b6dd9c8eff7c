"""Shared test helpers: the fixture letters in tests/fixtures and the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.corpus import bundled_corpus
from briefreader.load import load_letter
from briefreader.model import Letter, Paragraph

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def marked(paragraph: Paragraph) -> str:
    """The paragraph text with each footnote marker shown as `^n` where it stood."""
    text = paragraph.text
    for note in sorted(paragraph.notes, key=lambda n: n.at, reverse=True):
        text = f"{text[: note.at]}^{note.n}{text[note.at :]}"
    return text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """`briefreader ARGV...` as a user runs it: (exit status, what it printed, what it printed on stderr)."""
    from briefreader.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def all_paragraphs(letter: Letter) -> list[Paragraph]:
    return [p for _i, _s, p in letter.paragraphs()]


@pytest.fixture(scope="session")
def _user_dirs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("user-dirs")


@pytest.fixture(autouse=True)
def _hermetic_user_dirs(_user_dirs, monkeypatch):
    """No test reads or writes the real user's config, data, cache or state folders."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(_user_dirs / name.lower()))
    monkeypatch.delenv("BRIEFREADER_CONFIG", raising=False)


@pytest.fixture(scope="session")
def corpus_letter() -> Letter:
    return load_letter(bundled_corpus() / f"{CORPUS_LETTER}.txt")


@pytest.fixture(autouse=True)
def _fresh_state_dir(_hermetic_user_dirs, tmp_path_factory, monkeypatch):
    """Each test starts with no reading places, marks or last visit (the reader's XDG state folder);
    after `_hermetic_user_dirs`, so a shared state folder set there is replaced by the test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(scope="session")
def reader_corpus(tmp_path_factory) -> tuple[Path, Path]:
    """The reader tests' two-letter corpus (tests/ui_fixtures) and its index, built once per session.

    Returns (corpus folder, index folder): pass both to `build_app(corpus=..., index_dir=...)`.
    Tests must not change the corpus; one that does makes its own (`ui_fixtures.helpers`).
    """
    from ui_fixtures.helpers import two_letter_corpus

    from briefreader.index import open_index

    root = tmp_path_factory.mktemp("reader-corpus")
    corpus = two_letter_corpus(root / "corpus")
    index_dir = root / "index"
    open_index(corpus, index_dir).refresh()
    return corpus, index_dir
