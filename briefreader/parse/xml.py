"""The official XML of officielebekendmakingen (`kst-*.xml`, plus `metadata.xml`) -> `Letter`.

Read straight from the markup, never from text heuristics: headings are `tussenkop` and
`divisie/kop`, footnotes are `noot` elements standing at their marker, list items are `lijst/li`,
the signature is `ondertekening/{functie, naam}`. The nesting varies between years, so the body is
walked element by element rather than through fixed paths (see docs/FORMAT.md, "The official XML").

What the model holds follows the text parser, so a letter reads the same whichever format it came
in: a section title without its number, a list item's bullet dropped but its number (`1.`, `a)`)
kept, a table as one paragraph with a line per row.

Safety: the markup is read by defusedxml's parser, which refuses entity declarations (the "billion
laughs" bomb and its relatives) and external references, while the document streams in, with limits on
nesting depth (`XML_MAX_DEPTH`) and element count (`XML_MAX_ELEMENTS`); the file's size is limited in
`briefreader.load`. Everything after parsing is linear in the document's size.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.common import EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from briefreader.model import Dossier, Footnote, Letter, LetterError, Note, Paragraph, Reference, Section, Signatory
from briefreader.parse import patterns as P
from briefreader.parse.decode import normalise
from briefreader.parse.header import normalise_dossier, read_place_date, sentence_case_title
from briefreader.parse.references import find_citations

#: A Kamerstuk id inside an `extref@doc` (`kst-32317-703`, `kst-35300-XVI-133`, a URL ending in one).
_KST_DOC = re.compile(r"\bkst-(\d{5})(?:-(\d{1,2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?-(\d+[a-z]?)\b")

#: Elements whose content is not body text (the header is read separately; notes sit inline).
_SKIP = {"kamerstukkop", "dossier", "stuknr", "titel", "ondertekening", "noot", "metadata", "meta", "kop"}


class _Refused(Exception):
    pass


#: No real Kamerstuk nests elements anywhere near this deep (about 15 levels); deeper is refused while
#: the document streams in, before any recursion over it could run out of stack.
XML_MAX_DEPTH = 100
#: A long Kamerstuk (a budget with its tables) has some tens of thousands of elements; more than this
#: is refused while streaming, so a document of millions of tiny elements costs seconds, not minutes.
XML_MAX_ELEMENTS = 250_000
#: The document is fed to the parser in pieces of this size.
_FEED_CHUNK = 64 * 1024


class _LimitedTreeBuilder(ET.TreeBuilder):
    """The standard tree builder, counting depth and elements as they stream in."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.elements = 0

    def start(self, tag, attrs):
        self.depth += 1
        self.elements += 1
        if self.depth > XML_MAX_DEPTH:
            raise _Refused(f"is XML nested too deeply to be a Kamerstuk (more than {XML_MAX_DEPTH} levels)")
        if self.elements > XML_MAX_ELEMENTS:
            raise _Refused(f"is XML with too many elements to be a Kamerstuk (more than {XML_MAX_ELEMENTS:,})")
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


def _local(tag: object) -> str:
    """The element name without a namespace (`{ns}al` -> `al`); comments and PIs have none."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_tree(data: bytes, source: str) -> ET.Element:
    """Parse `data` with defusedxml's parser (no entity declarations, no external references, no
    DTD fetching) and the limits above, checked while streaming; LetterError says what is wrong."""
    parser = DefusedXMLParser(target=_LimitedTreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    try:
        for start in range(0, len(data), _FEED_CHUNK):
            parser.feed(data[start : start + _FEED_CHUNK])
        return parser.close()
    except _Refused as error:
        raise LetterError(source, str(error)) from None
    except EntitiesForbidden as error:
        raise LetterError(source, f"declares the XML entity `{error.name}` (refused: entity declarations are not read)") from None
    except DefusedXmlException as error:
        raise LetterError(source, f"is XML that refers outside itself (refused: {type(error).__name__})") from None
    except ET.ParseError as error:
        line = error.position[0] if error.position else "?"
        problem = xml.parsers.expat.ErrorString(error.code) if getattr(error, "code", None) else "syntax error"
        raise LetterError(source, f"is not well-formed XML (line {line}: {problem})") from None
    except (LookupError, ValueError) as error:
        # An encoding declaration Python doesn't know (`encoding="x-unknown"`) or can't stream.
        raise LetterError(source, f"declares an XML encoding that can't be read ({error})") from None


def _text_of(element: ET.Element) -> str:
    """All text inside `element`, whitespace collapsed, child elements separated by a space."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " + _text_of(child) + " ")
        parts.append(child.tail or "")
    return " ".join(normalise("".join(parts)).split())


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _first(element: ET.Element, name: str) -> ET.Element | None:
    """The first descendant (or the element itself) called `name`."""
    for node in element.iter():
        if _local(node.tag) == name:
            return node
    return None


