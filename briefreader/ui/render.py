"""Model and search hits -> Textual `Content`: the one place where styles and `@click` spans are made.

Letter text, titles, sidecar values, file names, ids and queries are data. Nothing here builds a
markup string: every piece of outside text enters as `Content(text)` and gets its styles as spans
laid over character offsets. Before that it passes through `briefreader.sanitise.visible`, so a
control character in a letter or a title (`ESC ] 52 ;` rewriting the clipboard, `ESC [ 2 J`
clearing the screen) is shown, never sent to the terminal. (Textual's `Content` drops BEL, CR
and a few others by itself, but passes ESC through.) The only `@click` actions in the reader are
the ones `link_style` makes, and they carry an integer index into the caller's link table, never
any text from a letter. Strings for Textual APIs that take plain `str` (notifications, the
sub-title) come from `message()`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rich.text import Text
from textual.content import Content, Span
from textual.style import Style

from briefreader.display import dutch_date, superscript
from briefreader.model import Footnote, Letter, Paragraph, Reference
from briefreader.sanitise import visible

#: Theme-aware styles (Textual resolves the `$variables` against the current theme).
MATCH_STYLE = "bold $text-warning on $warning 25%"
FOCUSED_LINK_STYLE = "reverse"
TITLE_STYLE = "bold $text-accent"
SECTION_STYLE = "bold $text-primary"
MUTED_STYLE = "$text-muted"
LABEL_STYLE = "bold"
MARKER_STYLE = "bold"
NEW_STYLE = "bold $text-success"

LinkKind = Literal["footnote", "letter", "url"]

#: A place in a letter view: (kind, number). Kinds: "h" the header, "c" the cited-by line, "s" a
#: section heading (its index in `Letter.sections`), "p" a paragraph (its letter-wide position),
#: "t" the footnotes heading, "f" a footnote (its number), "n" a notice.
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
        return message(str(self.target))


def message(text: str) -> str:
    """Outside text for a Textual API that takes a plain string (`notify(..., markup=False)`,
    `App.sub_title`): control characters made visible."""
    return visible(text)


def error_text(error: Exception) -> str:
    """What to say of an exception caught in a worker: briefreader's own errors are already one line
    naming the file and the problem; any other gets its kind in front."""
    return str(error) if type(error).__module__.startswith("briefreader.") else f"{error.__class__.__name__}: {error}"


def one_line(text: str) -> str:
    """Outside text for a one-line label (titles, file names, ids): newlines and tabs shown too."""
    return visible(text, newlines=False)


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


def _visible_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """`visible(text)` and a map from offsets in `text` to offsets in it.

    Most control characters become one visible character (the offsets stay); C1 controls, bidi
    overrides and stray surrogates become escapes several characters long, and the spans laid over
    the text must move with them.
    """
    shown = visible(text)
    if len(shown) == len(text):
        return shown, lambda offset: offset
    grown_at: list[int] = []
    growth: list[int] = []
    total = 0
    for offset, char in enumerate(text):
        extra = len(visible(char)) - 1
        if extra:
            total += extra
            grown_at.append(offset)
            growth.append(total)

    def moved(offset: int) -> int:
        before = bisect_left(grown_at, offset)
        return offset + (growth[before - 1] if before else 0)

    return shown, moved


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
    keyboard cursor is on, shown reversed. Offsets are into `text`; a span that ends where a marker
    stands ends before the marker, one that starts there starts after it.
    """
    shown, moved = _visible_offsets(text)
    length = len(text)
    markers = sorted(
        (link for link in links if link.kind == "footnote"), key=lambda link: max(0, min(length, link.start))
    )
    # Where each marker goes in `shown`, and the text with the markers in.
    places = [moved(max(0, min(length, link.start))) for link in markers]
    labels = [superscript(int(link.target)) for link in markers]
    pieces: list[str] = []
    previous = 0
    for place, label in zip(places, labels, strict=True):
        pieces.append(shown[previous:place])
        pieces.append(label)
        previous = place
    pieces.append(shown[previous:])
    plain = "".join(pieces)
    # Total marker length inserted at or before each place, for moving offsets past them.
    inserted: list[int] = []
    total = 0
    for label in labels:
        total += len(label)
        inserted.append(total)

    def start_of(offset: int) -> int:
        at = moved(offset)
        count = bisect_right(places, at)
        return at + (inserted[count - 1] if count else 0)

    def end_of(offset: int) -> int:
        at = moved(offset)
        count = bisect_left(places, at)
        return at + (inserted[count - 1] if count else 0)

    spans: list[Span] = [
        Span(start_of(start), end_of(end), MATCH_STYLE) for start, end in _clip(highlights, length)
    ]
    for link in links:
        if link.kind == "footnote":
            continue
        for start, end in _clip([(link.start, link.end)], length):
            spans.append(Span(start_of(start), end_of(end), link_style(link.index)))
            if link.index == focused:
                spans.append(Span(start_of(start), end_of(end), FOCUSED_LINK_STYLE))
    for number, (link, label) in enumerate(zip(markers, labels, strict=True)):
        at = places[number] + (inserted[number - 1] if number else 0)
        spans.append(Span(at, at + len(label), link_style(link.index)))
        spans.append(Span(at, at + len(label), MARKER_STYLE))
        if link.index == focused:
            spans.append(Span(at, at + len(label), FOCUSED_LINK_STYLE))
    return Content(plain, spans)


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
    """A paragraph or list item of the letter."""
    return linked_text(paragraph.text, links=links, highlights=highlights, focused=focused)


