"""The line patterns of a Kamerbrief (see docs/FORMAT.md), matched on stripped lines."""

from __future__ import annotations

import re

from briefreader.months import MONTHS

DASH = "[–—-]"
#: A dossier number as printed: `32 317`, `21 501-20`, `36 410 VI`, `36 600 B`.
DOSSIER = r"\d{2}\s?\d{3}(?:-\d{2}|\s(?:[IVXLC]+[AB]?|[A-Z]{1,2})\b)?"
#: `Generaal` as the archive's OCR may spell it (`Generaai`, `GeneraaI`) and with or without a hyphen.
_GENERAAL = r"Staten[- ]?Gener[a-z]{2}[lIi1]"
#: The chamber line: `Tweede Kamer der Staten-Generaal` (with its digit `2`), or `Staten-Generaal` for a
#: document to both chambers (digits `1/2`). The OCR drops the hyphen or misreads letters.
CHAMBER = re.compile(rf"^(?:(Tweede|Eerste) Kamer der )?{_GENERAAL}(?:\s+([12](?:/2)?))?$")
#: The chamber line broken after `Staten` (OCR): `Tweede Kamer der Staten` / `Generaal`.
CHAMBER_HEAD = re.compile(r"^(Tweede|Eerste) Kamer der Staten-?$")
CHAMBER_TAIL = re.compile(r"^-?Gener[a-z]{2}[lIi1](?:\s+[12])?$")
#: The session year: `Vergaderjaar 2022–2023`; before 1986 `Zitting 1982-1983`. On a document to both
#: chambers the Eerste Kamer's number follows on the same line (`Vergaderjaar 1989-1990 Nr. 226`).
SESSION = re.compile(rf"^(?:Vergaderjaar|Zitting) (\d{{4}})\s*{DASH}\s*(\d{{4}})(?:\s+Nr\.?\s*\d+\S*)?$", re.I)
LONE_NUMBER = re.compile(r"^\d{1,3}$")
#: A dossier number in the header: `32 317`, `21 501-20`, `36 410 VI`, optionally followed by its title.
#: A Rijkswet's number after the dossier number in the archive's prints: `23 480 (R 1490)`.
RIJKSWET = r"(?:\s*\(R\s?\d{3,4}\))?"
DOSSIER_LINE = re.compile(rf"^({DOSSIER}){RIJKSWET}(?:\s+(\S.*))?$")
#: `Nr. 12`, also `nr. 12`, `Nr.12` and the OCR's `Nr 66`; the title may follow on the same line.
DOC_NUMBER = re.compile(r"^[Nn]r[.,]?\s?(\d+[a-z]?)\*?(?:\s+(\S.*))?$")
#: The Eerste Kamer numbers its documents with letters: `E BRIEF VAN DE MINISTER ...`.
LETTER_NUMBER = re.compile(r"^([A-Z]{1,2})\s+(BRIEF\s.*)$")
#: `Aan de Voorzitter van de Tweede Kamer der Staten-Generaal`; to both chambers `Aan de Voorzitters
#: van de Eerste en van de Tweede Kamer der Staten-Generaal` (also `... Eerste Kamer en van de ...`,
#: and the OCR's `Kamer de Staten-Generaal`).
ADDRESSEE = re.compile(
    rf"^Aan de [Vv]oorzitters? van de (Tweede|Eerste)(?: Kamer)?(?: en van de (Tweede|Eerste))? Kamer der? {_GENERAAL}\.?$"
)
_MONTH = "(" + "|".join(MONTHS) + ")"
#: Place and date: `Den Haag, 26 augustus 2021`, `’s-Gravenhage, ...`, any other place (`Rijswijk`);
#: the archive's OCR glues day and month (`15juni 1990`).
_PLACE_DATE = (
    r"((?:Den Haag|['’]?s[- ]Gravenhage)(?=[ ,])|[A-Z][a-zë]+(?:[ -][A-Z][a-z]+)?(?=,)),?\s*(\d{1,2})\s*"
    + _MONTH
    + r"\s+(\d{4})"
)
PLACE_DATE = re.compile(r"^" + _PLACE_DATE + r"\.?$", re.I)
#: The archive's OCR (one paragraph per line) may run the place and date into the next paragraph
#: (`Rijswijk, 10 september 1986 Naar aanleiding van ...`) or the addressee into them
#: (`Aan de Voorzitter van de Tweede Kamer der Staten-Generaal 's-Gravenhage, 13 oktober 1978`).
PLACE_DATE_LEAD = re.compile(r"^" + _PLACE_DATE + r"\.?\s+(?=(?-i:[A-Z]))", re.I)
ADDRESSEE_PLACE_DATE = re.compile(r"^(Aan de [Vv]oorzitters? van .*? der Staten[- ]Generaal)\.?\s+" + _PLACE_DATE + r"\.?$", re.I)
#: A date alone on the line where place and date belong (`22oktober 1993`).
DATE_ONLY = re.compile(r"^(\d{1,2})\s*" + _MONTH + r"\s+(\d{4})\.?$", re.I)
COLOPHON = re.compile(r"^(?:kst-[\w-]+|ISSN\s*\d{4}\s*-\s*\d{4}|['’]s-Gravenhage \d{4})$")
COLOPHON_PART = re.compile(r"(?:kst-[\w-]+|ISSN\s*\d{4}\s*-\s*\d{4}|['’]s-Gravenhage \d{4})")
#: The printer's line of the archive's prints: a job number, the ISSN, the printer, its street, the
#: place and year (`40987F ISSN 0921-7371 Sdu Uitgeverij Plantijnstraat 's-Gravenhage 1992`), in any
#: OCR spelling and sometimes broken before the `s-Gravenhage 1990`; and the distribution codes under
#: it (`S-INH S-IZ`).
PRINTER = re.compile(r"^(?:\d{4,7}[A-Z]\s+)?(?:KST\d+\s+)?ISSN\s?\d{4}\s*-?\s*\d{4}\b.*$|^\d{4,7}F\b.*$")
PRINTER_TAIL = re.compile(r"^['’]?\s?s[- ]Gravenhage \d{4}$")
DISTRIBUTION = re.compile(r"^(?:S-[A-Z]{2,4}\s*)+$")
#: The running footer: `Tweede Kamer, vergaderjaar 2022–2023, 26 643, nr. 1012` and the page number;
#: in the archive also `zitting 1982-1983`, `Staten-Generaal, ...` and `nrs. 226 en 1`.
FOOTER = re.compile(
    rf"^(Tweede Kamer|Eerste Kamer|{_GENERAAL}), (?:vergaderjaar|zitting) (\d{{4}})\s*{DASH}\s*(\d{{4}}),\s*"
    rf"({DOSSIER}){RIJKSWET}(?:\s+enz\.)?\s*,\s*nrs?\.\s*(\d+[a-z]?)(?:\s*(?:en|,)\s*(\d+[a-z]?))?(?:\s+(\d{{1,3}}))?$",
    re.I,
)
#: The capitalised title (`BRIEF VAN DE MINISTER ...`) or its tail (`VEILIGHEID`).
CAPS_TITLE = re.compile(r"^[A-ZÀ-Ý0-9][A-ZÀ-Ý0-9 ,.'’()&/–-]*$")
#: A footnote's first line: its number, then the text (maybe glued: `3Europees`).
FOOTNOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[^\d\s.,:;/)-]))(\S.*)$")
LIST_ITEM = re.compile(r"^([•▪●◦·*–—-]|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,2}\))(?:\s+(\S.*))?$")
NUMBERED_HEADING = re.compile(r"^((?:\d{1,2}\.)+\d{0,2}|\d{1,2}|[IVX]{1,5}\.?)\s+([A-ZÀ-Ý‘“'\"(].*)$")
#: Signature: a function line (`De Minister van ...,`) and a name line (`A.B.C. de Vries`).
FUNCTION_START = re.compile(r"^(De|Het)\s+\S")
#: A signer's name: initials (`A.B.C.`, `H. A. F. M. 0.` with the OCR's 0 for O, `Th.`), then the
#: surname with its particles (`van der`, `de`) and double names (`Broekers-Knol`).
NAME_LINE = re.compile(
    r"^(?:(?:[A-Z]|Th|Ch|Ph|IJ|0)[a-z]?\.(?:-[A-Z]\.)?\s?){1,6}"
    r"(?:(?:[Bb]aron|[Jj]hr\.|van|de|der|den|het|ter|ten|te|tot|in|'t|el|la|le|du|von|zu)\s+)*"
    r"(?:[dD]['’])?[A-Z][\w'’-]+(?:[\s-][A-Za-z][\w'’-]*){0,3}\.?$"
)
SENTENCE_END = re.compile(r"[.!?:;][\"'”’»)\]]*$")
#: A glued footnote marker at the end of a line: `asielpact1`, `overgestoken.2`, `(2019)4`.
TRAILING_MARKER = re.compile(r"(?<=[^\s\d(\[/+-])\d{1,3}$")
URL_START = re.compile(r"(?:https?://|www\.)\S*$", re.I)
TABLE_CAPTION = re.compile(r"^Tabel \d+")
TABLE_SOURCE = re.compile(r"^Bron\s*:")
