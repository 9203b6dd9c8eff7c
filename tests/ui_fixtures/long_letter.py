"""A generated long letter (a 60-page beleidsbrief: 1,000 paragraphs, 200 footnotes) and a library
around it with a fake index and search, so the reader's tests need no parsing and no Whoosh.

The sentences are the bundled letter's own; every tenth paragraph cites Kamerstuk 32 317, nr. 703
(the short second letter of the library), every fifth carries a footnote marker, every 40
paragraphs a section starts, and some paragraphs are list items.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Callable
from pathlib import Path

from briefreader.corpus import bundled_corpus
from briefreader.index import LetterInfo, SectionInfo
from briefreader.load import load_letter
from briefreader.model import Dossier, Footnote, Letter, Note, Paragraph, Reference, Section, Signatory
from briefreader.search import Hit, LetterHit, SearchResult
from briefreader.ui.library import Library

LONG_ID = "2024-03-01-staat-van-de-migratie"
SHORT_ID = "2024-01-15-verslag-jbz"
CITATION = "Kamerstuk 32 317, nr. 703"
#: A word in ten paragraphs only (7, 107, ..., 907) and in the short letter.
RARE = "Frontexevaluatie"
#: The misspelling the fake search answers with a suggestion.
MISSPELT = "frontexevaluatei"


@functools.lru_cache(maxsize=1)
def _sentences() -> list[str]:
    letter = load_letter(bundled_corpus() / "2021-08-26-jbz-raad-afghanistan-ipcr-litouwen.txt")
    text = " ".join(p.text for _i, _s, p in letter.paragraphs())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40]


@functools.lru_cache(maxsize=4)
def long_letter(paragraphs: int = 1000, footnotes: int = 200, *, page_length: int = 12) -> Letter:
    """A letter of `paragraphs` paragraphs and `footnotes` footnotes (page numbers filled)."""
    sentences = _sentences()
    sections: list[Section] = []
    current: list[Paragraph] = []
    title: str | None = None
    references: list[Reference] = []
    note = 0
    for position in range(paragraphs):
        if position and position % 40 == 0:
            sections.append(Section(title, tuple(current)))
            current, title = [], f"{position // 40}. Onderdeel {position // 40}"
        words = [sentences[(position * 3 + k) % len(sentences)] for k in range(3)]
        text = " ".join(words)
        if position % 100 == 7:
            text = f"De {RARE} van dit jaar volgt. " + text
        notes: tuple[Note, ...] = ()
        if position % 10 == 3:
            text = f"Zie {CITATION} voor het verslag. " + text
            start = text.index(CITATION)
            references.append(Reference("32317", "703", CITATION, paragraph=position, start=start, end=start + len(CITATION)))
        if position % 5 == 0 and note < footnotes:
            note += 1
            at = text.index(".") if "." in text else len(text)
            notes = (Note(note, at),)
        kind = "item" if position % 40 in (20, 21, 22) else "paragraph"
        current.append(Paragraph(text, kind, notes, page=1 + position // page_length))
    sections.append(Section(title, tuple(current)))
    notes_list = []
    for n in range(1, footnotes + 1):
        text = f"Zie https://www.rijksoverheid.nl/documenten/kamerstukken/2024/{n}/brief voor noot {n}."
        if n % 7 == 0:
            text += f" En {CITATION}."
            start = text.index(CITATION)
            references.append(Reference("32317", "703", CITATION, footnote=n, start=start, end=start + len(CITATION)))
        notes_list.append(Footnote(n, text, page=1 + (n * 5) // page_length))
    return Letter(
        source=f"{LONG_ID}.txt",
        title="Staat van de migratie 2024",
        date=dt.date(2024, 3, 1),
        place="Den Haag",
        addressee="Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        dossiers=(Dossier("19637", "Vreemdelingenbeleid"),),
        number="3201",
        signatories=(Signatory("De Minister van Asiel en Migratie", "M.H.M. Faber"),),
        sections=tuple(sections),
        footnotes=tuple(notes_list),
        references=tuple(references),
    )


def short_letter() -> Letter:
    """The letter the long one cites (Kamerstuk 32 317, nr. 703)."""
    return Letter(
        source=f"{SHORT_ID}.txt",
        title="Verslag JBZ-Raad",
        date=dt.date(2024, 1, 15),
        dossiers=(Dossier("32317", "JBZ-Raad"),),
        number="703",
        sections=(Section(None, (Paragraph(f"Een kort verslag over de {RARE}.", page=1),)),),
    )


def _info(letter_id: str, letter: Letter, folder: Path) -> LetterInfo:
    sections, position = [], 0
    for section in letter.sections:
        sections.append(SectionInfo(section.title, position))
        position += len(section.paragraphs)
    return LetterInfo.of(
        id=letter_id,
        folder=folder,
        file=f"{letter_id}.txt",
        title=letter.title,
        date=letter.date.isoformat() if letter.date else None,
        dossiers=tuple((d.number, d.title) for d in letter.dossiers),
        number=letter.number,
        kst_id=letter.kst_id,
        section_rows=tuple((s.title, s.paragraph) for s in sections),
        cites=tuple(dict.fromkeys(r.kst_id for r in letter.references)),
    )


class FakeIndex:
    """Stands in for `briefreader.index.CorpusIndex`: a fixed letter list, always fresh."""

    def __init__(self, infos: list[LetterInfo]) -> None:
        self.infos = infos

    def letters(self) -> list[LetterInfo]:
        return list(self.infos)

    def is_fresh(self) -> bool:
        return True

    def refresh(self, progress=None, rebuild: bool = False):
        return None


def word_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Where the query's words stand in `text` (case-insensitive, whole words or their starts)."""
    spans = []
    for word in query.lower().split():
        for match in re.finditer(re.escape(word), text.lower()):
            spans.append(match.span())
    return sorted(spans)


