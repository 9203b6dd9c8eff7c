"""Start-up time of the reader, side by side with a bare Textual app: launch to the first readable screen.

    python bench/bench_startup.py [--letters 10000] [--runs 5] [--work DIR] [--keep]

For the bundled corpus and for generated corpora of N letters (bench/gen_corpus.py), each with an
up-to-date index, it starts fresh Python processes, alternately:

- the reader, built exactly as the `briefreader` command builds it, run headless at 120x40;
- a bare Textual app (one `Static` holding the same first screen of text), the same way.

The figure is the wall time from just before the child process is spawned until the first line
of text is drawn: the first line of the letter for the reader (the letter may come after the
very first frame, when it is parsed in a worker), the first line of the `Static` for the bare app.
(Until December 2026 the bare app was timed at `App.on_ready`, which comes 20-30 ms after its
first frame: that flattered the reader by about 0.07x.) The ratio reader / bare app is what the
targets are about (<= 1.3x with the bundled corpus, <= 1.5x at 10,000 letters, <= 2x at
100,000), since absolute times swing with the load on the machine: the ratio of the medians, and
the median of the ratios of runs side by side.

The reader's time is split into where it goes: interpreter start and imports (Textual's among
them, which the bare app pays too), the letter list (`Library.reload`: the index opened and its
letter metadata read; the reader reads it after its first screen), opening the library (the
`build_app` call), and from the app's start to its first frame (the tree, the first letter read
and drawn: the reader's part). The index freshness check runs after the first
frame and is reported separately ("index checked").

With `--ui-only N`, the reader's own part is also timed at N letters (say 100,000) without
generating and indexing them: the child hands the reader a letter list made in memory (the
making not counted), so the figure is the tree, the links and the first letter.

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

READER = r"""
import asyncio, json, sys, time
t0 = float(sys.argv[1])
corpus = sys.argv[2] or None
from briefreader.commands.app import build_app
from briefreader.ui.app import ReaderApp  # what build_app imports: Textual and the reader's widgets
from briefreader.ui.library import Library
from briefreader.ui.widgets.letter_view import LetterView
imported = time.time() - t0

# The letter list: the index opened (if it is not yet) and its letters read. (Not by importing
# the index here: the reader may open it only after its first screen.)
spent = {"letters": 0.0}
original_reload = Library.reload

def timed_reload(self):
    began = time.perf_counter()
    try:
        return original_reload(self)
    finally:
        spent["letters"] += time.perf_counter() - began

Library.reload = timed_reload

# The letter loads in a worker: the first frame may come before it. What counts is the first time
# a line of the letter is drawn.
first_frame = {}
original_render_line = LetterView.render_line

def render_line(self, y):
    if "at" not in first_frame and self.document is not None:
        first_frame.update(at=time.time() - t0, letter=True)
    return original_render_line(self, y)

LetterView.render_line = render_line

async def main():
    began = time.time()
    app = build_app(corpus=corpus)
    built = time.time()
    listed_before = spent["letters"]  # the reader reads the letter list after its first screen
    async with app.run_test(size=(120, 40)) as pilot:
        while "at" not in first_frame:
            await asyncio.sleep(0.002)
        if not first_frame["letter"]:
            raise SystemExit("the first frame did not show the letter")
        while not app.reader.index_checked:
            await asyncio.sleep(0.01)
        checked = time.time() - t0
        letters = len(app.library.letters)
    print(json.dumps({
        "readable": first_frame["at"], "checked": checked, "letters": letters, "imports": imported,
        "index_letters": listed_before, "letter_list": built - began - listed_before,
        "index_letters_after": spent["letters"] - listed_before,
        "app": first_frame["at"] - (built - t0),
    }))

asyncio.run(main())
"""

SYNTHETIC = r"""
import asyncio, datetime, json, sys, time
t0 = float(sys.argv[1])
count = int(sys.argv[2])
from pathlib import Path
from briefreader.index import LetterInfo, SectionInfo
from briefreader.load import load_letter
from briefreader.corpus import bundled_corpus
from briefreader.ui.app import ReaderApp
from briefreader.ui.library import Library
from briefreader.ui.widgets.letter_view import LetterView
imported = time.time() - t0

class GivenIndex:
    # The letter list as the index would give it, already in memory: only the reader's part is timed.
    def __init__(self, infos):
        self.infos = infos
    def letters(self):
        return self.infos
    def is_fresh(self):
        return True
    def refresh(self, progress=None, rebuild=False):
        return None

