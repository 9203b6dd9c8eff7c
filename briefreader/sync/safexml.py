"""Reading XML from the network: defusedxml, which refuses a DTD, entity declarations and external
references (never expanded, never fetched), with one-line reasons for what is not usable XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

__all__ = ["XmlProblem", "read_xml"]

_HTML = re.compile(rb"<(!doctype\s+html|html)\b", re.IGNORECASE)


class XmlProblem(Exception):
    """Bytes that are not usable XML; `str()` says why in a few words (`an HTML page`, ...)."""


def read_xml(data: bytes) -> ET.Element:
    """The root element of `data`; XmlProblem for HTML, unsafe or malformed XML."""
    if _HTML.search(data[:1024]):
        raise XmlProblem("an HTML page, not XML")
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as error:
        raise XmlProblem(f"XML with a DTD or entity declarations ({error.__class__.__name__}), refused") from None
    except ET.ParseError as error:
        line = error.position[0] if error.position else "?"
        raise XmlProblem(f"not well-formed XML (line {line}); perhaps cut short") from None
