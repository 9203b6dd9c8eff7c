"""`briefreader search` and `briefreader index` on real letter files (parsed by the real parser)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from search_fixtures import helpers
from search_fixtures.helpers import TEXT, copy_corpus, listing

from briefreader.cli import main

isolated_dirs = helpers.isolated_dirs  # an autouse fixture

LETTER_KEYS = ["letter", "title", "date", "score", "paragraphs"]
KEYS = ["letter", "title", "date", "section", "paragraph", "footnote", "snippet", "highlights", "score"]
BUNDLED_LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"


@pytest.fixture
def text_corpus(tmp_path) -> Path:
    return copy_corpus(TEXT, tmp_path / "brieven")


def test_search_frontex_on_the_bundled_corpus(capsys):
    code, out, err = run(capsys, "search", "Frontex")
    assert code == 0, err
    assert "1 letter for Frontex" in out
    assert "Ingelaste JBZ-Raad van 31 augustus 2021" in out
    assert BUNDLED_LETTER in out and "Verslag IPCR · alinea 8" in out and "Frontex" in out
    assert out.count(BUNDLED_LETTER) == 1


def test_search_json_on_the_bundled_corpus(capsys):
    code, out, _ = run(capsys, "search", "Frontex", "--json")
    assert code == 0
    letters = json.loads(out)
    assert [list(letter) for letter in letters] == [LETTER_KEYS]
    letter = letters[0]
    assert letter["letter"] == BUNDLED_LETTER and letter["date"] == "2021-08-26" and isinstance(letter["score"], float)
    hit = letter["paragraphs"][0]
    assert list(hit) == KEYS
    assert hit["letter"] == BUNDLED_LETTER and hit["section"] == "Verslag IPCR"
    assert isinstance(hit["paragraph"], int) and hit["footnote"] is None
    assert [hit["snippet"][start:end] for start, end in hit["highlights"]] == ["Frontex"]


def test_search_as_a_process_exactly_as_the_readme_says(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "briefreader", "search", "Frontex"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Frontex" in done.stdout and "Traceback" not in done.stderr


def test_no_hits_is_not_an_error(capsys):
    code, out, _ = run(capsys, "search", "zeehondencrèche")
    assert code == 0 and "No letters found for zeehondencrèche" in out
    code, out, _ = run(capsys, "search", "zeehondencrèche", "--json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "*"], "`*` alone matches everything"),
        (["search", ""], "Type one or more words"),
        (["search", "date:gisteren"], "is not a date"),
        (["search", "x", "--corpus", "/no/such/folder"], "/no/such/folder: no such folder"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("briefreader: ")
    assert out == ""


def test_bad_limit_is_bad_usage(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["search", "x", "--limit", "0"])
    assert exit_.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_markup_in_a_query_is_printed_literally(capsys, text_corpus):
    code, out, _ = run(capsys, "search", "[bold]x[/]", "[@click=app.quit]y", "--corpus", str(text_corpus))
    assert code == 0
    assert "No letters found for [bold]x[/] [@click=app.quit]y" in out


def test_search_a_corpus_folder_with_sidecars_and_real_layout(capsys, text_corpus):
    before = listing(text_corpus)
    code, out, err = run(capsys, "search", "moldavie", "--corpus", str(text_corpus), "--json")
    assert code == 0, err
    letters = json.loads(out)
    assert [letter["letter"] for letter in letters] == ["2022-10-04-energie-moldavie"]
    # The title comes from the sidecar; the section from the heading above the paragraph.
    assert letters[0]["title"] == "Verslag informele Energieraad van 30 september 2022"
    assert letters[0]["paragraphs"][0]["section"] == "Steun aan Moldavië en Oekraïne"
    code, out, _ = run(capsys, "search", "asielzoeker", "dossier:32317", "--corpus", str(text_corpus), "--json")
    assert [letter["letter"] for letter in json.loads(out)] == ["2023-05-22-asiel"]
    assert len(json.loads(out)[0]["paragraphs"]) == 2
    code, out, _ = run(capsys, "search", "from:jetten", "--corpus", str(text_corpus), "--json")
    letters = json.loads(out)
    assert [(letter["letter"], [hit["paragraph"] for hit in letter["paragraphs"]]) for letter in letters] == [
        ("2022-10-04-energie-moldavie", [None])
    ]
    assert listing(text_corpus) == before


def test_limit_and_the_count_line(capsys, text_corpus):
    code, out, _ = run(capsys, "search", "kabinet", "--corpus", str(text_corpus), "--limit", "1")
    assert code == 0
    assert "2 letters for kabinet (the best 1; --limit N shows more)" in out


def test_index_command_reports_and_a_broken_file_is_named(capsys, text_corpus):
    (text_corpus / "leeg.txt").write_bytes(b"")
    code, out, err = run(capsys, "index", "--corpus", str(text_corpus))
    assert code == 0
    assert "Index up to date: 2 letters (2 added, 0 changed, 0 removed, 1 skipped)" in out
    assert f"warning: {text_corpus / 'leeg.txt'}: is empty (not indexed)" in err
    code, out, _ = run(capsys, "index", "--corpus", str(text_corpus), "--json")
    report = json.loads(out)
    assert report["added"] == [] and report["letters"] == 2 and not report["rebuilt"]
    assert report["skipped"] == [{"file": str(text_corpus / "leeg.txt"), "problem": "is empty"}]
    code, out, _ = run(capsys, "index", "--corpus", str(text_corpus), "--rebuild", "--json")
    assert json.loads(out)["rebuilt"] is True


def test_index_option_puts_the_index_elsewhere(capsys, text_corpus, tmp_path):
    code, _, _ = run(capsys, "index", "--corpus", str(text_corpus), "--index", str(tmp_path / "idx"))
    assert code == 0 and (tmp_path / "idx" / "CURRENT").is_file()
    code, _, err = run(capsys, "index", "--corpus", str(text_corpus), "--index", str(text_corpus / "idx"))
    assert code == 2 and "must not be inside the corpus folder" in err


def test_search_rebuilds_a_damaged_index_and_says_so(capsys, text_corpus):
    run(capsys, "index", "--corpus", str(text_corpus))
    cache = next(Path(p) for p in Path(str(text_corpus.parent / "xdg-cache")).glob("briefreader/indexes/*"))
    toc = next(cache.glob("gen-*/_MAIN_*.toc"))
    toc.write_bytes(b"\0" * toc.stat().st_size)
    code, out, err = run(capsys, "search", "moldavie", "--corpus", str(text_corpus))
    assert code == 0
    assert "was damaged" in err and err.count("\n") == 1
    assert "Moldavië" in out


def test_a_bug_is_one_line_naming_the_query_and_the_index_is_left_alone(capsys, text_corpus, tmp_path, monkeypatch):
    import briefreader.search.engine as engine

    index_dir = tmp_path / "idx"
    assert run(capsys, "index", "--corpus", str(text_corpus), "--index", str(index_dir))[0] == 0
    before = listing(index_dir)

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(engine, "_collect", broken)
    code, out, err = run(capsys, "search", "moldavie", "oekraine", "--corpus", str(text_corpus), "--index", str(index_dir))
    assert code == 1 and out == ""
    assert err == (
        "briefreader: search: internal error while searching for “moldavie oekraine” "
        "(IndexError: list index out of range); please report it\n"
    )
    assert listing(index_dir) == before


def test_damage_only_the_search_sees_is_rebuilt_once_and_answered(capsys, text_corpus, tmp_path):
    index_dir = tmp_path / "idx"
    run(capsys, "index", "--corpus", str(text_corpus), "--index", str(index_dir))
    postings = next(index_dir.glob("gen-*/*.pst"))
    postings.write_bytes(b"\0" * postings.stat().st_size)
    code, out, err = run(capsys, "search", "moldavie", "--corpus", str(text_corpus), "--index", str(index_dir))
    assert code == 0, err
    assert "can't be read" in err and "rebuilding it" in err and err.count("\n") == 1
    assert "Moldavië" in out


def test_did_you_mean_on_the_command_line(capsys):
    code, out, _ = run(capsys, "search", "asielzoekrs", "afghanistan")
    assert code == 0
    assert out.splitlines()[:2] == ["No letters found for asielzoekrs afghanistan", "Did you mean asielzoekers afghanistan?"]
