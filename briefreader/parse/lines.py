"""Lines, page breaks and page furniture: the first cut through extracted letter text.

The text is turned into a list of `Line`s in which page furniture (running footers, page numbers, the
colophon, the printer's line of the archive's prints, the chrome of the official web page) is gone and
every page boundary is one `PAGE` line, wherever the extractor put it: a form feed, a running footer,
the colophon, or (in the cleaned layout) a line that starts with a space.

Each text line also gets the number of the printed page it stands on, where the text shows where pages
break (see `number_pages`); else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefreader.parse import patterns as P


@dataclass
class Line:
    """One line of the letter: `text` is stripped; `kind` is "text", "blank" or "page"."""

    text: str
    kind: str = "text"
    #: On a PAGE line: a blank line stood at the page break too (a paragraph break in the cleaned layout).
    gap_blank: bool = False
    #: On a PAGE line: a real end of a printed page (form feed, page start, running footer, page
    #: number), not only furniture taken out (the colophon of page 1).
    boundary: bool = True
    #: On a text line: the printed page it stands on (1 for the first), when the text shows page breaks.
    page: int | None = None
    #: On a PAGE line: it stands where the signature ended (what follows are the last footnotes).
    after_signature: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


PAGE = "page"
BLANK = "blank"
TEXT = "text"


@dataclass
class Footer:
    """What a running footer says: chamber, session, dossier and number (and the page, if printed)."""

    chamber: str
    session: str
    dossier: str
    number: str
    page: int | None = None


#: A cleaned-layout page start is a line indented by white space; when more than this share of the
#: lines is indented, indentation is layout (`pdftotext -layout`), not page starts.
INDENTED_SHARE_OF_LAYOUT = 1 / 5

#: The web page's list of signers after the letter: `Ondertekenaars`, `-`, `Eerste ondertekenaar`,
#: and the signer as the page names them (`M. (Mark) Rutte, minister van Algemene Zaken`).
SIGNERS_LIST = re.compile(r"^(?:Ondertekenaars|-|(?:Eerste|Tweede|Mede)\s?ondertekenaars?)$", re.I)

#: Lines of the official web page around the letter (copied or saved as text): the page's own
#: headings, its metadata table, the list of signers and the "back to top" link. Never letter text.
WEB_CHROME = re.compile(
    r"^(?:Naar boven|Kamerstuk|Brief regering\s*:.*"
    r"|Datum publicatie\s*Organisatie.*|(?:Tweede|Eerste) Kamer der Staten-Generaal\s*\d{4}\s*-\s*\d{4}.*)$"
)


def split_lines(text: str) -> list[Line]:
    """Text -> lines with page breaks marked.

    A line that starts with white space marks a new page in the cleaned layout, unless many lines
    are indented (then indentation is just layout, as in `pdftotext -layout`).
    """
    raw = text.split("\n")
    non_blank = [line for line in raw if line.strip()]
    indented = sum(1 for line in non_blank if line[:1].isspace() and not line.startswith("\f"))
    indent_marks_page = indented <= max(3, int(len(non_blank) * INDENTED_SHARE_OF_LAYOUT))

    lines: list[Line] = []
    for number, line in enumerate(raw):
        pieces = line.split("\f")
        for i, piece in enumerate(pieces):
            if i > 0:
                lines.append(Line("", PAGE))
            stripped = piece.strip()
            if not stripped:
                if i == 0 or piece:
                    lines.append(Line("", BLANK))
                continue
            if indent_marks_page and piece[:1].isspace() and number > 0 and i == 0:
                lines.append(Line("", PAGE))
            lines.append(Line(stripped))
    return lines


def _is_colophon(text: str) -> bool:
    return bool(P.COLOPHON.match(text)) or (
        bool(P.COLOPHON_PART.search(text)) and not P.COLOPHON_PART.sub("", text).strip(" ,;")
    )


def read_footer(text: str) -> Footer | None:
    """The running footer on this line, if it is one (the letter's own number: the last of `nrs.`)."""
    match = P.FOOTER.match(text)
    if not match:
        return None
    chamber, start, end, dossier, number, second, page = match.groups()
    return Footer(chamber, f"{start}-{end}", dossier, second or number, int(page) if page else None)


def _is_printer_line(lines: list[Line], i: int) -> bool:
    """The archive's printer line, its `s-Gravenhage 1990` tail, or the distribution codes."""
    text = lines[i].text
    if P.PRINTER.match(text) or P.DISTRIBUTION.match(text):
        return True
    if P.PRINTER_TAIL.match(text):
        return True
    # A quote alone at a line end before `s-Gravenhage 1990` (the OCR split `'s-Gravenhage`).
    return text in ("'", "’") and i + 1 < len(lines) and bool(P.PRINTER_TAIL.match(lines[i + 1].text))


def remove_furniture(lines: list[Line]) -> tuple[list[Line], list[Footer]]:
    """Drop running footers, page numbers, colophons and web chrome; each becomes (part of) a page break.

    Text lines are numbered with their printed page (`number_pages`) before breaks are merged.
    """
    footers: list[Footer] = []
    out: list[Line] = []
    in_signers_list = False
    for i, line in enumerate(lines):
        if line.is_text:
            if line.text == "Ondertekenaars" or (in_signers_list and SIGNERS_LIST.match(line.text)):
                in_signers_list = True
                out.append(Line("", BLANK))
                continue
            if in_signers_list and out and i > 0 and SIGNERS_LIST.match(lines[i - 1].text) and lines[i - 1].text != "-":
                out.append(Line("", BLANK))  # the signer named under `Eerste ondertekenaar`
                continue
            in_signers_list = False
            footer = read_footer(line.text)
            if footer:
                footers.append(footer)
                out.append(Line(str(footer.page or ""), PAGE))
                continue
            if _is_colophon(line.text) or _is_printer_line(lines, i):
                out.append(Line("", PAGE, boundary=False))
                continue
            if WEB_CHROME.match(line.text):
                out.append(Line("", BLANK))
                continue
            if line.text.endswith(("'", "’")) and P.PRINTER.match(line.text[:-1].rstrip()):
                out.append(Line("", PAGE, boundary=False))
                continue
        out.append(line)
    out = _drop_page_numbers(out)
    number_pages(out)
    return collapse(out), footers


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    """A number alone on its line next to a page break (only blank lines between) is a page number."""

    def next_kind(i: int, step: int) -> str | None:
        j = i + step
        while 0 <= j < len(lines) and lines[j].kind == BLANK:
            j += step
        if not 0 <= j < len(lines):
            return "edge"
        return lines[j].kind

    out = []
    for i, line in enumerate(lines):
        if line.is_text and P.LONE_NUMBER.match(line.text):
            if PAGE in (next_kind(i, -1), next_kind(i, 1)) or next_kind(i, 1) == "edge":
                out.append(Line(line.text, PAGE))  # the number stays on the PAGE line, for number_pages
                continue
        out.append(line)
    return out


def number_pages(lines: list[Line]) -> None:
    """Give each text line the printed page it stands on, or leave every page None.

    A page ends at a form feed, a cleaned-layout page start, a running footer or a page number; the
    colophon is no page end. Numbers are only given when the text shows page ends at all and what it
    says of page numbers agrees with the count (a footer or page number saying `2` where the count is
    at 1 means the text hid a page break: then no line gets a page).
    """
    page = 1
    pending = False
    agree = True
    shows_pages = False
    for line in lines:
        if line.kind == PAGE:
            if not line.boundary:
                continue
            shows_pages = True
            printed = int(line.text) if line.text.isdigit() else None
            if printed is not None and printed != page:
                agree = False
            pending = True
        elif line.is_text:
            if pending:
                page += 1
                pending = False
            line.page = page
    if not (shows_pages and agree):
        for line in lines:
            line.page = None


def collapse(lines: list[Line]) -> list[Line]:
    """Merge runs of page breaks and blank lines: one PAGE if the run held one, else one BLANK."""
    out: list[Line] = []
    for line in lines:
        if line.kind != TEXT and out and out[-1].kind != TEXT:
            previous = out[-1]
            blank = previous.kind == BLANK or line.kind == BLANK or previous.gap_blank or line.gap_blank
            kind = PAGE if PAGE in (previous.kind, line.kind) else BLANK
            boundary = (previous.kind == PAGE and previous.boundary) or (line.kind == PAGE and line.boundary)
            out[-1] = Line("", kind, gap_blank=blank and kind == PAGE, boundary=boundary)
            continue
        out.append(line)
    while out and out[0].kind != TEXT:
        out.pop(0)
    while out and out[-1].kind != TEXT:
        out.pop()
    return out
