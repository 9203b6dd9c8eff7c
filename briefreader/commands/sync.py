"""`briefreader sync [--dossier D]... [--query TEXT]... [options]`: fetch letters from the official repository.

Lists the Kamerstukken of the dossiers and queries named (or, with neither, of the config's
`watch:` list) newest first, stores the letters the corpus lacks or holds in an older version,
and brings the index up to date. The work is `briefreader.sync.run_sync`; this module turns the
options into a plan and the report into lines. One Ctrl+C stops after the current request (what
was stored is kept), a second stops at once.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import signal
import threading
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

from briefreader.cli import UsageError
from briefreader.config import load_config
from briefreader.terminal import console, error_line

#: Lines for records that are no usable Kamerstuk, at most; the rest is counted.
ODD_LINES = 5

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _date(text: str, end: bool) -> dt.date:
    """`2024`, `2024-05` or `2024-05-01`; a year or month means its first day (`end`: its last)."""
    match = _DATE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day is not None:
            return dt.date(year, int(month), int(day))
        if month is not None:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), last if end else 1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except (ValueError, calendar.IllegalMonthError):
        raise argparse.ArgumentTypeError(f"`{text}` is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a positive whole number")
    return value


def _url(text: str) -> str:
    if not text.strip().lower().startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"`{text}` is not an http(s) URL")
    return text.strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader sync`."""
    parser.add_argument(
        "--dossier",
        action="append",
        default=[],
        metavar="D",
        help="a dossier number (32317, 32 317, 21501-20, 36410-VI); repeat for several",
    )
    parser.add_argument(
        "--query", action="append", default=[], metavar="TEXT", help="words to find in the repository's full text; repeat for several"
    )
    parser.add_argument("--since", type=lambda t: _date(t, end=False), metavar="DATE", help="only documents dated on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY)")
    parser.add_argument("--until", type=lambda t: _date(t, end=True), metavar="DATE", help="only documents dated on or before DATE")
    parser.add_argument("--limit", type=_positive, metavar="N", help="at most the N newest documents of each dossier or query")
    parser.add_argument("--all", action="store_true", dest="all_types", help="every Kamerstuk of the dossier, not only letters")
    parser.add_argument("-n", "--dry-run", action="store_true", help="list what would be fetched, fetch nothing")
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="the corpus folder, or a corpus name from the config file "
        "(default: the config's default corpus, else the user data folder, see README)",
    )
    parser.add_argument("--index", metavar="DIR", help="where the search index lives (default: the user cache)")
    parser.add_argument("--base-url", type=_url, metavar="URL", help="the SRU service to ask (default: the config's sync.base_url, else the official repository)")


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


_STATUS = {
    "new": ("new      ", "green"),
    "updated": ("updated  ", "cyan"),
    "failed": ("failed   ", "red"),
    "skipped": ("skipped  ", "dim"),
    "would-fetch": ("would get", "cyan"),
    "would-update": ("would upd", "cyan"),
}


def result_line(result) -> Text:
    """One line per publication: what happened, the date, the id (or file), the title, a note."""
    label, style = _STATUS[result.status]
    line = Text()
    line.append(label + " ", style=style)
    line.append(f"{result.date.isoformat() if result.date else '----------'}  ", style="cyan")
    line.append(result.identifier, style="green" if result.status in ("new", "updated") else "")
    line.append("  ")
    line.append(result.title or "(no title)", style="bold" if result.title else "dim")
    if result.note:
        line.append(f"  ({result.note})", style="red" if result.status == "failed" else "dim")
    return line


def _interesting(result) -> bool:
    """Skipped publications get a line only when something about them needs the user's eye."""
    return result.status != "skipped" or not (result.note or "").startswith("already in the corpus")


class _Display:
    """The progress bar (terminal only) and the lines printed above it as publications are handled."""

    def __init__(self, out: Console, err: Console) -> None:
        self.out = out
        self.err = err
        bar_console = out if out.is_terminal else err
        self.progress: Progress | None = None
        if bar_console.is_terminal:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[current]}", style="dim"),
                console=bar_console,
                transient=True,
            )
            self.task = self.progress.add_task("Asking the repository", total=None, current="")

    def say(self, message: Text) -> None:
        """A message above the bar (on its console), or on stderr when there is no bar."""
        (self.progress.console if self.progress is not None else self.err).print(message)

    def __enter__(self) -> _Display:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, update) -> None:
        if update.result is not None and _interesting(update.result):
            self.out.print(result_line(update.result), soft_wrap=True)
        if self.progress is None:
            return
        if update.phase == "listing":
            self.progress.update(self.task, description=f"Listing {update.source}", completed=update.done, total=update.total, current="")
        elif update.phase == "fetching":
            self.progress.update(self.task, description="Fetching", completed=update.done, total=update.total, current=update.identifier or "")


def _known_letters(index) -> dict[str, str]:
    """Kamerstuk id -> corpus letter id, for letters already in the index."""
    from briefreader.links import own_kst_id

    known: dict[str, str] = {}
    for info in index.letters():
        kst_id = own_kst_id(info)
        if kst_id:
            known.setdefault(kst_id, info.id)
    return known


