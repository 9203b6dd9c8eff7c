"""Benchmark a full index build side by side with plain Whoosh on the same letters.

    python bench/bench_build.py /tmp/corpus-10000            # both, one after the other
    python bench/bench_build.py /tmp/corpus-10000 --runs 2   # each twice, alternating

Plain Whoosh is what a user would write instead: one process, one document per letter file, the
file's text in a TEXT field with Whoosh's Dutch `LanguageAnalyzer("nl")`, committed once. It
parses nothing (no header, sections, footnotes or sidecars); briefreader's build parses every
letter (most of its time) and indexes it in worker processes, one per core.

Each build runs in a fresh child process (wall time, CPU time, peak memory of that process and
its workers); the figures are printed side by side with their ratio. The machine may be shared:
compare the ratio, and run more than once.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def plain_whoosh(corpus: Path, index_dir: Path) -> dict:
    from whoosh import index as whoosh_index
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(path=ID(stored=True, unique=True), body=TEXT(analyzer=LanguageAnalyzer("nl")))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), schema)
    writer = ix.writer()
    count = 0
    for path in sorted(corpus.glob("*.txt")):
        writer.add_document(path=str(path), body=path.read_text(encoding="utf-8", errors="replace"))
        count += 1
    writer.commit()
    return {"letters": count}


def briefreader_build(corpus: Path, index_dir: Path) -> dict:
    from briefreader.index import open_index

    report = open_index(corpus, index_dir).refresh(rebuild=True)
    return {"letters": report.letters, "skipped": len(report.skipped)}


PHASES = {"plain": plain_whoosh, "briefreader": briefreader_build}


def child(phase: str, corpus: Path, index_dir: Path) -> dict:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        [sys.executable, __file__, str(corpus), "--phase", phase, "--index", str(index_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.perf_counter() - started
    figures["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures["peak_mb"] = after.ru_maxrss / 1024  # the largest child so far (Linux: KB)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.corpus, args.index)))
        return 0
    results: dict[str, list[dict]] = {"plain": [], "briefreader": []}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as work:
        for run in range(args.runs):
            for phase in ("plain", "briefreader") if run % 2 == 0 else ("briefreader", "plain"):
                figures = child(phase, args.corpus, Path(work) / f"{phase}-{run}")
                results[phase].append(figures)
                print(f"{phase:12} {figures['wall_s']:8.1f} s wall  {figures['cpu_s']:8.1f} s CPU  peak {figures['peak_mb']:6.0f} MB  ({figures['letters']} letters)", flush=True)
    best = {phase: min(r["wall_s"] for r in runs) for phase, runs in results.items()}
    print(f"\nbriefreader / plain Whoosh, best wall time: {best['briefreader'] / best['plain']:.2f}x "
          f"({best['briefreader']:.1f} s against {best['plain']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
