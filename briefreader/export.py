"""A letter as Markdown: YAML front matter with its metadata, headings, paragraphs, list items, and
its footnotes as Markdown footnotes (`[^4]` where the marker stood, `[^4]: text` at the end).

For `briefreader show LETTER --format markdown`. Plain text in, plain text out (no Textual, no Rich).
Letter text is data, not Markdown: characters Markdown would read as formatting (`*`, `_`, `[`,
a `#` or `-` at a line start, ...) are escaped, so the export renders as the letter reads.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from briefreader.model import Letter, Paragraph

__all__ = ["letter_markdown", "escape_markdown"]

# Characters that are formatting anywhere in a line (CommonMark's backslash-escapable ASCII
# punctuation that can start inline syntax) and what is formatting only at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """`text` with what Markdown would read as formatting escaped (one line or several)."""
    return _escape_line_starts(_escape_inline(text))


def _escape_inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    return "\n".join(_LINE_START.sub(lambda m: m.group(1) + _escape_block(m.group(2)), line) for line in text.split("\n"))


def _escape_block(token: str) -> str:
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1]  # `1.` -> `1\.`
    return "\\" + token


def _front_matter(letter: Letter, letter_id: str | None) -> str:
    data: dict[str, Any] = {}
    if letter_id:
        data["id"] = letter_id
    data["title"] = letter.title
    data["date"] = letter.date.isoformat() if letter.date else None
    if letter.dossiers:
        data["dossiers"] = [{"number": d.number, "title": d.title} for d in letter.dossiers]
    if letter.number:
        data["number"] = letter.number
    if letter.kst_id:
        data["kamerstuk"] = letter.kst_id
    if letter.session:
        data["session"] = letter.session
    if letter.chamber:
        data["chamber"] = letter.chamber
    if letter.addressee:
        data["addressee"] = letter.addressee
    if letter.place:
        data["place"] = letter.place
    if letter.signatories:
        data["signatories"] = [{"function": s.function, "name": s.name} for s in letter.signatories]
    if letter.tags:
        data["tags"] = list(letter.tags)
    if letter.notes:
        data["notes"] = letter.notes
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"---\n{body}---\n"


def _with_footnote_refs(paragraph: Paragraph) -> str:
    """The paragraph's text, escaped, with `[^n]` where each footnote marker stood."""
    text = paragraph.text
    pieces: list[str] = []
    previous = 0
    for note in sorted(paragraph.notes, key=lambda note: note.at):
        at = max(previous, min(len(text), note.at))
        pieces.append(_escape_inline(text[previous:at]))
        pieces.append(f"[^{note.n}]")
        previous = at
    pieces.append(_escape_inline(text[previous:]))
    return _escape_line_starts("".join(pieces))


def _item(paragraph: Paragraph) -> str:
    # An item that carries its own number or bullet (`1. ...`, `– ...`) keeps it, escaped, as text.
    return f"- {_with_footnote_refs(paragraph)}"


def letter_markdown(letter: Letter, *, letter_id: str | None = None) -> str:
    """The letter as a Markdown document (ending with a newline)."""
    out: list[str] = [_front_matter(letter, letter_id)]
    if letter.title:
        out.append(f"# {escape_markdown(letter.title)}\n")
    for section in letter.sections:
        if section.title:
            out.append(f"## {escape_markdown(section.title)}\n")
        items: list[str] = []
        for paragraph in section.paragraphs:
            if paragraph.kind == "item":
                items.append(_item(paragraph))
                continue
            if items:
                out.append("\n".join(items) + "\n")
                items = []
            out.append(_with_footnote_refs(paragraph) + "\n")
        if items:
            out.append("\n".join(items) + "\n")
    if letter.signatories:
        out.append("\n\n".join(f"{escape_markdown(s.function)},\\\n{escape_markdown(s.name)}" for s in letter.signatories) + "\n")
    if letter.footnotes:
        notes = [f"[^{footnote.n}]: {escape_markdown(footnote.text)}" for footnote in letter.footnotes]
        out.append("\n".join(notes) + "\n")
    return "\n".join(out)
