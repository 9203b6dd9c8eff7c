"""Reading one letter file into the model: pick the parser by the file's kind, apply the sidecar.

This is the only place that turns a path into a `Letter`; the CLI, the corpus and the reader all
come through here. Three kinds of file are letters:

- `.txt`: text as a PDF extractor left it (both layouts of docs/FORMAT.md);
- `.pdf`: a PDF with a text layer (`briefreader.parse.pdf`);
- `.xml`: the official XML of officielebekendmakingen (`briefreader.parse.xml`), with its
  `metadata.xml` when one lies beside it (see `metadata_path`);
- `.html`: the official web page of a Kamerstuk, saved from the browser (`briefreader.parse.html`).

Files larger than `MAX_TEXT_BYTES` (text, XML, HTML) or `MAX_PDF_BYTES` (PDF) are refused with a
one-line error before they are parsed: see `check_size`.
"""

from __future__ import annotations

from pathlib import Path

from briefreader.model import Letter, LetterError
from briefreader.sanitise import visible_data
from briefreader.sidecar import SIDECAR_SUFFIXES, apply_sidecar, sidecar_path

#: Letter file suffixes briefreader reads, in order of preference when two files share a name.
LETTER_SUFFIXES = (".txt", ".pdf", ".xml", ".html", ".htm")

#: The largest text, XML or HTML file read as a letter. A long Kamerstuk (a budget, the Miljoenennota)
#: is about 1 MB of text, which parses in about a second; 8 MB takes some seconds, and anything larger
#: is no letter (a concatenated corpus, a log, a mistake) and would cost minutes and gigabytes.
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: The largest PDF read as a letter: its size is mostly images and fonts, so the limit is higher; the
#: number of pages is limited too (`briefreader.parse.pdf.MAX_PDF_PAGES`).
MAX_PDF_BYTES = 64 * 1024 * 1024

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


def source_files(path: Path) -> tuple[Path, ...]:
    """Every file `load_letter(path)` may read, whether it exists now or not: the letter, the
    sidecars it looks for and the places of an XML letter's metadata. A parse of `path` holds as
    long as none of these is created, removed or changed (what `briefreader.letter_cache` checks)."""
    path = Path(path)
    candidates = [path, *(path.with_suffix(suffix) for suffix in SIDECAR_SUFFIXES)]
    if path.suffix.lower() not in (".txt", ".pdf", ".html", ".htm"):  # these are never read as XML (`kind_of`)
        candidates += [
            path.with_name(path.stem + METADATA_SUFFIX),
            path.with_name("metadata.xml"),
            path.parent.parent / "metadata" / "metadata.xml",
        ]
    return tuple(candidates)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(source: str, kind: str, size: int) -> None:
    """LetterError when a file of `kind` and `size` bytes is larger than briefreader reads as a letter."""
    limit = MAX_PDF_BYTES if kind == "pdf" else MAX_TEXT_BYTES
    if size > limit:
        raise LetterError(
            source, f"is {_megabytes(size)}, larger than briefreader reads as a letter ({_megabytes(limit)} for {kind.upper()})"
        )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a LetterError that says why not (also when it is too large to be a letter)."""
    try:
        if not path.exists():
            raise LetterError(str(path), "no such file")
        if path.is_dir():
            raise LetterError(str(path), "is a folder, not a letter file")
        # Before reading, only the largest limit (the PDF's) is known to apply; what the content
        # turns out to be is checked in parse_letter_bytes.
        check_size(str(path), "pdf", path.stat().st_size)
        data = path.read_bytes()
    except PermissionError:
        raise LetterError(str(path), "permission denied") from None
    except OSError as error:
        raise LetterError(str(path), f"cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise LetterError(str(path), "is empty")
    return data


def kind_of(path: Path, data: bytes) -> str:
    """`txt`, `pdf`, `xml` or `html`: by the content where it is unmistakable, else by the suffix."""
    head = data.lstrip()[:64]
    if head.startswith(b"%PDF"):
        return "pdf"
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or head.lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix == ".xml" or (suffix not in LETTER_SUFFIXES and head.startswith((b"<?xml", b"<officiele-publicatie"))):
        return "xml"
    if suffix == ".pdf":
        return "pdf"
    return "txt"


def parse_letter_bytes(
    data: bytes, source: str, kind: str, metadata: bytes | None = None, metadata_source: str = "metadata.xml"
) -> Letter:
    """Parse `data` of `kind` (`txt`, `pdf`, `xml`, `html`); `metadata` is the XML letter's metadata.xml.

    LetterError when the data is larger than a letter can be (`check_size`) or can't be read."""
    check_size(source, kind, len(data))
    if kind == "html":
        from briefreader.parse.html import parse_html

        return parse_html(data, source=source)
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
