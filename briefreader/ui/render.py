"""Model and search hits -> Textual `Content`: the one place where styles and `@click` spans are made.

Letter text, titles, file names and queries are data. Nothing here builds a markup string: every
piece of untrusted text enters as `Content(text)` and gets its styles as spans laid over character
offsets. The only `@click` actions in the reader are the ones `link_style` makes, and they carry an
integer index into the caller's link table, never any text from a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal, Sequence

from rich.text import Text
from textual.content import Content, Span
from textual.style import Style

from briefreader.display import dutch_date, superscript
from briefreader.model import Footnote, Letter, Paragraph, Reference

#: Theme-aware styles (Textual resolves the `$variables` against the current theme).
MATCH_STYLE = "bold $text-warning on $warning 25%"
FOCUSED_LINK_STYLE = "reverse"
TITLE_STYLE = "bold $text-accent"
SECTION_STYLE = "bold $text-primary"
MUTED_STYLE = "$text-muted"
LABEL_STYLE = "bold"
MARKER_STYLE = "bold"

LinkKind = Literal["footnote", "letter", "url"]

#: A place in a letter view: ("p", paragraph position) or ("f", footnote number).
Anchor = tuple[str, int]

# URLs as they stand in footnotes; trailing punctuation belongs to the sentence, not the URL.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
_URL_TRAILING = ".,;:)]'’”"


@dataclass(frozen=True)
class Link:
    """Something the reader can follow: a footnote marker, a citation of a corpus letter, a URL.

    `index` is the link's position in the owner's link table and the only argument of the
    `link(index)` click action. `anchor` is the block it sits in; `start`/`end` are offsets into that
    block's clean text (a footnote marker has start == end == where the marker stood).
    """

    index: int
    kind: LinkKind
    anchor: Anchor
    start: int
    end: int
    target: int | str

    @property
    def description(self) -> str:
        """A short plain description, for notifications and tooltips."""
        if self.kind == "footnote":
            return f"footnote {self.target}"
        if self.kind == "letter":
            return f"letter {self.target}"
        return str(self.target)


def find_urls(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every URL in `text`, without trailing sentence punctuation."""
    spans = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TRAILING:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def link_style(index: int) -> Style:
    """The style that makes a span clickable: it runs the owner's `link(index)` action."""
    return Style.from_meta({"@click": f"link({int(index)})"})


