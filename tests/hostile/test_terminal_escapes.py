"""Issue 9, item 1: no control character from data reaches the terminal through the command line.

A sidecar title, a file name or a query holding `ESC ] 52 ; c ; … BEL` (rewrites the clipboard),
`ESC ] 0 ; … BEL` (retitles the terminal) or `ESC [ 2 J` (clears the screen) must come out shown
(`␛`), never obeyed. The tests capture what each command writes, as a terminal would get it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run

from briefreader.cli import main
from briefreader.corpus import bundled_corpus

LETTER = "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
RETITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
CSI_8BIT = "\x9b2J"


def assert_no_controls(*outputs: str) -> None:
    for output in outputs:
        bad = sorted({f"U+{ord(c):04X}" for c in output if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F})
        assert not bad, f"control characters reached the terminal: {bad}\n{output[:2000]!r}"


@pytest.fixture
def hostile_corpus(tmp_path) -> Path:
    """The bundled letter, with a sidecar whose title and tags carry escape sequences."""
    corpus = tmp_path / "brieven"
    corpus.mkdir()
    shutil.copy(bundled_corpus() / f"{LETTER}.txt", corpus / f"{LETTER}.txt")
    # YAML's double-quoted escapes (\e, \a, \x9b) are how such a title gets into a sidecar: the
    # raw characters themselves are not allowed in a YAML stream.
    (corpus / f"{LETTER}.yaml").write_text(
        'title: "Brief \\e]52;c;SGVsbG8=\\a\\e]0;pwned\\a\\e[2J\\x9b2J"\n'
        'tags: ["migratie\\e[2J"]\n'
        'notes: "zie \\e]52;c;SGVsbG8=\\a"\n'
        'number: "704"\n'
        'dossier: {number: "32317", title: "JBZ-Raad"}\n',
        encoding="utf-8",
    )
    return corpus


@pytest.mark.parametrize(
    "argv",
    [
        ["parse", "{corpus}/" + LETTER + ".txt"],
        ["show", LETTER, "--corpus", "{corpus}"],
        ["list", "--corpus", "{corpus}"],
        ["search", "Frontex", "--corpus", "{corpus}"],
        ["refs", LETTER, "--corpus", "{corpus}"],
        ["index", "--corpus", "{corpus}"],
    ],
    ids=["parse", "show", "list", "search", "refs", "index"],
)
def test_a_hostile_sidecar_title_is_shown_not_obeyed(capsys, hostile_corpus, argv):
    code, out, err = run(capsys, *[part.replace("{corpus}", str(hostile_corpus)) for part in argv])
    assert code == 0, err
    assert_no_controls(out, err)
    if argv[0] in ("parse", "show", "list", "search"):
        assert "Brief ␛]52;c;SGVsbG8=␇␛]0;pwned␇␛[2J\\x9b2J" in out


@pytest.mark.parametrize("command", ["parse", "list", "search", "show"])
def test_json_keeps_the_value_escaped(capsys, hostile_corpus, command):
    argv = {
        "parse": ["parse", str(hostile_corpus / f"{LETTER}.txt"), "--json"],
        "list": ["list", "--corpus", str(hostile_corpus), "--json"],
        "search": ["search", "Frontex", "--corpus", str(hostile_corpus), "--json"],
        "show": ["show", LETTER, "--corpus", str(hostile_corpus), "--json"],
    }[command]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert_no_controls(out, err)
    json.loads(out)  # still valid JSON


def test_a_file_name_with_escapes_is_shown_in_the_error(capsys, tmp_path):
    bad = tmp_path / f"x{OSC52}{CLEAR}.txt"
    bad.write_bytes(b"\x00\x01 binary")
    code, out, err = run(capsys, "parse", str(bad))
    assert code == 1
    assert_no_controls(out, err)
    assert "x␛]52;c;SGVsbG8=␇␛[2J.txt" in err and "binary" in err


def test_a_missing_file_with_escapes_is_shown_in_the_error(capsys, tmp_path):
    code, out, err = run(capsys, "show", f"nope{RETITLE}", "--corpus", str(bundled_corpus()))
    assert code != 0
    assert_no_controls(out, err)
    assert "nope␛]0;pwned␇" in err


def test_a_query_echoed_back_is_shown_not_obeyed(capsys):
    code, out, err = run(capsys, "search", f"frontex{CLEAR}")
    assert code in (0, 2)
    assert_no_controls(out, err)
    assert "␛[2J" in out + err


def test_a_letter_file_named_with_escapes_lists_visibly(capsys, tmp_path):
    corpus = tmp_path / "brieven"
    corpus.mkdir()
    shutil.copy(bundled_corpus() / f"{LETTER}.txt", corpus / f"y{RETITLE}.txt")
    code, out, err = run(capsys, "list", "--corpus", str(corpus))
    assert code == 0, err
    assert_no_controls(out, err)
    assert "y␛]0;pwned" in out


def test_argparse_errors_quote_arguments_visibly(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "x", "--limit", f"1{CLEAR}"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert_no_controls(captured.out, captured.err)
    assert "2J" in captured.err