# --- inline text ---------------------------------------------------------------------------------


@dataclass
class _Inline:
    """Clean text being built from mixed content, with the markers and links met on the way."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    notes: list[Note] = field(default_factory=list)
    links: list[tuple[str, str, int, int]] = field(default_factory=list)  # dossier, number, start, end

    def add(self, text: str | None) -> None:
        if not text:
            return
        text = re.sub(r"\s+", " ", normalise(text))
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith(" ")):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def mark(self, n: int) -> None:
        # A marker belongs right after the word it is glued to, even if the markup put a space before it.
        self.notes.append(Note(n, self.stripped_length()))

    def stripped_length(self) -> int:
        """The length of the text so far without trailing white space (at most one space: `add`
        collapses white space), in constant time."""
        return self.length - (1 if self.parts and self.parts[-1].endswith(" ") else 0)

    def finish(self) -> tuple[str, tuple[Note, ...], list[tuple[str, str, int, int]]]:
        text = "".join(self.parts)
        end = len(text.rstrip())
        notes = tuple(Note(note.n, min(note.at, end)) for note in self.notes)
        return text[:end], notes, self.links


class _Reader:
    """Walks one `kamerstuk` element and collects what the Letter needs."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sections: list[tuple[str | None, list[tuple[Paragraph, list]]]] = [(None, [])]
        self.footnotes: dict[int, tuple[str, list]] = {}
        self.note_ids: dict[str, int] = {}
        self.addressee: str | None = None
        self.place: str | None = None
        self.date: dt.date | None = None
        self.signatories: list[Signatory] = []
        self.warnings: list[str] = []
        self._next_note = 1
        self._body_started = False

    # inline content --------------------------------------------------------------------------

    def inline(self, element: ET.Element, into: _Inline, include_own_text: bool = True) -> None:
        if include_own_text:
            into.add(element.text)
        for child in element:
            name = _local(child.tag)
            if name == "noot":
                into.mark(self.note(child))
            elif name == "nootref":
                n = self.note_ids.get(child.get("refid", ""))
                if n is not None:
                    into.mark(n)
                else:
                    self.warnings.append(f"a note reference points to no note (`{child.get('refid')}`)")
            elif name == "extref":
                start, first_part = into.length, len(into.parts)
                self.inline(child, into)
                end = into.stripped_length()
                found = _KST_DOC.search(child.get("doc", "") or "")
                if found and end > start:
                    base, suffix, number = found.groups()
                    dossier = f"{base}-{suffix}" if suffix else base
                    added = "".join(into.parts[first_part:])
                    lead = len(added) - len(added.lstrip())
                    into.links.append((dossier, number, start + lead, end))
            elif name == "br":
                into.add(" ")
            elif name in ("al", "li", "lijst"):
                into.add(" ")
                self.inline(child, into)
                into.add(" ")
            else:  # nadruk, sup, inf, and anything else inline: its text counts
                self.inline(child, into)
            into.add(child.tail)

    def note(self, element: ET.Element) -> int:
        """Read a `noot` into the footnotes; returns its number."""
        number_element = _first(element, "noot.nr")
        number_text = _text_of(number_element) if number_element is not None else ""
        n = int(number_text) if number_text.isdigit() else self._next_note
        self._next_note = n + 1
        if element.get("id"):
            self.note_ids[element.get("id")] = n
        content = _Inline()
        for child in element:
            if _local(child.tag) != "noot.nr":
                content.add(" ")
                self.inline(child, content)
                content.add(" ")
        text, _notes, links = content.finish()
        if n in self.footnotes:
            self.warnings.append(f"footnote {n} occurs twice; the second one is kept")
        self.footnotes[n] = (text, links)
        return n

    # blocks ----------------------------------------------------------------------------------

    def add_paragraph(self, element: ET.Element, kind: str = "paragraph", label: str = "") -> None:
        inline = _Inline()
        if label:
            inline.add(label + " ")
        self.inline(element, inline)
        text, notes, links = inline.finish()
        if not text:
            return
        if not self._body_started and kind == "paragraph" and not notes:
            # The addressee and the place and date open the text as ordinary `al`s.
            if self.addressee is None and P.ADDRESSEE.match(text):
                self.addressee = text
                return
            if self.date is None and (found := read_place_date(text)):
                self.place, self.date = found
                return
        self._body_started = True
        self.sections[-1][1].append((Paragraph(text, kind, notes), links))

    def heading(self, element: ET.Element) -> None:
        # Through the inline reader, so a note in a heading still becomes a footnote (its marker
        # has no place in a title and is left out) and its text stays out of the title.
        inline = _Inline()
        self.inline(element, inline)
        title, _notes, _links = inline.finish()
        if title:
            self._body_started = True
            self.sections.append((title, []))

    def walk(self, element: ET.Element) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "al":
                self.add_paragraph(child)
            elif name == "tussenkop":
                self.heading(child)
            elif name == "divisie":
                kop = next((k for k in child if _local(k.tag) == "kop"), None)
                if kop is not None:
                    titel = _first(kop, "titel")
                    self.heading(titel if titel is not None else kop)
                self.walk(child)
            elif name == "lijst":
                self.list(child)
            elif name in ("table", "tabel"):
                self.table(child)
            elif name == "ondertekening":
                self.signature(child)
            elif name in _SKIP:
                continue
            else:
                self.walk(child)

    def list(self, element: ET.Element) -> None:
        for li in element:
            if _local(li.tag) != "li":
                continue
            number = next((c for c in li if _local(c.tag) == "li.nr"), None)
            label = _text_of(number) if number is not None else ""
            # A bullet is layout and dropped, as the text parser does; a number or letter is kept.
            if label and not re.search(r"[\w]", label):
                label = ""
            first = True
            for child in li:
                name = _local(child.tag)
                if name == "al":
                    self.add_paragraph(child, "item" if first else "paragraph", label if first else "")
                    first = False
                elif name == "lijst":
                    self.list(child)
                elif name in ("table", "tabel"):
                    self.table(child)

    def table(self, element: ET.Element) -> None:
        rows = []
        for node in element.iter():
            name = _local(node.tag)
            if name in ("title", "titel") and node is not element:
                rows.append(_text_of(node))
            elif name == "row":
                cells = [_text_of(cell) for cell in node if _local(cell.tag) == "entry"]
                rows.append("  ".join(cell for cell in cells))
        text = "\n".join(row for row in rows if row.strip())
        if text:
            self._body_started = True
            self.sections[-1][1].append((Paragraph(text), []))

    def signature(self, element: ET.Element) -> None:
        function = _first(element, "functie")
        name = _first(element, "naam")
        if function is None and name is None:
            return
        function_text = _text_of(function).rstrip(",").strip() if function is not None else ""
        self.signatories.append(Signatory(function_text, _text_of(name) if name is not None else ""))


