"""One publication: skipped, stored as new, replaced by a newer version, or remembered as failed.

`PublicationSteps` is the half of one run (`briefreader.sync.run`) that handles each publication
the listings found: unchanged ones are skipped, new ones stored, changed ones replaced (only files
the sync wrote itself, proven by their SHA-256), a file named after the publication is taken back
when its bytes are the publication's, failures are remembered for the next run. Files are written
through `briefreader.store`; the state is saved every few seconds while letters arrive.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from briefreader.load import LETTER_SUFFIXES, METADATA_SUFFIX
from briefreader.store import (
    TEMP_PREFIX,
    Companion,
    NotOurs,
    digest,
    file_digest,
    remove_own,
    replace_file,
    store_new,
    write_new,
)
from briefreader.sync.client import FetchError, Unreachable
from briefreader.sync.fetch import Download, DownloadFailed, download
from briefreader.sync.listing import Candidate
from briefreader.sync.report import LetterResult
from briefreader.sync.select import choose_files, display_title
from briefreader.sync.state import Failed, Stored

#: Seconds between two saves of the state while letters arrive (and once at the end): rewriting a
#: growing state file after every letter costs time quadratic in the corpus. A crash loses at most
#: these seconds of state; the next run finds those letters' files and, comparing them with the
#: publications, takes them as its own again (see `PublicationSteps.adopt_or_leave`).
STATE_SAVE_INTERVAL = 2.0
#: Temporary files of the sync in the corpus folder (hidden; removed at the start of the next sync).
SYNC_TAG = "sync"


class PublicationSteps:
    """The steps for one publication (mixed into `briefreader.sync.run._Run`, whose fields they use:
    `plan`, `corpus`, `client`, `state`, `cancel`, `dry_run`, `known`, `files`, `results`, `saved`)."""

    def result(self, candidate: Candidate, status: str, file: str | None = None, note: str | None = None, letter=None) -> None:
        record = candidate.record
        if status != "failed" and not self.dry_run:
            self.state.failed.pop(record.identifier, None)
        title = (letter.title if letter is not None and letter.title else None) or display_title(record)
        date = (letter.date if letter is not None and letter.date else None) or record.date
        self.results.append(LetterResult(record.identifier, status, title, date, file, note, candidate.source.label))

    def fail(self, candidate: Candidate, problem: str) -> None:
        record = candidate.record
        self.state.failed[record.identifier] = Failed(
            problem=problem,
            at=now(),
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

    def handle(self, candidate: Candidate) -> None:
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

    def fetch(self, candidate: Candidate) -> Download | None:
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

    def add(self, candidate: Candidate) -> None:
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

    def remember(self, candidate: Candidate, fetched: Download, file: str) -> None:
        record = candidate.record
        letter = fetched.letter
        self.state.stored[record.identifier] = Stored(
            file=file,
            sha256=digest(fetched.data),
            version=record.version,
            fetched=now(),
            metadata_file=record.identifier + METADATA_SUFFIX if fetched.metadata is not None else None,
            metadata_sha256=digest(fetched.metadata) if fetched.metadata is not None else None,
            title=letter.title or record.title,
            date=(letter.date or record.date).isoformat() if (letter.date or record.date) else None,
        )
        self.state.failed.pop(record.identifier, None)
        if time.monotonic() - self.saved >= STATE_SAVE_INTERVAL:
            self.state.save()
            self.saved = time.monotonic()

    def update(self, candidate: Candidate, stored: Stored) -> None:
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

    def adopt_or_leave(self, candidate: Candidate, existing: Path) -> None:
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



def now() -> str:
    """The time now (UTC, to the second), as the state records it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")



def remove_stale_temporaries(corpus: Path) -> None:
    """Hidden temporary files a killed sync left in the corpus: only ours, by their name."""
    prefix = f"{TEMP_PREFIX}{SYNC_TAG}-"
    try:
        entries = list(corpus.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.is_file():
            entry.unlink(missing_ok=True)

