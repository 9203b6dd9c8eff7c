"""The official web page of a Kamerstuk, saved as `.html` (`zoek.officielebekendmakingen.nl/kst-*.html`)
-> `Letter`.

The page is read with the standard library's `html.parser` into a small tree, never with regular
expressions over markup. Its structure is better than its text: the page's `<meta>` fields
(`DC.identifier`, `DC.title`, `OVERHEIDop.dossiernummer`, `OVERHEIDop.ondernummer`,
`OVERHEIDop.vergaderjaar`, `OVERHEIDop.datumBrief`), the head (`h1.dossiertitel` with
`span.dossiernummer`, `h1.stuktitel` with `span.stuknummer`), paragraphs (`p`), headings (`h2`..`h6`,
`p.tussenkop`), lists, tables, footnote markers (`a.nootnum`, or a `sup` holding a link to `#...`), the
footnotes (`div#noten`, one `div.noot` each) and the signature (`.ondertekening` with `.functie` and
`.naam`, or a one-line signature paragraph). Everything around the letter (navigation, the page's
header and footer, scripts) is skipped. See docs/FORMAT.md, "The official web page".

Safety: `html.parser` expands only the standard HTML character references (`&amp;`, `&eacute;`,
`&#233;`); HTML has no entity declarations. Nesting deeper than `HTML_MAX_DEPTH` or more elements than
`HTML_MAX_ELEMENTS` is refused while the page streams in; the file's size is limited in
`briefreader.load`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from briefreader.model import Dossier, Footnote, Letter, LetterError, Note, Paragraph, Reference, Section, Signatory
from briefreader.parse import patterns as P
from briefreader.parse.decode import decode, normalise
from briefreader.parse.header import normalise_dossier, read_place_date, sentence_case_title, split_one_line_signature
from briefreader.parse.lines import WEB_CHROME
from briefreader.parse.references import find_citations
from briefreader.parse.text import session_of

#: A saved Kamerstuk page nests some 20-30 elements deep; deeper is refused while parsing (the tree is
#: walked recursively afterwards).
HTML_MAX_DEPTH = 200
#: A long Kamerstuk page has some tens of thousands of elements; more is refused while parsing (the
#: standard library's parser takes about 30 ms per thousand, so a hostile page stops within seconds).
HTML_MAX_ELEMENTS = 100_000

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_SKIP = {"script", "style", "nav", "header", "footer", "form", "button", "noscript", "head", "select", "svg", "template"}
#: Opening one of these closes an open `p` (HTML's implied end tags).
_CLOSES_P = {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article"}


class _Refused(Exception):
    pass


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, predicate) -> list[_Node]:
        """Every descendant for which `predicate(node)` holds, in document order (iterative)."""
        found: list[_Node] = []
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            if predicate(node):
                found.append(node)
            stack.extend(reversed([child for child in node.children if isinstance(child, _Node)]))
        return found

    def text(self) -> str:
        parts: list[str] = []
        stack: list[_Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            elif item.tag not in _SKIP:
                if item.tag == "br":
                    parts.append(" ")
                stack.extend(reversed(item.children))
        return " ".join(normalise("".join(parts)).split())


class _TreeBuilder(HTMLParser):
    """`html.parser` events -> a `_Node` tree, with HTML's implied end tags and the limits above."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document")
        self.stack = [self.root]
        self.elements = 0

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        if self.elements > HTML_MAX_ELEMENTS:
            raise _Refused(f"is HTML with too many elements to be a Kamerstuk page (more than {HTML_MAX_ELEMENTS:,})")
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li" and any(node.tag == "li" for node in self.stack[-2:]):
            while self.stack[-1].tag != "li":
                self.stack.pop()
            self.stack.pop()
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)
            if len(self.stack) > HTML_MAX_DEPTH:
                raise _Refused(f"is HTML nested too deeply to be a Kamerstuk page (more than {HTML_MAX_DEPTH} levels)")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _tree(data: bytes, source: str) -> _Node:
    text, _warnings = decode(data, source)
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except _Refused as error:
        raise LetterError(source, str(error)) from None
    return builder.root


# --- reading the letter ------------------------------------------------------------------------


@dataclass
class _Inline:
    """A paragraph's clean text, with its footnote markers."""

    parts: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)

    def finish(self) -> tuple[str, tuple[Note, ...]]:
        raw = normalise("".join(self.parts))
        # Collapse white space, keeping each marker's offset in the collapsed text.
        out: list[str] = []
        offsets: dict[int, int] = {}
        length = 0
        for i, char in enumerate(raw):
            offsets[i] = length
            if char.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    length += 1
            else:
                out.append(char)
                length += 1
        offsets[len(raw)] = length
        text = "".join(out)
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        notes = tuple(Note(note.n, max(0, min(len(text), offsets.get(note.at, length) - lead))) for note in self.notes)
        return text, notes

    def mark(self, n: int) -> None:
        at = len(normalise("".join(self.parts)).rstrip())
        self.notes.append(Note(n, at))


