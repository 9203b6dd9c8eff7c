"""Metadata sidecars: `NAME.yaml` beside `NAME.txt|pdf|xml` holds what the user knows better.

A sidecar may set `title`, `date` (YYYY-MM-DD), `dossier` (a number, or `{number, title}`, or a list
of those), `number`, `tags` and `notes`. Its values override what the parser found. A sidecar that
cannot be read never stops a letter from opening: it becomes a warning naming the file and the line.
It is read by `briefreader.yamlfile` (safe loading only, so `!!python/...` tags are refused, never
executed; size and nesting limits; dates checked here, naming the line).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from briefreader.model import Dossier, Letter, normalise_dossier

SIDECAR_SUFFIXES = (".yaml", ".yml")
KNOWN_KEYS = {"title", "date", "dossier", "number", "tags", "notes"}


def sidecar_path(letter_path: Path) -> Path | None:
    """The sidecar beside `letter_path`, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = letter_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _dossiers(value: Any) -> tuple[Dossier, ...]:
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, dict):
            number = item.get("number")
            if not _scalar(number):
                raise ValueError("a dossier needs a number (`number: 32317`)")
            title = item.get("title")
            if title is not None and not _scalar(title):
                raise ValueError("a dossier title must be text")
            result.append(Dossier(normalise_dossier(str(number)), None if title is None else str(title)))
        elif _scalar(item):
            result.append(Dossier(normalise_dossier(str(item))))
        else:
            raise ValueError("dossier must be a number, {number, title} or a list of those")
    return tuple(result)


#: More tags than any letter needs; beyond it the rest are left out with one warning (a sidecar
#: with 870,000 tags would otherwise cost minutes in the index and the reader).
MAX_TAGS = 100
#: At most this many warnings about unknown keys, then one line counting the rest.
MAX_KEY_WARNINGS = 5
#: A date with an optional time after it: `2021-08-26`, `2021-08-26 10:00`, `2021-08-26T10:00:00`.
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def _date(value: Any) -> dt.date:
    """A sidecar's date (text, as `yamlfile` leaves timestamps); ValueError saying what is wrong."""
    if not _scalar(value):
        raise ValueError("not a date (write it as YYYY-MM-DD)")
    text = str(value).strip()
    match = _DATE.match(text)
    if match is None:
        raise ValueError("not a date (write it as YYYY-MM-DD)")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year:04d}-{month:02d}-{day:02d} is not a day of the calendar") from None


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar's fields, checked and converted, and the warnings about what was left out.

    Every warning names the file and, where it can, the line: `notes.yaml: line 3: ...`.
    """
    # PyYAML is imported by the first sidecar read, not with this module (a reader that shows a
    # letter from `briefreader.letter_cache` reads none).
    from briefreader.yamlfile import YamlProblem, read_yaml

    name = str(path)
    try:
        loaded = read_yaml(path)
    except FileNotFoundError:
        return {}, [f"{name}: sidecar not read (no such file)"]
    except YamlProblem as problem:
        return {}, [problem.message("sidecar ignored")]
    data, lines = loaded.data, loaded.key_lines
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{name}: line 1: sidecar ignored: expected `key: value` pairs (title, date, dossier, ...)"]

    fields: dict[str, Any] = {}
    warnings: list[str] = []
    unknown = [key for key in data if key not in KNOWN_KEYS]
    for key in unknown[:MAX_KEY_WARNINGS]:
        line = lines.get(key)
        where = f" line {line}:" if line is not None else ""
        shown = str(key) if _scalar(key) else "?"
        warnings.append(f"{name}:{where} `{shown[:40]}` ignored: unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    if len(unknown) > MAX_KEY_WARNINGS:
        warnings.append(f"{name}: {len(unknown) - MAX_KEY_WARNINGS} more unknown keys ignored")
    for key in [key for key in data if key in KNOWN_KEYS]:
        value = data[key]
        try:
            if value is None:
                continue
            if key == "date":
                fields["date"] = _date(value)
            elif key == "dossier":
                fields["dossiers"] = _dossiers(value)
            elif key == "tags":
                tags = value if isinstance(value, list) else [value]
                if not all(_scalar(tag) for tag in tags[: MAX_TAGS + 1]):
                    raise ValueError("tags must be a list of words")
                split = [part for tag in tags[: MAX_TAGS + 1] for part in str(tag).split(",")]
                kept = tuple(dict.fromkeys(tag.strip() for tag in split if tag.strip()))
                if len(tags) > MAX_TAGS or len(kept) > MAX_TAGS:
                    line = lines.get(key)
                    where = f" line {line}:" if line is not None else ""
                    warnings.append(f"{name}:{where} `tags`: only the first {MAX_TAGS} kept")
                fields["tags"] = kept[:MAX_TAGS]
            elif _scalar(value):
                fields[key] = str(value).strip()
            else:
                raise ValueError("expected text")
        except ValueError as error:
            line = lines.get(key)
            where = f" line {line}:" if line is not None else ""
            warnings.append(f"{name}:{where} `{key}` ignored: {error}")
    return fields, warnings


def write_sidecar(path: Path, fields: dict[str, Any]) -> None:
    """Write a sidecar holding `fields` (the keys of `read_sidecar`'s result) as plain YAML.

    `read_sidecar(path)` gives the same fields back.
    """
    data: dict[str, Any] = {}
    for key in ("title", "date", "number", "notes"):
        if fields.get(key) is not None:
            value = fields[key]
            data[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    if fields.get("dossiers"):
        data["dossier"] = [
            {"number": d.number, "title": d.title} if d.title else d.number for d in fields["dossiers"]
        ]
    if fields.get("tags"):
        data["tags"] = list(fields["tags"])
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def apply_sidecar(letter: Letter, path: Path) -> Letter:
    """`letter` with the sidecar at `path` applied; its problems join the letter's warnings."""
    fields, warnings = read_sidecar(path)
    dossiers = fields.get("dossiers")
    if dossiers is not None and letter.dossiers:
        # Keep a parsed dossier title where the sidecar gives only the number.
        parsed = {d.number: d.title for d in letter.dossiers}
        fields["dossiers"] = tuple(
            d if d.title else dataclasses.replace(d, title=parsed.get(d.number)) for d in dossiers
        )
    return dataclasses.replace(letter, **fields, warnings=letter.warnings + tuple(warnings))
