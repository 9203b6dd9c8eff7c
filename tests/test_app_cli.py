"""`briefreader [PATH] [--corpus DIR] [--index DIR]`: what it opens, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
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


#: Modules the reader needs only after its first screen (a search and the search panel's parts, the
#: footer, the palette, an index refresh or sync, a popup, the link maps, a progress bar, Rich's
#: markup emoji): imported before the first letter is
#: drawn, they would delay it (see bench/bench_startup.py).
NOT_BEFORE_THE_FIRST_SCREEN = (
    "whoosh",
    "briefreader.search",
    "briefreader.index.refresh",
    "multiprocessing",
    "filelock",
    "httpx",
    "briefreader.sync",
    "defusedxml",
    "rapidfuzz",
    "briefreader.links",
    "briefreader.ui.screens.footnotes",
    "briefreader.ui.screens.help",
    "briefreader.ui.screens.marks",
    "briefreader.ui.widgets.search_results",
    "briefreader.ui.palette",
    "textual.widgets._footer",
    "textual.widgets._progress_bar",
    "rich._emoji_codes",
)


#: Modules a start that reopens the letter last shown does without (`briefreader.letter_cache`):
#: the parser, PyYAML, and the index (opened when the letter list is read, after the first screen;
#: with it hashlib, for its folder's name).
NOT_FOR_A_LETTER_KEPT = ("briefreader.parse", "yaml", "briefreader.yamlfile", "briefreader.index", "briefreader.index.corpus_index", "sqlite3", "hashlib")


def test_the_first_screen_imports_only_what_it_shows(tmp_path: Path, cache: Path) -> None:
    # The reader as the command starts it, on the bundled corpus with an up-to-date index, in a
    # fresh process; what is imported when the first line of the letter is drawn is recorded.
    from briefreader.index import open_index

    open_index(bundled_corpus()).refresh()
    script = textwrap.dedent(
        """
        import asyncio, json, sys
        from briefreader.commands.app import build_app
        from briefreader.ui.screens.reader import opening
        from briefreader.ui.widgets.letter_view import LetterView

        # What is imported is asked here, not how fast: on a loaded machine the first letter can
        # take longer than the reader waits for it (then the first frame shows without it, and the
        # work after the first frame starts before its first line). Here it waits as long as it takes.
        opening.FIRST_LETTER_WAIT = 120

        drawn = {}
        draw = LetterView.render_line

        def render_line(self, y):
            if self.document is not None and not drawn:
                drawn.update(letter=self.letter_id, modules=sorted(sys.modules))
            return draw(self, y)

        LetterView.render_line = render_line

        async def main():
            app = build_app()
            async with app.run_test(size=(120, 40)) as pilot:
                while not drawn:
                    await pilot.pause()
                # After the first frame, the search engine is imported in the background, so
                # the first key typed in the search panel doesn't wait for it.
                for _ in range(2000):
                    if "briefreader.search.engine" in sys.modules:
                        break
                    await pilot.pause(0.01)
                drawn["search_ready"] = "briefreader.search.engine" in sys.modules
            print(json.dumps(drawn))

        asyncio.run(main())
        """
    )
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"))

    def first_screen_modules(deferred: tuple[str, ...]) -> set[str]:
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        drawn = json.loads(result.stdout.strip().splitlines()[-1])
        assert drawn["letter"] == CORPUS_LETTER
        assert drawn["search_ready"]
        return {name for name in drawn["modules"] if name in deferred or name.split(".")[0] in deferred}

    assert first_screen_modules(NOT_BEFORE_THE_FIRST_SCREEN) == set()
    # Started again, the reader reopens the letter it showed, kept parsed in the cache: neither the
    # parser, PyYAML (for the letter's sidecar) nor the index is needed for the first screen.
    assert first_screen_modules(NOT_BEFORE_THE_FIRST_SCREEN + NOT_FOR_A_LETTER_KEPT) == set()
