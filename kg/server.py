"""A read-only SPARQL 1.1 Protocol endpoint over the store (the serve stage of the flow).

``GET /sparql?query=...``, ``POST /sparql`` with a form body (``query=...``) or with a raw
``application/sparql-query`` body (sized or chunked). ``default-graph-uri`` / ``named-graph-uri`` give
the dataset, as does a query's own ``FROM`` / ``FROM NAMED``; without either the default graph is the
union of all paper graphs, as in ``kg query``. The answer format is chosen from the ``Accept`` header
(wildcards and q-values honoured; 406 if nothing fits) or a ``format``/``output`` parameter: SELECT/ASK
as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD. Updates
are refused (403): the graph is written only by ``kg build``. ``SERVICE`` is refused (400): the endpoint
is offline and must not fetch URLs for its clients.

Queries run in a pool of worker processes, each with the store open read-only: at most
``max_concurrent`` at once (a request finding them all busy waits for one up to ``timeout`` seconds, then
gets 503), and a query over ``timeout`` seconds is stopped by killing its worker (503), since Oxigraph cannot
cancel a query in its thread. The query text is read (for updates, SERVICE, nesting) only in the workers, so
no request can hold up the HTTP threads. A worker whose server is gone, or whose query runs far over the time
limit, exits by itself. HTTP is the standard library's ``ThreadingHTTPServer``; any SPARQL client
(SPARQLWrapper, YASGUI, curl) can talk to it.
"""
from __future__ import annotations

import contextlib
import errno
import html
import multiprocessing
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode, QueryResultsFormat, QueryTriples, RdfFormat, serialize

from . import __version__
from .errors import ConfigError, KGError
from .query import default_prefixes, load_catalogue, turtle_prefixes
from .store import MAX_NESTING, GraphStore, nesting, update_keyword, uses_service

# in order of preference: a wildcard (text/*, application/*, */*) gets the first type it covers
RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "text/n3": RdfFormat.TURTLE,  # (Turtle is N3)
    "text/plain": RdfFormat.N_TRIPLES,  # (N-Triples is plain text)
}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "n3": "text/turtle", "nt": "application/n-triples",
                "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
                "rdf": "application/rdf+xml", "jsonld": "application/ld+json", "json-ld": "application/ld+json"}
MAX_BODY = 10 * 1024 * 1024
IDLE_TIMEOUT = 60.0  # seconds a connection may stay silent before it is closed (each holds a thread)
ALLOW = "GET, POST, HEAD, OPTIONS"
READ_ONLY = "this endpoint is read-only; the graph is written by kg build"
SHUTTING_DOWN = "the server is shutting down; retry once it is back"


