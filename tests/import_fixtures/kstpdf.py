"""Generate Kamerstuk-like PDFs (and the equivalent extracted text) for the import tests and bench.

A `KstSpec` describes a letter: the header block, the body as blocks (paragraphs, headings, list
items) whose footnote markers are written `word{1}`, the footnotes and the signature. `render_pdf`
lays it out the way the Staatscourant/Kamerstuk PDFs are set:

- page 1 opens with a header block (chamber, session year, dossier number and title side by side,
  `Nr. ...`, the capitalised title, addressee, place and date);
- every page ends with a running footer (`Tweede Kamer, vergaderjaar ..., nr. N` and the page number
  at the right), page 1 also with the colophon (`kst-...`, `ISSN 0921 - 7371`, `’s-Gravenhage 2023`);
- footnote markers are superscripts (a smaller font on a raised baseline) glued to the word;
- the footnotes sit at the bottom of the page where their marker is, under a short rule, in a
  smaller font;
- paragraphs are separated by a small vertical gap and run over page breaks.

`render_text` writes the same pages as text, one printed line per line, a blank line between
paragraphs and `\\f` between pages: what a good extractor makes of the PDF, and a layout the text
parser reads. The line breaks of both come from one layout, so the two are the same letter.

Only fpdf2 is needed (a test dependency). With `font="core"` the PDF uses Helvetica (Windows-1252
text, no font file needed); with `font="ttf"` it embeds DejaVu Sans as a subset, as real Kamerstukken
embed their fonts, and is skipped where that font file is absent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

MARKER = re.compile(r"\{(\d+)\}")
SOFT = "\u00ad"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Layout, in mm (A4).
LEFT = 42.0
WIDTH = 125.0
MARGIN_COLUMN = 10.0  # page 1 colophon, left of the body
TOP = 22.0
FOOTER_Y = 282.0  # baseline region of the running footer
FOOTNOTE_BOTTOM = 272.0  # footnotes end above this
BODY_SIZE = 10.0
BODY_LEAD = 4.8
PARA_GAP = 2.6
NOTE_SIZE = 7.5
NOTE_LEAD = 3.5
SUP_SIZE = 7.0  # fpdf2 sets <sup> at 0.7 of the font size
SUP_RISE = 1.6


@dataclass
class KstSpec:
    """One letter to render. Blocks are `("p", text)`, `("h", heading)` or `("li", item)`."""

    dossiers: list[tuple[str, str]]
    number: str
    title: str
    date: str
    blocks: list[tuple[str, str]]
    footnotes: dict[int, str] = field(default_factory=dict)
    signature: list[tuple[str, str]] = field(default_factory=list)
    session: str = "2022–2023"
    chamber: str = "Tweede Kamer der Staten-Generaal"
    chamber_digit: str = "2"
    place: str = "Den Haag"
    year: str = "2023"

    @property
    def kst_id(self) -> str:
        main = self.dossiers[0][0].replace(" ", "")
        return f"kst-{main}-{self.number}"

    @property
    def footer(self) -> str:
        short = "Tweede Kamer" if self.chamber.startswith("Tweede") else "Eerste Kamer"
        return f"{short}, vergaderjaar {self.session}, {self.dossiers[0][0]}, nr. {self.number}"


# A run is (text, style) with style "n" (normal), "b" (bold), "s" (superscript marker).
Run = tuple[str, str]


@dataclass
class Line:
    runs: list[Run]
    notes: list[int]
    gap_before: float = 0.0
    size: float = BODY_SIZE
    lead: float = BODY_LEAD
    indent: float = 0.0


class _Measure:
    """String widths in mm for the chosen font, via an fpdf2 document that is never written."""

    def __init__(self, pdf):
        self.pdf = pdf

    def width(self, runs: list[Run], size: float) -> float:
        total = 0.0
        for text, style in runs:
            self.pdf.set_font(self.pdf.body_family, "B" if style == "b" else "", SUP_SIZE if style == "s" else size)
            total += self.pdf.get_string_width(text)
        return total


def _word_runs(word: str, style: str = "n") -> list[Run]:
    """A word's runs: `*bold*` words in bold, `{n}` markers as superscripts."""
    emphasis = re.fullmatch(r"\*(.+?)\*(.*)", word)
    if emphasis:
        return _word_runs(emphasis.group(1), "b") + (_word_runs(emphasis.group(2), style) if emphasis.group(2) else [])
    runs: list[Run] = []
    pos = 0
    for match in MARKER.finditer(word):
        if match.start() > pos:
            runs.append((word[pos : match.start()], style))
        runs.append((match.group(1), "s"))
        pos = match.end()
    if pos < len(word):
        runs.append((word[pos:], style))
    return runs


