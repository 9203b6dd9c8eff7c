"""The sync's pieces on their own: dossier numbers and CQL, reading SRU answers, choosing records
and files, the state file, the config's watch list. No network, no server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefreader.config import load_config
from briefreader.sync import cql
from briefreader.sync.client import retry_after_seconds
from briefreader.sync.plan import make_plan
from briefreader.sync.select import MAX_IDENTIFIER_LENGTH, choose_files, display_title, is_letter, kamerstuk_problem
from briefreader.sync.sru import NotSru, Record, SruDiagnostic, parse_answer
from briefreader.sync.state import Stored, arrivals, load_state

ANSWERS = Path(__file__).parent / "sync_fixtures" / "answers"
BASE = "https://repository.overheid.nl/sru"


@pytest.mark.parametrize(
    "text, number",
    [
        ("32317", "32317"),
        ("32 317", "32317"),
        (" 32317 ", "32317"),
        ("21501-20", "21501-20"),
        ("21 501-20", "21501-20"),
        ("36410-VI", "36410-VI"),
        ("36410 vi", "36410-VI"),
        ("36 410 VI", "36410-VI"),
        ("35300-XVI", "35300-XVI"),
    ],
)
def test_dossier_numbers_in_every_usual_spelling(text, number):
    assert cql.dossier_number(text) == number


@pytest.mark.parametrize("text", ["abc", "3231", "323170", "32317-", "kst-32317-704", "", "32317 OR 1"])
def test_what_is_no_dossier_number_is_refused_with_examples(text):
    with pytest.raises(cql.DossierError, match="is not a dossier number .e.g. 32317"):
        cql.dossier_number(text)


def test_dossier_query_uses_the_documented_indexes_newest_first():
    query = cql.dossier_query("21501-20", since=dt.date(2024, 1, 1), until=dt.date(2024, 12, 31))
    assert query == (
        'c.product-area=="officielepublicaties" AND w.publicatienaam=="Kamerstuk" AND w.dossiernummer=="21501-20"'
        ' AND dt.date>="2024-01-01" AND dt.date<="2024-12-31" NOT dt.type=="Bijlage" sortBy dt.date/sort.descending'
    )


def test_a_users_text_can_never_become_cql():
    query = cql.text_query('stikstof" OR dt.type=="Bijlage\\')
    assert 'cql.textAndIndexes="stikstof\\" OR dt.type==\\"Bijlage\\\\"' in query
    # Outside the one literal, only our own syntax remains.
    literal = 'cql.textAndIndexes="stikstof\\" OR dt.type==\\"Bijlage\\\\"'
    assert query.replace(literal, "X").count('"') == query.count('"') - literal.count('"')


def test_plan_takes_each_source_once_in_order_and_refuses_bad_dossiers():
    plan = make_plan(["32 317", "32317", "21501-20"], ["stikstof", " stikstof ", ""])
    assert [s.label for s in plan.sources] == ["dossier 32317", "dossier 21501-20", 'query "stikstof"']
    with pytest.raises(cql.DossierError):
        make_plan(["nope"])


# --- answers ---------------------------------------------------------------------------------


def test_a_dossier_answer_becomes_records_with_dates_types_and_files():
    page = parse_answer((ANSWERS / "dossier-32317.xml").read_bytes())
    assert page.total == 5 and page.next_position is None and not page.odd
    first = page.records[0]
    assert first.identifier == "kst-32317-900"
    assert first.date == dt.date(2024, 6, 10) and first.version == "2024-06-11"
    assert first.dossiers == ("32317",) and first.number == "900"
    assert "Brief regering" in first.types
    assert first.url("xml").endswith("/kst/32317/kst-32317-900/1/xml/kst-32317-900.xml")
    assert first.url("metadata").endswith("/kst-32317-900/1/metadata/metadata.xml")
    no_xml = page.records[3]
    assert no_xml.identifier == "kst-32317-897" and no_xml.url("xml") is None and no_xml.url("pdf")


def test_a_diagnostic_is_the_services_reason_in_one_line():
    with pytest.raises(SruDiagnostic) as caught:
        parse_answer((ANSWERS / "diagnostic.xml").read_bytes().replace(b"{index}", b"dt.nonsense"))
    assert str(caught.value) == "the repository refused the query: Unsupported index (dt.nonsense) [info:srw/diagnostic/1/16]"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<!DOCTYPE html><html><body>Onderhoud</body></html>", "not an SRU answer (it is text/html): an HTML page, not XML"),
        (b"<html><body>Onderhoud</body></html>", "not an SRU answer (it is text/html): an HTML page, not XML"),
        (b"", "the answer is empty"),
        (b'<?xml version="1.0"?><searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse">', "not well-formed XML"),
        (
            b'<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse"><version>2.0</version></searchRetrieveResponse>',
            "has no numberOfRecords",
        ),
    ],
)
def test_what_is_no_sru_answer_is_said_in_one_line(data, message):
    with pytest.raises(NotSru, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        parse_answer(data, "text/html; charset=utf-8")
    assert "\n" not in str(caught.value)


def test_an_answer_with_entities_is_refused_unexpanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse"><numberOfRecords>&b;</numberOfRecords></searchRetrieveResponse>'
    )
    with pytest.raises(NotSru, match="XML with a DTD or entity declarations .*, refused"):
        parse_answer(bomb)
    external = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
    with pytest.raises(NotSru, match="XML with a DTD or entity declarations .*, refused"):
        parse_answer(external)


def test_odd_records_are_read_or_explained():
    page = parse_answer((ANSWERS / "odd-records.xml").read_bytes())
    assert [odd.problem for odd in page.odd] == ["not a gzd record (record schema info:srw/schema/1/dc-v1.1)"]
    by_id = {r.identifier: r for r in page.records}
    no_date = by_id["kst-32317-899"]
    assert no_date.date is None and no_date.version is None
    assert kamerstuk_problem(by_id["blg-1184123"]) == "`blg-1184123` is not a Kamerstuk identifier (kst-<dossier>-<number>)"
    assert kamerstuk_problem(by_id["kst-32317-898/../../evil"]).startswith("`kst-32317-898/../../evil` is not a Kamerstuk")
    assert choose_files(by_id["kst-32317-896"], BASE) == "the repository publishes no XML or PDF of it"


# --- choosing ----------------------------------------------------------------------------------


def test_letters_are_told_by_type_or_title():
    assert is_letter(Record("kst-1-1", types=("Kamerstuk", "Brief regering")))
    assert is_letter(Record("kst-1-1", title="JBZ-Raad; Brief regering; Verslag"))
    assert is_letter(Record("kst-1-1", types=("brief commissie",)))
    assert not is_letter(Record("kst-1-1", types=("Kamerstuk", "Motie"), title="JBZ-Raad; Motie; Motie van het lid X"))
    assert not is_letter(Record("kst-1-1", title="Briefadvies over de begroting"))  # "brief" must be a word
    assert not is_letter(Record("kst-1-1"))


def test_identifier_length_edge():
    just = "kst-" + "1" * (MAX_IDENTIFIER_LENGTH - 4)
    assert kamerstuk_problem(Record(just)) is None
    assert kamerstuk_problem(Record(just + "1")) is not None
    assert kamerstuk_problem(Record("kst-35925-E")) is None
    assert kamerstuk_problem(Record("kst-21501-20-1850")) is None
    assert kamerstuk_problem(Record("kst-32317-704.xml")) is not None


def test_files_come_from_the_answering_host_only_xml_first():
    urls = (
        ("pdf", "https://repository.overheid.nl/frbr/x.pdf"),
        ("xml", "https://repository.overheid.nl/frbr/x.xml"),
        ("metadata", "https://repository.overheid.nl/frbr/metadata.xml"),
    )
    choice = choose_files(Record("kst-1-1", urls=urls), BASE)
    assert (choice.kind, choice.url, choice.fallback_pdf) == ("xml", urls[1][1], urls[0][1])
    assert choose_files(Record("kst-1-1", urls=urls[:1]), BASE).kind == "pdf"
    elsewhere = choose_files(Record("kst-1-1", urls=(("xml", "https://example.org/x.xml"),)), BASE)
    assert elsewhere == "its file URL https://example.org/x.xml is not on repository.overheid.nl; not fetched"
    assert "not on" in choose_files(Record("kst-1-1", urls=(("xml", "file:///etc/passwd"),)), BASE)


def test_display_title_drops_dossier_and_type_parts():
    record = Record("kst-1-1", title="JBZ-Raad; Motie; Motie van het lid X", types=("Motie",))
    assert display_title(record) == "Motie van het lid X"
    assert display_title(Record("kst-1-1", title="JBZ-Raad; Brief regering; Verslag; deel 2")) == "Verslag; deel 2"
    assert display_title(Record("kst-1-1", title="Zonder delen")) == "Zonder delen"


@pytest.mark.parametrize(
    "header, seconds",
    [("5", 5.0), (" 0 ", 0.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0), ("soon", None), (None, None)],
)
def test_retry_after_as_seconds_or_a_date(header, seconds):
    now = dt.datetime(2015, 10, 21, 7, 27, 50, tzinfo=dt.UTC).timestamp()
    assert retry_after_seconds(header, now=now) == seconds


# --- state ----------------------------------------------------------------------------------------


def test_a_damaged_state_is_set_aside_with_a_notice(tmp_path):
    corpus = tmp_path / "corpus"
    state = load_state(corpus)
    state.stored["kst-1-1"] = Stored("kst-1-1.xml", "0" * 64, "2024-01-01", "2024-01-02T10:00:00+00:00")
    state.save()
    assert arrivals(corpus) == {"kst-1-1": dt.datetime(2024, 1, 2, 10, tzinfo=dt.UTC)}
    state.path.write_text('{"version": 1, "stored": {"kst-1-1": {"file"', encoding="utf-8")
    fresh = load_state(corpus)
    assert fresh.stored == {} and "sync state damaged (not valid JSON)" in fresh.notice
    assert state.path.with_name(state.path.name + ".damaged").exists()
    state.path.write_text(json.dumps({"version": 1, "stored": {"x": {"nonsense": 1}}}), encoding="utf-8")
    assert "not in the expected form" in load_state(corpus).notice


# --- config -------------------------------------------------------------------------------------


def test_the_watch_list_is_read_and_bad_values_are_one_warning_each(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        "watch:\n"
        "  dossiers: [32317, '21 501-20', '36410 vi', nonsense, {a: 1}, 32317]\n"
        "  queries: [stikstof, '  natura   2000 ', [x]]\n"
        "  since: 2024\n"
        "sync:\n"
        "  base_url: ftp://example.org/sru\n",
        encoding="utf-8",
    )
    loaded = load_config(config)
    assert loaded.watch_dossiers == ("32317", "21501-20", "36410-VI")
    assert loaded.watch_queries == ("stikstof", "natura 2000")
    assert loaded.sync_base_url is None
    assert len(loaded.warnings) == 5
    assert all(str(config) in warning and "\n" not in warning for warning in loaded.warnings)
    assert any("`nonsense` is not a dossier number" in w for w in loaded.warnings)
    assert any("`watch.since` ignored: unknown key" in w for w in loaded.warnings)
    assert any("`sync.base_url` ignored: expected an http(s) URL" in w for w in loaded.warnings)

    config.write_text("watch: [32317]\nsync:\n  base_url: http://127.0.0.1:1/sru\n", encoding="utf-8")
    loaded = load_config(config)
    assert loaded.watch_dossiers == () and loaded.sync_base_url == "http://127.0.0.1:1/sru"
    assert loaded.warnings == (f"{config}: `watch` ignored: expected `dossiers:` and `queries:` lists",)
