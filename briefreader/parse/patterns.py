"""The line patterns of a Kamerbrief (see docs/FORMAT.md), matched on stripped lines."""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

DASH = "[–—-]"
#: A dossier number as printed: `32 317`, `21 501-20`, `36 410 VI`, `36 600 B`.
DOSSIER = r"\d{2}\s?\d{3}(?:-\d{2}|\s(?:[IVXLC]+[AB]?|[A-Z]{1,2})\b)?"
CHAMBER = re.compile(r"^(Tweede|Eerste) Kamer der Staten-Generaal(?:\s+([12]))?$")
SESSION = re.compile(rf"^Vergaderjaar (\d{{4}})\s*{DASH}\s*(\d{{4}})$")
LONE_NUMBER = re.compile(r"^\d{1,3}$")
#: A dossier number in the header: `32 317`, `21 501-20`, `36 410 VI`, optionally followed by its title.
DOSSIER_LINE = re.compile(rf"^({DOSSIER})(?:\s+(\S.*))?$")
DOC_NUMBER = re.compile(r"^Nr\. (\d+[a-z]?)(?:\s+(\S.*))?$")
ADDRESSEE = re.compile(r"^Aan de [Vv]oorzitter van de (Tweede|Eerste) Kamer der Staten-Generaal$")
PLACE_DATE = re.compile(
    r"^(Den Haag|['’]s-Gravenhage),\s+(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})$", re.I
)
COLOPHON = re.compile(r"^(?:kst-[\w-]+|ISSN\s*\d{4}\s*-\s*\d{4}|['’]s-Gravenhage \d{4})$")
COLOPHON_PART = re.compile(r"(?:kst-[\w-]+|ISSN\s*\d{4}\s*-\s*\d{4}|['’]s-Gravenhage \d{4})")
FOOTER = re.compile(
    rf"^(Tweede|Eerste) Kamer, vergaderjaar (\d{{4}})\s*{DASH}\s*(\d{{4}}), "
    rf"({DOSSIER}), nr\. (\d+[a-z]?)(?:\s+(\d{{1,3}}))?$"
)
#: The capitalised title (`BRIEF VAN DE MINISTER ...`) or its tail (`VEILIGHEID`).
CAPS_TITLE = re.compile(r"^[A-ZÀ-Ý0-9][A-ZÀ-Ý0-9 ,.'’()&/–-]*$")
#: A footnote's first line: its number, then the text (maybe glued: `3Europees`).
FOOTNOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[^\d\s.,:;/)-]))(\S.*)$")
LIST_ITEM = re.compile(r"^([•▪●◦·*–—-]|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,2}\))(?:\s+(\S.*))?$")
NUMBERED_HEADING = re.compile(r"^((?:\d{1,2}\.)+\d{0,2}|\d{1,2}|[IVX]{1,5}\.?)\s+([A-ZÀ-Ý‘“'\"(].*)$")
#: Signature: a function line (`De Minister van ...,`) and a name line (`A.B.C. de Vries`).
FUNCTION_START = re.compile(r"^(De|Het)\s+\S")
NAME_LINE = re.compile(
    r"^(?:[A-Z][a-z]?\.\s?){1,5}"
    r"(?:(?:van|de|der|den|het|ter|ten|te|in|'t|el|la|le|du|von|zu|d')\s+)*"
    r"[A-Z][\w'’-]+(?:[\s-][A-Za-z][\w'’-]*){0,3}$"
)
SENTENCE_END = re.compile(r"[.!?:;][\"'”’»)\]]*$")
#: A glued footnote marker at the end of a line: `asielpact1`, `overgestoken.2`, `(2019)4`.
TRAILING_MARKER = re.compile(r"(?<=[^\s\d(\[/+-])\d{1,3}$")
URL_START = re.compile(r"(?:https?://|www\.)\S*$", re.I)
TABLE_CAPTION = re.compile(r"^Tabel \d+")
TABLE_SOURCE = re.compile(r"^Bron\s*:")
