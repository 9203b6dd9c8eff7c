"""What the reader knows about the corpus: the letter list (from the index), parsed letters (on
demand, a few kept), search, and which corpus letter a citation points to.

This is the reader's one door to `briefreader.index`, `briefreader.search` and `briefreader.load`;
the widgets never touch the disk.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from briefreader.links import cited_by_map, kst_map, resolve_target
from briefreader.model import Letter, LetterError, Reference

#: How many parsed letters are kept (history and n/N move between a few letters).
CACHE_SIZE = 16
#: How many hits a search asks for (n/N walk through them).
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class FileLetter:
    """A letter known only by its file, shown until the index has its metadata (first run)."""

    id: str
    path: Path
    title: str | None = None
    date: str | None = None
    dossiers: tuple = ()
    number: str | None = None
    kst_id: str | None = None
    signatories: tuple = ()
    sections: tuple = ()
    cites: tuple = ()
    tags: tuple = ()


@dataclass
class SearchOutcome:
    """A search result when the index could not be asked (same shape as `briefreader.search.SearchResult`)."""

    hits: list = field(default_factory=list)
    total: int = 0
    message: str | None = None


class Library:
    """The corpus as the reader sees it."""

    def __init__(
        self,
        corpus_dir: Path,
        index: Any = None,
        *,
        search_fn: Callable[..., Any] | None = None,
        highlight_fn: Callable[[Any, str, str], Sequence[tuple[int, int]]] | None = None,
        load_fn: Callable[[Path], Letter] | None = None,
        index_error: str | None = None,
    ) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.index = index
        self.index_error = index_error
        if search_fn is None or highlight_fn is None:
            from briefreader import search as search_module

            search_fn = search_fn or search_module.search
            highlight_fn = highlight_fn or search_module.highlight_spans
        if load_fn is None:
            from briefreader.load import load_letter as load_fn
        self._search_fn = search_fn
        self._highlight_fn = highlight_fn
        self._load_fn = load_fn
        self._cache: OrderedDict[str, Letter] = OrderedDict()
        self.letters: list[Any] = []
        self.by_id: dict[str, Any] = {}
        self.by_kst: dict[str, str] = {}
        self.cited_by_map: dict[str, list[str]] = {}
        self.from_files = False
        self.reload()

    @classmethod
    def open(cls, corpus_dir: Path, index_dir: Path | None = None) -> "Library":
        """The library of `corpus_dir` with its index (opened, not refreshed: that runs in a worker)."""
        from briefreader.index import open_index

        try:
            index = open_index(corpus_dir, index_dir)
        except Exception as error:  # noqa: BLE001 - the reader still opens, without search
            return cls(corpus_dir, None, index_error=f"search index unavailable: {error}")
        return cls(corpus_dir, index)

    def reload(self) -> None:
        """Read the letter list again (after the index was refreshed)."""
        letters: list[Any] = []
        if self.index is not None:
            try:
                letters = list(self.index.letters())
            except Exception as error:  # noqa: BLE001 - a broken index must not stop reading
                self.index_error = f"search index unreadable: {error}"
                letters = []
        self.from_files = not letters
        if not letters:
            letters = self._letters_from_files()
        self.letters = letters
        self.by_id = {info.id: info for info in letters}
        self.by_kst = kst_map(letters)
        self.cited_by_map = cited_by_map(letters)

    def _letters_from_files(self) -> list[FileLetter]:
        from briefreader.corpus import find_letters, letter_id

        try:
            paths = find_letters(self.corpus_dir)
        except Exception:  # noqa: BLE001 - an unreadable folder shows as an empty corpus
            return []
        # Newest first as far as file names tell (corpus files start with their date).
        return [FileLetter(letter_id(path), Path(path)) for path in sorted(paths, key=lambda p: Path(p).name, reverse=True)]

    def info(self, letter_id: str) -> Any | None:
        """The index entry of a letter."""
        return self.by_id.get(letter_id)

    def load(self, letter_id: str) -> Letter:
        """The parsed letter (LetterError if it is unknown or cannot be read)."""
        if letter_id in self._cache:
            self._cache.move_to_end(letter_id)
            return self._cache[letter_id]
        info = self.by_id.get(letter_id)
        if info is None:
            raise LetterError(letter_id, "not in this corpus")
        letter = self._load_fn(Path(info.path))
        self._cache[letter_id] = letter
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return letter

    def forget(self) -> None:
        """Drop the parsed letters (the files may have changed)."""
        self._cache.clear()

    def search(self, query: str, as_you_type: bool = False) -> Any:
        """Hits for `query`; a result with a message instead of an exception, whatever happens."""
        if self.index is None:
            return SearchOutcome(message=self.index_error or "Search is not available.")
        try:
            return self._search_fn(self.index, query, SEARCH_LIMIT, as_you_type=as_you_type)
        except Exception as error:  # noqa: BLE001 - search promises not to raise; be safe anyway
            return SearchOutcome(message=f"Search failed: {error}")

    def highlighter(self, query: str) -> Callable[[str], Sequence[tuple[int, int]]]:
        """A function giving the spans of `query`'s (stemmed) matches in a text."""

        def spans(text: str) -> Sequence[tuple[int, int]]:
            if self.index is None or not text:
                return []
            try:
                return list(self._highlight_fn(self.index, query, text))
            except Exception:  # noqa: BLE001 - no highlight rather than no letter
                return []

        return spans

    def resolve(self, reference: Reference) -> str | None:
        """The corpus letter `reference` cites, if it is in the corpus."""
        return resolve_target(reference, self.by_kst)

    def cited_by(self, letter_id: str) -> list[str]:
        """The corpus letters that cite `letter_id`."""
        return list(self.cited_by_map.get(letter_id, ()))

    def label(self, letter_id: str) -> str:
        """A short name for a letter: its date and title, or its id."""
        info = self.by_id.get(letter_id)
        if info is None:
            return letter_id
        title = info.title or info.id
        return f"{info.date[:10]} {title}" if info.date else title
