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
    """One query at a time, stopped after half a second; a request waits a tenth of a second for the worker."""
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, timeout=0.5, max_concurrent=1, wait=0.1)
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


def wait_busy(server, timeout: float = 10.0) -> None:
    """Until a query holds every worker (a deadline, not a hang, if it never does)."""
    deadline = time.monotonic() + timeout
    while server.pool.idle():
        assert time.monotonic() < deadline, "no query took the worker"
        time.sleep(0.01)


def hold_the_only_worker(server) -> tuple[threading.Thread, list]:
    """A slow query sent in the background, once it holds the server's only worker: (its thread, its answer)."""
    heavy: list = []
    t = threading.Thread(target=lambda: heavy.append(post(server.url, HEAVY)))
    t.start()
    wait_busy(server)
    return t, heavy


def test_a_slow_query_is_stopped_and_its_worker_killed(tight):
    wait_ready(tight)
    [pid] = tight.pool.pids()
    status, _, body = post(tight.url, HEAVY)
    assert status == 503 and b"time limit" in body
    with pytest.raises(ProcessLookupError):  # the work stopped with its process
        os.kill(pid, 0)
    wait_ready(tight)  # a new worker replaces it
    assert tight.pool.pids() != [pid]


def test_concurrent_queries_are_bounded(tight):
    wait_ready(tight)
    t, heavy = hold_the_only_worker(tight)
    req = urllib.request.Request(tight.url, data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as err:  # it waited its tenth of a second: the worker stayed busy
        urllib.request.urlopen(req, timeout=10)
    t.join()
    assert err.value.code == 503 and b"busy" in err.value.read() and err.value.headers["Retry-After"] == "1"
    assert heavy[0][0] == 503


@pytest.fixture(scope="module")
def patient():
    """One worker, a half-second time limit; a request waits up to 10 s for the worker; silent connections are
    closed after half a second."""
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, timeout=0.5, max_concurrent=1, wait=10,
                         idle_timeout=0.5)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


def test_a_request_finding_every_worker_busy_waits_for_one(patient):
    wait_ready(patient)
    t, heavy = hold_the_only_worker(patient)
    status, _, body = post(patient.url, "ASK {}", "application/sparql-results+json")
    t.join()
    assert status == 200 and b"true" in body  # answered by the worker that replaced the stopped one
    assert heavy[0][0] == 503 and b"time limit" in heavy[0][2]


