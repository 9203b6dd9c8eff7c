"""The command palette (Ctrl+P) lists the marks, the letters and their sections, to jump there by fuzzy name.

Names are made visible (`render.one_line`) before they are matched, so the offsets the matcher
emphasises are offsets into what is shown.
"""

from __future__ import annotations

import asyncio
import heapq
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefreader.ui import render

#: Letters offered before anything is typed.
DISCOVER_LIMIT = 30
#: Hits offered for a query.
SEARCH_LIMIT = 40
#: Candidates matched between two yields to the event loop (keeps typing smooth on big corpora).
BATCH = 500


def match_name(words: list[str], name: str) -> tuple[float, list[int]] | None:
    """Score `name` for the lower-cased query `words` (0..1) with the offsets to emphasise, or None.

    Each word must occur in the name, as a substring (better at a word start) or else as a
    subsequence of its letters (fuzzy, worth less). Textual's own fuzzy matcher tries every
    alignment and takes seconds over the 50,000 names of a 10,000-letter corpus; this takes
    a few hundredths.
    """
    low = name.lower()
    total = 0.0
    offsets: list[int] = []
    for word in words:
        at = low.find(word)
        if at >= 0:
            at_start = at == 0 or not low[at - 1].isalnum()
            total += (1.0 if at_start else 0.7) - min(at, 80) / 400
            offsets.extend(range(at, at + len(word)))
            continue
        position, spots = 0, []
        for char in word:
            position = low.find(char, position)
            if position < 0:
                return None
            spots.append(position)
            position += 1
        total += 0.4 * len(word) / (spots[-1] - spots[0] + 1)
        offsets.extend(spots)
    return total / len(words), offsets


class LetterCommands(Provider):
    """Marks ("Mark a · 2021-08-26 Ingelaste … · paragraph 4"), letters ("2021-08-26 Ingelaste
    JBZ-Raad …") and sections ("Verslag IPCR · 2021-08-26 …")."""

    def _marks(self):
        """(name, mark) of the marks set, for the reader screen under the palette."""
        marks = getattr(self.screen, "marks", None)
        if marks is None:
            return
        for mark, place in marks():
            yield render.one_line(f"Mark {mark} · {self.screen.mark_label(place)}"), mark

    def _candidates(self):
        library = getattr(self.app, "library", None)
        if library is None:
            return
        for info in library.letters:
            date = (info.date or "")[:10]
            title = info.title or info.id
            name = render.one_line(f"{date} {title}".strip())
            yield name, info.id, None, "open letter"
            for section in info.sections or ():
                if section.title:
                    yield render.one_line(f"{section.title} · {name}"), info.id, section.paragraph, "go to section"

    def _command(self, letter_id: str, paragraph: int | None):
        jump = getattr(self.screen, "jump_to", None)
        if jump is None:
            return None
        return partial(jump, letter_id, paragraph)

    def _mark_command(self, mark: str):
        go = getattr(self.screen, "go_to_mark", None)
        return None if go is None else partial(go, mark)

    async def discover(self) -> Hits:
        """The marks and the newest letters, before anything is typed."""
        for name, mark in self._marks():
            command = self._mark_command(mark)
            if command is not None:
                yield DiscoveryHit(render.fuzzy_label(name, ()), command, text=name, help="go to mark")
        count = 0
        for name, letter_id, paragraph, help_text in self._candidates():
            if paragraph is not None:
                continue
            command = self._command(letter_id, paragraph)
            if command is None:
                return
            yield DiscoveryHit(render.fuzzy_label(name, ()), command, text=name, help=help_text)
            count += 1
            if count >= DISCOVER_LIMIT:
                return

    async def search(self, query: str) -> Hits:
        """The best `SEARCH_LIMIT` letters and sections whose name fuzzily matches `query`.

        All names are scored first and only the best are offered: a one-letter query matches
        nearly every name of a big corpus, and the palette slows down with every hit it lists.
        """
        words = query.lower().split()
        if not words:
            return
        for name, mark in self._marks():
            found = match_name(words, name)
            command = self._mark_command(mark)
            if found is not None and command is not None:
                # Marks first: the reader named them on purpose.
                yield Hit(1.0 + found[0], render.fuzzy_label(name, found[1]), command, text=name, help="go to mark")
        best: list[tuple[float, int, str, str, int | None, str, tuple[int, ...]]] = []
        for number, (name, letter_id, paragraph, help_text) in enumerate(self._candidates()):
            if number % BATCH == BATCH - 1:
                await asyncio.sleep(0)
            found = match_name(words, name)
            if found is None:
                continue
            score, offsets = found
            item = (score, -number, name, letter_id, paragraph, help_text, tuple(offsets))
            if len(best) < SEARCH_LIMIT:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        for score, _order, name, letter_id, paragraph, help_text, offsets in sorted(best, reverse=True):
            command = self._command(letter_id, paragraph)
            if command is None:
                return
            yield Hit(score, render.fuzzy_label(name, offsets), command, text=name, help=help_text)
