"""A letter as the letter view shows it: a list of blocks (header, headings, paragraphs, list items,
footnotes), each with its own links and the blank lines and rules around it.

Built once per letter, in the worker that loads it (nothing here touches Textual widgets), so the
view only lays out and draws. Every block carries its own links: drawing a block never scans the
links of the whole letter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from briefreader.model import Footnote, Letter, Paragraph, Reference
from briefreader.ui.render import Anchor, Link, footnote_links, item_marker, paragraph_links

BlockKind = Literal["header", "cited", "heading", "paragraph", "item", "footnotes-title", "footnote", "notice"]

#: Finds the corpus letter a reference cites (None when it is not in the corpus).
Resolver = Callable[[Reference], "str | None"]

#: A rule (a thin horizontal line) among the rows around a block; any other row is blank.
RULE = "rule"
#: Cells the text of a list item is indented by (the bullet stands in them).
ITEM_INDENT = 3

#: The look of each kind of block, in lines (as CSS margins, padding and borders would say it):
#: margin above, padding and rule above, padding and rule below, margin below. Margins of
#: neighbours collapse (the larger wins), as in Textual's vertical layout.
_SPACING: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], int]] = {
    "header": (0, ("",), ("", RULE), 1),
    "cited": (0, (), (), 1),
    "heading": (1, (), (), 1),
    "paragraph": (0, (), (), 1),
    "item": (0, (), (), 0),
    "last-item": (0, (), (), 1),
    "footnotes-title": (2, (RULE, ""), (), 1),
    "footnote": (0, (), (), 1),
    "notice": (0, ("",), ("",), 0),
}


@dataclass(frozen=True)
class Block:
    """One block of the letter view.

    `before` and `after` are the rows drawn around the text: "" for a blank line, `RULE` for a
    rule. `hang` is the number of cells by which lines after the first are indented (a footnote's
    text hangs under its number); `indent` indents every line (list items), with `marker` (a
    bullet) in the indent of the first.
    """

    kind: BlockKind
    anchor: Anchor
    links: tuple[Link, ...] = ()
    paragraph: Paragraph | None = None
    footnote: Footnote | None = None
    text: str = ""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    indent: int = 0
    marker: str = ""
    hang: int = 0

    @property
    def lead(self) -> int:
        """The blank rows above the block before anything of its own (a rule or its text): where it
        "starts" for the reader, e.g. when it is scrolled to the top."""
        count = 0
        for row in self.before:
            if row:
                break
            count += 1
        return count

    @property
    def rows_around(self) -> int:
        """How many rows the block adds above and below its text."""
        return len(self.before) + len(self.after)


@dataclass
class LetterDocument:
    """The blocks of one letter, and how to find them."""

    letter: Letter
    letter_id: str
    blocks: list[Block]
    links: list[Link]
    #: anchor -> index into `blocks`.
    index: dict[Anchor, int] = field(default_factory=dict)
    #: Block indexes of the section headings (and the footnotes heading), in order.
    headings: list[int] = field(default_factory=list)

    def block(self, anchor: Anchor) -> Block | None:
        """The block at `anchor`, if the letter has it."""
        at = self.index.get(anchor)
        return None if at is None else self.blocks[at]

    def order(self, anchor: Anchor) -> int:
        """Where `anchor` stands in the letter (for sorting anchors in reading order); -1 if nowhere."""
        return self.index.get(anchor, -1)


def build_document(
    letter: Letter,
    letter_id: str,
    *,
    resolve: Resolver,
    cited_by: Sequence[tuple[str, str]] = (),
) -> LetterDocument:
    """The blocks of `letter`. `cited_by` holds (letter id, label) of the corpus letters citing it."""
    by_paragraph: dict[int, list[tuple[Reference, str]]] = {}
    by_footnote: dict[int, list[tuple[Reference, str]]] = {}
    for reference in letter.references:
        target = resolve(reference)
        if target is None or target == letter_id:
            continue
        if reference.paragraph is not None:
            by_paragraph.setdefault(reference.paragraph, []).append((reference, target))
        elif reference.footnote is not None:
            by_footnote.setdefault(reference.footnote, []).append((reference, target))

    links: list[Link] = []
    # (kind used for spacing, block without spacing)
    raw: list[tuple[str, Block]] = [("header", Block("header", ("h", 0)))]
    if cited_by:
        prefix = "Cited by: "
        labels, cited_links, offset = [], [], len(prefix)
        for target, label in cited_by:
            labels.append(label)
            cited_links.append(Link(len(links) + len(cited_links), "letter", ("c", 0), offset, offset + len(label), target))
            offset += len(label) + 3
        links.extend(cited_links)
        raw.append(("cited", Block("cited", ("c", 0), tuple(cited_links), text=prefix + " · ".join(labels))))
    position = 0
    for number, section in enumerate(letter.sections):
        if section.title:
            raw.append(("heading", Block("heading", ("s", number), text=section.title)))
        for place, paragraph in enumerate(section.paragraphs):
            made = paragraph_links(position, paragraph, by_paragraph.get(position, []), len(links))
            links.extend(made)
            if paragraph.kind == "item":
                following = section.paragraphs[place + 1 : place + 2]
                last = not following or following[0].kind != "item"
                block = Block("item", ("p", position), tuple(made), paragraph=paragraph, indent=ITEM_INDENT,
                              marker=item_marker(paragraph))
                raw.append(("last-item" if last else "item", block))
            else:
                raw.append(("paragraph", Block("paragraph", ("p", position), tuple(made), paragraph=paragraph)))
            position += 1
    if position == 0:
        raw.append(("notice", Block("notice", ("n", 0), text="This letter has no text.")))
    if letter.footnotes:
        raw.append(("footnotes-title", Block("footnotes-title", ("t", 0), text="Footnotes")))
        for footnote in letter.footnotes:
            made = footnote_links(footnote, by_footnote.get(footnote.n, []), len(links))
            links.extend(made)
            raw.append(("footnote", Block("footnote", ("f", footnote.n), tuple(made), footnote=footnote,
                                          hang=len(f"{footnote.n} "))))

    blocks: list[Block] = []
    previous_margin = 0
    for number, (look, block) in enumerate(raw):
        margin_top, pad_top, pad_bottom, margin_bottom = _SPACING[look]
        gap = max(previous_margin, margin_top) if number else margin_top
        after = pad_bottom + (("",) * margin_bottom if number == len(raw) - 1 else ())
        blocks.append(replace(block, before=("",) * gap + pad_top, after=after))
        previous_margin = margin_bottom
    document = LetterDocument(letter, letter_id, blocks, links)
    for number, block in enumerate(blocks):
        document.index[block.anchor] = number
        if block.kind in ("heading", "footnotes-title"):
            document.headings.append(number)
    return document

