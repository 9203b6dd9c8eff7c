"""Corpora: folders of letters, the bundled one included."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_corpus() -> Path:
    """The corpus that ships with briefreader: `corpus/` in a checkout, package data in a wheel."""
    checkout = Path(__file__).resolve().parent.parent / "corpus"
    if checkout.is_dir() and (checkout.parent / "pyproject.toml").is_file():
        return checkout
    return Path(str(resources.files("briefreader.bundled_corpus")))
