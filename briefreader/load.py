"""Reading one letter file into the model: pick the parser by the file's kind, apply the sidecar.

This is the only place that turns a path into a `Letter`; the CLI, the corpus and the reader all
come through here. Three kinds of file are letters:

- `.txt`: text as a PDF extractor left it (both layouts of docs/FORMAT.md);
- `.pdf`: a PDF with a text layer (`briefreader.parse.pdf`);
- `.xml`: the official XML of officielebekendmakingen (`briefreader.parse.xml`), with its
  `metadata.xml` when one lies beside it (see `metadata_path`).
"""

from __future__ import annotations

from pathlib import Path

from briefreader.model import Letter, LetterError
from briefreader.sanitise import visible_data
from briefreader.sidecar import apply_sidecar, sidecar_path

#: Letter file suffixes briefreader reads, in order of preference when two files share a name.
LETTER_SUFFIXES = (".txt", ".pdf", ".xml")

#: How the metadata of an XML letter `NAME.xml` may be named beside it.
METADATA_SUFFIX = ".metadata.xml"


def is_metadata_file(path: str | Path) -> bool:
    """`metadata.xml` or `NAME.metadata.xml`: the metadata of an XML letter, not a letter itself."""
    name = Path(path).name.lower()
    return name == "metadata.xml" or name.endswith(METADATA_SUFFIX)


def is_letter_file(path: str | Path) -> bool:
    """Whether the file name is one of a letter briefreader can read (by suffix; metadata excluded)."""
    path = Path(path)
    return path.suffix.lower() in LETTER_SUFFIXES and not is_metadata_file(path) and not path.name.startswith(".")


def metadata_path(letter_path: Path) -> Path | None:
    """The `metadata.xml` of the XML letter at `letter_path`, if there is one.

    Looked for, in order: `NAME.metadata.xml` beside it (what `briefreader add` writes), a
    `metadata.xml` beside it, and `../metadata/metadata.xml` (the layout of the official repository,
    `.../kst-32317-703/1/xml/kst-32317-703.xml` next to `.../1/metadata/metadata.xml`).
    """
    letter_path = Path(letter_path)
    candidates = (
        letter_path.with_name(letter_path.stem + METADATA_SUFFIX),
        letter_path.with_name("metadata.xml"),
        letter_path.parent.parent / "metadata" / "metadata.xml",
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


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


def kind_of(path: Path, data: bytes) -> str:
    """`txt`, `pdf` or `xml`: by the content where it is unmistakable, else by the suffix."""
    head = data.lstrip()[:64]
    if head.startswith(b"%PDF"):
        return "pdf"
    suffix = path.suffix.lower()
    if suffix == ".xml" or (suffix not in LETTER_SUFFIXES and head.startswith((b"<?xml", b"<officiele-publicatie"))):
        return "xml"
    if suffix == ".pdf":
        return "pdf"
    return "txt"


def parse_letter_bytes(
    data: bytes, source: str, kind: str, metadata: bytes | None = None, metadata_source: str = "metadata.xml"
) -> Letter:
    """Parse `data` of `kind` (`txt`, `pdf`, `xml`); `metadata` is the XML letter's metadata.xml."""
    if kind == "pdf":
        from briefreader.parse.pdf import parse_pdf

        return parse_pdf(data, source=source)
    if kind == "xml":
        from briefreader.parse.xml import parse_xml, read_metadata

        fields: dict[str, str] = {}
        warnings: list[str] = []
        if metadata is not None:
            try:
                fields = read_metadata(metadata, metadata_source)
            except LetterError as error:
                warnings.append(f"{error}: ignored")
        shared = Path(metadata_source).name.lower() == "metadata.xml"
        letter = parse_xml(data, source=source, metadata=fields, metadata_shared=shared)
        if warnings:
            from dataclasses import replace

            letter = replace(letter, warnings=letter.warnings + tuple(warnings))
        return letter
    from briefreader.parse import parse_bytes

    return parse_bytes(data, source=source)


def load_letter(path: str | Path, *, use_sidecar: bool = True) -> Letter:
    """Parse the letter at `path` (applying `NAME.yaml` beside it); LetterError if it can't be read."""
    path = Path(path)
    if is_metadata_file(path):
        raise LetterError(str(path), "is the metadata of an XML letter, not a letter (it is read with the kst-*.xml beside it)")
    data = read_bytes(path)
    kind = kind_of(path, data)
    metadata = None
    found = metadata_path(path) if kind == "xml" else None
    if found is not None:
        try:
            metadata = found.read_bytes()
        except OSError:
            metadata = b""  # read_metadata turns this into a warning naming the file
    letter = parse_letter_bytes(data, str(path), kind, metadata, str(found))
    if use_sidecar:
        sidecar = sidecar_path(path)
        if sidecar is not None:
            letter = apply_sidecar(letter, sidecar)
    # The boundary: whatever the file, its metadata or the sidecar held, the model shows no
    # control characters to any terminal (briefreader.sanitise).
    return visible_data(letter)
