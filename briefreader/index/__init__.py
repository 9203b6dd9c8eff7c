"""The search index of a corpus: a Whoosh index in the user's cache, kept fresh.

One package, one concern per module:

- `schema`: the Whoosh fields and the version stamp; `documents`: what a letter becomes in the
  index (the document layout is stated there, once) and `LetterInfo`; `checksums`: the
  per-document columns' checksums;
- `database`: the SQLite file beside Whoosh's in each generation, holding `manifest` (what was
  indexed from which file) and `letters_table` (every letter's `LetterInfo`, a row each);
- `generations`: where an index lives and the generation folders (the one-writer lock is
  `briefreader.locking`);
- `refresh`: bringing an index up to date; `reading`: searchers and stored letters;
- `whoosh_private`: the only module that touches Whoosh's private names;
- `corpus_index`: `CorpusIndex`, which ties them to one corpus folder.

Readers never see a half-written index: an incremental update goes through Whoosh's own commit;
a rebuild writes a new generation folder and swaps `CURRENT`. Writers take the lock; a second
writer waits for it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefreader.index.corpus_index import CorpusIndex
from briefreader.index.errors import CacheUnwritable, IndexDamaged, IndexLocked
from briefreader.index.generations import IndexFolderRefused, cache_root, check_index_dir, default_index_dir
from briefreader.index.info import LetterInfo, SectionInfo

if TYPE_CHECKING:
    from briefreader.index.writing import Loader

#: What this package gives by name from the modules that import Whoosh: imported at first use, so
#: that opening an index and reading its letters table (the reader's first screen) imports none.
_FROM_WHOOSH_MODULES = {
    **dict.fromkeys(["BLOCK_GAP", "SUMMARY_LENGTH", "Block", "Layout", "letter_document", "letter_info"], "documents"),
    **dict.fromkeys(["PARALLEL_THRESHOLD", "RefreshReport", "file_digest"], "refresh"),
    **dict.fromkeys(["Loader", "ProgressCallback"], "writing"),
    **dict.fromkeys(
        [
            "INDEX_NAME",
            "KIND_FOOTNOTE",
            "KIND_ITEM",
            "KIND_LETTER",
            "KIND_PARAGRAPH",
            "NOTES_FIELD",
            "SCHEMA_VERSION",
            "TEXT_FIELD",
            "WORD_FIELDS",
            "build_schema",
            "dossier_terms",
            "normalise_dossier",
        ],
        "schema",
    ),
}


def __getattr__(name: str) -> Any:
    module = _FROM_WHOOSH_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def open_index(corpus_dir: str | Path, index_dir: str | Path | None = None, *, loader: Loader | None = None) -> CorpusIndex:
    """The index of a corpus folder (default location: the user cache). Reads nothing yet.

    `index_dir` overrides the location: a new or empty folder, or one briefreader made; never
    the corpus folder, a folder inside or around it, or one that holds anything else
    (`IndexFolderRefused`, a `CorpusError`). `loader` (default: `briefreader.load.load_letter`)
    parses a file.
    """
    corpus_dir = Path(corpus_dir).resolve()
    if index_dir is None:
        target = default_index_dir(corpus_dir)
    else:
        target = Path(index_dir).expanduser().resolve()
        check_index_dir(target, corpus_dir)
    return CorpusIndex(corpus_dir, target, loader)


__all__ = [
    "CacheUnwritable",
    "CorpusIndex",
    "IndexDamaged",
    "IndexFolderRefused",
    "IndexLocked",
    "LetterInfo",
    "SectionInfo",
    "cache_root",
    "default_index_dir",
    "open_index",
    *_FROM_WHOOSH_MODULES,
]
