"""What the reader knows about the corpus: the letter list (from the index), parsed letters (on
demand, a few kept), search, and which corpus letter a citation points to.

This is the reader's one door to `briefreader.index`, `briefreader.search` and `briefreader.load`;
the widgets never touch the disk. `load()`, `search()` and `letter_hits()` are safe to call from
worker threads.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from briefreader.model import Letter, LetterError, Reference

if TYPE_CHECKING:
    from briefreader.sync.plan import SyncPlan
    from briefreader.sync.run import SyncProgress, SyncReport

#: How many parsed letters are kept (history and n/N move between a few letters).
CACHE_SIZE = 16
#: How many letters a search asks for (the panel lists them, saying how many matched in all; n/N
#: walk through them). Snippets are made for each: at 10,000 letters 50 cost a search as you type
#: 60-80 ms at the median, 20 about 20 ms, and 20 letters with their snippets fill several screens.
SEARCH_LIMIT = 20
#: How many hits in one letter n/N can walk (a 60-page letter rarely holds more matching blocks).
LETTER_HITS_LIMIT = 1000


class SectionEntry(Protocol):
    """A section as the letter list knows it (`briefreader.index.SectionInfo`)."""

    title: str | None
    paragraph: int


class LetterEntry(Protocol):
    """A letter as the letter list knows it (`briefreader.index.LetterInfo`, or `FileLetter`)."""

    id: str
    path: Path
    title: str | None
    date: str | None
    dossiers: Sequence[tuple[str, str | None]]
    number: str | None
    kst_id: str | None
    sections: Sequence[SectionEntry]
    cites: Sequence[str]
    tags: Sequence[str]


class IndexLike(Protocol):
    """What the reader needs of a corpus index (`briefreader.index.CorpusIndex`)."""

    def letters(self) -> list: ...

    def peek(self, letter_id: str | None = None) -> LetterEntry | None: ...

    def is_fresh(self) -> bool: ...

    def refresh(self, progress=None, rebuild: bool = False): ...


class KeptLike(Protocol):
    """A letter read from the letter cache, with the signature it was kept under (`briefreader.letter_cache.Kept`)."""

    letter: Letter
    signature: object


class LetterCacheLike(Protocol):
    """Where the letter last shown is kept parsed between runs (`briefreader.letter_cache.LetterCache`)."""

    def signature(self, letter_path: Path) -> object: ...

    def load(self, letter_path: Path) -> KeptLike | None: ...

    def save(self, letter_path: Path, letter: Letter, signature: object) -> bool: ...

    def kept_path(self) -> Path | None: ...


class HitLike(Protocol):
    """A paragraph- or footnote-level hit (`briefreader.search.Hit`)."""

    letter: str
    title: str | None
    date: str | None
    section: str | None
    paragraph: int | None
    footnote: int | None
    snippet: str
    highlights: Sequence[tuple[int, int]]
    score: float


class LetterHitLike(Protocol):
    """A matching letter with its best paragraphs (`briefreader.search.LetterHit`)."""

    letter: str
    title: str | None
    date: str | None
    score: float
    paragraphs: Sequence[HitLike]


class ResultLike(Protocol):
    """A search result (`briefreader.search.SearchResult`)."""

    hits: Sequence[HitLike]
    letters: Sequence[LetterHitLike]
    total: int
    message: str | None
    notice: str | None
    suggestions: Sequence[str]


#: (index, query, limit, as_you_type=..., letter=..., stop=...) -> a search result; `briefreader.search.search`.
SearchFunction = Callable[..., ResultLike]
#: (index, query, text, as_you_type=...) -> spans of the matches; `briefreader.search.highlight_spans`.
HighlightFunction = Callable[..., Sequence[tuple[int, int]]]


#: () -> (the index, or None and why not); `Library.open` defers it to the index's first use.
IndexOpener = Callable[[], "tuple[IndexLike | None, str | None]"]


def _open_corpus_index(corpus_dir: Path, index_dir: Path | None, *, refused_too: bool = False) -> tuple[IndexLike | None, str | None]:
    """The corpus's index (opened, not refreshed: that runs in a worker), or None and why not.
    `refused_too`: also an index folder refused (`IndexFolderRefused`) is a reason, not an error
    (the index is opened while the reader runs)."""
    from briefreader.corpus import CorpusError
    from briefreader.index import IndexDamaged, IndexFolderRefused, IndexLocked, open_index

    unusable: tuple[type[Exception], ...] = (OSError, IndexDamaged, IndexLocked) + ((IndexFolderRefused, CorpusError) if refused_too else ())
    try:
        return open_index(corpus_dir, index_dir), None
    except unusable as error:  # the reader still opens, without search
        return None, f"search index unavailable: {error}"


def _default_search(*args, **kwargs) -> ResultLike:
    from briefreader.search import search

    return search(*args, **kwargs)


def _default_highlight(*args, **kwargs) -> Sequence[tuple[int, int]]:
    from briefreader.search import highlight_spans

    return highlight_spans(*args, **kwargs)


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
    notice: str | None = None
    letters: list = field(default_factory=list)
    suggestions: tuple[str, ...] = ()


class Library:
    """The corpus as the reader sees it.

    `aliases` maps paths the reader opens to the paths to name in messages (a single letter is
    read through a link in the cache; its errors name the user's file).
    """

    def __init__(
        self,
        corpus_dir: Path,
        index: IndexLike | None = None,
        *,
        search_fn: SearchFunction | None = None,
        highlight_fn: HighlightFunction | None = None,
        load_fn: Callable[[Path], Letter] | None = None,
        index_error: str | None = None,
        aliases: dict[Path, Path] | None = None,
        list_now: bool = True,
        letter_cache: LetterCacheLike | None = None,
        open_index: IndexOpener | None = None,
    ) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._index = index
        self.index_error = index_error
        # The index opened at first use (`index`), not before: see `open`.
        self._open_index = open_index
        self._opening = threading.Lock()
        self.aliases = dict(aliases or {})
        if load_fn is None:
            from briefreader.load import load_letter as load_fn
        # The search engine (and Whoosh's query parser) is imported at the first search, not at
        # start-up: a tenth of a second less before the first letter is on screen.
        self._search_fn: SearchFunction = search_fn or _default_search
        self._highlight_fn: HighlightFunction = highlight_fn or _default_highlight
        self._load_fn = load_fn
        self._cache: OrderedDict[str, Letter] = OrderedDict()
        # The letter cache on disk (the letter last shown, kept parsed between runs): the state of
        # each letter's files when it was parsed, what was last written there, and a lock so that
        # one write runs at a time.
        self._letter_cache = letter_cache
        self._signatures: dict[str, object] = {}
        self._kept: tuple[str, object] | None = None
        self._keeping = threading.Lock()
        self._writes_held: tuple[threading.Event, float] | None = None
        self._lock = threading.Lock()
        #: One reading of the letter list at a time (the first one after the first screen, and one
        #: after each change of the corpus, each in a thread): the last to end read the newest index.
        self._listing = threading.Lock()
        self._loading: dict[str, threading.Event] = {}
        self.letters: list[LetterEntry] = []
        self.by_id: dict[str, LetterEntry] = {}
        self._links: tuple[dict[str, str], dict[str, list[str]]] | None = None
        self.from_files = False
        #: Why the corpus folder could not be listed (shown instead of an empty corpus), if it couldn't.
        self.corpus_problem: str | None = None
        #: Whether `letters` holds the whole list (see `list_now`).
        self.listed = False
        self._newest: LetterEntry | None = None
        # list_now=False: the list is read when the reader has drawn its first screen (`reload()`
        # in a worker; 100,000 letters take half a second to read), and only what the first
        # screen needs is asked before (`lookup`, `newest`). Without an index with letters, the
        # files are listed now; with `open_index`, once the index is open.
        if list_now:
            self.reload()
        elif open_index is None:
            self.newest()

    @property
    def index(self) -> IndexLike | None:
        """The corpus index; None when there is none (`index_error` says why). Opened at the first
        use when the library was made with `open_index` (from any thread: once)."""
        if self._open_index is not None:
            with self._opening:
                if self._open_index is not None:
                    self._index, error = self._open_index()
                    if error is not None:
                        self.index_error = error
                    self._open_index = None
        return self._index

    @classmethod
    def open(cls, corpus_dir: Path, index_dir: Path | None = None, *, aliases: dict[Path, Path] | None = None, list_now: bool = True) -> Library:
        """The library of `corpus_dir` with its index (opened, not refreshed: that runs in a worker)
        and the letter last shown kept parsed in the user's cache (`briefreader.letter_cache`).
        `list_now=False`: the letter list is read later, by `reload()` (see `__init__`)."""
        from briefreader.letter_cache import LetterCache

        letter_cache = LetterCache(corpus_dir)
        if list_now or index_dir is not None:
            # Opened now: a folder given with --index that can't hold an index is the command's
            # error (`IndexFolderRefused`), said before any screen opens.
            index, error = _open_corpus_index(Path(corpus_dir), index_dir)
            return cls(corpus_dir, index, index_error=error, aliases=aliases, list_now=list_now, letter_cache=letter_cache)
        # Not opened yet: a reader that reopens the letter it last showed, kept in the letter
        # cache, draws its first screen without the index (importing and opening it took about a
        # tenth of the reader's own start-up); it is opened when the letter list is read.
        opener = functools.partial(_open_corpus_index, Path(corpus_dir), None, refused_too=True)
        return cls(corpus_dir, None, aliases=aliases, list_now=False, letter_cache=letter_cache, open_index=opener)

    def reload(self) -> None:
        """Read the letter list again (after the index was refreshed); from any thread."""
        with self._listing:
            self._read_list()

    def _read_list(self) -> None:
        letters: list[LetterEntry] = []
        if self.index is not None:
            from briefreader.index import IndexDamaged

            try:
                letters = list(self.index.letters())
            except (OSError, IndexDamaged) as error:  # a broken index must not stop reading
                self.index_error = f"search index unreadable: {error}"
                letters = []
        self.from_files = not letters
        if not letters:
            letters = self._letters_from_files()
        self.letters = letters
        self.by_id = {info.id: info for info in letters}
        self._links = None
        self.listed = True

    def _peek(self, letter_id: str | None) -> LetterEntry | None:
        from briefreader.index import IndexDamaged

        assert self.index is not None
        try:
            return self.index.peek(letter_id)
        except (OSError, IndexDamaged):
            return None

    def lookup(self, letter_id: str) -> LetterEntry | None:
        """The entry of a letter; before the list is read, asked of the index alone, or (before
        the index is opened) known by its file only, if it is the letter the letter cache keeps."""
        info = self.by_id.get(letter_id)
        if info is None and not self.listed:
            info = self._kept_entry(letter_id) if self._open_index is not None else None
            if info is None and self.index is not None:
                info = self._peek(letter_id)
            if info is None and self.newest() is not None and self.listed:  # no index with letters: the files
                info = self.by_id.get(letter_id)
        return info

    def _kept_entry(self, letter_id: str) -> LetterEntry | None:
        """`letter_id` known by its file, if it is the letter the letter cache keeps and its file is
        still there (whether it is unchanged, `load` then asks the cache). The cache file is read
        once: the first screen asks for its letter three or four times before the index is open."""
        entry = self._file_kept
        return entry if entry is not None and entry.id == letter_id else None

    @functools.cached_property
    def _file_kept(self) -> LetterEntry | None:
        from briefreader.corpus import letter_id as id_of

        path = self._letter_cache.kept_path() if self._letter_cache is not None else None
        if path is None or path.parent != self.corpus_dir.resolve() or not path.is_file():
            return None
        return FileLetter(id_of(path), path)

    def newest(self) -> LetterEntry | None:
        """The newest letter (the first of `letters`), also before the list is read. Without an
        index with letters, the files are listed for it."""
        if not self.listed and self._newest is None:
            if self.index is not None:
                self._newest = self._peek(None)
            if self._newest is None:
                self.reload()
        if self.listed:
            return self.letters[0] if self.letters else None
        return self._newest

    def _letters_from_files(self) -> list[LetterEntry]:
        from briefreader.corpus import CorpusError, find_letters, letter_id

        try:
            paths = find_letters(self.corpus_dir)
        except OSError as error:  # the reader still opens, and says why it shows no letters
            self.corpus_problem = f"{self.corpus_dir}: the corpus folder can't be read ({error.strerror or error.__class__.__name__})"
            return []
        except CorpusError as error:
            self.corpus_problem = str(error)
            return []
        self.corpus_problem = None
        # Newest first as far as file names tell (corpus files start with their date).
        return [FileLetter(letter_id(path), Path(path)) for path in sorted(paths, key=lambda p: Path(p).name, reverse=True)]

    def info(self, letter_id: str) -> LetterEntry | None:
        """The index entry of a letter."""
        return self.lookup(letter_id)

    def shown_path(self, path: Path | str) -> str:
        """How to name `path` to the user (the user's own file for a single letter read from the cache)."""
        return str(self.aliases.get(Path(path), path))

    def cached(self, letter_id: str) -> Letter | None:
        """The parsed letter if it is at hand (no disk), else None."""
        with self._lock:
            letter = self._cache.get(letter_id)
            if letter is not None:
                self._cache.move_to_end(letter_id)
            return letter

    def wait_for(self, letter_id: str, timeout: float) -> Letter | None:
        """The parsed letter if it is at hand, or read by another thread within `timeout` seconds
        (the first letter, read while Textual starts); else None. Never reads it here."""
        letter = self.cached(letter_id)
        if letter is not None:
            return letter
        with self._lock:
            loading = self._loading.get(letter_id)
        if loading is None or not loading.wait(timeout):
            return None
        return self.cached(letter_id)

    def keep(self, letter_id: str, letter: Letter, signature: object | None = None) -> None:
        """Keep a letter parsed elsewhere (the single file the reader was opened on); `signature`:
        the state of its files when it was parsed, for the letter cache (see `shown`)."""
        with self._lock:
            self._cache[letter_id] = letter
            if signature is not None:
                self._signatures[letter_id] = signature
            else:
                self._signatures.pop(letter_id, None)
            while len(self._cache) > CACHE_SIZE:
                dropped, _letter = self._cache.popitem(last=False)
                self._signatures.pop(dropped, None)

    def load(self, letter_id: str) -> Letter:
        """The parsed letter (LetterError if it is unknown or cannot be read). Thread-safe: two
        threads asking for one letter at once (the first letter, read while the app starts, and
        the screen opening it) parse it once."""
        letter = self.cached(letter_id)
        if letter is not None:
            return letter
        info = self.lookup(letter_id)
        if info is None:
            raise LetterError(letter_id, "not in this corpus")
        with self._lock:
            # Asked again under the lock: another thread may have kept it since `cached()` above
            # (and ended its loading), and would otherwise be parsed a second time.
            letter = self._cache.get(letter_id)
            if letter is not None:
                return letter
            loading = self._loading.get(letter_id)
            mine = loading is None
            if mine:
                loading = self._loading[letter_id] = threading.Event()
        assert loading is not None
        if not mine:
            loading.wait()
            letter = self.cached(letter_id)
            if letter is not None:
                return letter
        try:
            letter, signature = self._read(letter_id, Path(info.path))
            self.keep(letter_id, letter, signature)  # before waiters wake, so they find it
        except LetterError as error:
            raise LetterError(self.shown_path(error.path), error.problem) from None
        finally:
            if mine:
                with self._lock:
                    self._loading.pop(letter_id, None)
                loading.set()
        return letter

    def _read(self, letter_id: str, path: Path) -> tuple[Letter, object | None]:
        """The letter at `path` from the letter cache if it holds it unchanged, else parsed; and
        the state of its files before it was parsed (None without a letter cache)."""
        cache = self._letter_cache
        if cache is None:
            return self._load_fn(path), None
        kept = cache.load(path)
        if kept is not None:
            self._kept = (letter_id, kept.signature)  # on disk already
            return kept.letter, kept.signature
        signature = cache.signature(path)  # before the parse: a change during it is a change
        return self._load_fn(path), signature

    def shown(self, letter_id: str) -> None:
        """The reader shows `letter_id`: keep it parsed in the letter cache (in a background thread),
        so that the next start that reopens it needs no parse. Nothing when it is kept already."""
        cache = self._letter_cache
        if cache is None:
            return
        with self._lock:
            letter = self._cache.get(letter_id)
            signature = self._signatures.get(letter_id)
        info = self.lookup(letter_id)
        if info is None or letter is None or signature is None or self._kept == (letter_id, signature):
            return
        self._kept = (letter_id, signature)
        # Not a daemon: a write under way when the reader quits is finished, not cut short.
        threading.Thread(
            target=self._keep_shown, args=(cache, letter_id, Path(info.path), letter, signature), name="letter-cache"
        ).start()

    def hold_writes(self, until: threading.Event, at_most: float) -> None:
        """Write the letter cache only once `until` is set (at most `at_most` seconds later): the
        reader's first frame, which the write would otherwise share the interpreter with."""
        self._writes_held = (until, at_most)

    def _keep_shown(self, cache: LetterCacheLike, letter_id: str, path: Path, letter: Letter, signature: object) -> None:
        if self._writes_held is not None:
            until, at_most = self._writes_held
            until.wait(at_most)
        with self._keeping:
            if self._kept == (letter_id, signature):  # else a letter shown since will be written
                cache.save(path, letter, signature)

    def forget(self) -> None:
        """Drop the parsed letters (the files may have changed)."""
        with self._lock:
            self._cache.clear()
            self._signatures.clear()

    def search(self, query: str, as_you_type: bool = False, stop: Callable[[], bool] | None = None) -> ResultLike:
        """Hits for `query`; a result with a message instead of an exception, whatever happens.
        `stop()`, asked while the search runs, ends it early when it says it is no longer wanted."""
        if self.index is None:
            return SearchOutcome(message=self.index_error or "Search is not available.")
        try:
            return self._search_fn(self.index, query, SEARCH_LIMIT, as_you_type=as_you_type, stop=stop)
        except Exception as error:  # noqa: BLE001 - search promises not to raise; a bug is reported as one
            return SearchOutcome(message=f"Search failed (internal error {error.__class__.__name__}: {error})")

    def letter_hits(self, query: str, letter_id: str, as_you_type: bool = False) -> list[HitLike]:
        """Every hit of `query` in one letter (for n/N), best first; [] when none or no search."""
        if self.index is None:
            return []
        try:
            result = self._search_fn(self.index, query, LETTER_HITS_LIMIT, as_you_type=as_you_type, letter=letter_id)
        except Exception:  # noqa: BLE001 - n/N falls back to the highlighted paragraphs
            return []
        return [hit for hit in result.hits if hit.letter == letter_id]

    def highlighter(self, query: str, as_you_type: bool = False) -> Callable[[str], Sequence[tuple[int, int]]]:
        """A function giving the spans of `query`'s (stemmed) matches in a text."""

        def spans(text: str) -> Sequence[tuple[int, int]]:
            if self.index is None or not text:
                return []
            try:
                if as_you_type:
                    return list(self._highlight_fn(self.index, query, text, as_you_type=True))
                return list(self._highlight_fn(self.index, query, text))
            except Exception:  # noqa: BLE001 - no highlight rather than no letter
                return []

        return spans

    def _link_maps(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """kst id -> letter, and letter -> the letters citing it: made once, at first use or by
        `warm_links()` in a background thread, never on the way to the first frame (0.05 s at
        10,000 letters, half a second at 100,000)."""
        links = self._links
        if links is None and not self.listed:
            return {}, {}  # made once the list is read (`reload`); the reader then adds them
        if links is None:
            with self._lock:
                if self._links is None:
                    from briefreader.links import cited_by_map, kst_map  # with the maps, after the first frame

                    letters = self.letters
                    self._links = (kst_map(letters), cited_by_map(letters))
                links = self._links
        return links

    @property
    def links_ready(self) -> bool:
        """True once the link maps are made (opening a letter then costs no pass over the corpus)."""
        return self._links is not None

    def warm_links(self) -> None:
        """Make the link maps now (in a background thread: half a second at 100,000 letters)."""
        self._link_maps()

    def warm_search(self) -> None:
        """Import the search engine now (in a background thread, after the first frame): Whoosh's
        query parser and briefreader's compiler take 0.2-0.4 s to import, which the first key typed
        in the search panel would otherwise wait for."""
        if self.index is not None and self._search_fn is _default_search:
            import briefreader.search  # noqa: F401 - imported for its side effect: loaded once

    @property
    def by_kst(self) -> dict[str, str]:
        """kst id -> the id of the corpus letter that is that Kamerstuk."""
        return self._link_maps()[0]

    def resolve(self, reference: Reference) -> str | None:
        """The corpus letter `reference` cites, if it is in the corpus."""
        by_kst = self.by_kst
        if not by_kst:
            return None  # the link maps are not made yet (or the corpus holds no Kamerstuk)
        from briefreader.links import resolve_target  # with the link maps, after the first frame

        return resolve_target(reference, by_kst)

    def cited_by(self, letter_id: str) -> list[str]:
        """The corpus letters that cite `letter_id`."""
        return list(self._link_maps()[1].get(letter_id, ()))

    def label(self, letter_id: str) -> str:
        """A short name for a letter: its date and title, or its id."""
        info = self.by_id.get(letter_id)
        if info is None:
            return letter_id
        title = info.title or info.id
        return f"{info.date[:10]} {title}" if info.date else title

    def arrived_since(self, moment: float, ids: Iterable[str] | None = None) -> set[str]:
        """The letters whose file came into the corpus after `moment` (seconds since the epoch).

        A file's change time (ctime) is when it was created or copied here, whatever date the copy
        kept as its modification time (`add` keeps the original's); so both are checked. Reads one
        `stat` per letter: run it in a worker on big corpora.
        """
        found: set[str] = set()
        for letter_id in ids if ids is not None else list(self.by_id):
            info = self.by_id.get(letter_id)
            if info is None:
                continue
            try:
                status = os.stat(info.path)
            except OSError:
                continue
            if max(status.st_ctime, status.st_mtime) > moment:
                found.add(letter_id)
        return found

    # -- sync ---------------------------------------------------------------------------------------

    def sync_plan(self) -> tuple[SyncPlan | None, str | None]:
        """What "sync now" would fetch into this corpus: the config's watch list (`watch:`), or why
        there is nothing to sync here (a single letter, the bundled corpus, no watch list)."""
        from briefreader.config import config_path, load_config
        from briefreader.corpus import bundled_corpus
        from briefreader.sync.plan import plan_from_config

        if self.aliases:
            return None, "A single letter is open: sync fills a corpus folder (open one with `briefreader DIR`)."
        if self.corpus_dir.resolve() == bundled_corpus().resolve():
            return None, (
                "This is the bundled example corpus, which sync does not change: `briefreader sync --dossier N` "
                "fills your own corpus, which the reader then opens."
            )
        plan = plan_from_config(load_config())
        if not plan.sources:
            return None, f"Nothing to sync: list dossiers or queries under `watch:` in {config_path()} (see the README)."
        return plan, None

    def sync(self, plan: SyncPlan, progress: Callable[[SyncProgress], None], cancel: threading.Event) -> SyncReport:
        """Fetch what `plan` names into this corpus (`briefreader.sync.run.run_sync`); letters already
        here under another name are not fetched again. Blocks: run it in a worker thread."""
        from briefreader.sync.run import run_sync

        return run_sync(plan, self.corpus_dir, progress=progress, cancel=cancel, known=dict(self.by_kst))
