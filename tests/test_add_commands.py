"""`briefreader add`, `list`, `refs` and `show` on a small corpus of letters in all three formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run

from briefreader.cli import main
from briefreader.corpus import bundled_corpus, resolve_corpus

pytest.importorskip("fpdf")
from import_fixtures import kstpdf  # noqa: E402

FIXTURES = Path(__file__).parent / "import_fixtures"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No user config, data or cache of the person running the tests is read or written."""
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "downloads"
    kstpdf.write_linked_sources(folder)
    (folder / "oktober-brief.yaml").write_text("tags: [openbaarheid]\n", encoding="utf-8")
    shutil.copy(FIXTURES / "kst-21501-20-1850.xml", folder / "kst-21501-20-1850.xml")
    shutil.copy(FIXTURES / "kst-21501-20-1850.metadata.xml", folder / "metadata.xml")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_add_a_folder_copies_parses_and_reports(sources, tmp_path, capsys):
    before = snapshot(sources)
    corpus = tmp_path / "corpus"
    code, out, err = run(capsys, "add", str(sources), "--corpus", str(corpus))
    assert code == 0, err
    assert snapshot(sources) == before  # originals untouched: same bytes, same times, still there
    assert sorted(p.name for p in corpus.iterdir()) == [
        "kst-21501-20-1850.metadata.xml",
        "kst-21501-20-1850.xml",
        "kst-29362-412.xml",
        "mei-brief.txt",
        "oktober-brief.txt",
        "oktober-brief.yaml",
        "woo-evaluatie.pdf",
    ]
    assert (corpus / "woo-evaluatie.pdf").read_bytes() == (sources / "woo-evaluatie.pdf").read_bytes()
    lines = out.splitlines()
    assert len(lines) == 5  # one line per letter, no warnings for these
    europe = next(line for line in lines if "kst-21501-20-1850" in line)
    assert europe.startswith("added")
    for part in ("2023-03-28", "Verslag van de Europese Raad van 23 en 24 maart 2023", "3 sections", "2 footnotes", "3 references", "with metadata.xml"):
        assert part in europe
    assert "with sidecar" in next(line for line in lines if "oktober-brief" in line)
    assert "5 letters added to" in err


def test_adding_the_same_content_again_is_a_no_op(sources, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    run(capsys, "add", str(sources), "--corpus", str(corpus))
    before = snapshot(corpus)
    renamed = tmp_path / "renamed.pdf"
    shutil.copy(sources / "woo-evaluatie.pdf", renamed)  # same content, another name
    code, out, err = run(capsys, "add", str(sources), str(renamed), "--corpus", str(corpus))
    assert code == 0
    assert snapshot(corpus) == before
    assert out.count("already in the corpus") == 6
    assert "renamed.pdf  already in the corpus as woo-evaluatie.pdf" in out
    assert "0 letters added" in err and "6 already there" in err


def test_what_is_not_a_letter_is_named_and_not_added(sources, tmp_path, capsys):
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "boodschappen.txt").write_text("melk\nbrood\nkaas\n", encoding="utf-8")
    (odd / "leeg.txt").write_text("  \n", encoding="utf-8")
    (odd / "kapot.pdf").write_bytes(b"%PDF-1.4 stuk")
    (odd / "verslag.docx").write_bytes(b"PK\x03\x04")
    corpus = tmp_path / "corpus"
    code, out, err = run(
        capsys, "add", str(odd / "boodschappen.txt"), str(odd / "leeg.txt"), str(odd / "kapot.pdf"),
        str(odd / "verslag.docx"), str(sources / "mei-brief.txt"), str(odd / "nergens.pdf"), "--corpus", str(corpus),
    )
    assert code == 1
    assert sorted(p.name for p in corpus.iterdir()) == ["mei-brief.txt"]
    problems = [line for line in err.splitlines() if line.startswith("briefreader: ")]
    assert len(problems) == 5
    expected = {
        "boodschappen.txt": "does not look like a letter to parliament",
        "leeg.txt": "is empty",
        "kapot.pdf": "is a damaged PDF",
        "verslag.docx": "is not a letter file",
        "nergens.pdf": "no such file or folder",
    }
    for name, problem in expected.items():
        assert any(name in line and problem in line for line in problems), (name, problems)
    assert "Traceback" not in err
    assert out.splitlines()[0].startswith("added") and "mei-brief" in out


