"""The installed package must hold every subpackage, its styles and the bundled corpus."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "briefreader").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "briefreader.bundled_corpus" in listed


def test_bundled_corpus_holds_the_seed_letter():
    from briefreader.corpus import bundled_corpus

    names = {p.name for p in bundled_corpus().iterdir()}
    assert "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen.txt" in names
    assert "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen.yaml" in names
