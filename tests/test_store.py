"""The Oxigraph store: one named graph per paper, replaced (never duplicated) on rebuild; the default graph
holds the merge, so every triple is counted once; clear errors for a busy or missing store."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.errors import QueryError, StoreError  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from ontology.mapping import Mapper  # noqa: E402

P = "PREFIX kgo: <https://w3id.org/llmkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


def count(store: GraphStore, where: str) -> int:
    return int(next(iter(store.query(P + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))["n"].value)


def fill(store: GraphStore, exts) -> None:
    m = Mapper()
    for e in exts:
        mp = m.map(e)
        store.replace_graph(mp.graph, mp.quads)


def test_one_named_graph_per_paper_and_rebuild_never_duplicates():
    store = GraphStore()
    exts = graph_fixture.build()
    fill(store, exts)
    quads, triples = len(store), store.count_triples()
    assert len(store.paper_graphs("https://w3id.org/llmkg/resource/")) == 4
    fill(store, exts)
    fill(store, exts[:2])
    assert (len(store), store.count_triples()) == (quads, triples)


def test_shared_triples_are_counted_once_and_survive_until_no_paper_states_them():
    store = GraphStore()
    exts = graph_fixture.build()
    fill(store, exts)
    # MMLU is named by three papers, but its label is one triple of the merged graph
    assert count(store, '?e skos:prefLabel "MMLU"') == 1
    assert count(store, "GRAPH ?g { ?e skos:prefLabel \"MMLU\" }") == 3
    # paper 3 no longer names MMLU or the task: the task disappears, MMLU stays (papers 1 and 4 still name it)
    p3 = exts[2]
    fill(store, [replace(p3, entities=tuple(e for e in p3.entities if e.name not in ("MMLU", "question answering")),
                         relations=tuple(r for r in p3.relations if r.object != "MMLU"))])
    assert count(store, '?e skos:prefLabel "MMLU"') == 1
    assert count(store, "?e a kgo:Task") == 0
    assert count(store, "GRAPH ?g { ?e skos:prefLabel \"MMLU\" }") == 2
    fill(store, [replace(e, entities=tuple(x for x in e.entities if x.name != "MMLU"),
                         relations=tuple(r for r in e.relations if r.object != "MMLU")) for e in (exts[0], exts[3])])
    assert count(store, '?e skos:prefLabel "MMLU"') == 0


def test_merge_equals_the_union_of_paper_graphs():
    store = graph_fixture.load_store()
    merged = {ox.Triple(q.subject, q.predicate, q.object)
              for q in store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    union = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(store.paper_graphs(
        "https://w3id.org/llmkg/resource/"))}
    assert merged == union and store.count_triples() == len(union)


def test_quads_must_belong_to_the_replaced_graph():
    store = GraphStore()
    g = ox.NamedNode("https://example.org/graph/paper/a")
    with pytest.raises(StoreError):
        store.replace_graph(g, [ox.Quad(g, g, g, ox.NamedNode("https://example.org/graph/paper/b"))])


def test_on_disk_store_reopens_and_refuses_a_second_writer(tmp_path):
    path = tmp_path / "store"
    with GraphStore(path) as store:
        fill(store, graph_fixture.build())
        n = len(store)
        with pytest.raises(StoreError) as err:
            GraphStore(path)
        assert err.value.code == "E040" and "in use" in str(err.value)
    with GraphStore(path, read_only=True) as ro:
        assert len(ro) == n and count(ro, "?m a kgo:Model") == 11


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run kg build first"):
        GraphStore(tmp_path / "nope", read_only=True)


def test_query_errors_are_query_errors():
    store = GraphStore()
    with pytest.raises(QueryError, match="syntax error"):
        store.query("SELECT ?x WHERE { ?x ")


def test_other_named_graphs_are_part_of_the_query_default_graph():
    """Scores written by the analytics stage into <base>graph/analytics are queryable without GRAPH."""
    store = graph_fixture.load_store()
    g = ox.NamedNode("https://w3id.org/llmkg/resource/graph/analytics")
    vic = ox.NamedNode("https://w3id.org/llmkg/resource/model/Vicuna-7B")
    pr = ox.NamedNode("https://w3id.org/llmkg/ontology#pagerank")
    store.replace_graph(g, [ox.Quad(vic, pr, ox.Literal("0.25", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal")), g)])
    before = graph_fixture.load_store().count_triples()  # (the same papers, without the analytics graph)
    rows = list(store.query(P + "SELECT ?n ?pr WHERE { ?e kgo:pagerank ?pr ; skos:prefLabel ?n }"))
    assert [(r["n"].value, r["pr"].value) for r in rows] == [("Vicuna-7B", "0.25")]
    assert store.count_triples() == before > 500  # the merge holds paper statements only


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",            # no space
    "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICEe:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 42SERVICE<http://127.0.0.1:9/>{ ?s ?p ?o } }",
    "SELECT * WHERE { # a comment ends at a carriage return\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SeRvIcE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_refused_unless_allowed(query):
    """Oxigraph would fetch the URL (each of these reaches its HTTP client when allowed: port 9 is refused there)."""
    store = graph_fixture.load_store()
    with pytest.raises(QueryError, match="uses SERVICE.*--allow-service"):
        store.query(query)
    if "silent" in query.lower():
        rows = list(store.query(query, allow_service=True))  # SILENT: no answer, no error
        assert [[r[v] for v in ("s", "p", "o")] for r in rows] == [[None, None, None]]  # one empty solution
    else:
        with pytest.raises(OSError, match="port 9|127.0.0.1:9"):  # it reached the HTTP client
            list(store.query(query, allow_service=True))


def test_service_detection_ignores_strings_comments_iris_and_names():
    store = graph_fixture.load_store()
    text = ('PREFIX ex: <https://example.org/service#> SELECT ?service WHERE { ?service ex:service ?x . '
            'FILTER(?x != "SERVICE <http://a/>" && ?x != """SERVICE""" && ?x != \'service\') } # SERVICE <x>')
    assert list(store.query(text)) == []
    # a prefix that holds the word is no keyword either, and a prefix named from: names no dataset
    assert list(store.query("PREFIX webservice: <http://x/> PREFIX web-service: <http://y/> "
                            "SELECT * WHERE { ?s webservice:a ?o . ?o web-service:b ?x }")) == []
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert list(store.query("PREFIX from: <http://x/> " + everything))[0]["n"].value == \
        list(store.query(everything))[0]["n"].value


def test_query_names_its_own_dataset():
    """FROM / FROM NAMED (and the default_graph / named_graphs arguments) replace the union default graph."""
    store = graph_fixture.load_store()
    g = "https://w3id.org/llmkg/resource/graph/paper/2401.00001"
    in_g = sum(1 for _ in store.quads([ox.NamedNode(g)]))
    assert 0 < in_g < store.count_triples()
    assert count(store, "?s ?p ?o") == store.count_triples()
    assert count(store, f"?s ?p ?o # FROM <{g}>\n") == store.count_triples()  # a FROM in a comment is none
    assert count_with(store, "?s ?p ?o", dataset=f"FROM <{g}>") == in_g
    assert count_with(store, "?s ?p ?o", dataset=f"FROM NAMED <{g}>") == 0
    rows = list(store.query(f"SELECT DISTINCT ?g FROM NAMED <{g}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"))
    assert [r["g"].value for r in rows] == [g]
    # a caller's dataset (the SPARQL Protocol's) wins over the query's; the part it leaves out is empty
    assert count_with(store, "?s ?p ?o", named_graphs=[ox.NamedNode(g)]) == 0
    assert count_with(store, "?s ?p ?o", dataset=f"FROM NAMED <{g}>", default_graph=[ox.NamedNode(g)]) == in_g
    assert count_with(store, "GRAPH ?g { ?s ?p ?o }", default_graph=[ox.NamedNode(g)]) == 0


def count_with(store: GraphStore, where: str, dataset: str = "", **kw) -> int:
    return int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ {where} }}", **kw)))["n"].value)


def test_a_reader_keeps_the_writer_out_and_the_writer_keeps_readers_out(tmp_path):
    """kg serve holds the store read-only for as long as it runs: kg build must not write under it."""
    path = tmp_path / "store"
    with GraphStore(path) as store:
        fill(store, graph_fixture.build()[:1])
        with pytest.raises(StoreError, match="being written by another process.*wait for the build"):
            GraphStore(path, read_only=True)
    reader, other = GraphStore(path, read_only=True), GraphStore(path, read_only=True)  # readers share
    with pytest.raises(StoreError, match="in use by another process.*stop kg serve") as err:
        GraphStore(path)
    assert err.value.code == "E040"
    reader.close()
    other.close()
    with GraphStore(path) as store:
        assert len(store) > 0


def test_a_damaged_store_is_one_line_and_is_not_silently_replaced(tmp_path, capsys):
    import sys as _sys
    _sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture
    from kg.cli import main

    jsonl = graph_fixture.write_jsonl(tmp_path / "x.jsonl")
    for damage in ("sst", "current"):
        out = tmp_path / damage
        assert main(["build", "--extractions", str(jsonl), "--out", str(out), "--no-progress"]) == 0
        if damage == "sst":
            for f in (out / "store").glob("*.sst"):
                f.write_text("x")
        else:
            (out / "store" / "CURRENT").unlink()
        capsys.readouterr()
        for argv in (["query", "ASK {}", "--out", str(out)],
                     ["build", "--extractions", str(jsonl), "--out", str(out), "--no-progress"],
                     ["build", "--extractions", str(jsonl), "--out", str(out), "--no-progress"]):
            assert main(argv) == 2, (damage, argv)
            err = capsys.readouterr().err
            assert "E040" in err and ("is damaged" in err or "cannot open the store" in err) and "delete the" in err, err
            assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_journal_takes_back_exactly_what_it_changed(tmp_path):
    from kg.store import Journal
    N = ox.NamedNode
    g1, g2, gb = (N(f"https://example.org/graph/paper/{i}") for i in (1, 2, 9))
    a = ox.Quad(N("https://e/a"), N("https://e/p"), ox.Literal("1"), g1)
    b = ox.Quad(N("https://e/b"), N("https://e/p"), ox.Literal("2"), g2)
    kept = ox.Quad(N("https://e/k"), N("https://e/p"), ox.Literal("k"), N("https://example.org/graph/build"))
    with GraphStore(tmp_path / "store") as st:
        st.replace_graph(g1, [a])
        st.add([kept])
        before = set(st.raw)
        j = Journal(st, tmp_path / "journal")
        j.replace_graph(g1, [ox.Quad(a.subject, a.predicate, ox.Literal("changed"), g1)])
        j.replace_graph(g2, [b])  # a new graph
        j.add([kept, ox.Quad(kept.subject, kept.predicate, ox.Literal("new"), kept.graph_name)])
        j.remove([kept, ox.Quad(kept.subject, kept.predicate, ox.Literal("absent"), kept.graph_name)])
        assert set(st.raw) != before
        j.undo()
        assert set(st.raw) == before and not (tmp_path / "journal").exists()
        assert Journal.undo_left_over(st, tmp_path / "journal") is False


def test_the_keyword_scans_read_a_long_text_in_one_pass():
    """A long run of name characters, or of escaped quotes, made the scans for updates, SERVICE and FROM
    quadratic (80,000 characters: minutes); each text here is read in well under a second now. A child process
    runs them, so that the slow scans fail the test (at its time limit) instead of holding up the suite."""
    import subprocess
    root = Path(__file__).resolve().parent.parent
    code = """if True:
        from kg.store import sparql_code, uses_service, update_keyword, names_dataset
        q3 = "'" * 3
        for text in ("a" * 80000, "a." * 40000, "a1" * 40000, '"' + '\\\\"' * 40000, q3 + ("\\\\" + q3) * 20000,
                     "?a.b" * 20000, "service:a." * 8000, "prefix " * 10000):
            assert not uses_service(text) and not update_keyword(text) and not names_dataset(text), text[:20]
            sparql_code(text)
    """
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, timeout=20)


def test_a_default_graph_of_several_graphs_is_their_merge():
    """Oxigraph, given several default graphs (FROM, or the protocol's), counts a triple once per graph."""
    store = graph_fixture.load_store()
    g1, g2 = (ox.NamedNode(f"https://w3id.org/llmkg/resource/graph/paper/2401.0000{i}") for i in (1, 3))
    merge = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads([g1, g2])}
    assert len(merge) < sum(1 for _ in store.quads([g1, g2]))  # (the fixture's papers share statements)
    assert count_with(store, "?s ?p ?o", default_graph=[g1, g2]) == len(merge)
    assert count_with(store, "?s ?p ?o", default_graph=[g1, g1]) == sum(1 for _ in store.quads([g1]))
    assert count_with(store, "?s ?p ?o", dataset=f"FROM <{g1.value}> FROM <{g2.value}>") == len(merge)
    assert count_with(store, "GRAPH ?g { ?s ?p ?o }", dataset=f"FROM <{g1.value}> FROM <{g2.value}>") == 0
    assert count_with(store, "GRAPH ?g { ?s ?p ?o }", dataset=f"FROM <{g1.value}> FROM <{g2.value}> "
                      f"FROM NAMED <{g2.value}>") == sum(1 for _ in store.quads([g2]))
    base = "BASE <https://w3id.org/llmkg/resource/graph/> PREFIX p: <https://w3id.org/llmkg/resource/graph/paper/> "
    assert int(next(iter(store.query(base + "SELECT (COUNT(*) AS ?n) FROM <paper/2401.00001> FROM p:2401.00003 "
                                     "WHERE { ?s ?p ?o }")))["n"].value) == len(merge)


