"""The index: where it lives, what it stores, keeping it fresh, broken letters, damage, concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from search_fixtures import helpers
from search_fixtures.helpers import listing, mini_index

import briefreader.index.schema as schema_module
from briefreader.analysis import term, words
from briefreader.corpus import CorpusError
from briefreader.index import IndexLocked, Layout, SectionInfo, open_index
from briefreader.search import search
from briefreader.search.locate import positions

# Fixtures, by assignment (an imported fixture is "unused" to a linter).
built_index, isolated_dirs, mini_corpus = helpers.built_index, helpers.isolated_dirs, helpers.mini_corpus

AFGHANISTAN = "2021-08-26-jbz-afghanistan"
ALL = (
    "2020-11-30-visserijraad",
    AFGHANISTAN,
    "2022-06-14-moldavie",
    "2023-02-09-digitale-overheid",
    "2024-01-15-frontex-evaluatie",
)
TESTS = Path(__file__).parent


def hits(index, query: str) -> list[tuple[str, int | None, int | None]]:
    """The best paragraph of each matching letter, best letter first."""
    result = search(index, query, limit=50)
    assert result.message is None, result.message
    return [(letter.letter, letter.paragraphs[0].paragraph, letter.paragraphs[0].footnote) for letter in result.letters]


# --- building and what is stored ------------------------------------------------------------


def test_first_refresh_indexes_every_letter_in_the_user_cache(mini_corpus, tmp_path):
    before = listing(mini_corpus)
    index = mini_index(mini_corpus)
    assert not index.is_fresh()
    assert index.letters() == []
    progress: list[tuple[int, int]] = []
    report = index.refresh(progress=lambda done, total: progress.append((done, total)))
    assert report.added == ALL and report.changed == report.removed == report.skipped == ()
    assert report.letters == 5
    assert progress[0] == (0, 5) and progress[-1] == (5, 5) and len(progress) == 6
    assert index.is_fresh()
    # The index is a cache under XDG_CACHE_HOME; the corpus folder is left exactly as it was.
    assert (tmp_path / "xdg-cache" / "briefreader" / "indexes") in index.index_dir.parents
    assert listing(mini_corpus) == before


def test_letters_come_from_the_letters_table_newest_first(built_index, mini_corpus):
    letters = built_index.letters()
    assert [info.id for info in letters] == list(reversed(ALL))
    info = built_index.letter(AFGHANISTAN)
    assert info is not None and info.path == mini_corpus / f"{AFGHANISTAN}.txt"
    assert info.title == "Ingelaste JBZ-Raad van 31 augustus 2021 en verslag IPCR over Litouwen"
    assert info.date == "2021-08-26"
    assert info.dossiers == (("32317", "JBZ-Raad"),)
    assert info.number == "703" and info.kst_id == "kst-32317-703"
    assert info.signatories == (
        ("De Minister van Justitie en Veiligheid", "F.B.J. Grapperhaus"),
        ("De Staatssecretaris van Justitie en Veiligheid", "A. Broekers-Knol"),
    )
    # Three paragraphs before the heading, so `Verslag IPCR` starts at letter-wide position 3.
    assert info.sections == (SectionInfo(None, 0), SectionInfo("Verslag IPCR", 3))
    assert info.cites == ("kst-32317-700", "kst-21501-20-1700")
    assert info.tags == ("migratie", "afghanistan")
    assert info.paragraphs == 7 and info.footnotes == 3
    assert info.summary.startswith("Hierbij informeer ik uw Kamer")
    assert built_index.letter("no-such-letter") is None


def test_letters_are_read_without_parsing(built_index, mini_corpus):
    # Parsing would fail now: the letters must come from the index alone.
    built_index._loader = None
    for path in mini_corpus.iterdir():
        path.write_text("fail: would not parse\n", encoding="utf-8")
    assert len(built_index.letters()) == 5


def test_index_inside_the_corpus_is_refused(mini_corpus):
    with pytest.raises(CorpusError, match="must not be inside the corpus folder"):
        open_index(mini_corpus, mini_corpus / ".index")


def test_index_dir_option_is_used(mini_corpus, tmp_path):
    index = mini_index(mini_corpus, tmp_path / "elsewhere")
    index.refresh()
    assert (tmp_path / "elsewhere" / "CURRENT").is_file()
    assert not (tmp_path / "xdg-cache").exists()


# --- freshness ------------------------------------------------------------------------------


def test_added_changed_and_removed_letters_are_found(built_index, mini_corpus):
    (mini_corpus / "2025-02-01-nieuw.txt").write_text(
        "title: Nieuw\ndate: 2025-02-01\n\nDe zeehondencrèche blijft open.\n", encoding="utf-8"
    )
    assert not built_index.is_fresh()
    report = built_index.refresh()
    assert report.added == ("2025-02-01-nieuw",) and report.changed == report.removed == ()
    assert report.unchanged == 5
    assert hits(built_index, "zeehondencreche") == [("2025-02-01-nieuw", 0, None)]

    visserij = mini_corpus / "2020-11-30-visserijraad.txt"
    visserij.write_text(visserij.read_text(encoding="utf-8").replace("schol en tong", "haring en kabeljauw"), encoding="utf-8")
    report = built_index.refresh()
    assert report.changed == ("2020-11-30-visserijraad",) and report.added == report.removed == ()
    assert hits(built_index, "kabeljauw") == [("2020-11-30-visserijraad", 1, None)]
    assert hits(built_index, "schol") == []

    (mini_corpus / "2024-01-15-frontex-evaluatie.txt").unlink()
    report = built_index.refresh()
    assert report.removed == ("2024-01-15-frontex-evaluatie",)
    assert "2024-01-15-frontex-evaluatie" not in {hit[0] for hit in hits(built_index, "frontex")}
    assert built_index.letter("2024-01-15-frontex-evaluatie") is None

    # Nothing changed since: a second run re-indexes nothing.
    assert built_index.is_fresh()
    again = built_index.refresh()
    assert again.indexed == 0 and again.removed == () and not again.rebuilt and again.unchanged == 5


def test_a_refresh_of_named_letters_looks_at_those_alone(built_index, mini_corpus, monkeypatch):
    # What `briefreader add` and sync do: they know the letters they wrote, and at 100,000 letters
    # listing the corpus takes seconds.
    import briefreader.index.refresh as refresh_module

    (mini_corpus / "2025-02-01-nieuw.txt").write_text("title: Nieuw\ndate: 2025-02-01\n\nDe zeehondencrèche blijft open.\n", encoding="utf-8")
    (mini_corpus / "2025-02-02-kapot.txt").write_bytes(b"\xff\xfe\x00 not a letter")
    visserij = mini_corpus / "2020-11-30-visserijraad.txt"
    visserij.write_text(visserij.read_text(encoding="utf-8").replace("schol en tong", "haring en kabeljauw"), encoding="utf-8")
    (mini_corpus / "2024-01-15-frontex-evaluatie.txt").unlink()
    moldavie = mini_corpus / "2022-06-14-moldavie.txt"
    moldavie.write_text(moldavie.read_text(encoding="utf-8") + "\nOver de walvisvangst.\n", encoding="utf-8")  # not named
    with monkeypatch.context() as patch:
        patch.setattr(refresh_module, "scan_corpus", lambda folder: pytest.fail("the corpus was listed"))
        report = built_index.refresh(only=["2025-02-01-nieuw", "2025-02-02-kapot", "2020-11-30-visserijraad", "2024-01-15-frontex-evaluatie", "nooit-gezien"])
    assert report.added == ("2025-02-01-nieuw",)
    assert report.changed == ("2020-11-30-visserijraad",)
    assert report.removed == ("2024-01-15-frontex-evaluatie",)
    assert [(Path(path).name, "parse" in problem or "UTF" in problem or bool(problem)) for path, problem in report.skipped] == [("2025-02-02-kapot.txt", True)]
    assert report.unchanged == 3 and report.letters == 5 and not report.rebuilt
    assert hits(built_index, "zeehondencreche") == [("2025-02-01-nieuw", 0, None)]
    assert hits(built_index, "kabeljauw") == [("2020-11-30-visserijraad", 1, None)]
    assert hits(built_index, "schol") == [] and built_index.letter("2024-01-15-frontex-evaluatie") is None
    assert [info.id for info in built_index.letters()][:1] == ["2025-02-01-nieuw"]
    # The letter changed behind its back is found by the next full refresh, as before.
    assert hits(built_index, "walvisvangst") == [] and not built_index.is_fresh()
    report = built_index.refresh()
    assert report.changed == ("2022-06-14-moldavie",) and report.added == report.removed == ()
    assert hits(built_index, "walvisvangst") and built_index.is_fresh()


def test_a_touched_letter_is_hashed_not_reindexed(built_index, mini_corpus):
    path = mini_corpus / f"{AFGHANISTAN}.txt"
    later = time.time() + 100
    os.utime(path, (later, later))
    assert built_index.is_fresh()  # same content hash
    parsed: list[Path] = []
    built_index._loader = lambda p: parsed.append(p)  # would be called if it re-indexed
    report = built_index.refresh()
    assert report.indexed == 0 and parsed == []


def test_a_changed_sidecar_reindexes_its_letter(built_index, mini_corpus):
    (mini_corpus / f"{AFGHANISTAN}.yaml").write_text("title: x\n", encoding="utf-8")
    assert not built_index.is_fresh()
    assert built_index.refresh().changed == (AFGHANISTAN,)


def test_the_layout_holds_through_updates_and_merges(built_index, mini_corpus):
    # The search relies on it: one document per letter, and each stored block's range of word
    # numbers holds exactly that block's words (see briefreader.index.documents).
    path = mini_corpus / "2022-06-14-moldavie.txt"
    text = path.read_text(encoding="utf-8")
    for round_ in range(12):
        path.write_text(text + f"Aanvulling {round_} over grenswachten.\n", encoding="utf-8")
        other = mini_corpus / f"extra-{round_}.txt"
        other.write_text(f"title: Extra {round_}\n\nEen extra brief {round_}.\nNog een alinea.[1]\n[^1] Een noot.\n", encoding="utf-8")
        built_index.refresh()
    with built_index.searcher() as searcher:
        reader = searcher.reader()
        live = list(searcher.document_numbers())
        assert len(live) == 5 + 12 == len({reader.stored_fields(d)["letter"] for d in live})
        for docnum in live:
            layout = Layout.from_stored(reader.stored_fields(docnum)["layout"])
            for block in layout.blocks:
                terms = [t for t in map(term, words(block.text)) if t]
                assert block.end - block.start == len(terms)
                for offset, found in enumerate(terms):
                    assert block.start + offset in positions(searcher, block.field, found, [docnum])[docnum]


# --- letters that can't be read ---------------------------------------------------------------


def test_a_broken_letter_is_skipped_with_its_name_and_the_rest_indexed(mini_corpus):
    (mini_corpus / "leeg.txt").write_text("", encoding="utf-8")
    (mini_corpus / "kapot.txt").write_text("fail: the parser gives up\n", encoding="utf-8")
    index = mini_index(mini_corpus)
    report = index.refresh()
    assert report.added == ALL
    assert report.skipped == (
        (str(mini_corpus / "kapot.txt"), "the parser gives up"),
        (str(mini_corpus / "leeg.txt"), "is empty"),
    )
    assert hits(index, "frontex")
    # Known broken letters are not parsed again until they change, but still reported.
    assert index.is_fresh()
    again = index.refresh()
    assert again.indexed == 0 and len(again.skipped) == 2
    (mini_corpus / "leeg.txt").write_text("title: Niet meer leeg\n\nHerstelde brief over walvissen.\n", encoding="utf-8")
    fixed = index.refresh()
    assert fixed.changed == ("leeg",) and len(fixed.skipped) == 1
    assert hits(index, "walvissen") == [("leeg", 0, None)]


def test_a_parser_crash_is_a_skip_not_a_failure(mini_corpus):
    def crashing(path: Path):
        if path.stem == AFGHANISTAN:
            raise ValueError("unexpected layout")
        from search_fixtures.mini import load_mini

        return load_mini(path)

    index = open_index(mini_corpus, loader=crashing)
    report = index.refresh()
    assert len(report.added) == 4
    assert report.skipped == ((str(mini_corpus / f"{AFGHANISTAN}.txt"), "could not be parsed (ValueError: unexpected layout)"),)


# --- version stamp and damage -----------------------------------------------------------------


def test_a_new_schema_version_rebuilds_with_a_notice(built_index, mini_corpus, monkeypatch):
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", schema_module.SCHEMA_VERSION + 1)
    index = mini_index(mini_corpus)
    assert not index.is_fresh()
    report = index.refresh()
    assert report.rebuilt and report.notice is not None and "format changed" in report.notice
    assert report.letters == 5 and hits(index, "moldavie")


def _largest_whoosh_file(index) -> Path:
    generation = index._current_generation()
    files = [p for p in generation.iterdir() if p.name.startswith("MAIN_") and p.suffix != ""]
    return max(files, key=lambda p: p.stat().st_size)


def truncate_segment(index):
    path = _largest_whoosh_file(index)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def scramble_toc(index):
    # Same size, garbage content: the size check passes, reading fails.
    toc = next(index._current_generation().glob("_MAIN_*.toc"))
    toc.write_bytes(b"\x00" * toc.stat().st_size)


def garbage_pointer(index):
    (index.index_dir / "CURRENT").write_text("../../etc\n", encoding="utf-8")


def lose_manifest(index):
    (index._current_generation() / "manifest.sqlite").unlink()


def corrupt_manifest(index):
    (index._current_generation() / "manifest.sqlite").write_text("{not a database", encoding="utf-8")


def test_an_index_of_an_older_briefreader_is_rebuilt_as_a_format_change(built_index):
    # Before the manifest database, a generation held manifest.json (and letters.table).
    generation = built_index._current_generation()
    (generation / "manifest.sqlite").unlink()
    (generation / "manifest.json").write_text('{"schema": 4, "briefreader": "0.1.0", "letters": {}}', encoding="utf-8")
    assert not built_index.is_fresh()
    report = built_index.refresh()
    assert report.rebuilt and report.notice == f"The search index format changed (version 4 -> {schema_module.SCHEMA_VERSION}); rebuilding it."
    assert report.letters == 5 and built_index.is_fresh()
    assert [p.name for p in built_index.index_dir.glob("gen-*")] != [generation.name]


@pytest.mark.parametrize("damage", [truncate_segment, scramble_toc, garbage_pointer, lose_manifest, corrupt_manifest])
def test_a_damaged_index_is_rebuilt_with_a_one_line_notice(built_index, damage):
    damage(built_index)
    assert not built_index.is_fresh()
    report = built_index.refresh()
    assert report.rebuilt
    assert report.notice is not None and "damaged" in report.notice and "\n" not in report.notice
    assert report.letters == 5
    assert hits(built_index, "frontex litouwen") == [(AFGHANISTAN, 5, None)]
    assert built_index.is_fresh()


@pytest.mark.parametrize("damage", [truncate_segment, scramble_toc, garbage_pointer, lose_manifest, corrupt_manifest])
def test_a_refresh_of_named_letters_on_a_damaged_index_rebuilds_it(built_index, mini_corpus, damage):
    damage(built_index)
    (mini_corpus / "2025-02-01-nieuw.txt").write_text("title: Nieuw\ndate: 2025-02-01\n\nDe zeehondencrèche.\n", encoding="utf-8")
    report = built_index.refresh(only=["2025-02-01-nieuw"])
    assert report.rebuilt and "damaged" in (report.notice or "")
    assert report.letters == 6 and hits(built_index, "zeehondencreche") == [("2025-02-01-nieuw", 0, None)]
    assert built_index.is_fresh()


def test_search_on_a_damaged_index_answers_with_a_message(built_index):
    scramble_toc(built_index)
    result = search(built_index, "frontex")
    assert result.hits == [] and result.index_error
    assert "briefreader index --rebuild" in result.message


# --- threads and processes --------------------------------------------------------------------


def test_refresh_in_a_thread_while_another_searches(built_index, mini_corpus):
    for n in range(30):
        (mini_corpus / f"bulk-{n:02d}.txt").write_text(f"title: Bulk {n}\n\nOver Frontex, deel {n}.\n", encoding="utf-8")
    errors: list[BaseException] = []
    calls: list[str] = []

    def refresh():
        try:
            built_index.refresh(progress=lambda done, total: calls.append(threading.current_thread().name))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    worker = threading.Thread(target=refresh, name="indexer")
    worker.start()
    results = []
    while worker.is_alive():
        results.append(search(built_index, "frontex", limit=100))
    worker.join()
    assert not errors
    assert all(result.message is None for result in results)
    # Every search saw either the old index (3 letters) or the new one (33), never a half-written one.
    assert {result.total for result in results} <= {3, 33}
    assert search(built_index, "frontex", limit=100).total == 33
    assert set(calls) == {"indexer"}


def _child(code: str, corpus: Path, index_dir: Path, env) -> subprocess.Popen:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(TESTS)!r})
        from search_fixtures.mini import load_mini
        from briefreader.index import open_index
        index = open_index({str(corpus)!r}, {str(index_dir)!r}, loader=load_mini)
        """
    ) + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_process_indexing_does_not_disturb_a_reader(built_index, mini_corpus):
    # Another process rebuilds the index again and again (new generation folders, swapped in)
    # and updates letters incrementally; this process keeps searching meanwhile.
    writer = _child(
        """
        for round_ in range(6):
            index.refresh(rebuild=True)
            path = __import__("pathlib").Path(index.corpus_dir) / "2022-06-14-moldavie.txt"
            path.write_text(path.read_text() + "Extra zin.\\n")
            index.refresh()
        print("done")
        """,
        mini_corpus,
        built_index.index_dir,
        dict(os.environ),
    )
    seen = []
    while writer.poll() is None:
        result = search(built_index, "frontex litouwen")
        assert result.message is None, result.message
        seen.append([(hit.letter, hit.paragraph) for hit in result.hits[:1]])
    out, err = writer.communicate()
    assert writer.returncode == 0, err
    assert out.strip() == "done"
    assert len(seen) > 3
    assert all(hits_ == [(AFGHANISTAN, 5)] for hits_ in seen)