def _clip(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans limited to [0, length], empty ones dropped (highlights from another analysis may overrun)."""
    result = []
    for start, end in spans:
        start, end = max(0, int(start)), min(length, int(end))
        if end > start:
            result.append((start, end))
    return result


def linked_text(
    text: str,
    *,
    links: Sequence[Link] = (),
    highlights: Iterable[tuple[int, int]] = (),
    focused: int | None = None,
) -> Content:
    """`text` with its matches highlighted, its links clickable and footnote markers put back.

    Footnote links (`kind == "footnote"`) are inserted as superscript numbers at their offset; the
    other links are laid over their span of the text. `focused` is the index of the link the
    keyboard cursor is on, shown reversed.
    """
    spans: list[Span] = [Span(start, end, MATCH_STYLE) for start, end in _clip(highlights, len(text))]
    markers: list[Link] = []
    for link in links:
        if link.kind == "footnote":
            markers.append(link)
            continue
        for start, end in _clip([(link.start, link.end)], len(text)):
            spans.append(Span(start, end, link_style(link.index)))
            if link.index == focused:
                spans.append(Span(start, end, FOCUSED_LINK_STYLE))
    content = Content(text, spans)
    # Insert markers right to left so earlier offsets stay valid.
    for link in sorted(markers, key=lambda item: item.start, reverse=True):
        at = max(0, min(len(text), link.start))
        marker = Content.styled(superscript(int(link.target)), link_style(link.index))
        marker = marker.stylize(MARKER_STYLE)
        if link.index == focused:
            marker = marker.stylize(FOCUSED_LINK_STYLE)
        content = content[:at] + marker + content[at:]
    return content


def paragraph_links(
    position: int,
    paragraph: Paragraph,
    references: Sequence[tuple[Reference, str]],
    start_index: int,
) -> list[Link]:
    """The links of one paragraph, in reading order: its footnote markers and resolved citations.

    `references` holds (reference, target letter id) for the citations in this paragraph that point
    to a letter in the corpus. Indexes are numbered from `start_index`.
    """
    items: list[tuple[int, int, LinkKind, int, int | str]] = []
    for note in paragraph.notes:
        items.append((note.at, 1, "footnote", note.at, note.n))
    for reference, target in references:
        items.append((reference.start, 0, "letter", reference.end, target))
    items.sort(key=lambda item: (item[0], item[1]))
    return [
        Link(start_index + i, kind, ("p", position), start, end, target)
        for i, (start, _order, kind, end, target) in enumerate(items)
    ]


def footnote_links(
    footnote: Footnote, references: Sequence[tuple[Reference, str]], start_index: int
) -> list[Link]:
    """The links of one footnote: its URLs and its resolved citations, in reading order."""
    items: list[tuple[int, int, LinkKind, int | str]] = []
    for start, end in find_urls(footnote.text):
        items.append((start, end, "url", footnote.text[start:end]))
    for reference, target in references:
        if not any(s <= reference.start < e for s, e, _k, _t in items):
            items.append((reference.start, reference.end, "letter", target))
    items.sort(key=lambda item: item[0])
    return [
        Link(start_index + i, kind, ("f", footnote.n), start, end, target)
        for i, (start, end, kind, target) in enumerate(items)
    ]


def paragraph_content(
    paragraph: Paragraph,
    links: Sequence[Link] = (),
    highlights: Iterable[tuple[int, int]] = (),
    focused: int | None = None,
) -> Content:
    """A paragraph or list item of the letter, ready for a `Static`."""
    return linked_text(paragraph.text, links=links, highlights=highlights, focused=focused)


def footnote_content(
    footnote: Footnote,
    links: Sequence[Link] = (),
    highlights: Iterable[tuple[int, int]] = (),
    focused: int | None = None,
) -> Content:
    """A footnote: its number, then its text with URLs and citations as links."""
    number = Content.styled(f"{footnote.n} ", MARKER_STYLE)
    return number + linked_text(footnote.text, links=links, highlights=highlights, focused=focused)


def item_marker(paragraph: Paragraph) -> str:
    """The bullet shown before a list item whose text does not carry its own number or letter."""
    if re.match(r"^\s*(?:\d+[.)]|[a-z][.)]|[•▪●◦–-])\s", paragraph.text):
        return ""
    return "•"


def letter_header(
    letter: Letter, *, letter_id: str | None = None, cited_by: Sequence[str] = ()
) -> Content:
    """The head of the letter view: title, date, dossier and number, addressee, signatories."""
    lines: list[Content] = []
    title = letter.title or letter_id or "Untitled letter"
    lines.append(Content.styled(title, TITLE_STYLE))
    facts: list[Content] = []
    if letter.date:
        place = f"{letter.place}, " if letter.place else ""
        facts.append(Content(place + dutch_date(letter.date)))
    for dossier in letter.dossiers:
        text = f"Kamerstuk {dossier.number}"
        if dossier.title:
            text += f" {dossier.title}"
        facts.append(Content(text))
    if letter.number:
        facts.append(Content(f"nr. {letter.number}"))
    if letter.kst_id:
        facts.append(Content.styled(letter.kst_id, MUTED_STYLE))
    if facts:
        lines.append(Content(" · ").join(facts))
    if letter.addressee:
        lines.append(Content.assemble(("Aan ", MUTED_STYLE), letter.addressee.removeprefix("Aan ")))
    for signatory in letter.signatories:
        lines.append(
            Content.assemble(
                (signatory.name, LABEL_STYLE), (", ", MUTED_STYLE), (signatory.function, MUTED_STYLE)
            )
        )
    if letter.tags:
        lines.append(Content.assemble(("tags: ", MUTED_STYLE), ", ".join(letter.tags)))
    if cited_by:
        lines.append(Content.assemble(("cited by: ", MUTED_STYLE), ", ".join(cited_by)))
    return Content("\n").join(lines)


def section_title(title: str | None) -> Content:
    """A section heading of the letter."""
    return Content.styled(title or "", SECTION_STYLE)


def notice(text: str, style: str = MUTED_STYLE) -> Content:
    """A plain message (may name a file) shown in place of content."""
    return Content.styled(text, style)


def hit_content(hit, *, width: int | None = None) -> Content:
    """One search result: letter date and title, the section, and the snippet with its matches."""
    date = (hit.date or "")[:10]
    first = Content.assemble((date + "  " if date else "", MUTED_STYLE), (hit.title or hit.letter, "bold"))
    where: list[str] = []
    if hit.section:
        where.append(f"§ {hit.section}")
    if hit.footnote is not None:
        where.append(f"footnote {hit.footnote}")
    lines = [first]
    if where:
        lines.append(Content.styled(" · ".join(where), MUTED_STYLE))
    snippet = hit.snippet or ""
    lines.append(
        Content(snippet, [Span(s, e, MATCH_STYLE) for s, e in _clip(hit.highlights, len(snippet))])
    )
    return Content("\n").join(lines)


def fuzzy_label(text: str, offsets: Iterable[int]) -> Content:
    """A command-palette label with the fuzzy-matched characters emphasised."""
    spans = [Span(offset, offset + 1, "bold $text-accent underline") for offset in offsets if 0 <= offset < len(text)]
    return Content(text, spans)


# Tree labels are Rich `Text` (Textual's Tree takes Text or markup strings, never Content).


def tree_letter_label(date: str | None, title: str) -> Text:
    """A letter in the tree: its date, then its short title."""
    label = Text()
    if date:
        label.append(date[:10] + " ", style="dim")
    label.append(title)
    return label


def tree_dossier_label(number: str, title: str | None, count: int) -> Text:
    """A dossier group in the tree."""
    label = Text()
    label.append(number, style="bold")
    if title:
        label.append(" " + title)
    label.append(f" ({count})", style="dim")
    return label


def tree_section_label(title: str | None) -> Text:
    """A section in the tree; the untitled opening part of a letter is called `opening`."""
    if title:
        return Text(title)
    return Text("(opening)", style="dim italic")


def short_title(title: str | None, fallback: str, limit: int = 60) -> str:
    """A title cut at a word boundary to at most `limit` characters."""
    text = (title or fallback).strip() or fallback
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def help_key(keys: str) -> Content:
    """The keys column of a help row."""
    return Content.styled(keys, "bold $text-accent")


def help_text(text: str) -> Content:
    """The description column of a help row."""
    return Content(text)