def fake_library(
    folder: Path,
    letters: dict[str, Letter] | None = None,
    *,
    hold: dict[str, threading.Event] | None = None,
    search_wrapper: Callable[[Callable[..., SearchResult]], Callable[..., SearchResult]] | None = None,
) -> Library:
    """A library of the long letter and the short one it cites, with a fake index and search.

    The search finds paragraphs holding every query word; a query for `MISSPELT` finds nothing
    and suggests `RARE`. Each letter's file exists (empty), so the corpus folder is real. Loading
    a letter named in `hold` waits until its event is set (a slow file); `search_wrapper` wraps the
    fake search (to slow it down or count its calls).
    """
    letters = letters or {LONG_ID: long_letter(), SHORT_ID: short_letter()}
    folder.mkdir(parents=True, exist_ok=True)
    for letter_id in letters:
        (folder / f"{letter_id}.txt").write_text("x", encoding="utf-8")
    infos = sorted((_info(letter_id, letter, folder) for letter_id, letter in letters.items()), key=lambda i: i.date or "", reverse=True)
    by_path = {folder / f"{letter_id}.txt": letter for letter_id, letter in letters.items()}

    def search(index, query: str, limit: int, *, as_you_type: bool = False, letter: str | None = None, stop=None) -> SearchResult:
        words = query.lower().split()
        if not words:
            return SearchResult()
        if query.strip().lower() == MISSPELT.lower():
            return SearchResult(suggestions=(RARE.lower(),))
        hits: list[Hit] = []
        for letter_id, found in letters.items():
            if letter is not None and letter_id != letter:
                continue
            for position, section, paragraph in found.paragraphs():
                if all(word in paragraph.text.lower() for word in words):
                    spans = tuple(word_spans(query, paragraph.text))
                    hits.append(Hit(letter_id, found.title, found.date.isoformat() if found.date else None, section.title,
                                    position, None, paragraph.text[:200], tuple(s for s in spans if s[1] <= 200), 1.0))
        hits = hits[:limit]
        grouped: dict[str, list[Hit]] = {}
        for hit in hits:
            grouped.setdefault(hit.letter, []).append(hit)
        letter_hits = [LetterHit(group[0].letter, group[0].title, group[0].date, 1.0, tuple(group)) for group in grouped.values()]
        # As the engine counts: letters in a search, hits with letter=ID.
        return SearchResult(hits=hits, total=len(hits) if letter is not None else len(letter_hits), letters=letter_hits)

    def load(path) -> Letter:
        event = (hold or {}).get(Path(path).stem)
        if event is not None:
            assert event.wait(10), "the test never released the letter"
        return by_path[Path(path)]

    def highlight(index, query: str, text: str, *, as_you_type: bool = False) -> list[tuple[int, int]]:
        return word_spans(query, text)

    return Library(
        folder,
        FakeIndex(infos),
        search_fn=search_wrapper(search) if search_wrapper else search,
        highlight_fn=highlight,
        load_fn=load,
    )
