"""The query catalogue answers correctly on the fixture graph; `kg query` prints tables, SPARQL results and Turtle,
and turns mistakes into one line."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.cli import main  # noqa: E402
from ontology.namespaces import DEFAULT_BASE  # noqa: E402
from kg.errors import QueryError  # noqa: E402
from kg.query import default_prefixes, execute, load_catalogue, parse_bindings, resolve  # noqa: E402

R = "https://w3id.org/llmkg/resource/"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def store():
    return graph_fixture.load_store()


def rows(store, query_name, **bind):
    res = execute(store, CATALOGUE[query_name].text, bindings=parse_bindings([f"{k}={v}" for k, v in bind.items()],
                                                                        default_prefixes()))
    return [{v: (t.value if t is not None else None) for v, t in zip(res.variables, row)} for row in res.rows]


def test_catalogue_has_at_least_twelve_documented_queries():
    assert len(CATALOGUE) >= 12
    for name, q in CATALOGUE.items():
        assert q.path.name == f"{name}.rq"
        assert len(q.description) > 30
        for var, _what in q.binds:
            assert f"?{var}" in q.text


def test_every_catalogue_query_runs_and_answers(store):
    for name, q in CATALOGUE.items():
        res = execute(store, q.text)
        if name == "build-history":
            continue  # the fixture store has no build record; see the build test
        assert res.rows or res.triples, name


def test_most_evaluated_benchmarks(store):
    got = [(r["name"], int(r["papers"])) for r in rows(store, "most-evaluated-benchmarks")]
    assert got == [("MMLU", 3), ("GSM8K", 2), ("LongBench-X", 1), ("MATH", 1)]


def test_models_by_family(store):
    got = {r["familyName"]: (int(r["models"]), set(r["members"].split(" | "))) for r in rows(store, "models-by-family")}
    assert got == {"Llama 2": (2, {"Llama 2 7B", "Llama 2 13B"}), "GPT": (2, {"GPT-4", "GPT-3.5"}),
                   "Vicuna": (1, {"Vicuna-7B"}), "MathCoder": (1, {"MathCoder-13B"})}
    assert [r["familyName"] for r in rows(store, "models-by-family", familyName="Llama 2")] == ["Llama 2"]


def test_model_lineage_follows_based_on_and_fine_tuned_from_paths(store):
    got = {(r["name"], r["ancestorName"], r["direct"]) for r in rows(store, "model-lineage")}
    uber = "Über-LLM 🦙 “quoted”/variant"
    assert got == {("Vicuna-7B", "Llama 2 7B", "true"), ("MathCoder-13B", "Llama 2 13B", "true"),
                   (uber, "Vicuna-7B", "true"), (uber, "Llama 2 7B", "false")}
    assert {r["ancestorName"] for r in rows(store, "model-lineage", name=uber)} == {"Vicuna-7B", "Llama 2 7B"}


def test_model_lineage_says_what_it_returns_and_keeps_other_lineage_apart_by_type(store):
    """It also lists datasets, methods and benchmarks built on others (the only lineage view of data): its
    description says so, every row names the entity's class, and type=kgo:Model keeps the models."""
    desc = CATALOGUE["model-lineage"].description
    assert "dataset" in desc and "method" in desc and "type" in desc
    kgo = "https://w3id.org/llmkg/ontology#"
    every = rows(store, "model-lineage")
    assert every and all(r["type"].startswith(kgo) for r in every)
    models = rows(store, "model-lineage", type="kgo:Model")
    assert models and {r["type"] for r in models} == {kgo + "Model"}
    assert {r["model"] for r in models} == {r["model"] for r in every if r["type"] == kgo + "Model"}
    # on a graph with data lineage, the dataset rows are there and say they are datasets
    g = graph_fixture.load_store()
    d1, d2 = ox.NamedNode(R + "dataset/Web-Edu"), ox.NamedNode(R + "dataset/Web")
    kg_ = lambda t: ox.NamedNode(kgo + t)  # noqa: E731
    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    pg = ox.NamedNode(R + "graph/paper/x")
    g.replace_graph(pg, [ox.Quad(*q, pg) for q in [
        (d1, rdf_type, kg_("Dataset")), (d2, rdf_type, kg_("Dataset")), (d1, kg_("basedOn"), d2),
        (d1, ox.NamedNode(skos), ox.Literal("Web-Edu")), (d2, ox.NamedNode(skos), ox.Literal("Web"))]])
    got = rows(g, "model-lineage", name="Web-Edu")
    assert [(r["type"], r["ancestorName"], r["direct"]) for r in got] == [(kgo + "Dataset", "Web", "true")]
    assert not rows(g, "model-lineage", name="Web-Edu", type="kgo:Model")


