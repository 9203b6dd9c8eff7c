"""Helpers for the index and search tests: temporary corpora, caches and config."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefreader.index import CorpusIndex, open_index
from search_fixtures.mini import FIXTURES, load_mini

MINI = FIXTURES / "mini"
TEXT = FIXTURES / "text"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own user cache and config dir: nothing touches the real ones."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("BRIEFREADER_CONFIG", raising=False)


def copy_corpus(source: Path, target: Path) -> Path:
    """A copy of a fixture corpus folder (tests may change their copy)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture
def mini_corpus(tmp_path) -> Path:
    """The five mini-format letters in a fresh folder."""
    return copy_corpus(MINI, tmp_path / "corpus")


def mini_index(corpus: Path, index_dir: Path | None = None) -> CorpusIndex:
    """The index of a mini-format corpus (parsed with `load_mini`), in the test's cache."""
    return open_index(corpus, index_dir, loader=load_mini)


@pytest.fixture
def built_index(mini_corpus) -> CorpusIndex:
    """The mini corpus, indexed."""
    index = mini_index(mini_corpus)
    index.refresh()
    return index


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and mtime, to show nothing was written there."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}
