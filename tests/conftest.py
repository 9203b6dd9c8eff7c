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


def all_paragraphs(letter: Letter) -> list[Paragraph]:
    return [p for _i, _s, p in letter.paragraphs()]


@pytest.fixture(scope="session")
def corpus_letter() -> Letter:
    return load_letter(bundled_corpus() / f"{CORPUS_LETTER}.txt")