def _cancel_on_interrupt(cancel: threading.Event, say: Callable[[Text], None]) -> Callable[[], None]:
    """First Ctrl+C: set `cancel` (stop after the current request); the second: stop at once.
    Returns the function that puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum, frame):
        if cancel.is_set():
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        cancel.set()
        say(Text("Stopping after the current request… (Ctrl+C again to stop at once)", style="yellow"))

    signal.signal(signal.SIGINT, handler)
    return lambda: signal.signal(signal.SIGINT, previous)


def run(args: argparse.Namespace) -> int:
    """Sync; exit status 0 when everything was fetched or already there, 1 when anything failed, 2 for bad usage."""
    from briefreader.commands.add import target_corpus
    from briefreader.sync.cql import DossierError
    from briefreader.sync.plan import make_plan, plan_from_config

    out = console(soft_wrap=True)
    err = console(stderr=True, soft_wrap=True)
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    options = dict(since=args.since, until=args.until, limit=args.limit, all_types=args.all_types)
    folder = target_corpus(args.corpus, err)  # prints the config's warnings
    config = load_config()
    if args.dossier or args.query:
        try:
            plan = make_plan(args.dossier, args.query, base_url=args.base_url or config.sync_base_url, **options)
        except DossierError as error:
            raise UsageError(f"--dossier {error}") from None
    else:
        plan = plan_from_config(config, base_url=args.base_url, **options)
        if not plan.sources:
            raise UsageError(
                f"nothing to sync: name --dossier or --query, or list them in {config.path} "
                "(watch: {dossiers: [32317], queries: [stikstof]})"
            )

    index = None
    known: dict[str, str] = {}
    if folder.is_dir():
        from briefreader.commands.index import refresh_index
        from briefreader.index import open_index

        index = open_index(folder, args.index)
        refresh_index(index, err, quiet=True)
        known = _known_letters(index)

    from briefreader.sync.run import run_sync

    cancel = threading.Event()
    display = _Display(out, err)
    restore = _cancel_on_interrupt(cancel, display.say)
    try:
        with display:
            report = run_sync(plan, folder, progress=display, cancel=cancel, dry_run=args.dry_run, known=known)
    except KeyboardInterrupt:
        error_line("briefreader: sync stopped; what was stored is kept, run it again to go on")
        return 130
    finally:
        restore()

    for notice in report.notices:
        err.print(Text("warning: " + notice, style="yellow"))
    for line in report.odd[:ODD_LINES]:
        err.print(Text("warning: " + line, style="yellow"))
    if len(report.odd) > ODD_LINES:
        err.print(Text(f"warning: and {len(report.odd) - ODD_LINES} more records that are no usable Kamerstuk", style="yellow"))
    for problem in report.problems:
        error_line(f"briefreader: {problem}")
    if report.error:
        error_line(f"briefreader: {report.error}")

    err.print(_summary(report, plan, folder))
    stored = bool(report.new or report.updated)
    if not args.dry_run and (stored or (index is not None and not report.error)) and folder.is_dir():
        from briefreader.commands.index import refresh_index
        from briefreader.index import open_index

        # The corpus was indexed just before: only the letters stored now are looked at (at
        # 100,000 letters a scan of the corpus takes seconds).
        only = None if index is None else report.stored
        index = index or open_index(folder, args.index)
        refreshed = refresh_index(index, err, quiet=True, only=only)
        err.print(Text(f"Index up to date: {_count(refreshed.letters, 'letter')}", style="dim"))
    if report.cancelled:
        return 130
    return 0 if report.ok else 1


def _summary(report, plan, folder) -> Text:
    what = ", ".join(source.label for source in plan.sources[:3]) + (f" and {len(plan.sources) - 3} more" if len(plan.sources) > 3 else "")
    line = Text(style="dim")
    if report.dry_run:
        line.append(
            f"dry run ({what}): {len([r for r in report.planned if r.status == 'would-fetch'])} would be fetched, "
            f"{len([r for r in report.planned if r.status == 'would-update'])} updated, "
            f"{len(report.skipped)} already in the corpus"
        )
    elif report.error and not (report.new or report.updated):
        line.append(f"Nothing synced ({what}): see the error above")
    elif not (report.new or report.updated or report.skipped or report.failed or report.error or report.problems):
        line.append(f"{'Stopped' if report.cancelled else 'Synced'} {what} into {folder}: nothing new")
    else:
        line.append(
            f"{'Stopped' if report.cancelled else 'Synced'} {what} into {folder}: {len(report.new)} new, {len(report.updated)} updated, "
            f"{len(report.skipped)} skipped, {len(report.failed)} failed"
        )
    if report.left_out:
        line.append(f"; {_count(report.left_out, 'document')} that {'is' if report.left_out == 1 else 'are'} no letter left out (--all takes them)")
    line.append(f" ({_count(report.requests, 'request')}, {report.seconds:.1f} s)")
    return line
