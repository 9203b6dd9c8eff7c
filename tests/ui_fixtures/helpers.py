"""Helpers for the reader's pilot tests: small corpora in tmp folders, real index, screen text."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

from textual.worker import WorkerCancelled

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


def indexed_corpus(tmp_path: Path, source: Path, *letters: str) -> tuple[Path, Path]:
    """`tmp_path/corpus` holding `letters` (text and sidecar) copied from `source`, and its index
    in `tmp_path/index`, built: (corpus, index folder)."""
    from briefreader.index import open_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for letter in letters:
        for suffix in (".txt", ".yaml"):
            shutil.copy(source / f"{letter}{suffix}", corpus)
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir).refresh()
    return corpus, index_dir


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


async def wait_for(pilot, condition, what: str = "the condition", timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (checked after each round of processing), or fail
    showing the screen. No fixed pauses: a fast machine waits as little as it needs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen_text(pilot.app)}")
        await pilot.pause()
        if not condition():
            await asyncio.sleep(0.002)  # a poll interval, not a wait for anything in particular


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers (index refresh, search) finish and the screen catch up.

    Each worker is waited for on its own: a worker cancelled meanwhile (a letter shown again
    cancels the old one's measuring) ends the wait for it, not the test (Textual's
    `wait_for_complete` would raise `WorkerCancelled` out of its gather)."""
    for _ in range(rounds):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()
