"""A read-only SPARQL 1.1 Protocol endpoint over the store (the serve stage of the flow).

``GET /sparql?query=...``, ``POST /sparql`` with a form body (``query=...``) or with a raw
``application/sparql-query`` body. ``default-graph-uri`` / ``named-graph-uri`` are honoured; without
them the default graph is the union of all paper graphs, as in ``kg query``. The answer format is chosen
from the ``Accept`` header (or a ``format``/``output`` parameter): SELECT/ASK as SPARQL JSON, XML, CSV or
TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD. Updates are refused (403): the graph
is written only by ``kg build``. Built on the standard library's ``ThreadingHTTPServer``; any SPARQL
client (SPARQLWrapper, YASGUI, curl) can talk to it.
"""
from __future__ import annotations

import html
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode, QueryResultsFormat, QueryTriples, RdfFormat, serialize

from . import __version__
from .errors import KGError
from .query import default_prefixes, load_catalogue, turtle_prefixes
from .store import GraphStore

RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "n3": "text/turtle", "nt": "application/n-triples",
                "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
                "rdf": "application/rdf+xml", "jsonld": "application/ld+json", "json-ld": "application/ld+json"}
CONTENT_TYPE = {QueryResultsFormat.JSON: "application/sparql-results+json",
                QueryResultsFormat.XML: "application/sparql-results+xml",
                QueryResultsFormat.CSV: "text/csv; charset=utf-8",
                QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
                RdfFormat.TURTLE: "text/turtle; charset=utf-8",
                RdfFormat.N_TRIPLES: "application/n-triples",
                RdfFormat.RDF_XML: "application/rdf+xml",
                RdfFormat.JSON_LD: "application/ld+json"}


def parse_accept(header: str | None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept on ties)."""
    if not header:
        return []
    items = []
    for n, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            items.append((-q, n, bits[0].lower()))
    return [m for _, _, m in sorted(items)]


def choose(accept: list[str], table: dict, default):
    for media in accept:
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default if not accept or any(m.endswith("*") for m in accept) else None


class SparqlHandler(BaseHTTPRequestHandler):
    server_version = f"kg-sparql/{__version__}"
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------ plumbing
    def log_message(self, fmt: str, *args) -> None:  # quiet unless asked
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.strip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # ------------------------------------------------------------------ routes
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the endpoint is /sparql")
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; the graph is written by kg build")
        if "query" not in params:
            if url.path == "/":
                return self._send(HTTPStatus.OK, self._index_page(), "text/html; charset=utf-8")
            return self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter (SPARQL 1.1 Protocol)")
        self._answer(params)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the endpoint is /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, "request body is not UTF-8")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; the graph is written by kg build")
        elif ctype in ("application/x-www-form-urlencoded", ""):
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               f"unsupported Content-Type {ctype}; use application/sparql-query "
                               "or application/x-www-form-urlencoded")
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; the graph is written by kg build")
        if "query" not in params:
            return self._error(HTTPStatus.BAD_REQUEST, "missing 'query' (form field or application/sparql-query body)")
        self._answer(params)

    # ------------------------------------------------------------------ the answer
    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty 'query'")
        store: GraphStore = self.server.store  # type: ignore[attr-defined]
        try:
            default = [NamedNode(u) for u in params.get("default-graph-uri", [])] or None
            named = [NamedNode(u) for u in params.get("named-graph-uri", [])] or None
        except ValueError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, f"bad graph IRI: {exc}")
        accept = parse_accept(self.headers.get("Accept"))
        for key in ("format", "output", "results"):
            for value in params.get(key, []):
                media = FORMAT_PARAM.get(value.lower(), value.lower() if "/" in value else None)
                if media:
                    accept.insert(0, media)
        try:
            result = store.query(queries[0], default_graph=default, named_graphs=named,
                                 prefixes=self.server.prefixes)  # type: ignore[attr-defined]
            if isinstance(result, QueryTriples):
                fmt = choose(accept, GRAPH_TYPES, RdfFormat.TURTLE)
                if fmt is None:
                    return self._error(HTTPStatus.NOT_ACCEPTABLE,
                                       "graph results are available as " + ", ".join(GRAPH_TYPES))
                triples = sorted(result, key=str)
                kw = {"prefixes": self.server.turtle_prefixes} if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else {}  # type: ignore[attr-defined]
                body = serialize(triples, format=fmt, **kw)
            else:
                fmt = choose(accept, RESULT_TYPES, QueryResultsFormat.JSON)
                if fmt is None:
                    return self._error(HTTPStatus.NOT_ACCEPTABLE,
                                       "results are available as " + ", ".join(RESULT_TYPES))
                body = result.serialize(format=fmt)
        except KGError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            return self._error(HTTPStatus.BAD_REQUEST, f"the query failed: {' '.join(str(exc).split())}")
        self._send(HTTPStatus.OK, body, CONTENT_TYPE[fmt])

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
                 verbose: bool = False) -> None:
        self.store = store
        self.verbose = verbose
        self.prefixes = default_prefixes(base)
        self.turtle_prefixes = turtle_prefixes(base)
        super().__init__((host, port), SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def start_background(self) -> threading.Thread:
        """Serve from a daemon thread (tests, notebooks); stop with ``shutdown()``."""
        t = threading.Thread(target=self.serve_forever, name="kg-sparql", daemon=True)
        t.start()
        return t


def make_server(store: GraphStore, host: str = "127.0.0.1", port: int = 7878, **kw) -> SparqlServer:
    try:
        return SparqlServer(store, host, port, **kw)
    except OSError as exc:
        raise KGError(f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                      "choose another --port, or stop the process using it") from exc


__all__ = ["SparqlServer", "make_server", "parse_accept"]
