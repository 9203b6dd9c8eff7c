"""`briefreader sync` end to end against a local SRU server: what the user sees and gets in the corpus."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sync_fixtures.server import SruServer

from briefreader.cli import main
from briefreader.sync import client as client_module
from briefreader.sync.client import HttpClient
from briefreader.sync.plan import make_plan
from briefreader.sync.run import run_sync
from briefreader.sync.state import load_state

ROOT = Path(__file__).resolve().parent.parent
LETTERS_32317 = ["kst-32317-896", "kst-32317-897", "kst-32317-899", "kst-32317-900"]


@pytest.fixture
def server():
    with SruServer() as running:
        yield running


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Real backoff and pauses are seconds; here they are next to nothing."""
    monkeypatch.setattr(client_module, "REQUEST_INTERVAL", 0.0)
    monkeypatch.setattr(client_module, "BACKOFF", 0.01)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return tmp_path / "brieven"


def sync(capsys, server, corpus, *options: str) -> tuple[int, str, str]:
    code = main(["sync", "--base-url", server.sru, "--corpus", str(corpus), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def letter_files(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir())


def file_requests(server) -> list[str]:
    return [r.path for r in server.requests if r.path.startswith("/frbr/")]


def test_a_first_sync_stores_the_letters_of_the_dossier_with_their_metadata(server, corpus, capsys):
    code, out, err = sync(capsys, server, corpus, "--dossier", "32 317")
    assert code == 0, err
    assert letter_files(corpus) == [
        "kst-32317-896.metadata.xml",
        "kst-32317-896.xml",
        "kst-32317-897.metadata.xml",
        "kst-32317-897.pdf",  # no XML published: the PDF
        "kst-32317-899.metadata.xml",
        "kst-32317-899.xml",
        "kst-32317-900.metadata.xml",
        "kst-32317-900.xml",
    ]  # the motion (kst-32317-898) is no letter
    lines = out.splitlines()
    assert lines[0] == "new       2024-06-10  kst-32317-900  Verslag van de formele JBZ-Raad van 13 en 14 juni 2024"
    assert [line.split()[2] for line in lines] == ["kst-32317-900", "kst-32317-899", "kst-32317-897", "kst-32317-896"]  # newest first
    assert f"Synced dossier 32317 into {corpus.resolve()}: 4 new, 0 updated, 0 skipped, 0 failed" in err
    assert "1 document that is no letter left out (--all takes them)" in err
    assert "Index up to date: 4 letters" in err
    # The index was refreshed: search finds the new letters at once.
    code = main(["search", "grensbeheer", "--corpus", str(corpus)])
    assert code == 0 and "kst-32317-899" in capsys.readouterr().out
    # The query asked the service for Kamerstukken of the dossier, without attachments, newest first.
    query = server.sru_requests()[0].params["query"]
    assert 'w.dossiernummer=="32317"' in query and query.endswith("sortBy dt.date/sort.descending")


def test_a_second_sync_fetches_nothing_and_says_so(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    before = {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()}
    server.requests.clear()
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert out == ""
    assert f"Synced dossier 32317 into {corpus.resolve()}: nothing new (1 request" in err
    assert file_requests(server) == []
    assert {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()} == before
    # Only what changed since the last complete listing was asked for (with a margin of days).
    assert 'dt.modified>="' in server.sru_requests()[0].params["query"]


def test_a_changed_publication_replaces_its_file_and_keeps_the_sidecar(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    sidecar = corpus / "kst-32317-900.yaml"
    sidecar.write_text("tags: [jbz]\nnotes: mijn aantekening\n", encoding="utf-8")
    old = (corpus / "kst-32317-900.xml").read_bytes()
    new = old.replace(b"in Luxemburg.", b"in Luxemburg. Dit verslag is gecorrigeerd.")
    server.change("kst-32317-900", "2099-01-01", new)
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert out.startswith("updated   2024-06-10  kst-32317-900  Verslag van de formele JBZ-Raad")
    assert "1 updated" in err
    assert (corpus / "kst-32317-900.xml").read_bytes() == new
    assert sidecar.read_text(encoding="utf-8") == "tags: [jbz]\nnotes: mijn aantekening\n"
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]
    main(["search", "gecorrigeerd", "tag:jbz", "--corpus", str(corpus)])
    assert "kst-32317-900" in capsys.readouterr().out


def test_a_file_the_user_changed_is_never_replaced(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    mine = corpus / "kst-32317-899.xml"
    mine.write_bytes(mine.read_bytes().replace(b"Hierbij", b"Hierbij (mijn markering)"))
    edited = mine.read_bytes()
    server.change("kst-32317-899", "2099-01-01", b"<officiele-publicatie/>")
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert "skipped   2024-05-28  kst-32317-899" in out
    assert "a newer version is published, but you changed this file; left as it is" in out
    assert mine.read_bytes() == edited


def test_a_letter_already_in_the_corpus_under_another_name_is_not_fetched(server, corpus, capsys, tmp_path):
    sync(capsys, server, tmp_path / "elders", "--dossier", "32317")
    corpus.mkdir()
    (corpus / "verslag-jbz-juni.xml").write_bytes((tmp_path / "elders" / "kst-32317-900.xml").read_bytes())
    server.requests.clear()
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert "3 new, 0 updated, 1 skipped" in err
    assert not (corpus / "kst-32317-900.xml").exists()
    assert not any("kst-32317-900/" in path for path in file_requests(server))


def test_dry_run_lists_what_would_be_fetched_and_writes_nothing(server, corpus, capsys):
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317", "--dry-run", "--all")
    assert code == 0, err
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["would", "get", "2024-06-10"],
        ["would", "get", "2024-05-28"],
        ["would", "get", "2024-05-20"],
        ["would", "get", "2024-04-15"],
        ["would", "get", "2024-03-01"],
    ]
    assert "Motie van het lid Van Dijk over terugkeersamenwerking" in out
    assert "dry run (dossier 32317): 5 would be fetched, 0 updated, 0 already in the corpus" in err
    assert not corpus.exists()
    assert file_requests(server) == []
    assert not load_state(corpus).path.exists()


def test_limit_since_and_until_narrow_the_listing(server, corpus, capsys):
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317", "--limit", "2")
    assert code == 0, err
    assert [line.split()[2] for line in out.splitlines()] == ["kst-32317-900", "kst-32317-899"]
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317", "--since", "2024-03", "--until", "2024-04")
    assert [line.split()[2] for line in out.splitlines()] == ["kst-32317-897", "kst-32317-896"]
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317", "--since", "2024-05", "--until", "2024-04")
    assert code == 2 and "--since 2024-05-01 is after --until 2024-04-30" in err


def test_the_watch_list_is_synced_without_arguments(server, corpus, capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"watch:\n  dossiers: ['32 317', bogus]\n  queries: [Stikstof]\nsync:\n  base_url: {server.sru}\n", encoding="utf-8"
    )
    monkeypatch.setenv("BRIEFREADER_CONFIG", str(config))
    code = main(["sync", "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"warning: {config}: `watch.dossiers`: `bogus` is not a dossier number" in err
    ids = [line.split()[2] for line in out.splitlines()]
    assert ids == LETTERS_32317[::-1] + ["kst-35334-300"]  # the query's other hit came with the dossier
    assert 'Synced dossier 32317, query "Stikstof" into' in err


def test_no_watch_list_and_no_arguments_is_a_usage_error(corpus, capsys):
    assert main(["sync", "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefreader: nothing to sync: name --dossier or --query, or list them in ")
    assert err.count("\n") == 1


def test_paging_follows_next_record_position(server, corpus):
    plan = dataclasses.replace(make_plan(["32317"], base_url=server.sru, all_types=True), page_size=2)
    report = run_sync(plan, corpus, client=HttpClient(interval=0), dry_run=True)
    assert [r.identifier for r in report.planned] == ["kst-32317-900", "kst-32317-899", "kst-32317-898", "kst-32317-897", "kst-32317-896"]
    assert [r.params["startRecord"] for r in server.sru_requests()] == ["1", "3", "5"]
    assert {r.params["maximumRecords"] for r in server.sru_requests()} == {"2"}


# --- bad answers, no network ------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, message",
    [
        ("diagnostic", "the repository refused the query: Unsupported index (dt.nonsense) [info:srw/diagnostic/1/16]"),
        ("html", "the answer is not an SRU answer (it is text/html): an HTML page, not XML"),
    ],
)
def test_a_bad_answer_is_one_line_and_exit_1(server, corpus, capsys, action, message):
    server.fail("/sru", [action])
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 1
    assert f"briefreader: dossier 32317: {server.sru}: {message}\n" in err
    assert "Traceback" not in err and out == ""


def test_a_busy_service_is_waited_for(server, corpus, capsys):
    server.fail("/sru", [503])
    server.fail("/frbr/officielepublicaties/kst/32317/kst-32317-900/1/xml/", [503])
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert "4 new" in err


def test_no_network_is_one_line_and_exit_1(corpus, capsys):
    with SruServer() as gone:
        url = gone.sru
    code = main(["sync", "--dossier", "32317", "--base-url", url, "--corpus", str(corpus)])
    err = capsys.readouterr().err
    assert code == 1
    port = url.split(":")[2].split("/")[0]
    assert f"briefreader: cannot reach 127.0.0.1:{port}: the connection was refused\n" in err
    assert "Traceback" not in err


def test_odd_records_are_explained_and_the_good_ones_stored(server, corpus, capsys):
    code, out, err = sync(capsys, server, corpus, "--dossier", "11111", "--all")
    assert code == 1, err  # one publication had nothing to fetch
    assert "warning: dossier 11111: `blg-1184123` is not a Kamerstuk identifier (kst-<dossier>-<number>); left out" in err
    assert "warning: dossier 11111: `kst-32317-898/../../evil` is not a Kamerstuk identifier" in err
    assert "warning: dossier 11111: record 6: not a gzd record (record schema info:srw/schema/1/dc-v1.1); left out" in err
    assert "failed    2024-03-01  kst-32317-896  Verslag van de informele JBZ-Raad van 25 en 26 januari 2024  (the repository publishes no XML or PDF of it)" in out
    # The record without any date is stored all the same; its date comes from the letter.
    assert "new       2024-05-28  kst-32317-899" in out
    assert sorted(p.name for p in corpus.iterdir() if p.suffix == ".xml" and "metadata" not in p.name) == ["kst-32317-899.xml", "kst-32317-900.xml"]
    assert not (corpus.parent / "evil").exists()


def test_a_download_cut_short_every_time_fails_cleanly_and_the_next_run_gets_it(server, corpus, capsys):
    path = "/frbr/officielepublicaties/kst/32317/kst-32317-899/1/xml/kst-32317-899.xml"
    server.fail(path, ["truncate"] * 4)  # the first try and all three retries are cut short
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 1
    failed = [line for line in out.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "kst-32317-899" in failed[0]
    assert "the answer broke off" in failed[0] and "(tried 4 times)" in failed[0]
    # and its PDF, which the record names, is not on the server either
    assert "HTTP 404 Not Found" in failed[0]
    assert "3 new, 0 updated, 0 skipped, 1 failed" in err
    assert not any(p.name.startswith("kst-32317-899") for p in corpus.iterdir())
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]
    # The next run tries it again, though the listing asks only for what changed since.
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert out.startswith("new       2024-05-28  kst-32317-899")
    assert (corpus / "kst-32317-899.xml").read_bytes().rstrip().endswith(b"</officiele-publicatie>")


# --- interruptions ----------------------------------------------------------------------------


def test_cancel_stops_between_publications_and_the_next_run_goes_on(server, corpus):
    cancel = threading.Event()

    def progress(update):
        if update.result is not None and update.result.status == "new":
            cancel.set()  # as the reader's worker would, when the user presses its stop key

    plan = make_plan(["32317"], base_url=server.sru)
    report = run_sync(plan, corpus, client=HttpClient(interval=0), progress=progress, cancel=cancel)
    assert report.cancelled and not report.ok
    assert [r.identifier for r in report.new] == ["kst-32317-900"]
    assert sorted(p.name for p in corpus.iterdir()) == ["kst-32317-900.metadata.xml", "kst-32317-900.xml"]
    report = run_sync(plan, corpus, client=HttpClient(interval=0))
    assert report.ok
    assert [r.identifier for r in report.new] == ["kst-32317-899", "kst-32317-897", "kst-32317-896"]
    assert [r.identifier for r in report.skipped] == ["kst-32317-900"]


def test_a_file_written_just_before_a_crash_is_recognised_not_duplicated(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    state = load_state(corpus)
    state.path.unlink()  # as if the process died after the rename, before the state was saved
    before = letter_files(corpus)
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert out == "" and "0 new, 0 updated, 4 skipped, 0 failed" in err
    assert letter_files(corpus) == before
    assert set(load_state(corpus).stored) == set(LETTERS_32317)  # ours again: a later update may replace them


def test_a_damaged_state_is_a_notice_and_nothing_is_duplicated(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    load_state(corpus).path.write_text("{not json", encoding="utf-8")
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert "sync state damaged (not valid JSON); set aside as" in err
    assert "0 new, 0 updated, 4 skipped" in err


def _sync_process(server, corpus, env_home: Path) -> subprocess.Popen:
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = os.environ[name]
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen(
        [sys.executable, "-m", "briefreader", "sync", "--dossier", "32317", "--base-url", server.sru, "--corpus", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=env_home,
    )


def _wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def test_sigkill_in_the_middle_leaves_no_half_file_and_the_next_run_goes_on(server, corpus, capsys, tmp_path):
    hang = "/frbr/officielepublicaties/kst/32317/kst-32317-897/"
    server.slow(hang, 30)  # hangs on the third letter
    process = _sync_process(server, corpus, tmp_path)
    try:
        _wait_for(lambda: (corpus / "kst-32317-899.xml").exists())
        _wait_for(lambda: any("kst-32317-897" in r.path for r in server.requests))
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert letter_files(corpus) == ["kst-32317-899.metadata.xml", "kst-32317-899.xml", "kst-32317-900.metadata.xml", "kst-32317-900.xml"]
    server.slow(hang, 0)
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert [line.split()[2] for line in out.splitlines()] == ["kst-32317-897", "kst-32317-896"]
    assert "2 new, 0 updated, 2 skipped, 0 failed" in err


def test_ctrl_c_stops_after_the_current_request_and_keeps_what_was_stored(server, corpus, tmp_path):
    server.slow("/frbr/officielepublicaties/kst/32317/kst-32317-897/", 1.0)
    process = _sync_process(server, corpus, tmp_path)
    try:
        _wait_for(lambda: any("kst-32317-897" in r.path for r in server.requests))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    err_text = err.decode()
    assert process.returncode == 130, err_text
    assert "Stopping after the current request" in err_text
    assert "Stopped dossier 32317 into" in err_text and "Traceback" not in err_text
    assert "kst-32317-896" not in out.decode()
    assert not (corpus / "kst-32317-896.xml").exists()
    assert (corpus / "kst-32317-900.xml").exists()


# --- text from outside ---------------------------------------------------------------------------


def test_markup_and_control_characters_in_a_query_are_shown_not_obeyed(server, corpus, capsys):
    code, out, err = sync(capsys, server, corpus, "--query", "[bold]x[/] \x1b]52;c;aGk=\x07")
    assert code == 0, err
    assert 'query "[bold]x[/] ␛]52;c;aGk=' in err
    assert "\x1b" not in err and "\x07" not in err


def test_a_download_that_is_not_a_letter_fails_and_leaves_the_corpus_alone(server, corpus, capsys):
    server.files["/frbr/officielepublicaties/kst/32317/kst-32317-900/1/xml/kst-32317-900.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    server.files["/frbr/officielepublicaties/kst/32317/kst-32317-900/1/pdf/kst-32317-900.pdf"] = b"<html>niet gevonden</html>"
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317", "--limit", "1")
    assert code == 1
    assert out.startswith("failed    2024-06-10  kst-32317-900")
    assert "(XML: the XML is unusable: XML with a DTD or entity declarations (DTDForbidden), refused; PDF: the PDF is not a PDF (it does not start with %PDF))" in out
    assert not corpus.exists() or not any(corpus.iterdir())


def test_an_xml_published_later_replaces_the_pdf_the_sync_stored(server, corpus, capsys):
    sync(capsys, server, corpus, "--dossier", "32317")
    assert (corpus / "kst-32317-897.pdf").exists()
    letter = (corpus / "kst-32317-899.xml").read_bytes().replace(b"899", b"897")
    record = next(r for r in server.catalogues["dossier:32317"] if r.identifier == "kst-32317-897")
    xml_url = "https://repository.overheid.nl/frbr/officielepublicaties/kst/32317/kst-32317-897/1/xml/kst-32317-897.xml"
    record.xml = record.xml.replace("</gzd:enrichedData>", f'<gzd:itemUrl manifestation="xml">{xml_url}</gzd:itemUrl></gzd:enrichedData>')
    server.change("kst-32317-897", "2099-01-01", letter)
    code, out, err = sync(capsys, server, corpus, "--dossier", "32317")
    assert code == 0, err
    assert out.startswith("updated   ") and "kst-32317-897" in out
    assert not (corpus / "kst-32317-897.pdf").exists()  # it was ours: replaced by the XML
    assert (corpus / "kst-32317-897.xml").read_bytes() == letter
    assert (corpus / "kst-32317-897.metadata.xml").exists()
