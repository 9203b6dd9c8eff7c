"""Links between the letters of a corpus: which letter a citation points to, and who cites whom.

Pure functions over "letter infos": any objects with `.id` (the letter id, the file stem), `.kst_id`
(`kst-32317-703` or None) and `.cites` (the kst ids the letter cites), such as
`briefreader.index.LetterInfo`, or `LinkInfo` built here from parsed letters. No I/O, no Textual,
no Whoosh, so the CLI, the reader and the tests share one definition of a link.

A letter's own kst id comes from its dossier and number; when the parser found none, a file named
after its kst id (`kst-32317-703.pdf`) still counts as that Kamerstuk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from briefreader.load import LETTER_SUFFIXES
from briefreader.model import Letter, Reference

#: `kst-32317-703`, `32317-703`, `kst-21501-20-1485`, `35300-XVI-133`, `32 317-703` (any case).
_KST = re.compile(
    r"^(?:kst[-_ ]?)?(\d{2})\s?(\d{3})(?:[- ](\d{1,2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?[-_ ](?:nr\.?\s*)?(\d+[A-Za-z]?)$",
    re.IGNORECASE,
)


class LetterLike(Protocol):
    """What links need of a letter: its id, its own kst id and the kst ids it cites."""

    id: str
    kst_id: str | None
    cites: Sequence[str]


@dataclass(frozen=True)
class LinkInfo:
    """A minimal letter info for linking, built from a parsed letter (see `link_info`)."""

    id: str
    kst_id: str | None
    cites: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None


def normalise_kst_id(text: str) -> str | None:
    """`32317-703`, `KST-32317-703`, `32 317-703`, `35300-xvi-133` -> `kst-...`; None if it is no kst id."""
    match = _KST.match(text.strip())
    if not match:
        return None
    first, second, suffix, number = match.groups()
    dossier = first + second + (f"-{suffix.upper()}" if suffix else "")
    return f"kst-{dossier}-{number.lower()}"


def own_kst_id(info: Any) -> str | None:
    """The Kamerstuk a letter is: its parsed kst id, else its id when the file is named after one."""
    kst_id = getattr(info, "kst_id", None)
    if kst_id:
        return kst_id
    return normalise_kst_id(info.id) if str(info.id).lower().startswith("kst") else None


def kst_map(infos: Iterable[Any]) -> dict[str, str]:
    """kst id -> letter id for the letters in `infos`. With two copies of one Kamerstuk (say its PDF
    and its XML), the first by letter id wins, so a link never depends on listing order."""
    result: dict[str, str] = {}
    for info in sorted(infos, key=lambda i: i.id):
        kst_id = own_kst_id(info)
        if kst_id and kst_id not in result:
            result[kst_id] = info.id
    return result


def _kst_of(reference: Reference | str) -> str | None:
    if isinstance(reference, str):
        return normalise_kst_id(reference)
    return reference.kst_id


def resolve_target(reference: Reference | str, infos: Iterable[Any] | dict[str, str]) -> str | None:
    """The id of the corpus letter that `reference` (a Reference or a kst id) cites, or None.

    `infos` is the corpus's letter infos, or a `kst_map` of them (faster when resolving many).
    """
    kst_id = _kst_of(reference)
    if kst_id is None:
        return None
    mapping = infos if isinstance(infos, dict) else kst_map(infos)
    return mapping.get(kst_id)


def reference_targets(letter: Letter, infos: Iterable[Any] | dict[str, str]) -> list[str | None]:
    """For each of `letter.references`, in order, the id of the corpus letter it cites (or None)."""
    mapping = infos if isinstance(infos, dict) else kst_map(infos)
    return [mapping.get(reference.kst_id) for reference in letter.references]


def cited_by(letter_id: str, infos: Iterable[Any]) -> list[str]:
    """The ids of the corpus letters that cite letter `letter_id`, in the order of `infos`.

    A letter citing itself does not count; a letter that is not in `infos` is cited by nobody.
    """
    infos = list(infos)
    target = next((info for info in infos if info.id == letter_id), None)
    if target is None:
        return []
    kst_id = own_kst_id(target)
    if kst_id is None:
        return []
    # Another copy of the same Kamerstuk (its PDF beside its XML) cites what it cites, not it.
    return [info.id for info in infos if info.id != letter_id and own_kst_id(info) != kst_id and kst_id in info.cites]


def cited_by_map(infos: Iterable[Any]) -> dict[str, list[str]]:
    """letter id -> ids of the letters citing it, for the whole corpus at once."""
    infos = list(infos)
    mapping = kst_map(infos)
    result: dict[str, list[str]] = {info.id: [] for info in infos}
    for info in infos:
        own = own_kst_id(info)
        for kst_id in dict.fromkeys(info.cites):
            target = mapping.get(kst_id)
            if target is not None and target != info.id and kst_id != own:
                result[target].append(info.id)
    return result


def find_letter(query: str, infos: Iterable[Any]) -> Any | None:
    """The letter a user means by `query`: its id, its file name, or its kst id in any spelling
    (`kst-32317-703`, `32317-703`). None when no letter matches."""
    infos = list(infos)
    text = query.strip()
    by_id = {info.id: info for info in infos}
    if text in by_id:
        return by_id[text]
    stem = Path(text).stem if Path(text).suffix.lower() in LETTER_SUFFIXES else None
    if stem and stem in by_id:
        return by_id[stem]
    kst_id = normalise_kst_id(text)
    if kst_id is not None:
        target = kst_map(infos).get(kst_id)
        if target is not None:
            return by_id[target]
    folded = {info.id.lower(): info for info in infos}
    return folded.get(text.lower())


def link_info(letter_id: str, letter: Letter) -> LinkInfo:
    """A LinkInfo for a parsed letter (when there is no index to give a LetterInfo)."""
    cites = tuple(dict.fromkeys(reference.kst_id for reference in letter.references))
    return LinkInfo(
        id=letter_id,
        kst_id=letter.kst_id,
        cites=cites,
        title=letter.title,
        date=letter.date.isoformat() if letter.date else None,
    )


def with_targets(letter_dict: dict[str, Any], letter: Letter, infos: Iterable[Any] | dict[str, str]) -> dict[str, Any]:
    """`letter.to_dict()` output with a `target` (letter id or None) on each reference.

    The hook for `briefreader parse --json`: `with_targets(letter.to_dict(), letter, infos)`.
    """
    targets = reference_targets(letter, infos)
    for reference, target in zip(letter_dict.get("references", []), targets, strict=True):
        reference["target"] = target
    return letter_dict


__all__ = [
    "LetterLike",
    "LinkInfo",
    "cited_by",
    "cited_by_map",
    "find_letter",
    "kst_map",
    "link_info",
    "normalise_kst_id",
    "own_kst_id",
    "reference_targets",
    "resolve_target",
    "with_targets",
]
