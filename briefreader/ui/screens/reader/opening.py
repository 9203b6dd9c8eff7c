"""Opening letters: from the tree, a citation, a footnote popup, the palette; back and forward.

Letters are parsed in a worker thread; a newer request cancels an older one still loading, so
clicking through the tree never queues up letters. A letter parsed already while Textual started
shows at once, in the very first frame. `OpeningMixin` is part of `ReaderScreen`.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

from textual import on
from textual.message_pump import MessagePump
from textual.widgets import Tree

from briefreader.model import Letter, LetterError
from briefreader.state import Place
from briefreader.ui import render
from briefreader.ui.document import LetterDocument, build_document
from briefreader.ui.render import Anchor
from briefreader.ui.screens.reader.hits import hit_anchor
from briefreader.ui.screens.reader.requests import Opening, OpenRequest
from briefreader.ui.widgets.letter_tree import TreeData
from briefreader.ui.widgets.letter_view import LetterView, Spot, anchors_in_order

if TYPE_CHECKING:
    from briefreader.ui.screens.reader.hits import ActiveSearch

#: A letter that takes longer than this to open gets a notice, so a slow file does not look like a dead key.
LOADING_NOTICE_AFTER = 0.3
#: How long the first frame waits for the first letter being read while Textual starts (the thread
#: reading it then has the interpreter to itself). A letter read by then is in the first frame; a
#: longer one (a parse of a large letter) follows it, the frame showing the tree meanwhile.
FIRST_LETTER_WAIT = 0.3


class OpeningMixin(MessagePump):
    """Opening letters and moving between the places visited (part of `ReaderScreen`)."""

    def open_letter(
        self,
        letter_id: str,
        *,
        paragraph: int | None = None,
        anchor: Anchor | None = None,
        place: Place | None = None,
        push: bool = True,
    ) -> Opening:
        """Show `letter_id` at a section (`paragraph`), a block (`anchor`), an exact `place`, or
        else where the reader left it; `push` records the place being left for Back."""
        return self._open(OpenRequest(letter_id, place=place, anchor=anchor, paragraph=paragraph, push=push))

    def _open(self, request: OpenRequest) -> Opening:
        leaving = self.current_place()
        # A partial of the coroutine function, not a coroutine: a request replaced before its worker
        # starts leaves nothing unawaited.
        work = functools.partial(self._open_worker, request, leaving, self.search_state)
        worker = self.run_worker(work, exclusive=True, group="open")
        return Opening(worker)

    def _prepare(
        self, request: OpenRequest, search: ActiveSearch | None, *, linked: bool = True
    ) -> tuple[Letter, LetterDocument, list[Anchor] | None]:
        """Parse the letter, build what the view shows and find the search's hits in it (in a worker
        thread). Not `linked`: without the links to other letters (no pass over the corpus)."""
        letter = self.library.load(request.letter_id)
        if linked:
            cited_by = [(other, self.library.label(other)) for other in self.library.cited_by(request.letter_id)]
            document = build_document(letter, request.letter_id, resolve=self.library.resolve, cited_by=cited_by)
        else:
            document = build_document(letter, request.letter_id, resolve=lambda _reference: None)
        anchors = None
        if search is not None and request.letter_id not in search.anchors:
            hits = self.library.letter_hits(search.query, request.letter_id, search.as_you_type)
            anchors = anchors_in_order(document, (a for a in map(hit_anchor, hits) if a is not None))
        return letter, document, anchors

    async def _open_worker(self, request: OpenRequest, leaving: Place | None, search: ActiveSearch | None) -> bool:
        notice = self.set_timer(
            LOADING_NOTICE_AFTER,
            lambda: self.notify(render.message(f"Opening {self.library.label(request.letter_id)}…"), timeout=2, markup=False),
        )
        try:
            try:
                _letter, document, anchors = await asyncio.to_thread(self._prepare, request, search)
            except LetterError as error:
                self.view.show_message(str(error))
                self.notify(render.message(str(error)), severity="error", markup=False)
                return False
        finally:
            notice.stop()
        self._present(request, leaving, search, document, anchors)
        return True

    def _open_now(self, request: OpenRequest) -> bool:
        """Show a letter that is parsed already at once, without a worker (the first letter, when
        the app read it while Textual started, or reads it within `FIRST_LETTER_WAIT`: then it is
        in the very first frame). False when it is not at hand. If the links between the letters are not made yet (a big corpus), the
        letter shows without them first, and gets them as soon as they are made."""
        if self.library.wait_for(request.letter_id, FIRST_LETTER_WAIT) is None:
            return False  # parsing it here would hold up the first frame
        linked = self.library.links_ready
        try:
            _letter, document, anchors = self._prepare(request, None, linked=linked)
        except LetterError:
            return False
        self._present(request, None, None, document, anchors)
        if not linked:
            self.run_worker(functools.partial(self._add_links, request.letter_id), group="links")
        return True

    async def _add_links(self, letter_id: str) -> None:
        """Show the letter again with its links, once the link maps are made, where the reader is now."""
        await asyncio.to_thread(self.library.warm_links)
        view = self.view
        if view.letter_id != letter_id:
            return
        request = OpenRequest(letter_id, push=False)
        _letter, document, _anchors = await asyncio.to_thread(self._prepare, request, None)
        if view.letter_id == letter_id:
            view.show(document, spot=view.spot, highlighter=view.highlighter)

    def _present(
        self,
        request: OpenRequest,
        leaving: Place | None,
        search: ActiveSearch | None,
        document: LetterDocument,
        anchors: list[Anchor] | None,
    ) -> None:
        """Put a prepared letter on screen, at the place the request asks for."""
        view = self.view
        if request.push and leaving is not None:
            self.history.push(leaving)
        self._remember_place()
        if search is not None and anchors is not None:
            search.anchors[request.letter_id] = anchors
        search = self.search_state
        spot = self._spot_for(request, document)
        highlighter = self.library.highlighter(search.query, search.as_you_type) if search else None
        if view.letter_id == request.letter_id and view.document is not None and request.place is None and spot is None:
            spot = view.spot  # the same letter again (e.g. after a refresh): stay where the reader is
        view.show(document, spot=spot, highlighter=highlighter)
        view.has_hits = search is not None
        if search is not None:
            view.hit_anchors = search.anchors.get(request.letter_id) or []
            position = search.position(request.letter_id)
            if position is not None:
                search.current = position
        target = request.hit
        if target == "first" or target == "last":
            found = view.hit_anchors or view.highlighted_anchors()
            target = (found[0] if target == "first" else found[-1]) if found else None
        if target is not None:
            view.mark_hit(target)
        view.update_bindings()
        self.letter_tree.show_letter(request.letter_id, expand=True)
        self._remember_place()
        # The letter the next start will likely reopen: kept parsed on disk (in a thread).
        self.library.shown(request.letter_id)

    def _spot_for(self, request: OpenRequest, document: LetterDocument) -> Spot | None:
        if request.place is not None:
            return Spot(request.place.anchor, request.place.offset)
        anchor = request.anchor if request.anchor is not None else request.hit if isinstance(request.hit, tuple) else None
        if anchor is not None:
            block = document.block(anchor)
            return Spot(anchor, block.lead) if block is not None else None
        if request.paragraph is not None:
            index = document.index.get(("p", request.paragraph))
            if index is None:
                return None
            previous = document.blocks[index - 1] if index else None
            if previous is not None and previous.kind == "heading":
                return Spot(previous.anchor, previous.lead)
            if request.paragraph == 0:
                return Spot(("h", 0))
            return Spot(("p", request.paragraph), document.blocks[index].lead)
        if request.resume and self.state is not None:
            known = self.state.corpus.place_of(request.letter_id)
            if known is not None:
                return Spot(known.anchor, known.offset)
        return None

    def _go(self, place: Place) -> Opening | None:
        """Move to `place` without recording history (back, forward)."""
        if place.letter == self.view.letter_id:
            self.view.go_to(Spot(place.anchor, place.offset))
            self._remember_place()
            return None
        return self._open(OpenRequest(place.letter, place=place, push=False))

    def action_back(self) -> None:
        """Go back to where the reader was before the last jump."""
        current = self.current_place()
        place = self.history.back(current) if current is not None else None
        if place is None:
            self.app.bell()
            self.notify("Nothing to go back to.", timeout=2)
            return
        self._go(place)
        self.view.focus()

    def action_forward(self) -> None:
        """Undo a Back: return to where the reader was before it."""
        current = self.current_place()
        place = self.history.forward(current) if current is not None else None
        if place is None:
            self.app.bell()
            self.notify("Nothing to go forward to.", timeout=2)
            return
        self._go(place)
        self.view.focus()

    def _jump_within(self, spot: Spot) -> None:
        """A jump inside the letter shown (a mark, a section): recorded for Back too."""
        current = self.current_place()
        if current is not None:
            self.history.push(current)
        self.view.go_to(spot)

    @on(Tree.NodeSelected)
    def _tree_selected(self, event: Tree.NodeSelected[TreeData]) -> None:
        data = event.node.data
        if data is None or data.kind not in ("letter", "section") or data.letter is None:
            return
        if data.kind == "section":
            self.open_letter(data.letter, paragraph=data.paragraph)
        elif data.letter != self.view.letter_id:
            self.open_letter(data.letter)
        if self.narrow:
            self.view.focus()

    def jump_to(self, letter_id: str, paragraph: int | None = None) -> None:
        """Open a letter (at a section) from outside the screen, e.g. the command palette."""
        self.open_letter(letter_id, paragraph=paragraph)
        self.view.focus()

    @on(LetterView.LetterRequested)
    def _follow_citation(self, message: LetterView.LetterRequested) -> None:
        self.open_letter(message.letter_id, anchor=("h", 0))
        self.view.focus()

    @on(LetterView.FootnotesRequested)
    def _show_footnotes(self, message: LetterView.FootnotesRequested) -> None:
        view = self.view
        if view.letter is None or view.letter_id is None:
            return
        from briefreader.ui.screens.footnotes import FootnoteScreen  # imported when first opened

        popup = FootnoteScreen(view.letter, message.numbers, letter_id=view.letter_id, resolve=self.library.resolve)

        def followed(target: str | None) -> None:
            if target:
                self.open_letter(target, anchor=("h", 0))
                self.view.focus()

        self.app.push_screen(popup, followed)
