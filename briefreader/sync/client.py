"""HTTP for the sync: polite, bounded and with one-line errors.

One `HttpClient` holds one httpx connection pool for a whole sync, so hundreds of files cost one
TLS handshake, not hundreds. Each request:

- names briefreader and its version in `User-Agent`;
- waits until at least `interval` seconds have passed since the previous request started (one
  request at a time, with a small pause: the repository is a shared public service);
- has a connect timeout and a read timeout (per network read), and an overall `deadline` so a
  server that trickles bytes can't hold a sync forever;
- is retried, with exponential backoff, after a timeout, a dropped or truncated answer, HTTP 429
  and HTTP 5xx; a `Retry-After` header (seconds or an HTTP date) is honoured up to
  `max_retry_after`, and a server that asks for a longer wait gets an error saying so;
- refuses an answer larger than `max_bytes` (by `Content-Length`, else while reading, counting
  decoded bytes, so a compressed bomb is cut off too);
- can be cancelled between chunks through a `threading.Event`.

A host that can't be reached (DNS, refused connection, no network) is `Unreachable`, raised at
once without retrying: nothing a few seconds later would change that, and the user is waiting.
Every other failure is `FetchError`. Both carry a one-line message naming the URL.

Why httpx and not the standard library: connection reuse (keep-alive over TLS) across the whole
sync, separate connect and read timeouts, and distinct exceptions for a refused connection, a
timeout and a truncated body; urllib opens a new connection per request and reports most of these
as the same `URLError`.
"""

from __future__ import annotations

import email.utils
import functools
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from briefreader import __version__

__all__ = [
    "Answer",
    "Cancelled",
    "Client",
    "FetchError",
    "HttpClient",
    "Unreachable",
    "USER_AGENT",
]

USER_AGENT = f"briefreader/{__version__} (+https://pypi.org/project/briefreader/; Kamerbrieven reader)"

#: Seconds to set up a connection; beyond it the host counts as unreachable for this try.
CONNECT_TIMEOUT = 10.0
#: Seconds one network read may take (a silent server); then the request is retried.
READ_TIMEOUT = 30.0
#: Seconds one whole request may take, however steadily a slow server trickles bytes.
REQUEST_DEADLINE = 300.0
#: How many times a failed request is tried again (timeouts, 429, 5xx, dropped answers).
RETRIES = 3
#: The first wait before a retry, in seconds; it doubles each time (1, 2, 4 s).
BACKOFF = 1.0
#: The longest `Retry-After` we wait for; a server asking more gets an error telling the user to come back.
MAX_RETRY_AFTER = 120.0
#: Seconds between the starts of two requests: one request at a time, and a pause between them.
REQUEST_INTERVAL = 0.1
#: What HTTP statuses are worth another try: the server is busy or briefly broken.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_TRANSIENT = (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class FetchError(Exception):
    """A request that failed; `str()` is one line naming the URL and the problem."""


class Unreachable(FetchError):
    """The host can't be reached at all (DNS, refused, no network): the whole sync stops."""


class Cancelled(Exception):
    """The caller's cancel event was set while a request was running."""


@dataclass(frozen=True)
class Answer:
    """A successful answer: its bytes, its Content-Type and the URL it finally came from."""

    data: bytes
    content_type: str | None
    url: str


