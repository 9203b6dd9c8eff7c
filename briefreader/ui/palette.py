"""The command palette (Ctrl+P) lists the letters and their sections, to jump there by fuzzy name."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefreader.ui import render

#: Letters offered before anything is typed.
DISCOVER_LIMIT = 30
#: Candidates matched between two yields to the event loop (keeps typing smooth on big corpora).
BATCH = 500


class LetterCommands(Provider):
    """Letters ("2021-08-26 Ingelaste JBZ-Raad …") and sections ("Verslag IPCR · 2021-08-26 …")."""

    def _candidates(self):
        library = getattr(self.app, "library", None)
        if library is None:
            return
        for info in library.letters:
            date = (info.date or "")[:10]
            title = info.title or info.id
            name = f"{date} {title}".strip()
            yield name, info.id, None, "open letter"
            for section in info.sections or ():
                if section.title:
                    yield f"{section.title} · {name}", info.id, section.paragraph, "go to section"

    def _command(self, letter_id: str, paragraph: int | None):
        jump = getattr(self.screen, "jump_to", None)
        if jump is None:
            return None
        return partial(jump, letter_id, paragraph)

    async def discover(self) -> Hits:
        """The newest letters, before anything is typed."""
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
        """Letters and sections whose name fuzzily matches `query`."""
        matcher = self.matcher(query)
        for number, (name, letter_id, paragraph, help_text) in enumerate(self._candidates()):
            if number % BATCH == BATCH - 1:
                await asyncio.sleep(0)
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score <= 0:
                continue
            command = self._command(letter_id, paragraph)
            if command is None:
                return
            yield Hit(score, render.fuzzy_label(name, offsets), command, text=name, help=help_text)
