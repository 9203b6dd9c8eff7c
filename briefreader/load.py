"""Reading one letter file into the model: pick the parser by the file's kind, apply the sidecar.

This is the only place that turns a path into a `Letter`; the CLI, the corpus and the reader all
come through here.
"""

from __future__ import annotations

from pathlib import Path

from briefreader.model import Letter, LetterError
from briefreader.parse import parse_bytes
from briefreader.sidecar import apply_sidecar, sidecar_path

#: Letter file suffixes briefreader reads.
LETTER_SUFFIXES = (".txt",)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a LetterError that says why not."""
    try:
        if not path.exists():
            raise LetterError(str(path), "no such file")
        if path.is_dir():
            raise LetterError(str(path), "is a folder, not a letter file")
        data = path.read_bytes()
    except PermissionError:
        raise LetterError(str(path), "permission denied") from None
    except OSError as error:
        raise LetterError(str(path), f"cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise LetterError(str(path), "is empty")
    return data


def load_letter(path: str | Path, *, use_sidecar: bool = True) -> Letter:
    """Parse the letter at `path` (applying `NAME.yaml` beside it); LetterError if it can't be read."""
    path = Path(path)
    data = read_bytes(path)
    letter = parse_bytes(data, source=str(path))
    if use_sidecar:
        sidecar = sidecar_path(path)
        if sidecar is not None:
            letter = apply_sidecar(letter, sidecar)
    return letter
