"""A window of a paragraph around its matches, for a hit list."""

from __future__ import annotations

from briefreader.search.highlight import Span

#: A snippet is at most about this many characters.
SNIPPET_WIDTH = 240
#: Where the window starts: this share of the width before the first match it shows.
LEAD_SHARE = 4
#: A cut looks this many characters back or forward for a space, so it falls between words.
WORD_BOUNDARY_REACH = 30


def make_snippet(text: str, spans: list[Span], width: int = SNIPPET_WIDTH) -> tuple[str, tuple[Span, ...]]:
    """A window of at most about `width` characters of `text` around the matches, with `…` where
    it was cut, and the spans moved into it (spans that don't fit are left out)."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text, tuple(spans)
    lead = width // LEAD_SHARE
    best_start, best_count = 0, -1
    for anchor, _ in spans or [(0, 0)]:
        start = max(0, anchor - lead)
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = best_start
    end = min(len(text), start + width)
    if end == len(text):
        start = max(0, end - width)
    # Cut at word boundaries, never inside a highlighted word.
    if start > 0:
        space = text.find(" ", start, start + WORD_BOUNDARY_REACH)
        first = min((s for s, e in spans if e > start), default=None)
        if space != -1 and (first is None or space < first):
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", end - WORD_BOUNDARY_REACH, end)
        if space > start:
            end = space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end].strip() + suffix
    shift = len(prefix) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    moved = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return snippet, moved


__all__ = ["SNIPPET_WIDTH", "make_snippet"]