def _wrap(text: str, measure: _Measure, size: float, width: float, style: str = "n") -> list[tuple[list[Run], list[int]]]:
    """Greedy word wrap at spaces, keeping markers glued to their word.

    A soft hyphen (U+00AD) in a word marks where it may be broken: the first part then ends its
    line with `-`, as a typesetter hyphenates (`Werk-` / `agenda`).
    """
    lines: list[tuple[list[Run], list[int]]] = []
    current: list[Run] = []
    notes: list[int] = []
    words = text.split()
    while words:
        word = words.pop(0)
        runs = _word_runs(word.replace(SOFT, ""), style)
        candidate = current + ([(" ", style)] if current else []) + runs
        if current and measure.width(candidate, size) > width:
            head, _, tail = word.rpartition(SOFT)
            if head:
                first = current + [(" ", style)] + _word_runs(head.replace(SOFT, "") + "-", style)
                if measure.width(first, size) <= width:
                    notes += [int(n) for n in MARKER.findall(head)]
                    lines.append((first, notes))
                    current, notes = [], []
                    words.insert(0, tail)
                    continue
            lines.append((current, notes))
            current, notes = list(runs), []
        else:
            current = candidate
        notes += [int(n) for n in MARKER.findall(word)]
    if current:
        lines.append((current, notes))
    return lines


def _new_pdf(font: str):
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    # A right margin far out: fpdf2 must never wrap a line itself; the layout above decides.
    pdf.set_margins(LEFT, TOP, 2)
    if font == "ttf":
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD))
        pdf.body_family = "DejaVu"
    else:
        pdf.core_fonts_encoding = "cp1252"
        pdf.body_family = "Helvetica"
    pdf.set_creator("briefreader tests")
    return pdf


def _header_lines(spec: KstSpec, measure: _Measure) -> list[Line]:
    lines = [
        Line([(spec.chamber, "b"), (" " + spec.chamber_digit, "b")], [], size=12, lead=6),
        Line([(f"Vergaderjaar {spec.session}", "n")], [], lead=6),
    ]
    for number, title in spec.dossiers:
        wrapped = _wrap(title, measure, BODY_SIZE, WIDTH - 25, "b")
        for i, (runs, _) in enumerate(wrapped):
            lead = [(number + " ", "b")] if i == 0 else []
            lines.append(Line(lead + runs, [], gap_before=4 if i == 0 else 0, indent=0 if i == 0 else 0))
    lines.append(Line([(f"Nr. {spec.number}", "b")], [], gap_before=4))
    for runs, _ in _wrap(spec.title, measure, BODY_SIZE, WIDTH, "b"):
        lines.append(Line(runs, []))
    lines.append(Line([("Aan de Voorzitter van de " + spec.chamber, "n")], [], gap_before=4))
    lines.append(Line([(f"{spec.place}, {spec.date}", "n")], [], gap_before=PARA_GAP))
    return lines


def _body_lines(spec: KstSpec, measure: _Measure) -> list[Line]:
    lines: list[Line] = []
    for kind, text in spec.blocks:
        style = "b" if kind == "h" else "n"
        indent = 5.0 if kind == "li" else 0.0
        wrapped = _wrap(text, measure, BODY_SIZE, WIDTH - indent, style)
        for i, (runs, notes) in enumerate(wrapped):
            gap = PARA_GAP if i == 0 else 0.0
            lines.append(Line(runs, notes, gap_before=gap, indent=indent if i else 0.0))
    for function, name in spec.signature:
        lines.append(Line([(function, "n")], [], gap_before=PARA_GAP))
        lines.append(Line([(name, "n")], []))
    return lines


