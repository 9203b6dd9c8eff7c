"""Body lines -> blocks (headings, paragraphs, list items, tables), and lines -> clean text.

Two layouts meet here. In the cleaned layout blank lines separate paragraphs; in the full layout there
are hardly any blank lines and boundaries come from line shape: a short line that ends a sentence ends
its paragraph. In both, a page break or a blank line inside a sentence (`Ook Nederland` / `noemde`,
`EASO3` / `en Frontex4`) is rejoined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefreader.parse import patterns as P
from briefreader.parse.lines import BLANK, PAGE, Line


@dataclass
class Block:
    """A run of lines that form one heading, paragraph, list item or table."""

    kind: str  # "heading", "paragraph", "item", "table"
    lines: list[str] = field(default_factory=list)
    label: str = ""  # a heading's number or a numbered item's label
    page: int | None = None  # the printed page of its first line, when known


# --- line shape -----------------------------------------------------------------------------------


def strip_trailing_marker(text: str) -> str:
    """`ondersteuning.2` -> `ondersteuning.`; `in 2023` stays."""
    return P.TRAILING_MARKER.sub("", text)


def ends_sentence(text: str) -> bool:
    """Does the line end a sentence (`.`, `:`, `;`, `?`, `!`, maybe followed by a marker or quote)?"""
    return bool(P.SENTENCE_END.search(strip_trailing_marker(text)))


def starts_lower(text: str) -> bool:
    """Does the line continue a sentence: a lower-case word, or punctuation that can't start one?"""
    first = text[:1]
    return first.islower() or first in ",;:)]»”’%"


def starts_upper(text: str) -> bool:
    first = text.lstrip("‘“'\"(")[:1]
    return first.isupper() or first.isdigit()


def list_item(text: str) -> re.Match[str] | None:
    """A list item's first line (`– tekst`, `• tekst`, `1. tekst`, `a) tekst`), or a lone bullet."""
    return P.LIST_ITEM.match(text)


def numbered_heading(text: str) -> tuple[str, str] | None:
    """`1. Inleiding` / `2.1 Stand van zaken` / `II Verslag` -> (number, title)."""
    match = P.NUMBERED_HEADING.match(text)
    if not match or not heading_shape(match.group(2)):
        return None
    return match.group(1), match.group(2)


def heading_shape(text: str) -> bool:
    """Short, no final `.`, `;`, `:` or `,`, starts with a capital, not too many words, no sentence
    ending inside it."""
    text = text.strip()
    return (
        0 < len(text) <= 80
        and not text.endswith((".", ";", ":", ",", "-"))
        and starts_upper(text)
        and len(text.split()) <= 12
        and not _SENTENCE_INSIDE.search(text)
        and not P.NAME_LINE.match(text)
    )


_SENTENCE_INSIDE = re.compile(r"[.?!:;][\"'”’»)]*\d{0,3} +\S")


#: A URL piece holds a `/` or `www.` (`_is_url_piece`): most lines have neither.
_WWW = re.compile(r"www\.", re.I)


def url_continues(left: str, right: str) -> bool:
    """Does a URL at the end of `left` go on at the start of `right` (broken after `/`, `-`, `.`, `_`)?"""
    if "/" not in left and not _WWW.search(left):
        return False
    token = _last_token(left)
    if not _is_url_piece(token):
        return False
    first = right.split(None, 1)[0] if right.split() else ""
    if token.endswith(("/", "-", "_", "=", "&", "?", "#")):
        return True
    return token.endswith(".") and bool(re.match(r"^[\w%?=&#~-]+[./][\w./%?=&#~-]*$", first.rstrip(".,;:)")))


# --- segmentation ---------------------------------------------------------------------------------


@dataclass
class Gap:
    """What stands between two text lines."""

    blank: bool = False
    page: bool = False


def _text_lines(lines: list[Line]) -> list[tuple[str, Gap]]:
    """The text lines, each with the gap before it."""
    return [(text, gap) for text, gap, _page in _text_lines_with_pages(lines)]


