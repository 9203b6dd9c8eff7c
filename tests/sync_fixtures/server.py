"""A local stand-in for the repository's SRU service and file store, for tests, trials and the bench.

`SruServer` answers on 127.0.0.1 (standard library `http.server`, one thread per request) like the
real service: `GET /sru?operation=searchRetrieve&version=2.0&query=<CQL>&startRecord=&maximumRecords=`
gets an SRU 2.0 answer built from the records in `answers/` (the dossier's or the query's file),
filtered by `dt.date>=`, `dt.date<=` and `dt.modified>=`, newest first, a page at a time with
`nextRecordPosition`; a query with an index the service does not know gets the service's
diagnostic. `GET /frbr/...` serves the files under `frbr/`. The record files name the real host
(`https://repository.overheid.nl/frbr/...`); the server rewrites those URLs to itself.

Misbehaviour on request, for the tests: `fail(path_prefix, [503, 503])` answers the next requests
with those statuses (or `"truncate"`: a body cut short of its Content-Length; `"html"`: an HTML
page with status 200; `"diagnostic"`: the service's diagnostic for an unknown index;
`("retry-after", 503, "1")`: a status with a Retry-After header), and
`slow(path_prefix, seconds)` waits before answering. `generate(n)` adds n synthetic letters of
dossier 99999 (for trials and the benchmark).

Run by hand: `python tests/sync_fixtures/server.py [--port 8765] [--letters 300] [--delay 0]`,
then `briefreader sync --dossier 32317 --base-url http://127.0.0.1:8765/sru --corpus /tmp/c`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
REAL = "https://repository.overheid.nl"
KNOWN_INDEXES = {
    "c.product-area",
    "w.publicatienaam",
    "w.dossiernummer",
    "w.ondernummer",
    "w.vergaderjaar",
    "cql.textAndIndexes",
    "dt.type",
    "dt.date",
    "dt.available",
    "dt.modified",
    "dt.identifier",
}


class _Quiet(ThreadingHTTPServer):
    """A client that hangs up (a timeout, a refused answer) is no error worth a traceback here."""

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@dataclass
class FixtureRecord:
    """One `<sru:record>` of an answer file, with what filtering and sorting need."""

    xml: str
    identifier: str
    date: str
    modified: str


def _field(xml: str, name: str) -> str:
    match = re.search(rf"<dcterms:{name}>(.*?)</dcterms:{name}>", xml)
    return match.group(1) if match else ""


def read_answer_file(path: Path) -> list[FixtureRecord]:
    """The records of one answer file, as they stand in it."""
    text = path.read_text(encoding="utf-8")
    return [
        FixtureRecord(xml, _field(xml, "identifier"), _field(xml, "date"), _field(xml, "modified"))
        for xml in re.findall(r"    <sru:record>.*?</sru:record>", text, re.S)
    ]


_HEAD = (HERE / "answers" / "dossier-32317.xml").read_text(encoding="utf-8").split("  <sru:numberOfRecords>")[0]
_DIAGNOSTIC = (HERE / "answers" / "diagnostic.xml").read_text(encoding="utf-8")

_SYNTHETIC = """    <sru:record>
      <sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>
      <sru:recordPacking>xml</sru:recordPacking>
      <sru:recordData>
        <gzd:gzd>
          <gzd:originalData>
            <overheidwetgeving:meta>
              <overheidwetgeving:owmskern>
                <dcterms:identifier>{id}</dcterms:identifier>
                <dcterms:title>Testdossier; Brief regering; Voortgangsbrief nummer {n}</dcterms:title>
                <dcterms:type scheme="OVERHEIDop.Parlementair">Kamerstuk</dcterms:type>
                <dcterms:type scheme="OVERHEIDop.KamerstukTypen">Brief regering</dcterms:type>
                <dcterms:modified>{date}</dcterms:modified>
              </overheidwetgeving:owmskern>
              <overheidwetgeving:owmsmantel>
                <dcterms:available>{date}</dcterms:available>
                <dcterms:date>{date}</dcterms:date>
              </overheidwetgeving:owmsmantel>
              <overheidwetgeving:tpmeta>
                <overheidwetgeving:dossiernummer>99999</overheidwetgeving:dossiernummer>
                <overheidwetgeving:ondernummer>{n}</overheidwetgeving:ondernummer>
                <overheidwetgeving:publicatienaam>Kamerstuk</overheidwetgeving:publicatienaam>
              </overheidwetgeving:tpmeta>
            </overheidwetgeving:meta>
          </gzd:originalData>
          <gzd:enrichedData>
            <gzd:itemUrl manifestation="metadata">https://repository.overheid.nl/frbr/officielepublicaties/kst/99999/{id}/1/metadata/metadata.xml</gzd:itemUrl>
            <gzd:itemUrl manifestation="xml">https://repository.overheid.nl/frbr/officielepublicaties/kst/99999/{id}/1/xml/{id}.xml</gzd:itemUrl>
          </gzd:enrichedData>
        </gzd:gzd>
      </sru:recordData>
    </sru:record>"""


def synthetic_letter(n: int, date: str) -> tuple[bytes, bytes]:
    """The XML and metadata.xml of synthetic letter n of dossier 99999, from a fixture letter."""
    template = (HERE / "frbr/officielepublicaties/kst/32317/kst-32317-900/1/xml/kst-32317-900.xml").read_text(encoding="utf-8")
    day = dt.date.fromisoformat(date)
    months = "januari februari maart april mei juni juli augustus september oktober november december".split()
    letter = (
        template.replace("32 317", "99 999")
        .replace("kst-32317-900", f"kst-99999-{n}")
        .replace("<ondernummer>900</ondernummer>", f"<ondernummer>{n}</ondernummer>")
        .replace("<titel>JBZ-Raad</titel>", "<titel>Testdossier</titel>")
        .replace("Den Haag, 10 juni 2024", f"Den Haag, {day.day} {months[day.month - 1]} {day.year}")
        .replace("het verslag aan", f"voortgangsbrief {n} aan, het verslag")
    )
    metadata = f"""<?xml version="1.0" encoding="UTF-8"?>
