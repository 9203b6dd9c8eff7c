"""`briefreader show LETTER --paragraph N --cite` and `--format markdown`, as a script uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_fixtures.helpers import CITED_LETTER, CORPUS_LETTER

from briefreader.cli import main


def show(capsys, reader_corpus: tuple[Path, Path], *args: str) -> tuple[int, str, str]:
    corpus, index_dir = reader_corpus
    code = main(["show", *args, "--corpus", str(corpus), "--index", str(index_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_paragraph_with_its_citation(capsys, reader_corpus) -> None:
    code, out, _ = show(capsys, reader_corpus, CORPUS_LETTER, "--paragraph", "4", "--cite")
    assert code == 0
    assert out.startswith("Onderdeel van genoemd actieplan en migratiesamenwerking")
    assert out.endswith("bescherming biedt. (Kamerstuk 32 317, nr. 704, p. 2)\n")  # the page starts of the cleaned layout
    assert out.count("\n") == 1  # one line, whatever the terminal width
    code, out, _ = show(capsys, reader_corpus, "32317-704", "--paragraph", "4")
    assert code == 0 and out.rstrip().endswith("bescherming biedt.")
    code, out, _ = show(capsys, reader_corpus, "kst-32317-704", "--footnote", "3", "--cite", "--json")
    data = json.loads(out)
    assert data == {
        "id": CORPUS_LETTER, "paragraph": None, "footnote": 3, "text": "Europees Ondersteuningsbureau voor Asielzaken.",
        "page": 2, "citation": "(Kamerstuk 32 317, nr. 704, p. 2, voetnoot 3)",
    }
    code, out, _ = show(capsys, reader_corpus, CITED_LETTER, "--paragraph", "1", "--cite")  # no pages shown
    assert out.endswith("over Afghanistan. (Kamerstuk 32 317, nr. 703)\n")
    code, out, _ = show(capsys, reader_corpus, CITED_LETTER, "--cite")
    assert out == "(Kamerstuk 32 317, nr. 703)\n"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--paragraph", "99"], "has no paragraph 99 (it has 10, counted from 0)"),
        (["--footnote", "9"], "has no footnote 9 (its footnotes: 1, 2, 3, 4, 5)"),
    ],
)
def test_a_paragraph_or_footnote_it_lacks_is_one_line(capsys, reader_corpus, args, problem) -> None:
    code, out, err = show(capsys, reader_corpus, CORPUS_LETTER, *args)
    assert code == 1 and out == ""
    assert err.strip() == f"briefreader: {CORPUS_LETTER}: {problem}"


def test_markdown_export(capsys, reader_corpus) -> None:
    code, out, _ = show(capsys, reader_corpus, CORPUS_LETTER, "--format", "markdown")
    assert code == 0
    assert out.startswith("---\nid: 2021-08-26-jbz-raad-afghanistan-ipcr-litouwen\n")
    assert "\n# Ingelaste JBZ-Raad van 31 augustus 2021 (Afghanistan) en verslag van de IPCR-bijeenkomst over Litouwen\n" in out
    assert "\n## Verslag IPCR\n" in out and "\n[^5]: " in out
    # Long paragraphs stay one line each (no wrapping at the terminal's width).
    assert any(len(line) > 400 for line in out.splitlines())
    code, _out, err = show(capsys, reader_corpus, CORPUS_LETTER, "--format", "markdown", "--cite")
    assert code == 2 and "--format markdown writes the whole letter" in err