def _text_lines_with_pages(lines: list[Line]) -> list[tuple[str, Gap, int | None]]:
    """The text lines, each with the gap before it and its printed page."""
    out: list[tuple[str, Gap, int | None]] = []
    gap = Gap()
    for line in lines:
        if line.kind == BLANK:
            gap.blank = True
        elif line.kind == PAGE:
            gap.page = True
            gap.blank = gap.blank or line.gap_blank
        else:
            out.append((line.text, gap, line.page))
            gap = Gap()
    return out


def layout_uses_blank_lines(lines: list[Line]) -> bool:
    """Cleaned layout: blank lines separate paragraphs (there are enough of them between text lines)."""
    items = _text_lines(lines)
    blanks = sum(1 for _text, gap in items[1:] if gap.blank and not gap.page)
    return blanks >= 2 and blanks * 30 >= len(items)


def typical_width(texts: list[str]) -> int:
    """The width of a full line: the 90th percentile of line lengths."""
    lengths = sorted(len(t) for t in texts if len(t) > 20)
    if not lengths:
        return 80
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]


def segment(lines: list[Line], paragraph_per_line: bool = False) -> list[Block]:
    """Group body lines into blocks; `paragraph_per_line` for the archive's OCR, where every line is a
    paragraph (or heading, or item) unless a sentence plainly goes on."""
    with_pages = _text_lines_with_pages(lines)
    items = [(text, gap) for text, gap, _page in with_pages]
    blank_mode = layout_uses_blank_lines(lines) or paragraph_per_line
    short = typical_width([t for t, _g in items]) * 0.75
    blocks: list[Block] = []
    current: Block | None = None
    for k, (text, gap) in enumerate(items):
        page = with_pages[k][2]
        if paragraph_per_line:
            gap = Gap(blank=True, page=gap.page)
        nxt = items[k + 1] if k + 1 < len(items) else None
        prev = current.lines[-1] if current and current.lines else None

        if current is not None and current.kind == "table":
            if gap.blank or gap.page:
                current, prev = None, None  # the table ended; nothing continues it
            else:
                current.lines.append(text)
                if P.TABLE_SOURCE.match(text):
                    current = None
                continue

        if current is not None and current.kind == "item" and not current.lines:
            current.lines.append(text)  # the text after a bullet that stood alone on its line
            continue

        # A line-end hyphen, a broken URL or a sentence that goes on: always the same block.
        if prev is not None and current.kind != "heading":
            if url_continues(prev, text):
                current.lines.append(text)
                continue
            if prev.endswith("-") and not prev.endswith(" -") and not text.startswith(("-", "–", "•")):
                current.lines.append(text)
                continue
            if not ends_sentence(prev) and starts_lower(text):
                current.lines.append(text)
                continue

        if P.TABLE_CAPTION.match(text) and (prev is None or ends_sentence(prev) or gap.blank):
            current = Block("table", [text], page=page)
            blocks.append(current)
            continue

        heading = _heading(text, prev, gap, nxt, blank_mode, short)
        if heading is not None:
            number, title = heading
            blocks.append(Block("heading", [title], label=number, page=page))
            current = blocks[-1]
            continue

        item = list_item(text)
        if item and _starts_item(text, prev, current, gap):
            marker, rest = item.group(1), item.group(2)
            label = "" if marker in "•▪●◦·*–—-" else marker
            current = Block("item", [rest] if rest else [], label=label, page=page)
            blocks.append(current)
            continue

        new_block = (
            current is None
            or current.kind == "heading"
            or (current.kind == "item" and ends_sentence(prev or ""))
            or (gap.blank and not _page_continuation(gap, blank_mode))
            or (not blank_mode and prev is not None and ends_sentence(prev) and len(prev) < short)
        )
        if new_block:
            current = Block("paragraph", [text], page=page)
            blocks.append(current)
        else:
            current.lines.append(text)
    return [b for b in blocks if b.lines]


def _page_continuation(gap: Gap, blank_mode: bool) -> bool:
    """A page break with a blank line around it is still no paragraph break in the full layout."""
    return gap.page and not blank_mode


