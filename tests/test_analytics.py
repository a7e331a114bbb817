"""Analytics: projection of the fixture graph, every metric function, scores written back to the store."""
from __future__ import annotations

import doctest
import random

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import analytics as A
from ontology.namespaces import KGO_NS

FIXTURE = "tests/fixtures/analytics_seed.trig"
R = "https://w3id.org/llmkg/resource/"
M = R + "model/"
B = R + "benchmark/"
P = R + "paper/"


def load_store(reverse: bool = False, merged_default: bool = False) -> ox.Store:
    from conftest import FIXTURES

    src = ox.Store()
    src.load(path=str(FIXTURES / "analytics_seed.trig"))
    quads = list(src)
    if reverse:
        quads.reverse()
    store = ox.Store()
    for q in quads:
        store.add(q)
        if merged_default and isinstance(q.graph_name, ox.NamedNode) and "/graph/paper/" in q.graph_name.value:
            store.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    return store


@pytest.fixture(scope="module")
def G():
    return A.project(load_store())


def test_projection_types_and_counts(G):
    counts = A.type_counts(G)
    assert counts["nodes"] == {"benchmark": 4, "method": 1, "model": 9, "paper": 6, "repo": 2}
    assert counts["edges"]["evaluated_on"] == 9
    assert counts["edges"]["based_on"] == 3
    assert counts["edges"]["outperforms"] == 3
    llama2 = G.nodes[M + "Llama_2"]
    assert llama2["type"] == "model" and llama2["label"] == "Llama 2"
    assert llama2["aliases"] == ["LLaMA 2", "Llama-2"]
    assert llama2["params"] == 70e9
    assert llama2["introduced_in"] == [P + "p1"]
    assert G.nodes[B + "MMLU"]["papers"] == [P + "p1", P + "p2", P + "p4"]
    assert G.nodes[R + "repo/facebookresearch%2Fllama"]["url"] == "https://github.com/facebookresearch/llama"
    assert G.graph["papers"][P + "p4"]["date"] == "2024-03-14"
    assert G.graph["papers"][P + "p5"]["date"] is None


def test_edge_weight_counts_supporting_papers_and_keeps_evidence(G):
    e = G.edges[M + "GLM-4", M + "GPT-4", "outperforms"]
    assert e["weight"] == 2
    assert e["papers"] == [P + "p3", P + "p4"]
    sentences = [ev["sentence"] for ev in e["evidence"]]
    assert sentences == ["On HumanEval, GLM-4 outperforms GPT-4.",
                         "GLM-4 closely rivals or outperforms GPT-4 on MMLU, GSM8K and HumanEval."]
    assert e["evidence"][1]["start"] == 20 and e["evidence"][1]["rule"] == "cue:outperform"
    assert G.edges[M + "Llama_2", M + "MPT", "outperforms"]["weight"] == 1
    evaluated = [u for u, _, k in G.in_edges(B + "MMLU", keys=True) if k == "evaluated_on"]
    assert sorted(evaluated) == [P + "p1", P + "p2", P + "p4"]


def test_projection_without_papers_keeps_paper_lists():
    H = A.project(load_store(), include_papers=False)
    assert all(d["type"] != "paper" for _, d in H.nodes(data=True))
    assert sorted({k for _, _, k in H.edges(keys=True)}) == ["based_on", "outperforms"]
    assert len(H.graph["papers"]) == 6
    assert H.nodes[M + "GPT-4"]["papers"] == [P + "p2", P + "p3", P + "p4"]
    assert A.introduced_per_paper(H)[P + "p1"] == [M + "Llama_2"]


def test_projection_is_the_same_when_the_default_graph_holds_the_merge(G):
    """The store keeps a merge of all paper graphs in its default graph; nothing may be counted twice."""
    H = A.project(load_store(merged_default=True))
    assert sorted(H.nodes) == sorted(G.nodes)
    assert sorted(H.edges(keys=True, data="weight")) == sorted(G.edges(keys=True, data="weight"))
    e = H.edges[M + "GLM-4", M + "GPT-4", "outperforms"]
    assert len(e["evidence"]) == 2


