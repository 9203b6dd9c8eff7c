"""Finding a matching letter's best paragraphs from where its words stand.

A letter is one document; its stored layout says which word numbers each paragraph and footnote
holds (see `briefreader.index.documents`). For the letters a search shows, the positions of the
query's words are read from the index and mapped to blocks: the best paragraphs are those that
hold the most of the query's words (units: a word, a phrase, a prefix with its completions),
nearest together. The same mapping says whether all the words stand in one paragraph, or at least
in one section, which earns the letter a ranking bonus (`PARAGRAPH_BONUS`, `SECTION_BONUS`).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from briefreader.index import NOTES_FIELD, TEXT_FIELD, Block, Layout
from briefreader.index.whoosh_private import read_positions
from briefreader.search.plan import Plan

#: A letter with every query word in one paragraph (or footnote) scores this much more...
PARAGRAPH_BONUS = 0.5
#: ...and one with every query word in one section (but not one paragraph) this much more. A
#: letter about Oekraïne in one section and Moldavië in another matches `oekraine moldavie`; one
#: that treats both in one paragraph is likelier what the user asked for.
SECTION_BONUS = 0.2
#: How many paragraphs or footnotes a letter shows as its snippets.
SNIPPETS_PER_LETTER = 3
#: How many completions of a prefix are looked for in the paragraphs (the most frequent).
LOCATED_COMPLETIONS = 8

Occurrence = tuple[int, int]  # (unit, position)


@dataclass(frozen=True)
class BlockMatch:
    """A block holding query words: which units, how often, how close together."""

    index: int
    block: Block
    units: frozenset[int]
    occurrences: int
    #: The fewest word positions that hold one occurrence of every unit found here.
    span: int

    @property
    def score(self) -> float:
        """How well the block matches (more units, then closer, then more often), for ordering."""
        return len(self.units) + min(self.occurrences, 20) / 100 - min(self.span, 999) / 100_000


@dataclass(frozen=True)
class LetterMatch:
    """Where a letter's query words stand: its matching blocks (reading order) and its bonus."""

    layout: Layout
    blocks: tuple[BlockMatch, ...]
    #: 1 + PARAGRAPH_BONUS, 1 + SECTION_BONUS or 1.
    proximity: float

    def best(self, count: int = SNIPPETS_PER_LETTER) -> list[BlockMatch]:
        """The best `count` blocks, best first (ties in reading order)."""
        return sorted(self.blocks, key=lambda match: (-match.score, match.index))[:count]


#: How many positions (of terms in letters) a searcher keeps for the next searches, about 40
#: bytes each: typing on shows mostly the same letters again, and their positions cost a posting
#: block each to read. A search reads a few thousand.
POSITIONS_CACHE_SIZE = 500_000


class PositionsCache:
    """Positions read by earlier searches on one searcher: (segment, field, term) -> {docnum:
    positions, or None where the letter does not hold the term}; least recently used term out
    (the one being read stays, however many it holds)."""

    def __init__(self, budget: int = POSITIONS_CACHE_SIZE):
        self.budget = budget
        self.size = 0
        self._terms: OrderedDict[tuple[int, str, str], dict[int, list[int] | None]] = OrderedDict()

    def read(self, key: tuple[int, str, str], docnums: list[int], read: Callable[[list[int]], dict[int, list[int]]]) -> dict[int, list[int]]:
        """The positions in each of `docnums` that holds the term, reading only those not kept."""
        known = self._terms.get(key)
        if known is None:
            known = self._terms[key] = {}
        else:
            self._terms.move_to_end(key)
        missing = [d for d in docnums if d not in known]
        if missing:
            found = read(missing)
            for docnum in missing:
                where = known[docnum] = found.get(docnum)
                self.size += 1 + (len(where) if where else 0)
            while self.size > self.budget and len(self._terms) > 1:
                _, dropped = self._terms.popitem(last=False)
                self.size -= sum(1 + (len(where) if where else 0) for where in dropped.values())
        result = {}
        for docnum in docnums:
            where = known[docnum]
            if where is not None:
                result[docnum] = where
        return result


def positions(searcher: Searcher, fieldname: str, term: str, docnums: Iterable[int]) -> dict[int, list[int]]:
    """The positions of `term` in `fieldname` of each of `docnums` (global) that holds it (lists
    shared with later searches: never change them)."""
    wanted = sorted(set(docnums))
    found: dict[int, list[int]] = {}
    if not wanted:
        return found
    cache = getattr(searcher, "briefreader_cache", None)
    caches = cache.get("postings", {}) if cache is not None else {}
    kept = cache.setdefault("positions", PositionsCache()) if cache is not None else None
    for leaf, offset in searcher.leaf_searchers():
        size = leaf.reader().doc_count_all()
        local = [d - offset for d in wanted if offset <= d < offset + size]
        if not local:
            continue
        # A posting list the search read already says which of them hold the term at all.
        known = caches[offset].get((fieldname, term)) if offset in caches else None
        if known is not None:
            holding = set(known[0])
            local = [d for d in local if d in holding]
        reader = leaf.reader()

        def read(docnums: list[int], reader: IndexReader = reader) -> dict[int, list[int]]:
            return read_positions(reader, fieldname, term, docnums)

        here = kept.read((offset, fieldname, term), local, read) if kept is not None else read(local)
        for docnum, where in here.items():
            found[docnum + offset] = where
    return found