def _heading(
    text: str, prev: str | None, gap: Gap, nxt: tuple[str, Gap] | None, blank_mode: bool, short: float
) -> tuple[str, str] | None:
    """(number, title) if `text` is a heading here, else None."""
    if nxt is None:
        return None
    next_text, next_gap = nxt
    if next_gap.page and not next_gap.blank and blank_mode:
        return None  # the short last line of a page
    if not (starts_upper(next_text) or list_item(next_text)):
        return None
    if prev is not None and not (ends_sentence(prev) or gap.blank):
        return None
    numbered = numbered_heading(text)
    if numbered:
        return numbered
    if list_item(text) or not heading_shape(text) or "," in text:
        return None
    if not blank_mode and len(text) >= short:
        return None  # in the full layout a heading is clearly shorter than a full line
    if next_gap.page and not blank_mode:
        return None  # a short line before a page break continues on the next page
    if blank_mode and not (next_gap.blank or next_gap.page):
        return None  # in the cleaned layout a heading stands alone between blank lines
    if not blank_mode and prev is not None and not ends_sentence(prev):
        return None
    return "", text


def _starts_item(text: str, prev: str | None, current: Block | None, gap: Gap) -> bool:
    """A bullet or dash at a line start begins an item only where a list can begin or go on; after a
    sentence that goes on (`het kabinet` / `– zoals gemeld –`) it is a dash in that sentence."""
    return prev is None or gap.blank or ends_sentence(prev) or (current is not None and current.kind == "item")


# --- joining lines --------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
_KEEP_AFTER_HYPHEN = re.compile(r"^(?:en|of|tot|als|dan|noch)\b")
#: Vowel pairs that would read as one sound if a compound lost its hyphen (`informatie-uitwisseling`).
_VOWEL_CLASH = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "ij", "oe", "oi", "oo", "ou", "ui", "uu"}


class Lexicon:
    """The words of a letter, as evidence for undoing line-end hyphenation."""

    def __init__(self, texts: list[str]) -> None:
        self.hyphenated: set[str] = set()
        self.words: set[str] = set()
        for text in texts:
            # Only hyphens inside a line are evidence; a line-end hyphen is what we are deciding.
            body = text[:-1] if text.endswith("-") else text
            for word in _WORD.findall(body):
                lower = word.lower()
                self.words.add(lower)
                if "-" in lower:
                    self.hyphenated.add(lower)
                    self.words.update(lower.split("-"))


def _last_token(text: str) -> str:
    parts = text.rsplit(None, 1)
    return parts[-1] if parts else ""


def _is_url_piece(token: str) -> bool:
    return bool(P.URL_START.search(token)) or token.count("/") >= 2


def join_pair(left: str, right: str, lexicon: Lexicon) -> str:
    """Join two lines of one paragraph: undo a syllable hyphen, keep a real one, rejoin URLs."""
    if url_continues(left, right):
        return left + right
    if left.endswith("-") and len(left) >= 2 and not left.endswith(" -"):
        before = left[-2]
        after = right[:1]
        if _KEEP_AFTER_HYPHEN.match(right):
            return f"{left} {right}"  # `migratie-` / `en asielpact`
        if not before.isalpha() or before.isupper() or after.isupper() or after.isdigit() or not after.isalpha():
            return left + right  # `EU-` / `lidstaten`, `21 501-` / `20`, `JBZ-` / `Raad`
        head = _WORD.findall(left[:-1])
        tail = _WORD.findall(right)
        head_word = head[-1].lower() if head and left[:-1].endswith(head[-1]) else ""
        tail_word = tail[0].lower() if tail and right.startswith(tail[0]) else ""
        if head_word and tail_word:
            if f"{head_word}-{tail_word}" in lexicon.hyphenated:
                return left + right  # the compound is hyphenated elsewhere in the letter
            if (head_word + tail_word) not in lexicon.words and (
                head_word[-1:] + tail_word[:1] in _VOWEL_CLASH
            ):
                return left + right  # `informatie-` / `uitwisseling`
        return left[:-1] + right
    return f"{left} {right}"


def join_lines(lines: list[str], lexicon: Lexicon) -> str:
    """The clean text of a paragraph or footnote from its lines."""
    text = ""
    for line in lines:
        text = line if not text else join_pair(text, line, lexicon)
    return re.sub(r"[ ]{2,}", " ", text).strip()
