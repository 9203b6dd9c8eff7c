"""Benchmark the search index: build, size, updates, freshness check, query latency, memory.

    python bench/bench_search.py                    # 1,000 and 10,000 letters
    python bench/bench_search.py --sizes 1000       # one size
    python bench/bench_search.py --work /tmp/b      # where corpora and indexes go (kept)

For each size it generates a corpus with bench/gen_corpus.py (reused when already there), then:

- full build: `briefreader index --rebuild` equivalent, in a child process (time, MB/s of letter
  text, peak memory of that process), and the index size on disk;
- no-change freshness check: `open_index(...).is_fresh()` in a fresh process (first call) and
  repeated (median);
- query latency: a fixed mixed set (words, phrases, prefixes, filters, booleans, as-you-type)
  through `briefreader.search.search`, the top 10 letters with their snippets and highlights, in a
  child process: p50 and p95 of each query's first run (nothing cached yet) and of its repeats
  (each query 5 times more: what typing on in the reader meets), and peak memory; side by side,
  one plain Whoosh term query (top 10 by BM25 on the same index) for common words;
- "did you mean": misspelt queries, the time of the suggestions;
- the letter list: `letters()` in a fresh process (what the reader's first screen reads);
- one-letter update: change one letter, `refresh()`, three times (median and worst), and as
  `briefreader add` and sync update, naming the letter (`refresh(only=[...])`), three times;
- a brute-force regex scan over the same files for the plain-word queries, and its ratio to the
  index's latency for those queries.

Nothing here asserts a time; it prints figures (and writes them as JSON with --json FILE).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: (query, as_you_type). Words of several frequencies, phrases, prefixes, filters, booleans.
QUERIES: list[tuple[str, bool]] = [
    ("frontex", False),
    ("moldavië", False),
    ("kabinet", False),
    ("asielzoekers", False),
    ("migratiestromen", False),
    ("litouwen belarus", False),
    ("opvang regio", False),
    ('"raad van justitie"', False),
    ('"interne veiligheid"', False),
    ('"europese commissie"', False),
    ("migratie*", False),
    ("grensbew*", False),
    ("frontex date:2021", False),
    ("dossier:32317 asiel", False),
    ("date:2018..2020 opvang", False),
    ("from:grapperhaus migratie", False),
    ("title:litouwen", False),
    ("dossier:21501-20", False),
    ("frontex OR europol", False),
    ("opvang NOT afghanistan", False),
    ("belarus -litouwen", False),
    ("migratiesamenw", True),
    ("grensbewak", True),
    ("energiepr", True),
]

def vocabulary_queries() -> list[tuple[str, bool]]:
    """Three generated compounds of falling frequency (Zipf ranks 10, 300 and 5,000)."""
    import random

    from gen_corpus import Vocabulary

    words = Vocabulary(random.Random(1)).words  # the same words generate(seed=1) draws from
    return [(words[10], False), (words[300], False), (words[5000], False)]


#: The plain-word queries the brute-force scan also runs (all words must occur in a file).
BRUTE = ["frontex", "moldavië", "kabinet", "asielzoekers", "migratiestromen", "litouwen belarus", "opvang regio"]


def peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(phase: str, corpus: Path, index: Path) -> dict:
    """Run one phase in a fresh Python process and return its JSON figures."""
    output = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--corpus", str(corpus), "--index", str(index)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- phases run in child processes ----------------------------------------------------------


def phase_build(corpus: Path, index_dir: Path) -> dict:
    from briefreader.index import open_index

    index = open_index(corpus, index_dir)
    started = time.perf_counter()
    report = index.refresh(rebuild=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "letters": report.letters, "skipped": len(report.skipped), "peak_mb": peak_mb()}


def phase_fresh(corpus: Path, index_dir: Path) -> dict:
    from briefreader.index import open_index

    started = time.perf_counter()
    fresh = open_index(corpus, index_dir).is_fresh()
    first = time.perf_counter() - started
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        open_index(corpus, index_dir).is_fresh()
        runs.append(time.perf_counter() - started)
    return {"fresh": fresh, "first": first, "median": statistics.median(runs)}


#: As-you-type prefixes of two and three letters (issue 10: `eu` took 3.5 s).
TYPING = [("eu", True), ("mi", True), ("gr", True), ("ka", True), ("mig", True), ("eur", True), ("fron", True)]
#: Misspelt words for "did you mean".
MISSPELT = ["asielzoekrs", "kabinett", "moldavei", "grensbewakng", "migratiestroomen"]
#: Words for the plain Whoosh term query baseline (common, middling, rare).
PLAIN_TERMS = ["kabinet", "frontex", "litouwen", "asielzoeker", "grensbewaking"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def phase_query(corpus: Path, index_dir: Path) -> dict:
    from whoosh import query as wq

    from briefreader.analysis import stem
    from briefreader.index import open_index
    from briefreader.search import search
    from briefreader.search.compile import compile_query
    from briefreader.search.spelling import suggestions

    index = open_index(corpus, index_dir)
    per_query = {}
    cold: list[float] = []
    warm: list[float] = []
    for query, typing in QUERIES + vocabulary_queries() + TYPING:
        started = time.perf_counter()
        result = search(index, query, as_you_type=typing)
        first = (time.perf_counter() - started) * 1000
        if result.message:
            raise SystemExit(f"query {query!r} failed: {result.message}")
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            search(index, query, as_you_type=typing)
            runs.append((time.perf_counter() - started) * 1000)
        cold.append(first)
        warm += runs
        per_query[query] = {"first_ms": first, "median_ms": statistics.median(runs), "letters": result.total}
    plain = []
    with index.searcher() as searcher:
        for word in PLAIN_TERMS:
            term = wq.Term("text", stem(word))
            searcher.search(term, limit=10)
            for _ in range(5):
                started = time.perf_counter()
                searcher.search(term, limit=10)
                plain.append((time.perf_counter() - started) * 1000)
        spelling = []
        for word in MISSPELT:
            compiled = compile_query(word)
            started = time.perf_counter()
            found = suggestions(searcher, compiled, word)
            spelling.append(((time.perf_counter() - started) * 1000, word, found))
    typing_runs = [per_query[q]["first_ms"] for q, _ in TYPING]
    return {
        "cold_p50_ms": statistics.median(cold),
        "cold_p95_ms": _percentile(cold, 0.95),
        "p50_ms": statistics.median(warm),
        "p95_ms": _percentile(warm, 0.95),
        "max_ms": max(warm),
        "typing_first_median_ms": statistics.median(typing_runs),
        "typing_first_max_ms": max(typing_runs),
        "plain_term_median_ms": statistics.median(plain),
        "spelling": [[ms, word, list(found)] for ms, word, found in spelling],
        "queries": per_query,
        "brute_index_p50_ms": statistics.median(per_query[q]["median_ms"] for q in BRUTE),
        "peak_mb": peak_mb(),
    }


def phase_letters(corpus: Path, index_dir: Path) -> dict:
    from briefreader.index import open_index

    started = time.perf_counter()
    letters = open_index(corpus, index_dir).letters()
    return {"seconds": time.perf_counter() - started, "letters": len(letters), "peak_mb": peak_mb()}


# --- phases run here ------------------------------------------------------------------------


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def brute_force(corpus: Path) -> dict:
    """Time a regex scan over every letter file for each plain-word query (all words, any order)."""
    files = sorted(corpus.glob("*.txt"))
    times = []
    for query in BRUTE:
        patterns = [re.compile(r"\b" + re.escape(fold(word))) for word in query.split()]
        started = time.perf_counter()
        matches = 0
        for path in files:
            text = fold(path.read_text(encoding="utf-8", errors="replace"))
            if all(p.search(text) for p in patterns):
                matches += 1
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(times), "max_ms": max(times)}


def update_one(corpus: Path, index_dir: Path) -> dict:
    """Change one letter and update the index, three times each way: a full `refresh()` (which
    lists the corpus to find the change: the reader's start, `briefreader search`) and a refresh
    of the named letter (`refresh(only=...)`: what `briefreader add` and sync do)."""
    from briefreader.index import open_index

    index = open_index(corpus, index_dir)
    letters = sorted(corpus.glob("*.txt"))
    runs: dict[str, list[float]] = {"full": [], "named": []}
    for k, path in enumerate(letters[: 6 * 97 : 97]):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"\nDe Kamer wordt over de uitkomst van deze raadpleging nummer {k} geïnformeerd. \n")
        way = "full" if k % 2 == 0 else "named"
        started = time.perf_counter()
        report = index.refresh() if way == "full" else index.refresh(only=[path.stem])
        runs[way].append(time.perf_counter() - started)
        assert report.changed == (path.stem,), report
    return {
        "median": statistics.median(runs["full"]),
        "max": max(runs["full"]),
        "named_median": statistics.median(runs["named"]),
        "named_max": max(runs["named"]),
    }


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench_size(count: int, work: Path, reuse: bool = False, brute: bool = True) -> dict:
    from gen_corpus import generate

    corpus = work / f"corpus-{count}"
    index_dir = work / f"index-{count}"
    marker = corpus / ".generated"
    if not marker.is_file() or marker.read_text().strip() != str(count):
        print(f"[{count}] generating the corpus …", flush=True)
        generate(count, corpus, seed=1)
        marker.write_text(str(count))
    text_bytes = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    if reuse and index_dir.is_dir():
        build = {"seconds": float("nan"), "letters": count, "skipped": 0, "peak_mb": float("nan")}
    else:
        print(f"[{count}] full build …", flush=True)
        build = child("build", corpus, index_dir)
    size = folder_size(index_dir)
    print(f"[{count}] freshness check, updates, queries …", flush=True)
    fresh = child("fresh", corpus, index_dir)
    # Queries on the index as built (one segment); the updates after them leave deleted
    # documents in it, which Whoosh filters on every posting it reads.
    queries = child("query", corpus, index_dir)
    listing = child("letters", corpus, index_dir)
    update = update_one(corpus, index_dir)
    brute_figures = brute_force(corpus) if brute else {"p50_ms": float("nan")}
    return {
        "letters": count,
        "text_mb": text_bytes / 1e6,
        "build_s": build["seconds"],
        "build_mb_per_s": text_bytes / 1e6 / build["seconds"],
        "build_peak_mb": build["peak_mb"],
        "skipped": build["skipped"],
        "index_mb": size / 1e6,
        "fresh_first_s": fresh["first"],
        "fresh_median_s": fresh["median"],
        "fresh_result": fresh["fresh"],
        "update_median_s": update["median"],
        "update_max_s": update["max"],
        "update_named_median_s": update["named_median"],
        "update_named_max_s": update["named_max"],
        "query_p50_ms": queries["p50_ms"],
        "query_p95_ms": queries["p95_ms"],
        "query_max_ms": queries["max_ms"],
        "query_cold_p50_ms": queries["cold_p50_ms"],
        "query_cold_p95_ms": queries["cold_p95_ms"],
        "typing_first_median_ms": queries["typing_first_median_ms"],
        "typing_first_max_ms": queries["typing_first_max_ms"],
        "plain_term_median_ms": queries["plain_term_median_ms"],
        "spelling": queries["spelling"],
        "letters_s": listing["seconds"],
        "query_peak_mb": queries["peak_mb"],
        "per_query": queries["queries"],
        "brute_p50_ms": brute_figures["p50_ms"],
        "brute_vs_index": brute_figures["p50_ms"] / queries["brute_index_p50_ms"],
        "index_p50_same_queries_ms": queries["brute_index_p50_ms"],
    }


def print_figures(figures: dict) -> None:
    f = figures
    print(f"\n== {f['letters']:,} letters ({f['text_mb']:.1f} MB of letter text) ==")
    print(f"full build            {f['build_s']:8.1f} s   {f['build_mb_per_s']:.2f} MB/s   peak {f['build_peak_mb']:.0f} MB   ({f['skipped']} skipped)")
    print(f"index size            {f['index_mb']:8.1f} MB")
    print(f"freshness, no change  {f['fresh_first_s'] * 1000:8.0f} ms first in a new process, {f['fresh_median_s'] * 1000:.0f} ms median (fresh: {f['fresh_result']})")
    print(f"one-letter update     {f['update_median_s'] * 1000:8.0f} ms median, {f['update_max_s'] * 1000:.0f} ms worst of 3 (full refresh: lists the corpus)")
    print(f"  named (add, sync)   {f['update_named_median_s'] * 1000:8.0f} ms median, {f['update_named_max_s'] * 1000:.0f} ms worst of 3 (refresh(only=[letter]))")
    print(f"query latency, first  p50 {f['query_cold_p50_ms']:.1f} ms   p95 {f['query_cold_p95_ms']:.1f} ms")
    print(f"query latency, again  p50 {f['query_p50_ms']:.1f} ms   p95 {f['query_p95_ms']:.1f} ms   max {f['query_max_ms']:.1f} ms   peak {f['query_peak_mb']:.0f} MB")
    print(f"plain Whoosh term     {f['plain_term_median_ms']:8.1f} ms median (top 10 by BM25, same index, searcher open)")
    print(f"typing 2-4 letters    {f['typing_first_median_ms']:8.1f} ms median first run, {f['typing_first_max_ms']:.1f} ms worst")
    print("did you mean          " + ", ".join(f"{word} {ms:.1f} ms -> {found[0] if found else '-'}" for ms, word, found in f["spelling"]))
    print(f"letters() first call  {f['letters_s'] * 1000:8.0f} ms in a new process")
    print(f"brute-force regex     p50 {f['brute_p50_ms']:.0f} ms vs index {f['index_p50_same_queries_ms']:.1f} ms on the same word queries: {f['brute_vs_index']:.0f}x slower")
    print("per query (first run and median of repeats, ms; matching letters):")
    for query, data in f["per_query"].items():
        print(f"  {data['first_ms']:7.1f} {data['median_ms']:7.1f}  {data['letters']:>7}  {query}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reuse", action="store_true", help="use the index already in --work (skip the build)")
    parser.add_argument("--no-brute", action="store_true", help="skip the brute-force scan (minutes at 100,000 letters)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefreader-bench"))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--phase", choices=["build", "fresh", "query", "letters"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        phases = {"build": phase_build, "fresh": phase_fresh, "query": phase_query, "letters": phase_letters}
        print(json.dumps(phases[args.phase](args.corpus, args.index)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for count in args.sizes:
        figures = bench_size(count, args.work, args.reuse, brute=not args.no_brute)
        print_figures(figures)
        results.append(figures)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