def read_metadata(data: bytes, source: str = "<metadata.xml>") -> dict[str, str]:
    """The `name -> content` pairs of a `metadata.xml` (elements with `name` and `content`)."""
    root = _parse_tree(data, source)
    pairs: dict[str, str] = {}
    for node in root.iter():
        name, content = node.get("name"), node.get("content")
        if name and content is not None and name not in pairs:
            pairs[name] = " ".join(normalise(content).split())
    return pairs


def _metadata_title(title: str) -> str:
    """`JBZ-Raad; Brief regering; Verslag van ...` -> `Verslag van ...`; other titles as they are."""
    parts = [part.strip() for part in title.split(";")]
    for i, part in enumerate(parts[:-1]):
        if part.lower().startswith("brief"):
            return "; ".join(parts[i + 1 :])
    return title


def metadata_matches(metadata: dict[str, str], dossier: str | None, number: str | None) -> bool:
    """Whether metadata is about the Kamerstuk `dossier`/`number` (or can't tell: no identifier)."""
    identifier = metadata.get("DC.identifier")
    if not identifier or not dossier or not number:
        return True
    return identifier == f"kst-{dossier}-{number}"


def is_metadata(data: bytes) -> bool:
    """Whether `data` looks like a `metadata.xml` rather than a letter."""
    head = data[:4096]
    return b"DC.identifier" in head or b"OVERHEIDop." in head or b"<metadata_gegevens" in head


