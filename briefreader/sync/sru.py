"""SRU 2.0 answers of the repository -> `SruPage` with one `Record` per publication.

An answer is a `searchRetrieveResponse` (namespace `http://docs.oasis-open.org/ns/search-ws/sruResponse`)
with `numberOfRecords`, `records/record/recordData/gzd:gzd` and, when there are more,
`nextRecordPosition`. In each `gzd:gzd` (namespace `http://standaarden.overheid.nl/sru`):

- `gzd:originalData/overheidwetgeving:meta` holds the metadata in three groups, `owmskern`
  (`dcterms:identifier` such as `kst-32317-704`, `dcterms:title`, `dcterms:type`, `dcterms:modified`),
  `owmsmantel` (`dcterms:date`, `dcterms:available`) and `tpmeta` (`dossiernummer`, `ondernummer`,
  `subrubriek`, `vergaderjaar`...). Fields are found by local name wherever they sit, as their
  grouping has varied.
- `gzd:enrichedData` holds `gzd:itemUrl manifestation="xml"|"pdf"|"metadata"|...` with the URL of
  each file, and `gzd:preferredUrl` (the page on zoek.officielebekendmakingen.nl).

A query the service cannot run gets `diagnostics/diagnostic` (`uri`, `message`, `details`) and no
records: that is `SruDiagnostic`. Anything that is not an SRU answer at all (an HTML error page, a
truncated document) is `NotSru`. The XML is read with defusedxml (`safexml`): a DTD, an entity
declaration or an external reference is refused, never expanded or fetched.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from briefreader.sync.safexml import XmlProblem, read_xml

__all__ = ["NotSru", "Record", "SruDiagnostic", "SruError", "SruPage", "parse_answer", "parse_date"]

SRU_NAMESPACES = (
    "http://docs.oasis-open.org/ns/search-ws/sruResponse",  # SRU 2.0, what the repository answers
    "http://www.loc.gov/zing/srw/",  # SRU 1.x, for a server that answers in the older version
)
GZD = "http://standaarden.overheid.nl/sru"


class SruError(Exception):
    """An answer that can't be used; `str()` is a one-line message (the URL is added by the caller)."""


class NotSru(SruError):
    """Not an SRU answer (HTML, other XML, truncated or unsafe XML)."""


class SruDiagnostic(SruError):
    """The service refused the query and said why."""

    def __init__(self, message: str, uri: str | None = None, details: str | None = None):
        self.message, self.uri, self.details = message, uri, details
        text = message + (f" ({details})" if details and details not in message else "")
        super().__init__(f"the repository refused the query: {text}" + (f" [{uri}]" if uri else ""))


@dataclass(frozen=True)
class Record:
    """One publication as the SRU answer describes it.

    `version` is what tells a changed publication from an unchanged one: `dcterms:modified`,
    else the enriched timestamp, else the availability date (None if the record has none).
    `urls` maps a manifestation (`xml`, `pdf`, `metadata`, `html`...) to its file URL.
    """

    identifier: str
    title: str | None = None
    types: tuple[str, ...] = ()
    date: dt.date | None = None
    available: dt.date | None = None
    version: str | None = None
    dossiers: tuple[str, ...] = ()
    number: str | None = None
    urls: tuple[tuple[str, str], ...] = ()
    page_url: str | None = None

    def url(self, manifestation: str) -> str | None:
        """The URL of one manifestation (`xml`, `pdf`, `metadata`), or None."""
        for name, url in self.urls:
            if name == manifestation:
                return url
        return None


@dataclass(frozen=True)
class OddRecord:
    """A record the answer holds but that describes no usable publication (no identifier, not gzd)."""

    position: int | None
    problem: str


