"""The sync itself: list what the plan names, fetch what the corpus lacks or has in an older version.

`run_sync` is the one entry point (see the package docstring for its contract). It works in two
steps: first it lists every source, page by page, newest first; then it handles each publication
found: unchanged ones are skipped, new ones stored, changed ones replaced (only files it wrote
itself, proven by their SHA-256), failures remembered for the next run. The state is saved every
few seconds while letters arrive and at the end, whatever ends the run; after a crash the next run
goes on from there, recognising the letters stored since the last save by their bytes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefreader.load import LETTER_SUFFIXES, METADATA_SUFFIX
from briefreader.store import (
    TEMP_PREFIX,
    Companion,
    CorpusFiles,
    NotOurs,
    digest,
    file_digest,
    remove_own,
    replace_file,
    store_new,
    write_new,
)
from briefreader.sync.client import Cancelled, Client, FetchError, Unreachable
from briefreader.sync.fetch import Download, DownloadFailed, download
from briefreader.sync.plan import Source, SyncPlan
from briefreader.sync.select import choose_files, display_title, is_letter, kamerstuk_problem
from briefreader.sync.sru import Record, SruError, parse_answer
from briefreader.sync.state import Failed, Stored, SyncBusy, SyncLock, SyncState, load_state, state_path

__all__ = ["LetterResult", "SyncProgress", "SyncReport", "run_sync"]

#: The largest SRU answer accepted (a page of 100 records is about half a megabyte).
MAX_ANSWER_BYTES = 20 * 1024 * 1024
#: A listing that was complete on day D asks next time for records modified since D minus this
#: many days: guards against the repository setting a modified date a day late, and against the
#: difference between its calendar day and ours.
MODIFIED_MARGIN_DAYS = 2
#: The most pages one listing may take (100,000 records at 100 a page): guards against a server
#: whose `nextRecordPosition` never ends.
MAX_PAGES = 1000
#: Seconds between two saves of the state while letters arrive (and once at the end): rewriting a
#: growing state file after every letter costs time quadratic in the corpus. A crash loses at most
#: these seconds of state; the next run finds those letters' files and, comparing them with the
#: publications, takes them as its own again (see `_Run.adopt_or_leave`).
STATE_SAVE_INTERVAL = 2.0
#: Temporary files of the sync in the corpus folder (hidden; removed at the start of the next sync).
SYNC_TAG = "sync"


@dataclass(frozen=True)
class SyncProgress:
    """What the sync is doing, for a progress bar.

    `phase` is `listing` (asking the repository; `done` records seen of `total` for `source`),
    `fetching` (`done` of `total` publications handled; `identifier` is the one now being fetched,
    or with `result` set, the one just handled) or `done`.
    """

    phase: str
    done: int
    total: int | None
    source: str | None = None
    identifier: str | None = None
    #: In the `fetching` phase, once a publication is handled: what happened to it.
    result: LetterResult | None = None


@dataclass(frozen=True)
class LetterResult:
    """What happened to one publication.

    `status`: `new`, `updated`, `skipped` (already in the corpus, unchanged, or left alone, see
    `note`), `failed` (`note` says why), or in a dry run `would-fetch` / `would-update`.
    `file` is the letter's file name in the corpus (when there is one).
    """

    identifier: str
    status: str
    title: str | None = None
    date: dt.date | None = None
    file: str | None = None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class SyncReport:
    """The outcome of one `run_sync`.

    `error` is set when the sync could not run or had to stop (no network, another sync running);
    `problems` are sources whose listing failed (a refused query, a broken answer) while others
    went on. `left_out` counts records that are no letters (kept out unless `all_types`), `odd`
    says which records were no usable Kamerstuk at all.
    """

    corpus: Path
    dry_run: bool = False
    results: tuple[LetterResult, ...] = ()
    left_out: int = 0
    odd: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    error: str | None = None
    cancelled: bool = False
    requests: int = 0
    seconds: float = 0.0

    def _with(self, status: str) -> tuple[LetterResult, ...]:
        return tuple(result for result in self.results if result.status == status)

    @property
    def new(self) -> tuple[LetterResult, ...]:
        return self._with("new")

    @property
    def updated(self) -> tuple[LetterResult, ...]:
        return self._with("updated")

    @property
    def skipped(self) -> tuple[LetterResult, ...]:
        return self._with("skipped")

    @property
    def failed(self) -> tuple[LetterResult, ...]:
        return self._with("failed")

    @property
    def planned(self) -> tuple[LetterResult, ...]:
        """In a dry run: what would be fetched (new or updated)."""
        return tuple(r for r in self.results if r.status in ("would-fetch", "would-update"))

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing stopped the sync."""
        return not (self.error or self.problems or self.failed or self.cancelled)