def test_service_as_a_prefix_is_no_service():
    store = graph_fixture.load_store()
    assert list(store.query("PREFIX service: <http://ex.org/> SELECT * WHERE { ?s service:x ?o }")) == []
    assert list(store.query("PREFIX service: <http://ex.org/> PREFIX servicex: <http://ex.org/> "
                            "SELECT * WHERE { service:a ?p servicex:b . ?s service:x.y ?o }")) == []
    with pytest.raises(QueryError, match="uses SERVICE"):  # glued to a name before a group, it is one
        store.query("PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o SERVICE:x.y # here\n { ?s ?p ?o } }")


def test_a_less_than_sign_that_reads_as_an_iri_hides_no_service_and_no_nesting():
    """In an expression, "<2)SERVICE#>" is "less than 2", the keyword and a comment, not one IRI: the checks
    read such a token both ways (an IRI's own "#" or brackets stay harmless)."""
    store = graph_fixture.load_store()
    with pytest.raises(QueryError, match="uses SERVICE"):
        store.query("SELECT * WHERE { ?s ?p ?a FILTER(1<2)SERVICE#>\n<http://127.0.0.1:9/>{?s ?p ?o} } LIMIT 1")
    for tail in (")#>\n }", ">0) }"):  # (5,000 levels: Oxigraph's parser would crash the process)
        with pytest.raises(QueryError, match="5002 levels deep"):
            store.query("SELECT * WHERE { ?s ?p ?o FILTER(1<" + "(" * 5000 + "1" + ")" * 5000 + tail)
    assert list(store.query("SELECT * WHERE { ?s <http://www.w3.org/ns/sparql-service-description#x> "
                            "<http://e.org/Python_(language)> }")) == []


def test_deep_nesting_and_undefined_prefixes_are_one_short_line():
    store = GraphStore()
    with pytest.raises(QueryError, match=r"nests .* 101 levels deep; the limit is 64"):  # (200: a crash)
        store.query("SELECT * WHERE { ?s ?p " + "[ ?p " * 100 + "1" + " ]" * 100 + " }")
    with pytest.raises(QueryError) as err:
        store.query("PREFIX ex: <http://e/> SELECT * WHERE { ex:a ?p _:b . _:b nope:p ?o }")
    assert str(err.value).startswith("E010 SPARQL syntax error: undefined prefix nope: -- declare it with PREFIX nope:")
    assert len(str(err.value)) < 150
    with pytest.raises(QueryError, match="undefined prefix ex:"):  # (Oxigraph's error points at the prefix itself)
        store.query('SELECT * WHERE { ?s ?p "e" . ?s ?p ?o ?q . ?s ex:p ?o }')
