"""`briefreader [PATH] [--corpus DIR] [--index DIR]`: what it opens, and its errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ui_fixtures.helpers import CITED_LETTER, CORPUS_LETTER, screen_text, settle, two_letter_corpus, wait_for

from briefreader.cli import main
from briefreader.commands.app import build_app
from briefreader.corpus import bundled_corpus
from briefreader.model import LetterError


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _missing(tmp: Path) -> Path:
    return tmp / "missing"


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.txt"
    path.write_text("")
    return path


@pytest.mark.parametrize(("make", "problem"), [(_missing, "no such file or folder"), (_empty, "is empty")])
def test_a_bad_path_is_one_clear_line(tmp_path: Path, capsys, make, problem: str) -> None:
    path = make(tmp_path)
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"briefreader: {path}: {problem}"
    assert "Traceback" not in err


def test_path_and_corpus_together_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LetterError, match="not both"):
        build_app(tmp_path, corpus=tmp_path)


async def test_no_arguments_open_the_bundled_corpus(cache: Path) -> None:
    before = sorted(p.name for p in bundled_corpus().iterdir())
    app = build_app()
    assert app.library.corpus_dir == bundled_corpus()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.reader.view.letter_id == CORPUS_LETTER
        assert "Ingelaste JBZ-Raad" in screen_text(app)
    # The index went to the cache, not into the corpus.
    assert any(cache.rglob("*"))
    assert sorted(p.name for p in bundled_corpus().iterdir()) == before


async def test_a_single_letter_file_opens_alone_and_nothing_is_written_beside_it(tmp_path: Path) -> None:
    folder = two_letter_corpus(tmp_path / "downloads")
    before = sorted(p.name for p in folder.iterdir())
    app = build_app(folder / f"{CITED_LETTER}.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = app.reader
        assert reader.view.letter_id == CITED_LETTER
        # Only this letter is in the tree (not its neighbour in the folder), with its sidecar's title.
        assert [info.id for info in reader.library.letters] == [CITED_LETTER]
        assert "Verslag van de informele JBZ-Raad" in screen_text(app)
        await pilot.press("slash")
        reader.panel.input.value = "Frontex"
        await wait_for(pilot, lambda: reader.panel.shown_query == "Frontex", "the results")
        assert {letter.letter for letter in reader.panel.listing.letters} == {CITED_LETTER}
    assert sorted(p.name for p in folder.iterdir()) == before


async def test_corpus_and_index_options(tmp_path: Path) -> None:
    corpus = two_letter_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "my-index"
    app = build_app(corpus=corpus, index_dir=index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert {info.id for info in app.library.letters} == {CORPUS_LETTER, CITED_LETTER}
    assert any(index_dir.rglob("*"))


def test_the_config_default_and_corpus_names_are_what_opens(tmp_path: Path, monkeypatch) -> None:
    corpus = two_letter_corpus(tmp_path / "werk")
    config = tmp_path / "config.yaml"
    config.write_text(f"corpora:\n  werk: {corpus}\ndefault: werk\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(config))
    assert build_app(refresh_index=False).library.corpus_dir == corpus.resolve()
    assert build_app(corpus="werk", refresh_index=False).library.corpus_dir == corpus.resolve()


def test_an_unusable_corpus_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["--corpus", str(tmp_path / "nergens")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"briefreader: {tmp_path / 'nergens'}: no such folder"


def test_a_single_file_that_is_no_letter_is_named_by_the_users_path(tmp_path: Path, capsys) -> None:
    """Not by the link to it in the cache (issue 9): one line, exit 1, before any screen opens."""
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is no pdf at all\n")
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"briefreader: {path}: ") and len(err.strip().splitlines()) == 1
    assert os.environ["XDG_CACHE_HOME"] not in err


async def test_a_single_letter_opened_is_read_once_and_named_by_its_path(tmp_path: Path) -> None:
    folder = two_letter_corpus(tmp_path / "downloads")
    app = build_app(folder / f"{CITED_LETTER}.txt", refresh_index=False)
    library = app.library
    # Parsed already (from the user's path), kept for the reader: opening it reads nothing again.
    assert library.cached(CITED_LETTER) is not None
    assert library.cached(CITED_LETTER).source == str(folder / f"{CITED_LETTER}.txt")
    link = library.info(CITED_LETTER).path
    assert library.shown_path(link) == str((folder / f"{CITED_LETTER}.txt").resolve())


def test_an_index_inside_the_corpus_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    corpus = two_letter_corpus(tmp_path / "corpus")
    assert main(["--corpus", str(corpus), "--index", str(corpus / "idx")]) == 2
    err = capsys.readouterr().err
    assert "the index must not be inside the corpus folder" in err and len(err.strip().splitlines()) == 1