def _footnote_lines(spec: KstSpec, n: int, measure: _Measure) -> list[Line]:
    wrapped = _wrap(spec.footnotes[n], measure, NOTE_SIZE, WIDTH - 6)
    # The number hangs in the margin of the note: drawn apart, with the text indented beside it.
    return [
        Line(([(str(n), "#")] if i == 0 else []) + runs, [], size=NOTE_SIZE, lead=NOTE_LEAD, indent=6)
        for i, (runs, _) in enumerate(wrapped)
    ]


@dataclass
class Page:
    body: list[Line]
    notes: list[list[Line]]
    footer: list[str]


def layout(spec: KstSpec, font: str = "core") -> list[Page]:
    """Break the letter into pages: body lines, the footnotes of the page, the footer lines."""
    pdf = _new_pdf(font)
    measure = _Measure(pdf)
    pending = _header_lines(spec, measure) + _body_lines(spec, measure)
    pages: list[Page] = []
    while pending:
        y = TOP
        body: list[Line] = []
        notes: list[int] = []
        notes_height = 0.0
        while pending:
            line = pending[0]
            new_notes = [n for n in line.notes if n in spec.footnotes and n not in notes]
            extra = sum(len(_footnote_lines(spec, n, measure)) * NOTE_LEAD for n in new_notes)
            rule = 4.0 if (new_notes and not notes) else 0.0
            gap = line.gap_before if body else 0.0
            if body and y + gap + line.lead + notes_height + extra + rule > FOOTNOTE_BOTTOM:
                break
            y += gap + line.lead
            notes_height += extra + rule
            notes += new_notes
            body.append(line if body else Line(line.runs, line.notes, 0.0, line.size, line.lead, line.indent))
            pending.pop(0)
        number = len(pages) + 1
        footer = [f"{spec.footer} {number}"]
        if number == 1:
            footer = [f"{spec.kst_id}", "ISSN 0921 - 7371", f"’s-Gravenhage {spec.year}"] + footer
        pages.append(Page(body, [_footnote_lines(spec, n, measure) for n in notes], footer))
    return pages


def _draw_runs(pdf, runs: list[Run], x: float, y: float, size: float) -> None:
    """Draw one printed line whose baseline is at `y`.

    The line goes out as one text object (fpdf2's HTML writer), the way typesetters write a line: a
    marker is a font switch plus a text rise (`Ts`) inside it, not a separate object at its own
    position, which is what makes superscripts hard for extractors.
    """
    parts = []
    for text, style in runs:
        if style == "#":
            pdf.set_font(pdf.body_family, "", size)
            pdf.text(LEFT, y, text)
            continue
        text = html.escape(text).replace(" ", "&#32;")
        parts.append({"s": f"<sup>{text}</sup>", "b": f"<b>{text}</b>"}.get(style, text))
    if not parts:
        return
    pdf.set_font(pdf.body_family, "", size)
    # write_html positions the top of the line; a 10 pt line's baseline sits about 0.8 of the
    # line height down, which is close enough for layout purposes.
    pdf.set_xy(x, y - size * 0.3528)
    pdf.write_html("".join(parts))


def render_pdf(spec: KstSpec, path: Path, font: str = "core", furniture_first: bool = False) -> Path:
    """Write the letter as a Kamerstuk-like PDF at `path`.

    `furniture_first` writes each page's footnotes, colophon and footer into the content stream
    before its body, as typesetting systems that place master-page items first do: the page looks
    the same, but an extractor that follows the stream reads the footnotes first.
    """
    pdf = _new_pdf(font)
    for page in layout(spec, font):
        pdf.add_page()
        if furniture_first:
            _draw_furniture(pdf, page)
        y = TOP
        for line in page.body:
            y += line.gap_before + line.lead
            _draw_runs(pdf, line.runs, LEFT + line.indent, y, line.size)
        if not furniture_first:
            _draw_furniture(pdf, page)
    path = Path(path)
    pdf.output(str(path))
    return path


