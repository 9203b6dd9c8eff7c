"""A long letter in the reader, side by side with bare Textual apps: first screen, keys, memory.

    python bench/bench_letter.py [--paragraphs 1000] [--footnotes 200] [--rounds 5]

The letter is the reader tests' generated one (tests/ui_fixtures/long_letter.py: the bundled
letter's sentences, sections every 40 paragraphs, list items, footnote markers, citations), in a
library with a fake index, so parsing and searching are not measured here. Three apps, each
running headless at 120x40 with the same text, measured alternately round by round:

- reader: briefreader's reader opening the letter (a request from a running reader, as a click in
  the tree makes it);
- bare, one screen: a bare Textual app mounting one `Static` with the letter's first screen of
  text (the floor: what any Textual app pays to show one screen);
- bare, every block: a bare Textual app mounting one `Static` per paragraph and footnote in a
  `VerticalScroll`, all at once (how the reader did it before: the cost grows with the letter).

Figures:
- first screen: from the request to the first line of the letter drawn;
- keys while the rest is laid out: `j` (bare apps: Down) sent right after the first screen, twenty
  times, each from the key to the screen redrawn after it moved the letter, while the reader lays
  out the rest of the letter in the background; and the longest the event loop was kept from
  answering anything meanwhile (a 1 ms heartbeat's worst lateness);
- memory: what the app holds after showing the letter (tracemalloc, Python objects), at
  `--paragraphs` and at a tenth of it, so growth with the letter shows.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Static  # noqa: E402
from ui_fixtures.long_letter import LONG_ID, SHORT_ID, fake_library, long_letter, short_letter  # noqa: E402

from briefreader.display import superscript  # noqa: E402
from briefreader.ui.app import ReaderApp  # noqa: E402
from briefreader.ui.widgets.letter_view import LetterView  # noqa: E402

SIZE = (120, 40)
KEYS = 20


def blocks_of(letter) -> list[str]:
    """The letter's paragraphs and footnotes as plain text (markers put back), one string per block."""
    texts = []
    for _position, _section, paragraph in letter.paragraphs():
        text = paragraph.text
        for note in sorted(paragraph.notes, key=lambda n: n.at, reverse=True):
            text = text[: note.at] + superscript(note.n) + text[note.at :]
        texts.append(text)
    texts.extend(f"{footnote.n} {footnote.text}" for footnote in letter.footnotes)
    return texts


