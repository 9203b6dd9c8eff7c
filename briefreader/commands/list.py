"""`briefreader list [--corpus DIR] [--index DIR] [--json]`: the letters of a corpus, newest first.

One line per letter: date, id, title, then the Kamerstuk, tags and how many corpus letters cite it.
Everything comes from the index (refreshed first if letters were added or changed), so listing a
large corpus parses nothing that has not changed.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from briefreader.commands.index import add_corpus_arguments, open_corpus_index, refresh_for_reading
from briefreader.index import LetterInfo, letter_info
from briefreader.links import cited_by_map, kst_map, own_kst_id
from briefreader.model import LetterError
from briefreader.terminal import console, dump_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader list`."""
    add_corpus_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the letters and their metadata as a JSON list")


def corpus_infos(args: argparse.Namespace, err: Console) -> tuple[Any, list]:
    """The index of the corpus the options name, refreshed, and its letter infos (newest first).

    Without an index and a cache to make one in, the letters are read from their files (with a
    warning).
    """
    index = open_corpus_index(args, err)
    problem = refresh_for_reading(index, err)
    if problem is None:
        return index, index.letters()
    err.print(Text(f"warning: {problem}; reading the letters without an index", style="yellow"), soft_wrap=True)
    return index, letters_without_index(index.corpus_dir, err)


def letters_without_index(corpus_dir: Path, err: Console) -> list[LetterInfo]:
    """Every readable letter of the corpus, parsed now, newest first (a letter that can't be
    read is a warning)."""
    from briefreader.corpus import scan_corpus
    from briefreader.load import load_letter

    infos = []
    for letter_file in scan_corpus(corpus_dir).letters.values():
        try:
            infos.append(letter_info(letter_file.id, letter_file.path, load_letter(letter_file.path)))
        except LetterError as error:
            err.print(Text(f"warning: {error}", style="yellow"), soft_wrap=True)
    infos.sort(key=lambda info: info.id)
    infos.sort(key=lambda info: info.date or "", reverse=True)
    return infos


def info_dict(info: Any, cited_by: list[str], targets: dict[str, str]) -> dict[str, Any]:
    """The JSON shape of one letter in `briefreader list --json`."""
    return {
        "id": info.id,
        "path": str(info.path),
        "title": info.title,
        "date": info.date,
        "kst_id": own_kst_id(info),
        "dossiers": [{"number": number, "title": title} for number, title in info.dossiers],
        "number": info.number,
        "signatories": [{"function": function, "name": name} for function, name in info.signatories],
        "tags": list(info.tags),
        "sections": [section.title for section in info.sections if section.title],
        "paragraphs": info.paragraphs,
        "footnotes": info.footnotes,
        "cites": [{"kst_id": kst_id, "target": targets.get(kst_id)} for kst_id in info.cites],
        "cited_by": cited_by,
        "warnings": list(info.warnings),
    }


def _line(info: Any, cited: int, width: int | None) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{info.date or '----------':<10}  ", style="cyan")
    line.append(info.id, style="green")
    line.append("  ")
    line.append(info.title or "(no title)", style="bold" if info.title else "dim")
    extra = []
    kst_id = own_kst_id(info)
    if kst_id and kst_id != info.id:
        extra.append(kst_id)
    if info.tags:
        extra.append("tags: " + ", ".join(info.tags))
    if cited:
        extra.append(f"cited by {cited}")
    if extra:
        line.append("  [" + "; ".join(extra) + "]", style="dim")
    if width is not None:
        line.truncate(width, overflow="ellipsis")
    return line


def run(args: argparse.Namespace) -> int:
    """Print the corpus's letters, newest first (undated last)."""
    err = console(stderr=True)
    index, infos = corpus_infos(args, err)
    cited = cited_by_map(infos)
    if args.json:
        targets = kst_map(infos)
        dump_json([info_dict(info, cited[info.id], targets) for info in infos])
        return 0
    out = console(soft_wrap=True)
    width = shutil.get_terminal_size().columns if out.is_terminal else None
    for info in infos:
        out.print(_line(info, len(cited[info.id]), width))
    summary = Text(f"{len(infos)} letter{'' if len(infos) == 1 else 's'} in ", style="dim")
    summary.append(str(index.corpus_dir), style="dim")
    err.print(summary)
    return 0