def _draw_furniture(pdf, page: Page) -> None:
    """The page's footnotes (under a short rule), colophon (page 1) and running footer."""
    if page.notes:
        note_lines = [line for note in page.notes for line in note]
        y = FOOTNOTE_BOTTOM - len(note_lines) * NOTE_LEAD
        pdf.set_line_width(0.2)
        pdf.line(LEFT, y - 2.5, LEFT + 40, y - 2.5)
        for line in note_lines:
            y += NOTE_LEAD
            _draw_runs(pdf, line.runs, LEFT + line.indent, y, line.size)
    # The colophon sits in the margin column left of the footnotes, the running footer at the
    # bottom with the page number flush right.
    pdf.set_font(pdf.body_family, "", 7)
    for i, text in enumerate(page.footer[:-1]):
        pdf.text(MARGIN_COLUMN, FOOTNOTE_BOTTOM - 9 + 3 * i, text)
    running, _, number = page.footer[-1].rpartition(" ")
    pdf.text(LEFT, FOOTER_Y + 4, running)
    pdf.text(LEFT + WIDTH + 10, FOOTER_Y + 4, number)


def _runs_text(runs: list[Run]) -> str:
    return "".join(text + " " if style == "#" else text for text, style in runs)


def render_text(spec: KstSpec, font: str = "core") -> str:
    """The same pages as plain text: what a good extractor would make of `render_pdf`'s output."""
    out: list[str] = []
    for page in layout(spec, font):
        lines: list[str] = []
        for line in page.body:
            if line.gap_before >= PARA_GAP and lines:
                lines.append("")
            lines.append(_runs_text(line.runs))
        if page.notes:
            lines.append("")
            for note in page.notes:
                lines += [_runs_text(line.runs) for line in note]
        # The running footer, then (page 1) the colophon from the margin column: where PDFium's
        # reading order puts them.
        lines.append("")
        lines.append(page.footer[-1])
        if page.footer[:-1]:
            lines.append("")
            lines += page.footer[:-1]
        out.append("\n".join(lines) + "\n")
    return "\f".join(out)


def expected_paragraphs(spec: KstSpec) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each non-heading block's clean text and its (footnote number, offset) markers."""
    result = []
    for kind, text in spec.blocks:
        if kind == "h":
            continue
        clean, notes, pos = [], [], 0
        words = " ".join(text.replace(SOFT, "").replace("*", "").split())
        for match in MARKER.finditer(words):
            clean.append(words[pos : match.start()])
            notes.append((int(match.group(1)), len("".join(clean))))
            pos = match.end()
        clean.append(words[pos:])
        text = "".join(clean)
        if kind == "li" and text[:2] in ("– ", "• "):
            # The parser drops a bullet (it is layout); a numbered item keeps its number.
            notes = [(n, at - 2) for n, at in notes]
            text = text[2:]
        result.append((text, notes))
    return result


#: Where the sample letter's long words may be hyphenated (syllable breaks, as a typesetter would).
BREAKS = {
    "inwerkingtreding": "inwerking\u00adtreding",
    "bestuursorganen": "bestuurs\u00adorganen",
    "informatiehuishouding": "informatie\u00adhuishouding",
    "behandeltermijn": "behandel\u00adtermijn",
    "achterstanden": "achter\u00adstanden",
    "functionerende": "functione\u00adrende",
    "meerjarenplan": "meerjaren\u00adplan",
    "onafhankelijke": "onafhanke\u00adlijke",
    "duurzaamheid": "duurzaam\u00adheid",
    "overbrenging": "over\u00adbrenging",
    "gereserveerd": "gereser\u00adveerd",
    "uitvoeringskosten": "uitvoerings\u00adkosten",
    "informatiespecialisten": "informatie\u00adspecialisten",
    "volksvertegenwoordigers": "volksvertegen\u00adwoordigers",
    "vanzelfsprekend": "vanzelf\u00adsprekend",
    "persoonsgegevens": "persoons\u00adgegevens",
    "modelbesluiten": "model\u00adbesluiten",
}


def hyphenate(text: str) -> str:
    """`text` with soft hyphens at the break points of BREAKS."""
    return re.sub(r"\w+", lambda m: BREAKS.get(m.group(0), m.group(0)), text)