def test_a_writer_waits_for_the_lock_or_says_it_is_held(built_index, mini_corpus, tmp_path):
    # The other process holds the lock until this one, told to wait, lets it go (no timing involved).
    release = tmp_path / "release"
    holder = _child(
        f"""
        import pathlib
        with index._locked(None, None):
            print("locked", flush=True)
            deadline = time.monotonic() + 60
            while not pathlib.Path({str(release)!r}).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        """,
        mini_corpus,
        built_index.index_dir,
        dict(os.environ),
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match="another briefreader process is updating this index"):
            built_index.refresh(wait=0.2)
        told: list[bool] = []

        def waiting() -> None:
            told.append(True)
            release.touch()

        report = built_index.refresh(on_wait=waiting)
        assert told == [True]
        assert report.indexed == 0
    finally:
        release.touch()
        holder.communicate()


def test_searchers_are_reused_until_the_index_changes(built_index, mini_corpus):
    with built_index.searcher() as first:
        pass
    with built_index.searcher() as again:
        assert again is first  # the pool lent the same open searcher
    (mini_corpus / "2025-01-01-nieuw.txt").write_text("title: Nieuw\n\nOver walvissen.\n", encoding="utf-8")
    built_index.refresh()
    with built_index.searcher() as after:
        assert after is not first and after.doc_count() == 6
    assert hits(built_index, "walvissen") == [("2025-01-01-nieuw", 0, None)]


