"""Silent damage of the index's number columns and a manifest with wrong types (issue 9, item 2).

Same-size random bytes in the letters' `ndocs` column sent a two-word query with a date filter to
24 GB; damaged length and date columns went unseen. Every number read from the index is checked:
columns against checksums recorded at commit, document numbers against the segment's size, the
stored layout's word ranges against each other, manifest values by type. Damage is
`IndexDamaged`, seen by the search and by the reader's index opening, and rebuilt with a notice.
"""

from __future__ import annotations

import random
import resource
import sqlite3
from pathlib import Path

import pytest
from search_fixtures import helpers
from search_fixtures.helpers import MINI, copy_corpus, mini_index

from briefreader.cli import main
from briefreader.search import search

isolated_dirs = helpers.isolated_dirs
AFG = "2021-08-26-jbz-afghanistan"


@pytest.fixture
def index(tmp_path):
    built = mini_index(copy_corpus(MINI, tmp_path / "corpus"), tmp_path / "idx")
    built.refresh()
    return built


def scramble(index, suffix: str) -> Path:
    """Same-size random bytes in the column file whose name ends with `suffix`."""
    path = next(p for p in index._current_generation().iterdir() if p.name.endswith(suffix))
    path.write_bytes(random.Random(9).randbytes(path.stat().st_size))
    return path


@pytest.mark.parametrize("column", ["._text_len.col", "._notes_len.col", "._title_len.col", "._heading_len.col", ".date.col"])
def test_a_damaged_column_is_damage_to_the_search_and_the_reader(index, column):
    scramble(index, column)
    result = search(index, "frontex litouwen date:2021")
    assert result.index_error and not result.internal_error
    assert "checksum" in result.message
    # The reader's index opening sees it (the freshness check) and a refresh rebuilds it.
    assert not index.is_fresh()
    report = index.refresh()
    assert report.rebuilt and "damaged" in report.notice and "\n" not in report.notice
    assert [(h.letter, h.paragraph) for h in search(index, "frontex litouwen date:2021").hits[:1]] == [(AFG, 5)]


def replace_layout(index, letter_id: str, layout) -> None:
    """Write `layout` as the stored layout of a letter, behind briefreader's back."""
    from whoosh import index as whoosh_index

    whoosh_ix = whoosh_index.open_dir(str(index._current_generation()), indexname="MAIN")
    with whoosh_ix.searcher() as searcher:
        stored = searcher.document(letter=letter_id)
    with whoosh_ix.writer() as writer:
        writer.delete_by_term("letter", letter_id)
        writer.add_document(letter=letter_id, text="Frontex Litouwen", layout=layout)
    assert stored is not None


@pytest.mark.parametrize(
    "layout",
    [
        ((None,), ((0, 0),), (("paragraph", 0, 0, "text", 5, 2, "Frontex Litouwen"),)),
        ((None,), ((0, 0),), (("paragraph", 0, 7, "text", 0, 2, "Frontex Litouwen"),)),
        ((None,), ((0, 0),), (("paragraph", 0, 0, "text", 0, 10**12, "Frontex Litouwen"), ("paragraph", 1, 0, "text", 3, 4, "x"))),
        ((None,), ((5, 1),), ()),
        ("garbage",),
    ],
)
def test_a_stored_layout_with_impossible_numbers_is_damage(index, layout):
    # No checksum covers the stored fields: the numbers themselves are checked before use.
    replace_layout(index, AFG, layout)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = search(index, "frontex litouwen")
    assert result.index_error and not result.internal_error and "layout" in result.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB: no runaway


