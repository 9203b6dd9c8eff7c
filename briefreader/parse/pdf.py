"""PDF -> the full text layout the text parser reads, then `parse_text`.

The extractor is pypdfium2 (PDFium, the PDF engine of Chromium). Its own plain text already follows
the page well, but it ends a line after every raised footnote marker (`Overheid1` newline `. In mijn`)
and it follows the order of the content stream, in which a typesetter may have written the footnotes
or the footer before the body. So the lines are rebuilt here from the characters' positions:

- characters sharing a baseline and a font size form a run; runs on one baseline form a line;
- a run set smaller and raised above a line's baseline is a superscript: it is glued to the word
  before it (`Overheid1.`), which is what the text parser reads as a footnote marker;
- lines are ordered top to bottom, so the footnotes come after the body of their page;
- text left of the body's left edge (the colophon of page 1, `kst-...`, `ISSN ...`) is written after
  the page's other lines, where the text parser recognises it by its pattern;
- a vertical gap clearly larger than the line pitch becomes a blank line (a paragraph break);
- pages are separated by `\\f`.

Why pypdfium2 and not pypdf: see `bench/bench_pdf.py` and the README. In short, neither library's
plain text is good enough as it is (pypdf keeps markers glued but follows the content stream and gives
no paragraph breaks; PDFium detaches markers), so the lines have to be rebuilt from geometry, and
PDFium gives every character's origin, box and font size directly, where pypdf's text visitor gives
text chunks without glyph widths. PDFium's raw extraction is also about five times faster than
pypdf's, which pays for the character pass (together about 4 ms a page, as fast as pypdf alone).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from briefreader.model import Letter, LetterError

#: A letter runs to a few dozen pages, a budget with its annexes to a few hundred; more than this is not
#: a letter, and reading it would take minutes.
MAX_PDF_PAGES = 2_000

# Glyph replacements: PDFium reports a line-end hyphen it recognises as U+0002 (U+FFFE in its text).
_REPLACE = {"\x02": "-", "\ufffe": "-", "\x00": ""}


@dataclass
class _Run:
    """Consecutive characters on one baseline in one font size."""

    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF units (grows upwards)
    size: float


@dataclass
class _Line:
    y: float
    size: float
    runs: list[_Run] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(run.x0 for run in self.runs)


def _open(data: bytes, source: str):
    import pypdfium2 as pdfium

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LetterError(source, "is not a PDF file (no %PDF header)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # PDFium refuses a document without pages without setting its (process-wide) last error,
        # so the error it reports is "success", or whatever failed before in this process.
        if "success" in str(error).lower() or (_EMPTY_PAGE_TREE.search(data) and not _PAGE_OBJECT.search(data)):
            raise LetterError(source, "is a PDF without pages (nothing to read)") from None
        raise LetterError(source, _problem(error)) from None


#: An empty page tree (`/Count 0`) and no page object (`/Type /Page`, not `/Pages`) in the raw
#: bytes. Used only to name the problem once PDFium has refused a file; a PDF whose objects are
#: compressed shows neither, and then PDFium's own message is kept.
_EMPTY_PAGE_TREE = re.compile(rb"/Count\s*0(?![0-9])")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _problem(error: Exception) -> str:
    """PDFium's error (`Failed to load document (PDFium: Data format error).`) said for people."""
    text = str(error)
    if "password" in text.lower():
        return "is a password-protected PDF (remove the password first)"
    reason = text.rsplit("PDFium:", 1)[-1].strip(" .)") if "PDFium:" in text else text.rstrip(".")
    return f"is a damaged PDF ({reason[:1].lower() + reason[1:]})"


def _page_runs(textpage) -> list[_Run]:
    """The runs of a page, in the order PDFium reads them.

    Per character only its origin and font size are asked (two calls); a glyph box is asked once
    per run, for the run's right edge. That keeps the Python side at a few ms per page.
    """
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    handle = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    get_origin, get_size = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize
    # get_text_range gives one UTF-16 unit per character index except for astral characters; fall
    # back to asking per character when the lengths disagree.
    per_char = len(text) != count

    runs: list[_Run] = []
    chars: list[str] = []
    run_y = run_size = last_x = 0.0
    last_index = -1
    current: _Run | None = None

    def close() -> None:
        if current is not None:
            current.text = "".join(chars)
            raw.FPDFText_GetLooseCharBox(handle, last_index, box)
            current.x1 = max(box.left, box.right, current.x0)

    for i in range(count):
        char = chr(raw.FPDFText_GetUnicode(handle, i)) if per_char else text[i]
        if char == "\r" or char == "\n":
            close()
            current = None
            continue
        char = _REPLACE.get(char, char)
        if not char:
            continue
        get_origin(handle, i, x, y)
        size = get_size(handle, i)
        here = x.value
        if (
            current is not None
            and abs(run_y - y.value) < 0.5
            and abs(run_size - size) < 0.6
            and -1.0 < here - last_x < 2.0 * max(size, 1.0)
        ):
            chars.append(char)
        else:
            close()
            current = _Run("", here, here, y.value, round(size, 1))
            runs.append(current)
            chars = [char]
            run_y, run_size = y.value, size
        last_x = here
        if char != " ":
            last_index = i
    close()
    return [run for run in runs if run.text.strip()]


