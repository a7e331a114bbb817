"""The SPARQL endpoint, exercised with a real SPARQL client (SPARQLWrapper) over HTTP on a free local port."""
from __future__ import annotations

import csv
import io
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.server import make_server, parse_accept  # noqa: E402

R = "https://w3id.org/llmkg/resource/"
PREFIXES = """PREFIX kgo: <https://w3id.org/llmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
BENCHMARKS = PREFIXES + "SELECT ?name WHERE { ?b a kgo:Benchmark ; skos:prefLabel ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def endpoint():
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, max_concurrent=2)  # port 0: a free port
    server.start_background()
    yield server.url
    server.shutdown()
    server.server_close()


def client(url: str, query: str, fmt, method=None) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


def test_select_as_json_get_and_post(endpoint):
    for method in (None, POST):
        res = client(endpoint, BENCHMARKS, JSON, method).queryAndConvert()
        assert res["head"]["vars"] == ["name"]
        assert [b["name"]["value"] for b in res["results"]["bindings"]] == ["GSM8K", "LongBench-X", "MATH", "MMLU"]


def test_select_as_xml(endpoint):
    doc = client(endpoint, BENCHMARKS, XML).queryAndConvert()  # an xml.dom Document
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["GSM8K", "LongBench-X", "MATH", "MMLU"]


def test_select_as_csv_and_tsv(endpoint):
    text = client(endpoint, BENCHMARKS, CSV).queryAndConvert().decode()
    assert [r["name"] for r in csv.DictReader(io.StringIO(text))] == ["GSM8K", "LongBench-X", "MATH", "MMLU"]
    text = client(endpoint, BENCHMARKS, TSV).queryAndConvert().decode()
    assert text.splitlines() == ["?name", '"GSM8K"', '"LongBench-X"', '"MATH"', '"MMLU"']


def test_ask(endpoint):
    assert client(endpoint, PREFIXES + "ASK { ?m a kgo:Model }", JSON).queryAndConvert()["boolean"] is True


def test_construct_as_turtle(endpoint):
    q = PREFIXES + "CONSTRUCT { ?m skos:prefLabel ?n } WHERE { ?m a kgo:Benchmark ; skos:prefLabel ?n }"
    data = client(endpoint, q, TURTLE).queryAndConvert()
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert len(g) == 4 and (rdflib.URIRef(R + "benchmark/MMLU"), None, rdflib.Literal("MMLU")) in g


def test_catalogue_query_over_http_returns_the_evidence_sentence(endpoint):
    from kg.query import load_catalogue
    res = client(endpoint, load_catalogue()["edge-evidence"].text, JSON).queryAndConvert()
    sentences = {b["sentence"]["value"] for b in res["results"]["bindings"]
                 if b["predicate"]["value"].endswith("#outperforms")}
    assert sentences == {"Vicuna-7B outperforms GPT-3.5 on MMLU and GSM8K.",
                         "On GSM8K and MATH, MathCoder-13B outperforms GPT-4.",
                         "GPT-4 outperforms Vicuna-7B by a wide margin."}


def test_named_graph_parameters(endpoint):
    q = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?p kgo:evaluatedOn ?b }"
    sw = client(endpoint, q, JSON)
    sw.addDefaultGraph(R + "graph/paper/2401.00001")
    assert sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "2"


def test_syntax_error_is_a_400_with_one_line(endpoint):
    with pytest.raises(QueryBadFormed) as err:
        client(endpoint, "SELECT ?x WHERE { ?x", JSON).queryAndConvert()
    assert "E010 SPARQL syntax error" in str(err.value)


def raw(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_raw_protocol_details(endpoint):
    base = endpoint.rsplit("/", 1)[0]
    status, ctype, body = raw(endpoint, BENCHMARKS.encode(), {"Content-Type": "application/sparql-query",
                                                              "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv") and body.split() == [b"name", b"GSM8K", b"LongBench-X",
                                                                               b"MATH", b"MMLU"]
    assert raw(endpoint, b"INSERT DATA { <a:b> <a:c> <a:d> }", {"Content-Type": "application/sparql-update"})[0] == 403
    assert raw(endpoint + "?update=CLEAR%20ALL")[0] == 403
    assert raw(endpoint)[0] == 400
    assert raw(base + "/nothing")[0] == 404
    status, ctype, body = raw(base + "/")
    assert status == 200 and b"most-evaluated-benchmarks" in body
    status, _, body = raw(endpoint + "?query=ASK%7B%7D", headers={"Accept": "image/png"})
    assert status == 406


def test_accept_parsing():
    assert parse_accept("text/csv;q=0.5, application/sparql-results+json") == ["application/sparql-results+json",
                                                                              "text/csv"]
    assert parse_accept("a/b;q=0, c/d") == ["c/d"]
    assert parse_accept(None) == []


def test_kg_serve_command_end_to_end(tmp_path, capsys):
    """Start `kg serve` as its own process on a free port, query it with SPARQLWrapper, stop it."""
    import subprocess

    from kg.cli import main
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(tmp_path / "o"), "--port", "0",
                             "--max-concurrent", "1"], cwd=root, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "SPARQL endpoint at http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        res = client(url, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?m a kgo:Model }", JSON).queryAndConvert()
        assert res["results"]["bindings"][0]["n"]["value"] == "11"
        # while it serves the store, a build into it is refused (it would not be seen, and could break the reader)
        capsys.readouterr()
        assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert "E040" in err and "in use by another process" in err and "stop kg serve" in err
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---------------------------------------------------------------- what a client must not be able to do
def test_a_port_that_cannot_be_used_is_one_line(tmp_path, capsys):
    from kg.cli import main
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    capsys.readouterr()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--out", str(tmp_path / "o"), "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert f"cannot listen on 127.0.0.1:{port}" in err and "choose another --port" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert main(["serve", "--out", str(tmp_path / "o"), "--port", "99999"]) == 2
    err = capsys.readouterr().err
    assert "--port 99999 is not a TCP port" in err and "Traceback" not in err


def post(url: str, query: str, accept: str | None = None, **params) -> tuple[int, str, bytes]:
    from urllib.parse import urlencode
    return raw(url, urlencode({"query": query, **params}, doseq=True).encode(),
               {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})})


def test_service_is_refused_with_400(endpoint):
    """SERVICE would make the server fetch any URL for any client (SSRF); it is refused before it runs."""
    for q in ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
              "select * where { ?s ?p ?o . service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
              "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }"):
        status, _, body = post(endpoint, q)
        assert status == 400 and b"SERVICE (federated query) is not allowed" in body, body
        assert len(body.strip().splitlines()) == 1
    status, _, body = post(endpoint, 'SELECT ?service WHERE { ?service ?p "SERVICE <http://a/>" } # SERVICE')
    assert status == 200


def test_an_update_sent_as_a_query_is_named_as_one(endpoint):
    status, _, body = post(endpoint, "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert status == 400 and b"'query' holds a SPARQL Update (INSERT)" in body and b"read-only" in body, body


def count_over_http(endpoint: str, query: str, **params) -> int:
    status, _, body = post(endpoint, query, "text/csv", **params)
    assert status == 200, body
    return int(body.split()[1])


def test_from_from_named_and_protocol_datasets(endpoint):
    g = R + "graph/paper/2401.00001"
    union = count_over_http(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    in_g = count_over_http(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }}")
    assert 0 < in_g < union
    assert count_over_http(endpoint, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{g}> WHERE {{ ?s ?p ?o }}") == 0
    # SPARQL 1.1 Protocol: named-graph-uri alone gives an empty default graph; the protocol dataset wins
    assert count_over_http(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"named-graph-uri": g}) == 0
    assert count_over_http(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                           **{"named-graph-uri": g}) == in_g
    assert count_over_http(endpoint, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{g}> WHERE {{ ?s ?p ?o }}",
                           **{"default-graph-uri": g}) == in_g


def send_raw(url: str, request: bytes) -> bytes:
    from urllib.parse import urlsplit
    u = urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def test_bad_content_length_is_400_and_chunked_bodies_are_read(endpoint, capfd):
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nAccept: text/csv\r\n"
    for bad in (b"abc", b"-5", b"1_0"):
        reply = send_raw(endpoint, head + b"Content-Length: " + bad + b"\r\n\r\nASK {}")
        assert reply.startswith(b"HTTP/1.1 400") and b"bad Content-Length" in reply, reply
    q = BENCHMARKS.encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (q[:20], q[20:])) + b"0\r\n\r\n"
    reply = send_raw(endpoint, head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
    assert reply.startswith(b"HTTP/1.1 200") and reply.split(b"\r\n\r\n", 1)[1].split() == [
        b"name", b"GSM8K", b"LongBench-X", b"MATH", b"MMLU"]
    reply = send_raw(endpoint, head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK {}\r\n0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400") and b"chunk" in reply
    assert "Traceback" not in capfd.readouterr().err


def test_accept_wildcards_and_q_values(endpoint):
    select, construct = BENCHMARKS, PREFIXES + "CONSTRUCT WHERE { ?b a kgo:Benchmark }"
    cases = [(select, "text/*", "text/csv"), (construct, "application/*", "application/n-triples"),
             (select, "*/*", "application/sparql-results+json"), (construct, "*/*", "text/turtle"),
             (select, "application/*", "application/sparql-results+json"), (construct, "text/*", "text/turtle"),
             (select, "text/csv;q=0, text/*", "text/tab-separated-values"),
             (select, "application/sparql-results+json;q=0.2, text/*;q=0.5", "text/csv"),
             (select, "text/*;q=0.1, application/sparql-results+xml", "application/sparql-results+xml"),
             (construct, "*/*, text/*;q=0", "application/n-triples")]
    for query, accept, want in cases:
        status, ctype, body = post(endpoint, query, accept)
        assert (status, ctype.split(";")[0]) == (200, want), (accept, body)
    for query, accept in ((select, "image/*"), (construct, "text/csv, application/sparql-results+json"),
                          (select, "*/*;q=0")):
        assert post(endpoint, query, accept)[0] == 406, accept


@pytest.fixture(scope="module")
def tight():
    """One query at a time, stopped after half a second."""
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, timeout=0.5, max_concurrent=1)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~1e9 rows on the fixture


def wait_ready(server, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while post(server.url, "ASK {}")[0] != 200:
        assert time.monotonic() < deadline, "no worker came back"
        time.sleep(0.05)


def test_a_slow_query_is_stopped_and_its_worker_killed(tight):
    wait_ready(tight)
    [pid] = tight.pool.pids()
    t0 = time.monotonic()
    status, _, body = post(tight.url, HEAVY)
    assert status == 503 and b"time limit" in body and time.monotonic() - t0 < 1.5
    with pytest.raises(ProcessLookupError):  # the work stopped with its process
        os.kill(pid, 0)
    wait_ready(tight)  # a new worker replaces it
    assert tight.pool.pids() != [pid]


def test_concurrent_queries_are_bounded(tight):
    wait_ready(tight)
    heavy: list = []
    t = threading.Thread(target=lambda: heavy.append(post(tight.url, HEAVY)))
    t.start()
    while tight.pool.idle():  # until the slow query holds the only worker
        time.sleep(0.01)
    status, _, body = post(tight.url, "ASK {}")
    t.join()
    assert status == 503 and b"busy" in body
    assert heavy[0][0] == 503