def test_globs_subfolders_and_name_clashes(sources, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    code, out, _err = run(capsys, "add", str(sources / "*.txt"), "--corpus", str(corpus))
    assert code == 0
    assert sorted(p.name for p in corpus.iterdir()) == ["mei-brief.txt", "oktober-brief.txt", "oktober-brief.yaml"]

    nested = tmp_path / "nested" / "2023" / "mei"
    nested.mkdir(parents=True)
    other = kstpdf.small_spec("29 362", "451", "9 mei 2023", "Een andere brief met dezelfde bestandsnaam.")
    (nested / "mei-brief.txt").write_text(kstpdf.render_text(other), encoding="utf-8")
    code, out, err = run(capsys, "add", str(tmp_path / "nested"), "--corpus", str(corpus))
    assert code == 1 and "no letter files" in err  # not without -r
    code, out, _err = run(capsys, "add", "-r", str(tmp_path / "nested"), "--corpus", str(corpus))
    assert code == 0
    assert (corpus / "mei-brief-2.txt").read_bytes() == (nested / "mei-brief.txt").read_bytes()
    assert "mei-brief-2" in out


def test_dry_run_copies_nothing(sources, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    code, out, err = run(capsys, "add", "--dry-run", str(sources), "--corpus", str(corpus))
    assert code == 0
    assert not corpus.exists()
    assert out.count("would add") == 5 and "dry run: 5 letters would be added" in err


def test_default_corpus_is_the_user_data_folder_never_the_bundled_one(sources, tmp_path, capsys):
    bundled = snapshot(bundled_corpus())
    code, _out, err = run(capsys, "add", str(sources / "mei-brief.txt"))
    assert code == 0
    target = tmp_path / "data" / "briefreader" / "corpus"
    assert (target / "mei-brief.txt").is_file()
    # and from now on `briefreader` alone opens the user's letters, not the bundled corpus
    assert resolve_corpus(None) == target.resolve()
    assert snapshot(bundled_corpus()) == bundled

    code, _out, err = run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", str(bundled_corpus()))
    assert code == 2 and "bundled corpus" in err
    assert snapshot(bundled_corpus()) == bundled


def test_the_config_default_corpus_is_used(sources, tmp_path, capsys):
    mine = tmp_path / "mijn-brieven"
    config = tmp_path / "config" / "config.yaml"
    config.parent.mkdir()
    config.write_text(f"corpora:\n  kamer: {mine}\ndefault: kamer\n", encoding="utf-8")
    code, _out, _err = run(capsys, "add", str(sources / "oktober-brief.txt"))
    assert code == 0 and (mine / "oktober-brief.txt").is_file()
    code, _out, _err = run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", "kamer")
    assert code == 0 and (mine / "mei-brief.txt").is_file()


@pytest.fixture
def corpus(sources, tmp_path, capsys) -> tuple[Path, Path]:
    folder = tmp_path / "corpus"
    assert main(["add", str(sources), "--corpus", str(folder)]) == 0
    capsys.readouterr()
    return folder, tmp_path / "index"


def test_list_newest_first_with_metadata(corpus, capsys):
    folder, index = corpus
    code, out, _err = run(capsys, "list", "--corpus", str(folder), "--index", str(index), "--json")
    assert code == 0
    letters = json.loads(out)
    assert [(letter["date"], letter["id"]) for letter in letters] == [
        ("2023-05-08", "mei-brief"),
        ("2023-03-28", "kst-21501-20-1850"),
        ("2023-03-14", "kst-29362-412"),
        ("2023-02-01", "woo-evaluatie"),
        ("2022-10-10", "oktober-brief"),
    ]
    october = letters[-1]
    assert october["kst_id"] == "kst-29362-398" and october["tags"] == ["openbaarheid"]
    assert october["cited_by"] == ["kst-29362-412", "woo-evaluatie"]
    assert {"kst_id": "kst-29362-398", "target": "oktober-brief"} in letters[2]["cites"]

    code, out, _err = run(capsys, "list", "--corpus", str(folder), "--index", str(index))
    lines = out.splitlines()
    assert len(lines) == 5 and lines[0].startswith("2023-05-08  mei-brief")
    assert "cited by 2" in lines[-1] and "tags: openbaarheid" in lines[-1]


def test_refs_in_both_directions(corpus, capsys):
    folder, index = corpus
    code, out, _err = run(capsys, "refs", "kst-29362-412", "--corpus", str(folder), "--index", str(index))
    assert code == 0
    assert "Cites 4 Kamerstukken (2 in the corpus)" in out
    assert "Kamerstuk 29 362, nr. 398  -> oktober-brief" in out
    assert "Kamerstuk 29 362, nr. 320  (not in the corpus)" in out
    assert "Cited by 1 letter in the corpus" in out and "mei-brief  2023-05-08" in out

    code, out, _err = run(capsys, "refs", "29362-398", "--corpus", str(folder), "--index", str(index), "--json")
    data = json.loads(out)
    assert data["id"] == "oktober-brief" and data["kst_id"] == "kst-29362-398"
    assert [(c["id"], c["citations"]) for c in data["cited_by"]] == [
        ("kst-29362-412", [{"text": "Kamerstuk 29 362, nr. 398", "paragraph": 0, "footnote": None}]),
        ("woo-evaluatie", [{"text": "Kamerstuk 29 362, nr. 398", "paragraph": 0, "footnote": None}]),
    ]


def test_refs_of_a_file_outside_the_corpus(corpus, tmp_path, capsys):
    folder, index = corpus
    outside = tmp_path / "nieuw.txt"
    spec = kstpdf.small_spec("29 362", "460", "1 juni 2023", "Zie mijn brief (Kamerstuk 32 802, nr. 71).")
    outside.write_text(kstpdf.render_text(spec), encoding="utf-8")
    code, out, _err = run(capsys, "refs", str(outside), "--corpus", str(folder), "--index", str(index), "--json")
    assert code == 0
    assert [c["target"] for c in json.loads(out)["cites"]] == ["woo-evaluatie"]
    assert not (folder / "nieuw.txt").exists()


def test_show_by_kst_id(corpus, capsys):
    folder, index = corpus
    code, out, _err = run(capsys, "show", "32802-71", "--corpus", str(folder), "--index", str(index))
    assert code == 0
    assert "begint de evaluatie van de Wet open overheid in 2024." in " ".join(out.split())
    assert "-> oktober-brief" in out and "Cited by 1 letter" in out

    code, out, _err = run(capsys, "show", "kst-29362-412", "--corpus", str(folder), "--index", str(index), "--json")
    data = json.loads(out)
    assert data["id"] == "kst-29362-412" and data["cited_by"] == ["mei-brief"]
    assert [r["target"] for r in data["references"]] == ["oktober-brief", None, None, "woo-evaluatie"]


def test_show_an_unknown_letter_is_one_line(corpus, capsys):
    folder, index = corpus
    code, out, err = run(capsys, "show", "kst-11111-1", "--corpus", str(folder), "--index", str(index))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "kst-11111-1: no such letter in the corpus" in err


def test_titles_that_look_like_markup_print_literally(sources, tmp_path, capsys):
    (sources / "mei-brief.yaml").write_text('title: "[bold]x[/] [@click=app.quit]y[/]"\n', encoding="utf-8")
    corpus = tmp_path / "corpus"
    code, out, _err = run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", str(corpus))
    assert code == 0 and "[bold]x[/] [@click=app.quit]y[/]" in out
    code, out, _err = run(capsys, "list", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert "[bold]x[/] [@click=app.quit]y[/]" in out


async def test_done_when_add_a_folder_open_it_follow_a_citation_and_back(sources, tmp_path, capsys):
    """The issue's "done when": add a folder of PDFs and XML, open the reader on that corpus, follow a
    citation from one letter to another and back, and see who cites a letter."""
    from ui_fixtures.helpers import screen_text, settle

    from briefreader.commands.app import build_app

    corpus = tmp_path / "corpus"
    assert main(["add", str(sources), "--corpus", str(corpus)]) == 0
    capsys.readouterr()
    app = build_app(corpus=corpus)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await app.reader.open_letter("kst-29362-412")
        await settle(pilot)
        view = app.reader.view
        assert "Cited by: 2023-05-08" in screen_text(app)  # the May letter (mei-brief) cites this one
        to_october = next(link for link in view.links if link.kind == "letter" and link.target == "oktober-brief")
        while view.focused_link is None or view.links[view.focused_link] != to_october:
            await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert view.letter_id == "oktober-brief"
        # The October letter (a text file) is cited by the XML letter and by the PDF.
        rows = screen_text(app).splitlines()
        at = next(i for i, row in enumerate(rows) if "Cited by: " in row)
        cited_by = " ".join(row.split("▕")[-1] for row in rows[at : at + 2])
        assert "2023-03-14" in cited_by and "2023-02-01" in cited_by
        await pilot.press("backspace")
        await settle(pilot)
        assert view.letter_id == "kst-29362-412"


def test_adding_to_an_indexed_corpus_updates_its_index_at_once(sources, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", str(corpus))
    code, out, err = run(capsys, "search", "--corpus", str(corpus), "--json", "openbaarheid")
    assert code == 0, err  # the first search builds the index
    code, out, err = run(capsys, "add", str(sources / "woo-evaluatie.pdf"), str(sources / "oktober-brief.txt"), "--corpus", str(corpus))
    assert code == 0, err
    assert "search index updated: 3 letters" in err
    # The index is fresh without a scan of the corpus: `index` finds nothing to do.
    code, out, err = run(capsys, "index", "--corpus", str(corpus), "--json")
    assert code == 0 and json.loads(out)["added"] == [] and json.loads(out)["letters"] == 3


def test_adding_to_a_corpus_without_an_index_builds_none(sources, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    code, out, err = run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", str(corpus))
    assert code == 0 and "search index" not in err
    assert not (tmp_path / "cache" / "briefreader").exists()


def test_adding_while_another_process_updates_the_index_leaves_it_to_the_next_search(sources, tmp_path, capsys, monkeypatch):
    from briefreader.commands import add
    from briefreader.index import open_index
    from briefreader.locking import ProcessLock

    corpus = tmp_path / "corpus"
    run(capsys, "add", str(sources / "mei-brief.txt"), "--corpus", str(corpus))
    run(capsys, "index", "--corpus", str(corpus))
    monkeypatch.setattr(add, "INDEX_WAIT_SECONDS", 0.2)
    lock = ProcessLock(open_index(corpus).index_dir / "lock")
    assert lock.try_acquire()
    try:
        code, out, err = run(capsys, "add", str(sources / "oktober-brief.txt"), "--corpus", str(corpus))
    finally:
        lock.release()
    assert code == 0 and (corpus / "oktober-brief.txt").is_file()
    assert "warning: the search index was not updated (" in err and "another briefreader process" in err
    code, out, err = run(capsys, "search", "--corpus", str(corpus), "--json", "openbaarheid")
    assert code == 0 and "oktober-brief" in out
