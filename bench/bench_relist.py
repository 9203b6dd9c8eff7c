"""The reader while the corpus changes under it, beside plain index reading: the letter list read again.

    python bench/bench_relist.py [--letters 10000] [--rounds 3] [--work DIR] [--keep]

After an index refresh that changed something (at start-up, after `briefreader add`, after a
sync), the reader reads the letter list again and fills its tree anew, keeping the reader's place.
This measures that, in a generated corpus of N letters (bench/gen_corpus.py) with an up-to-date
index, alternately round by round:

- plain: a fresh `CorpusIndex.letters()` after the index changed, the time to read the letter
  list from the index (what any program reading the list pays; no Textual);
- reader: briefreader's reader running headless at 120x40 with the letter list read, asked to
  read it again after the same kind of change (`ReaderScreen.reload_letters`, as the index
  refresh's end calls it): the time until the tree is filled again, and how late the event loop
  answered meanwhile (a 1 ms heartbeat's worst and 95th-percentile lateness). A key pressed
  meanwhile waits about as long as the heartbeat's lateness.

Before each round one letter of the generated corpus gets a sentence more and the index is
updated for it (not timed), so the index's letter table really changed. The figure that matters
is the event loop's worst lateness beside the plain read: until December 2026 the reader read the
list on the event loop, so a key waited for the whole read and the tree (1.4-1.8 s at 100,000
letters). What is left on the event loop is the tree's top level, the letter reopened, and Python's
garbage collector walking the heap (a full pass: about 0.1 s at 10,000 letters, in whatever
thread it falls).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (120, 40)


def change_one_letter(corpus: Path, round_: int) -> str:
    """Append a sentence to one letter of the generated corpus; its id."""
    letter = sorted(corpus.glob("*.txt"))[round_ % 50]
    with letter.open("a", encoding="utf-8") as out:
        out.write(f"\nNog een zin voor ronde {round_}.\n")
    return letter.stem


def plain_read(corpus: Path, round_: int) -> float:
    """Seconds for a fresh `CorpusIndex.letters()` after the index changed."""
    from briefreader.index import open_index

    open_index(corpus).refresh(only=[change_one_letter(corpus, round_)])
    index = open_index(corpus)
    began = time.perf_counter()
    letters = index.letters()
    took = time.perf_counter() - began
    assert letters
    return took


async def reader_relist(corpus: Path, round_: int) -> dict[str, float]:
    """The reader reading the list again after a change: time to the tree filled, loop lateness."""
    from briefreader.commands.app import build_app
    from briefreader.ui.screens.reader.letters import LettersMixin

    app = build_app(corpus=corpus, refresh_index=False)
    filled: list[float] = []
    handled = LettersMixin.on_letters_reread

    def on_letters_reread(self, message) -> None:
        handled(self, message)
        filled.append(time.perf_counter())

    LettersMixin.on_letters_reread = on_letters_reread  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            reader = app.reader
            while not (app.library.listed and reader.view.letter_id):
                await pilot.pause(0.05)
            for worker in list(app.workers):
                await worker.wait()
            await pilot.pause(0.5)
            index = app.library.index
            letter_id = change_one_letter(corpus, round_)
            await asyncio.to_thread(index.refresh, only=[letter_id])
            await pilot.pause(0.3)
            lateness: list[float] = []
            done = False

            async def heartbeat() -> None:
                while not done:
                    began = time.perf_counter()
                    await asyncio.sleep(0.001)
                    lateness.append(time.perf_counter() - began - 0.001)

            beat = asyncio.create_task(heartbeat())
            await asyncio.sleep(0.05)  # the heartbeat running: a reader that reads on the event loop shows as late
            began = time.perf_counter()
            reader.reload_letters()
            while not filled:
                await asyncio.sleep(0.005)
            took = filled[0] - began
            await pilot.pause(0.3)  # what follows the tree: the letter reopened in a worker
            done = True
            await beat
    finally:
        LettersMixin.on_letters_reread = handled  # type: ignore[method-assign]
    lateness.sort()
    return {"filled": took, "worst": lateness[-1], "p95": lateness[int(len(lateness) * 0.95)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=10000, help="generated corpus size")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the generated corpus and caches (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (reuse the corpus next time)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="briefreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    os.environ["XDG_STATE_HOME"] = str(work / "state-relist")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, work folder {work}")
    try:
        corpus = work / f"corpus-{args.letters}"
        if not corpus.is_dir() or not any(corpus.iterdir()):
            subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(args.letters), str(corpus)],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        from briefreader.index import open_index

        began = time.perf_counter()
        open_index(corpus).refresh()
        print(f"{args.letters:,} letters, index up to date in {time.perf_counter() - began:.1f} s")
        plain: list[float] = []
        reader: list[dict[str, float]] = []
        for round_ in range(args.rounds):
            plain.append(plain_read(corpus, 2 * round_))
            reader.append(asyncio.run(reader_relist(corpus, 2 * round_ + 1)))
        med = statistics.median
        read = med(plain)
        worst = med(r["worst"] for r in reader)
        print(f"plain CorpusIndex.letters() after a change: {read:.3f} s (median of {args.rounds})")
        print(f"reader: tree filled again after {med(r['filled'] for r in reader):.3f} s; event loop late by at most "
              f"{worst * 1000:.0f} ms (worst of all rounds {max(r['worst'] for r in reader) * 1000:.0f} ms), "
              f"p95 {med(r['p95'] for r in reader) * 1000:.1f} ms")
        print(f"-> the event loop's worst lateness is {worst / read:.2f}x the plain read of the list "
              "(a reader reading the list on the event loop: more than 1x)")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
