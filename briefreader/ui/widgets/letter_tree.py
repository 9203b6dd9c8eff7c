"""The tree on the left: letters newest first (grouped by dossier where several share one), and
under each letter its sections. Built from the index's stored fields; nothing is parsed here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from briefreader.ui import render


@dataclass(frozen=True)
class TreeData:
    """What a tree node stands for: a dossier group, a letter, or a section of a letter."""

    kind: Literal["dossier", "letter", "section"]
    letter: str | None = None
    paragraph: int | None = None
    dossier: str | None = None


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
        super().__init__("Letters", data=TreeData("dossier"), **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._letters: dict[str, object] = {}
        self._bulk = False
        self._letter_nodes: dict[str, TreeNode[TreeData]] = {}

    def set_letters(self, letters: Iterable[object]) -> None:
        """Show `letters` (LetterInfo-like, newest first), grouped by dossier where several share one."""
        letters = list(letters)
        self.clear()
        self._bulk = True
        try:
            self._fill(letters)
        finally:
            self._bulk = False
            self._invalidate()

    def _invalidate(self) -> None:
        # Tree re-lays itself out after every single `add`; for 10,000 letters that alone took most
        # of a second. While filling, the one invalidation at the end is enough. (Tree._invalidate
        # is Textual's private hook; pyproject pins textual below 9.)
        if not getattr(self, "_bulk", False):
            super()._invalidate()

    def _fill(self, letters: list) -> None:
        """Add the letters, grouped, under the root."""
        self._letters = {info.id: info for info in letters}
        self._letter_nodes = {}
        groups: dict[str, list[object]] = {}
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
                group = self.root.add(
                    render.tree_dossier_label(key, title, len(members)),
                    data=TreeData("dossier", dossier=key),
                )
                for member in members:
                    self._add_letter(group, member)
                    placed.add(member.id)
            else:
                self._add_letter(self.root, info)
                placed.add(info.id)

    def _add_letter(self, parent: TreeNode[TreeData], info) -> None:
        label = render.tree_letter_label(info.date, render.short_title(info.title, info.id))
        node = parent.add(label, data=TreeData("letter", letter=info.id), allow_expand=bool(info.sections))
        self._letter_nodes[info.id] = node

    def _add_sections(self, node: TreeNode[TreeData]) -> None:
        """Sections are added when a letter is first expanded: 10,000 letters stay cheap."""
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
        self._add_sections(event.node)

    def show_letter(self, letter_id: str, *, expand: bool = True) -> None:
        """Move the cursor to `letter_id` (expanding its group and, if asked, its sections)."""
        node = self._letter_nodes.get(letter_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        if expand and node.allow_expand:
            self._add_sections(node)
            node.expand()
        self.call_after_refresh(self.move_cursor, node, animate=False)

    def letter_node(self, letter_id: str) -> TreeNode[TreeData] | None:
        """The tree node of a letter."""
        return self._letter_nodes.get(letter_id)
