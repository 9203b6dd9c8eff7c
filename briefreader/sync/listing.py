"""Listing: asking the repository for the records of each source, page by page, newest first.

`ListingSteps` is the listing half of one run (`briefreader.sync.run`): it pages through a
source's SRU answers, keeps the records that are letters (or every Kamerstuk with `all_types`) as
`Candidate`s, and notes which listings were complete, so the next run asks only for what changed
since. `retry_candidates` brings back the publications that failed last time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from briefreader.sync.plan import Source
from briefreader.sync.report import SyncProgress
from briefreader.sync.select import is_letter, kamerstuk_problem
from briefreader.sync.sru import Record, SruError, parse_answer
from briefreader.sync.state import SyncState

#: The largest SRU answer accepted (a page of 100 records is about half a megabyte).
MAX_ANSWER_BYTES = 20 * 1024 * 1024
#: A listing that was complete on day D asks next time for records modified since D minus this
#: many days: guards against the repository setting a modified date a day late, and against the
#: difference between its calendar day and ours.
MODIFIED_MARGIN_DAYS = 2
#: The most pages one listing may take (100,000 records at 100 a page): guards against a server
#: whose `nextRecordPosition` never ends.
MAX_PAGES = 1000


@dataclass
class Candidate:
    """A publication a listing found (or an earlier failure to retry), with the source that named it."""

    record: Record
    source: Source


class ListingFailed(Exception):
    """One source's listing could not be read (its message is one line); the others go on."""


class ListingSteps:
    """The listing steps of a run (mixed into `briefreader.sync.run._Run`, whose fields they use:
    `plan`, `client`, `state`, `cancel`, `progress`, `odd`, `left_out`, `complete`)."""

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
                raise ListingFailed(f"{self.plan.base_url}: {error}") from None
            for odd in page.odd:
                self.odd.append(f"{source.label}: record {odd.position or '?'}: {odd.problem}; left out")
            seen += len(page.records) + len(page.odd)
            self.progress(SyncProgress("listing", seen, page.total, source.label))
            yield list(page.records)
            following = page.next_position
            if following is None or following <= position or not (page.records or page.odd):
                return
            position = following
        raise ListingFailed(f"{self.plan.base_url}: more than {MAX_PAGES} pages for {source.label}; stopped listing")

    def list_source(self, source: Source, taken: dict[str, Candidate]) -> None:
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
                taken.setdefault(record.identifier, Candidate(record, source))
                if self.plan.limit is not None and count >= self.plan.limit:
                    return  # a listing cut short is not complete: no `listings` entry
        self.complete.append((key, started.isoformat()))


def retry_candidates(state: SyncState, taken: dict[str, Candidate]) -> list[Candidate]:
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
        retry.append(Candidate(record, label))
    return retry

