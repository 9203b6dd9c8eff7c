"""Search as you type in the reader: from each key to its results painted, on a generated corpus.

    python bench/bench_typing.py [--letters 10000] [--interval 0.12] [--work DIR] [--keep]

A Pilot script opens the reader (headless, 120x40) on a generated corpus of N letters
(bench/gen_corpus.py, indexed first), presses `/` and types real queries one key at a time, a key
every `--interval` seconds as a quick typist does, without waiting for results. For each key
the figure is the time from the key to the first painted results of a query that includes it
(the query typed so far, or a later one: a key typed while a search runs is answered by the
search after it). Also counted: how many searches ran (a burst of keys costs one search, not
one each), and side by side on the same index, what one plain Whoosh query for the whole word
costs (`QueryParser("text")`, best 10), the floor a search as you type is measured against.

The engine's own prefix speed is measured by bench/bench_search.py; this measures the reader's
part: not blocking keys, dropping stale searches and painting.

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

QUERIES = [
    "asielzoekers",
    "frontex",
    "migratie en asiel",
    "stikstof",
    "oekraine",
    "europese raad",
    "eu",
    "justitie",
    "veiligheid",
    "gemeente",
    "pandemie",
    "belastingdienst",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def type_queries(corpus: Path, index_dir: Path, interval: float) -> tuple[list[float], int, int]:
    from textual import events

    from briefreader.commands.app import build_app
    from briefreader.ui.widgets.search_panel import SearchPanel

    app = build_app(corpus=corpus, index_dir=index_dir, refresh_index=False)
    painted: list[tuple[str, float]] = []

    class Recording(type(app)):  # the reader, noting when each query's results are painted
        def on_search_panel_painted(self, message: SearchPanel.Painted) -> None:
            painted.append((message.query, time.perf_counter()))

    app.__class__ = Recording

    latencies: list[float] = []
    keys = 0
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        while reader.view.document is None:
            await pilot.pause()
        await pilot.press("slash")
        panel = reader.panel
        searches_before = 0
        for query in QUERIES:
            panel.input.value = ""
            await pilot.pause()
            while panel.busy:
                await asyncio.sleep(0.01)
            painted.clear()
            sent: list[tuple[str, float]] = []
            for char in query:
                typed = (sent[-1][0] if sent else "") + char
                key = "space" if char == " " else char
                app.post_message(events.Key(key, char))
                sent.append((typed, time.perf_counter()))
                keys += 1
                await asyncio.sleep(interval)
            deadline = time.perf_counter() + 30
            while not any(shown == query for shown, _at in painted) and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
            searches_before += len(painted)
            for typed, at in sent:
                answer = next((when for shown, when in painted if shown.startswith(typed) and when >= at), None)
                if answer is not None:
                    latencies.append(answer - at)
    return latencies, keys, searches_before


def whoosh_floor(corpus: Path, index_dir: Path) -> list[float]:
    from whoosh.qparser import QueryParser

    from briefreader.index import open_index

    index = open_index(corpus, index_dir)
    times = []
    with index.searcher() as searcher:
        parser = QueryParser("text", searcher.schema)
        for query in QUERIES:
            parsed = parser.parse(query)
            for _ in range(3):
                began = time.perf_counter()
                list(searcher.search(parsed, limit=10))
                times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=10000)
    parser.add_argument("--interval", type=float, default=0.12, help="seconds between keys")
    parser.add_argument("--work", type=Path, help="folder for the generated corpus and its index (kept with --keep)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="briefreader-typing-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_STATE_HOME"] = str(work / "state")
    corpus, index_dir = work / f"corpus-{args.letters}", work / f"index-{args.letters}"
    try:
        if not corpus.is_dir():
            subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(args.letters), str(corpus)],
                           check=True, stdout=subprocess.DEVNULL)
        from briefreader.index import open_index

        began = time.perf_counter()
        open_index(corpus, index_dir).refresh()
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}; "
              f"{args.letters:,} letters, index ready in {time.perf_counter() - began:.1f} s")
        floor = whoosh_floor(corpus, index_dir)
        latencies, keys, searches = asyncio.run(type_queries(corpus, index_dir, args.interval))
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        print(f"typing {keys} keys, one every {args.interval * 1000:.0f} ms: key to results painted "
              f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, "
              f"{sum(1 for v in latencies if v > 1.0)} over a second; {searches} results painted for {keys} keys")
        print(f"plain Whoosh query for the whole word (best 10), same index: median {statistics.median(floor) * 1000:.1f} ms, "
              f"max {max(floor) * 1000:.1f} ms  ->  reader p50 {p50 / statistics.median(floor):.1f}x")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
