"""Raw letter text (both layouts of docs/FORMAT.md) -> `Letter`.

The steps, each in its own module:
1. lines: split, mark page breaks, drop page furniture (`lines.py`);
2. header block, addressee, place and date, signature (`header.py`);
3. footnote blocks lifted out of each page (`footnotes.py`);
4. body lines grouped into headings, paragraphs, list items, tables (`paragraphs.py`), and lines joined
   with hyphenation undone;
5. footnote markers found and removed (`markers.py`); citations found (`references.py`).
The parser never raises on text: what it cannot place becomes a warning on the letter.
"""

from __future__ import annotations

import datetime as dt
import re

from briefreader.model import Dossier, Footnote, Letter, Paragraph, Reference, Section, Signatory
from briefreader.parse import patterns as P
from briefreader.parse.footnotes import split_footnotes
from briefreader.parse.header import (
    find_signature,
    normalise_dossier,
    read_header,
    read_place_date,
    remove_running_heads,
    sentence_case_title,
)
from briefreader.parse.lines import PAGE, TEXT, Line, collapse, remove_furniture, split_lines
from briefreader.parse.markers import Candidate, candidates, choose_markers, strip_markers
from briefreader.parse.paragraphs import Block, Lexicon, join_lines, segment
from briefreader.parse.references import find_citations
from briefreader.parse.sources import detect_source


def parse_text(text: str, source: str = "<text>", warnings: list[str] | None = None) -> Letter:
    """Parse normalised letter text (see `decode.normalise`) into a Letter."""
    warnings = list(warnings or [])
    lines, footers = remove_furniture(split_lines(text))
    kind = detect_source(lines)
    if kind == "ocr":
        for line in lines:
            line.page = None  # the archive's OCR does not show where its pages break
        lines = _unglue_opening(lines)
    header, used = read_header(lines)
    lines, used = remove_running_heads(lines, header, used)
    warnings.extend(header.warnings)
    addressee, place, date, chamber = None, None, None, header.chamber
    date_line = False
    for i, line in enumerate(lines):
        if i in used or not line.is_text:
            continue
        if addressee is None and (match := P.ADDRESSEE.match(line.text)):
            addressee = line.text
            both = match.group(2) is not None or line.text.startswith("Aan de Voorzitters")
            chamber = chamber or ("Staten-Generaal" if both else f"{match.group(1)} Kamer")
            used.add(i)
        elif not date_line and (found := read_place_date(line.text)):
            place, date = found
            date_line = True
            used.add(i)
            if place is None and date is not None:
                warnings.append("the date stands without a place")
            if i > 0 and lines[i - 1].text in ("'", "’") and i - 1 not in used:
                used.add(i - 1)  # the OCR split the quote of `'s-Gravenhage` onto a line of its own
    lines = collapse([line for i, line in enumerate(lines) if i not in used])

    # The signature ends the body; what follows it is the last page's footnotes, so it acts as a page break.
    signatories, signature_lines, signature_end = find_signature(lines)
    lines = [
        Line("", PAGE, boundary=False, after_signature=True) if i == signature_end else line
        for i, line in enumerate(lines)
        if i not in signature_lines or i == signature_end
    ]

    body, raw_notes = split_footnotes(lines, ocr=kind == "ocr")
    warnings.extend(w for note in raw_notes for w in note.warnings)

    texts = [line.text for line in body if line.is_text] + [t for note in raw_notes for t in note.lines]
    lexicon = Lexicon(texts)
    blocks = segment(collapse(body), paragraph_per_line=kind == "ocr")
    footnotes = tuple(Footnote(note.n, join_lines(note.lines, lexicon), note.page) for note in raw_notes)

    sections, paragraph_texts = _sections(blocks, lexicon)
    sections = _attach_markers(sections, paragraph_texts, footnotes, warnings, ocr=kind == "ocr")
    references = _references(sections, footnotes)

    title = None
    if header.title_caps:
        caps = " ".join(header.title_caps)
        if header.number is not None or caps.startswith("BRIEF") or header.dossier_title:
            title = sentence_case_title(caps)
        else:
            title = _title_from_tail(caps, signatories)
            if title is None:
                warnings.append(f"only the end of the title is in the text: {caps!r}")

    if title:
        title = _join_ocr_hyphens(title, lexicon, signatories)
    session = header.session or (footers[0].session if footers else None) or session_of(date)
    dossiers = list(header.dossiers)
    number = header.number
    if footers:
        if not dossiers:
            dossiers = [Dossier(normalise_dossier(footers[0].dossier), header.dossier_title)]
        number = number or footers[0].number
    if date is None and date_line:
        warnings.append("the date on the place and date line is not a real date")
    elif date is None:
        warnings.append("no place and date line (`Den Haag, 26 augustus 2021`) found")
    if not signatories:
        warnings.append("no signature (function and name) found")
    if not any(p for s in sections for p in s.paragraphs):
        warnings.append("no body text found")

    return Letter(
        source=source,
        title=title,
        date=date,
        place=place,
        addressee=addressee,
        dossiers=tuple(dossiers),
        number=number,
        session=session,
        signatories=tuple(signatories),
        sections=tuple(sections),
        footnotes=footnotes,
        references=references,
        warnings=tuple(warnings),
        chamber=chamber,
    )


#: How many text lines from the top the addressee and the place and date are looked for in, glued.
OPENING_LINES = 25