def sample_spec() -> KstSpec:
    """A fictitious letter in the Kamerstuk layout: three pages, four footnotes, a list, headings."""
    spec = KstSpec(
        dossiers=[("29 362", "Modernisering van de overheid")],
        number="412",
        title="BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES",
        date="14 maart 2023",
        blocks=[
            ("p", "Met deze brief informeer ik uw Kamer over de voortgang van het programma Open Overheid{1}. "
                  "In mijn brief van 10 oktober 2022 (Kamerstuk 29 362, nr. 398) heb ik toegezegd uw Kamer "
                  "jaarlijks te informeren over de stand van zaken en over de plannen voor het komende jaar."),
            ("h", "1. Openbaarheid van informatie"),
            ("p", "Sinds de inwerkingtreding van de Wet open overheid publiceren bestuursorganen steeds meer "
                  "informatie uit zichzelf. Het aantal verzoeken om informatie is in 2022 gestegen tot ruim "
                  "12 duizend, terwijl de gemiddelde behandeltermijn is gedaald{2}. Toch is er nog veel te "
                  "doen: veel organisaties kampen met achterstanden, met een gebrek aan capaciteit en met "
                  "verouderde systemen voor informatiehuishouding."),
            ("p", "Het kabinet neemt *daarom* de volgende maatregelen:"),
            ("li", "– er komt een landelijk expertisecentrum voor informatiehuishouding;"),
            ("li", "– bestuursorganen krijgen ondersteuning bij het actief openbaar maken;"),
            ("li", "– de termijnen worden in de jaarrapportage per organisatie zichtbaar.{3}"),
            ("h", "2. Informatiehuishouding"),
            ("p", "De Inspectie Overheidsinformatie en Erfgoed heeft in haar rapport vastgesteld dat de "
                  "informatiehuishouding bij het Rijk op veel plaatsen niet op orde is. Dat raakt aan de "
                  "kern van een goed functionerende democratie: zonder goede informatiehuishouding kan de "
                  "Kamer haar controlerende taak niet waarmaken en kunnen burgers niet nagaan wat de "
                  "overheid heeft gedaan. Het meerjarenplan dat ik uw Kamer eerder stuurde, wordt "
                  "daarom versneld uitgevoerd en ik zal de voortgang per departement laten volgen door "
                  "een onafhankelijke commissie die rapporteert aan de ministerraad en aan uw Kamer. "
                  "Ook worden de budgetten voor archivering en digitale duurzaamheid structureel "
                  "verhoogd, zodat de achterstanden bij de overbrenging naar het Nationaal Archief in "
                  "2026 zijn weggewerkt."),
            ("h", "3. Uitvoering en financiering"),
            ("p", "Voor de uitvoering van de maatregelen in deze brief is in de begroting voor 2023 een "
                  "bedrag van 24 miljoen euro gereserveerd, oplopend tot 38 miljoen euro structureel vanaf "
                  "2025. De middelen worden verdeeld over de departementen naar rato van de omvang van hun "
                  "archieven en de achterstanden die zij hebben gemeld. Gemeenten, provincies en "
                  "waterschappen ontvangen via het gemeentefonds en het provinciefonds een bijdrage voor "
                  "de uitvoeringskosten van de wet, zoals afgesproken in het bestuurlijk overleg met de "
                  "koepels van decentrale overheden."),
            ("p", "Bij de uitvoering werk ik nauw samen met de Vereniging van Nederlandse Gemeenten, het "
                  "Interprovinciaal Overleg en de Unie van Waterschappen. Zij hebben aangegeven dat de "
                  "ondersteuning bij het actief openbaar maken van informatie voor kleinere organisaties "
                  "van groot belang is, omdat die vaak geen eigen juristen en informatiespecialisten in "
                  "dienst hebben. Het expertisecentrum zal daarom ook een helpdesk en een kennisbank "
                  "inrichten, en modelbesluiten en handreikingen publiceren die organisaties zonder "
                  "aanpassing kunnen gebruiken. Daarnaast verschijnt dit jaar een handreiking voor het "
                  "lakken van persoonsgegevens in documenten die actief openbaar worden gemaakt."),
            ("p", "Ik hecht eraan te benadrukken dat openbaarheid geen doel op zich is. Het gaat erom dat "
                  "burgers, journalisten en volksvertegenwoordigers kunnen nagaan op welke gronden de "
                  "overheid besluiten neemt, zodat zij die besluiten kunnen controleren en bespreken. "
                  "Dat vraagt ook een cultuur bij ambtenaren en bestuurders waarin het delen van "
                  "informatie vanzelfsprekend is en waarin het weigeren van informatie goed moet worden "
                  "gemotiveerd."),
            ("p", "Tot slot wijs ik op de evaluatie van de Wet open overheid, die in 2024 begint{4}. In die "
                  "evaluatie wordt ook de motie van het lid Van der Molen meegenomen."),
        ],
        footnotes={
            1: "Kamerstuk 29 362, nr. 320.",
            2: "Zie de jaarrapportage Wet open overheid 2022, bijlage bij Kamerstukken II 2022/23, 32 802, nr. 70.",
            3: "Zie https://www.open-overheid.nl/jaarrapportage.",
            4: "Kamerstuk 32 802, nr. 71.",
        },
        signature=[("De Minister van Binnenlandse Zaken en Koninkrijksrelaties,", "H.G.J. Bruins Slot")],
    )
    spec.blocks = [(kind, hyphenate(text)) for kind, text in spec.blocks]
    return spec