@dataclass(frozen=True)
class SruPage:
    """One answer: how many records the query has in all, these records, where the next page starts."""

    total: int
    records: tuple[Record, ...] = ()
    next_position: int | None = None
    odd: tuple[OddRecord, ...] = ()
    #: Non-fatal diagnostics that came with records (e.g. a result set the server cut short).
    notices: tuple[str, ...] = field(default_factory=tuple)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: str | None) -> dt.date | None:
    """`2024-05-01` or `2024-05-01T10:00:00+02:00` -> the date; None for anything else."""
    if not value:
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _int(element: ET.Element | None) -> int | None:
    text = _text(element)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _read_record(record: ET.Element) -> Record | OddRecord:
    position = _int(_child(record, "recordPosition"))
    data = _child(record, "recordData")
    gzd = None
    if data is not None:
        gzd = next((node for node in data if _local(node.tag) == "gzd"), None)
    if gzd is None:
        schema = _text(_child(record, "recordSchema"))
        return OddRecord(position, f"not a gzd record (record schema {schema or 'unknown'})")
    original = _child(gzd, "originalData")
    enriched = _child(gzd, "enrichedData")

    first: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for node in original.iter() if original is not None else ():
        if len(node):
            continue  # a group, not a field
        value = _text(node)
        if value is None:
            continue
        name = _local(node.tag)
        first.setdefault(name, value)
        every.setdefault(name, []).append(value)

    identifier = first.get("identifier")
    if not identifier:
        return OddRecord(position, "has no identifier (dcterms:identifier)")

    urls: list[tuple[str, str]] = []
    page_url = timestamp = None
    for node in enriched if enriched is not None else ():
        name = _local(node.tag)
        value = _text(node)
        if value is None:
            continue
        if name == "itemUrl" and node.get("manifestation"):
            urls.append((node.get("manifestation", "").strip().lower(), value))
        elif name == "preferredUrl":
            page_url = value
        elif name == "timestamp":
            timestamp = value

    types = tuple(dict.fromkeys(every.get("type", []) + every.get("subrubriek", [])))
    dossiers = tuple(dict.fromkeys(every.get("dossiernummer", ())))
    return Record(
        identifier=identifier,
        title=first.get("title"),
        types=types,
        date=parse_date(first.get("date")),
        available=parse_date(first.get("available")),
        version=first.get("modified") or timestamp or first.get("available"),
        dossiers=dossiers,
        number=first.get("ondernummer"),
        urls=tuple(urls),
        page_url=page_url,
    )


def _diagnostics(root: ET.Element) -> list[SruDiagnostic]:
    found = []
    block = _child(root, "diagnostics")
    for diagnostic in block if block is not None else ():
        if _local(diagnostic.tag) != "diagnostic":
            continue
        message = _text(_child(diagnostic, "message")) or "no message"
        found.append(SruDiagnostic(message, _text(_child(diagnostic, "uri")), _text(_child(diagnostic, "details"))))
    return found


def parse_answer(data: bytes, content_type: str | None = None) -> SruPage:
    """Read one SRU answer. NotSru if it is none, SruDiagnostic if the service refused the query."""
    kind = f" (it is {content_type.split(';')[0].strip()})" if content_type else ""
    if not data.strip():
        raise NotSru("the answer is empty, not an SRU answer")
    try:
        root = read_xml(data)
    except XmlProblem as problem:
        raise NotSru(f"the answer is not an SRU answer{kind}: {problem}") from None
    if _local(root.tag) != "searchRetrieveResponse" or _namespace(root.tag) not in SRU_NAMESPACES:
        raise NotSru(f"the answer is not an SRU answer{kind}: its root is <{_local(root.tag) or root.tag}>")

    diagnostics = _diagnostics(root)
    total = _int(_child(root, "numberOfRecords"))
    block = _child(root, "records")
    elements = [node for node in block if _local(node.tag) == "record"] if block is not None else []
    if diagnostics and not elements:
        raise diagnostics[0]
    if total is None:
        raise NotSru("the SRU answer has no numberOfRecords")

    records: list[Record] = []
    odd: list[OddRecord] = []
    for element in elements:
        read = _read_record(element)
        (records if isinstance(read, Record) else odd).append(read)
    return SruPage(
        total=total,
        records=tuple(records),
        next_position=_int(_child(root, "nextRecordPosition")),
        odd=tuple(odd),
        notices=tuple(str(d) for d in diagnostics),
    )
