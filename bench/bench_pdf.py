"""Compare PDF text extractors on Kamerstuk-like PDFs: extraction quality and speed.

    python bench/bench_pdf.py [--pages N] [--repeat N]

Needs the test extra (fpdf2 makes the PDFs) and, for the comparison, pypdf (`pip install pypdf`; it
is not a dependency of briefreader). The PDFs come from tests/import_fixtures/kstpdf.py: a header
block, running footers, a colophon in the margin, footnotes at the page bottom with superscript
markers, paragraphs over page breaks and hyphenated line ends, in four variants (built-in Helvetica
or embedded DejaVu Sans; body written before or after the page furniture).

Extractors compared:
- pypdf: `page.extract_text()`, pages joined with \\f;
- pypdf-layout: `page.extract_text(extraction_mode="layout")`;
- pdfium: pypdfium2's `get_text_range()` per page;
- briefreader: `briefreader.parse.pdf.extract_text` (pypdfium2 characters, lines rebuilt).

Quality, per variant: the share of the expected lines found (in order), the markers that came out
glued to their word (`Overheid1.`), whether each page's footnotes follow its body, and whether the
text parser then produces exactly the letter it produces from the expected text. Speed: the best
of `--repeat` runs on a long letter, in ms per page.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from import_fixtures import kstpdf  # noqa: E402

from briefreader.parse.decode import normalise  # noqa: E402
from briefreader.parse.pdf import extract_text, parse_pdf  # noqa: E402
from briefreader.parse.text import parse_text  # noqa: E402


def _pypdf(data: bytes, layout: bool = False) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if layout:
        return "\f".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return "\f".join(page.extract_text() for page in reader.pages)


def _pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def extractors() -> dict[str, object]:
    found: dict[str, object] = {}
    try:
        import pypdf  # noqa: F401

        found["pypdf"] = _pypdf
        found["pypdf-layout"] = lambda data: _pypdf(data, layout=True)
    except ImportError:
        print("pypdf is not installed (pip install pypdf): compared without it\n")
    found["pdfium"] = _pdfium
    found["briefreader"] = extract_text
    return found


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in normalise(text).splitlines() if line.strip()]


def _shape(letter):
    return (
        [(s.title, [(p.text, p.kind, p.notes) for p in s.paragraphs]) for s in letter.sections],
        letter.footnotes,
        [(r.kst_id, r.start, r.end) for r in letter.references],
    )


def quality(spec, text: str, font: str) -> dict[str, object]:
    expected = kstpdf.render_text(spec, font)
    want, got = _lines(expected), _lines(text)
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    # Every marker as written: glued to the word before it and to the punctuation after it
    # (`Overheid1.`), on one line; a marker followed by a line break is detached.
    markers = []
    for _kind, block in spec.blocks:
        for match in re.finditer(r"(\S+?)\{(\d+)\}(\S?)", block.replace(kstpdf.SOFT, "").replace("*", "")):
            markers.append(re.escape(match.group(1) + match.group(2)) + (re.escape(match.group(3)) if match.group(3) else r"(?=[ \n]|$)"))
    lines = "\n".join(_lines(text))
    glued = sum(1 for marker in markers if re.search(marker, lines))
    pages = text.split("\f")
    in_order = True
    for page_number, page in enumerate(kstpdf.layout(spec, font)):
        if not page.notes or page_number >= len(pages):
            continue
        page_lines = _lines(pages[page_number])
        last_body = " ".join(kstpdf._runs_text(page.body[-1].runs).split())
        first_note = " ".join(kstpdf._runs_text(page.notes[0][0].runs).split())
        try:
            in_order &= page_lines.index(first_note) > page_lines.index(last_body)
        except ValueError:
            in_order = False
    same_letter = _shape(parse_text(normalise(text))) == _shape(parse_text(normalise(expected)))
    return {
        "lines": f"{same}/{len(want)}",
        "markers": f"{glued}/{len(markers)}",
        "notes after body": "yes" if in_order else "no",
        "same letter": "yes" if same_letter else "NO",
    }


def speed(data: bytes, extractor, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        extractor(data)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20, help="pages of the long letter for the speed test (about)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the best counts)")
    args = parser.parse_args()
    tools = extractors()
    fonts = ["core"] + (["ttf"] if kstpdf.DEJAVU.is_file() else [])
    spec = kstpdf.sample_spec()

    print("Quality on the sample letter (2 pages, 4 footnotes, 11 paragraphs)")
    header = f"{'variant':<22} {'extractor':<13} {'lines':>7} {'markers':>8} {'notes after body':>17} {'same letter':>12}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for font in fonts:
            for first in (False, True):
                variant = f"{font}, {'furniture first' if first else 'body first'}"
                data = kstpdf.render_pdf(spec, Path(tmp) / "x.pdf", font=font, furniture_first=first).read_bytes()
                for name, tool in tools.items():
                    q = quality(spec, tool(data), font)
                    print(
                        f"{variant:<22} {name:<13} {q['lines']:>7} {q['markers']:>8} {q['notes after body']:>17} {q['same letter']:>12}"
                    )
        print()
        long_spec = kstpdf.sample_spec()
        repeats = max(1, round(args.pages / 2))
        long_spec.blocks = long_spec.blocks * repeats
        for font in fonts:
            data = kstpdf.render_pdf(long_spec, Path(tmp) / "long.pdf", font=font).read_bytes()
            pages = len(kstpdf.layout(long_spec, font))
            print(f"Speed on a {pages}-page letter ({font} font, {len(data) // 1024} KB), best of {args.repeat}:")
            for name, tool in tools.items():
                seconds = speed(data, tool, args.repeat)
                print(f"  {name:<13} {seconds * 1000:8.1f} ms  {seconds * 1000 / pages:6.2f} ms/page")
            # The whole import of a PDF letter: extraction plus the text parser.
            seconds = speed(data, parse_pdf, args.repeat)
            print(f"  {'+ parser':<13} {seconds * 1000:8.1f} ms  {seconds * 1000 / pages:6.2f} ms/page  (parse_pdf: extract and parse)")
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
