"""Writing a small text file of briefreader's own atomically: a hidden temporary file beside it,
flushed to disk, then renamed over it, so a reader never sees half a file and a killed write
leaves the old one. (Letters in a corpus are written by `briefreader.store`, which never writes
over a file it did not make.)"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(path: Path, text: str, *, prefix: str, suffix: str = ".tmp", errors: str = "strict") -> None:
    """Replace `path` with `text` (UTF-8) atomically; the temporary file is named `prefix…suffix`
    in `path`'s folder (made if missing) and removed if the write fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors=errors) as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["write_text"]