def test_model_benchmarks_does_not_claim_a_property_chain_the_ontology_denies():
    desc = CATALOGUE["model-benchmarks"].description
    assert "property chain of the ontology" not in desc
    ontology = (Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl").read_text(encoding="utf-8")
    assert "No OWL property chain states it" in ontology and "no OWL property chain" in desc


def test_papers_with_code(store):
    got = {(r["paper"].rsplit("/", 1)[1], r["url"]) for r in rows(store, "papers-with-code")}
    assert got == {("2401.00001", "https://github.com/example/vicuna-lite"),
                   ("2401.00003", "https://github.com/example/longbench-x")}


def test_compared_with_gpt4(store):
    got = {(r["name"], r["result"], r["otherName"], r["paper"].rsplit("/", 1)[1]) for r in rows(store, "compared-with-gpt4")}
    assert got == {("MathCoder-13B", "outperforms", "GPT-4", "2401.00002"),
                   ("Vicuna-7B", "is outperformed by", "GPT-4", "2401.00003")}


def test_benchmark_co_use(store):
    got = {(r["first"], r["second"], int(r["papers"])) for r in rows(store, "benchmark-co-use")}
    assert got == {("GSM8K", "MATH", 1), ("GSM8K", "MMLU", 1), ("LongBench-X", "MMLU", 1)}


def test_edge_evidence_returns_the_sentence_of_any_edge(store):
    all_rows = rows(store, "edge-evidence")
    assert len(all_rows) == 19  # every extracted edge of the fixture, none of the plain mentions
    one = rows(store, "edge-evidence", s="model:Vicuna-7B", predicate="kgo:outperforms")
    assert len(one) == 1
    r = one[0]
    assert r["sentence"] == "Vicuna-7B outperforms GPT-3.5 on MMLU and GSM8K."
    assert (r["o"], r["field"], r["start"], r["end"], r["rule"], r["confidence"]) == (
        R + "model/GPT-3.5", "abstract", "75", "123", "cue:outperforms", "0.8")
    assert r["paper"] == R + "paper/2401.00001"


def test_introduced_per_paper(store):
    got = {r["paper"].rsplit("/", 1)[1]: r["entities"] for r in rows(store, "introduced-per-paper")}
    assert got == {"2401.00001": "Vicuna-7B", "2401.00002": "MathCoder-13B", "2401.00003": "LongBench-X",
                   "t0123456789ab": "Über-LLM 🦙 “quoted”/variant"}


def test_entity_types(store):
    got = {r["type"]: int(r["entities"]) for r in rows(store, "entity-types")}
    # 7 extracted models + 4 family nodes (GPT, Llama 2, Vicuna, MathCoder)
    assert got == {"model": 11, "benchmark": 4, "repo": 2, "method": 1, "metric": 1, "task": 1}


def test_most_mentioned_entities(store):
    got = rows(store, "most-mentioned-entities")
    assert [(r["name"], int(r["papers"])) for r in got[:2]] == [("MMLU", 3), ("Vicuna-7B", 3)]
    models = rows(store, "most-mentioned-entities", type="model")
    assert {r["type"] for r in models} == {"model"} and len(models) == 7


def test_outperforms_leaderboard(store):
    got = {r["name"]: (int(r["wins"]), int(r["losses"])) for r in rows(store, "outperforms-leaderboard")}
    assert got == {"MathCoder-13B": (1, 0), "GPT-4": (1, 1), "Vicuna-7B": (1, 1), "GPT-3.5": (0, 1)}
    assert rows(store, "outperforms-leaderboard")[0]["name"] == "MathCoder-13B"


def test_largest_models(store):
    got = [(r["name"], float(r["billions"]), r["familyName"]) for r in rows(store, "largest-models")]
    assert got == [("Llama 2 13B", 13.0, "Llama 2"), ("MathCoder-13B", 13.0, "MathCoder"),
                   ("Llama 2 7B", 7.0, "Llama 2"), ("Vicuna-7B", 7.0, "Vicuna")]


def test_model_benchmarks(store):
    got = {(r["name"], r["benchmarkName"]) for r in rows(store, "model-benchmarks")}
    assert got == {("Vicuna-7B", "MMLU"), ("Vicuna-7B", "GSM8K"), ("MathCoder-13B", "GSM8K"),
                   ("MathCoder-13B", "MATH"), ("Über-LLM 🦙 “quoted”/variant", "MMLU")}


def test_low_confidence_edges(store):
    got = rows(store, "low-confidence-edges")
    assert [(r["sentence"], r["confidence"]) for r in got] == [("It is evaluated on MMLU.", "0.6")]


def test_entity_aliases(store):
    got = {r["name"]: r["aliases"] for r in rows(store, "entity-aliases")}
    assert got == {"Vicuna-7B": "Vicuna 7B", "Über-LLM 🦙 “quoted”/variant": "Über-LLM 🦙"}


def test_paper_cards_construct(store):
    res = execute(store, CATALOGUE["paper-cards"].text,
                  bindings=parse_bindings(["paper=paper:2401.00002"], default_prefixes()))
    assert res.kind == "graph"
    g = {(t.subject.value, t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], t.object.value) for t in res.triples}
    p = R + "paper/2401.00002"
    assert (p, "introduces", R + "model/MathCoder-13B") in g
    assert (p, "evaluatedOn", R + "benchmark/MATH") in g
    assert (p, "title", "MathCoder-13B: math reasoning with code") in g
    assert {s for s, _, _ in g} == {p, R + "model/MathCoder-13B", R + "benchmark/GSM8K", R + "benchmark/MATH"}


