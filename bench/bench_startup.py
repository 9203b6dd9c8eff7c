"""Start-up time of the reader: from launching Python to the first readable screen.

    python bench/bench_startup.py [--letters 10000] [--runs 5] [--work DIR] [--keep]

For the bundled corpus and for a generated corpus of N letters (bench/gen_corpus.py), each with an
up-to-date index, it starts a fresh Python process per run that builds the app exactly as the
`briefreader` command does and runs it headless at 120x40. The figure is the wall time from just
before the child process is spawned until Textual reports its first frame on the terminal (the
`Ready` event), which must already show the newest letter (the child checks). That covers interpreter start, imports, opening the index, the letter list, the
tree, and parsing and rendering the first letter. The index freshness check runs in a worker after
that; its completion is reported separately ("index checked").

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, time
t0 = float(sys.argv[1])
corpus = sys.argv[2] or None
from briefreader.commands.app import build_app
from briefreader.ui.screens.reader import ReaderScreen

first_frame = {}
original = ReaderScreen.first_frame_shown

def first_frame_shown(self):
    # Textual's Ready: the first frame is on the terminal. Was the letter in it?
    first_frame.update(at=time.time() - t0, letter=bool(self.view.blocks))
    original(self)

ReaderScreen.first_frame_shown = first_frame_shown

async def main():
    app = build_app(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        while "at" not in first_frame:
            await asyncio.sleep(0.002)
        if not first_frame["letter"]:
            raise SystemExit("the first frame did not show the letter")
        while not app.reader.index_checked:
            await asyncio.sleep(0.01)
        checked = time.time() - t0
        letters = len(app.library.letters)
    print(json.dumps({"readable": first_frame["at"], "checked": checked, "letters": letters}))

asyncio.run(main())
"""

def run_child(corpus: Path | None, env: dict[str, str]) -> dict:
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, repr(start), str(corpus) if corpus else ""],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(name: str, corpus: Path | None, env: dict[str, str], runs: int) -> None:
    # The first run may build or refresh the index; it is not counted.
    first = run_child(corpus, env)
    results = [run_child(corpus, env) for _ in range(runs)]
    readable = [r["readable"] for r in results]
    checked = [r["checked"] for r in results]
    print(
        f"{name:<28} {results[0]['letters']:>6} letters  "
        f"first readable screen: median {statistics.median(readable):.3f} s, "
        f"min {min(readable):.3f} s, max {max(readable):.3f} s   "
        f"index checked: median {statistics.median(checked):.3f} s   "
        f"(first run, index built: {first['readable']:.3f} s readable, {first['checked']:.1f} s indexed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, nargs="*", default=[10000], help="generated corpus sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, help="folder for generated corpora and caches (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (reuse corpora next time)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="briefreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, work folder {work}")
    try:
        measure("bundled corpus", None, env, args.runs)
        for count in args.letters:
            corpus = work / f"corpus-{count}"
            if not corpus.is_dir() or not any(corpus.iterdir()):
                began = time.perf_counter()
                subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(count), str(corpus)],
                    check=True,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                )
                print(f"generated {count} letters in {time.perf_counter() - began:.1f} s")
            measure("generated corpus", corpus, env, args.runs)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