@dataclass
class _Candidate:
    record: Record
    source: Source


@dataclass
class _Run:
    """The mutable side of one run."""

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

    # --- listing ---------------------------------------------------------------------------

    def pages(self, source: Source, query: str) -> Iterator[list[Record]]:
        position = 1
        seen = 0
        for _ in range(MAX_PAGES):
            self.check_cancel()
            params = {
                "operation": "searchRetrieve",
                "version": "2.0",
                "query": query,
                "startRecord": str(position),
                "maximumRecords": str(self.plan.page_size),
                "recordSchema": "gzd",
            }
            answer = self.client.get(self.plan.base_url, params=params, max_bytes=MAX_ANSWER_BYTES, cancel=self.cancel)
            try:
                page = parse_answer(answer.data, answer.content_type)
            except SruError as error:
                raise _ListingFailed(f"{self.plan.base_url}: {error}") from None
            for odd in page.odd:
                self.odd.append(f"{source.label}: record {odd.position or '?'}: {odd.problem}; left out")
            seen += len(page.records) + len(page.odd)
            self.progress(SyncProgress("listing", seen, page.total, source.label))
            yield list(page.records)
            following = page.next_position
            if following is None or following <= position or not (page.records or page.odd):
                return
            position = following
        raise _ListingFailed(f"{self.plan.base_url}: more than {MAX_PAGES} pages for {source.label}; stopped listing")

    def list_source(self, source: Source, taken: dict[str, _Candidate]) -> None:
        key = self.plan.listing_key(source)
        modified_since = None
        last = self.state.listings.get(key)
        if last:
            try:
                modified_since = dt.date.fromisoformat(last) - dt.timedelta(days=MODIFIED_MARGIN_DAYS)
            except ValueError:
                modified_since = None
        query = source.cql(self.plan.since, self.plan.until, modified_since)
        started = dt.date.today()
        count = 0
        for records in self.pages(source, query):
            for record in records:
                problem = kamerstuk_problem(record)
                if problem:
                    self.odd.append(f"{source.label}: {problem}; left out")
                    continue
                if not self.plan.all_types and not is_letter(record):
                    self.left_out += 1
                    continue
                count += 1
                taken.setdefault(record.identifier, _Candidate(record, source))
                if self.plan.limit is not None and count >= self.plan.limit:
                    return  # a listing cut short is not complete: no `listings` entry
        self.complete.append((key, started.isoformat()))

    # --- one publication ---------------------------------------------------------------------

    def result(self, candidate: _Candidate, status: str, file: str | None = None, note: str | None = None, letter=None) -> None:
        record = candidate.record
        if status != "failed" and not self.dry_run:
            self.state.failed.pop(record.identifier, None)
        title = (letter.title if letter is not None and letter.title else None) or display_title(record)
        date = (letter.date if letter is not None and letter.date else None) or record.date
        self.results.append(LetterResult(record.identifier, status, title, date, file, note, candidate.source.label))

    def fail(self, candidate: _Candidate, problem: str) -> None:
        record = candidate.record
        self.state.failed[record.identifier] = Failed(
            problem=problem,
            at=_now(),
            version=record.version,
            title=record.title,
            date=record.date.isoformat() if record.date else None,
            urls=[[name, url] for name, url in record.urls],
        )
        self.result(candidate, "failed", note=problem)

    def same_named(self, identifier: str) -> Path | None:
        for suffix in LETTER_SUFFIXES:
            path = self.corpus / (identifier + suffix)
            if path.is_file():
                return path
        return None

    def handle(self, candidate: _Candidate) -> None:
        record = candidate.record
        identifier = record.identifier
        stored = self.state.stored.get(identifier)
        if stored is not None and (self.corpus / stored.file).is_file():
            if record.version is None or record.version == stored.version:
                self.result(candidate, "skipped", stored.file, "already in the corpus")
                return
            self.update(candidate, stored)
            return
        existing = self.same_named(identifier)
        if existing is not None:
            self.adopt_or_leave(candidate, existing)
            return
        if identifier in self.known:
            self.result(candidate, "skipped", self.known[identifier], f"already in the corpus as {self.known[identifier]}")
            return
        self.add(candidate)

    def fetch(self, candidate: _Candidate) -> Download | None:
        choice = choose_files(candidate.record, self.plan.base_url)
        if isinstance(choice, str):
            self.fail(candidate, choice)
            return None
        try:
            return download(candidate.record.identifier, choice, self.client, self.cancel)
        except DownloadFailed as error:
            self.fail(candidate, str(error))
        except FetchError as error:
            if isinstance(error, Unreachable):
                raise
            self.fail(candidate, str(error))
        return None

    def add(self, candidate: _Candidate) -> None:
        identifier = candidate.record.identifier
        if self.dry_run:
            self.result(candidate, "would-fetch")
            return
        fetched = self.fetch(candidate)
        if fetched is None:
            return
        twin = self.files.holding(fetched.data)
        if twin is not None:
            self.state.failed.pop(identifier, None)
            self.result(candidate, "skipped", twin.name, f"already in the corpus as {twin.name}", fetched.letter)
            return
        suffix = "." + fetched.kind
        companions = (Companion(METADATA_SUFFIX, fetched.metadata),) if fetched.metadata is not None else ()
        try:
            target = store_new(self.corpus, identifier, suffix, fetched.data, companions, tag=SYNC_TAG)
        except FileExistsError:
            self.fail(candidate, f"a file named {identifier}{suffix} or {identifier}{METADATA_SUFFIX} appeared in the corpus meanwhile; left as it is")
            return
        except OSError as error:
            self.fail(candidate, f"could not be written to {self.corpus} ({error.strerror or error})")
            return
        self.files.record(target, fetched.data)
        self.remember(candidate, fetched, target.name)
        self.result(candidate, "new", target.name, "; ".join(fetched.notes) or None, fetched.letter)

    def remember(self, candidate: _Candidate, fetched: Download, file: str) -> None:
        record = candidate.record
        letter = fetched.letter
        self.state.stored[record.identifier] = Stored(
            file=file,
            sha256=digest(fetched.data),
            version=record.version,
            fetched=_now(),
            metadata_file=record.identifier + METADATA_SUFFIX if fetched.metadata is not None else None,
            metadata_sha256=digest(fetched.metadata) if fetched.metadata is not None else None,
            title=letter.title or record.title,
            date=(letter.date or record.date).isoformat() if (letter.date or record.date) else None,
        )
        self.state.failed.pop(record.identifier, None)
        if time.monotonic() - self.saved >= STATE_SAVE_INTERVAL:
            self.state.save()
            self.saved = time.monotonic()

    def update(self, candidate: _Candidate, stored: Stored) -> None:
        identifier = candidate.record.identifier
        letter_path = self.corpus / stored.file
        try:
            if file_digest(letter_path) != stored.sha256:
                self.result(candidate, "skipped", stored.file, "a newer version is published, but you changed this file; left as it is")
                return
        except OSError as error:
            self.fail(candidate, f"{letter_path}: can't be read ({error.strerror or error})")
            return
        if self.dry_run:
            self.result(candidate, "would-update", stored.file)
            return
        fetched = self.fetch(candidate)
        if fetched is None:
            return
        notes = list(fetched.notes)
        new_name = identifier + "." + fetched.kind
        try:
            if fetched.metadata is not None:
                meta_path = self.corpus / (identifier + METADATA_SUFFIX)
                if stored.metadata_file and stored.metadata_sha256 and meta_path.is_file():
                    try:
                        replace_file(meta_path, fetched.metadata, stored.metadata_sha256, tag=SYNC_TAG)
                    except NotOurs:
                        notes.append(f"{meta_path.name} was changed by you; left as it is")
                elif not meta_path.exists():
                    write_new(meta_path, fetched.metadata, tag=SYNC_TAG)
            if new_name == stored.file:
                replace_file(letter_path, fetched.data, stored.sha256, tag=SYNC_TAG)
            else:
                # Published in another format now (the XML appeared beside the PDF): the new file
                # first, then the old one goes, since it was ours.
                write_new(self.corpus / new_name, fetched.data, tag=SYNC_TAG)
                remove_own(letter_path, stored.sha256)
                self.files.forget(letter_path)
        except NotOurs as error:
            self.result(candidate, "skipped", stored.file, f"{error}")
            return
        except OSError as error:
            self.fail(candidate, f"could not be written to {self.corpus} ({error.strerror or error})")
            return
        self.files.record(self.corpus / new_name, fetched.data)
        self.remember(candidate, fetched, new_name)
        self.result(candidate, "updated", new_name, "; ".join(notes) or None, fetched.letter)

    def adopt_or_leave(self, candidate: _Candidate, existing: Path) -> None:
        """A file named after the publication, which the state does not know: a sync stopped right
        after writing it, or the user's own. The same bytes as the publication make it ours again."""
        if self.dry_run:
            self.result(candidate, "skipped", existing.name, "already in the corpus (not checked in a dry run)")
            return
        fetched = self.fetch(candidate)
        if fetched is None:
            return
        try:
            same = file_digest(existing) == digest(fetched.data)
        except OSError:
            same = False
        if same and existing.suffix == "." + fetched.kind:
            meta_path = self.corpus / (candidate.record.identifier + METADATA_SUFFIX)
            if fetched.metadata is not None and not meta_path.exists():
                try:
                    write_new(meta_path, fetched.metadata, tag=SYNC_TAG)
                except OSError:
                    pass  # the letter is there and whole; its metadata comes with the next update
            metadata_ok = meta_path.is_file() and fetched.metadata is not None and file_digest(meta_path) == digest(fetched.metadata)
            self.remember(
                candidate,
                fetched if metadata_ok else Download(fetched.kind, fetched.data, None, fetched.letter, fetched.notes),
                existing.name,
            )
            self.result(candidate, "skipped", existing.name, "already in the corpus", fetched.letter)
        else:
            self.result(candidate, "skipped", existing.name, f"{existing.name} is already in the corpus and differs from the publication; left as it is")


