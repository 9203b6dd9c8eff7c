"""An unreadable corpus folder: the reader says so, naming the folder, instead of "No letters"."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ui_fixtures.helpers import screen_text, settle, wait_for

from briefreader.cli import main
from briefreader.corpus import bundled_corpus
from briefreader.ui.app import ReaderApp
from briefreader.ui.library import Library


def unlistable(folder: Path, monkeypatch) -> None:
    """Permission denied on listing `folder` (chmod; as root, which chmod can't stop, by patching scandir)."""
    if os.geteuid() != 0:
        folder.chmod(0)
        return
    real_scandir = os.scandir

    def guarded(path=".", *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and Path(path).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", guarded)


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "brieven"
    shutil.copytree(bundled_corpus(), folder)
    return folder


def test_the_reader_on_an_unreadable_folder_is_one_line_naming_it(tmp_path, monkeypatch, capsys) -> None:
    folder = corpus(tmp_path)
    unlistable(folder, monkeypatch)
    try:
        for args in ([str(folder)], ["--corpus", str(folder)]):
            assert main([*args, "--index", str(tmp_path / "idx")]) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "Traceback" not in err
            assert str(folder) in err and "can't be read (Permission denied)" in err
    finally:
        folder.chmod(0o755)


async def test_a_folder_that_becomes_unreadable_is_named_in_the_reader(tmp_path, monkeypatch) -> None:
    folder = corpus(tmp_path)
    unlistable(folder, monkeypatch)
    try:
        app = ReaderApp(Library(folder, None), refresh_index=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await wait_for(pilot, lambda: "corpus folder can't be read (Permission denied)" in screen_text(app), "the reason")
            assert "No letters" not in screen_text(app)
    finally:
        folder.chmod(0o755)


async def test_a_single_letter_opens_when_the_cache_is_a_file(tmp_path, monkeypatch) -> None:
    from briefreader.commands.app import build_app

    cache = tmp_path / "cache"
    cache.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    letter = next(bundled_corpus().glob("*.txt"))
    app = build_app(letter)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        # The notice first: it is a toast, gone after a few seconds.
        # (Its start only: where the long path makes the toast wrap depends on the folder's name.)
        await wait_for(pilot, lambda: "Index not updated: " in screen_text(app), "the cache notice")
        assert "CacheUnwritable" not in screen_text(app)
        await wait_for(pilot, lambda: "Hierbij informeer ik uw Kamer" in screen_text(app), "the letter")
    assert cache.read_text(encoding="utf-8") == "not a folder"