def test_a_searcher_is_lent_to_one_thread_at_a_time(built_index):
    lent: list = []
    barrier = threading.Barrier(3)

    def borrow():
        with built_index.searcher() as searcher:
            lent.append(searcher)
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=borrow) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(searcher) for searcher in lent}) == 3


def test_worker_processes_build_the_same_index(tmp_path):
    # Two worker processes each write a segment; the index answers exactly as one built here.
    from search_fixtures.big import write_big_corpus
    from search_fixtures.mini import load_mini

    corpus = tmp_path / "corpus"
    write_big_corpus(corpus, 120)
    (corpus / "kapot.txt").write_text("fail: the parser gives up\n", encoding="utf-8")
    serial = open_index(corpus, tmp_path / "serial", loader=load_mini)
    parallel = open_index(corpus, tmp_path / "parallel", loader=load_mini)
    calls: list[tuple[int, int]] = []
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        # As `briefreader index` on a terminal: the first call starts a progress bar's thread,
        # which must not keep the workers from being forked.
        if not calls:
            threading.Thread(target=stop.wait, daemon=True).start()
        calls.append((done, total))

    assert serial.refresh(workers=0).letters == 120
    try:
        report = parallel.refresh(workers=2, progress=progress)
    finally:
        stop.set()
    assert report.letters == 120 and report.skipped == ((str(corpus / "kapot.txt"), "the parser gives up"),)
    assert calls[0] == (0, 121) and calls[-1] == (121, 121)
    with parallel.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
    assert serial.letters() == parallel.letters()
    for query in ["verzoek", "verzoek brussel", '"tweede kamer"', "date:2019", "voor*"]:
        a, b = search(serial, query, limit=50), search(parallel, query, limit=50)
        assert [(x.letter, round(x.score, 6)) for x in a.letters] == [(x.letter, round(x.score, 6)) for x in b.letters], query
    assert parallel.is_fresh() and parallel.refresh().indexed == 0


