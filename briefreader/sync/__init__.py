"""Filling and keeping a corpus from the official open-data repository (`briefreader sync`).

The repository of the official publications answers SRU 2.0 queries in CQL and serves each
Kamerstuk as the official XML, its `metadata.xml` and the PDF. This package lists the Kamerstukken
of dossiers or full-text queries, newest first, and stores the ones the corpus lacks (or has in an
older version) through `briefreader.store`, the same path `briefreader add` uses. No Textual and
no Rich here: the command line (`briefreader.commands.sync`) and the reader (from a worker thread)
call the same function.

The API::

    from briefreader.sync import make_plan, plan_from_config, run_sync

    plan = make_plan(["32317", "21501-20"], ["stikstof"], since=date(2024, 1, 1))   # or:
    plan = plan_from_config(load_config())          # the config's `watch:` list
    report = run_sync(plan, corpus, progress=callback, cancel=event)

- `make_plan(dossiers, queries, *, since, until, limit, all_types, base_url) -> SyncPlan`: dossier
  numbers in any usual spelling (`32317`, `32 317`, `21501-20`, `36410-VI`; `cql.DossierError` for
  anything else); `limit` caps each source, newest first; `all_types` takes every Kamerstuk, not
  only letters.
- `plan_from_config(config, ...) -> SyncPlan`: the same from `watch: {dossiers, queries}` and
  `sync: {base_url}` of a `briefreader.config.Config`.
- `run_sync(plan, corpus, *, client=None, progress=None, cancel=None, dry_run=False, known=None)
  -> SyncReport`: runs in the calling thread and blocks; safe to run in a worker thread.
  `progress(SyncProgress)` is called from that thread (`phase` `listing`/`fetching`/`done`,
  `done`, `total`, `source`, `identifier`), so a UI must hand it to its own thread (Textual:
  `call_from_thread` or `post_message`). Setting the `threading.Event` `cancel` stops it at the
  next request or download chunk; the report then says `cancelled`. `known` maps Kamerstuk ids
  (`kst-32317-704`) to corpus letters that hold them under another name (from the index), which
  are not fetched again. It never raises for network or data problems: they are in the report.
- `SyncReport`: `new`, `updated`, `skipped`, `failed` (each a tuple of `LetterResult` with
  `identifier`, `status`, `title`, `date`, `file`, `note`, `source`), `planned` in a dry run,
  `left_out` (records that are no letters), `odd`, `problems` (sources whose listing failed),
  `notices`, `error` (the sync could not run or had to stop), `cancelled`, `requests`, `seconds`,
  and `ok`. After a sync that stored letters, refresh the index.
- `arrivals(corpus) -> {letter id: datetime}`: when the sync stored or last updated each letter
  (UTC), for marking letters that arrived since the reader was last opened.

Modules, one concern each: `cql` (queries), `sru` (answers -> records), `client` (HTTP: User-Agent,
timeouts, retries, size limits), `select` (which records, which files), `fetch` (download and
check one publication), `plan` (what to sync), `state` (what was fetched, outside the corpus),
`run` (`run_sync`: the incremental logic, in two steps), `listing` (asking for each source's
records, page by page), `publication` (what happens to one publication: skipped, stored, replaced,
failed), `report` (`SyncProgress`, `LetterResult`, `SyncReport`), `safexml` (defusedxml with
one-line reasons).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "LetterResult",
    "SyncPlan",
    "SyncProgress",
    "SyncReport",
    "arrivals",
    "make_plan",
    "plan_from_config",
    "run_sync",
]

# Imported on first use: `briefreader.config` reads `cql` from here, and loading the config must
# not pay for the HTTP client.
_LAZY = {
    "LetterResult": "briefreader.sync.run",
    "SyncProgress": "briefreader.sync.run",
    "SyncReport": "briefreader.sync.run",
    "run_sync": "briefreader.sync.run",
    "SyncPlan": "briefreader.sync.plan",
    "make_plan": "briefreader.sync.plan",
    "plan_from_config": "briefreader.sync.plan",
    "arrivals": "briefreader.sync.state",
}

if TYPE_CHECKING:
    from briefreader.sync.plan import SyncPlan, make_plan, plan_from_config
    from briefreader.sync.run import LetterResult, SyncProgress, SyncReport, run_sync
    from briefreader.sync.state import arrivals


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'briefreader.sync' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
