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


def _yaml_problem(error: yaml.MarkedYAMLError, lines: int) -> tuple[int | None, str]:
    """The line (1-based) and a short description of a YAML error."""
    mark = error.problem_mark or error.context_mark
    # An error found at the end of the file (an unclosed `[`) is better placed where it began.
    if mark is not None and mark.line >= lines and error.context_mark is not None:
        mark = error.context_mark
    problem = (error.problem or error.context or "malformed YAML").strip()
    tag = re.search(r"tag '?(tag:yaml\.org,2002:)?([^'\s]+)'?", problem)
    if "could not determine a constructor" in problem or (tag and "python/" in tag.group(2)):
        name = tag.group(2) if tag else "?"
        problem = f"refused the tag !!{name} (a sidecar holds plain data only)"
    return (mark.line + 1 if mark is not None else None), problem


def _key_lines(raw: str) -> dict[Any, int]:
    """The line each top-level key stands on, for warnings (composing builds no objects)."""
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _value in node.value if isinstance(key, yaml.ScalarNode)}


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar's fields, checked and converted, and the warnings about what was left out.

    Every warning names the file and, where it can, the line: `notes.yaml: line 3: ...`.
    """
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return {}, [f"{name}: sidecar ignored: not UTF-8 text"]
    except OSError as error:
        return {}, [f"{name}: sidecar not read ({error.strerror or error.__class__.__name__})"]
    try:
        data = yaml.safe_load(raw)
    except yaml.MarkedYAMLError as error:
        line, problem = _yaml_problem(error, len(raw.splitlines()))
        where = f" line {line}:" if line is not None else ""
        return {}, [f"{name}:{where} sidecar ignored: {problem}"]
    except yaml.YAMLError as error:
        return {}, [f"{name}: sidecar ignored: {error}"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{name}: line 1: sidecar ignored: expected `key: value` pairs (title, date, dossier, ...)"]

    lines = _key_lines(raw)
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
                    try:
                        value = dt.date.fromisoformat(str(value).strip()) if _scalar(value) else None
                    except ValueError:
                        value = None
                    if value is None:
                        raise ValueError("not a date (write it as YYYY-MM-DD)")
                fields["date"] = value
            elif key == "dossier":
                fields["dossiers"] = _dossiers(value)
            elif key == "tags":
                tags = value if isinstance(value, list) else [value]
                if not all(_scalar(tag) for tag in tags):
                    raise ValueError("tags must be a list of words")
                split = [part for tag in tags for part in str(tag).split(",")]
                fields["tags"] = tuple(dict.fromkeys(tag.strip() for tag in split if tag.strip()))
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