def test_centrality_by_type(G):
    deg = A.degree_centrality_by_type(G)
    assert set(deg) == {"benchmark", "method", "model", "paper", "repo"}
    assert next(iter(deg["benchmark"])) in (B + "MMLU", B + "GSM8K")
    pr = A.pagerank(G)
    assert sum(pr.values()) == pytest.approx(1.0)
    by_type = A.pagerank_by_type(G, top=2)
    assert all(len(v) <= 2 for v in by_type.values())
    scores = list(by_type["model"].values())
    assert scores == sorted(scores, reverse=True)
    # a benchmark three papers evaluate on outranks the one only one paper uses
    assert pr[B + "MMLU"] > pr[B + "Long_Range_Arena"]


def test_betweenness_exact_and_sampled(G):
    exact = A.betweenness(G)
    assert max(exact, key=exact.get) in (M + "GPT-4", B + "GSM8K", B + "MMLU", M + "Llama_2", P + "p1")
    assert exact[M + "Mamba"] == 0.0
    assert exact == pytest.approx(nx.betweenness_centrality(A._simple(G)), abs=1e-12)
    ba = nx.barabasi_albert_graph(300, 2, seed=3)
    big = nx.MultiDiGraph(ba)
    assert A.betweenness(big) == pytest.approx(nx.betweenness_centrality(ba), abs=1e-12)
    one = A.betweenness_estimate(big, k=100, budget=1, seed=1)
    two = A.betweenness_estimate(big, k=100, budget=1, seed=1)
    assert one == two and one["pivots"] == 32 and one["sources"] == 300
    assert one["scores"] != A.betweenness(big)  # sampled, so not the exact values
    assert A.betweenness_estimate(big)["pivots"] is None and set(A.betweenness_estimate(big)["error"].values()) == {0.0}


def test_sampled_betweenness_gives_its_standard_error():
    ba = nx.barabasi_albert_graph(300, 2, seed=3)
    exact = nx.betweenness_centrality(ba)
    est = A.betweenness_estimate(nx.MultiDiGraph(ba), k=150, budget=150 * 900, seed=2)
    assert est["pivots"] == 150
    top = sorted(exact, key=exact.get, reverse=True)[:10]
    assert all(0 < est["error"][v] < 0.25 * est["scores"][v] for v in top)
    assert all(abs(est["scores"][v] - exact[v]) <= 3 * est["error"][v] for v in top)


def test_betweenness_follows_paths_from_linked_nodes_only():
    """Isolated nodes and pairs lie on no path between others: with 1,100 of them around a 60-node component,
    every pivot is still taken from the component, and it is small enough to be exact."""
    ba = nx.barabasi_albert_graph(60, 1, seed=4)  # a tree: many nodes with one neighbour
    G = nx.MultiDiGraph(ba)
    G.add_nodes_from(f"lone{i:04d}" for i in range(1000))
    G.add_edges_from((f"pair{i:03d}a", f"pair{i:03d}b", "r") for i in range(50))
    out = A.betweenness_estimate(G)
    assert out["sources"] == 60 and out["pivots"] is None
    assert A.betweenness(G) == pytest.approx(nx.betweenness_centrality(A._simple(G)), abs=1e-12)
    assert A.betweenness_pivots(G) is None and A.betweenness_pivots(nx.path_graph(4000)) == 500


def test_communities_are_deterministic(G):
    first = A.communities(G)
    again = A.communities(A.project(load_store(reverse=True)))
    assert first == again
    assert first[M + "Mamba"] == first[B + "Long_Range_Arena"] == first[P + "p6"]
    assert first[M + "Mamba"] != first[M + "GPT-4"]
    sizes = [list(first.values()).count(c) for c in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)


def test_components(G):
    comp = A.components(G)
    assert comp["count"] == 2
    assert comp["sizes"] == [19, 3]
    assert comp["membership"][M + "Mamba"] == 1


def test_lineage(G):
    lin = A.lineage(G)
    assert lin["roots"] == [M + "LLaMA"]
    assert lin["depth"][M + "Vicuna"] == 2 and lin["depth"][M + "Alpaca"] == 1
    assert lin["descendants"][M + "LLaMA"] == [M + "Alpaca", M + "Llama_2", M + "Vicuna"]
    assert lin["children"][M + "Llama_2"] == [M + "Vicuna"]
    assert lin["max_depth"] == 2 and lin["cycles"] == []


