"""The letter last shown, kept parsed between runs (`briefreader.letter_cache`): it gives the same
letter a fresh parse gives, never a letter whose files changed, and a damaged or alien file is
ignored without a word."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import CORPUS_LETTER, FIXTURES

from briefreader.corpus import bundled_corpus
from briefreader.letter_cache import MAX_CORPORA, LetterCache
from briefreader.letter_data import LETTER_FIELDS, letter_from_data, letter_to_data
from briefreader.load import load_letter
from briefreader.model import Dossier, Footnote, Letter, Note, Paragraph, Reference, Section, Signatory
from briefreader.ui.library import Library

IMPORTS = Path(__file__).parent / "import_fixtures"


def every_kind_of_letter() -> list[Path]:
    return [
        bundled_corpus() / f"{CORPUS_LETTER}.txt",  # with a sidecar
        *sorted(FIXTURES.glob("*.txt")),
        IMPORTS / "kst-21501-20-1850.xml",  # with its metadata
        IMPORTS / "kst-29362-412.xml",
    ]


def test_the_plain_data_form_holds_every_field_of_a_letter() -> None:
    assert LETTER_FIELDS == tuple(field.name for field in dataclasses.fields(Letter))
    full = Letter(
        source="a.txt", title="Titel", date=dt.date(2021, 8, 26), place="Den Haag", addressee="Aan de Voorzitter",
        dossiers=(Dossier("32317", "JBZ-Raad"), Dossier("21501-20")), number="703", session="2020-2021",
        signatories=(Signatory("De Minister", "A.B. de Vries"),),
        sections=(Section(None, (Paragraph("Eerste", "paragraph", (Note(1, 3),), 1),)),
                  Section("Kop", (Paragraph("• punt", "item", (), None),))),
        footnotes=(Footnote(1, "Zie kst", 2),),
        references=(Reference("32317", "703", "Kamerstuk 32 317, nr. 703", 0, None, 4, 29),),
        warnings=("let op",), tags=("jbz",), notes="mijn notitie", chamber="Tweede Kamer",
    )  # fmt: skip
    assert letter_from_data(json.loads(json.dumps(letter_to_data(full)))) == full


@pytest.mark.parametrize("path", every_kind_of_letter(), ids=lambda p: p.name)
def test_a_kept_letter_is_the_letter_a_fresh_parse_gives(tmp_path: Path, path: Path) -> None:
    cache = LetterCache(path.parent, tmp_path / "shown")
    signature = cache.signature(path)
    letter = load_letter(path)
    assert cache.save(path, letter, signature)
    kept = cache.load(path)
    assert kept is not None and kept.letter == letter


def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in (f"{CORPUS_LETTER}.txt", f"{CORPUS_LETTER}.yaml"):
        shutil.copy2(bundled_corpus() / name, folder / name)
    return folder / f"{CORPUS_LETTER}.txt"


def kept_now(letter_path: Path, folder: Path) -> Letter | None:
    kept = LetterCache(letter_path.parent, folder).load(letter_path)
    return kept.letter if kept is not None else None


def keep(letter_path: Path, folder: Path) -> Letter:
    cache = LetterCache(letter_path.parent, folder)
    signature = cache.signature(letter_path)
    letter = load_letter(letter_path)
    assert cache.save(letter_path, letter, signature)
    return letter


def test_a_changed_letter_or_sidecar_is_not_served_from_the_cache(tmp_path: Path) -> None:
    path = corpus_copy(tmp_path)
    folder = tmp_path / "shown"
    keep(path, folder)
    assert kept_now(path, folder) is not None
    # The letter edited, the same size and modification time as before: still a change.
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Hierbij", "HIERBIJ", 1), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    assert kept_now(path, folder) is None

    keep(path, folder)
    sidecar = path.with_suffix(".yaml")
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("title:", "title: Nieuw #", 1), encoding="utf-8")
    assert kept_now(path, folder) is None

    keep(path, folder)
    sidecar.unlink()
    assert kept_now(path, folder) is None
    # A sidecar that was not there when the letter was kept counts too.
    keep(path, folder)
    path.with_suffix(".yml").write_text("title: Andere titel\n", encoding="utf-8")
    assert kept_now(path, folder) is None
    assert load_letter(path).title == "Andere titel"


def test_only_the_letter_kept_is_served(tmp_path: Path) -> None:
    path = corpus_copy(tmp_path)
    other = path.with_name("2021-09-01-ander.txt")
    shutil.copy2(path, other)
    folder = tmp_path / "shown"
    keep(path, folder)
    assert kept_now(other, folder) is None
    keep(other, folder)  # one letter per corpus: the last shown
    assert kept_now(path, folder) is None
    assert kept_now(other, folder) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"format": 1', '"format": 99'),
        lambda text: text.split("\n")[0] + "\n[1, 2, 3]",
        lambda text: text.split("\n")[0] + '\n{"source": "x"}',
        lambda text: text.replace('"paragraph"', "7", 1),
        lambda text: text.split("\n")[0] + "\n" + "[" * 100000,
        lambda text: "\x00\xff garbage",
        lambda text: "!!python/object:os.system\n",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path, damage) -> None:
    path = corpus_copy(tmp_path)
    folder = tmp_path / "shown"
    letter = keep(path, folder)
    (stored,) = folder.glob("*.json")
    stored.write_text(damage(stored.read_text(encoding="utf-8")), encoding="utf-8", errors="surrogateescape")
    assert kept_now(path, folder) is None
    assert keep(path, folder) == letter
    assert kept_now(path, folder) == letter


def test_text_in_a_cache_file_is_made_visible_like_any_letter(tmp_path: Path) -> None:
    # A cache file is data from outside too: escape sequences written into it don't reach the terminal.
    path = corpus_copy(tmp_path)
    folder = tmp_path / "shown"
    keep(path, folder)
    (stored,) = folder.glob("*.json")
    key, body = stored.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    data[1] = "\x1b]52;c;aGFjaw==\x07[b]title[/b]"
    stored.write_text(key + "\n" + json.dumps(data), encoding="utf-8")
    letter = kept_now(path, folder)
    assert letter is not None
    assert "\x1b" not in letter.title and "\x07" not in letter.title and "␛" in letter.title


def test_only_the_most_recent_corpora_are_kept_and_nothing_else_is_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "shown"
    folder.mkdir()
    foreign = folder / "0123456789abcdef.json"
    foreign.write_text("not ours\n", encoding="utf-8")
    os.utime(foreign, (0, 0))
    path = corpus_copy(tmp_path)
    letter = load_letter(path)
    for n in range(MAX_CORPORA + 3):
        cache = LetterCache(tmp_path / f"corpus-{n}", folder)
        assert cache.save(path, letter, cache.signature(path))
        os.utime(cache.path, (n + 1, n + 1))
    kept = sorted(folder.glob("*.json"))
    assert foreign in kept
    assert len(kept) == MAX_CORPORA + 1
    assert LetterCache(tmp_path / "corpus-0", folder).path not in kept
    assert LetterCache(tmp_path / f"corpus-{MAX_CORPORA + 2}", folder).path in kept


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    path = corpus_copy(tmp_path)
    blocker = tmp_path / "shown"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    cache = LetterCache(path.parent, blocker)
    assert cache.save(path, load_letter(path), cache.signature(path)) is False
    assert cache.load(path) is None


def test_the_library_shows_the_kept_letter_without_parsing_it(tmp_path: Path) -> None:
    path = corpus_copy(tmp_path)
    folder = tmp_path / "shown"
    parsed: list[Path] = []

    def counting_load(letter_path: Path) -> Letter:
        parsed.append(letter_path)
        return load_letter(letter_path)

    def library() -> Library:
        return Library(path.parent, load_fn=counting_load, letter_cache=LetterCache(path.parent, folder))

    first = library()
    letter = first.load(CORPUS_LETTER)
    first.shown(CORPUS_LETTER)
    for thread in [t for t in threading.enumerate() if t.name == "letter-cache"]:
        thread.join()  # the write runs in a thread of its own
    assert parsed == [path]
    again = library().load(CORPUS_LETTER)
    assert again == letter and parsed == [path]
    # Edited since: parsed again, and the edit is what the reader gets.
    path.write_text(path.read_text(encoding="utf-8").replace("Hierbij", "Hiermee", 1), encoding="utf-8")
    changed = library().load(CORPUS_LETTER)
    assert len(parsed) == 2
    assert any(p.text.startswith("Hiermee informeer") for _i, _s, p in changed.paragraphs())