def footnote_number(footnote: Footnote) -> str:
    """The number that starts a footnote, with the space after it (the view hangs the text under it)."""
    return f"{footnote.n} "


def footnote_content(
    footnote: Footnote,
    links: Sequence[Link] = (),
    highlights: Iterable[tuple[int, int]] = (),
    focused: int | None = None,
) -> Content:
    """A footnote: its number, then its text with URLs and citations as links."""
    number = Content.styled(footnote_number(footnote), MARKER_STYLE)
    return number + linked_text(footnote.text, links=links, highlights=highlights, focused=focused)


def item_marker(paragraph: Paragraph) -> str:
    """The bullet shown before a list item whose text does not carry its own number or letter."""
    if re.match(r"^\s*(?:\d+[.)]|[a-z][.)]|[•▪●◦–-])\s", paragraph.text):
        return ""
    return "•"


def letter_header(letter: Letter, *, letter_id: str | None = None) -> Content:
    """The head of the letter view: title, date, dossier and number, addressee, signatories."""
    lines: list[Content] = []
    title = letter.title or letter_id or "Untitled letter"
    lines.append(Content.styled(one_line(title), TITLE_STYLE))
    facts: list[Content] = []
    if letter.date:
        place = f"{one_line(letter.place)}, " if letter.place else ""
        facts.append(Content(place + dutch_date(letter.date)))
    for dossier in letter.dossiers:
        text = f"Kamerstuk {dossier.number}"
        if dossier.title:
            text += f" {dossier.title}"
        facts.append(Content(one_line(text)))
    if letter.number:
        facts.append(Content(one_line(f"nr. {letter.number}")))
    if letter.kst_id:
        facts.append(Content.styled(one_line(letter.kst_id), MUTED_STYLE))
    if facts:
        lines.append(Content(" · ").join(facts))
    if letter.addressee:
        lines.append(Content.assemble(("Aan ", MUTED_STYLE), one_line(letter.addressee.removeprefix("Aan "))))
    for signatory in letter.signatories:
        lines.append(
            Content.assemble(
                (one_line(signatory.name), LABEL_STYLE), (", ", MUTED_STYLE), (one_line(signatory.function), MUTED_STYLE)
            )
        )
    if letter.tags:
        lines.append(Content.assemble(("tags: ", MUTED_STYLE), one_line(", ".join(letter.tags))))
    return Content("\n").join(lines)


def section_title(title: str | None) -> Content:
    """A section heading of the letter."""
    return Content.styled(one_line(title or ""), SECTION_STYLE)


def notice(text: str, style: str = MUTED_STYLE) -> Content:
    """A plain message (may name a file or hold a query) shown in place of content."""
    return Content.styled(visible(text), style)


class HitLike(Protocol):
    """What `hit_content` shows of a search hit (`briefreader.search.Hit`)."""

    letter: str
    title: str | None
    date: str | None
    section: str | None
    footnote: int | None
    snippet: str
    highlights: Sequence[tuple[int, int]]