def _marker_number(node: _Node) -> int | None:
    """The footnote number of a marker: `a.nootnum`, or a `sup` holding a link to `#...` with digits."""
    if node.tag == "a" and "nootnum" in node.classes or (
        node.tag == "sup" and node.find_all(lambda n: n.tag == "a" and n.attrs.get("href", "").startswith("#"))
    ):
        digits = node.text().strip()
        return int(digits) if digits.isdigit() else None
    return None


@dataclass
class _Reader:
    source: str
    sections: list[tuple[str | None, list[Paragraph]]] = field(default_factory=lambda: [(None, [])])
    addressee: str | None = None
    place: str | None = None
    date: dt.date | None = None
    signatories: list[Signatory] = field(default_factory=list)
    started: bool = False

    def inline(self, node: _Node, into: _Inline) -> None:
        for child in node.children:
            if isinstance(child, str):
                into.add(child)
            elif child.tag in _SKIP:
                continue
            elif (n := _marker_number(child)) is not None:
                into.mark(n)
            elif child.tag == "br":
                into.add(" ")
            else:
                self.inline(child, into)

    def paragraph(self, node: _Node, kind: str = "paragraph") -> None:
        into = _Inline()
        self.inline(node, into)
        text, notes = into.finish()
        if not text or WEB_CHROME.match(text):
            return
        if not self.started and kind == "paragraph" and not notes:
            if self.addressee is None and P.ADDRESSEE.match(text):
                self.addressee = text
                return
            if self.date is None and (found := read_place_date(text)):
                self.place, self.date = found
                return
        self.started = True
        self.sections[-1][1].append(Paragraph(text, kind, notes))

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                continue
            tag, classes = child.tag, child.classes
            if tag in _SKIP or child.attrs.get("id") == "noten" or classes & {"noot", "dossiertitel", "stuktitel"}:
                continue
            if classes & {"ondertekening"}:
                self.signature(child)
            elif tag in ("h2", "h3", "h4", "h5", "h6") or classes & {"tussenkop"}:
                title = child.text()
                if title:
                    self.started = True
                    self.sections.append((title, []))
            elif tag == "p":
                self.paragraph(child)
            elif tag in ("ul", "ol"):
                for item in child.children:
                    if isinstance(item, _Node) and item.tag == "li":
                        self.paragraph(item, "item")
            elif tag == "table":
                rows = ["  ".join(cell.text() for cell in row.children if isinstance(cell, _Node) and cell.tag in ("td", "th"))
                        for row in child.find_all(lambda n: n.tag == "tr")]
                text = "\n".join(row for row in rows if row.strip())
                if text:
                    self.sections[-1][1].append(Paragraph(text))
            else:
                self.walk(child)

    def signature(self, node: _Node) -> None:
        functions = node.find_all(lambda n: "functie" in n.classes)
        names = node.find_all(lambda n: "naam" in n.classes)
        if functions or names:
            for k in range(max(len(functions), len(names))):
                function = functions[k].text().rstrip(",").strip() if k < len(functions) else ""
                name = names[k].text() if k < len(names) else ""
                self.signatories.append(Signatory(function, name))
        elif (found := split_one_line_signature(node.text())) is not None:
            self.signatories.append(found)


def _footnotes(root: _Node) -> list[Footnote]:
    notes: list[Footnote] = []
    containers = root.find_all(lambda n: n.attrs.get("id") == "noten")
    blocks = [n for c in containers for n in c.find_all(lambda n: "noot" in n.classes)]
    if not blocks:
        blocks = root.find_all(lambda n: "noot" in n.classes and n.tag in ("div", "li", "p"))
    for k, block in enumerate(blocks, start=1):
        number = block.find_all(lambda n: "nootnum" in n.classes or n.tag == "sup")
        digits = number[0].text() if number else ""
        texts = [p.text() for p in block.find_all(lambda n: n.tag == "p")]
        text = " ".join(t for t in texts if t) or block.text()
        if digits.isdigit() and text.startswith(digits):
            text = text[len(digits) :].strip()
        text = re.sub(r"^(?:X\s+)?Noot\s+", "", text)  # the pop-up's close button and title
        notes.append(Footnote(int(digits) if digits.isdigit() else k, text))
    return notes


def _meta(root: _Node) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for node in root.find_all(lambda n: n.tag == "meta"):
        name, content = node.attrs.get("name") or node.attrs.get("property"), node.attrs.get("content")
        if name and content is not None and name not in pairs:
            pairs[name] = " ".join(normalise(content).split())
    return pairs