class _ListingFailed(Exception):
    """One source's listing could not be read (its message is one line); the others go on."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _remove_stale_temporaries(corpus: Path) -> None:
    """Hidden temporary files a killed sync left in the corpus: only ours, by their name."""
    prefix = f"{TEMP_PREFIX}{SYNC_TAG}-"
    try:
        entries = list(corpus.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.is_file():
            entry.unlink(missing_ok=True)


def _retry_candidates(state: SyncState, taken: dict[str, _Candidate]) -> list[_Candidate]:
    """Publications that failed last time and that this run's listings did not bring up again."""
    retry = []
    label = Source("retry", "an earlier failure")
    for identifier, failed in state.failed.items():
        if identifier in taken or not failed.urls:
            continue
        record = Record(
            identifier=identifier,
            title=failed.title,
            date=dt.date.fromisoformat(failed.date) if failed.date else None,
            version=failed.version,
            urls=tuple((str(name), str(url)) for name, url in failed.urls if isinstance(name, str) and isinstance(url, str)),
        )
        retry.append(_Candidate(record, label))
    return retry


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
                _remove_stale_temporaries(corpus)
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
    taken: dict[str, _Candidate] = {}
    for source in run.plan.sources:
        try:
            run.list_source(source, taken)
        except _ListingFailed as error:
            run.problems.append(f"{source.label}: {error}")
        except FetchError as error:
            if isinstance(error, Unreachable):
                raise
            run.problems.append(f"{source.label}: {error}")
    candidates = list(taken.values())
    if not run.dry_run:
        candidates += _retry_candidates(run.state, taken)
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