def test_a_silent_connection_is_closed(patient):
    from urllib.parse import urlsplit
    u = urlsplit(patient.url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as sock:
        assert sock.recv(1) == b""  # closed by the server (a socket.timeout here: it holds a thread for ever)


def test_long_names_and_unclosed_strings_are_read_in_one_pass(endpoint):
    """A long run of name characters (or of escaped quotes) took the server minutes to scan, during which it
    answered nothing; now such a body is answered (400: it is no query) at once, and the server stays free."""
    for body in (b"a" * 80000, b"a." * 40000, b'"' + b'\\"' * 40000, b"a1" * 40000):
        status, _, text = raw(endpoint, body, {"Content-Type": "application/sparql-query"})  # (10 s at most)
        assert status == 400 and b"E010 SPARQL syntax error" in text, text[:200]
    assert post(endpoint, BENCHMARKS, "text/csv")[0] == 200


def test_several_default_graphs_are_merged_not_summed(endpoint):
    """A triple stated in two default graphs is one triple of their merge (Oxigraph alone counts it twice)."""
    g1, g2 = R + "graph/paper/2401.00001", R + "graph/paper/2401.00003"
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one, two = count_over_http(endpoint, q, **{"default-graph-uri": g1}), count_over_http(
        endpoint, q, **{"default-graph-uri": g2})
    both = count_over_http(endpoint, q, **{"default-graph-uri": [g1, g2]})
    assert both < one + two  # (the two papers share statements: MMLU's label, its type...)
    store = graph_fixture.load_store()
    from pyoxigraph import NamedNode, Triple
    merge = {Triple(t.subject, t.predicate, t.object) for t in store.quads([NamedNode(g1), NamedNode(g2)])}
    assert both == len(merge)
    assert count_over_http(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{g1}> FROM <{g2}> WHERE {{ ?s ?p ?o }}") == both
    assert count_over_http(endpoint, f"PREFIX g: <{R}graph/paper/> SELECT (COUNT(*) AS ?n) FROM g:2401.00001 "
                                     f"FROM g:2401.00003 FROM NAMED <{g1}> WHERE {{ ?s ?p ?o }}") == both
    assert count_over_http(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{g1}> FROM <{g2}> FROM NAMED <{g1}> "
                                     "WHERE { GRAPH ?g { ?s ?p ?o } }") == one


def test_parameters_that_are_not_utf8_are_a_400(endpoint):
    q = 'ASK { FILTER("%FF" != "") }'  # (decoded with U+FFFD in place of the byte, it would run and answer true)
    status, _, body = raw(endpoint + "?query=" + q.replace(" ", "%20").replace('"', "%22"))
    assert status == 400 and b"not UTF-8" in body, body
    status, _, body = raw(endpoint, ("query=" + q.replace(" ", "+")).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"not UTF-8" in body, body


def test_deep_nesting_is_refused_before_it_reaches_the_parser(endpoint):
    """5,000 nested groups overflowed the parser's stack and killed the worker (500); now a 400 names the limit."""
    for query in ("SELECT * WHERE " + "{" * 5000 + "}" * 5000,
                  "SELECT * WHERE { ?s ?p " + "[ ?p " * 1000 + "1" + " ]" * 1000 + " }"):
        status, _, body = raw(endpoint, query.encode(), {"Content-Type": "application/sparql-query"})
        assert status == 400 and b"the limit is 64" in body and len(body.strip().splitlines()) == 1, body[:300]
    assert raw(endpoint, ("SELECT * WHERE " + "{" * 60 + "}" * 60).encode(),
               {"Content-Type": "application/sparql-query"})[0] == 200


def test_a_query_in_flight_at_shutdown_is_told_so():
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, max_concurrent=1)
    server.start_background()
    t, heavy = hold_the_only_worker(server)
    server.shutdown()
    server.server_close()
    t.join()
    assert heavy[0][0] == 503 and heavy[0][2] == b"the server is shutting down; retry once it is back\n", heavy


def test_other_methods_and_long_request_lines_are_plain_405_and_414(endpoint):
    for method in ("PUT", "DELETE", "PATCH"):
        req = urllib.request.Request(endpoint, data=b"x", method=method)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        e = err.value
        assert e.code == 405 and e.headers["Allow"] == "GET, POST, HEAD, OPTIONS", method
        assert e.headers["Content-Type"].startswith("text/plain") and e.headers["Access-Control-Allow-Origin"] == "*"
        assert b"read-only" in e.read()
    reply = send_raw(endpoint, b"GET /sparql?query=" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    head, body = reply.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 414") and b"Content-Type: text/plain" in head, head
    assert b"Access-Control-Allow-Origin: *" in head and body.strip().count(b"\n") == 0 and b"POST" in body
    reply = send_raw(endpoint, b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 501") and b"Access-Control-Allow-Origin: *" in reply and b"<" not in reply


def test_service_as_a_prefix_is_no_service(endpoint):
    status, _, body = post(endpoint, "PREFIX service: <http://ex.org/> SELECT * WHERE { ?s service:x ?o }")
    assert status == 200, body
    status, _, body = post(endpoint, "PREFIX service: <http://127.0.0.1:9/> SELECT * WHERE { service:x { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE (federated query) is not allowed" in body  # (that one is SERVICE :x)


def test_answers_are_labelled_with_a_type_the_client_listed(endpoint):
    construct = PREFIXES + "CONSTRUCT WHERE { ?b a kgo:Benchmark }"
    status, ctype, body = post(endpoint, construct, "text/plain")
    assert (status, ctype) == (200, "text/plain; charset=utf-8") and body.count(b"\n") == 4 and b"> .\n" in body
    status, ctype, body = post(endpoint, construct, "text/n3")
    assert (status, ctype.split(";")[0]) == (200, "text/n3") and b"kgo:Benchmark" in body
    status, ctype, _ = post(endpoint, BENCHMARKS, "application/json")
    assert (status, ctype) == (200, "application/json")


def test_an_undefined_prefix_is_named_in_one_short_line(endpoint):
    status, _, body = post(endpoint, "SELECT * WHERE { ?s nope:p ?o }")
    assert status == 400 and b"undefined prefix nope:" in body and len(body) < 200, body


# ---------------------------------------------------------------- kg serve as a process: how it stops
def serve(out: Path, *args: str):
    import subprocess
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", "0", *args], cwd=root,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert "SPARQL endpoint at http://127.0.0.1:" in line, line
    return proc, line.split(" at ", 1)[1].split()[0]


def proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: state, parent pid, ... (None: no such process)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def busy_worker(server_pid: int) -> int:
    """The pid of the query worker of kg serve (one worker), once it runs a query."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for d in Path("/proc").iterdir():
            stat = proc_stat(int(d.name)) if d.name.isdigit() else None
            try:
                ours = stat and int(stat[1]) == server_pid and b"spawn_main" in (d / "cmdline").read_bytes()
            except OSError:
                continue
            if ours and stat[0] == "R":
                return int(d.name)
        time.sleep(0.01)
    raise AssertionError("no worker ran the query")


def post_unanswered(url: str, query: str) -> None:
    """Send a query whose server will not answer it (it is killed or frozen)."""
    try:
        post(url, query)
    except OSError:
        pass


def gone(pid: int, within: float = 8.0) -> bool:
    deadline = time.monotonic() + within
    while (stat := proc_stat(pid)) is not None and stat[0] != "Z":  # (a zombie has stopped)
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


@pytest.fixture(scope="module")
def built_out(tmp_path_factory):
    return graph_fixture.build_outputs(tmp_path_factory.mktemp("serve"))


@needs_proc
def test_sigterm_stops_kg_serve_as_ctrl_c_does(tmp_path, capsys):
    """kill (SIGTERM) used to end kg serve at once, leaving a worker that kept the store locked: kg build then
    failed with E040 'in use'. Now the server stops its workers, answers the query in flight, and says so."""
    import signal

    from kg.cli import main
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    proc, url = serve(tmp_path / "o", "--max-concurrent", "1")
    try:
        heavy: list = []
        t = threading.Thread(target=lambda: heavy.append(post(url, HEAVY)))
        t.start()
        worker = busy_worker(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        t.join()
        assert "kg serve: stopped" in proc.stderr.read()
        assert heavy[0][0] == 503 and b"shutting down" in heavy[0][2]
        assert gone(worker, within=1)
    finally:
        proc.kill()
        proc.wait()
    capsys.readouterr()
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0


@needs_proc
def test_a_worker_whose_server_died_stops_by_itself(built_out):
    """SIGKILL cannot be caught: the worker itself notices its server is gone (and lets go of the store)."""
    import signal
    proc, url = serve(built_out, "--max-concurrent", "1", "--timeout", "0")  # (no time limit: no backstop)
    worker = None
    try:
        threading.Thread(target=post_unanswered, args=(url, HEAVY), daemon=True).start()
        worker = busy_worker(proc.pid)
        proc.kill()
        proc.wait()
        assert gone(worker), "the worker outlived its server"
    finally:
        proc.kill()
        proc.wait()
        if worker and not gone(worker, within=0):
            os.kill(worker, signal.SIGKILL)


@needs_proc
def test_a_worker_stops_itself_past_twice_the_time_limit(built_out):
    """Should the server not stop a query at --timeout (here it is frozen), the worker stops at twice that."""
    import signal
    proc, url = serve(built_out, "--max-concurrent", "1", "--timeout", "1")
    worker = None
    try:
        threading.Thread(target=post_unanswered, args=(url, HEAVY), daemon=True).start()
        worker = busy_worker(proc.pid)
        proc.send_signal(signal.SIGSTOP)
        assert gone(worker), "the worker ran on past its own time limit"
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait()
        if worker and not gone(worker, within=0):
            os.kill(worker, signal.SIGKILL)


def test_a_long_answer_goes_out_in_pieces(monkeypatch):
    """The idle time limit is for a client that sends nothing: it holds for each send, so a long answer goes
    out in pieces (one send of the whole answer was held to the limit, and a slow reader's answer cut off)."""
    import socketserver
    sizes: list[int] = []
    write = socketserver._SocketWriter.write

    def counted(self, b):
        sizes.append(len(b))
        return write(self, b)

    monkeypatch.setattr(socketserver._SocketWriter, "write", counted)  # (records the sizes; the socket is real)
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0, timeout=20, max_concurrent=1)
    server.start_background()
    try:
        status, _, body = post(server.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000", "text/csv")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200 and body.count(b"\r\n") == 3001 and len(body) > 4 * 65536
    assert max(sizes) <= 65536 and sum(sizes) >= len(body)
