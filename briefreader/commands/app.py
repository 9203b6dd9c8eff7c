"""`briefreader [PATH] [--corpus DIR] [--index DIR]`: open the reader.

PATH is a corpus folder or one letter file; without it the bundled corpus (or `--corpus DIR`) opens.
Textual is imported only here and in briefreader.ui, so the other subcommands never pay for it.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import tempfile
from pathlib import Path

from briefreader.model import LetterError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The reader's options."""
    parser.add_argument("path", nargs="?", metavar="PATH", help="a corpus folder or a single letter file")
    parser.add_argument("--corpus", metavar="DIR", help="the corpus folder (default: the bundled corpus)")
    parser.add_argument("--index", metavar="DIR", help="where the search index lives (default: the user cache)")


def _single_letter_corpus(path: Path) -> tuple[Path, dict[Path, Path]]:
    """A private corpus in the cache holding only `path` (and its sidecar), linked, never copied over.

    Opening one file must not index the whole folder it sits in (think of ~/Downloads), and must not
    write anything beside the user's letter. So the corpus is a folder in the cache with a link to
    the file; the index of that folder is the index of this one letter. Also returns which link
    stands for which of the user's files, so messages name the user's files, not the links.

    When the cache can't be written (no permission, a file in the way, a full disk), the links go
    in a temporary folder of our own, removed at exit; the letter is then read without an index.
    """
    import hashlib

    from platformdirs import user_cache_dir

    path = path.resolve()
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:16]
    folder = Path(user_cache_dir("briefreader")) / "single" / digest
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return _link_letter(path, folder)
    except OSError:
        temporary = Path(tempfile.mkdtemp(prefix="briefreader-letter-"))
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)  # links only: the letter stays
        return _link_letter(path, temporary)


def _link_letter(path: Path, folder: Path) -> tuple[Path, dict[Path, Path]]:
    """Links in `folder` to the letter `path` and its companions (sidecar, metadata); old links go."""
    wanted = {path.name: path}
    from briefreader.sidecar import sidecar_path

    sidecar = sidecar_path(path)
    if sidecar is not None:
        wanted[sidecar.name] = sidecar.resolve()
    from briefreader.load import METADATA_SUFFIX, metadata_path

    metadata = metadata_path(path) if path.suffix.lower() == ".xml" else None
    if metadata is not None:
        wanted[path.stem + METADATA_SUFFIX] = metadata.resolve()
    for entry in folder.iterdir():
        if entry.name not in wanted and entry.is_symlink():
            entry.unlink()
    for name, target in wanted.items():
        link = folder / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    return folder, {folder / name: target for name, target in wanted.items()}


def build_app(
    path: str | Path | None = None,
    *,
    corpus: str | Path | None = None,
    index_dir: str | Path | None = None,
    refresh_index: bool = True,
):
    """The reader app for a corpus folder or one letter file (the CLI and the tests both use this).

    Raises LetterError (one line: the path and the problem) when PATH can't be used, CorpusError
    when --corpus (or the config's default corpus) can't.
    """
    from briefreader.corpus import check_listable, letter_id, resolve_corpus

    start: str | None = None
    aliases: dict[Path, Path] = {}
    first = None
    if path is not None and corpus is not None:
        raise LetterError(str(path), "give a PATH or --corpus, not both")
    target = Path(path) if path is not None else None
    if target is None:
        # --corpus takes a folder or a corpus name from the config; neither: the default corpus.
        corpus_dir = resolve_corpus(corpus)
    elif not target.exists():
        raise LetterError(str(target), "no such file or folder")
    elif target.is_dir():
        corpus_dir = target
    else:
        from briefreader.load import load_letter

        # Parsed now, from the user's own path: a file that is no letter is one line naming it
        # (not the link in the cache), before any screen opens. The reader then shows this parse.
        first = load_letter(target)
        corpus_dir, aliases = _single_letter_corpus(target)
        start = letter_id(target)

    check_listable(corpus_dir)

    from briefreader.ui.app import ReaderApp
    from briefreader.ui.library import Library

    # The letter list is read once the first screen is drawn (100,000 letters: half a second).
    library = Library.open(corpus_dir, Path(index_dir) if index_dir is not None else None, aliases=aliases, list_now=False)
    if start is not None and library.lookup(start) is None:
        start = None
    if start is not None and first is not None:
        library.keep(start, first)
    return ReaderApp(library, start=start, refresh_index=refresh_index)


def run(args: argparse.Namespace) -> int:
    """Open the reader; returns when the user quits."""
    app = build_app(args.path, corpus=args.corpus, index_dir=args.index)
    app.run()
    return int(app.return_code or 0)
