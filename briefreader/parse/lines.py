"""Lines, page breaks and page furniture: the first cut through extracted letter text.

The text is turned into a list of `Line`s in which page furniture (running footers, page numbers, the
colophon) is gone and every page boundary is one `PAGE` line, wherever the extractor put it: a form
feed, a running footer, the colophon, or (in the cleaned layout) a line that starts with a space.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefreader.parse import patterns as P


@dataclass
class Line:
    """One line of the letter: `text` is stripped; `kind` is "text", "blank" or "page"."""

    text: str
    kind: str = "text"
    #: On a PAGE line: a blank line stood at the page break too (a paragraph break in the cleaned layout).
    gap_blank: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


PAGE = "page"
BLANK = "blank"
TEXT = "text"


@dataclass
class Footer:
    """What a running footer says: chamber, session, dossier and number."""

    chamber: str
    session: str
    dossier: str
    number: str


def split_lines(text: str) -> list[Line]:
    """Text -> lines with page breaks marked.

    A line that starts with white space marks a new page in the cleaned layout, unless many lines
    are indented (then indentation is just layout, as in `pdftotext -layout`).
    """
    raw = text.split("\n")
    non_blank = [line for line in raw if line.strip()]
    indented = sum(1 for line in non_blank if line[:1].isspace() and not line.startswith("\f"))
    indent_marks_page = indented <= max(3, len(non_blank) // 5)

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


def remove_furniture(lines: list[Line]) -> tuple[list[Line], list[Footer]]:
    """Drop running footers, page numbers and the colophon; each becomes (part of) a page break."""
    footers: list[Footer] = []
    out: list[Line] = []
    for line in lines:
        if line.is_text:
            footer = P.FOOTER.match(line.text)
            if footer:
                chamber, start, end, dossier, number, _page = footer.groups()
                footers.append(Footer(chamber, f"{start}-{end}", dossier, number))
                out.append(Line("", PAGE))
                continue
            if _is_colophon(line.text):
                out.append(Line("", PAGE))
                continue
        out.append(line)
    return _drop_page_numbers(out), footers


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
                out.append(Line("", PAGE))
                continue
        out.append(line)
    return collapse(out)


def collapse(lines: list[Line]) -> list[Line]:
    """Merge runs of page breaks and blank lines: one PAGE if the run held one, else one BLANK."""
    out: list[Line] = []
    for line in lines:
        if line.kind != TEXT and out and out[-1].kind != TEXT:
            previous = out[-1]
            blank = previous.kind == BLANK or line.kind == BLANK or previous.gap_blank or line.gap_blank
            kind = PAGE if PAGE in (previous.kind, line.kind) else BLANK
            out[-1] = Line("", kind, gap_blank=blank and kind == PAGE)
            continue
        out.append(line)
    while out and out[0].kind != TEXT:
        out.pop(0)
    while out and out[-1].kind != TEXT:
        out.pop()
    return out
