"""The first-page header block, the addressee and date lines, and the signature block."""

from __future__ import annotations

import datetime as dt
import re
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
    #: A dossier title printed without its number (the number is then in the running footer).
    dossier_title: str | None = None
    #: What the head shows that could not be read for sure (becomes the letter's warnings).
    warnings: list[str] = field(default_factory=list)


def _next_text(lines: list[Line], i: int) -> int:
    while i < len(lines) and not lines[i].is_text:
        i += 1
    return i


#: How many text lines from the top a head without the chamber line may start (the web page's
#: text begins at the dossier line, after at most a few lines of the page's own chrome).
HEAD_START_WINDOW = 6
#: How many lines after a dossier line the document number or title must follow for it to be a head.
HEAD_NUMBER_WITHIN = 5
#: A dossier title runs over at most this many lines.
DOSSIER_TITLE_LINES = 3


def _chamber_name(match) -> str:
    return f"{match.group(1)} Kamer" if match.group(1) else "Staten-Generaal"


def _head_start(lines: list[Line]) -> int | None:
    """Where the header block starts: the chamber or session line anywhere; else (the web page's text,
    a head without the chamber line) a dossier line or `Nr. N` near the top that a title follows."""
    for i, line in enumerate(lines):
        if line.is_text and (P.CHAMBER.match(line.text) or P.SESSION.match(line.text) or P.CHAMBER_HEAD.match(line.text)):
            return i
    seen = 0
    for i, line in enumerate(lines):
        if not line.is_text:
            continue
        seen += 1
        if seen > HEAD_START_WINDOW or P.ADDRESSEE.match(line.text) or read_place_date(line.text):
            return None
        if P.DOC_NUMBER.match(line.text) and _title_text(line.text):
            return i
        if (P.DOSSIER_LINE.match(line.text) or _ROMAN_DOSSIER.match(line.text)) and _number_follows(lines, i):
            return i
    return None


#: A dossier of the Eerste Kamer numbered in Roman figures only (`CII Nota «Bestuur in samenhang»`).
_ROMAN_DOSSIER = re.compile(r"^([IVXLC]{2,6})\s+(\S.*)$")


def _number_follows(lines: list[Line], i: int, within: int = HEAD_NUMBER_WITHIN) -> bool:
    """Does the document number (`Nr. 12`, `E BRIEF VAN`) or the capitalised title follow shortly?"""
    ahead = [line.text for line in lines[i + 1 : i + 12] if line.is_text][:within]
    return any(
        P.DOC_NUMBER.match(text) or P.LETTER_NUMBER.match(text) or text.startswith("BRIEF ") for text in ahead
    )


def _dossier_number_follows(lines: list[Line], i: int) -> bool:
    """Is the next text line a dossier number alone (`19200`)?"""
    j = _next_text(lines, i + 1)
    return j < len(lines) and bool(P.DOSSIER_LINE.match(lines[j].text)) and P.DOSSIER_LINE.match(lines[j].text).group(2) is None


def _title_text(text: str) -> str | None:
    """The capitalised title on a `Nr. N` line (`Nr. 6 BRIEF VAN DE MINISTER ...`), if any."""
    match = P.DOC_NUMBER.match(text)
    rest = match.group(2) if match else None
    return rest if rest and _caps_prefix(rest) else None


def _caps_prefix(text: str) -> str | None:
    """The capitalised start of a line (`BRIEF VAN DE MINISTER VAN CULTUUR` of `... WERK De vroegere
    stukken ...`): whole upper-case words, at least two of them."""
    words = text.split()
    k = 0
    while k < len(words) and _caps_title_line(words[k]):
        k += 1
    if k < 2 and not (k == 1 and len(words) == 1):
        return None
    return " ".join(words[:k])


