"""Exports: every RDF format parses back in rdflib and pyoxigraph to the same number of statements; the rest
(GraphML, CSV) read back with standard tools; output is deterministic."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.cli import main  # noqa: E402
from kg.export import EXPORTERS, ExportError, export, get_exporter  # noqa: E402

RDF_FORMATS = {  # name -> (rdflib format, pyoxigraph format)
    "turtle": ("turtle", ox.RdfFormat.TURTLE), "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("nquads", ox.RdfFormat.N_QUADS), "trig": ("trig", ox.RdfFormat.TRIG),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD), "rdfxml": ("xml", ox.RdfFormat.RDF_XML),
}


def _paper_statements(store, distinct_triples: bool) -> int:
    """Counted by the store itself over the paper graphs (not by the export code under test)."""
    rows = "?s ?p ?o" if distinct_triples else "?g ?s ?p ?o"
    q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {rows} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
         f"FILTER(STRSTARTS(STR(?g), 'https://w3id.org/llmkg/resource/graph/paper/')) }} }}")
    return int(next(iter(store.query(q)))["n"].value)


_FIXTURE = graph_fixture.load_store()
TRIPLES, QUADS = _paper_statements(_FIXTURE, True), _paper_statements(_FIXTURE, False)
assert 0 < TRIPLES < QUADS  # (four paper graphs share some statements: the shared entities' types and labels)


@pytest.fixture(scope="module")
def store():
    return _FIXTURE


def test_registry_covers_the_promised_formats():
    assert set(EXPORTERS) == set(RDF_FORMATS) | {"graphml", "csv"}
    with pytest.raises(ExportError, match="unknown export format 'xlsx'"):
        get_exporter("xlsx")


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_rdf_exports_parse_back_in_both_libraries(store, name):
    data = export(store, name)
    rfmt, oxfmt = RDF_FORMATS[name]
    expected = QUADS if EXPORTERS[name].kind == "dataset" else TRIPLES
    assert len(list(ox.parse(data, format=oxfmt))) == expected
    if EXPORTERS[name].kind == "dataset":
        ds = rdflib.Dataset()
        ds.parse(data=data, format=rfmt)
        assert len(list(ds.quads((None, None, None, None)))) == expected
        assert len({g for *_, g in ds.quads((None, None, None, None))}) == 4
    else:
        assert len(rdflib.Graph().parse(data=data, format=rfmt)) == expected
    assert export(store, name) == data  # deterministic


def test_all_rdf_exports_hold_the_same_graph(store):
    graphs = []
    for name in ("turtle", "ntriples", "jsonld", "rdfxml"):
        graphs.append(rdflib.Graph().parse(data=export(store, name), format=RDF_FORMATS[name][0]))
    for g in graphs[1:]:
        assert isomorphic(graphs[0], g)


def test_jsonld_is_compacted_with_an_inline_context_and_holds_the_turtle_graph(store):
    import json
    data = export(store, "jsonld")
    doc = json.loads(data)
    assert isinstance(doc, dict) and isinstance(doc["@context"], dict)
    assert doc["@context"]["kgo"] == "https://w3id.org/llmkg/ontology#"
    assert doc["@context"]["schema"] == "https://schema.org/"
    ids = [n["@id"] for n in doc["@graph"]]
    assert "paper:2401.00001" in ids and "model:Vicuna-7B" in ids  # compact IRIs, not full ones
    assert ids == sorted(ids)
    back = rdflib.Graph().parse(data=data, format="json-ld")
    ttl = rdflib.Graph().parse(data=export(store, "turtle"), format="turtle")
    assert isomorphic(back, ttl)
    oxback = {str(t) for t in ox.parse(data, format=ox.RdfFormat.JSON_LD)}
    assert oxback == {str(t) for t in ox.parse(export(store, "ntriples"), format=ox.RdfFormat.N_TRIPLES)}
    assert len(data) < 0.75 * len(ox.serialize(ox.parse(data, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.JSON_LD))


def test_jsonld_is_deterministic_across_processes(tmp_path):
    """rdflib lists nodes in hash order; the export sorts them, so the bytes do not depend on PYTHONHASHSEED."""
    import os
    import subprocess
    code = ("import sys; sys.path.insert(0, 'tests/fixtures'); import graph_fixture; from kg.export import export; "
            "sys.stdout.buffer.write(export(graph_fixture.load_store(), 'jsonld'))")
    root = Path(__file__).resolve().parent.parent
    outs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1


def test_turtle_is_readable(store):
    ttl = export(store, "turtle").decode()
    assert ttl.startswith("@prefix kgo: <https://w3id.org/llmkg/ontology#> .\n")
    assert "paper:2401.00001 a kgo:Paper ;" in ttl
    assert "model:Vicuna-7B a kgo:Model ;" in ttl
    assert 'kgo:parameterCount "7000000000"^^xsd:decimal' in ttl
    # papers first, then entities, then provenance
    assert ttl.index("paper:2401.00001 a") < ttl.index("model:Vicuna-7B a") < ttl.index("a kgo:Assertion")


def test_the_build_record_is_left_out_unless_asked(tmp_path):
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    assert main(["export", "--out", str(tmp_path / "o"), "--format", "nquads", "-o", str(tmp_path / "a.nq")]) == 0
    assert main(["export", "--out", str(tmp_path / "o"), "--format", "nquads", "--with-build",
                 "-o", str(tmp_path / "b.nq")]) == 0
    a, b = (tmp_path / "a.nq").read_text(), (tmp_path / "b.nq").read_text()
    assert "prov#startedAtTime" not in a and "prov#startedAtTime" in b
    assert len(a.splitlines()) == QUADS
    # the analytics scores the endpoint serves can be exported too, in their own named graph
    assert main(["export", "--out", str(tmp_path / "o"), "--format", "nquads", "--with-analytics",
                 "-o", str(tmp_path / "c.nq")]) == 0
    c = (tmp_path / "c.nq").read_text()
    assert "ontology#pagerank>" not in a and "ontology#pagerank>" in c and "graph/analytics>" in c
    assert "prov#startedAtTime" not in c and set(a.splitlines()) < set(c.splitlines())


def test_graphml_reads_back_in_networkx(store):
    G = nx.read_graphml(io.BytesIO(export(store, "graphml")))
    R = "https://w3id.org/llmkg/resource/"
    assert G.nodes[R + "model/Vicuna-7B"]["label"] == "Vicuna-7B"
    assert G.nodes[R + "model/Vicuna-7B"]["kind"] == "Model"
    assert G.nodes[R + "paper/2401.00001"]["kind"] == "Paper"
    (edge,) = G.get_edge_data(R + "model/Vicuna-7B", R + "model/GPT-3.5").values()
    assert edge["predicate"] == "outperforms" and edge["papers"] == 1 and edge["confidence"] == pytest.approx(0.8)
    preds = [d["predicate"] for *_, d in G.edges(data=True)]
    assert preds.count("outperforms") == 3 and preds.count("mentions") == 22


def test_graphml_keeps_a_paper_with_no_entity(tmp_path):
    from kg.records import Extraction, Paper
    from ontology.mapping import Mapper

    lone = Paper(id="2401.99999", title="A position paper", abstract="We argue for care.", source="x:1")
    store = graph_fixture.load_store()
    store.raw.extend(Mapper().map(Extraction(paper=lone, entities=(), relations=())).quads)
    G = nx.read_graphml(io.BytesIO(export(store, "graphml")))
    node = G.nodes["https://w3id.org/llmkg/resource/paper/2401.99999"]
    assert node["kind"] == "Paper" and G.degree("https://w3id.org/llmkg/resource/paper/2401.99999") == 0


def test_csv_has_one_row_per_extracted_edge_with_its_sentence(store):
    rows = list(csv.DictReader(io.StringIO(export(store, "csv").decode())))
    assert len(rows) == 19
    r = next(r for r in rows if r["predicate"] == "fineTunedFrom")
    assert r["subject_label"] == "Vicuna-7B" and r["object_label"] == "Llama 2 7B"
    assert r["sentence"] == "We introduce Vicuna-7B, a chat model fine-tuned from Llama 2 7B with LoRA."
    assert (r["field"], r["start"], r["end"], r["confidence"]) == ("abstract", "0", "74", "0.85")


def test_cli_export_writes_default_names_and_stdout(tmp_path, capsys):
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    out = tmp_path / "o"
    assert main(["build", "--extractions", str(jsonl), "--out", str(out), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["export", "--out", str(out), "--format", "jsonld", "--format", "graphml"]) == 0
    assert (out / "graph.jsonld").exists() and (out / "graph.graphml").exists()
    assert main(["export", "--out", str(out), "--format", "ntriples", "-o", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == TRIPLES
    assert main(["export", "--out", str(out), "--format", "csv", "--format", "nquads", "-o", "x"]) == 2
    assert "takes one format" in capsys.readouterr().err


def test_validating_an_export_with_an_ill_typed_literal_is_one_line_per_finding(store, tmp_path):
    """``kg validate FILE``: a literal such as ``"abc"^^xsd:integer`` is a violation in one line, no traceback."""
    import re
    import subprocess
    ttl = export(store, "turtle").decode()
    ttl = re.sub(r"kgo:startOffset \d+ \.", 'kgo:startOffset "abc"^^xsd:integer .', ttl, count=1)
    assert '"abc"^^xsd:integer' in ttl
    f = tmp_path / "bad.ttl"
    f.write_text(ttl)
    root = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, "-m", "kg", "validate", str(f)], cwd=root, capture_output=True, text=True)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "Failed to convert" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and str(f) in res.stderr and "1 violation" in res.stderr
    (line,) = [ln for ln in res.stdout.splitlines() if "ill-typed" in ln]
    assert line.startswith("violation: assertion/") and "kgo:startOffset" in line and "'abc' is not a valid xsd:integer" in line