@pytest.mark.parametrize(
    "damage",
    [
        f"UPDATE files SET sig = x'00' WHERE id = '{AFG}'",
        f"UPDATE files SET ok = 'ja' WHERE id = '{AFG}'",
        f"UPDATE files SET file = x'17' WHERE id = '{AFG}'",
        """UPDATE meta SET value = '{"MAIN_x.pst": "veel"}' WHERE key = 'files'""",
        "UPDATE meta SET value = 'twee' WHERE key = 'schema'",
        "DELETE FROM meta WHERE key = 'briefreader'",
    ],
)
def test_a_manifest_with_wrong_types_is_rebuilt_with_a_notice(index, damage, capsys):
    with sqlite3.connect(index._current_generation() / "manifest.sqlite") as connection:
        connection.execute(damage)
    assert not index.is_fresh()
    report = index.refresh()
    assert report.rebuilt and "manifest malformed" in report.notice
    assert index.is_fresh() and len(index.letters()) == 5


def test_search_on_the_command_line_rebuilds_a_damaged_column(tmp_path, capsys):
    from search_fixtures.helpers import TEXT

    corpus = copy_corpus(TEXT, tmp_path / "brieven")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "idx")]) == 0
    capsys.readouterr()
    generation = next((tmp_path / "idx").glob("gen-*"))
    lengths = next(generation.glob("*._text_len.col"))
    lengths.write_bytes(random.Random(3).randbytes(lengths.stat().st_size))
    code = main(["search", "moldavie", "--corpus", str(corpus), "--index", str(tmp_path / "idx")])
    captured = capsys.readouterr()
    assert code == 0 and "Moldavië" in captured.out
    assert "damaged" in captured.err and captured.err.count("\n") == 1


def damage_row(index, column: str) -> None:
    with sqlite3.connect(index._current_generation() / "manifest.sqlite") as connection:
        (value,) = connection.execute(f"SELECT {column} FROM letters WHERE id = ?", (AFG,)).fetchone()
        damaged = bytearray(value)
        damaged[len(damaged) // 2] ^= 0xFF
        connection.execute(f"UPDATE letters SET {column} = ? WHERE id = ?", (bytes(damaged), AFG))


def test_a_damaged_letters_table_is_seen_and_rebuilt(index):
    damage_row(index, "listing")
    assert index.letters() == []  # the reader falls back to the files, and its refresh rebuilds
    assert not index.is_fresh()
    report = index.refresh()
    assert report.rebuilt and "letters table" in report.notice
    assert len(index.letters()) == 5


def test_damaged_details_of_a_letter_still_list_it_and_are_rebuilt(index):
    title = index.letter(AFG).title
    damage_row(index, "details")
    info = index.letter(AFG)
    assert len(index.letters()) == 5 and info.title == title
    assert info.sections == () and "damaged" in info.warnings[0]
    assert not index.is_fresh()
    report = index.refresh()
    assert report.rebuilt and "letters table" in report.notice
    assert index.letter(AFG).sections and index.is_fresh()


def test_a_garbage_file_signature_only_has_the_letter_hashed_again(index):
    with sqlite3.connect(index._current_generation() / "manifest.sqlite") as connection:
        connection.execute("UPDATE files SET sig = 'groot' WHERE id = ?", (AFG,))
    assert index.is_fresh()  # the same bytes: nothing to index again
    report = index.refresh()
    assert not report.rebuilt and report.notice is None and report.changed == () and report.letters == 5
    with sqlite3.connect(index._current_generation() / "manifest.sqlite") as connection:
        (signature,) = connection.execute("SELECT sig FROM files WHERE id = ?", (AFG,)).fetchone()
    assert signature != "groot" and all(part.isdigit() for part in signature.split(","))


def test_details_that_cannot_be_unpickled_are_shown_as_damaged_not_raised(index):
    import zlib

    payload = b"cbriefreader.index.documents\nNoSuchClass\n."  # a pickle naming a class that is not there
    with sqlite3.connect(index._current_generation() / "manifest.sqlite") as connection:
        connection.execute("UPDATE letters SET details = ? WHERE id = ?", (zlib.crc32(payload).to_bytes(4, "big") + payload, AFG))
    info = index.letter(AFG)
    assert info.title and info.sections == () and "--rebuild" in info.warnings[0]