def read_header(lines: list[Line]) -> tuple[Header, set[int]]:
    """Find the header block and read it; returns the header and the indices of its lines.

    The block starts at the chamber line, the session line, or (the web page's text) the dossier line
    at the top, wherever the extractor put it, and runs over dossier numbers and titles, `Nr. N` and
    the capitalised title. Without any of these (the cleaned layout) the title tail at the very top is
    read.
    """
    header = Header()
    used: set[int] = set()
    start = _head_start(lines)
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
        if P.ADDRESSEE.match(text) or read_place_date(text) or P.DATE_ONLY.match(text):
            break
        if match := P.CHAMBER.match(text):
            header.chamber = _chamber_name(match)
        elif match := P.CHAMBER_HEAD.match(text):
            header.chamber = f"{match.group(1)} Kamer"
        elif header.chamber and P.CHAMBER_TAIL.match(text) and not header.dossiers:
            pass  # `Generaal`, the rest of a chamber line the OCR broke
        elif match := P.SESSION.match(text):
            header.session = f"{match.group(1)}-{match.group(2)}"
        elif in_title and _caps_title_line(text):
            header.title_caps.append(text)
        elif in_title and (caps := _caps_prefix(text)):
            header.title_caps.append(caps)  # what follows on the line is a printer's note to the head
            in_title = False
            used.add(i)
            i += 1
            break
        elif in_title:
            break
        elif text.startswith("BRIEF ") and (caps := _caps_prefix(text)):
            header.title_caps.append(caps)  # the title without `Nr. N` before it
            in_title = caps == text
            if not in_title:
                used.add(i)
                i += 1
                break
        elif match := P.DOC_NUMBER.match(text):
            header.number = match.group(1)
            if match.group(2) and (caps := _caps_prefix(match.group(2))):
                header.title_caps.append(caps)
            in_title = True
        elif match := P.LETTER_NUMBER.match(text):
            header.number = match.group(1)
            header.title_caps.append(_caps_prefix(match.group(2)) or match.group(2))
            in_title = True
        elif P.LONE_NUMBER.match(text) and not header.dossiers or text in ("1/2", "1 /2"):
            pass  # the chamber's digit (`Tweede Kamer der Staten-Generaal` / `2`)
        elif (match := P.DOSSIER_LINE.match(text) or _ROMAN_DOSSIER.match(text)) and header.number is None and (
            not header.dossiers or dossier_title_lines > 0 or P.DOSSIER_LINE.match(text)
        ):
            title = match.group(2)
            if title and (cut := title.find(" BRIEF VAN ")) >= 0:
                # The title glued to the dossier title (`... (Trb. 1984, 118) BRIEF VAN DE MINISTER ...`).
                header.title_caps.append(title[cut + 1 :])
                title = title[:cut].strip()
                in_title = True
            if header.dossier_title and not header.dossiers:
                title = f"{header.dossier_title} {title}" if title else header.dossier_title
                header.dossier_title = None
            header.dossiers.append(Dossier(normalise_dossier(match.group(1)), title))
            dossier_title_lines = 1 if title else 0
        elif (
            not header.dossiers
            and header.number is None
            and header.dossier_title is None
            and not _caps_title_line(text)
            and (_number_follows(lines, i, within=1) or _dossier_number_follows(lines, i))
        ):
            # `Interne Marktraad`, its number only in the footer; or `Rijksbegroting voor het jaar
            # 1986` above the number `19200` and `Hoofdstuk X ...`.
            header.dossier_title = text
        elif (
            header.dossiers
            and header.number is None
            and dossier_title_lines < DOSSIER_TITLE_LINES
            and _dossier_title_follows(lines, i)
        ):
            # The dossier title: on its own line(s) after the number, or wrapping.
            last = header.dossiers[-1]
            title = text
            if (cut := title.find(" BRIEF VAN ")) >= 0:
                header.title_caps.append(title[cut + 1 :])
                title = title[:cut].strip()
                in_title = True
            title = f"{last.title} {title}" if last.title else title
            header.dossiers[-1] = Dossier(last.number, title)
            dossier_title_lines += 1
        else:
            break
        used.add(i)
        i += 1
    if not header.title_caps:
        _head_after_the_unread(lines, i, header, used)
    return header, used


#: How many text lines past what the head reader could place the title (`BRIEF VAN ...`) is looked for.
HEAD_RESUME_WITHIN = 12


