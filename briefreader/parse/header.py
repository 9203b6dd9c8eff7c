"""The first-page header block, the addressee and date lines, and the signature block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefreader.model import Dossier, Signatory, normalise_dossier
from briefreader.parse import patterns as P
from briefreader.parse.lines import Line

#: Words kept lower case when a capitalised title is put in sentence case.
_SMALL_WORDS = {
    "van", "de", "het", "een", "en", "of", "voor", "der", "den", "op", "in", "over", "met", "aan",
    "te", "tot", "bij", "naar", "om", "uit", "inzake", "ter", "ten", "na", "als", "door", "tegen",
}  # fmt: skip


@dataclass
class Header:
    """What the header block says."""

    chamber: str | None = None
    session: str | None = None
    dossiers: list[Dossier] = field(default_factory=list)
    number: str | None = None
    title_caps: list[str] = field(default_factory=list)


def _next_text(lines: list[Line], i: int) -> int:
    while i < len(lines) and not lines[i].is_text:
        i += 1
    return i


def read_header(lines: list[Line]) -> tuple[Header, set[int]]:
    """Find the header block and read it; returns the header and the indices of its lines.

    The block starts at the chamber line, the session line or the title tail at the very top, wherever
    the extractor put it, and runs over dossier numbers and titles, `Nr. N` and the capitalised title.
    """
    header = Header()
    used: set[int] = set()
    start = None
    for i, line in enumerate(lines):
        if line.is_text and (P.CHAMBER.match(line.text) or P.SESSION.match(line.text)):
            start = i
            break
    if start is None:
        # The cleaned layout: only the tail of the capitalised title is left, on the first line(s).
        i = _next_text(lines, 0)
        while i < len(lines) and lines[i].is_text and _caps_title_line(lines[i].text):
            header.title_caps.append(lines[i].text)
            used.add(i)
            i = _next_text(lines, i + 1)
        return header, used

    i = start
    in_title = False
    dossier_title_lines = 0
    while i < len(lines):
        i = _next_text(lines, i)
        if i >= len(lines):
            break
        text = lines[i].text
        if P.ADDRESSEE.match(text) or P.PLACE_DATE.match(text):
            break
        if match := P.CHAMBER.match(text):
            header.chamber = f"{match.group(1)} Kamer"
        elif match := P.SESSION.match(text):
            header.session = f"{match.group(1)}-{match.group(2)}"
        elif in_title and _caps_title_line(text):
            header.title_caps.append(text)
        elif in_title:
            break
        elif match := P.DOC_NUMBER.match(text):
            header.number = match.group(1)
            if match.group(2) and _caps_title_line(match.group(2)):
                header.title_caps.append(match.group(2))
            in_title = True
        elif P.LONE_NUMBER.match(text) and not header.dossiers:
            pass  # the chamber's digit (`Tweede Kamer der Staten-Generaal` / `2`)
        elif (match := P.DOSSIER_LINE.match(text)) and header.number is None:
            title = match.group(2)
            header.dossiers.append(Dossier(normalise_dossier(match.group(1)), title))
            dossier_title_lines = 1 if title else 0
        elif header.dossiers and header.number is None and dossier_title_lines < 3 and _dossier_title_follows(lines, i):
            # The dossier title: on its own line(s) after the number, or wrapping.
            last = header.dossiers[-1]
            title = f"{last.title} {text}" if last.title else text
            header.dossiers[-1] = Dossier(last.number, title)
            dossier_title_lines += 1
        else:
            break
        used.add(i)
        i += 1
    return header, used


def _dossier_title_follows(lines: list[Line], i: int) -> bool:
    """A line after a dossier number is a dossier title line when `Nr. N` follows within a few lines."""
    ahead = [line.text for line in lines[i + 1 : i + 10] if line.is_text][:4]
    return any(P.DOC_NUMBER.match(text) for text in ahead)


def _caps_title_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and bool(P.CAPS_TITLE.match(text)) and len(text) <= 120


#: Abbreviations that keep their capitals in a title.
_ABBREVIATIONS = {
    "EU", "NAVO", "VN", "JBZ", "EZK", "BZK", "ICT", "OCW", "VWS", "SZW", "IPCR", "AI", "LNV", "IenW",
    "BZ", "FIN", "DEF", "JenV", "OESO", "WHO", "NATO", "RIVM", "UWV", "SVB", "CBS", "KNMI",
}  # fmt: skip


def sentence_case_title(caps: str) -> str:
    """`BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID` -> `Brief van de Minister van Justitie en Veiligheid`."""
    out = []
    for k, word in enumerate(caps.split()):
        parts = []
        for part in word.split("-"):
            core = part.strip(",.():;")
            if core in _ABBREVIATIONS or any(c.isdigit() for c in core):
                parts.append(part)
            elif k > 0 and core.lower() in _SMALL_WORDS and len(word.split("-")) == 1:
                parts.append(part.lower())
            else:
                lower = part.lower()
                parts.append(lower[:1].upper() + lower[1:])
        out.append("-".join(parts))
    return " ".join(out)


def read_place_date(text: str) -> tuple[str, dt.date | None] | None:
    """`Den Haag, 26 augustus 2021` -> ("Den Haag", date(2021, 8, 26)); None if it isn't one."""
    match = P.PLACE_DATE.match(text)
    if not match:
        return None
    place, day, month, year = match.groups()
    try:
        date = dt.date(int(year), P.MONTHS[month.lower()], int(day))
    except ValueError:
        date = None
    return place, date


def find_signature(lines: list[Line]) -> tuple[list[Signatory], set[int], int | None]:
    """The signature block: the last run of function + name pairs.

    Returns the signatories, the indices of their lines, and the index of the block's last line (what
    follows it is the last page's footnotes).
    """
    signers: list[tuple[Signatory, list[int]]] = []
    i = 0
    while i < len(lines):
        found = _signer_at(lines, i)
        if found:
            signatory, used = found
            signers.append((signatory, used))
            i = used[-1] + 1
        else:
            i += 1
    if not signers:
        return [], set(), None
    # Keep the last run: signers separated only by blank lines.
    run = [signers[-1]]
    for signer in reversed(signers[:-1]):
        gap = range(signer[1][-1] + 1, run[0][1][0])
        if all(not lines[j].is_text for j in gap):
            run.insert(0, signer)
        else:
            break
    used_all = {j for _signatory, used in run for j in used}
    return [s for s, _used in run], used_all, run[-1][1][-1]


def _signer_at(lines: list[Line], i: int) -> tuple[Signatory, list[int]] | None:
    line = lines[i]
    if not line.is_text or not P.FUNCTION_START.match(line.text) or len(line.text) > 120:
        return None
    function_lines = [i]
    if not line.text.endswith(","):
        j = _next_text(lines, i + 1)
        if j >= len(lines) or j != i + 1 or not lines[j].text.endswith(",") or len(lines[j].text) > 80:
            return None
        if line.text.endswith((".", ";", ":")):
            return None
        function_lines.append(j)
    k = _next_text(lines, function_lines[-1] + 1)
    if k >= len(lines) or k > function_lines[-1] + 2 or not P.NAME_LINE.match(lines[k].text):
        return None
    function = " ".join(lines[j].text for j in function_lines).rstrip(",").strip()
    if len(function.split()) < 3:
        return None
    return Signatory(function, lines[k].text), [*function_lines, k]
