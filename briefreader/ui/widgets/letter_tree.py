"""The tree on the left: the letters newest first, grouped by dossier where several share one, and
under each letter its sections. Built from the index's stored fields; nothing is parsed here.

A big corpus is grouped by year first (and a busy year by month), and a group's letters become
tree nodes only when the group is opened: Textual's `Tree` measures every visible row whenever it
changes, so 10,000 letters as rows cost seconds, and a dozen years cost nothing. The grouping
itself (which letters fall in which year and month) is plain Python over the letter list,
`group_letters`, run by the reader in the thread that reads the list; the dossiers of a group are
found when it is opened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from briefreader.display import dutch_date
from briefreader.ui import render
from briefreader.ui.library import LetterEntry

#: Up to this many letters a group (the corpus, a year, a month) lists its letters itself; a
#: bigger corpus is split by year and a bigger year by month, so an opened group never makes the
#: tree measure more than a few hundred rows.
GROUP_LIMIT = 300
#: The group for letters without a date.
UNDATED = "undated"


@dataclass(frozen=True)
class TreeData:
    """What a tree node stands for: a period (year `2021`, month `2021-08`, or `undated`), a dossier
    group, a letter, or a section of a letter."""

    kind: Literal["period", "dossier", "letter", "section"]
    letter: str | None = None
    paragraph: int | None = None
    dossier: str | None = None
    period: str | None = None


def period_of(info: LetterEntry, length: int) -> str:
    """The year (`length` 4) or month (`length` 7) a letter falls in, or `UNDATED`."""
    date = info.date or ""
    return date[:length] if len(date) >= length and date[:4].isdigit() else UNDATED


def _group(letters: Sequence[LetterEntry], length: int) -> dict[str, list[LetterEntry]]:
    """`letters` by year (`length` 4) or month (7), in order; the same as `period_of`, in one tight
    loop (a function call per letter would cost most of a second at 100,000 letters)."""
    groups: dict[str, list[LetterEntry]] = {}
    for info in letters:
        part = (info.date or "")[:length]
        key = part if len(part) == length and part[:4].isdigit() else UNDATED
        members = groups.get(key)
        if members is None:
            members = groups[key] = []
        members.append(info)
    return groups


@dataclass(frozen=True)
class Listing:
    """The letter list as the tree groups it, made by `group_letters` in the worker thread that
    reads the list (100,000 letters take a few tenths of a second to group), so that the event
    loop only adds the few nodes of the top level."""

    #: Every letter by id, newest first.
    letters: dict[str, LetterEntry]
    #: period -> its letters (newest first), for every period of the grouping; {} in a small corpus.
    members: dict[str, list[LetterEntry]]
    #: The years whose letters are grouped by month.
    split: frozenset[str]
    #: The years, newest first (the tree's top level); () in a small corpus.
    years: tuple[str, ...]


def group_letters(letters: Iterable[LetterEntry]) -> Listing:
    """Group `letters` (newest first) for the tree: up to `GROUP_LIMIT` they are listed as they
    are; more are grouped by year, and a year of more than `GROUP_LIMIT` by month."""
    letters = list(letters)
    by_id = {info.id: info for info in letters}
    if len(letters) <= GROUP_LIMIT:
        return Listing(by_id, {}, frozenset(), ())
    years = _group(letters, 4)
    members = dict(years)
    split: set[str] = set()
    for year, in_year in years.items():
        if len(in_year) > GROUP_LIMIT and year != UNDATED:
            split.add(year)
            members.update(_group(in_year, 7))
    return Listing(by_id, members, frozenset(split), tuple(years))


def _free_in_a_thread(letters: dict[str, LetterEntry], members: dict[str, list[LetterEntry]]) -> None:
    """Let go of a letter list the tree no longer shows, bit by bit in a thread: freed at once, on
    the event loop, 100,000 letters hold it up for a few tenths of a second."""

    def free() -> None:
        for in_period in members.values():
            in_period.clear()
        members.clear()
        while letters:
            letters.popitem()

    threading.Thread(target=free, name="free-letter-list", daemon=True).start()


def period_name(period: str) -> str:
    """`2021` -> `2021`, `2021-08` -> `augustus 2021`, `undated` -> `Undated`."""
    if period == UNDATED:
        return "Undated"
    if len(period) == 7:
        return dutch_date(period + "-01").split(" ", 1)[1]
    return period


class LetterTree(Tree[TreeData]):
    """The letters of the corpus and their sections; Enter or a click opens one."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        Binding("space", "toggle_node", "Expand", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        # The (hidden) root's label as Text: a string would be parsed as markup, which imports Rich's
        # emoji table at start-up.
        super().__init__(Text("Letters"), data=TreeData("period"), **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._letters: dict[str, LetterEntry] = {}
        self._new: set[str] = set()
        #: period -> its letters (newest first), for every period of the grouping.
        self._members: dict[str, list[LetterEntry]] = {}
        #: The years whose letters are grouped by month.
        self._split: frozenset[str] = frozenset()
        self._period_nodes: dict[str, TreeNode[TreeData]] = {}
        self._letter_nodes: dict[str, TreeNode[TreeData]] = {}
        #: The letter the cursor goes to once the tree has a size (asked for before it had one).
        self._cursor_pending: str | None = None
        #: The dossier groups made so far: (node, dossier number, dossier title, its letters).
        self._dossier_groups: list[tuple[TreeNode[TreeData], str, str | None, list[LetterEntry]]] = []

    # -- filling ------------------------------------------------------------------------------------

    def set_letters(self, letters: Listing | Iterable[LetterEntry], *, new: Iterable[str] = ()) -> None:
        """Show `letters` (newest first, or grouped already by `group_letters`); `new` are the ids
        to mark as new.

        No tree nodes below the years: with the grouping made, 100,000 letters take about 15 ms
        here. The list shown before is let go in a thread (`_free_in_a_thread`).
        """
        listing = letters if isinstance(letters, Listing) else group_letters(letters)
        if len(self._letters) > GROUP_LIMIT and self._letters is not listing.letters:
            _free_in_a_thread(self._letters, self._members)
        self._letters = listing.letters
        self._new = set(new) & self._letters.keys()
        self._members, self._split = listing.members, listing.split
        self._period_nodes, self._letter_nodes, self._dossier_groups = {}, {}, []
        self.clear()
        if not listing.years:
            self._add_letters(self.root, list(listing.letters.values()))
            return
        for year in listing.years:
            node = self.root.add(self._period_label(year), data=TreeData("period", period=year), allow_expand=True)
            self._period_nodes[year] = node

    def show_listing(self) -> None:
        """Say that the letters are being listed (until `set_letters`)."""
        self.set_letters(())
        self.root.add_leaf(render.tree_listing_label())

    def _path(self, info: LetterEntry) -> tuple[str, ...]:
        """The periods a letter sits under (outermost first), e.g. ("2021", "2021-08"); () in a small corpus."""
        if not self._period_nodes:
            return ()
        year = period_of(info, 4)
        return (year, period_of(info, 7)) if year in self._split else (year,)

    def _period_label(self, period: str):
        members = self._members.get(period, ())
        new = sum(1 for info in members if info.id in self._new) if self._new else 0
        return render.tree_period_label(period_name(period), len(members), new)

    def _fill_period(self, node: TreeNode[TreeData]) -> None:
        """Add a year's months (or letters), or a month's letters, the first time it is opened."""
        data = node.data
        if data is None or data.kind != "period" or data.period is None or node.children:
            return
        period = data.period
        members = self._members.get(period, [])
        months = list(dict.fromkeys(period_of(info, 7) for info in members)) if period in self._split else []
        if months:
            for month in months:
                child = node.add(self._period_label(month), data=TreeData("period", period=month), allow_expand=True)
                self._period_nodes[month] = child
        else:
            self._add_letters(node, members)

    def _add_letters(self, parent: TreeNode[TreeData], letters: Sequence[LetterEntry]) -> None:
        """Add letters under `parent`, grouped by dossier where several share one."""
        groups: dict[str, list[LetterEntry]] = {}
        for info in letters:
            if info.dossiers:
                groups.setdefault(str(info.dossiers[0][0]), []).append(info)
        placed: set[str] = set()
        for info in letters:
            if info.id in placed:
                continue
            key = str(info.dossiers[0][0]) if info.dossiers else None
            members = groups.get(key, []) if key else []
            if len(members) > 1:
                title = next((d[1] for m in members for d in m.dossiers[:1] if d[1]), None)
                group = parent.add(self._dossier_label(key, title, members), data=TreeData("dossier", dossier=key))  # type: ignore[arg-type]
                self._dossier_groups.append((group, key, title, members))  # type: ignore[arg-type]
                for member in members:
                    self._add_letter(group, member)
                    placed.add(member.id)
            else:
                self._add_letter(parent, info)
                placed.add(info.id)

    def _dossier_label(self, number: str, title: str | None, members: Sequence[LetterEntry]):
        new = sum(1 for info in members if info.id in self._new)
        return render.tree_dossier_label(number, title, len(members), new)

    def _letter_label(self, info: LetterEntry):
        return render.tree_letter_label(info.date, render.short_title(info.title, info.id), new=info.id in self._new)

    def _add_letter(self, parent: TreeNode[TreeData], info: LetterEntry) -> None:
        node = parent.add(self._letter_label(info), data=TreeData("letter", letter=info.id), allow_expand=bool(info.sections))
        self._letter_nodes[info.id] = node

    def _add_sections(self, node: TreeNode[TreeData]) -> None:
        """Sections are added when a letter is first expanded."""
        data = node.data
        if data is None or data.kind != "letter" or node.children:
            return
        info = self._letters.get(data.letter or "")
        for section in getattr(info, "sections", ()) or ():
            node.add_leaf(
                render.tree_section_label(section.title),
                data=TreeData("section", letter=data.letter, paragraph=section.paragraph),
            )

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[TreeData]) -> None:
        self._fill_period(event.node)
        self._add_sections(event.node)

    # -- finding ------------------------------------------------------------------------------------

    def _materialise(self, letter_id: str) -> TreeNode[TreeData] | None:
        """The node of `letter_id`, creating the period nodes above it (opened) if needed."""
        node = self._letter_nodes.get(letter_id)
        if node is not None or letter_id not in self._letters:
            return node
        for period in self._path(self._letters[letter_id]):
            period_node = self._period_nodes.get(period)
            if period_node is None:
                return None
            self._fill_period(period_node)
            period_node.expand()
        return self._letter_nodes.get(letter_id)

    def open_newest(self) -> None:
        """Open the groups that hold the newest letters (a big corpus starts with its latest year)."""
        first = next(iter(self._letters), None)
        if first is not None:
            self._materialise(first)

    def show_letter(self, letter_id: str, *, expand: bool = True) -> None:
        """Move the cursor to `letter_id` (opening its groups and, if asked, its sections)."""
        node = self._materialise(letter_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        if expand and node.allow_expand:
            self._add_sections(node)
            node.expand()
        if not self.size.height:
            # No place to scroll to yet: the cursor moves after the next refresh, to the letter
            # asked for last (a letter shown meanwhile, once the tree has its size, wins).
            if self._cursor_pending is None:
                self.call_after_refresh(self._move_to_pending)
            self._cursor_pending = letter_id
            return
        self._cursor_pending = None
        # At once, so the tree is drawn once with the letter, not again a frame later (a long
        # letter's sections are many lines). `get_node_at_line` brings the tree's lines up to date
        # (Textual rebuilds them lazily, and `node.line` is only right after that).
        self.get_node_at_line(0)
        self.move_cursor(node, animate=False)

    def _move_to_pending(self) -> None:
        letter_id, self._cursor_pending = self._cursor_pending, None
        node = self._letter_nodes.get(letter_id) if letter_id is not None else None
        if node is not None:
            self.move_cursor(node, animate=False)

    def letter_node(self, letter_id: str) -> TreeNode[TreeData] | None:
        """The tree node of a letter (None while its group has not been opened)."""
        return self._letter_nodes.get(letter_id)

    # -- new letters --------------------------------------------------------------------------------

    @property
    def new_letters(self) -> set[str]:
        """The letters marked new."""
        return set(self._new)

    def mark_new(self, letter_ids: Iterable[str]) -> None:
        """Mark `letter_ids` as new (arrived since the reader was last opened)."""
        self._new = set(letter_ids) & self._letters.keys()
        for letter_id, node in self._letter_nodes.items():
            info = self._letters[letter_id]
            node.set_label(self._letter_label(info))
        for period, node in self._period_nodes.items():
            node.set_label(self._period_label(period))
        for node, number, title, members in self._dossier_groups:
            node.set_label(self._dossier_label(number, title, members))

    def expanded_letters(self) -> list[str]:
        """The letters whose sections are shown (to keep them open when the tree is filled again)."""
        return [letter_id for letter_id, node in self._letter_nodes.items() if node.is_expanded]
