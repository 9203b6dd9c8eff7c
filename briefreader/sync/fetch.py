"""Downloading one publication and checking it before anything reaches the corpus.

The letter (the XML, else the PDF) and its metadata.xml are read into memory, up to
`MAX_DOWNLOAD_BYTES` each, and parsed exactly as `briefreader add` would parse them; only a
publication that parses as a letter is handed on to be stored. An XML that can't be used (a 404,
a broken file) falls back to the PDF when the record has one. A metadata.xml that can't be read is
left out, with a note: the letter is still worth having.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from briefreader.load import parse_letter_bytes
from briefreader.model import Letter, LetterError
from briefreader.store import looks_like_a_letter
from briefreader.sync.client import Client, FetchError, Unreachable
from briefreader.sync.safexml import XmlProblem, read_xml
from briefreader.sync.select import Choice

__all__ = ["Download", "DownloadFailed", "MAX_DOWNLOAD_BYTES", "download"]

#: The largest letter file accepted. Letters are tens to hundreds of KB, a long PDF a few MB; the
#: largest Kamerstuk PDFs (budgets) stay under 30 MB. Guards memory and disk against a runaway answer.
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
#: The largest metadata.xml accepted (real ones are a few KB).
MAX_METADATA_BYTES = 1024 * 1024


class DownloadFailed(Exception):
    """The publication could not be fetched or is not a usable letter; `str()` says why (one line)."""


@dataclass(frozen=True)
class Download:
    """A fetched, checked publication: the letter's bytes and kind, its metadata.xml, the parse."""

    kind: str
    data: bytes
    metadata: bytes | None
    letter: Letter
    notes: tuple[str, ...] = ()


def _safe_xml(data: bytes, what: str) -> None:
    """Refuse XML with a DTD, entities or external references before any other parser sees it."""
    try:
        read_xml(data)
    except XmlProblem as problem:
        raise DownloadFailed(f"the {what} is unusable: {problem}") from None


def _parse(identifier: str, kind: str, data: bytes, metadata: bytes | None) -> Letter:
    if kind == "xml":
        _safe_xml(data, "XML")
    elif not data.lstrip()[:5].startswith(b"%PDF"):
        raise DownloadFailed("the PDF is not a PDF (it does not start with %PDF)")
    try:
        letter = parse_letter_bytes(data, f"{identifier}.{kind}", kind, metadata, f"{identifier}.metadata.xml")
    except LetterError as error:
        raise DownloadFailed(f"the {kind.upper()} can't be read as a letter: {error.problem}") from None
    missing = looks_like_a_letter(letter)
    if missing:
        raise DownloadFailed(f"the {kind.upper()} is not a letter: {missing}")
    return letter


def _metadata(client: Client, url: str | None, cancel: threading.Event | None, notes: list[str]) -> bytes | None:
    if url is None:
        return None
    try:
        data = client.get(url, max_bytes=MAX_METADATA_BYTES, cancel=cancel).data
        _safe_xml(data, "metadata.xml")
    except Unreachable:
        raise
    except (FetchError, DownloadFailed) as error:
        notes.append(f"metadata.xml left out: {error}")
        return None
    return data


def download(identifier: str, choice: Choice, client: Client, cancel: threading.Event | None = None) -> Download:
    """Fetch and check the publication `choice` names. DownloadFailed, Unreachable or Cancelled."""
    notes: list[str] = []
    metadata = _metadata(client, choice.metadata_url, cancel, notes)
    attempts = [(choice.kind, choice.url)]
    if choice.kind == "xml" and choice.fallback_pdf:
        attempts.append(("pdf", choice.fallback_pdf))
    problems: list[str] = []
    for kind, url in attempts:
        try:
            data = client.get(url, max_bytes=MAX_DOWNLOAD_BYTES, cancel=cancel).data
            letter = _parse(identifier, kind, data, metadata if kind == "xml" else None)
        except Unreachable:
            raise
        except (FetchError, DownloadFailed) as error:
            problems.append(str(error))
        else:
            if kind != choice.kind:
                notes.append(f"the XML was unusable ({problems[0]}); stored the PDF")
            return Download(kind, data, metadata, letter, tuple(notes))
    if len(problems) == 2:
        raise DownloadFailed(f"XML: {problems[0]}; PDF: {problems[1]}")
    raise DownloadFailed(problems[0])
