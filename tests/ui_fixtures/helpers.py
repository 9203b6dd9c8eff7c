"""Helpers for the reader's pilot tests: small corpora in tmp folders, real index, screen text."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefreader.corpus import bundled_corpus

HERE = Path(__file__).parent
CORPUS_LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"
CITED_LETTER = "2021-08-18-verslag-jbz-raad"
MARKUP_LETTER = "2020-01-10-markup"


def two_letter_corpus(folder: Path) -> Path:
    """The bundled letter (given number 704 in its sidecar) and a letter it cites (nr. 703) that cites it back."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_corpus() / f"{CORPUS_LETTER}.txt", folder)
    sidecar = (bundled_corpus() / f"{CORPUS_LETTER}.yaml").read_text(encoding="utf-8")
    (folder / f"{CORPUS_LETTER}.yaml").write_text(sidecar + 'number: "704"\n', encoding="utf-8")
    for suffix in (".txt", ".yaml"):
        shutil.copy(HERE / f"{CITED_LETTER}{suffix}", folder)
    return folder


def markup_corpus(folder: Path) -> Path:
    """One letter whose text, footnote and title look like Textual markup."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(HERE / f"{MARKUP_LETTER}{suffix}", folder)
    return folder


def build_index(folder: Path) -> None:
    """Index `folder` before the app starts, so the tests begin from an up-to-date index."""
    from briefreader.index import open_index

    open_index(folder).refresh()


def screen_text(app) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def find_on_screen(app, text: str) -> tuple[int, int]:
    """The (x, y) cell where `text` first appears on screen."""
    for y, line in enumerate(screen_text(app).splitlines()):
        x = line.find(text)
        if x >= 0:
            return x, y
    raise AssertionError(f"{text!r} is not on screen:\n{screen_text(app)}")


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers (index refresh, search) finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