def snippet_content(hit: HitLike) -> Content:
    """Where in the letter a hit stands (section, footnote) and its snippet with the matches marked."""
    where: list[str] = []
    if hit.section:
        where.append(f"§ {one_line(hit.section)}")
    if hit.footnote is not None:
        where.append(f"footnote {hit.footnote}")
    lines = []
    if where:
        lines.append(Content.styled(" · ".join(where), MUTED_STYLE))
    snippet = hit.snippet or ""
    shown, moved = _visible_offsets(snippet)
    lines.append(
        Content(shown, [Span(moved(s), moved(e), MATCH_STYLE) for s, e in _clip(hit.highlights, len(snippet))])
    )
    return Content("\n").join(lines)


def letter_title_content(date: str | None, title: str | None, letter_id: str) -> Content:
    """A letter as a search result names it: the date, then the title (or the id) in bold."""
    day = (date or "")[:10]
    return Content.assemble((one_line(day) + "  " if day else "", MUTED_STYLE), (one_line(title or letter_id), "bold"))


def hit_content(hit: HitLike, *, with_title: bool = True) -> Content:
    """One search result: letter date and title (unless `with_title` is False: a further snippet of
    the same letter), the section, and the snippet with its matches."""
    parts = [letter_title_content(hit.date, hit.title, hit.letter)] if with_title else []
    parts.append(snippet_content(hit))
    return Content("\n").join(parts)


def more_content(count: int) -> Content:
    """The line under a letter's snippets that says how many more paragraphs match in it."""
    return Content.styled(f"+{count} more in this letter (n walks them)", MUTED_STYLE)


def suggestion_content(suggestion: str, key: str) -> Content:
    """The "did you mean" line of the search panel: the corrected query, and the key that runs it."""
    return Content.assemble(
        ("Did you mean ", MUTED_STYLE), (visible(suggestion.strip(), newlines=False), "bold underline"), ("?", MUTED_STYLE),
        (f"  ({key} or click)", MUTED_STYLE),
    )


def fuzzy_label(text: str, offsets: Iterable[int]) -> Content:
    """A command-palette label with the fuzzy-matched characters emphasised (`text` is made visible;
    give offsets into `one_line(text)`)."""
    text = one_line(text)
    spans = [Span(offset, offset + 1, "bold $text-accent underline") for offset in offsets if 0 <= offset < len(text)]
    return Content(text, spans)


# Tree labels are Rich `Text` (Textual's Tree takes Text or markup strings, never Content).


def tree_letter_label(date: str | None, title: str, *, new: bool = False) -> Text:
    """A letter in the tree: its date, then its short title; letters new since the last visit
    start with a dot."""
    label = Text()
    if new:
        label.append("● ", style="bold green")
    if date:
        label.append(one_line(date[:10]) + " ", style="dim")
    label.append(one_line(title))
    return label


def tree_dossier_label(number: str, title: str | None, count: int, new: int = 0) -> Text:
    """A dossier group in the tree, with how many letters (and new ones) it holds."""
    label = Text()
    label.append(one_line(number), style="bold")
    if title:
        label.append(" " + one_line(title))
    label.append(f" ({count:,})", style="dim")
    if new:
        label.append(f" ● {new:,} new", style="bold green")
    return label


def tree_period_label(name: str, count: int, new: int = 0) -> Text:
    """A year or month group in the tree of a big corpus, with how many letters (and new ones) it holds."""
    label = Text()
    label.append(name, style="bold")
    label.append(f" ({count:,})", style="dim")
    if new:
        label.append(f" ● {new:,} new", style="bold green")
    return label


def tree_listing_label() -> Text:
    """In place of the tree while the letter list is read."""
    return Text("Listing the letters…", style="dim italic")


def tree_section_label(title: str | None) -> Text:
    """A section in the tree; the untitled opening part of a letter is called `opening`."""
    if title:
        return Text(one_line(title))
    return Text("(opening)", style="dim italic")


def short_title(title: str | None, fallback: str, limit: int = 60) -> str:
    """A title cut at a word boundary to at most `limit` characters (made visible first)."""
    text = one_line((title or fallback).strip() or fallback)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def mark_row(name: str, label: str) -> Content:
    """A mark in the mark prompt: its key, then the letter and place it points to."""
    return Content.assemble((one_line(name), "bold $text-accent"), "  ", one_line(label))


def help_key(keys: str) -> Content:
    """The keys column of a help row."""
    return Content.styled(keys, "bold $text-accent")


def help_text(text: str) -> Content:
    """The description column of a help row."""
    return Content(visible(text))
