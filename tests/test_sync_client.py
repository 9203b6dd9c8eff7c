"""The sync's HTTP client against a local server: politeness, retries, timeouts, limits, one-line errors."""

from __future__ import annotations

import threading

import httpx
import pytest
from sync_fixtures.server import SruServer

from briefreader import __version__
from briefreader.sync.client import Cancelled, FetchError, HttpClient, Unreachable

FILE = "/frbr/officielepublicaties/kst/32317/kst-32317-900/1/xml/kst-32317-900.xml"


@pytest.fixture
def server():
    with SruServer() as running:
        yield running


class Sleeps(list):
    """Records the waits the client asks for, without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(**options) -> HttpClient:
    options.setdefault("interval", 0)
    options.setdefault("sleep", Sleeps())
    return HttpClient(**options)


def test_a_request_names_briefreader_and_its_version(server):
    with client() as http:
        answer = http.get(server.url + FILE, max_bytes=1 << 20)
    assert answer.data.startswith(b'<?xml version="1.0"')
    agent = server.requests[-1].headers["User-Agent"]
    assert agent.startswith(f"briefreader/{__version__} ")


def test_503_then_success_is_retried_after_a_backoff(server):
    server.fail(FILE, [503, 503])
    sleeps = Sleeps()
    with client(sleep=sleeps, backoff=0.5) as http:
        answer = http.get(server.url + FILE, max_bytes=1 << 20)
    assert b"<kamerstuk>" in answer.data
    assert http.requests == 3 and sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_and_a_long_one_is_an_error(server):
    server.fail(FILE, [("retry-after", 429, "7")])
    sleeps = Sleeps()
    with client(sleep=sleeps, backoff=0.01) as http:
        http.get(server.url + FILE, max_bytes=1 << 20)
    assert sleeps == [7.0]
    server.fail(FILE, [("retry-after", 503, "3600")])
    with client(backoff=0.01, max_retry_after=60) as http, pytest.raises(FetchError) as caught:
        http.get(server.url + FILE, max_bytes=1 << 20)
    assert str(caught.value).endswith("HTTP 503 Service Unavailable; the server asks to wait 3600 s, try again later")


def test_a_server_that_keeps_failing_gives_one_line_after_the_last_try(server):
    server.fail(FILE, [500, 500, 500])
    with client(retries=2, backoff=0) as http, pytest.raises(FetchError) as caught:
        http.get(server.url + FILE, max_bytes=1 << 20)
    assert str(caught.value) == f"{server.url}{FILE}: HTTP 500 Internal Server Error (tried 3 times)"


def test_a_slow_answer_times_out_and_is_retried(server):
    server.slow(FILE, 0.6)
    with client(retries=1, backoff=0, read_timeout=0.2) as http, pytest.raises(FetchError) as caught:
        http.get(server.url + FILE, max_bytes=1 << 20)
    assert "the server stopped answering (timeout) (tried 2 times)" in str(caught.value)
    assert http.requests == 2


def test_a_truncated_answer_is_retried(server):
    server.fail(FILE, ["truncate"])
    with client(backoff=0) as http:
        answer = http.get(server.url + FILE, max_bytes=1 << 20)
    assert answer.data.rstrip().endswith(b"</officiele-publicatie>")
    assert http.requests == 2


def test_an_answer_larger_than_the_limit_is_refused(server):
    with client() as http, pytest.raises(FetchError, match=r"the answer is \d+ KB, more than the limit of 1 KB; refused"):
        http.get(server.url + FILE, max_bytes=1024)
    assert http.requests == 1  # not retried: it would be as large the next time


def test_a_refused_connection_is_unreachable_at_once(server):
    port = server._httpd.server_address[1]
    server.__exit__()
    sleeps = Sleeps()
    with client(sleep=sleeps) as http, pytest.raises(Unreachable) as caught:
        http.get(f"http://127.0.0.1:{port}/sru", max_bytes=1024)
    assert str(caught.value) == f"cannot reach 127.0.0.1:{port}: the connection was refused"
    assert sleeps == []


def test_a_dns_failure_is_unreachable_with_a_plain_reason():
    def no_dns(request):
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with client(transport=httpx.MockTransport(no_dns)) as http, pytest.raises(Unreachable) as caught:
        http.get("https://repository.overheid.nl/sru", max_bytes=1024)
    assert str(caught.value) == "cannot reach repository.overheid.nl: the name could not be looked up (DNS); is there a network?"


def test_only_http_urls_are_fetched():
    with client() as http, pytest.raises(FetchError, match="not an http.s. URL; not fetched"):
        http.get("file:///etc/passwd", max_bytes=1024)
    assert http.requests == 0


def test_cancel_stops_before_the_next_try(server):
    cancel = threading.Event()
    cancel.set()
    with client() as http, pytest.raises(Cancelled):
        http.get(server.url + FILE, max_bytes=1 << 20, cancel=cancel)


def test_requests_are_spaced_by_the_interval(server):
    sleeps = Sleeps()
    with HttpClient(interval=5.0, sleep=sleeps) as http:
        http.get(server.url + FILE, max_bytes=1 << 20)
        http.get(server.url + FILE, max_bytes=1 << 20)
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 5.0
