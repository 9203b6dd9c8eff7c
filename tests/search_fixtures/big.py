"""A generated corpus in the mini format (see `search_fixtures.mini`), big enough that Whoosh's
collector skips posting blocks: a few hundred letters whose words come from real Kamerbrieven (the
bundled corpus and tests/fixtures) with a Zipf-like frequency, so common words fill many posting
blocks and the top-10 heap fills early.

`build_big_index(corpus, index_dir)` writes and indexes it in stages (several segments), then
changes and removes letters (deleted documents). Same seed, same corpus.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

from briefreader.analysis import STOP_WORDS, fold
from briefreader.corpus import bundled_corpus
from briefreader.index import CorpusIndex, open_index
from search_fixtures.mini import load_mini

SOURCES = [bundled_corpus(), Path(__file__).parent.parent / "fixtures"]
DOSSIERS = ["32317", "21501-20", "21501-32", "26643", "29544"]
SIGNERS = [
    "De Minister van Justitie en Veiligheid | F.B.J. Grapperhaus",
    "De Minister van Onderwijs, Cultuur en Wetenschap | R.H. Dijkgraaf",
    "De Minister van Buitenlandse Zaken | W.B. Hoekstra",
    "De Staatssecretaris van Justitie en Veiligheid | A. Broekers-Knol",
]


def real_words() -> list[str]:
    """Distinct words (5+ letters, no stop words) of the real letters, in order of appearance."""
    words: dict[str, None] = {}
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            for word in re.findall(r"[^\W\d_]{5,}", path.read_text(encoding="utf-8", errors="replace")):
                if fold(word) not in STOP_WORDS:
                    words.setdefault(word.lower(), None)
    return list(words)


def write_big_corpus(folder: Path, count: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write letters `start .. start + count - 1` into `folder`; returns their paths."""
    rng = random.Random(seed + start)
    words = real_words()[:400]
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def some(n: int) -> list[str]:
        return rng.choices(words, cum_weights=weights, k=n)

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        year = 2015 + n % 9
        lines = [
            f"title: {' '.join(some(rng.randint(2, 4))).capitalize()}",
            f"date: {year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            f"dossier: {DOSSIERS[n % len(DOSSIERS)]}",
            f"number: {100 + n}",
            f"signatory: {SIGNERS[n % len(SIGNERS)]}",
            f"tags: {some(1)[0]}",
            "",
        ]
        notes = 0
        for section in range(rng.randint(1, 3)):
            if section:
                lines.append(f"## {' '.join(some(2)).capitalize()}")
            for _ in range(rng.randint(2, 4)):
                text = " ".join(some(rng.randint(6, 18))).capitalize()
                if rng.random() < 0.3:
                    notes += 1
                    text += f"[{notes}]"
                lines.append(text + ".")
        lines += [f"[^{k}] {' '.join(some(rng.randint(3, 8))).capitalize()}." for k in range(1, notes + 1)]
        path = folder / f"brief-{n:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def build_big_index(corpus: Path, index_dir: Path, letters: int = 360) -> CorpusIndex:
    """The big corpus indexed in three stages, then with letters changed and removed."""
    index = open_index(corpus, index_dir, loader=load_mini)
    first, second = letters // 2, letters // 3
    write_big_corpus(corpus, first)
    index.refresh(workers=0)
    write_big_corpus(corpus, second, start=first)
    index.refresh(workers=0)
    write_big_corpus(corpus, letters - first - second, start=first + second)
    index.refresh(workers=0)
    # Changed and removed letters leave deleted documents behind in the older segments.
    for n in range(3, letters, 37):
        path = corpus / f"brief-{n:04d}.txt"
        path.write_text(path.read_text(encoding="utf-8") + "Aanvulling over de gewijzigde brief.\n", encoding="utf-8")
    for n in range(5, letters, 53):
        (corpus / f"brief-{n:04d}.txt").unlink()
    index.refresh(workers=0)
    return index