def _is_superscript(run: _Run, line: _Line) -> bool:
    """Smaller than the line's text and raised above its baseline."""
    rise = run.y - line.y
    return run.size < line.size * 0.85 and 0.15 * line.size < rise < 0.75 * line.size


def _lines(runs: list[_Run]) -> list[_Line]:
    """Group runs into lines (largest text first, so superscripts find their line), top to bottom."""
    lines: list[_Line] = []
    for run in sorted(runs, key=lambda r: -r.size):
        for line in lines:
            if abs(run.y - line.y) < 0.3 * line.size or _is_superscript(run, line):
                line.runs.append(run)
                break
        else:
            lines.append(_Line(run.y, run.size, [run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x0)
    lines.sort(key=lambda line: (-line.y, line.x0))
    return lines


def _line_text(line: _Line) -> str:
    """The runs of a line joined: markers glued, a space where the gap is a word gap."""
    parts: list[str] = []
    previous: _Run | None = None
    for run in line.runs:
        text = run.text
        if previous is not None:
            if _is_superscript(run, line):
                # A marker belongs to the word before it, whatever the typesetter's spacing.
                if parts:
                    parts[-1] = parts[-1].rstrip()
                text = text.strip()
            else:
                gap = run.x0 - previous.x1
                joined_by_space = parts[-1].endswith(" ") or text.startswith(" ")
                if gap > 0.2 * line.size and not joined_by_space:
                    parts.append(" ")
        parts.append(text)
        previous = run
    return " ".join("".join(parts).split())


def _body_left(lines: list[_Line]) -> float | None:
    """The left edge most lines start at (weighted by length): the body column."""
    weight: dict[int, int] = {}
    for line in lines:
        key = round(line.x0 / 4)
        weight[key] = weight.get(key, 0) + sum(len(run.text) for run in line.runs)
    if not weight:
        return None
    return max(weight, key=weight.get) * 4


def _page_text(runs: list[_Run]) -> str:
    left = _body_left(_lines(runs)) if runs else None
    # Text left of the body column (page 1's colophon) can share a baseline with a footnote; take it
    # out before lines are formed, so the two never merge.
    if left is not None:
        margin_runs = [run for run in runs if run.x1 < left - 6]
        runs = [run for run in runs if run.x1 >= left - 6]
    else:
        margin_runs = []
    body = _lines(runs)
    margin = _lines(margin_runs)
    # The usual distance between consecutive baselines of body text: a clearly larger step is a
    # paragraph (or block) break.
    steps = [a.y - b.y for a, b in pairwise(body) if abs(a.size - b.size) < 0.6 and a.y > b.y]
    pitch = median(steps) if steps else None
    out: list[str] = []
    for i, line in enumerate(body):
        if i and pitch:
            step = body[i - 1].y - line.y
            if step > pitch * 1.35 + 0.5:
                out.append("")
        out.append(_line_text(line))
    if margin:
        out.append("")
        out += [_line_text(line) for line in margin]
    return "\n".join(out) + "\n"


def extract_text(data: bytes, source: str = "<pdf>") -> str:
    """The text of the PDF `data`, page by page (`\\f` between pages), lines rebuilt from positions.

    Raises LetterError when the data is not a PDF, is damaged or encrypted, or has no text layer.
    """
    import pypdfium2 as pdfium

    document = _open(data, source)
    pages: list[str] = []
    if len(document) == 0:
        document.close()
        raise LetterError(source, "is a PDF without pages (nothing to read)")
    if len(document) > MAX_PDF_PAGES:
        count = len(document)
        document.close()
        raise LetterError(source, f"is a PDF of {count:,} pages (briefreader reads letters of at most {MAX_PDF_PAGES:,})")
    try:
        for index in range(len(document)):
            try:
                page = document[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as error:
                raise LetterError(source, f"{_problem(error)} on page {index + 1}") from None
            try:
                pages.append(_page_text(_page_runs(textpage)))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        raise LetterError(source, "has no text layer (a scanned PDF? briefreader does no OCR)")
    return "\f".join(pages)


def parse_pdf(data: bytes, source: str = "<pdf>") -> Letter:
    """Parse the PDF `data` as a letter: extract the text, then the text parser."""
    from briefreader.parse.decode import normalise
    from briefreader.parse.text import parse_text

    return parse_text(normalise(extract_text(data, source)), source=source)


__all__ = ["extract_text", "parse_pdf"]