def accept_ranges(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values, in the header's order."""
    out = []
    for part in (header or "").split(","):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = min(max(float(b[2:]), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if bits[0]:
            out.append((bits[0].lower(), q))
    return out


def parse_accept(header: str | None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept on ties)."""
    ranges = accept_ranges(header)
    return [m for _, _, m in sorted((-q, n, m) for n, (m, q) in enumerate(ranges) if q > 0)]


def choose(ranges: list[tuple[str, float]], table: dict) -> str | None:
    """The media type in ``table`` the client prefers: highest q, then its order, then ours; None if none is
    acceptable. Each type takes the q of the most specific range covering it (exact, type/*, */*)."""
    if not ranges:
        return next(iter(table))
    best, best_key = None, None
    for rank, media in enumerate(table):
        match = None  # (specificity, q, position)
        for pos, (r, q) in enumerate(ranges):
            spec = 2 if r == media else 0 if r == "*/*" else 1 if r.endswith("/*") and media.startswith(r[:-1]) else -1
            if spec >= 0 and (match is None or spec > match[0]):
                match = (spec, q, pos)
        if match and match[1] > 0:
            key = (-match[1], match[2], rank)
            if best_key is None or key < best_key:
                best, best_key = media, key
    return best


def content_type(media: str) -> str:
    """The Content-Type of an answer: the media type the client listed (or the one its wildcard covered)."""
    return media + "; charset=utf-8" if media.startswith("text/") else media


# ---------------------------------------------------------------------------------------- query workers
def evaluate(store: GraphStore, query: str, default: list[str] | None, named: list[str] | None,
             ranges: list[tuple[str, float]], prefixes: dict, tprefixes: dict) -> tuple[int, str, bytes]:
    """Run one query and serialise its answer: (HTTP status, Content-Type, body)."""
    def error(status: int, message: str) -> tuple[int, str, bytes]:
        return status, "text/plain; charset=utf-8", (message.strip() + "\n").encode("utf-8")
    if update_keyword(query):  # (an update sent as a query is a malformed query: 400, as the protocol says)
        return error(HTTPStatus.BAD_REQUEST, f"'query' holds a SPARQL Update ({update_keyword(query)}); " + READ_ONLY)
    if uses_service(query):
        return error(HTTPStatus.BAD_REQUEST, "SERVICE (federated query) is not allowed: this endpoint is read-only "
                     "and offline -- remove the SERVICE clause")
    depth = nesting(query)
    if depth > MAX_NESTING:  # (deeper, Oxigraph's parser may overflow its stack and kill the worker)
        return error(HTTPStatus.BAD_REQUEST, f"the query nests {{ }}, ( ) or [ ] {depth} levels deep; the limit is "
                     f"{MAX_NESTING} -- write it with fewer nested groups, parentheses or brackets")
    try:
        result = store.query(query, default_graph=None if default is None else [NamedNode(u) for u in default],
                             named_graphs=None if named is None else [NamedNode(u) for u in named],
                             prefixes=prefixes)
        if isinstance(result, QueryTriples):
            media = choose(ranges, GRAPH_TYPES)
            if media is None:
                return error(HTTPStatus.NOT_ACCEPTABLE, "graph results are available as " + ", ".join(GRAPH_TYPES))
            fmt = GRAPH_TYPES[media]
            kw = {"prefixes": tprefixes} if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else {}
            body = serialize(sorted(result, key=str), format=fmt, **kw)
        else:
            media = choose(ranges, RESULT_TYPES)
            if media is None:
                return error(HTTPStatus.NOT_ACCEPTABLE, "results are available as " + ", ".join(RESULT_TYPES))
            body = result.serialize(format=RESULT_TYPES[media])
    except KGError as exc:
        return error(HTTPStatus.BAD_REQUEST, str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return error(HTTPStatus.BAD_REQUEST, f"the query failed: {' '.join(str(exc).split())}")
    return HTTPStatus.OK, content_type(media), body


def _watch(server: int, limit: float | None, busy: list) -> None:
    """In a worker: exit when the server process is gone (nobody is left to answer, and the worker would keep
    the store locked), or when a query runs past ``limit`` seconds (the server should have stopped it)."""
    while True:
        time.sleep(0.2)
        started = busy[0]
        if os.getppid() != server or (limit and started and time.monotonic() - started > limit):
            os._exit(1)


def _worker_main(conn, source: str | bytes, base: str | None, server: int | None = None,
                 limit: float | None = None) -> None:
    """A worker process: open the store (a path, read-only; or N-Quads of an in-memory store), then
    answer requests from ``conn`` until it closes, or its server is gone, or a query runs past ``limit``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops the workers
    busy = [0.0]  # when the query running started (0: none)
    if server is not None:
        threading.Thread(target=_watch, args=(server, limit, busy), name="kg-sparql-watch", daemon=True).start()
    try:
        if isinstance(source, str):
            store = GraphStore(source, read_only=True)
        else:
            store = GraphStore()
            store.raw.load(source, format=RdfFormat.N_QUADS)
    except (KGError, OSError, ValueError) as exc:
        conn.send(str(exc))
        return
    conn.send(None)
    prefixes, tprefixes = default_prefixes(base), turtle_prefixes(base)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        busy[0] = time.monotonic()
        answer = evaluate(store, *request, prefixes, tprefixes)
        busy[0] = 0.0
        try:
            conn.send(answer)
        except OSError:  # (the server is gone)
            return


class _Worker:
    def __init__(self, ctx, source: str | bytes, base: str | None, limit: float | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, source, base, os.getpid(), limit),
                                name="kg-sparql-worker", daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float = 120.0) -> None:
        try:
            problem = self.conn.recv() if self.conn.poll(timeout) else "it did not start in time"
        except (EOFError, OSError):
            problem = "it exited while starting"
        if problem:
            self.stop()
            raise KGError(f"a query worker could not open the store: {problem}", "check the store with kg query")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """``size`` worker processes; :meth:`run` gives a query to an idle one (waiting at most ``wait`` seconds for
    one: by default the time limit, or 30 s) and waits at most ``timeout`` seconds (None: no limit) for its
    answer, after which the worker is killed, so the work really stops, and replaced. Should nobody kill it,
    a worker stops itself once a query has run past the time limit by as much again (a second at least)."""

    def __init__(self, store: GraphStore, size: int = 4, timeout: float | None = 30.0,
                 base: str | None = None, wait: float | None = None) -> None:
        self.size, self.timeout, self._base = size, timeout, base
        self.wait = wait if wait is not None else timeout or 30.0
        self._limit = timeout + max(timeout, 1.0) if timeout else None
        self._source = str(store.path) if store.path is not None else store.raw.dump(format=RdfFormat.N_QUADS)
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded process holding a store
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        started = [self._start() for _ in range(size)]
        try:
            for w in started:
                w.wait_ready()
                self._idle.put(w)
        except KGError:
            self.close()
            raise

    def _start(self) -> _Worker:
        w = _Worker(self._ctx, self._source, self._base, self._limit)
        with self._lock:
            self._workers.add(w)
        return w

    def _drop(self, w: _Worker) -> None:
        with self._lock:
            self._workers.discard(w)
        w.stop()

    def _replace(self) -> None:
        def start() -> None:
            if self._closed:
                return
            w = self._start()
            try:
                w.wait_ready()
            except KGError as exc:
                self._drop(w)
                print(f"kg serve: {exc}", file=sys.stderr, flush=True)
                return
            if self._closed:
                self._drop(w)
            else:
                self._idle.put(w)
        threading.Thread(target=start, name="kg-sparql-respawn", daemon=True).start()

    def run(self, request: tuple) -> tuple[int, str, bytes, dict | None]:
        """(status, Content-Type, body, extra headers) of one request: ``(query, default graphs, named
        graphs, Accept ranges)``."""
        def error(status: int, message: str, headers: dict | None = None) -> tuple[int, str, bytes, dict | None]:
            return status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers
        try:
            w = self._idle.get(timeout=self.wait) if not self._closed else None
        except queue.Empty:
            return error(HTTPStatus.SERVICE_UNAVAILABLE,
                         f"the endpoint is busy: all {self.size} query slots stayed taken for {self.wait:g} s; retry "
                         "shortly (or start kg serve with a larger --max-concurrent)", {"Retry-After": "1"})
        if w is None:  # (close() wakes the waiting requests: pass it on)
            self._idle.put(None)
            return error(HTTPStatus.SERVICE_UNAVAILABLE, SHUTTING_DOWN, {"Retry-After": "5"})
        try:
            w.conn.send(request)
            if w.conn.poll(self.timeout):
                reply = w.conn.recv()
                self._idle.put(w)
                return (*reply, None)
            answer = error(HTTPStatus.SERVICE_UNAVAILABLE,
                           f"the query ran over the {self.timeout:g} s time limit and was stopped; make it more "
                           "selective (LIMIT, fewer unbound patterns) or start kg serve with a larger --timeout")
        except (EOFError, OSError):
            if self._closed:
                return error(HTTPStatus.SERVICE_UNAVAILABLE, SHUTTING_DOWN, {"Retry-After": "5"})
            answer = error(HTTPStatus.INTERNAL_SERVER_ERROR,
                           "the query worker stopped unexpectedly (out of memory, or a query too big for the "
                           "engine); make the query smaller or more selective")
        self._drop(w)
        self._replace()
        return answer

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.proc.pid for w in self._workers)

    def idle(self) -> int:
        return self._idle.qsize()

    def close(self) -> None:
        self._closed = True
        self._idle.put(None)  # wakes a request waiting for a worker, which wakes the next
        with self._lock:
            workers, self._workers = list(self._workers), set()
        for w in workers:
            w.stop()


class SparqlHandler(BaseHTTPRequestHandler):
    server_version = f"kg-sparql/{__version__}"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

    # ------------------------------------------------------------------ plumbing
    def setup(self) -> None:
        self.timeout = getattr(self.server, "idle_timeout", IDLE_TIMEOUT)  # (a silent client is let go)
        super().setup()

    def log_message(self, fmt: str, *args) -> None:  # quiet unless asked
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            piece = memoryview(body)  # in pieces: the idle time limit then holds for each, not for the whole
            for i in range(0, len(body), 1 << 16):  # answer (a slow reader of a long one is no silent client)
                self.wfile.write(piece[i:i + (1 << 16)])

    def _error(self, status: int, message: str, *, close: bool = False, headers: dict | None = None) -> None:
        if close:  # the request body was not read: the connection cannot carry another request
            self.close_connection = True
        self._send(status, (message.strip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The errors http.server answers itself (request line too long, bad request line, unknown method...):
        one line of plain text with the CORS header, as every other answer, not an HTML page."""
        if code == HTTPStatus.REQUEST_URI_TOO_LONG:
            text = "request line too long; send a long query with POST (application/sparql-query or a form)"
        elif code == HTTPStatus.NOT_IMPLEMENTED and self.command:
            text = f"method {self.command} not supported; use GET or POST (SPARQL 1.1 Protocol)"
        else:
            text = message or HTTPStatus(code).phrase
        self._error(code, text, close=True)

    def _not_allowed(self) -> None:
        if self._read_body() is None:  # (read, so that the connection can carry the next request)
            return
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"method {self.command} not allowed: this endpoint is read-only; "
                    "query it with GET or POST", headers={"Allow": ALLOW})

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", ALLOW)
        self.send_header("Allow", ALLOW)
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_body(self) -> bytes | None:
        """The request body (sized or chunked), or None once an error has been answered."""
        coding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        if coding == "chunked":
            return self._read_chunked()
        if coding:
            self._error(HTTPStatus.NOT_IMPLEMENTED, f"unsupported Transfer-Encoding {coding!r}; send the body "
                        "with a Content-Length, or chunked", close=True)
            return None
        size = self.headers.get("Content-Length")
        if size is None:
            return b""
        if not re.fullmatch(r"[0-9]+", size.strip()):
            self._error(HTTPStatus.BAD_REQUEST, f"bad Content-Length {size!r}; it must be the body's size in "
                        "bytes", close=True)
            return None
        if int(size) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes; send a "
                        "shorter query", close=True)
            return None
        body = self.rfile.read(int(size))
        if len(body) < int(size):
            self._error(HTTPStatus.BAD_REQUEST, "request body shorter than its Content-Length", close=True)
            return None
        return body

    def _read_chunked(self) -> bytes | None:
        body = bytearray()
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", line):
                self._error(HTTPStatus.BAD_REQUEST, "bad chunked request body (a chunk size is not hexadecimal)",
                            close=True)
                return None
            size = int(line, 16)
            if size == 0:
                break
            if len(body) + size > MAX_BODY:
                self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes; send a "
                            "shorter query", close=True)
                return None
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3).strip():
                self._error(HTTPStatus.BAD_REQUEST, "bad chunked request body (a chunk is cut short or too long)",
                            close=True)
                return None
            body += chunk
        while self.rfile.readline(8192).strip():  # trailer fields, ignored
            pass
        return bytes(body)

    # ------------------------------------------------------------------ routes
    def _params(self, text: str, where: str) -> dict[str, list[str]] | None:
        """The parameters of a query string or a form body, or None once a 400 has been answered."""
        try:
            return parse_qs(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, f"a parameter in the {where} is not UTF-8 once its %-escapes are "
                        "decoded; percent-encode the UTF-8 bytes of the text")
            return None

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the endpoint is /sparql")
        params = self._params(url.query, "URL")
        if params is None:
            return
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
        if "query" not in params:
            if url.path == "/":
                return self._send(HTTPStatus.OK, self._index_page(), "text/html; charset=utf-8")
            return self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter (SPARQL 1.1 Protocol)")
        self._answer(params)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        raw = self._read_body()
        if raw is None:
            return
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the endpoint is /sparql")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self._params(url.query, "URL")
        if params is None:
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, "request body is not UTF-8")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
        elif ctype in ("application/x-www-form-urlencoded", ""):
            form = self._params(text, "form body")
            if form is None:
                return
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               f"unsupported Content-Type {ctype}; use application/sparql-query "
                               "or application/x-www-form-urlencoded")
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
        if "query" not in params:
            return self._error(HTTPStatus.BAD_REQUEST, "missing 'query' (form field or application/sparql-query body)")
        self._answer(params)

    # ------------------------------------------------------------------ the answer
    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty 'query'")
        # (updates, SERVICE and deep nesting are refused by the worker: reading a long text takes time)
        # a protocol dataset replaces the query's own; naming only one part leaves the other empty
        default = params.get("default-graph-uri")
        named = params.get("named-graph-uri")
        if default is not None or named is not None:
            default, named = default or [], named or []
        try:
            for iri in (default or []) + (named or []):
                NamedNode(iri)
        except ValueError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, f"bad graph IRI: {exc}")
        ranges = accept_ranges(self.headers.get("Accept"))
        for key in ("format", "output", "results"):
            for value in params.get(key, []):
                media = FORMAT_PARAM.get(value.lower(), value.lower() if "/" in value else None)
                if media:
                    ranges.insert(0, (media, 2.0))  # above any Accept q-value
        server: SparqlServer = self.server  # type: ignore[assignment]
        with server.answering():
            status, ctype, body, headers = server.pool.run((queries[0], default, named, ranges))
            if status != HTTPStatus.OK:
                self.log_message("query answered %d: %s", status, body.decode("utf-8", "replace").strip())
            self._send(status, body, ctype, headers)

    def _index_page(self) -> bytes:
        rows = "".join(
            f"<li><a href='/sparql?query={html.escape(_urlquote(q.text))}'><code>{html.escape(n)}</code></a>"
            f" &mdash; {html.escape(q.description)}</li>" for n, q in load_catalogue().items())
        page = (f"<!doctype html><meta charset='utf-8'><title>kg SPARQL endpoint</title>"
                f"<h1>SPARQL endpoint</h1><p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET or POST). "
                f"Results by <code>Accept</code>: JSON, XML, CSV, TSV; graphs as Turtle, N-Triples, RDF/XML, "
                f"JSON-LD. Read-only.</p><h2>Catalogue queries</h2><ul>{rows}</ul>")
        return page.encode("utf-8")


def _urlquote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: GraphStore, host: str = "127.0.0.1", port: int = 7878, *, base: str | None = None,
                 verbose: bool = False, timeout: float | None = 30.0, max_concurrent: int = 4,
                 wait: float | None = None, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self.store = store
        self.verbose = verbose
        self.idle_timeout = idle_timeout
        self._answering = 0  # requests between asking the pool and writing the answer
        self._answered = threading.Condition()
        super().__init__((host, port), SparqlHandler)
        try:
            self.pool = QueryPool(store, max_concurrent, timeout or None, base, wait)
        except BaseException:
            super().server_close()
            raise

    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        with self._answered:
            self._answering += 1
        try:
            yield
        finally:
            with self._answered:
                self._answering -= 1
                self._answered.notify_all()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def start_background(self) -> threading.Thread:
        """Serve from a daemon thread (tests, notebooks); stop with ``shutdown()``."""
        t = threading.Thread(target=self.serve_forever, name="kg-sparql", daemon=True)
        t.start()
        return t

    def server_close(self) -> None:
        super().server_close()
        pool = getattr(self, "pool", None)  # (none yet when the socket could not be bound)
        if pool is not None:
            pool.close()
            with self._answered:  # the queries in flight are answered 503 at once: let those answers go out
                self._answered.wait_for(lambda: not self._answering, timeout=2.0)


def make_server(store: GraphStore, host: str = "127.0.0.1", port: int = 7878, **kw) -> SparqlServer:
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port} is not a TCP port", "give a port from 1 to 65535 (0 picks a free one)")
    if kw.get("max_concurrent", 1) < 1 or (kw.get("timeout") or 0) < 0:
        raise ConfigError("--max-concurrent must be at least 1 and --timeout at least 0",
                      "e.g. --max-concurrent 4 --timeout 30 (0: no time limit)")
    try:
        return SparqlServer(store, host, port, **kw)
    except OSError as exc:
        if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:  # (the host, not the port)
            raise KGError(f"cannot listen on {host}:{port}: the host is not valid for this machine "
                          f"({exc.strerror or exc})", "give --host one of its addresses, e.g. 127.0.0.1 "
                          "(this machine only) or 0.0.0.0 (all its interfaces)") from exc
        raise KGError(f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                      "choose another --port, or stop the process using it") from exc


__all__ = ["SparqlServer", "QueryPool", "make_server", "parse_accept", "accept_ranges", "choose"]
