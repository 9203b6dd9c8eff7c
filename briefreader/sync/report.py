"""What a sync reports: its progress while it runs, and what happened to each publication and to the run.

`SyncProgress` goes to the `progress` callback of `run_sync`; `LetterResult` and `SyncReport` are
what `run_sync` returns. Plain frozen dataclasses, for the command line and the reader alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from briefreader.corpus import letter_id

__all__ = ["LetterResult", "SyncProgress", "SyncReport"]


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
    def stored(self) -> tuple[str, ...]:
        """The letter ids of the files this sync wrote into the corpus (new or updated): what the
        index must take in."""
        return tuple(letter_id(r.file) for r in self.new + self.updated if r.file)

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing stopped the sync."""
        return not (self.error or self.problems or self.failed or self.cancelled)
