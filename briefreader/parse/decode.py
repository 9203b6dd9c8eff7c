"""Bytes -> clean Unicode text: encoding detection and normalisation.

Files are UTF-8 (with or without a BOM), sometimes Windows-1252, rarely UTF-16. The output has LF line
ends, `\\f` kept as the page-break character, no BOM, soft hyphens, NBSP, ligatures or other control
characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from briefreader.model import LetterError

# Control characters other than \n, \t and \f (page break), plus zero-width characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe]")
_SOFT_HYPHEN = "\u00ad"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\n\r\t\f")
    return controls > max(8, len(sample) // 50)


def decode(data: bytes, source: str = "<bytes>") -> tuple[str, list[str]]:
    """Decode and normalise `data`; returns the text and warnings. LetterError for binary data."""
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif _looks_binary(data):
        raise LetterError(source, "is not a text file (binary data)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            warnings.append("not valid UTF-8: read as Windows-1252")
    return normalise(text), warnings


def normalise(text: str) -> str:
    """Line ends to LF, NFKC (ligatures, NBSP, superscript digits), no soft hyphens or controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(_SOFT_HYPHEN, "")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\t", " ")
    return _CONTROL.sub("", text)
