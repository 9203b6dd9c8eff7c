"""Reading the small YAML files a user writes (sidecars, the config) without trusting them.

One reader for both, so every YAML file briefreader opens gets the same guarantees:

- `yaml.safe_load` semantics only: `!!python/...` tags are refused, never executed;
- dates stay text: PyYAML turns `date: 2021-02-30` into a `datetime.date` while loading and raises
  a bare `ValueError` (no file, no line) when the day doesn't exist; here timestamps load as
  strings and the caller checks them, naming the file and the line;
- limits: a file larger than `MAX_YAML_BYTES` is not parsed at all, nesting deeper than
  `MAX_YAML_DEPTH` is refused before PyYAML's recursive constructor can hit Python's recursion
  limit;
- every problem is a `YamlProblem` carrying the file, the line (when known) and a short text, so
  the caller prints one line and goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "YamlFile", "YamlProblem", "read_yaml"]

#: A sidecar or config is a handful of lines; 256 KiB is far beyond any real one and still parses
#: in milliseconds. Larger files (a runaway generator, 870,000 tags) are refused unread.
MAX_YAML_BYTES = 256 * 1024
#: Real sidecars and configs nest two or three levels (`dossier: [{number, title}]`). Deeper
#: nesting is refused before PyYAML's recursive constructor could exhaust Python's stack.
MAX_YAML_DEPTH = 20


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML file could not be used: `str()` is `FILE: line N: problem`."""

    path: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        return self.message()

    def message(self, outcome: str = "") -> str:
        """`FILE: line N: OUTCOME: problem` (`outcome` e.g. "sidecar ignored"), one line."""
        where = f" line {self.line}:" if self.line is not None else ""
        said = f" {outcome}:" if outcome else ""
        return f"{self.path}:{where}{said} {self.problem}"


#: libyaml's parser when PyYAML was built with it (the usual wheels are): same safe constructor,
#: about ten times faster on a large file.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DataLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that keeps timestamps as text (the caller checks dates itself)."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _number_or_text(construct):
    """A number constructor that keeps the text when PyYAML's own fails on what its resolver took
    for a number (`0x_`, `0b_`: `int('', 16)` raises ValueError while loading)."""

    def constructor(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return constructor


for _tag, _construct in (("int", yaml.SafeLoader.construct_yaml_int), ("float", yaml.SafeLoader.construct_yaml_float)):
    _DataLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _number_or_text(_construct))


def _depth_problem(raw: str) -> int | None:
    """The line where nesting first goes deeper than `MAX_YAML_DEPTH`, else None.

    Walks the parser's event stream (flat, no recursion), so it is safe on any input. libyaml
    stops at its own depth limit (1,000) with an error, which is the same finding.
    """
    depth = 0
    events = yaml.parse(raw, Loader=_DataLoader)
    try:
        for event in events:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in (error.problem or ""):
            mark = error.problem_mark
            return mark.line + 1 if mark is not None else 1
        raise
    return None


def _marked(error: yaml.MarkedYAMLError, lines: int) -> tuple[int | None, str]:
    """The line (1-based) and a short description of a YAML syntax or constructor error."""
    mark = error.problem_mark or error.context_mark
    # An error found at the end of the file (an unclosed `[`) is better placed where it began.
    if mark is not None and mark.line >= lines and error.context_mark is not None:
        mark = error.context_mark
    problem = (error.problem or error.context or "malformed YAML").strip()
    tag = re.search(r"tag '?(tag:yaml\.org,2002:)?([^'\s]+)'?", problem)
    if "could not determine a constructor" in problem or (tag and "python/" in tag.group(2)):
        name = tag.group(2) if tag else "?"
        problem = f"refused the tag !!{name} (plain data only)"
    else:
        problem = f"not valid YAML ({problem})"
    return (mark.line + 1 if mark is not None else None), problem


@dataclass(frozen=True)
class YamlFile:
    """A YAML file's data, and the line (1-based) each top-level key of a mapping stands on."""

    data: Any
    key_lines: dict[Any, int]


def _load(raw: str) -> YamlFile:
    loader = _DataLoader(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlFile(None, {})
        lines = {}
        if isinstance(node, yaml.MappingNode):
            lines = {k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)}
        return YamlFile(loader.construct_document(node), lines)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> YamlFile:
    """Load the YAML file at `path` as plain data, with the lines of its top-level keys.

    Raises `FileNotFoundError` for a missing file (the caller decides whether that matters) and
    `YamlProblem` for anything else that makes the file unusable.
    """
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise YamlProblem(name, "is a folder, not a file") from None
    except PermissionError:
        raise YamlProblem(name, "not read (permission denied)") from None
    except OSError as error:
        raise YamlProblem(name, f"not read ({error.strerror or error.__class__.__name__})") from None
    if len(data) > MAX_YAML_BYTES:
        raise YamlProblem(name, f"larger than {MAX_YAML_BYTES // 1024} KiB: not read")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlProblem(name, "not UTF-8 text") from None
    try:
        deep = _depth_problem(raw)
        if deep is not None:
            raise YamlProblem(name, f"nested deeper than {MAX_YAML_DEPTH} levels", deep)
        return _load(raw)
    except yaml.MarkedYAMLError as error:
        line, problem = _marked(error, len(raw.splitlines()))
        raise YamlProblem(name, problem, line) from None
    except yaml.YAMLError as error:
        raise YamlProblem(name, str(error).splitlines()[0] if str(error) else "malformed YAML") from None
    except RecursionError:  # belt and braces: the depth check should have caught it
        raise YamlProblem(name, f"nested deeper than {MAX_YAML_DEPTH} levels") from None
