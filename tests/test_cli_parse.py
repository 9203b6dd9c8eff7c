"""`briefreader parse`: what a user sees on the terminal and in --json, and what bad input gets."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS_LETTER, fixture_path

from briefreader.cli import main
from briefreader.corpus import bundled_corpus

LETTER = str(bundled_corpus() / f"{CORPUS_LETTER}.txt")


def test_json_has_exactly_the_documented_shape(capsys):
    assert main(["parse", LETTER, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"title", "date", "place", "addressee", "dossier", "number", "session", "signatories", "sections",
            "footnotes", "references", "warnings"} <= data.keys()
    assert data["date"] == "2021-08-26"
    assert data["dossier"] == {"number": "32317", "title": "JBZ-Raad"}
    assert data["signatories"] == [{"function": "De Staatssecretaris van Justitie en Veiligheid", "name": "A. Broekers-Knol"}]
    assert [s["title"] for s in data["sections"]] == [None, "Verslag IPCR"]
    first = data["sections"][0]["paragraphs"][5]
    assert first["kind"] == "paragraph"
    assert first["notes"] == [{"n": 1, "at": first["text"].index("asielpact") + len("asielpact")}]
    assert [f["n"] for f in data["footnotes"]] == [1, 2, 3, 4, 5]
    assert [(r["dossier"], r["number"], r["text"]) for r in data["references"]] == [
        ("22112", "2955", "Kamerstuk 22 112, nr. 2955"), ("32317", "703", "Kamerstuk 32 317, nr. 703"),
    ]
    assert data["warnings"] == []


def test_readable_output_shows_title_sections_markers_and_footnotes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["parse", str(fixture_path("ex1-digitale-overheid.txt"))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Brief van de Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties")
    assert "Digitale inclusie" in out and "Europese samenwerking" in out
    assert "Digitaliseren¹." in out  # the marker, as a superscript
    assert "• de Informatiepunten Digitale Overheid" in out
    assert "  3 Zie https://www.autoriteitpersoonsgegevens.nl/nl/nieuws/ap-start-met-toezicht-op-algoritmes." in out
    assert "kst-26643-953" in out
    assert "Kamerstuk 26 643, nr. 940  (alinea 1)" in out


def test_markup_in_a_letter_is_printed_literally(tmp_path, capsys):
    path = tmp_path / "markup.txt"
    path.write_text("Den Haag, 1 mei 2022\nZie [bold]dit[/bold] en [@click=app.quit]x[/] en [/].\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    assert "Zie [bold]dit[/bold] en [@click=app.quit]x[/] en [/]." in capsys.readouterr().out


@pytest.mark.parametrize(
    "content,problem",
    [(None, "no such file"), (b"", "is empty"), (b"  \n\n", "is empty"), (b"\x00\x01\x02binary\x00" * 50, "binary")],
)
def test_bad_input_gets_one_line_and_exit_1(tmp_path, capsys, content, problem):
    path = tmp_path / "brief.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["parse", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert str(path) in captured.err and problem in captured.err
    assert "Traceback" not in captured.err


def test_a_folder_is_not_a_letter(tmp_path, capsys):
    assert main(["parse", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_python_dash_m_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "briefreader", "parse", LETTER, "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["footnotes"][2]["text"] == "Europees Ondersteuningsbureau voor Asielzaken."


def test_json_links_citations_to_letters_of_the_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(tmp_path / "no-config.yaml"))
    corpus = tmp_path / "brieven"
    corpus.mkdir()
    citing = corpus / "digitale-overheid.txt"
    citing.write_bytes(fixture_path("ex1-digitale-overheid.txt").read_bytes())
    (corpus / "eerdere-brief.txt").write_text(
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2021–2022\n26 643\nInformatie- en communicatietechnologie (ICT)\n"
        "Nr. 924\nBRIEF VAN DE STAATSSECRETARIS VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES\n"
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 1 juni 2022\n"
        "Hierbij de werkagenda.\nDe Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties,\nA.C. van Huffelen\n",
        encoding="utf-8",
    )
    assert main(["parse", str(citing), "--json", "--corpus", str(corpus)]) == 0
    references = json.loads(capsys.readouterr().out)["references"]
    assert [(r["number"], r["target"]) for r in references] == [("940", None), ("924", "eerdere-brief"), ("953", None)]

    # A file outside any known corpus is parsed on its own: no targets, and no index is built for its folder.
    assert main(["parse", str(citing), "--json"]) == 0
    assert [r["target"] for r in json.loads(capsys.readouterr().out)["references"]] == [None, None, None]
