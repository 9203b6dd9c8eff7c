"""Metadata sidecars: `NAME.yaml` beside `NAME.txt|pdf|xml` holds what the user knows better.

A sidecar may set `title`, `date` (YYYY-MM-DD), `dossier` (a number, or `{number, title}`, or a list
of those), `number`, `tags` and `notes`. Its values override what the parser found. A sidecar that
cannot be read never stops a letter from opening: it becomes a warning naming the file and the line.
Only `yaml.safe_load` is used, so `!!python/...` tags are refused, never executed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from briefreader.model import Dossier, Letter

SIDECAR_SUFFIXES = (".yaml", ".yml")
KNOWN_KEYS = {"title", "date", "dossier", "number", "tags", "notes"}


def sidecar_path(letter_path: Path) -> Path | None:
    """The sidecar beside `letter_path`, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = letter_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _normalise_dossier(value: str) -> str:
    """`32 317` -> `32317`, `36 410 VI` -> `36410-VI`, `21 501-20` -> `21501-20`."""
    value = value.strip()
    match = re.fullmatch(r"(\d{2})\s?(\d{3})(?:\s*[- ]\s*([0-9]{2}|[IVXLC]+[AB]?|[A-Z]{1,2}))?", value)
    if not match:
        return value
    base = match.group(1) + match.group(2)
    return f"{base}-{match.group(3)}" if match.group(3) else base


def _dossiers(value: Any) -> tuple[Dossier, ...]:
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, dict):
            number = item.get("number")
            if number is None:
                raise ValueError("a dossier needs a number")
            title = item.get("title")
            result.append(Dossier(_normalise_dossier(str(number)), None if title is None else str(title)))
        elif isinstance(item, (str, int)):
            result.append(Dossier(_normalise_dossier(str(item))))
        else:
            raise ValueError("dossier must be a number, {number, title} or a list of those")
    return tuple(result)


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar's fields, checked and converted, and the warnings about what was left out."""
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"{name}: sidecar not read ({error.__class__.__name__})"]
    try:
        data = yaml.safe_load(raw)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = (error.problem or error.context or "malformed YAML").strip()
        if "python/" in problem or "could not determine a constructor" in problem:
            problem = "refused a tag that is not plain data"
        return {}, [f"{name}:{where}: sidecar ignored: {problem}"]
    except yaml.YAMLError as error:
        return {}, [f"{name}: sidecar ignored: {error}"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{name}: sidecar ignored: expected `key: value` pairs"]

    fields: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in data.items():
        try:
            if key not in KNOWN_KEYS:
                raise ValueError(f"unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
            if value is None:
                continue
            if key == "date":
                if isinstance(value, dt.datetime):
                    value = value.date()
                elif not isinstance(value, dt.date):
                    value = dt.date.fromisoformat(str(value).strip())
                fields["date"] = value
            elif key == "dossier":
                fields["dossiers"] = _dossiers(value)
            elif key == "tags":
                tags = value if isinstance(value, list) else str(value).split(",")
                fields["tags"] = tuple(str(tag).strip() for tag in tags if str(tag).strip())
            elif isinstance(value, (str, int, float)):
                fields[key] = str(value).strip()
            else:
                raise ValueError("expected text")
        except ValueError as error:
            warnings.append(f"{name}: `{key}` ignored: {error}")
    return fields, warnings


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
