"""Parsers: raw letter text (and later PDF and XML) -> `briefreader.model.Letter`.

Pure functions; no I/O beyond decoding the bytes they are given.
"""

from briefreader.parse.decode import decode
from briefreader.parse.text import parse_text


def parse_bytes(data: bytes, source: str = "<bytes>"):
    """Decode `data` (UTF-8 with or without BOM, else Windows-1252) and parse it as letter text."""
    text, warnings = decode(data, source)
    return parse_text(text, source=source, warnings=warnings)


__all__ = ["decode", "parse_bytes", "parse_text"]