def parse_xml(
    data: bytes, source: str = "<xml>", metadata: dict[str, str] | None = None, metadata_shared: bool = False
) -> Letter:
    """Parse an officielebekendmakingen Kamerstuk XML into a Letter (see `_parse_xml`)."""
    # The reader walks the markup recursively; `_parse_tree` refused anything nested deeper than
    # XML_MAX_DEPTH, so the recursion stays far from Python's limit.
    return _parse_xml(data, source, metadata, metadata_shared)


def _parse_xml(data: bytes, source: str, metadata: dict[str, str] | None, metadata_shared: bool) -> Letter:
    """Parse an officielebekendmakingen Kamerstuk XML into a Letter.

    `metadata` is what `read_metadata` read from the `metadata.xml` beside it, if any: its title
    (`DC.title`) is the letter's title, and it fills in what the markup lacks (date, dossiers,
    number, session). Metadata of another Kamerstuk (`DC.identifier`) is ignored, with a warning
    unless `metadata_shared` (a plain `metadata.xml` in a folder of several letters belongs to one of
    them only). Raises LetterError if the data is not well-formed or not a Kamerstuk.
    """
    root = _parse_tree(data, source)
    kamerstuk = root if _local(root.tag) == "kamerstuk" else _first(root, "kamerstuk")
    if kamerstuk is None:
        if any(node.get("name") == "DC.identifier" for node in root.iter()):
            raise LetterError(source, "is the metadata of a Kamerstuk, not a letter (keep it beside the kst-*.xml)")
        raise LetterError(source, f"is XML but not a Kamerstuk (no <kamerstuk> element; the root is <{_local(root.tag)}>)")
    metadata = metadata or {}
    reader = _Reader(source)

    chamber = session = None
    for line in kamerstuk.iter():
        if _local(line.tag) != "tekstregel":
            continue
        text = _text_of(line)
        if match := P.CHAMBER.match(text):
            chamber = f"{match.group(1)} Kamer"
        elif match := P.SESSION.match(text):
            session = f"{match.group(1)}-{match.group(2)}"

    dossiers: list[Dossier] = []
    stuk = _first(kamerstuk, "stuk")
    in_stuk = {id(node) for node in stuk.iter()} if stuk is not None else set()
    for node in kamerstuk.iter():
        if _local(node.tag) != "dossier" or id(node) in in_stuk:
            continue
        title_element = next((c for c in node if _local(c.tag) == "titel"), None)
        title = _text_of(title_element) if title_element is not None else None
        for number_element in node.iter():
            if _local(number_element.tag) == "dossiernr":
                dossiers.append(Dossier(normalise_dossier(_text_of(number_element)), title or None))

    number = caps_title = None
    if stuk is not None:
        ondernummer = _first(stuk, "ondernummer")
        number = _text_of(ondernummer) if ondernummer is not None else None
        titel = next((c for c in stuk if _local(c.tag) == "titel"), None)
        caps_title = _text_of(titel) if titel is not None else None
        reader.walk(stuk)
    else:
        reader.warnings.append("no <stuk> element: the letter's text could not be found")

    identifier = metadata.get("DC.identifier")
    if not metadata_matches(metadata, dossiers[0].number if dossiers else None, number):
        if not metadata_shared:
            reader.warnings.append(
                f"metadata.xml is for {identifier}, not for this letter (kst-{dossiers[0].number}-{number}): ignored"
            )
        metadata = {}

    title = None
    if metadata.get("DC.title"):
        title = _metadata_title(metadata["DC.title"])
    elif caps_title:
        title = sentence_case_title(caps_title) if caps_title.isupper() else caps_title

    date = reader.date
    if metadata.get("OVERHEIDop.datumBrief"):
        try:
            meta_date = dt.date.fromisoformat(metadata["OVERHEIDop.datumBrief"][:10])
        except ValueError:
            reader.warnings.append(f"metadata: `OVERHEIDop.datumBrief` is not a date: {metadata['OVERHEIDop.datumBrief']!r}")
        else:
            date = date or meta_date
    if not dossiers and metadata.get("OVERHEIDop.dossiernummer"):
        dossiers = [Dossier(normalise_dossier(d)) for d in metadata["OVERHEIDop.dossiernummer"].split(";") if d.strip()]
    number = number or metadata.get("OVERHEIDop.ondernummer") or None
    if session is None and metadata.get("OVERHEIDop.vergaderjaar"):
        found = re.match(r"(\d{4})\s*[–-]\s*(\d{4})", metadata["OVERHEIDop.vergaderjaar"])
        session = f"{found.group(1)}-{found.group(2)}" if found else None
    sections = [(t, paragraphs) for t, paragraphs in reader.sections if t is not None or paragraphs]
    footnotes = tuple(Footnote(n, text) for n, (text, _links) in sorted(reader.footnotes.items()))
    references = _references(sections, reader.footnotes)

    warnings = list(reader.warnings)
    if date is None:
        warnings.append("no date found (neither `Den Haag, <date>` in the text nor in metadata.xml)")
    if not reader.signatories:
        warnings.append("no signature (<ondertekening>) found")
    if not any(paragraphs for _t, paragraphs in sections):
        warnings.append("no body text found")
    return Letter(
        source=source,
        title=title,
        date=date,
        place=reader.place,
        addressee=reader.addressee,
        dossiers=tuple(dossiers),
        number=number,
        session=session,
        signatories=tuple(reader.signatories),
        sections=tuple(Section(t, tuple(p for p, _links in paragraphs)) for t, paragraphs in sections),
        footnotes=footnotes,
        references=references,
        warnings=tuple(warnings),
        chamber=chamber,
    )


