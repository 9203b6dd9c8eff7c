"""Citations of other Kamerstukken in clean text: `Kamerstuk 32 317, nr. 703`, `Kamerstukken II
2020/21, 32 317, nr. 703`, `Kamerstukken 36 600 B en 36 600 C, nr. 6`, `nrs. 520 en 548`,
`Kamerstukken I 2021/22, 35 925, E`, `kst-35300-XVI-133`. Handelingen and Aanhangsel are not Kamerstukken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefreader.model import normalise_dossier
from briefreader.parse import patterns as P

_D = P.DOSSIER
_SESSION = r"\d{4}\s*(?:/|–|-)\s*\d{2,4}"
_NUMBER = r"\d+[a-z]?"
_CITATION = re.compile(
    rf"""
    (?P<lead>Kamerstuk(?:ken)?(?:\s+(?:I|II))?)?          # `Kamerstukken II` (optional)
    (?:,?\s*(?:{_SESSION}),?)?\s*                         # `2020/21,` (optional)
    (?P<dossiers>{_D}(?:\s*(?:,|en)\s*{_D})*)             # `32 317` or `36 600 B en 36 600 C`
    ,?\s*
    (?:
        nrs?\.\s*(?P<numbers>{_NUMBER}(?:\s*(?:,|en|&)\s*(?:nrs?\.\s*)?{_NUMBER}\b(?!\s*(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)))*)
      | (?<=,\s)(?P<letter>[A-Z]{{1,2}})\b                 # Eerste Kamer: `35 925, E`
    )
    """,
    re.VERBOSE,
)
_KST_ID = re.compile(r"\bkst-(\d{5})(?:-(\d{1,2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?-(\d+[a-z]?)\b")
#: What every citation holds (a dossier number, or the digits of a `kst-` id): most paragraphs have none.
_FIVE_DIGITS = re.compile(r"\d{2}\s?\d{3}")
_NOT_KAMERSTUK = re.compile(r"(?:Handelingen|Aanhangsel)[^.;()]*$")


@dataclass(frozen=True)
class Citation:
    """One cited Kamerstuk and the span of its citation in the text."""

    dossier: str
    number: str
    text: str
    start: int
    end: int


def find_citations(text: str) -> list[Citation]:
    """Every Kamerstuk cited in `text`, in order; one citation may name several documents."""
    found: list[Citation] = []
    if not _FIVE_DIGITS.search(text):
        return found
    for match in _CITATION.finditer(text):
        if not match.group("lead") and not _bare_ok(text, match):
            continue
        if _NOT_KAMERSTUK.search(text[max(0, match.start() - 60) : match.start()]) and not match.group("lead"):
            continue
        cited = match.group(0).strip()
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        dossiers = [normalise_dossier(d) for d in re.findall(_D, match.group("dossiers"))]
        numbers = (
            re.findall(_NUMBER, match.group("numbers")) if match.group("numbers") else [match.group("letter")]
        )
        for dossier in dossiers:
            for number in numbers:
                found.append(Citation(dossier, number, cited, start, start + len(cited)))
    for match in _KST_ID.finditer(text):
        base, suffix, number = match.groups()
        dossier = f"{base}-{suffix}" if suffix else base
        found.append(Citation(dossier, number, match.group(0), match.start(), match.end()))
    found.sort(key=lambda c: c.start)
    return found


def _bare_ok(text: str, match: re.Match[str]) -> bool:
    """A citation without `Kamerstuk` in front: only `32 317, nr. 703` (a spaced dossier and `nr.`)."""
    return bool(match.group("numbers")) and bool(re.match(r"\d{2}\s\d{3}", match.group("dossiers")))