def _span(occurrences: list[Occurrence], units: int) -> int:
    """The smallest window of positions holding every one of `units` distinct units."""
    occurrences.sort(key=lambda item: item[1])
    counts: dict[int, int] = {}
    best = 1 << 30
    left = 0
    for unit, position in occurrences:
        counts[unit] = counts.get(unit, 0) + 1
        while len(counts) == units:
            best = min(best, position - occurrences[left][1])
            first = occurrences[left][0]
            counts[first] -= 1
            if not counts[first]:
                del counts[first]
            left += 1
    return best


def _starts(searcher: Searcher, fieldname: str, words: tuple[str, ...], docnums: list[int]) -> dict[int, list[int]]:
    """Where the phrase `words` starts in each letter (a word is a phrase of one)."""
    first = positions(searcher, fieldname, words[0], docnums)
    if len(words) == 1:
        return first
    later = [positions(searcher, fieldname, word, first) for word in words[1:]]
    result = {}
    for docnum, starts in first.items():
        following = [set(found.get(docnum, ())) for found in later]
        hits = [p for p in starts if all(p + k + 1 in seen for k, seen in enumerate(following))]
        if hits:
            result[docnum] = hits
    return result


def locate(searcher: Searcher, plan: Plan, layouts: dict[int, Layout]) -> dict[int, LetterMatch]:
    """Where the plan's word units stand in each letter of `layouts` (global document numbers)."""
    docnums = sorted(layouts)
    # unit -> field -> docnum -> positions
    found: list[dict[str, dict[int, list[int]]]] = []
    for alternatives in plan.units:
        per_field: dict[str, dict[int, list[int]]] = {TEXT_FIELD: {}, NOTES_FIELD: {}}
        for words in alternatives[:LOCATED_COMPLETIONS]:
            for fieldname in (TEXT_FIELD, NOTES_FIELD):
                for docnum, starts in _starts(searcher, fieldname, words, docnums).items():
                    per_field[fieldname].setdefault(docnum, []).extend(starts)
        found.append(per_field)
    sections = _allowed_sections(searcher, plan, layouts) if plan.sections else None
    units = len(plan.units)
    result: dict[int, LetterMatch] = {}
    for docnum in docnums:
        layout = layouts[docnum]
        blocks = layout.blocks
        # Per field: its blocks' first word numbers (ascending) and their indexes in the layout,
        # made for the fields that hold a unit here.
        in_fields: dict[str, tuple[list[int], list[int]]] = {}
        occurrences: dict[int, list[Occurrence]] = {}
        for unit, per_field in enumerate(found):
            for fieldname, starts_of in per_field.items():
                where = starts_of.get(docnum)
                if not where:
                    continue
                in_field = in_fields.get(fieldname)
                if in_field is None:
                    indexes = [i for i, block in enumerate(blocks) if block.field == fieldname]
                    in_field = in_fields[fieldname] = ([blocks[i].start for i in indexes], indexes)
                starts, indexes = in_field
                for position in where:
                    i = bisect.bisect_right(starts, position) - 1
                    if i >= 0:
                        index = indexes[i]
                        if position < blocks[index].end:
                            occurrences.setdefault(index, []).append((unit, position))
        matches = []
        for index in sorted(occurrences):
            block = layout.blocks[index]
            allowed = sections.get(docnum, set()) if sections is not None else None
            if allowed is not None and block.section not in allowed:
                continue
            hits = occurrences[index]
            present = frozenset(unit for unit, _ in hits)
            matches.append(BlockMatch(index, block, present, len(hits), _span(list(hits), len(present))))
        if sections is not None and not matches:
            # A section filter without words: the paragraphs of those sections.
            allowed = sections.get(docnum, set())
            matches = [BlockMatch(i, b, frozenset(), 0, 0) for i, b in enumerate(layout.blocks) if b.section in allowed]
        proximity = 1.0
        if units > 1:
            if any(len(match.units) == units for match in matches):
                proximity = 1 + PARAGRAPH_BONUS
            else:
                per_section: dict[int, set[int]] = {}
                for match in matches:
                    per_section.setdefault(match.block.section, set()).update(match.units)
                if any(len(present) == units for present in per_section.values()):
                    proximity = 1 + SECTION_BONUS
        result[docnum] = LetterMatch(layout, tuple(matches), proximity)
    return result


def _allowed_sections(searcher: Searcher, plan: Plan, layouts: dict[int, Layout]) -> dict[int, set[int]]:
    """Per letter, the sections whose title holds one of the plan's `section:` terms."""
    result: dict[int, set[int]] = {}
    for term in plan.sections:
        for docnum, found in positions(searcher, "heading", term, layouts).items():
            headings = layouts[docnum].headings
            result.setdefault(docnum, set()).update(
                index for index, (start, end) in enumerate(headings) if any(start <= p < end for p in found)
            )
    return result


__all__ = ["LOCATED_COMPLETIONS", "POSITIONS_CACHE_SIZE", "PositionsCache", "PARAGRAPH_BONUS", "SECTION_BONUS", "SNIPPETS_PER_LETTER", "BlockMatch", "LetterMatch", "locate", "positions"]