def test_build_history_after_a_build(tmp_path, capsys):
    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    assert main(["build", "--extractions", str(jsonl), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["query", "build-history", "--out", str(tmp_path / "o"), "--format", "csv"]) == 0
    got = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(got) == 1 and got[0]["version"] == "0.1.0" and got[0]["inputs"] == "1"
    assert got[0]["started"] <= got[0]["ended"]


# ---------------------------------------------------------------- resolving and the CLI

def test_resolve_name_file_or_text(tmp_path):
    assert resolve("papers-with-code")[1] == "papers-with-code"
    f = tmp_path / "q.rq"
    f.write_text("ASK {}")
    assert resolve(str(f)) == ("ASK {}", None)
    assert resolve("SELECT * WHERE { ?s ?p ?o }") == ("SELECT * WHERE { ?s ?p ?o }", None)
    with pytest.raises(QueryError, match="not a catalogue query.*did you mean papers-with-code"):
        resolve("papers-with")
    with pytest.raises(QueryError, match="not found"):
        resolve(str(tmp_path / "missing.rq"))


def test_resolve_takes_a_query_too_long_for_a_file_name_as_a_query():
    q = "SELECT ?m ?n WHERE { ?m a kgo:Model ; skos:prefLabel ?n FILTER(STRLEN(?n) > 0) } ORDER BY ?n " + "#" * 300
    assert len(q.encode()) > 255  # longer than any file name may be (ENAMETOOLONG)
    assert resolve(q) == (q, None)
    long_rq = "x" * 300 + ".rq"  # (asked for as a file: still a one-line 'not found')
    with pytest.raises(QueryError, match="not found"):
        resolve(long_rq)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return graph_fixture.build_outputs(tmp_path_factory.mktemp("q"))


def test_cli_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in CATALOGUE:
        assert name in out
    assert "--bind name=..." in out


def test_cli_table(built, capsys):
    assert main(["query", "most-evaluated-benchmarks", "--out", str(built)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["benchmark", "name", "papers"]
    assert out[2].split() == ["benchmark:MMLU", "MMLU", "3"]
    assert out[-1] == "(4 rows)"


def test_cli_result_formats(built, capsys):
    q = "SELECT ?n WHERE { ?b a kgo:Benchmark ; skos:prefLabel ?n } ORDER BY ?n"
    assert main(["query", q, "--out", str(built), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["n"]["value"] for b in data["results"]["bindings"]] == ["GSM8K", "LongBench-X", "MATH", "MMLU"]
    assert main(["query", q, "--out", str(built), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["?n", '"GSM8K"', '"LongBench-X"', '"MATH"', '"MMLU"']
    assert main(["query", q, "--out", str(built), "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "GSM8K", "LongBench-X", "MATH", "MMLU"]
    assert main(["query", q, "--out", str(built), "--format", "xml"]) == 0
    assert "<literal>MMLU</literal>" in capsys.readouterr().out
    assert main(["query", "ASK { ?m a kgo:Model }", "--out", str(built)]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_cli_construct_and_describe_print_turtle(built, capsys):
    assert main(["query", "DESCRIBE model:Vicuna-7B", "--out", str(built)]) == 0
    ttl = capsys.readouterr().out
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    assert (rdflib.URIRef(R + "model/Vicuna-7B"), rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            rdflib.Literal("Vicuna-7B")) in g
    assert "model:Vicuna-7B" in ttl
    assert main(["query", "paper-cards", "--out", str(built), "--bind", "paper=paper:2401.00001"]) == 0
    assert len(list(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.TURTLE))) > 5


def test_cli_query_from_file(built, tmp_path, capsys):
    f = tmp_path / "count.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH <%sgraph/analytics> { ?s ?p ?o } } }"
                 % DEFAULT_BASE)
    assert main(["query", str(f), "--out", str(built), "--format", "csv"]) == 0
    # merged paper graphs + the build record (the analytics scores are left out by the filter)
    assert int(capsys.readouterr().out.split()[1]) == 594 + 14


@pytest.mark.parametrize("query,needle", [
    ("SELECT ?x WHERE { ?x ", "E010 SPARQL syntax error"),
    ("SELECT ?x WHERE { ?x nope:p ?y }", "E010 SPARQL syntax error"),
    ("papers-with", "E010 'papers-with' is not a catalogue query"),
])
def test_cli_errors_are_one_line(built, capsys, query, needle):
    assert main(["query", query, "--out", str(built)]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_runs_an_inline_query_longer_than_a_file_name(built, capsys):
    q = ("SELECT ?n WHERE { ?b a kgo:Benchmark ; skos:prefLabel ?n . "
         "FILTER(?n != 'no such benchmark at all, only here to make this query longer than 255 bytes' && "
         "?n != 'another benchmark name that is not in the graph either, kept here for the very same reason') } ORDER BY ?n")
    assert len(q.encode()) > 255
    assert main(["query", q, "--out", str(built), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.split() == ["n", "GSM8K", "LongBench-X", "MATH", "MMLU"]
    assert "E001" not in captured.err and "File name too long" not in captured.err


def test_cli_refuses_service_unless_allowed(built, capsys):
    q = "SELECT * WHERE { ?s ?p ?o . service <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert main(["query", q, "--out", str(built)]) == 2
    err = capsys.readouterr().err
    assert "uses SERVICE" in err and "--allow-service" in err and len(err.strip().splitlines()) == 1
    # allowed, the query reaches Oxigraph's HTTP client (which refuses port 9 before any network traffic)
    assert main(["query", q, "--out", str(built), "--allow-service", "--format", "csv"]) == 2
    assert "port 9 is not allowed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    assert "--allow-service" in capsys.readouterr().out


def test_cli_from_and_from_named_give_the_default_graph(built, capsys):
    g = f"<{DEFAULT_BASE}graph/build>"

    def n(query: str) -> int:
        assert main(["query", query, "--out", str(built), "--format", "csv"]) == 0
        return int(capsys.readouterr().out.split()[1])
    assert n("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") > 594 + 14  # the union: papers, build, analytics
    assert n(f"SELECT (COUNT(*) AS ?n) FROM {g} WHERE {{ ?s ?p ?o }}") == 14  # the build record only
    assert n(f"SELECT (COUNT(*) AS ?n) FROM NAMED {g} WHERE {{ ?s ?p ?o }}") == 0  # an empty default graph
    assert n(f"SELECT (COUNT(*) AS ?n) FROM NAMED {g} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 14


def test_cli_bad_bind_and_missing_store(tmp_path, built, capsys):
    assert main(["query", "model-lineage", "--bind", "name", "--out", str(built)]) == 2
    assert "is not VAR=VALUE" in capsys.readouterr().err
    assert main(["query", "model-lineage", "--out", str(tmp_path / "none")]) == 2
    assert "E040 no store at" in capsys.readouterr().err


def test_catalogue_is_standard_sparql_that_rdflib_also_answers():
    """The shipped queries are plain SPARQL 1.1 (no engine extensions): rdflib parses them and, on the small
    fixture graph, gives the same number of rows as Oxigraph."""
    from rdflib.plugins.sparql import prepareQuery
    from kg.export import export

    store = graph_fixture.load_store()
    g = rdflib.Graph().parse(data=export(store, "ntriples"), format="nt")
    for name, q in CATALOGUE.items():
        prepared = prepareQuery(q.text)
        if name in ("paper-cards", "build-history"):
            continue
        ours = execute(store, q.text)
        assert len(list(g.query(prepared))) == len(ours.rows), name


def test_a_name_as_tables_show_it_binds_to_the_minted_iri():
    prefixes = default_prefixes(DEFAULT_BASE)
    for shown, local in (("model:RETRO++", "RETRO%2B%2B"), ("model:RETRO%2B%2B", "RETRO%2B%2B"),
                         ("paper:hep-th/9901001", "hep-th%2F9901001"), ("model:GlórIA", "Gl%C3%B3rIA"),
                         ("metric:Recall@k", "Recall%40k"), ("model:Tulu_2", "Tulu_2")):
        (term,) = parse_bindings([f"s={shown}"], prefixes).values()
        assert term.value.endswith("/" + local), (shown, term)
    (term,) = parse_bindings(["p=kgo:outperforms"], prefixes).values()
    assert term.value == "https://w3id.org/llmkg/ontology#outperforms"


def test_a_cut_slug_as_tables_show_it_binds_to_its_iri():
    from kg.query import short
    from ontology.iri import slug
    prefixes = default_prefixes(DEFAULT_BASE)
    for name in ("A very long model name " * 8, "GlórIA très longue " * 10):
        iri = DEFAULT_BASE + "model/" + slug(name)
        (term,) = parse_bindings([f"s={short(ox.NamedNode(iri), prefixes, None)}"], prefixes).values()
        assert term.value == iri


@pytest.mark.parametrize("update", ["PREFIX : <http://e/> INSERT DATA { :a :b :c }",
                                    "BASE <http://x/> PREFIX : <http://e/> CLEAR ALL",
                                    "INSERT DATA { <a:b> <a:c> <a:d> }",
                                    "PREFIX ex: <http://x/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
                                    "CLEAR ALL", "LOAD <http://example.org/x.ttl>"])
def test_an_update_is_refused_in_plain_words(store, update):
    with pytest.raises(QueryError, match=r"is a SPARQL Update \((INSERT|DELETE|CLEAR|LOAD)\); the graph is read-only"):
        execute(store, update)


def test_cli_construct_as_json_ld_and_a_table_format_refused_in_one_line(built, capsys):
    q = "CONSTRUCT WHERE { ?b a kgo:Benchmark ; skos:prefLabel ?n }"
    assert main(["query", q, "--out", str(built), "--format", "json"]) == 0
    g = set(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.JSON_LD))
    assert len(g) == 8 and any(t.subject.value == R + "benchmark/MMLU" and t.object == ox.Literal("MMLU") for t in g)
    assert main(["query", q, "--out", str(built), "--format", "xml"]) == 0
    assert len(rdflib.Graph().parse(data=capsys.readouterr().out, format="xml")) == 8
    assert main(["query", q, "--out", str(built), "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "--format csv is for SELECT and ASK results" in err and len(err.strip().splitlines()) == 1


def test_cli_names_an_undefined_prefix(built, capsys):
    assert main(["query", "SELECT ?x WHERE { ?x nope:p ?y }", "--out", str(built)]) == 2
    err = capsys.readouterr().err.strip()
    assert "E010 SPARQL syntax error: undefined prefix nope:" in err and len(err) < 200, err


def test_cli_from_two_graphs_counts_a_shared_triple_once(built, capsys):
    g1, g2 = f"<{DEFAULT_BASE}graph/paper/2401.00001>", f"<{DEFAULT_BASE}graph/paper/2401.00003>"

    def n(query: str) -> int:
        assert main(["query", query, "--out", str(built), "--format", "csv"]) == 0
        return int(capsys.readouterr().out.split()[1])
    each = n(f"SELECT (COUNT(*) AS ?n) FROM {g1} WHERE {{ ?s ?p ?o }}") + n(
        f"SELECT (COUNT(*) AS ?n) FROM {g2} WHERE {{ ?s ?p ?o }}")
    shared = n(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {g1} {{ ?s ?p ?o }} GRAPH {g2} {{ ?s ?p ?o }} }}")
    assert shared > 0 and n(f"SELECT (COUNT(*) AS ?n) FROM {g1} FROM {g2} WHERE {{ ?s ?p ?o }}") == each - shared


def test_cli_refuses_deep_nesting_in_one_line(built):
    """5,000 nested groups overflowed Oxigraph's parser stack: kg query died without a word (a child process
    here, so that the crash it was does not take the test run with it)."""
    import subprocess
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "kg", "query", "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
                           "--out", str(built)], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "the limit is 64" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_cli_reads_the_query_from_stdin(built, capsys, monkeypatch):
    import io
    q = b"SELECT ?n WHERE { ?b a kgo:Benchmark ; skos:prefLabel ?n } ORDER BY ?n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(q)))
    assert main(["query", "-", "--out", str(built), "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "GSM8K", "LongBench-X", "MATH", "MMLU"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["query", "-", "--out", str(built)]) == 2
    assert "stdin holds no query" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    assert "or - to read the query from stdin" in " ".join(capsys.readouterr().out.split())


def _query_error(argv, capsys) -> str:
    assert main(["query"] + argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_cli_names_a_query_file_that_is_not_utf8(built, tmp_path, capsys):
    f = tmp_path / "bin.rq"
    f.write_bytes(b"\xff\xfe\x00SELECT")
    err = _query_error([str(f), "--out", str(built)], capsys)
    assert f"E010 query file {f} is not UTF-8 text" in err


def test_cli_a_file_that_is_not_sparql_is_named_as_read_as_a_query(built, tmp_path, capsys):
    f = tmp_path / "good.jsonl"
    f.write_text('{"title": "T", "abstract": "A"}\n')
    err = _query_error([str(f), "--out", str(built)], capsys)
    assert f"E010 {f} was read as a SPARQL query and does not parse as one (undefined prefix :)" in err
    rq = tmp_path / "broken.rq"  # a .rq file: its syntax error, with its name
    rq.write_text("SELECT ?x WHERE { ?x nope:p ?y }")
    assert f"E010 {rq}: SPARQL syntax error: undefined prefix nope:" in _query_error([str(rq), "--out", str(built)],
                                                                                    capsys)


def test_cli_a_folder_given_as_a_query_file_is_said_to_be_a_folder(built, tmp_path, capsys):
    (tmp_path / "d.rq").mkdir()
    err = _query_error([str(tmp_path / "d.rq"), "--out", str(built)], capsys)
    assert f"E010 {tmp_path / 'd.rq'} is a folder, not a query file" in err and "not found" not in err


def test_cli_a_misspelt_catalogue_name_gets_the_closest_names(built, capsys):
    err = _query_error(["most-evalated-benchmarks", "--out", str(built)], capsys)
    assert "did you mean most-evaluated-benchmarks" in err


def test_cli_bind_names_the_variables_and_the_prefixes_it_knows(built, capsys):
    err = _query_error(["model-lineage", "--bind", "nosuchvar=x", "--out", str(built)], capsys)
    assert "the query has no variable ?nosuchvar to bind; its variables are ?model, ?name, ?ancestor" in err
    assert "does not contains" not in err
    err = _query_error(["edge-evidence", "--bind", "s=foo:bar", "--out", str(built)], capsys)
    assert "unknown prefix foo:" in err and "model:" in err and "kgo:" in err
    # a string holding a colon, quoted, is still a string
    assert main(["query", "model-lineage", "--bind", 'name="foo:bar"', "--out", str(built)]) == 0
    assert "(0 rows)" in capsys.readouterr().out