def _head_after_the_unread(lines: list[Line], i: int, header: Header, used: set[int]) -> None:
    """The title and number of a head the reader stopped in: a joint letter on several dossiers
    (numbers and titles in a block), a receipt stamp, OCR junk. A `BRIEF VAN ...` line in capitals
    before the addressee ends the head; what stood between is head too (dossier numbers are kept;
    a footnote that the OCR put there stays in the text for the footnote reader)."""
    between: list[int] = []
    j = i
    while len(between) <= HEAD_RESUME_WITHIN:
        j = _next_text(lines, j)
        if j >= len(lines):
            return
        text = lines[j].text
        if P.ADDRESSEE.match(text) or read_place_date(text) or P.DATE_ONLY.match(text):
            return
        if text.startswith("BRIEF VAN ") and _caps_title_line(text):
            break
        between.append(j)
        j += 1
    else:
        return
    header.title_caps.append(lines[j].text)
    used.add(j)
    k = _next_text(lines, j + 1)
    while k < len(lines) and _caps_title_line(lines[k].text) and not P.ADDRESSEE.match(lines[k].text):
        header.title_caps.append(lines[k].text)
        used.add(k)
        k = _next_text(lines, k + 1)
    before = len(header.dossiers)
    for b in between:
        text = lines[b].text
        if (match := P.DOSSIER_LINE.match(text)) and not match.group(2):
            number = normalise_dossier(match.group(1))
            if all(d.number != number for d in header.dossiers):
                header.dossiers.append(Dossier(number, None))
        elif (match := P.DOC_NUMBER.match(text)) and header.number is None:
            header.number = match.group(1)
        elif P.FOOTNOTE_START.match(text) or text.startswith(("'", "’", "Ter inzage")):
            continue
        used.add(b)
    if len(header.dossiers) > before:
        # Several dossiers in a block: the print sets numbers and titles side by side, and the text
        # lost which title is whose. Numbers only, rather than a guess.
        header.dossiers = [Dossier(d.number, None) for d in header.dossiers]
        header.warnings.append("the head names several dossiers; which title is whose is not in the text, so they are left out")


def remove_running_heads(lines: list[Line], header: Header, used: set[int]) -> tuple[list[Line], set[int]]:
    """Drop the head repeated at the top of later pages (a PDF's margin column: `21 501-20 Europese
    Raad`, `Nr. 2044`), wherever the extractor put it, even inside a sentence of the body.

    `header` and `used` are what `read_header(lines)` found. Only lines outside the header block
    that repeat one of its dossier lines or its `Nr. N` are dropped, with a dossier title standing
    alone right after such a dossier number. Returns the lines kept and `used` renumbered for them
    (the header block itself is always kept, so the header stays what it was).
    """
    if not header.dossiers and header.number is None:
        return lines, used
    numbers = {d.number for d in header.dossiers}
    titles = {d.title for d in header.dossiers if d.title}
    out: list[Line] = []
    kept_used: set[int] = set()
    after_number = False
    for i, line in enumerate(lines):
        if i in used or not line.is_text:
            if i in used:
                kept_used.add(len(out))
            out.append(line)
            continue
        text = line.text
        dossier = P.DOSSIER_LINE.match(text)
        number = P.DOC_NUMBER.match(text)
        if dossier and normalise_dossier(dossier.group(1)) in numbers and (
            dossier.group(2) is None or dossier.group(2) in titles
        ):
            after_number = dossier.group(2) is None
            continue
        if number and number.group(1) == header.number and (number.group(2) is None or _caps_title_line(number.group(2))):
            after_number = False
            continue
        if after_number and text in titles:
            after_number = False
            continue
        after_number = False
        out.append(line)
    return out, kept_used


def _dossier_title_follows(lines: list[Line], i: int) -> bool:
    """A line after a dossier number is a dossier title line when `Nr. N` (or the title) follows
    within a few lines, or the line itself ends in the title (`... BRIEF VAN DE MINISTER ...`)."""
    if " BRIEF VAN " in lines[i].text:
        return True
    ahead = [line.text for line in lines[i + 1 : i + 10] if line.is_text][:4]
    return any(P.DOC_NUMBER.match(text) or P.LETTER_NUMBER.match(text) or text.startswith("BRIEF ") for text in ahead)


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