def _references(sections, footnotes: dict[int, tuple[str, list]]) -> tuple[Reference, ...]:
    """Citations found in the text, plus `extref` links to Kamerstukken the text doesn't spell out."""
    references: list[Reference] = []

    def collect(text: str, links: list, **where) -> None:
        found = [Reference(c.dossier, c.number, c.text, start=c.start, end=c.end, **where) for c in find_citations(text)]
        cited = {(r.dossier, r.number) for r in found}
        # Citations come sorted by start; with the running maximum of their ends, "does a link overlap
        # any citation?" is one bisection instead of a pass over all of them.
        starts = [r.start for r in found]
        reach = list(itertools.accumulate((r.end for r in found), max))
        for dossier, number, start, end in links:
            k = bisect.bisect_left(starts, end) - 1
            overlaps = k >= 0 and reach[k] > start
            if (dossier, number) not in cited or not overlaps:
                found.append(Reference(dossier, number, text[start:end], start=start, end=end, **where))
        references.extend(sorted(found, key=lambda r: r.start))

    position = 0
    for _title, paragraphs in sections:
        for paragraph, links in paragraphs:
            collect(paragraph.text, links, paragraph=position)
            position += 1
    for n, (text, links) in sorted(footnotes.items()):
        collect(text, links, footnote=n)
    return tuple(references)


__all__ = ["is_metadata", "metadata_matches", "parse_xml", "read_metadata"]
