"""The sync itself: list what the plan names, fetch what the corpus lacks or has in an older version.

`run_sync` is the one entry point (see the package docstring for its contract). It works in two
steps: first it lists every source, page by page, newest first (`briefreader.sync.listing`); then
it handles each publication found (`briefreader.sync.publication`): unchanged ones are skipped,
new ones stored, changed ones replaced (only files it wrote itself, proven by their SHA-256),
failures remembered for the next run. The state is saved every few seconds while letters arrive
and at the end, whatever ends the run; after a crash the next run goes on from there, recognising
the letters stored since the last save by their bytes. What it returns is `briefreader.sync.report`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefreader.store import CorpusFiles
from briefreader.sync.client import Cancelled, Client, FetchError, Unreachable
from briefreader.sync.listing import Candidate, ListingFailed, ListingSteps, retry_candidates
from briefreader.sync.plan import SyncPlan
from briefreader.sync.publication import PublicationSteps, remove_stale_temporaries
from briefreader.sync.report import LetterResult, SyncProgress, SyncReport
from briefreader.sync.state import SyncBusy, SyncLock, SyncState, load_state, state_path

__all__ = ["LetterResult", "SyncProgress", "SyncReport", "run_sync"]


@dataclass
class _Run(ListingSteps, PublicationSteps):
    """The mutable side of one run (its listing steps and its steps for each publication are mixed in)."""

    plan: SyncPlan
    corpus: Path
    client: Client
    state: SyncState
    progress: Callable[[SyncProgress], None]
    cancel: threading.Event | None
    dry_run: bool
    known: Mapping[str, str]
    files: CorpusFiles = field(init=False)
    results: list[LetterResult] = field(default_factory=list)
    left_out: int = 0
    odd: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    complete: list[tuple[str, str]] = field(default_factory=list)
    saved: float = 0.0

    def __post_init__(self) -> None:
        self.files = CorpusFiles(self.corpus)
        self.saved = time.monotonic()

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()


def run_sync(
    plan: SyncPlan,
    corpus: Path,
    *,
    client: Client | None = None,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: threading.Event | None = None,
    dry_run: bool = False,
    known: Mapping[str, str] | None = None,
    state_file: Path | None = None,
) -> SyncReport:
    """Bring `corpus` up to date with what `plan` names; never raises for network or data problems.

    `client` defaults to a new `HttpClient` (closed at the end); `progress` is called with
    `SyncProgress` values from the calling thread; setting `cancel` stops the sync at the next
    request or chunk (the report says `cancelled`). `known` maps Kamerstuk ids to the corpus letters
    that already hold them under another name (from the index), which are then not fetched.
    `state_file` overrides where the sync state lives (default: `state.state_path(corpus)`).
    """
    started = time.monotonic()
    corpus = Path(corpus).resolve()
    own_client = client is None
    if client is None:
        from briefreader.sync.client import HttpClient

        client = HttpClient()
    report_args: dict = {"corpus": corpus, "dry_run": dry_run}
    path = state_file or state_path(corpus)
    try:
        with SyncLock(path):
            state = load_state(corpus, path)
            run = _Run(plan, corpus, client, state, progress or (lambda _p: None), cancel, dry_run, known or {})
            notices = [state.notice] if state.notice else []
            if not dry_run:
                remove_stale_temporaries(corpus)
            try:
                _execute(run)
            except Cancelled:
                report_args["cancelled"] = True
            except Unreachable as error:
                report_args["error"] = str(error)
            finally:
                if not dry_run and (state.stored or state.failed or state.listings or state.notice):
                    state.save()
            report_args.update(
                results=tuple(run.results),
                left_out=run.left_out,
                odd=tuple(run.odd),
                problems=tuple(run.problems),
                notices=tuple(notices),
            )
    except SyncBusy as error:
        report_args["error"] = str(error)
    finally:
        if own_client:
            client.close()
    report = SyncReport(**report_args, requests=client.requests, seconds=time.monotonic() - started)
    if progress is not None:
        progress(SyncProgress("done", len(report.results), len(report.results)))
    return report


def _execute(run: _Run) -> None:
    taken: dict[str, Candidate] = {}
    for source in run.plan.sources:
        try:
            run.list_source(source, taken)
        except ListingFailed as error:
            run.problems.append(f"{source.label}: {error}")
        except FetchError as error:
            if isinstance(error, Unreachable):
                raise
            run.problems.append(f"{source.label}: {error}")
    candidates = list(taken.values())
    if not run.dry_run:
        candidates += retry_candidates(run.state, taken)
    total = len(candidates)
    for done, candidate in enumerate(candidates):
        run.check_cancel()
        label, identifier = candidate.source.label, candidate.record.identifier
        run.progress(SyncProgress("fetching", done, total, label, identifier))
        run.handle(candidate)
        run.progress(SyncProgress("fetching", done + 1, total, label, identifier, result=run.results[-1]))
    if not run.dry_run:
        # Every publication these listings found was handled (stored, skipped, or remembered as
        # failed, which the next run retries): next time, only what changed since is listed.
        for key, day in run.complete:
            run.state.listings[key] = day