letter_path = next(bundled_corpus().glob("*.txt"))
start = datetime.date(2011, 1, 1)
infos = []
for n in range(count):
    day = start + datetime.timedelta(days=(n * 5477) // count)
    dossier = f"{30000 + n % 400}"
    infos.append(LetterInfo.of(
        id=f"{day.isoformat()}-{n:06d}", folder=letter_path.parent, file=letter_path.name, title=f"Brief {n} over onderwerp {n % 997}",
        date=day.isoformat(), dossiers=((dossier, f"Dossier {dossier}"),), number=str(n),
        kst_id=f"kst-{dossier}-{n}", section_rows=((None, 0), ("Verslag", 5)),
        cites=(f"kst-{30000 + (n + 7) % 400}-{(n * 31) % count}",),
    ))
infos.reverse()
made = time.time() - t0
first = {}
original = LetterView.render_line
def render_line(self, y):
    if "at" not in first and self.document is not None:
        first["at"] = time.time() - t0
    return original(self, y)
LetterView.render_line = render_line

async def main():
    began = time.time()
    library = Library(letter_path.parent, GivenIndex(infos), load_fn=load_letter)
    app = ReaderApp(library, refresh_index=False)
    built = time.time()
    async with app.run_test(size=(120, 40)) as pilot:
        while "at" not in first:
            await asyncio.sleep(0.002)
    print(json.dumps({"readable": first["at"] - (made - imported), "imports": imported, "letter_list": built - began,
                      "app": first["at"] - (built - t0), "letters": count}))

asyncio.run(main())
"""

BARE = r"""
import asyncio, json, sys, time
t0 = float(sys.argv[1])
from textual.app import App
from textual.widgets import Static
imported = time.time() - t0
TEXT = sys.argv[2]
ready = {}

class Shown(Static):
    # As for the reader: the moment the first line of the text is drawn. (`App.on_ready` comes
    # 20-30 ms after it, once the messages queued behind the first frame are handled.)
    def render_line(self, y):
        ready.setdefault("at", time.time() - t0)
        return super().render_line(y)

class Bare(App):
    def compose(self):
        yield Shown(TEXT, markup=False)

async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        while "at" not in ready:
            await asyncio.sleep(0.002)
    print(json.dumps({"readable": ready["at"], "imports": imported}))

asyncio.run(main())
"""


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict:
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, repr(start), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_screen_text() -> str:
    """About one screen of letter text, for the bare app to show."""
    from briefreader.corpus import bundled_corpus

    text = next(bundled_corpus().glob("*.txt")).read_text(encoding="utf-8")
    return "\n".join(text.splitlines()[:40])


def measure(name: str, corpus: Path | None, env: dict[str, str], runs: int) -> None:
    # The first run may build or refresh the index; it is not counted.
    first = run_child(READER, [str(corpus) if corpus else ""], env)
    text = first_screen_text()
    ours, bare = [], []
    for _ in range(runs):  # alternately, so both see the same load
        ours.append(run_child(READER, [str(corpus) if corpus else ""], env))
        bare.append(run_child(BARE, [text], env))

    def med(results: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in results)

    readable, baseline = med(ours, "readable"), med(bare, "readable")
    ratios = sorted(o["readable"] / b["readable"] for o, b in zip(ours, bare, strict=True))
    print(
        f"{name:<18} {ours[0]['letters']:>7,} letters  first readable screen: reader {readable:.3f} s, "
        f"bare Textual app {baseline:.3f} s  ->  {readable / baseline:.2f}x "
        f"(pairwise ratios {ratios[0]:.2f}-{ratios[-1]:.2f}, median {statistics.median(ratios):.2f})"
    )
    print(
        f"{'':<18} reader split (medians): imports {med(ours, 'imports'):.3f} s (bare app {med(bare, 'imports'):.3f} s), "
        f"letter list {med(ours, 'index_letters'):.3f} s before the first screen "
        f"({med(ours, 'index_letters_after'):.3f} s after it, in a worker), opening the library {med(ours, 'letter_list'):.3f} s, "
        f"app to first frame {med(ours, 'app'):.3f} s; index checked at {med(ours, 'checked'):.3f} s "
        f"(first run, index built: {first['readable']:.3f} s readable, {first['checked']:.1f} s indexed)"
    )


def measure_ui_only(count: int, env: dict[str, str], runs: int) -> None:
    """The reader's own part at `count` letters: the letter list handed over in memory (no index),
    so the time is the tree, the links, the first letter parsed and drawn."""
    run_child(SYNTHETIC, [str(count)], env)
    text = first_screen_text()
    ours, bare = [], []
    for _ in range(runs):
        ours.append(run_child(SYNTHETIC, [str(count)], env))
        bare.append(run_child(BARE, [text], env))
    readable = statistics.median(r["readable"] for r in ours)
    baseline = statistics.median(r["readable"] for r in bare)
    print(
        f"{'letter list given':<18} {count:>7,} letters  first readable screen (making the list not counted): reader {readable:.3f} s, "
        f"bare Textual app {baseline:.3f} s  ->  {readable / baseline:.2f}x; letter list and links "
        f"{statistics.median(r['letter_list'] for r in ours):.3f} s, app to first frame {statistics.median(r['app'] for r in ours):.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, nargs="*", default=[10000], help="generated corpus sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ui-only", type=int, nargs="*", default=[], metavar="N",
                        help="also time the reader's own part at N letters, the letter list handed over without an index")
    parser.add_argument("--work", type=Path, help="folder for generated corpora and caches (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (reuse corpora next time)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="briefreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # A state folder of its own: no resumed letter, no "new letters" scan from an earlier visit.
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"), XDG_STATE_HOME=str(work / "state"))
    # As on a user's machine: compiled modules are cached (pip compiles Textual's at install, and
    # Python caches briefreader's at the first, uncounted, run). Without this, briefreader's modules
    # would be compiled from source on every start and Textual's not.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, work folder {work}")
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
        for count in args.ui_only:
            measure_ui_only(count, env, args.runs)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
