"""Parser speed: typical letters (the bundled one, the examples, the real web and archive letters), and a
1 MB letter in the full layout.

    python bench/bench_parse.py

Prints milliseconds per parse (median of several runs) and MB/s. Targets (issue 2): a typical letter
well under 10 ms, a 1 MB letter under a second.
"""

from __future__ import annotations

import statistics
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefreader.parse import parse_bytes  # noqa: E402


def timed(data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_bytes(data, "bench.txt")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_letter(target_bytes: int) -> bytes:
    """A long full-layout letter: pages of body text with markers, footnote blocks and footers."""
    sentences = (
        "De Raad sprak over de situatie aan de buitengrenzen van de Unie en over de steun aan de "
        "lidstaten die met een ongekend hoog aantal irreguliere grensoverschrijdingen te maken hebben. "
        "Het kabinet zet in op een gezamenlijke aanpak, op informatie-uitwisseling tussen de EU-lidstaten "
        "en op een snelle afronding van de onderhandelingen over het migratie- en asielpact. "
    )
    lines = ["Tweede Kamer der Staten-Generaal", "Vergaderjaar 2023–2024", "32 317 JBZ-Raad", "Nr. 900",
             "BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID",
             "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "Den Haag, 3 oktober 2023"]
    n = 0
    page = 0
    size = 0
    while size < target_bytes:
        page += 1
        notes = []
        for k in range(2):
            n += 1
            body = textwrap.wrap(sentences * 4, 72)
            body[-1] = body[-1].rstrip(".") + f" en de verordening{n}."
            if k == 1:
                body.insert(0, f"{page}.{k} Stand van zaken")
            lines += body
            notes += [f"{n} Kamerstuk 32 317, nr. {700 + n}, waarin de Raad de voortgang van de",
                      "onderhandelingen over het pact beschrijft."]
        lines += ["", *notes, "", f"Tweede Kamer, vergaderjaar 2023–2024, 32 317, nr. 900 {page}"]
        size = sum(len(line) + 1 for line in lines)
    lines += ["De Minister van Justitie en Veiligheid,", "D. Yeşilgöz-Zegerius"]
    return "\n".join(lines).encode()


def main() -> None:
    typical = (
        sorted((ROOT / "corpus").glob("*.txt"))
        + sorted((ROOT / "tests" / "fixtures").glob("ex*.txt"))
        + sorted((ROOT / "tests" / "fixtures" / "real").glob("*.txt"))
    )
    for path in typical:
        data = path.read_bytes()
        seconds = timed(data, 50)
        print(f"{path.name:<55} {len(data) / 1024:6.1f} KB  {seconds * 1000:7.2f} ms")
    data = big_letter(1_000_000)
    seconds = timed(data, 3)
    letter = parse_bytes(data, "big.txt")
    print(f"{'1 MB letter (generated)':<55} {len(data) / 1024:6.1f} KB  {seconds * 1000:7.1f} ms  "
          f"{len(data) / seconds / 1e6:5.2f} MB/s  ({len(letter.footnotes)} footnotes, "
          f"{sum(1 for _ in letter.paragraphs())} paragraphs, {len(letter.warnings)} warnings)")


if __name__ == "__main__":
    main()