def _unglue_opening(lines: list[Line]) -> list[Line]:
    """The archive's OCR runs the place and date into the first paragraph, or the addressee into
    the place and date, on one line: give each its own line (the first such line in the letter's
    opening lines only)."""
    seen = 0
    for i, line in enumerate(lines):
        if not line.is_text:
            continue
        seen += 1
        if seen > OPENING_LINES:
            break
        if match := P.ADDRESSEE_PLACE_DATE.match(line.text):
            parts = [match.group(1), line.text[match.start(2):]]
        elif match := P.PLACE_DATE_LEAD.match(line.text):
            parts = [line.text[: match.end()].strip(), line.text[match.end():]]
        else:
            continue
        return [*lines[:i], *(Line(part.strip(), TEXT, page=line.page) for part in parts), *lines[i + 1:]]
    return lines


def _title_from_tail(tail: str, signatories: list[Signatory]) -> str | None:
    """The cleaned layout keeps only the title's end (`VEILIGHEID`). A letter's title is `Brief van`
    + the signer's function, so where the tail ends that function, the whole title is known."""
    for signatory in signatories:
        function = signatory.function
        full = "BRIEF VAN " + function.upper()
        if full.endswith(" " + tail.strip()) or full == tail.strip():
            return "Brief van " + function[:1].lower() + function[1:]
    return None


def _join_ocr_hyphens(title: str, lexicon: Lexicon, signatories: list[Signatory]) -> str:
    """`Werkgele-Genheid` -> `Werkgelegenheid` where the joined word is a word of the letter (or of its
    signers' functions): the OCR joined a line-end hyphen of the printed title without dropping it."""
    known = set(lexicon.words) | {w.lower() for s in signatories for w in s.function.split()}

    def join(match: re.Match[str]) -> str:
        whole = match.group(1) + match.group(2).lower()
        return whole if whole.lower() in known else match.group(0)

    return re.sub(r"\b([A-Z][a-z]+)-([A-Z][a-z]+)\b", join, title)


def session_of(date: dt.date | None) -> str | None:
    """The parliamentary year of a date: it starts on Prinsjesdag, the third Tuesday of September."""
    if date is None:
        return None
    first = dt.date(date.year, 9, 1)
    prinsjesdag = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = date.year if date >= prinsjesdag else date.year - 1
    return f"{start}-{start + 1}"


def _sections(blocks: list[Block], lexicon: Lexicon) -> tuple[list[tuple[str | None, list[tuple[str, str, int | None]]]], list[str]]:
    """Blocks -> [(section title, [(kind, raw joined text, page)])], plus all paragraph texts in order."""
    sections: list[tuple[str | None, list[tuple[str, str, int | None]]]] = [(None, [])]
    texts: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            sections.append((join_lines(block.lines, lexicon), []))
            continue
        if block.kind == "table":
            text = "\n".join(block.lines)
        else:
            text = join_lines(block.lines, lexicon)
            if block.kind == "item" and block.label:
                text = f"{block.label} {text}"
        kind = "item" if block.kind == "item" else ("table" if block.kind == "table" else "paragraph")
        sections[-1][1].append((kind, text, block.page))
        texts.append(text)
    if not sections[0][1] and len(sections) > 1:
        sections.pop(0)
    return sections, texts


def _attach_markers(
    sections, texts: list[str], footnotes: tuple[Footnote, ...], warnings: list[str], ocr: bool = False
) -> list[Section]:
    """Find each footnote's marker in the paragraphs, strip it and record where it stood."""
    found: list[Candidate] = []
    position = 0
    for _title, paragraphs in sections:
        for kind, text, _page in paragraphs:
            if kind != "table":  # numbers in a table are data
                found.extend(candidates(text, position, ocr=ocr))
            position += 1
    numbers = [f.n for f in footnotes]
    chosen = choose_markers(found, numbers)
    for n in numbers:
        if n not in chosen:
            warnings.append(f"footnote {n} has no marker in the text")
    by_paragraph: dict[int, list[Candidate]] = {}
    for mark in chosen.values():
        by_paragraph.setdefault(mark.paragraph, []).append(mark)
    # A number glued to punctuation (`besproken.4`) where no footnote 4 exists: a lost footnote?
    highest = max(numbers, default=0)
    for candidate in found:
        if candidate.strong and candidate.n not in numbers and candidate.n <= highest + 3:
            text = texts[candidate.paragraph]
            context = text[max(0, candidate.start - 20) : candidate.end]
            warnings.append(f"marker {candidate.n} has no footnote: …{context}")

    result: list[Section] = []
    position = 0
    for title, paragraphs in sections:
        out = []
        for kind, text, page in paragraphs:
            clean, notes = strip_markers(text, by_paragraph.get(position, []))
            out.append(Paragraph(clean, "item" if kind == "item" else "paragraph", notes, page))
            position += 1
        result.append(Section(title, tuple(out)))
    return result


def _references(sections: list[Section], footnotes: tuple[Footnote, ...]) -> tuple[Reference, ...]:
    references: list[Reference] = []
    position = 0
    for section in sections:
        for paragraph in section.paragraphs:
            for c in find_citations(paragraph.text):
                references.append(Reference(c.dossier, c.number, c.text, paragraph=position, start=c.start, end=c.end))
            position += 1
    for note in footnotes:
        for c in find_citations(note.text):
            references.append(Reference(c.dossier, c.number, c.text, footnote=note.n, start=c.start, end=c.end))
    return tuple(references)
