"""`briefreader index [--corpus DIR] [--index DIR] [--rebuild] [--json]`: bring the index up to date.

The index is a cache in the user's cache directory (one per corpus folder); `briefreader search`
and the reader refresh it on their own, so this command is for scripts, for a first build of a big
corpus with a progress bar, and for `--rebuild`.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from briefreader.cli import UsageError
from briefreader.config import load_config
from briefreader.corpus import CorpusError, letter_id, resolve_corpus
from briefreader.index import CacheUnwritable, CorpusIndex, IndexLocked, RefreshReport, open_index
from briefreader.terminal import console, dump_json, error_line

#: Show a progress bar when at least this many letters are to be indexed (and stderr is a terminal).
PROGRESS_THRESHOLD = 25


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader index`."""
    add_corpus_arguments(parser)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    parser.add_argument("--json", action="store_true", help="print what was done as JSON")


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """`--corpus` and `--index`, shared by the commands that use the index."""
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="the corpus folder, or a corpus name from the config file (default: the config's default, else the bundled corpus)",
    )
    parser.add_argument("--index", metavar="DIR", help="where the search index lives (default: the user cache)")


def open_corpus_index(args: argparse.Namespace, err: Console) -> CorpusIndex:
    """The index of the corpus the options name; bad options become a UsageError (exit 2)."""
    config = load_config()
    for warning in config.warnings:
        err.print(Text("warning: " + warning, style="yellow"), soft_wrap=True)
    try:
        corpus = resolve_corpus(args.corpus)
        return open_index(corpus, args.index)
    except CorpusError as error:
        raise UsageError(str(error)) from None


def refresh_index(
    index: CorpusIndex,
    err: Console,
    *,
    rebuild: bool = False,
    quiet: bool = False,
    only: Collection[str] | None = None,
    wait: float | None = None,
) -> RefreshReport:
    """Refresh with a progress bar on stderr (large jobs, terminals only) and one-line warnings.

    Letters that can't be indexed are named on stderr; `quiet` leaves out the ones already
    reported by an earlier run. `only`: the ids of the letters the caller wrote or removed (see
    `CorpusIndex.refresh`). `wait`: at most this long for another process's update (then a
    UsageError saying so), else as long as it takes.
    """

    def waiting() -> None:
        err.print(Text(f"Waiting for another briefreader process that is updating the index ({index.index_dir})…", style="dim"), soft_wrap=True)

    progress: Progress | None = None
    task = None

    def step(done: int, total: int) -> None:
        nonlocal progress, task
        if progress is None and total >= PROGRESS_THRESHOLD and err.is_terminal:
            progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            progress.start()
            task = progress.add_task("Indexing letters", total=total)
        if progress is not None and task is not None:
            # Once every letter is indexed, Whoosh merges and writes the index: minutes at 100,000
            # letters, during which the bar would otherwise stand still at its end.
            described = "Writing the index to disk (this can take a while)" if done >= total else "Indexing letters"
            progress.update(task, completed=done, description=described)

    try:
        report = index.refresh(progress=step, rebuild=rebuild, on_wait=waiting, only=only, wait=wait)
    except IndexLocked as error:
        raise UsageError(str(error)) from None
    except CorpusError as error:
        raise UsageError(str(error)) from None
    finally:
        if progress is not None:
            progress.stop()
    if report.notice:
        err.print(Text(report.notice, style="yellow"), soft_wrap=True)
    for _path, warning in report.file_warnings:
        err.print(Text(f"warning: {warning}", style="yellow"), soft_wrap=True)
    new = set(report.added) | set(report.changed)
    for path, problem in report.skipped:
        if quiet and letter_id(path) not in new and not report.rebuilt:
            continue
        err.print(Text(f"warning: {path}: {problem} (not indexed)", style="yellow"), soft_wrap=True)
    return report


def refresh_for_reading(index: CorpusIndex, err: Console) -> str | None:
    """Bring the index up to date before reading it, if the cache can be written.

    With an index folder that can't be written (read-only, a file in the way, a full disk), one
    warning line, and the index as it is is read (it may be out of date). Returns None when there
    is an index to read, else the problem (there is none, and none can be made).
    """
    try:
        refresh_index(index, err, quiet=True)
    except CacheUnwritable as error:
        if index.exists():
            err.print(Text(f"warning: {error}; using the index as it is (it may be out of date)", style="yellow"), soft_wrap=True)
            return None
        return str(error)
    return None


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def report_dict(index: CorpusIndex, report: RefreshReport) -> dict:
    """The JSON shape of `briefreader index --json`."""
    return {
        "corpus": str(index.corpus_dir),
        "index": str(index.index_dir),
        "letters": report.letters,
        "added": list(report.added),
        "changed": list(report.changed),
        "removed": list(report.removed),
        "skipped": [{"file": path, "problem": problem} for path, problem in report.skipped],
        "rebuilt": report.rebuilt,
        "notice": report.notice,
        "seconds": round(report.seconds, 3),
        "size": index.size_bytes(),
    }


def run(args: argparse.Namespace) -> int:
    """Refresh (or rebuild) the index and say what changed."""
    err = console(stderr=True)
    index = open_corpus_index(args, err)
    try:
        report = refresh_index(index, err, rebuild=args.rebuild)
    except CacheUnwritable as error:
        error_line(f"briefreader: index: {error}")
        return 1
    if args.json:
        dump_json(report_dict(index, report))
        return 0
    out = console()
    line = Text()
    line.append("Index up to date: ", style="bold")
    line.append(f"{report.letters} letter{'' if report.letters == 1 else 's'}")
    changes = f" ({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed"
    if report.skipped:
        changes += f", {len(report.skipped)} skipped"
    changes += "; rebuilt" if report.rebuilt else ""
    line.append(f"{changes}) in {report.seconds:.1f} s")
    out.print(line, soft_wrap=True)
    detail = Text(style="dim")
    detail.append("corpus ")
    detail.append(str(index.corpus_dir))
    detail.append("\nindex  ")
    detail.append(f"{index.index_dir} ({_size(index.size_bytes())})")
    out.print(detail, soft_wrap=True)
    return 0
