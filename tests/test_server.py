"""The SPARQL endpoint, exercised with a real SPARQL client (SPARQLWrapper) over HTTP on a free local port."""
from __future__ import annotations

import csv
import io
import sys
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
    server = make_server(graph_fixture.load_store(), "127.0.0.1", 0)  # port 0: the OS picks a free port
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


def test_kg_serve_command_end_to_end(tmp_path):
    """Start `kg serve` as its own process on a free port, query it with SPARQLWrapper, stop it."""
    import subprocess

    from kg.cli import main
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(tmp_path / "o"), "--port", "0"],
                            cwd=root, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "SPARQL endpoint at http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        res = client(url, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?m a kgo:Model }", JSON).queryAndConvert()
        assert res["results"]["bindings"][0]["n"]["value"] == "11"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
