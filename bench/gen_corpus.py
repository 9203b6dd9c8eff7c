"""Generate a corpus of N realistic letters for the search benchmark.

    python bench/gen_corpus.py N OUT_DIR [--seed S]

The letters are written in the cleaned layout of the bundled corpus letter (title tail, addressee,
place and date, paragraphs wrapped at about 75 columns with trailing spaces, unnumbered headings,
footnote blocks at page ends with the next page starting with a space, the signature, a last
footnote after it) with a YAML sidecar giving title, dossier, number and tags. Their text
recombines the sentences, headings and footnotes of the bundled corpus and of the test fixtures
(tests/search_fixtures/text), parsed with briefreader's own parser, and varies the vocabulary with
Dutch compounds built from a list of policy words, so the index sees a realistic number of
distinct terms rather than N copies of one letter. Same N and seed, same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefreader.corpus import bundled_corpus, find_letters  # noqa: E402
from briefreader.load import load_letter  # noqa: E402

#: Where the sentences come from: the bundled corpus and the test fixtures in the repository.
SOURCES = [bundled_corpus(), ROOT / "tests" / "search_fixtures" / "text", ROOT / "tests" / "fixtures"]

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()

# Policy words that Dutch compounds are built from: first parts and heads.
FIRST = (
    "migratie asiel grens visserij energie stikstof woning zorg onderwijs klimaat water defensie "
    "cyber veiligheid justitie politie gemeente provincie belasting pensioen arbeid landbouw natuur "
    "voedsel handel export douane terrorisme informatie data algoritme digitaal privacy toezicht "
    "subsidie begroting fonds crisis opvang terugkeer integratie arbeidsmarkt infrastructuur spoor "
    "luchtvaart haven gas elektriciteit netwerk sanctie ontwikkeling hulp vaccin pandemie jeugd"
).split()
HEADS = (
    "beleid akkoord plan raad fonds wet agenda strategie stromen maatregelen programma procedure "
    "samenwerking overleg kader regeling richtlijn verordening toets register capaciteit middelen "
    "aanpak rapport onderzoek evaluatie brief verslag sector markt prijzen tekort opgave"
).split()
ORGS = [
    "Frontex", "Europol", "Eurojust", "EASO", "INTCEN", "NAVO", "OVSE", "Raad van Europa",
    "Europese Commissie", "Europees Parlement", "Wereldbank", "IMF", "UNHCR", "IOM", "WHO",
    "Algemene Rekenkamer", "Raad van State",
]
COUNTRIES = (
    "Litouwen Letland Polen Belarus Afghanistan Irak Syrië Turkije Griekenland Italië Spanje Moldavië "
    "Oekraïne Marokko Tunesië Libië Niger Mali Duitsland Frankrijk België Ierland Denemarken Zweden"
).split()
SIGNATORIES = [
    ("De Minister van Justitie en Veiligheid", "F.B.J. Grapperhaus"),
    ("De Staatssecretaris van Justitie en Veiligheid", "A. Broekers-Knol"),
    ("De Minister van Buitenlandse Zaken", "W.B. Hoekstra"),
    ("De Minister van Landbouw, Natuur en Voedselkwaliteit", "P. Adema"),
    ("De Minister voor Klimaat en Energie", "R.A.A. Jetten"),
    ("De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties", "A.C. van Huffelen"),
    ("De Minister van Financiën", "S.A.M. Kaag"),
    ("De Minister van Volksgezondheid, Welzijn en Sport", "E.J. Kuipers"),
]
DOSSIERS = [
    ("32317", "JBZ-Raad"),
    ("21501-20", "Europese Raad"),
    ("21501-32", "Landbouw- en Visserijraad"),
    ("21501-33", "Raad voor Vervoer, Telecommunicatie en Energie"),
    ("26643", "Informatie- en communicatietechnologie (ICT)"),
    ("19637", "Vreemdelingenbeleid"),
    ("36410-VI", "Vaststelling van de begrotingsstaten van het Ministerie van Justitie en Veiligheid"),
    ("29544", "Arbeidsmarktbeleid"),
    ("32813", "Kabinetsaanpak Klimaatbeleid"),
    ("35925", "Wet inburgering"),
]


def load_sources() -> tuple[list[str], list[str], list[str]]:
    """Sentences, footnote texts and headings of the bundled corpus and the text fixtures."""
    sentences: list[str] = []
    footnotes: list[str] = []
    headings: list[str] = []
    for folder in SOURCES:
        for path in find_letters(folder):
            letter = load_letter(path)
            for _, section, paragraph in letter.paragraphs():
                if section.title and section.title not in headings:
                    headings.append(section.title)
                for sentence in re.split(r"(?<=[.;:])\s+(?=[A-Z])", paragraph.text):
                    sentence = sentence.strip()
                    if len(sentence) > 30 and not re.match(r"^\d", sentence):
                        sentences.append(sentence)
            footnotes.extend(note.text for note in letter.footnotes if not note.text[:1].isdigit())
    return sentences, footnotes, headings


class Vocabulary:
    """Dutch-looking compounds drawn with a Zipf-like law, so term frequencies have the long tail
    of a real corpus: a few words in many paragraphs, most words in a few."""

    def __init__(self, rng: random.Random, size: int = 40_000):
        words: list[str] = []
        seen: set[str] = set()
        for first in FIRST:
            for head in HEADS:
                words.append(first + head)
        while len(words) < size:
            word = rng.choice(FIRST) + rng.choice(FIRST) + rng.choice(HEADS)
            if word not in seen:
                seen.add(word)
                words.append(word)
        rng.shuffle(words)
        self.words = words
        names = COUNTRIES + ORGS
        rng.shuffle(names)
        self.names = names
        # Cumulative weights for rank^-1.05 (Zipf), used with bisect-based choices().
        self.word_weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
        self.name_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(names))))

    def word(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.word_weights)[0]

    def name(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.name_weights)[0]


#: The share of words (of 5 letters or more) replaced by a drawn compound or name.
REPLACE = 0.5


def vary(sentence: str, rng: random.Random, vocabulary: Vocabulary) -> str:
    """Swap half of the longer words for compounds and names: new vocabulary, same shape.

    A few hundred source sentences recombined would make every one of their words occur in a
    large share of all paragraphs; real letters share far fewer words. Replacing half of them
    with words drawn from a Zipf distribution gives term frequencies closer to a real corpus.
    """
    words = sentence.split(" ")
    for i, word in enumerate(words):
        core = word.strip(".,;:()")
        if len(core) < 5 or not core.isalpha() or rng.random() > REPLACE:
            continue
        if core[0].isupper():
            replacement = vocabulary.name(rng) if i > 0 else core
        else:
            replacement = vocabulary.word(rng)
        words[i] = word.replace(core, replacement)
    return " ".join(words)


def wrap(text: str, width: int = 75) -> list[str]:
    """Wrap like a PDF extractor: lines with a trailing space, none starting with a digit."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    fixed: list[str] = []
    for line in lines:
        # A body line starting with a digit could pass for a footnote: keep the number up.
        if fixed and line[:1].isdigit():
            head, _, rest = line.partition(" ")
            fixed[-1] += " " + head
            if not rest:
                continue
            line = rest
        fixed.append(line)
    return [line + " " for line in fixed]