<metadata_gegevens>
  <metadata name="DC.identifier" scheme="" content="kst-99999-{n}"/>
  <metadata name="DC.title" scheme="" content="Testdossier; Brief regering; Voortgangsbrief nummer {n}"/>
  <metadata name="OVERHEIDop.datumBrief" scheme="OVERHEID.Date" content="{date}"/>
  <metadata name="OVERHEIDop.dossiernummer" scheme="" content="99999"/>
  <metadata name="OVERHEIDop.ondernummer" scheme="" content="{n}"/>
</metadata_gegevens>
"""
    return letter.encode("utf-8"), metadata.encode("utf-8")


@dataclass
class Request:
    """One request the server saw."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Script:
    failures: dict[str, list] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)


class SruServer:
    """The stand-in service (see the module docstring). Use as a context manager."""

    def __init__(self, port: int = 0, delay: float = 0.0) -> None:
        self.catalogues: dict[str, list[FixtureRecord]] = {
            "dossier:32317": read_answer_file(HERE / "answers" / "dossier-32317.xml"),
            "dossier:35334": [r for r in read_answer_file(HERE / "answers" / "query-stikstof.xml") if r.identifier.startswith("kst-35334")],
            "query:stikstof": read_answer_file(HERE / "answers" / "query-stikstof.xml"),
            "dossier:11111": read_answer_file(HERE / "answers" / "odd-records.xml"),
        }
        #: Files served besides (or instead of) those under frbr/: URL path -> bytes.
        self.files: dict[str, bytes] = {}
        self.requests: list[Request] = []
        self.delay = delay
        self._script = _Script()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body waits for the
            # client's delayed ACK (40 ms an answer on Linux), which no real server makes us wait.
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server._answer(self)

        self._httpd = _Quiet(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # --- control -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def sru(self) -> str:
        """The SRU endpoint, for `--base-url`."""
        return self.url + "/sru"

    def __enter__(self) -> SruServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail(self, prefix: str, actions: list) -> None:
        """The next requests whose path starts with `prefix` get these misbehaviours, one each."""
        with self._lock:
            self._script.failures.setdefault(prefix, []).extend(actions)

    def slow(self, prefix: str, seconds: float) -> None:
        """Requests whose path starts with `prefix` wait `seconds` before the answer."""
        self._script.slow[prefix] = seconds

    def change(self, identifier: str, modified: str, document: bytes) -> None:
        """Publish a new version of a record: a new modified date and new document bytes."""
        for records in self.catalogues.values():
            for record in records:
                if record.identifier == identifier:
                    record.xml = record.xml.replace(f"<dcterms:modified>{record.modified}</dcterms:modified>", f"<dcterms:modified>{modified}</dcterms:modified>")
                    record.modified = modified
                    path = re.search(r'manifestation="xml">https://repository\.overheid\.nl(/[^<]+)<', record.xml).group(1)
                    self.files[path] = document

    def generate(self, count: int, start: dt.date = dt.date(2024, 6, 30)) -> None:
        """Add `count` synthetic letters of dossier 99999, one a day back from `start`."""
        records = []
        for n in range(1, count + 1):
            date = (start - dt.timedelta(days=n)).isoformat()
            identifier = f"kst-99999-{n}"
            records.append(FixtureRecord(_SYNTHETIC.format(id=identifier, n=n, date=date), identifier, date, date))
            letter, metadata = synthetic_letter(n, date)
            base = f"/frbr/officielepublicaties/kst/99999/{identifier}/1"
            self.files[f"{base}/xml/{identifier}.xml"] = letter
            self.files[f"{base}/metadata/metadata.xml"] = metadata
        self.catalogues["dossier:99999"] = records

    def sru_requests(self) -> list[Request]:
        """The SRU requests seen so far."""
        return [r for r in self.requests if r.path == "/sru"]

    # --- answering -----------------------------------------------------------------------------

    def _next_action(self, path: str):
        with self._lock:
            for prefix, actions in self._script.failures.items():
                if path.startswith(prefix) and actions:
                    return actions.pop(0)
        return None

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.requests.append(Request(parts.path, params, dict(handler.headers.items())))
        for prefix, seconds in self._script.slow.items():
            if parts.path.startswith(prefix):
                time.sleep(seconds)
        if self.delay:
            time.sleep(self.delay)
        action = self._next_action(parts.path)
        if isinstance(action, int):
            return self._send(handler, action, b"<html><body>Service Unavailable</body></html>", "text/html")
        if isinstance(action, tuple) and action[0] == "retry-after":
            return self._send(handler, action[1], b"busy", "text/plain", {"Retry-After": action[2]})
        if action == "diagnostic":
            return self._send(handler, 200, _DIAGNOSTIC.replace("{index}", "dt.nonsense").encode("utf-8"), "text/xml;charset=UTF-8")
        if action == "html":
            return self._send(handler, 200, b"<!DOCTYPE html><html><head><title>Onderhoud</title></head><body><p>Wegens onderhoud niet beschikbaar.</p></body></html>", "text/html; charset=utf-8")
        if parts.path == "/sru":
            status, body = self._sru(params)
            body = body.replace(REAL, self.url).encode("utf-8")
            content_type = "text/xml;charset=UTF-8"
        else:
            status, body, content_type = self._file(parts.path)
        if action == "truncate":
            return self._send(handler, status, body[: len(body) // 2], content_type, length=len(body))
        self._send(handler, status, body, content_type)

    def _send(self, handler, status: int, body: bytes, content_type: str, headers: dict | None = None, length: int | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(length if length is not None else len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if length is not None:
            handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        if length is not None:
            handler.close_connection = True

    def _file(self, path: str) -> tuple[int, bytes, str]:
        content_type = "application/pdf" if path.endswith(".pdf") else "application/xml"
        if path in self.files:
            return 200, self.files[path], content_type
        local = (HERE / path.lstrip("/")).resolve()
        if path.startswith("/frbr/") and HERE in local.parents and local.is_file():
            return 200, local.read_bytes(), content_type
        return 404, b"<html><body>Not Found</body></html>", "text/html"

    def _sru(self, params: dict[str, str]) -> tuple[int, str]:
        query = params.get("query", "")
        for index, _op in re.findall(r"([A-Za-z][\w-]*\.[\w.-]+)\s*(==|>=|<=|=|<|>)", query):
            if index not in KNOWN_INDEXES:
                return 200, _DIAGNOSTIC.replace("{index}", index)
        if params.get("operation") != "searchRetrieve" or not query.startswith('c.product-area=="officielepublicaties"'):
            return 200, _DIAGNOSTIC.replace("{index}", "query")
        dossier = re.search(r'w\.dossiernummer=="([^"]+)"', query)
        text = re.search(r'cql\.textAndIndexes="((?:[^"\\]|\\.)*)"', query)
        key = f"dossier:{dossier.group(1)}" if dossier else f"query:{text.group(1).lower()}" if text else ""
        records = list(self.catalogues.get(key, []))
        for op in (">=", "<="):
            match = re.search(rf'dt\.date{op}"([\d-]+)"', query)
            if match:
                records = [r for r in records if (r.date >= match.group(1) if op == ">=" else r.date <= match.group(1))]
        match = re.search(r'dt\.modified>="([\d-]+)"', query)
        if match:
            records = [r for r in records if r.modified >= match.group(1)]
        records.sort(key=lambda r: r.date, reverse=True)
        start = max(1, int(params.get("startRecord", "1")))
        size = max(1, min(1000, int(params.get("maximumRecords", "50"))))
        page = records[start - 1 : start - 1 + size]
        body = [_HEAD, f"  <sru:numberOfRecords>{len(records)}</sru:numberOfRecords>\n  <sru:records>\n"]
        for position, record in enumerate(page, start):
            xml = re.sub(r"<sru:recordPosition>\d+</sru:recordPosition>", "", record.xml)
            body.append(xml.replace("</sru:recordData>", f"</sru:recordData>\n      <sru:recordPosition>{position}</sru:recordPosition>", 1) + "\n")
        body.append("  </sru:records>\n")
        if start - 1 + size < len(records):
            body.append(f"  <sru:nextRecordPosition>{start + size}</sru:nextRecordPosition>\n")
        body.append("  <sru:resultCountPrecision>info:srw/vocabulary/resultCountPrecision/1/exact</sru:resultCountPrecision>\n</sru:searchRetrieveResponse>\n")
        return 200, "".join(body)


def main() -> None:
    parser = argparse.ArgumentParser(description="a local stand-in for the repository's SRU service")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--letters", type=int, default=0, help="synthetic letters of dossier 99999")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every answer (a slow network)")
    args = parser.parse_args()
    with SruServer(args.port, args.delay) as server:
        if args.letters:
            server.generate(args.letters)
        print(f"SRU service on {server.sru} (dossiers 32317, 35334, 11111 (odd records), 99999 ({args.letters} letters); query stikstof); Ctrl+C stops", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