def small_spec(
    dossier: str,
    number: str,
    date: str,
    text: str,
    footnotes: dict[int, str] | None = None,
    title: str = "BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES",
) -> KstSpec:
    """A one-paragraph letter (dossier like `29 362`, date like `10 oktober 2022`) for corpus tests."""
    return KstSpec(
        dossiers=[(dossier, "Modernisering van de overheid")],
        number=number,
        title=title,
        date=date,
        blocks=[("p", text)],
        footnotes=footnotes or {},
        signature=[("De Minister van Binnenlandse Zaken en Koninkrijksrelaties,", "H.G.J. Bruins Slot")],
        year=date.rsplit(" ", 1)[-1],
    )


def write_linked_sources(folder: Path) -> dict[str, Path]:
    """A small web of letters in all three formats, as a user would have them before `add`.

    - kst-29362-412.xml (14 March 2023, hand-written XML) cites nr. 398, nr. 320 (not present),
      32 802 nr. 70 (not present) and 32 802 nr. 71;
    - oktober-brief.txt (kst-29362-398, 10 October 2022) cites nr. 320 only;
    - woo-evaluatie.pdf (kst-32802-71, 1 February 2023) cites nr. 398;
    - mei-brief.txt (kst-29362-450, 8 May 2023) cites nr. 412.
    Returns letter id -> path. Needs fpdf2 (for the PDF).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    xml = folder / "kst-29362-412.xml"
    xml.write_bytes((Path(__file__).parent / "kst-29362-412.xml").read_bytes())
    paths["kst-29362-412"] = xml
    october = small_spec(
        "29 362", "398", "10 oktober 2022",
        "Met deze brief informeer ik uw Kamer over het programma Open Overheid{1}. Ik zal uw Kamer "
        "jaarlijks informeren over de voortgang.",
        {1: "Kamerstuk 29 362, nr. 320."},
    )
    paths["oktober-brief"] = folder / "oktober-brief.txt"
    paths["oktober-brief"].write_text(render_text(october), encoding="utf-8")
    evaluation = small_spec(
        "32 802", "71", "1 februari 2023",
        "Zoals aangekondigd in mijn brief over Open Overheid (Kamerstuk 29 362, nr. 398) begint de "
        "evaluatie van de Wet open overheid in 2024.",
    )
    paths["woo-evaluatie"] = render_pdf(evaluation, folder / "woo-evaluatie.pdf")
    may = small_spec(
        "29 362", "450", "8 mei 2023",
        "In mijn voortgangsbrief{1} heb ik uw Kamer gemeld welke maatregelen het kabinet neemt.",
        {1: "Kamerstuk 29 362, nr. 412."},
    )
    paths["mei-brief"] = folder / "mei-brief.txt"
    paths["mei-brief"].write_text(render_text(may), encoding="utf-8")
    return paths