def make_letter(n: int, rng: random.Random, vocabulary: Vocabulary, sentences, footnotes, headings) -> tuple[str, str, str]:
    """(file stem, letter text, sidecar YAML) of letter number `n`."""
    date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(365 * 10))
    dossier, dossier_title = rng.choice(DOSSIERS)
    topic = vocabulary.word(rng)
    country = vocabulary.name(rng)
    title = f"{topic.capitalize()} en de situatie in {country}"
    stem = f"{date.isoformat()}-{n:05d}-{topic}"
    lines = [" " + rng.choice(["VEILIGHEID", "ZAKEN", "KONINKRIJKSRELATIES", "VOEDSELKWALITEIT", "ENERGIE"]) + " ", ""]
    lines += ["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal ", ""]
    lines += [f"Den Haag, {date.day} {MONTHS[date.month - 1]} {date.year} ", ""]

    note = 0
    pending: list[str] = []
    sections = rng.randint(2, 5)
    for s in range(sections):
        if s > 0:
            lines += [rng.choice(headings + [vocabulary.word(rng).capitalize()]) + " ", ""]
        for _ in range(rng.randint(2, 5)):
            text = " ".join(vary(rng.choice(sentences), rng, vocabulary) for _ in range(rng.randint(2, 6)))
            if rng.random() < 0.35:
                # A footnote marker glued to the end of a sentence, as printed (`Frontex4,`).
                note += 1
                text = text.rstrip(".") + f"{note}."
                pending.append(vary(rng.choice(footnotes), rng, vocabulary) if footnotes else "Zie de bijlage.")
            lines += wrap(text)
            lines.append("")
            if pending and rng.random() < 0.5:
                # A page ends here: its footnotes, then the next page starting with a space.
                first = note - len(pending) + 1
                for k, footnote in enumerate(pending):
                    lines += [f"{first + k} {line.strip()} " for line in wrap(footnote, 90)[:1]]
                    lines += [line for line in wrap(footnote, 90)[1:]]
                pending = []
                lines[-1] = lines[-1]
                lines.append(" " + wrap(vary(rng.choice(sentences), rng, vocabulary))[0].strip() + " ")
                lines.append("")
    function, name = rng.choice(SIGNATORIES)
    lines += [f"{function}, ", name, ""]
    if pending:
        first = note - len(pending) + 1
        for k, footnote in enumerate(pending):
            wrapped = wrap(footnote, 90)
            lines.append(f"{first + k} {wrapped[0].strip()} ")
            lines += wrapped[1:]
    sidecar = (
        f'title: "{title}"\n'
        f'dossier:\n  number: "{dossier}"\n  title: "{dossier_title}"\n'
        f'number: "{rng.randint(100, 3000)}"\n'
        f"tags: [{topic}, {country.lower().replace(' ', '-')}]\n"
    )
    return stem, "\n".join(lines) + "\n", sidecar


def generate(count: int, out: Path, seed: int = 1) -> int:
    """Write `count` letters (and sidecars) into `out`; returns the bytes of letter text written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    sentences, footnotes, headings = load_sources()
    total = 0
    for n in range(count):
        stem, text, sidecar = make_letter(n, rng, vocabulary, sentences, footnotes, headings)
        data = text.encode("utf-8")
        (out / f"{stem}.txt").write_bytes(data)
        (out / f"{stem}.yaml").write_text(sidecar, encoding="utf-8")
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many letters")
    parser.add_argument("out", type=Path, help="the folder to write them to (created)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = generate(args.count, args.out, args.seed)
    print(f"{args.count} letters, {size / 1e6:.1f} MB of text, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