def test_with_threads_running_the_workers_start_from_a_fork_server(tmp_path):
    # The reader refreshes its index in a thread, beside Textual's: the build still uses workers.
    from search_fixtures.big import write_big_corpus
    from search_fixtures.mini import load_mini

    corpus = tmp_path / "corpus"
    write_big_corpus(corpus, 40)
    index = open_index(corpus, tmp_path / "idx", loader=load_mini)
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
    try:
        assert index.refresh(workers=2).letters == 40
    finally:
        stop.set()
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
    serial = open_index(corpus, tmp_path / "serial", loader=load_mini)
    serial.refresh(workers=0)
    assert index.letters() == serial.letters()
    for query in ['"tweede kamer"', "date:2019", "voor*"]:
        a, b = search(serial, query, limit=50), search(index, query, limit=50)
        assert a.letters and [x.letter for x in a.letters] == [x.letter for x in b.letters], query


def test_workers_start_while_textual_captures_stderr(tmp_path):
    # In the reader, sys.stderr is Textual's print capture (fileno() -1) and a thread runs: the
    # fork server and resource tracker must still start (a new process: they start only once).
    script = textwrap.dedent(
        f"""
        import sys, threading
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from search_fixtures.big import write_big_corpus
        from search_fixtures.mini import load_mini
        from pathlib import Path
        from briefreader.index import open_index

        class Capture:
            def write(self, text): return len(text)
            def flush(self): pass
            def fileno(self): return -1

        corpus = Path({str(tmp_path / "corpus")!r})
        write_big_corpus(corpus, 30)
        index = open_index(corpus, Path({str(tmp_path / "idx")!r}), loader=load_mini)
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        sys.stderr = Capture()
        report = index.refresh(workers=2)
        stop.set()
        with index.searcher() as searcher:
            print(report.letters, len(searcher.leaf_searchers()))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["30", "2"]


def test_a_worker_that_fails_leaves_nothing_behind(tmp_path, monkeypatch):
    from search_fixtures.big import write_big_corpus
    from search_fixtures.mini import load_mini

    import briefreader.index.writing as writing

    corpus = tmp_path / "corpus"
    write_big_corpus(corpus, 30)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(writing, "letter_document", broken)
    index = open_index(corpus, tmp_path / "idx", loader=load_mini)
    with pytest.raises(writing.WorkerFailed, match="simulated crash"):
        index.refresh(workers=2)
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == ["BRIEFREADER-INDEX", "lock"]


def test_the_reader_opens_an_indexed_corpus_without_importing_the_search_engine(built_index, mini_corpus):
    # The reader's first letter comes from the letters table; Whoosh (an eighth of a second to
    # import) waits for the first search or the freshness check, after the first screen.
    script = textwrap.dedent(
        f"""
        import sys
        from briefreader.commands.app import build_app
        app = build_app(corpus={str(mini_corpus)!r}, index_dir={str(built_index.index_dir)!r})
        newest = app.library.newest()
        print(newest.id, app.library.listed, "whoosh" in sys.modules)
        """
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ).stdout.split()
    assert shown == [built_index.letters()[0].id, "False", "False"]


def test_a_named_letter_that_cannot_be_looked_up_is_not_taken_for_removed(built_index, mini_corpus, monkeypatch):
    import briefreader.corpus as corpus_module

    looked_up = os.stat

    def stat(path, *args, **kwargs):
        if str(path).startswith(str(mini_corpus)):
            raise PermissionError(13, "Permission denied", str(path))
        return looked_up(path, *args, **kwargs)

    monkeypatch.setattr(corpus_module.os, "stat", stat)
    with pytest.raises(CorpusError, match="cannot be read .Permission denied"):
        built_index.refresh(only=[AFGHANISTAN])
    monkeypatch.undo()
    assert built_index.letter(AFGHANISTAN) is not None and built_index.is_fresh()