def test_lineage_reports_cycles():
    H = nx.MultiDiGraph([("a", "b", "based_on"), ("b", "a", "based_on"), ("c", "a", "fine_tuned_from")])
    lin = A.lineage(H)
    assert lin["cycles"] == [["a", "b"]]
    assert lin["depth"]["c"] == 1


def test_co_use_and_comparisons(G):
    co = A.model_benchmark_co_use(G)
    assert co[M + "GPT-4"][B + "MMLU"] == 2
    assert co[M + "Mamba"] == {B + "Long_Range_Arena": 1}
    cmp = A.most_compared_models(G)
    assert list(cmp)[:2] == [M + "GLM-4", M + "GPT-4"]
    assert cmp[M + "GLM-4"]["wins"] == 2 and cmp[M + "GPT-4"]["losses"] == 2
    assert cmp[M + "Vicuna"]["beats"] == [M + "Alpaca"]


def test_introduced_and_rising(G):
    intro = A.introduced_per_paper(G)
    assert len(intro) == 6 and intro[P + "p4"] == [M + "GLM-4"]
    rising = A.rising_entities(G)
    assert M + "GLM-4" in rising and rising[M + "GLM-4"]["earlier"] == 0
    assert B + "MMLU" not in rising  # used by two of the early papers, one recent one
    assert list(rising.values())[0]["score"] >= list(rising.values())[-1]["score"]
    assert A.rising_entities(G, window_days=6)[M + "GLM-4"]["recent"] == 2  # p3 (Mar 9) and p4
    assert M + "GLM-4" not in A.rising_entities(G, window_days=3)  # only p4 is that recent
    # no dates, no trend
    H = G.copy()
    H.graph["papers"] = {p: {**m, "date": None} for p, m in G.graph["papers"].items()}
    assert A.rising_entities(H) == {}


def test_compute_all_registry(G):
    out = A.compute_all(G)
    assert set(out) == set(A.METRICS)
    with pytest.raises(KeyError):
        A.compute_all(G, ["nope"])


def test_write_scores_annotates_entities_in_the_analytics_graph(G):
    store = load_store()
    scores = A.compute_all(G, ["pagerank", "degree", "communities"])
    n = A.write_scores(store, G, pagerank=scores["pagerank"], degree=scores["degree"],
                       community=scores["communities"])
    entities = sum(1 for _, d in G.nodes(data=True) if d["type"] != "paper")
    assert n == 4 * entities
    again = A.write_scores(store, G, pagerank=scores["pagerank"], degree=scores["degree"],
                           community=scores["communities"])
    assert again == n
    rows = list(store.query(f"""
        PREFIX kgo: <{KGO_NS}>
        SELECT ?e ?pr ?c ?n WHERE {{ GRAPH <{A.analytics_graph_iri()}> {{
          ?e kgo:pagerank ?pr ; kgo:community ?c ; kgo:papersCount ?n }} }} ORDER BY DESC(?pr)"""))
    assert len(rows) == entities  # replaced, not duplicated; papers not annotated
    by_iri = {r["e"].value: r for r in rows}
    assert by_iri[B + "MMLU"]["n"].value == "3"
    assert by_iri[B + "MMLU"]["pr"].datatype.value.endswith("#decimal")
    assert float(by_iri[B + "MMLU"]["pr"].value) == pytest.approx(scores["pagerank"][B + "MMLU"], abs=1e-7)
    assert by_iri[M + "Mamba"]["c"].value == str(scores["communities"][M + "Mamba"])


def test_find_entity_and_ego_graph(G):
    assert A.find_entity(G, "llama-2") == [M + "Llama_2"]
    assert A.find_entity(G, "GPT-4") == [M + "GPT-4"]
    assert A.find_entity(G, M + "Mamba") == [M + "Mamba"]
    assert A.find_entity(G, "no such thing") == []
    assert sorted(A.ego_graph(G, M + "Mamba", radius=1)) == [M + "Mamba", P + "p6"]
    ego = A.ego_graph(G, M + "Mamba", radius=2)
    assert sorted(ego) == [R + "benchmark/Long_Range_Arena", M + "Mamba", P + "p6"]
    assert ego.graph["center"] == M + "Mamba"
    assert len(A.ego_graph(G, M + "GLM-4", radius=2)) > len(A.ego_graph(G, M + "GLM-4", radius=1))


