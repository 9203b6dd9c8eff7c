"""Which records to fetch, and what of them: Kamerstukken only, letters unless asked for all,
the XML before the PDF, files only from the server that answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefreader.sync.sru import Record

__all__ = ["Choice", "is_letter", "kamerstuk_problem", "choose_files", "display_title", "MAX_IDENTIFIER_LENGTH"]

#: A Kamerstuk identifier: `kst-` and dash-separated parts of letters and digits (`kst-32317-704`,
#: `kst-21501-20-1850`, `kst-35925-E`, `kst-20072008-31200`). It becomes the file name, so nothing
#: else (no `/`, `.`, spaces) may pass.
_KST_IDENTIFIER = re.compile(r"^kst(?:-[0-9A-Za-z]+)+$")

#: Longer identifiers are no Kamerstuk (the longest real ones are about 25 characters); guards
#: against a record that would make an absurd file name.
MAX_IDENTIFIER_LENGTH = 80

#: A letter is a Kamerstuk whose type (`Brief regering`, `Brief commissie`...) or one of whose title
#: parts (`JBZ-Raad; Brief regering; ...`) starts with the word "brief".
_LETTER_WORD = re.compile(r"^brief\b", re.IGNORECASE)


def kamerstuk_problem(record: Record) -> str | None:
    """None when the record is a Kamerstuk with a usable identifier, else why it is left out."""
    identifier = record.identifier
    if len(identifier) > MAX_IDENTIFIER_LENGTH or not _KST_IDENTIFIER.match(identifier):
        shown = identifier if len(identifier) <= MAX_IDENTIFIER_LENGTH else identifier[:MAX_IDENTIFIER_LENGTH] + "…"
        return f"`{shown}` is not a Kamerstuk identifier (kst-<dossier>-<number>)"
    return None


def is_letter(record: Record) -> bool:
    """Whether the record is a letter (`BRIEF VAN ...`), by its types and the parts of its title."""
    candidates = list(record.types)
    if record.title:
        candidates += [part.strip() for part in record.title.split(";")]
    return any(_LETTER_WORD.match(candidate) for candidate in candidates)


def display_title(record: Record) -> str | None:
    """The record's title without the dossier and type parts the repository puts before it:
    `JBZ-Raad; Brief regering; Verslag van ...` -> `Verslag van ...`."""
    if not record.title:
        return None
    parts = [part.strip() for part in record.title.split(";")]
    types = {t.lower() for t in record.types}
    for i, part in enumerate(parts[:-1]):
        if part.lower() in types or _LETTER_WORD.match(part):
            return "; ".join(parts[i + 1 :])
    return record.title


@dataclass(frozen=True)
class Choice:
    """What to download for a record: the letter (`kind` `xml` or `pdf`), a PDF to fall back on when
    the XML turns out unusable, and the metadata.xml."""

    kind: str
    url: str
    fallback_pdf: str | None = None
    metadata_url: str | None = None


def _same_host(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return a.scheme.lower() in ("http", "https") and a.hostname is not None and a.hostname == b.hostname and a.port == b.port


def choose_files(record: Record, base_url: str) -> Choice | str:
    """The files to fetch for `record`, or (a string) why there is nothing to fetch.

    Only URLs on the host of `base_url` are fetched: the answer names the files, and a damaged or
    forged answer must not send briefreader elsewhere.
    """
    xml, pdf, metadata = record.url("xml"), record.url("pdf"), record.url("metadata")
    foreign = [url for url in (xml, pdf, metadata) if url and not _same_host(url, base_url)]
    if foreign:
        return f"its file URL {foreign[0]} is not on {urlsplit(base_url).netloc}; not fetched"
    if xml:
        return Choice("xml", xml, fallback_pdf=pdf, metadata_url=metadata)
    if pdf:
        return Choice("pdf", pdf, metadata_url=metadata)
    return "the repository publishes no XML or PDF of it"
