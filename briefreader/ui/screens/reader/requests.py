"""What a request to open a letter says, the handle to await it, and the letter the reader opens with.

`OpenRequest` names a letter and where in it to open (an exact place, a block, a section, a search
hit, or where the reader left it); `Opening` is what `ReaderScreen.open_letter` returns; the
screen's opening steps are `briefreader.ui.screens.reader.opening`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Literal

from textual.worker import Worker, WorkerCancelled

from briefreader.state import Place, ReaderState
from briefreader.ui.library import Library
from briefreader.ui.render import Anchor


@dataclass(frozen=True)
class OpenRequest:
    """Where to open a letter: an exact place, a block (`anchor`), a section (`paragraph`), or
    (none of these) where the reader left it. `hit` marks a search hit there: an anchor, or the
    letter's first or last hit."""

    letter_id: str
    place: Place | None = None
    anchor: Anchor | None = None
    paragraph: int | None = None
    hit: Anchor | Literal["first", "last"] | None = None
    push: bool = True
    resume: bool = True


class Opening:
    """A letter being opened: `await` it for True once shown (False if it failed or a newer
    request replaced it); or ignore it, the letter opens all the same."""

    def __init__(self, worker: Worker[bool]) -> None:
        self.worker = worker

    async def _wait(self) -> bool:
        try:
            return bool(await self.worker.wait())
        except WorkerCancelled:
            return False

    def __await__(self) -> Generator[object, None, bool]:
        return self._wait().__await__()


def first_request(library: Library, state: ReaderState, start: str | None) -> OpenRequest | None:
    """The letter the reader opens with: the one asked for, else the one last read (at its place),
    else the newest; None for an empty corpus."""
    if start is not None:
        return OpenRequest(start, push=False)
    last = state.corpus.last
    if last is not None and library.lookup(last.letter) is not None:
        return OpenRequest(last.letter, place=last, push=False)
    newest = library.newest()
    if newest is not None:
        return OpenRequest(newest.id, push=False)
    return None
