"""The command line's output: Rich consoles that never pass a control character from data through.

Every command prints through `console()` (or `error_line()` / `dump_json()`), so whatever a letter,
sidecar, file name or query holds reaches the terminal through `briefreader.sanitise.visible`:
the consoles carry a render hook (Rich's public `RenderHook`) that rewrites the text of every
segment after rendering. Rich's own styling travels in segment styles and control segments, which
the hook leaves alone, so colours and progress bars still work.
"""

from __future__ import annotations

import json
import re
import sys
from typing import IO, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment

from briefreader.sanitise import visible

__all__ = ["console", "error_line", "dump_json"]


class _Visible:
    """A renderable that renders another one and makes the text of its segments visible."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or not segment.text:
                yield segment
            else:
                text = visible(segment.text)
                yield segment if text is segment.text else Segment(text, segment.style)


class _VisibleHook(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Visible(renderable) for renderable in renderables]


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console for a command's output (`stderr=True`: for messages and progress).

    Highlighting is off (data is not code) and every segment passes through `visible()`.
    """
    options.setdefault("highlight", False)
    made = Console(stderr=stderr, **options)
    made.push_render_hook(_VisibleHook())
    return made


def error_line(message: str, stream: IO[str] | None = None) -> None:
    """Print one plain line (`briefreader: …` errors) with its controls made visible."""
    print(visible(message, newlines=False), file=stream or sys.stderr)


# JSON escapes U+0000-U+001F itself; with ensure_ascii=False it writes the rest raw.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def dump_json(data: Any, stream: IO[str] | None = None) -> None:
    """Write `data` as indented JSON (UTF-8 text) and a newline.

    Strings keep their content exactly (a script gets the real value), but DEL, C1 controls,
    bidi overrides and lone surrogates are written as `\\uXXXX` escapes, as JSON allows, so
    the output is safe to show on a terminal too.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    out = stream or sys.stdout
    out.write(text)
    out.write("\n")