class Client(Protocol):
    """What the sync needs of HTTP (the tests and the reader may pass their own)."""

    requests: int

    def get(
        self, url: str, *, params: dict[str, str] | None = None, max_bytes: int, cancel: threading.Event | None = None
    ) -> Answer: ...

    def close(self) -> None: ...


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certifi's CA bundle), made once per process: loading the
    bundle takes tens of milliseconds, and the reader may run many syncs."""
    return httpx.create_ssl_context()


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _reason(error: httpx.TransportError) -> str:
    text = str(error) or error.__class__.__name__
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "temporary failure in name resolution" in lowered or "getaddrinfo" in lowered:
        return "the name could not be looked up (DNS); is there a network?"
    if "connection refused" in lowered:
        return "the connection was refused"
    if "network is unreachable" in lowered or "no route to host" in lowered:
        return "no network route to it"
    return text


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A `Retry-After` header's wait in seconds (a number or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """The sync's HTTP client (see the module docstring). Use as a context manager, or `close()`."""

    def __init__(
        self,
        *,
        retries: int | None = None,
        backoff: float | None = None,
        max_retry_after: float | None = None,
        interval: float | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        deadline: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Every limit defaults to the module constant of its name (read when the client is made)."""
        self.retries = RETRIES if retries is None else retries
        self.backoff = BACKOFF if backoff is None else backoff
        self.max_retry_after = MAX_RETRY_AFTER if max_retry_after is None else max_retry_after
        self.interval = REQUEST_INTERVAL if interval is None else interval
        self.deadline = REQUEST_DEADLINE if deadline is None else deadline
        self.sleep = sleep
        #: How many HTTP requests were sent (retries included): for reports and benchmarks.
        self.requests = 0
        self._last_start: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(
                READ_TIMEOUT if read_timeout is None else read_timeout,
                connect=CONNECT_TIMEOUT if connect_timeout is None else connect_timeout,
            ),
            follow_redirects=True,
            transport=transport,
            verify=_tls_context(),
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def _pause(self) -> None:
        if self._last_start is not None and self.interval > 0:
            wait = self._last_start + self.interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_start = time.monotonic()

    def get(
        self, url: str, *, params: dict[str, str] | None = None, max_bytes: int, cancel: threading.Event | None = None
    ) -> Answer:
        """GET `url` (with `params`), retried as the module docstring says; the answer's bytes.

        Raises Unreachable, FetchError (one-line messages) or Cancelled.
        """
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"{url}: not an http(s) URL; not fetched")
        problem = "no answer"
        wait = 0.0
        for attempt in range(self.retries + 1):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if attempt:
                self.sleep(wait)
            self._pause()
            self.requests += 1
            wait = self.backoff * (2**attempt)
            try:
                return self._once(url, params, max_bytes, cancel)
            except httpx.ConnectError as error:
                raise Unreachable(f"cannot reach {_host(url)}: {_reason(error)}") from None
            except httpx.ConnectTimeout:
                problem = f"no connection within {self._http.timeout.connect:g} s"
            except _TRANSIENT as error:
                if isinstance(error, httpx.TimeoutException):
                    problem = "the server stopped answering (timeout)"
                else:
                    problem = f"the answer broke off ({_reason(error)})"
            except _Busy as busy:
                problem = busy.problem
                if busy.retry_after is not None:
                    if busy.retry_after > self.max_retry_after:
                        raise FetchError(
                            f"{url}: {busy.problem}; the server asks to wait {busy.retry_after:.0f} s, try again later"
                        ) from None
                    wait = max(wait, busy.retry_after)
            except httpx.TransportError as error:
                raise FetchError(f"{url}: {_reason(error)}") from None
        tries = self.retries + 1
        raise FetchError(f"{url}: {problem} (tried {tries} time{'s' if tries != 1 else ''})")

    def _once(self, url: str, params: dict[str, str] | None, max_bytes: int, cancel: threading.Event | None) -> Answer:
        started = time.monotonic()
        with self._http.stream("GET", url, params=params) as response:
            status = response.status_code
            if status in RETRY_STATUSES:
                raise _Busy(
                    f"HTTP {status} {response.reason_phrase or ''}".strip(),
                    retry_after_seconds(response.headers.get("Retry-After")),
                )
            if status >= 400:
                raise FetchError(f"{response.url}: HTTP {status} {response.reason_phrase or ''}".strip())
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{response.url}: the answer is {_size(int(length))}, more than the limit of {_size(max_bytes)}; refused")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{response.url}: the answer is more than the limit of {_size(max_bytes)}; refused")
                chunks.append(chunk)
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if time.monotonic() - started > self.deadline:
                    raise httpx.ReadTimeout(f"no complete answer within {self.deadline:g} s")
            return Answer(b"".join(chunks), response.headers.get("Content-Type"), str(response.url))


class _Busy(Exception):
    """HTTP 429 or 5xx: worth another try, perhaps after the wait the server asked for."""

    def __init__(self, problem: str, retry_after: float | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.retry_after = retry_after


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} bytes"
