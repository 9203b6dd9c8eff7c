"""How fast `briefreader sync` fills a corpus, side by side with a bare download loop, in one run.

A local SRU server (tests/sync_fixtures/server.py) serves N synthetic letters of one dossier (XML
and metadata.xml each). Measured, each repeated and the median taken:

- `sync`: `run_sync` into an empty corpus (listing, download, parse check, atomic store, state);
- `bare`: what a user would otherwise script: httpx, the same listing pages, GET each XML and
  metadata.xml, write the files; no checks, no state (the lower bound for the same requests);
- `again`: a second `run_sync` with nothing new (the incremental listing);
- `relist`: a second run without the incremental state's listing date (the full listing, every
  record compared with the state).

The politeness pause between requests (0.1 s) is set to 0 for all of them: it is a fixed, deliberate
cost on the real service (about 0.2 s a letter, two requests each), not the tool's speed.

    .venv/bin/python bench/bench_sync.py [--letters 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sync_fixtures.server import SruServer  # noqa: E402

from briefreader.sync.client import HttpClient  # noqa: E402
from briefreader.sync.plan import make_plan  # noqa: E402
from briefreader.sync.run import run_sync  # noqa: E402
from briefreader.sync.state import load_state  # noqa: E402


def bare(server: SruServer, folder: Path) -> int:
    """List with the same query and pages, fetch each XML and metadata.xml, write them. Requests made."""
    requests = 0
    query = make_plan(["99999"]).sources[0].cql(None, None)
    with httpx.Client() as http:
        position = 1
        while True:
            answer = http.get(server.sru, params={"operation": "searchRetrieve", "version": "2.0", "query": query, "startRecord": str(position), "maximumRecords": "100"})
            requests += 1
            text = answer.text
            for identifier, meta_url, xml_url in re.findall(
                r"<dcterms:identifier>([^<]+)</dcterms:identifier>.*?manifestation=\"metadata\">([^<]+)<.*?manifestation=\"xml\">([^<]+)<", text, re.S
            ):
                (folder / f"{identifier}.xml").write_bytes(http.get(xml_url).content)
                (folder / f"{identifier}.metadata.xml").write_bytes(http.get(meta_url).content)
                requests += 2
            found = re.search(r"<sru:nextRecordPosition>(\d+)<", text)
            if not found:
                return requests
            position = int(found.group(1))


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.letters
    results: dict[str, list[float]] = {"sync": [], "bare": [], "again": [], "relist": []}
    counts: dict[str, int] = {}
    with SruServer() as server, tempfile.TemporaryDirectory() as scratch:
        server.generate(n)
        plan = make_plan(["99999"], base_url=server.sru)
        for round_ in range(args.repeat):
            corpus = Path(scratch) / f"corpus-{round_}"
            state_file = Path(scratch) / f"state-{round_}.json"
            seconds, report = timed(lambda corpus=corpus, state_file=state_file: run_sync(plan, corpus, client=HttpClient(interval=0), state_file=state_file))
            assert len(report.new) == n, (report.error, report.problems, report.failed[:2])
            results["sync"].append(seconds)
            counts["sync"] = report.requests

            plain = Path(scratch) / f"bare-{round_}"
            plain.mkdir()
            seconds, requests = timed(lambda plain=plain: bare(server, plain))
            results["bare"].append(seconds)
            counts["bare"] = requests

            seconds, report = timed(lambda corpus=corpus, state_file=state_file: run_sync(plan, corpus, client=HttpClient(interval=0), state_file=state_file))
            assert not report.new and report.ok
            results["again"].append(seconds)
            counts["again"] = report.requests

            state = load_state(corpus, state_file)
            state.listings.clear()
            state.save()
            seconds, report = timed(lambda corpus=corpus, state_file=state_file: run_sync(plan, corpus, client=HttpClient(interval=0), state_file=state_file))
            assert not report.new and len(report.skipped) == n
            results["relist"].append(seconds)
            counts["relist"] = report.requests
            shutil.rmtree(corpus)
            shutil.rmtree(plain)

    median = {name: statistics.median(values) for name, values in results.items()}
    print(f"{n} letters, median of {args.repeat} rounds (local server, no pause between requests)")
    print(f"{'':8} {'total':>9} {'per letter':>12} {'requests':>9} {'req/letter':>11}")
    for name in ("sync", "bare", "again", "relist"):
        print(f"{name:8} {median[name]:8.2f}s {1000 * median[name] / n:10.2f}ms {counts[name]:9d} {counts[name] / n:11.3f}")
    print(f"sync / bare: {median['sync'] / median['bare']:.2f}x   again / sync: {median['again'] / median['sync']:.3f}x   relist / sync: {median['relist'] / median['sync']:.3f}x")


if __name__ == "__main__":
    main()