def parse_html(data: bytes, source: str = "<html>") -> Letter:
    """Parse a saved Kamerstuk web page into a Letter; LetterError if it is no such page."""
    root = _tree(data, source)
    meta = _meta(root)
    stuk = next(iter(root.find_all(lambda n: "stuk" in n.classes or n.attrs.get("id") == "broodtekst")), None)
    body = stuk or next(iter(root.find_all(lambda n: n.tag in ("main", "article"))), None) or root
    reader = _Reader(source)
    warnings: list[str] = []

    dossiers: list[Dossier] = []
    for head in root.find_all(lambda n: "dossiertitel" in n.classes):
        number_node = next(iter(head.find_all(lambda n: "dossiernummer" in n.classes)), None)
        number = number_node.text() if number_node else ""
        title = head.text()
        if number and title.startswith(number):
            title = title[len(number) :].strip()
        elif not number and (match := P.DOSSIER_LINE.match(title)):
            number, title = match.group(1), match.group(2) or ""
        if number:
            dossiers.append(Dossier(normalise_dossier(number), title or None))
    doc_number = caps = None
    stuktitel = next(iter(root.find_all(lambda n: "stuktitel" in n.classes and n.tag.startswith("h"))), None)
    if stuktitel is not None:
        text = stuktitel.text()
        match = P.DOC_NUMBER.match(text) or P.LETTER_NUMBER.match(text)
        if match:
            doc_number, caps = match.group(1), match.group(2)
        else:
            caps = text
    reader.walk(body)
    _signature_from_paragraphs(reader)

    identifier = meta.get("DC.identifier") or meta.get("dcterms.identifier") or ""
    if not dossiers and meta.get("OVERHEIDop.dossiernummer"):
        dossiers = [Dossier(normalise_dossier(d)) for d in meta["OVERHEIDop.dossiernummer"].split(";") if d.strip()]
    doc_number = doc_number or meta.get("OVERHEIDop.ondernummer") or None
    title = sentence_case_title(caps) if caps and caps.isupper() else caps
    if not title and meta.get("DC.title"):
        title = meta["DC.title"]
    date = reader.date
    if date is None and (iso := meta.get("OVERHEIDop.datumBrief") or meta.get("DCTERMS.issued")):
        try:
            date = dt.date.fromisoformat(iso[:10])
        except ValueError:
            warnings.append(f"metadata: the date is not a date: {iso!r}")
    session = None
    if found := re.match(r"(\d{4})\s*[–-]\s*(\d{4})", meta.get("OVERHEIDop.vergaderjaar", "")):
        session = f"{found.group(1)}-{found.group(2)}"
    if stuk is None and not identifier:
        warnings.append("not laid out as a Kamerstuk page (no `div.stuk`): read as a plain page")

    footnotes = tuple(_footnotes(root))
    sections = [(t, ps) for t, ps in reader.sections if t is not None or ps]
    references: list[Reference] = []
    position = 0
    for _title, paragraphs in sections:
        for paragraph in paragraphs:
            references += [Reference(c.dossier, c.number, c.text, paragraph=position, start=c.start, end=c.end)
                           for c in find_citations(paragraph.text)]
            position += 1
    for note in footnotes:
        references += [Reference(c.dossier, c.number, c.text, footnote=note.n, start=c.start, end=c.end)
                       for c in find_citations(note.text)]
    marked = {n.n for _t, ps in sections for p in ps for n in p.notes}
    for note in footnotes:
        if note.n not in marked:
            warnings.append(f"footnote {note.n} has no marker in the text")
    if date is None:
        warnings.append("no date found (neither `Den Haag, <date>` in the page nor in its metadata)")
    if not reader.signatories:
        warnings.append("no signature (function and name) found")
    if position == 0:
        warnings.append("no body text found")
    chamber = None
    if reader.addressee and (match := P.ADDRESSEE.match(reader.addressee)):
        chamber = f"{match.group(1)} Kamer"
    return Letter(
        source=source,
        title=title,
        date=date,
        place=reader.place,
        addressee=reader.addressee,
        dossiers=tuple(dossiers),
        number=doc_number,
        session=session or session_of(date),
        signatories=tuple(reader.signatories),
        sections=tuple(Section(t, tuple(ps)) for t, ps in sections),
        footnotes=footnotes,
        references=tuple(references),
        warnings=tuple(warnings),
        chamber=chamber,
    )


def _signature_from_paragraphs(reader: _Reader) -> None:
    """A page without `.ondertekening`: the last paragraphs may be the signature, one line
    (`De Minister van ..., A. Naam`) or a function paragraph ending in a comma and a name paragraph."""
    if reader.signatories:
        return
    paragraphs = reader.sections[-1][1]
    found: list[Signatory] = []
    while paragraphs:
        last = paragraphs[-1].text
        if (one := split_one_line_signature(last)) is not None:
            found.insert(0, one)
            paragraphs.pop()
        elif len(paragraphs) >= 2 and P.NAME_LINE.match(last) and paragraphs[-2].text.endswith(",") and P.FUNCTION_START.match(paragraphs[-2].text):
            found.insert(0, Signatory(paragraphs[-2].text.rstrip(",").strip(), last))
            del paragraphs[-2:]
        else:
            break
    reader.signatories.extend(found)


__all__ = ["HTML_MAX_DEPTH", "HTML_MAX_ELEMENTS", "parse_html"]