def read_place_date(text: str) -> tuple[str | None, dt.date | None] | None:
    """`Den Haag, 26 augustus 2021` -> ("Den Haag", date(2021, 8, 26)); a date alone on its line
    (`22oktober 1993`) -> (None, date); None if the line is neither."""
    match = P.PLACE_DATE.match(text)
    if match:
        place, day, month, year = match.groups()
    elif match := P.DATE_ONLY.match(text):
        place = None
        day, month, year = match.groups()
    else:
        return None
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
    if not line.is_text or not P.FUNCTION_START.match(line.text) or len(line.text) > 160:
        return None
    if (one_line := split_one_line_signature(line.text)) is not None:
        return one_line, [i]
    if len(line.text) > 120:
        return None
    function_lines = [i]
    if not line.text.endswith(","):
        j = _next_text(lines, i + 1)
        if j >= len(lines) or j != i + 1 or not lines[j].text.endswith(",") or len(lines[j].text) > 80:
            return None
        if line.text.endswith((".", ";", ":")) and not _ends_function(line.text):
            return None
        function_lines.append(j)
    k = _next_text(lines, function_lines[-1] + 1)
    if k >= len(lines) or k > function_lines[-1] + 2 or not P.NAME_LINE.match(lines[k].text):
        return None
    function = " ".join(lines[j].text for j in function_lines).rstrip(",").strip()
    if len(function.split()) < MIN_FUNCTION_WORDS:
        return None
    return Signatory(_unglue_function(function), lines[k].text), [*function_lines, k]


#: A signer's function has at least this many words (`De Minister van Financiën`); fewer (`De heer X,`)
#: is a sentence, not a signature.
MIN_FUNCTION_WORDS = 3


#: The OCR's `Ministervan`, `Staatssecretarisvoor`: the space before `van`/`voor` lost.
_GLUED_FUNCTION = re.compile(r"\b(Minister|Staatssecretaris|Minister-President)(van|voor)\b")


def _unglue_function(function: str) -> str:
    """`De Ministervan Financiën` -> `De Minister van Financiën`."""
    return _GLUED_FUNCTION.sub(r"\1 \2", function)


#: `a.i.` (ad interim) after a function: a signer standing in for another (`De Minister van Financiën a.i.,`).
_AD_INTERIM = re.compile(r"\ba\.\s?i\.$")


def _ends_function(text: str) -> bool:
    """True when a function may end in a full stop: `... a.i.`."""
    return bool(_AD_INTERIM.search(text.rstrip(",").rstrip()))


#: Initials and a surname at the end of a function whose comma the OCR lost.
_GLUED_NAME = re.compile(r"\s((?:[A-Z]\.\s?){1,6}(?:(?:van|de|der|den|ter|ten|tot)\s+)*[A-Z][\w'’-]+)$")


def split_one_line_signature(text: str) -> Signatory | None:
    """`De Minister van Sociale Zaken en Werkgelegenheid, A. B. Jansen` -> function and name.

    The last comma splits name from function, and only when what follows it is a name (initials and
    a surname): `De Minister-President, Minister van Algemene Zaken, M. Rutte` keeps both functions.
    """
    if not P.FUNCTION_START.match(text):
        return None
    function, comma, name = text.rpartition(",")
    name = name.strip()
    if comma and not P.NAME_LINE.match(name) and (glued := _GLUED_NAME.search(name)):
        # The OCR lost the comma before the name: `..., Minister van Algemene Zaken A. A. M. van Agt`.
        function, name = f"{function}, {name[: glued.start()].strip()}", glued.group(1)
    if not comma or not P.NAME_LINE.match(name):
        return None
    function = function.strip()
    if len(function.split()) < MIN_FUNCTION_WORDS or (function.endswith((".", ";", ":")) and not _ends_function(function)):
        return None
    return Signatory(_unglue_function(function), name)
