"""What a sync is asked to do: `SyncPlan`, made from options or from the config's watch list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefreader.sync import cql

__all__ = ["DEFAULT_BASE_URL", "PAGE_SIZE", "Source", "SyncPlan", "make_plan", "plan_from_config"]

#: The SRU service of the official publications (officielebekendmakingen).
DEFAULT_BASE_URL = "https://repository.overheid.nl/sru"

#: Records asked per SRU request (`maximumRecords`); the service gives at most 1,000, and 100 keeps
#: one answer near half a megabyte.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Source:
    """One thing to follow: a dossier (`kind` "dossier", `value` its number) or a full-text query
    (`kind` "query"); `kind` "retry" marks publications that failed in an earlier run."""

    kind: str
    value: str

    @property
    def label(self) -> str:
        """How the user named it: `dossier 32317`, `query "stikstof"`."""
        if self.kind == "retry":
            return self.value
        return f"dossier {self.value}" if self.kind == "dossier" else f'query "{self.value}"'

    def cql(self, since: dt.date | None, until: dt.date | None, modified_since: dt.date | None = None) -> str:
        """The CQL query for this source."""
        build = cql.dossier_query if self.kind == "dossier" else cql.text_query
        return build(self.value, since, until, modified_since)


@dataclass(frozen=True)
class SyncPlan:
    """A sync to run.

    `limit` caps the records taken from each source (newest first); `all_types` takes every
    Kamerstuk, not only letters; `base_url` is the SRU endpoint (files are fetched from its host).
    """

    sources: tuple[Source, ...]
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int | None = None
    all_types: bool = False
    base_url: str = DEFAULT_BASE_URL
    page_size: int = PAGE_SIZE

    def listing_key(self, source: Source) -> str:
        """What identifies a listing for incremental state: its query and the letters/all choice."""
        return ("all " if self.all_types else "letters ") + source.cql(self.since, self.until)


def make_plan(
    dossiers: Iterable[str] = (),
    queries: Iterable[str] = (),
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
    all_types: bool = False,
    base_url: str | None = None,
) -> SyncPlan:
    """A plan from dossier numbers (any spelling `cql.dossier_number` reads; DossierError otherwise)
    and query texts; each source once, in the order given."""
    sources: list[Source] = []
    for text in dossiers:
        source = Source("dossier", cql.dossier_number(text))
        if source not in sources:
            sources.append(source)
    for text in queries:
        text = " ".join(str(text).split())
        source = Source("query", text)
        if text and source not in sources:
            sources.append(source)
    return SyncPlan(
        tuple(sources),
        since=since,
        until=until,
        limit=limit,
        all_types=all_types,
        base_url=base_url or DEFAULT_BASE_URL,
    )


def plan_from_config(
    config,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
    all_types: bool = False,
    base_url: str | None = None,
) -> SyncPlan:
    """The plan for the config's watch list (`watch: {dossiers: [...], queries: [...]}`).

    `config` is a `briefreader.config.Config`; its dossiers were checked when it was read. The base
    URL is `base_url`, else the config's `sync: {base_url: ...}`, else the repository's.
    """
    return make_plan(
        config.watch_dossiers,
        config.watch_queries,
        since=since,
        until=until,
        limit=limit,
        all_types=all_types,
        base_url=base_url or config.sync_base_url,
    )