def test_docstring_examples_run(monkeypatch):
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = doctest.testmod(A, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15 and result.failed == 0


def test_projection_of_a_synthetic_store_is_whole():
    """A 300-paper synthetic store projects whole (its speed is measured by benchmarks/build_scale.py)."""
    rng = random.Random(0)
    lines = ["@prefix kgo: <https://w3id.org/llmkg/ontology#> .", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for i in range(300):
        g = f"<{R}graph/paper/s{i}>"
        body = [f"<{P}s{i}> a kgo:Paper ."]
        for j in rng.sample(range(40), 8):
            e = f"<{M}m{j}>"
            body += [f"{e} a kgo:Model ; skos:prefLabel \"m{j}\" ; kgo:entityType \"model\" .",
                     f"<{P}s{i}> kgo:mentions {e} ."]
        lines.append(g + " { " + " ".join(body) + " }")
    store = ox.Store()
    store.load("\n".join(lines), format=ox.RdfFormat.TRIG)
    H = A.project(store)
    assert H.number_of_nodes() == 340
    assert sum(len(d["papers"]) for n, d in H.nodes(data=True) if d["type"] == "model") == 300 * 8


def test_lineage_and_comparisons_keep_to_models():
    H = nx.MultiDiGraph()
    H.add_nodes_from([("m1", {"type": "model"}), ("m2", {"type": "model"}), ("x", {"type": "method"})])
    H.add_edges_from([("m1", "m2", "based_on"), ("m1", "x", "based_on"), ("x", "m2", "outperforms"),
                      ("m1", "m2", "outperforms")])
    assert A.lineage(H)["descendants"] == {"m2": ["m1"]}
    assert sorted(A.lineage(H, types=None)["roots"]) == ["m2", "x"]
    assert list(A.most_compared_models(H)) == ["m1", "m2"]
    assert "x" in A.most_compared_models(H, types=None)


def _family_store() -> ox.Store:
    """Two papers: one names GPT-4o and MMLU, one names GPT-4 and HumanEval; both models' names imply the
    family GPT, which no paper names."""
    from kg.records import Entity, Evidence, Extraction, Mention, Paper, Relation
    from ontology.mapping import Mapper

    store = ox.Store()
    for pid, model, bench in (("p1", "GPT-4o", "MMLU"), ("p2", "GPT-4", "HumanEval")):
        abstract = f"We evaluate {model} on {bench}."
        paper = Paper(id=pid, title=f"Paper {pid}", abstract=abstract, source="s")

        def ment(w):
            return (Mention(w, "abstract", abstract.index(w), abstract.index(w) + len(w), "r", 1.0),)
        ents = (Entity(name=model, type="model", confidence=1.0, mentions=ment(model), family="GPT"),
                Entity(name=bench, type="benchmark", confidence=1.0, mentions=ment(bench)))
        rel = Relation(pid, "evaluated_on", bench, 0.9, "r", Evidence("abstract", 0, len(abstract), abstract))
        store.extend(Mapper().map(Extraction(paper=paper, entities=ents, relations=(rel,))).quads)
    return store


def test_family_links_carry_no_papers_and_no_rank():
    G = A.project(_family_store())
    gpt = R + "model/GPT"
    assert G.nodes[gpt]["papers"] == []  # no paper names GPT; its members' names imply it
    assert G.has_edge(R + "model/GPT-4o", gpt, "family")
    co = A.model_benchmark_co_use(G)
    assert gpt not in co and co[R + "model/GPT-4o"] == {B + "MMLU": 1}
    pr = A.pagerank(G)
    assert pr[gpt] == min(pr.values())  # nothing stated points at it
    assert A.degree_centrality(G)[gpt] == 0.0
    assert A.communities(G)[gpt] not in {A.communities(G)[R + "model/GPT-4o"], A.communities(G)[R + "model/GPT-4"]}


def test_metrics_do_not_depend_on_node_order():
    """A subgraph view yields nodes in hash order; sampled betweenness and Louvain must not care."""
    G = A.project(load_store())
    nodes = list(G.nodes)
    random.Random(1).shuffle(nodes)
    H = nx.MultiDiGraph()
    H.add_nodes_from((v, G.nodes[v]) for v in nodes)
    edges = list(G.edges(keys=True, data=True))
    random.Random(2).shuffle(edges)
    H.add_edges_from(edges)
    assert A.betweenness_estimate(H, k=5, budget=1) == A.betweenness_estimate(G, k=5, budget=1)
    assert A.communities(H) == A.communities(G)
    assert list(A._simple(H).edges(data=True)) == list(A._simple(G).edges(data=True))


def test_a_fine_tuned_pair_counts_once():
    G = nx.MultiDiGraph()
    G.add_edge("zorb", "llama", key="based_on", relation="based_on", weight=1)
    G.add_edge("zorb", "llama", key="fine_tuned_from", relation="fine_tuned_from", weight=1)
    G.add_edge("quill", "mistral", key="based_on", relation="based_on", weight=1)
    G.add_edge("solo", "gemma", key="fine_tuned_from", relation="fine_tuned_from", weight=1)  # alone, it counts
    H = A._simple(G)
    assert H["llama"]["zorb"]["weight"] == H["mistral"]["quill"]["weight"] == H["gemma"]["solo"]["weight"] == 1


def _papers_naming(G: nx.MultiDiGraph, paper: str, *entities: str, rel: str = "mentions") -> None:
    G.add_node(paper, type="paper", papers=[paper])
    for e in entities:
        if e not in G:
            G.add_node(e, type="model", papers=[])
        G.nodes[e]["papers"] = sorted({*G.nodes[e]["papers"], paper})
        G.add_edge(paper, e, key=rel, relation=rel, weight=1)


def test_pagerank_counts_what_papers_use_not_who_beats_whom():
    """Being outperformed by a famous model once, or named in a paper that names little else, lifts no rank;
    a base gains from a model built on it only as far as that model's papers say so."""
    G = nx.MultiDiGraph()
    for i in range(10):
        _papers_naming(G, f"pf{i}", "famous", *(f"other{i}{j}" for j in range(8)))
    _papers_naming(G, "pb", "famous", "beaten")  # the one sentence: famous outperforms beaten
    G.add_edge("famous", "beaten", key="outperforms", relation="outperforms", weight=1)
    for i in range(3):
        _papers_naming(G, f"pu{i}", "used", *(f"more{i}{j}" for j in range(8)))
    _papers_naming(G, "palone", "alone")  # named once, by a paper naming nothing else
    for i in range(20):  # big is named by 20 papers; one of them calls it "base-style"
        _papers_naming(G, f"pg{i}", "big", *(f"extra{i}{j}" for j in range(8)))
    _papers_naming(G, "pbase", "base")
    _papers_naming(G, "pbase2", "base")
    G.add_edge("big", "base", key="based_on", relation="based_on", weight=1)
    _papers_naming(G, "pv", "variant", "root")  # a variant whose only paper builds it on root
    G.add_edge("variant", "root", key="based_on", relation="based_on", weight=1)
    pr = A.pagerank(G)
    assert pr["used"] > pr["beaten"] and pr["used"] > pr["alone"]  # three papers beat one
    assert pr["famous"] > pr["used"]
    assert pr["big"] > pr["base"] > pr["used"] * 2 / 3  # base gains a little: one of big's 20 papers says so
    assert pr["root"] > pr["variant"]  # all of variant's papers build it on root
    assert pr["pb"] == 0.0 and sum(pr.values()) == pytest.approx(1.0)


def test_rising_splits_papers_as_evenly_as_their_dates_allow():
    """Six of ten papers share the median date: the recent side is the last three, not the nine from that date on."""
    G = nx.MultiDiGraph()
    days = ["2024-01-01"] + ["2024-02-01"] * 6 + ["2024-03-01"] * 3
    G.graph["papers"] = {f"p{i}": {"date": d} for i, d in enumerate(days)}
    G.add_node("new", type="model", papers=["p7", "p8"])
    G.add_node("old", type="model", papers=["p0", "p1"])
    rising = A.rising_entities(G)
    assert list(rising) == ["new"]
    assert rising["new"] == {"recent": 2, "earlier": 0, "score": round(2 / 3, 4), "cutoff": "2024-03-01"}
    assert A.recent_cutoff([A._date(d) for d in days[:1] + days[7:]]) == A._date("2024-03-01")
    assert A.recent_cutoff([A._date("2024-06-01")] * 40) is None
