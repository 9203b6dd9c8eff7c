""""Sync now" in the reader (`S`, or the palette): the watch list fetched in the background from a
local SRU server, the new letters in the tree marked new, reading never blocked."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sync_fixtures.server import SruServer
from ui_fixtures.helpers import CITED_LETTER, HERE, indexed_corpus, screen_text, settle, wait_for

from briefreader.commands.app import build_app
from briefreader.corpus import bundled_corpus
from briefreader.sync import client as client_module

LETTERS_32317 = {"kst-32317-896", "kst-32317-897", "kst-32317-899", "kst-32317-900"}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Real backoff and pauses are seconds; here they are next to nothing."""
    monkeypatch.setattr(client_module, "REQUEST_INTERVAL", 0.0)
    monkeypatch.setattr(client_module, "BACKOFF", 0.01)


def watch(tmp_path: Path, monkeypatch, base_url: str, dossiers: str = "['32 317']") -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"watch:\n  dossiers: {dossiers}\nsync:\n  base_url: {base_url}\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(config))
    return config


def one_letter_corpus(tmp_path: Path) -> tuple[Path, Path]:
    return indexed_corpus(tmp_path, HERE, CITED_LETTER)


async def test_sync_now_fetches_the_watch_list_and_marks_the_new_letters(tmp_path, monkeypatch) -> None:
    corpus, index_dir = one_letter_corpus(tmp_path)
    with SruServer() as server:
        watch(tmp_path, monkeypatch, server.sru)
        app = build_app(corpus=corpus, index_dir=index_dir)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            reader = app.reader
            await wait_for(pilot, lambda: reader.index_checked and reader.view.letter_id == CITED_LETTER, "the reader")
            await pilot.press("S")
            await wait_for(pilot, lambda: "Synced: 4 new" in screen_text(app), "the sync's summary", timeout=20)
            await settle(pilot)
            # The letters are in the corpus, the index and the tree, marked new; the letter read stays.
            letters = {path.stem for path in corpus.glob("kst-*") if path.suffix in (".xml", ".pdf") and ".metadata" not in path.name}
            assert letters == LETTERS_32317  # (one of them as a PDF: the record has no XML)
            assert LETTERS_32317 <= set(reader.library.by_id)
            assert reader.letter_tree.new_letters == LETTERS_32317
            assert reader.view.letter_id == CITED_LETTER
            assert "32317 JBZ-Raad (5) ● 4 new" in screen_text(app)  # the dossier's group says how many are new
            # A second sync finds nothing new.
            await pilot.press("S")
            await wait_for(pilot, lambda: "nothing new" in screen_text(app) or "4 already here" in screen_text(app),
                           "the second summary", timeout=20)
    assert (corpus / f"{CITED_LETTER}.txt").exists()


async def test_sync_now_from_the_palette_says_what_it_cannot_reach(tmp_path, monkeypatch) -> None:
    corpus, index_dir = one_letter_corpus(tmp_path)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    watch(tmp_path, monkeypatch, f"http://127.0.0.1:{port}/sru")
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"sync now")
        await wait_for(pilot, lambda: "Sync now" in screen_text(app), "the palette's command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Nothing synced:" in screen_text(app), "the error", timeout=20)
        assert app.reader.view.letter_id == CITED_LETTER
        assert sorted(path.name for path in corpus.iterdir()) == [f"{CITED_LETTER}.txt", f"{CITED_LETTER}.yaml"]


async def test_sync_now_without_a_watch_list_or_on_the_bundled_corpus_says_why_not(tmp_path, monkeypatch) -> None:
    corpus, index_dir = one_letter_corpus(tmp_path)
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: "Nothing to sync: list dossiers" in screen_text(app), "the notice")
    with SruServer() as server:
        watch(tmp_path, monkeypatch, server.sru)
        app = build_app(corpus=bundled_corpus(), index_dir=tmp_path / "bundled-index")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("S")
            await wait_for(pilot, lambda: "bundled example corpus" in screen_text(app), "the notice")
        assert server.sru_requests() == []


async def test_a_sync_whose_index_cannot_be_updated_still_says_what_arrived(tmp_path, monkeypatch) -> None:
    corpus, index_dir = one_letter_corpus(tmp_path)
    with SruServer() as server:
        watch(tmp_path, monkeypatch, server.sru)
        app = build_app(corpus=corpus, index_dir=index_dir)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_for(pilot, lambda: app.reader.index_checked, "the index check")

            def refuse(*args, **kwargs):
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(app.library.index, "refresh", refuse)
            await pilot.press("S")
            await wait_for(pilot, lambda: "Synced: 4 new" in screen_text(app), "the sync's summary", timeout=20)
            await wait_for(pilot, lambda: "The letters are in the" in screen_text(app), "the index notice")  # (its start: the toast wraps)
            assert "Sync failed" not in screen_text(app)
    assert len([p for p in corpus.glob("kst-*") if ".metadata" not in p.name]) == 4
