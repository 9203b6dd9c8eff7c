"""Which kind of source a letter's text comes from, as far as the parser needs to know.

- `print`: text a PDF extractor made of the printed letter, in the full or the cleaned layout
  (docs/FORMAT.md), or the text of the official web page (its paragraphs are separated by blank lines
  or wrapped like the print; the parser reads it like the cleaned or the full layout).
- `ocr`: the parliamentary archive's OCR of a scanned print (Staten-Generaal Digitaal): one paragraph
  per line, no blank lines, line-end hyphens already joined, OCR damage (a `'` or `^` for the
  footnote digit 1, several footnotes on one line, the printer's line under the text).

The difference matters in three places: paragraphs (one per line in the OCR), footnote markers (the
OCR's stand-ins for the digit 1) and page numbers (the OCR shows no page breaks).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from briefreader.parse import patterns as P
from briefreader.parse.lines import Line

Source = Literal["print", "ocr"]

#: A printed line holds at most ~100 characters; a text whose lines are mostly longer than 120
#: (whole paragraphs on one line) and that has no blank lines between them is the archive's OCR.
OCR_LINE_LENGTH = 120
#: ... when at least this share of its characters stands in such long lines,
OCR_LONG_SHARE = 0.5
#: ... and at most this share of the gaps between text lines is a blank line.
OCR_MAX_BLANK_SHARE = 0.1


def detect_source(lines: list[Line]) -> Source:
    """`ocr` for the archive's OCR text (long lines, no blank lines, or its printer's line), else `print`."""
    texts = [line.text for line in lines if line.is_text]
    if not texts:
        return "print"
    if any(P.PRINTER.match(text) for text in texts) and not any(P.COLOPHON_PART.search(t) for t in texts):
        return "ocr"
    total = sum(len(text) for text in texts)
    long = sum(len(text) for text in texts if len(text) > OCR_LINE_LENGTH)
    blanks = sum(1 for a, b in pairwise(lines) if a.is_text and b.kind == "blank")
    if total and long / total >= OCR_LONG_SHARE and blanks <= OCR_MAX_BLANK_SHARE * len(texts):
        return "ocr"
    return "print"
