"""The letter tree of a big corpus: years (and busy years' months) filled only when opened."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from ui_fixtures.helpers import wait_for
from ui_fixtures.long_letter import fake_library, short_letter

from briefreader.ui.app import ReaderApp
from briefreader.ui.widgets.letter_tree import GROUP_LIMIT, period_of

#: Letters per year: 2024 is busy (split by month), the others are not; a few have no date.
PER_YEAR = {2024: GROUP_LIMIT + 60, 2023: 120, 2021: 40}


def many_letters() -> dict:
    letters = {}
    base = short_letter()
    for year, count in PER_YEAR.items():
        for n in range(count):
            day = dt.date(year, 1, 1) + dt.timedelta(days=n * 360 // count)
            letters[f"{day.isoformat()}-{n:04d}"] = dataclasses.replace(base, date=day, title=f"Brief {n} van {year}")
    letters["zonder-datum"] = dataclasses.replace(base, date=None, title="Zonder datum")
    return letters


async def test_years_then_months_filled_when_opened(tmp_path: Path) -> None:
    library = fake_library(tmp_path / "corpus", many_letters())
    app = ReaderApp(library, refresh_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: reader.view.letter_id is not None, "the first letter")
        tree = reader.letter_tree
        years = [str(node.label) for node in tree.root.children]
        assert years == [f"2024 ({PER_YEAR[2024]:,})", "2023 (120)", "2021 (40)", "Undated (1)"]
        newest_year = tree.root.children[0]
        # The busy year is split by month, newest first; only the newest month's letters are nodes.
        assert str(newest_year.children[0].label).startswith("december 2024")
        assert all(not node.children for node in newest_year.children[1:])
        assert not tree.root.children[1].children  # 2023 not opened: no nodes under it
        # Opening an old letter (from search, the palette, a mark) opens its year on the way.
        old = next(letter_id for letter_id in library.by_id if letter_id.startswith("2021-06"))
        await reader.open_letter(old)
        node = tree.letter_node(old)
        # (All these letters share dossier 32317: in their year they form one dossier group.)
        assert node is not None and str(node.parent.label) == "32317 JBZ-Raad (40)" and node.parent.parent is tree.root.children[2]
        assert tree.root.children[2].is_expanded
        await wait_for(pilot, lambda: tree.cursor_node is node, "the cursor on the letter")
        # New letters: marked in their row and counted in their year.
        tree.mark_new({old})
        assert str(node.label).startswith("● 2021-06")
        assert str(tree.root.children[2].label) == "2021 (40) ● 1 new"


def test_the_grouping_reads_dates_as_period_of_does() -> None:
    from types import SimpleNamespace

    from briefreader.ui.widgets.letter_tree import _group

    for date in ("2021-08-26", "2021-08", "2021", "20", "", None, "abcd-01-01"):
        info = SimpleNamespace(date=date)
        assert list(_group([info], 4)) == [period_of(info, 4)]
        assert list(_group([info], 7)) == [period_of(info, 7)]


async def test_the_group_limit_edges() -> None:
    """Up to GROUP_LIMIT letters the tree lists them; one more and it groups by year. A year of
    GROUP_LIMIT letters lists them; one more and it is split by month."""
    from textual.app import App

    from briefreader.ui.widgets.letter_tree import LetterTree

    def letters(count: int, year: int = 2020) -> list:
        base = dt.date(year, 1, 1)
        return [
            SimpleNamespace(id=f"l{year}-{n}", date=(base + dt.timedelta(days=n % 360)).isoformat(), title=f"Brief {n}",
                            dossiers=(), sections=())
            for n in range(count)
        ]

    class TreeApp(App):
        def compose(self):
            yield LetterTree()

    app = TreeApp()
    async with app.run_test():
        tree = app.query_one(LetterTree)
        tree.set_letters(letters(GROUP_LIMIT))
        assert {node.data.kind for node in tree.root.children} == {"letter"}
        tree.set_letters(letters(GROUP_LIMIT + 1))
        assert [node.data.period for node in tree.root.children] == ["2020"]
        tree.open_newest()
        assert all(node.data.kind == "period" for node in tree.root.children[0].children)  # split by month
        tree.set_letters(letters(GROUP_LIMIT, 2021) + letters(1, 2020))
        tree.open_newest()
        assert {node.data.kind for node in tree.root.children[0].children} == {"letter"}  # 2021 is not split


async def test_a_letter_shown_before_the_tree_has_a_size_does_not_take_the_cursor_back() -> None:
    """The reader shows its first letter before the tree is laid out: the cursor moves there after
    the next refresh. A letter opened in between (once the tree has its size) must keep the cursor.
    (CI caught this: a loaded machine let the test above open an old letter in that gap.)"""
    from textual.app import App
    from textual.geometry import Size

    from briefreader.ui.widgets.letter_tree import LetterTree

    class UnsizedFirst(LetterTree):
        """A tree that reports no size until told (as before its first layout)."""

        sized = True

        @property
        def size(self) -> Size:
            return super().size if self.sized else Size(0, 0)

    class TreeApp(App):
        def compose(self):
            yield UnsizedFirst()

    def letter(n: int) -> SimpleNamespace:
        return SimpleNamespace(id=f"l{n}", date=f"2020-01-{n:02d}", title=f"Brief {n}", dossiers=(), sections=())

    app = TreeApp()
    async with app.run_test() as pilot:
        tree = app.query_one(UnsizedFirst)
        tree.set_letters([letter(n) for n in range(3, 0, -1)])
        tree.sized = False
        tree.show_letter("l3")  # before the layout: deferred
        tree.sized = True
        tree.show_letter("l1")  # after it, before the deferred move has run
        assert tree.cursor_node is tree.letter_node("l1")
        await pilot.pause()
        await pilot.pause()
        assert tree.cursor_node is tree.letter_node("l1")
        tree.sized = False
        tree.show_letter("l2")
        tree.show_letter("l3")
        tree.sized = True
        await wait_for(pilot, lambda: tree.cursor_node is tree.letter_node("l3"), "the cursor on the letter asked for last")


async def test_a_list_shown_again_is_kept_and_the_list_replaced_is_let_go() -> None:
    """The tree lets go of the list it replaces in a thread (freeing 100,000 letters held up the
    event loop); the list it shows, also when it is given the same list again, stays whole."""
    import gc
    import threading
    import weakref

    from textual.app import App

    from briefreader.ui.widgets.letter_tree import LetterTree, group_letters

    class Entry(SimpleNamespace):
        pass  # weakly referable, unlike a tuple: to see the replaced list freed

    def letters(count: int, year: int) -> list:
        base = dt.date(year, 1, 1)
        return [Entry(id=f"l{year}-{n}", date=(base + dt.timedelta(days=n % 360)).isoformat(), title=f"Brief {n}",
                      dossiers=(), sections=()) for n in range(count)]

    class TreeApp(App):
        def compose(self):
            yield LetterTree()

    def freed() -> None:
        for thread in [t for t in threading.enumerate() if t.name == "free-letter-list"]:
            thread.join()
        gc.collect()

    app = TreeApp()
    async with app.run_test():
        tree = app.query_one(LetterTree)
        old = group_letters(letters(GROUP_LIMIT + 1, 2020))
        an_old_letter = weakref.ref(next(iter(old.letters.values())))
        tree.set_letters(old)
        tree.set_letters(old)  # the same list again (a listing handed over twice)
        freed()
        assert [str(node.label) for node in tree.root.children] == [f"2020 ({GROUP_LIMIT + 1})"]
        tree.open_newest()
        assert len(tree.root.children[0].children) > 1  # its months are there to open
        tree.set_letters(group_letters(letters(GROUP_LIMIT + 1, 2021)))
        del old
        freed()
        assert an_old_letter() is None
        assert [str(node.label) for node in tree.root.children] == [f"2021 ({GROUP_LIMIT + 1})"]