class Heartbeat:
    """The event loop's worst lateness: a callback asked for every millisecond."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._running = False

    async def run(self) -> None:
        self._running = True
        loop = asyncio.get_running_loop()
        while self._running:
            due = loop.time() + 0.001
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, loop.time() - due)

    def stop(self) -> None:
        self._running = False


async def settled(app, pilot) -> None:
    """Wait until the app has done everything its start set going (workers, the footer's first builds)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def press_and_wait(app, scroller, key: str) -> float:
    """Send `key`, wait until it moved `scroller` and the screen after that was redrawn; the seconds."""
    before = scroller.scroll_y
    began = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    deadline = began + 30
    while scroller.scroll_y == before:
        if time.perf_counter() > deadline:
            raise SystemExit(f"{key} did not move {scroller!r} (at {before}, max {scroller.max_scroll_y})")
        await asyncio.sleep(0.0005)
    redrawn = asyncio.get_running_loop().create_future()
    app.call_after_refresh(lambda: redrawn.done() or redrawn.set_result(time.perf_counter()))
    return await redrawn - began


async def keys_and_lag(app, scroller, key: str) -> tuple[list[float], float]:
    beat = Heartbeat()
    task = asyncio.create_task(beat.run())
    keys = [await press_and_wait(app, scroller, key) for _ in range(KEYS)]
    beat.stop()
    await task
    return keys, beat.worst


async def measure_reader(folder: Path, letter, *, memory: bool = False) -> dict:
    library = fake_library(folder, {LONG_ID: letter, SHORT_ID: short_letter()})
    drawn: dict[str, float] = {}
    seen = asyncio.Event()  # awaited, not polled: a polling loop would take the interpreter from the worker
    original = LetterView.render_line

    def render_line(self, y):
        if "at" not in drawn and self.letter_id == LONG_ID:
            drawn["at"] = time.perf_counter()
            seen.set()
        return original(self, y)

    LetterView.render_line = render_line
    try:
        app = ReaderApp(library, start=SHORT_ID, refresh_index=False)
        async with app.run_test(size=SIZE) as pilot:
            reader = app.reader
            while reader.view.letter_id != SHORT_ID:
                await pilot.pause()
            await settled(app, pilot)
            gc.collect()
            before = tracemalloc.get_traced_memory()[0] if memory else 0
            began = time.perf_counter()
            reader.open_letter(LONG_ID)
            await seen.wait()
            first = drawn["at"] - began
            view = reader.view
            view.focus()
            keys, lag = await keys_and_lag(app, view, "j")
            measuring = view.measured_blocks < len(view.blocks)
            await app.workers.wait_for_complete()
            gc.collect()
            used = tracemalloc.get_traced_memory()[0] - before if memory else 0
    finally:
        LetterView.render_line = original
    return {"first": first, "keys": keys, "lag": lag, "memory": used, "still_measuring": measuring}


class BareOneScreen(App):
    """A bare Textual app that mounts one Static with the first screen of the letter."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.drawn: float | None = None
        self.seen = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="letter")

    async def show(self) -> None:
        await self.query_one("#letter").mount(Shown(self.text, markup=False))


class Shown(Static):
    def render_line(self, y):
        app = self.app
        if getattr(app, "drawn", None) is None:
            app.drawn = time.perf_counter()
            app.seen.set()
        return super().render_line(y)


class BareEveryBlock(BareOneScreen):
    """A bare Textual app that mounts one Static per block, all at once."""

    def __init__(self, blocks: list[str]) -> None:
        super().__init__("")
        self.blocks = blocks

    async def show(self) -> None:
        widgets = [Shown(text, markup=False) for text in self.blocks]
        await self.query_one("#letter").mount_all(widgets)


async def measure_bare(app: BareOneScreen, *, memory: bool = False) -> dict:
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0] if memory else 0
        began = time.perf_counter()
        mounting = asyncio.create_task(app.show())
        await app.seen.wait()
        first = app.drawn - began
        await mounting  # a bare app mounting every block answers no key before it is done anyway
        scroller = app.query_one("#letter")
        scroller.focus()
        keys, lag = await keys_and_lag(app, scroller, "down")
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before if memory else 0
    return {"first": first, "keys": keys, "lag": lag, "memory": used}


def summary(name: str, results: list[dict], floor: float | None = None) -> str:
    first = statistics.median(r["first"] for r in results)
    keys = sorted(k for r in results for k in r["keys"])
    p50, p95 = keys[len(keys) // 2], keys[int(len(keys) * 0.95) - 1]
    lag = max(r["lag"] for r in results)
    ratio = f" ({first / floor:.1f}x the one-screen floor)" if floor else ""
    return (
        f"{name:<20} first screen {first * 1000:7.1f} ms{ratio}; key to redrawn screen p50 {p50 * 1000:5.1f} ms, "
        f"p95 {p95 * 1000:5.1f} ms; event loop late by at most {lag * 1000:5.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--footnotes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("XDG_STATE_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "briefreader-bench-state"))
    import tempfile

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
    for paragraphs in (args.paragraphs // 10, args.paragraphs):
        letter = long_letter(paragraphs, args.footnotes * paragraphs // args.paragraphs)
        blocks = blocks_of(letter)
        screen = "\n\n".join(blocks)[: 120 * 40 * 3]  # a screen and some, so Down has somewhere to go
        ours, one, every = [], [], []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as folder:
                ours.append(await measure_reader(Path(folder), letter))
            one.append(await measure_bare(BareOneScreen(screen)))
            every.append(await measure_bare(BareEveryBlock(blocks)))
        floor = statistics.median(r["first"] for r in one)
        print(f"-- {paragraphs} paragraphs, {len(letter.footnotes)} footnotes ({len(blocks)} blocks), {args.rounds} rounds")
        print(summary("reader", ours, floor))
        print(summary("bare, one screen", one))
        print(summary("bare, every block", every, floor))
        still = sum(r["still_measuring"] for r in ours)
        print(f"   (the reader was still laying out the rest of the letter after the keys in {still} of {len(ours)} rounds)")
        # Memory in a pass of its own: tracemalloc slows Python down several times.
        tracemalloc.start()
        with tempfile.TemporaryDirectory() as folder:
            held = {
                "reader": (await measure_reader(Path(folder), letter, memory=True))["memory"],
                "bare, one screen": (await measure_bare(BareOneScreen(screen), memory=True))["memory"],
                "bare, every block": (await measure_bare(BareEveryBlock(blocks), memory=True))["memory"],
            }
        tracemalloc.stop()
        print("   memory held after showing the letter: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in held.items()))


if __name__ == "__main__":
    asyncio.run(main())
