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


def test_an_installed_package_finds_its_bundled_corpus(tmp_path):
    """Lay the package out as the wheel installs it (pyproject maps corpus/ to
    briefreader/bundled_corpus/), away from the checkout, and ask it for its corpus."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(ROOT / "briefreader", site / "briefreader", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "corpus", site / "briefreader" / "bundled_corpus")
    probe = (
        "from briefreader.corpus import bundled_corpus; from briefreader.load import load_letter; "
        "c = bundled_corpus(); print(c); "
        "print(load_letter(c / '2021-08-26-jbz-raad-afghanistan-ipcr-litouwen.txt').title)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    folder, title = result.stdout.splitlines()
    assert folder == str(site / "briefreader" / "bundled_corpus")
    assert title.startswith("Ingelaste JBZ-Raad van 31 augustus 2021")
