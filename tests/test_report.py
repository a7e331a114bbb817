"""Report, stats.json and the insights step of kg build, on the hand-written fixture graph."""
from __future__ import annotations

import doctest
import json
import math
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import chromium
from kg import analytics as A
from kg import report as R
from kg.config import Config
from kg.insights import write_insights

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "analytics_seed.trig"


def fixture_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURE))
    return store


@pytest.fixture(scope="module")
def graph_and_metrics():
    G = A.project(fixture_store())
    return G, A.compute_all(G)


@pytest.fixture(scope="module")
def stats(graph_and_metrics):
    return R.build_stats(*graph_and_metrics)


def test_stats_content(stats):
    assert stats["graph"]["papers"] == 6 and stats["graph"]["entities"] == 16
    assert stats["graph"]["nodes_by_type"]["model"] == 9
    assert [b["label"] for b in stats["top_benchmarks"][:2]] == ["GSM8K", "MMLU"]
    assert stats["top_benchmarks"][0]["evaluations"] == 3
    assert stats["components"] == {"count": 2, "largest": 19, "largest_fraction": round(19 / 22, 4), "sizes": [19, 3],
                                   "single_nodes": 0}
    assert sum(stats["communities"]["sizes"]) == 22
    lin = stats["lineage"]
    assert lin["roots"] == 1 and lin["max_depth"] == 2
    tree = lin["trees"][0]
    assert tree["label"] == "LLaMA"
    assert sorted(c["label"] for c in tree["children"]) == ["Alpaca", "Llama 2"]
    llama2 = [c for c in tree["children"] if c["label"] == "Llama 2"][0]
    assert [c["label"] for c in llama2["children"]] == ["Vicuna"]
    assert stats["most_compared"][0]["label"] == "GLM-4" and stats["most_compared"][0]["wins"] == 2
    assert {"model": "GPT-4", "benchmark": "MMLU", "papers": 2} in stats["co_use"]
    assert stats["introduced"]["entities_introduced"] == 6
    assert stats["rising"]["dated_papers"] == 5 and stats["rising"]["last_date"] == "2024-03-14"
    assert "GLM-4" in [x["label"] for x in stats["rising"]["entities"]]
    assert all(x["type"] != "paper" for x in stats["betweenness"])
    json.dumps(stats)  # JSON-ready as it is


def test_html_report_is_offline_escaped_and_has_charts(stats):
    page = R.render_html(stats)
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<img" not in page
    assert "&lt;script&gt;window.__xss" in page  # the hostile title is shown as text
    assert page.count("<svg") >= 6  # types, models, benchmarks, communities, a lineage tree, comparisons, rising
    assert ">MMLU<" in page and ">Vicuna<" in page
    assert "Not enough dated papers" not in page


def test_markdown_twin_says_the_same(stats):
    md = R.render_markdown(stats)
    for heading in ("## Top models", "## Top benchmarks", "## Communities", "## Model lineage",
                    "## Model x benchmark co-use", "## Most compared models", "## Entities introduced per paper",
                    "## Rising entities"):
        assert heading in md
    assert "| 1 | GSM8K | 3 | 3 |" in md
    assert "- LLaMA\n  - Alpaca\n  - Llama 2\n    - Vicuna" in md
    assert "<script>" not in md and "<img" not in md  # raw HTML from papers never reaches the Markdown
    assert "&lt;script&gt;" in md


def test_fine_tuned_pairs_are_said_to_be_based_on_pairs_too(stats):
    assert "fine_tuned_from" not in stats["graph"]["edges_by_relation"]
    assert R.FINE_TUNED_NOTE not in R.render_markdown(stats)
    tuned = dict(stats, graph=dict(stats["graph"], edges_by_relation={**stats["graph"]["edges_by_relation"],
                                                                       "fine_tuned_from": 1}))
    assert R.FINE_TUNED_NOTE in R.render_markdown(tuned) and R.FINE_TUNED_NOTE in R.render_html(tuned)


def test_no_dates_means_no_trend_section(graph_and_metrics):
    G, metrics = graph_and_metrics
    H = G.copy()
    H.graph["papers"] = {p: {**m, "date": None} for p, m in G.graph["papers"].items()}
    stats = R.build_stats(H, {**metrics, "rising": A.rising_entities(H)})
    assert stats["rising"]["entities"] == []
    assert "Not enough dated papers" in R.render_html(stats)
    assert "Not enough dated papers" in R.render_markdown(stats)


def test_write_insights_writes_everything_and_annotates(tmp_path):
    store = fixture_store()
    out = write_insights(store, Config(out_dir=tmp_path / "out", viewer_top_n=10))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["graph.html", "report.html", "report.md", "stats.json"]
    assert out["nodes"] == 22 and out["viewer_initial_nodes"] == 10
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["graph"]["papers"] == 6
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{A.analytics_graph_iri()}> "
                            "{ ?e <https://w3id.org/llmkg/ontology#pagerank> ?pr } }"))
    assert int(rows[0]["n"].value) == 16
    assert out["annotations"] == 64
    assert set(out["timings"]) == {"project", "metrics", "report", "viewer", "annotate"}


def test_docstring_examples_run():
    result = doctest.testmod(R)
    assert result.failed == 0 and result.attempted >= 10


@pytest.mark.browser
def test_report_renders_offline_in_chromium(stats, tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "report.html"
    path.write_text(R.render_html(stats), encoding="utf-8")
    attempted = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (attempted.append(r.request.url), r.abort()))
        page.goto(path.as_uri())
        assert page.locator("svg").count() >= 6
        assert page.locator("svg rect").count() >= 10  # bars drawn
        assert page.evaluate("() => window.__xss") is None
        assert "<script>window.__xss='title'</script>" in page.inner_text("body")
        browser.close()
    assert attempted == []


def _graph(edges, papers=("p1", "p2")):
    import networkx as nx
    G = nx.MultiDiGraph()
    G.graph["papers"] = {p: {"title": p, "date": None} for p in papers}
    for p in papers:
        G.add_node(p, type="paper", label=p, papers=[p])
    for u, v, rel, typ_u, typ_v in edges:
        for n, t in ((u, typ_u), (v, typ_v)):
            if n not in G:
                G.add_node(n, type=t, label=n, papers=[], introduced_in=[])
        G.add_edge(u, v, key=rel, relation=rel, weight=1)
        if rel != "family":
            for n in (u, v):
                if G.nodes[n]["type"] != "paper":
                    G.nodes[n]["papers"] = sorted(set(G.nodes[n]["papers"]) | {"p1"})
    return G


def test_report_counts_implied_families_apart_and_draws_every_parent():
    G = _graph([("JABER", "BERT", "based_on", "model", "model"), ("Char-JABER", "BERT", "based_on", "model", "model"),
                ("Char-JABER", "JABER", "based_on", "model", "model"), ("p1", "JABER", "introduces", "paper", "model"),
                ("BERT-large", "BERT-fam", "family", "model", "model"), ("p1", "BERT-large", "mentions", "paper", "model"),
                ("r1", "r2", "mentions", "repo", "repo"), ("p1", "r1", "has_repository", "paper", "repo"),
                ("p1", "r3", "has_repository", "paper", "repo")])
    stats = R.build_stats(G, A.compute_all(G))
    assert stats["graph"]["implied_families"] == 1 and stats["graph"]["entities"] == 7
    tree = stats["lineage"]["trees"][0]
    assert tree["label"] == "BERT"
    under = {c["label"]: [g["label"] for g in c["children"]] for c in tree["children"]}
    assert under == {"Char-JABER": [], "JABER": ["Char-JABER"]}  # drawn under both of its parents
    cm = stats["communities"]
    assert cm["isolated_nodes"] == 2  # p2 (no entity) and the implied family (only a derived link)
    assert 0.0 <= cm["modularity"] <= 1.0 and sum(cm["sizes"]) == G.number_of_nodes() - 2
    assert stats["components"]["single_nodes"] == 2
    md = R.render_markdown(stats)
    assert "1 model families that no paper names" in md and "modularity" in md
    assert "nodes with no stated relation stand alone" in R.render_html(stats)


def test_report_marks_tied_rankings_and_sampled_betweenness():
    import networkx as nx

    assert R._tied([{"score": 0.1}, {"score": 0.1}]) and not R._tied([{"score": 0.2}, {"score": 0.1}])
    assert not R._tied([{"score": 0.1}])
    G = _graph([(f"m{u}", f"m{v}", "based_on", "model", "model")
                for u, v in nx.barabasi_albert_graph(200, 2, seed=1).edges()])
    metrics = A.compute_all(G)
    exact = R.build_stats(G, metrics)
    assert exact["betweenness_pivots"] is None and "Exact: every shortest path was counted." in R.render_markdown(exact)
    metrics["betweenness"] = A.betweenness_estimate(G, k=40, budget=1)  # as a graph too large to count exactly
    stats = R.build_stats(G, metrics)
    md = R.render_markdown(stats)
    assert stats["betweenness_pivots"] == 32 and "Estimated, not exact" in md and "from 32 of them" in md
    assert "\u00b1 (standard error)" in md and "\u00b1 (standard error)" in R.render_html(stats)
    errors = {x["label"]: x["error"] for x in stats["betweenness"]}
    section = md[md.index("## Bridges"):md.index("## Communities")]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines() if line.startswith("| m")]
    assert rows and all(len(r[2].split(".")[1]) == -math.floor(math.log10(errors[r[0]])) < 4 for r in rows)
    # (no digit the sample cannot back, in each row; a small bridge's own error shows it is no zero)
    assert all(float(r[2]) > 0 for r in rows)
    small = R.build_stats(_graph([("a", "b", "outperforms", "model", "model")]),
                          A.compute_all(_graph([("a", "b", "outperforms", "model", "model")])))
    assert small["betweenness_pivots"] is None and "Estimated" not in R.render_markdown(small)


def test_rankings_leave_out_what_no_paper_names():
    """A one-paper input: the family heads its models' names imply (papers == 0) rank nowhere."""
    G = _graph([("p1", "Zeta-7B", "mentions", "paper", "model"), ("Zeta-7B", "Zeta", "family", "model", "model"),
                ("Llama 2-7B", "Llama 2", "family", "model", "model"),
                ("Llama 2-7B", "Zeta-7B", "based_on", "model", "model"), ("p1", "MMLU", "evaluated_on", "paper", "benchmark")],
               papers=("p1",))
    stats = R.build_stats(G, A.compute_all(G))
    ranked = ([m["label"] for m in stats["top_models"]], [x["label"] for x in stats["pagerank_by_type"]["model"]],
              [x["label"] for x in stats["betweenness"]])
    assert ranked == (["Zeta-7B", "Llama 2-7B"], ["Zeta-7B", "Llama 2-7B"], ["Zeta-7B"])
    assert "papers 0" not in R.render_markdown(stats) and "| Zeta |" not in R.render_markdown(stats)


def test_bridges_rank_models_datasets_benchmarks_and_methods_only():
    G = _graph([(p, "accuracy", "mentions", "paper", "metric") for p in ("p1", "p2", "p3")]
               + [(p, "question answering", "mentions", "paper", "task") for p in ("p1", "p2", "p3")]
               + [("p1", "hub", "mentions", "paper", "model"), ("p2", "hub", "mentions", "paper", "model"),
                  ("p3", "other", "mentions", "paper", "model")], papers=("p1", "p2", "p3"))
    stats = R.build_stats(G, A.compute_all(G))
    assert [x["label"] for x in stats["betweenness"]] == ["hub"]
    assert R.BRIDGE_NOTE in R.render_markdown(stats) and "metric and task words" in R.render_html(stats)


def test_degenerate_inputs_read_plainly():
    # papers and no entity at all
    empty = _graph([], papers=("p1", "p2", "p3"))
    md = R.render_markdown(R.build_stats(empty, A.compute_all(empty)))
    assert "sizes of the largest: ." not in md and "No communities: no stated relation links any two nodes." in md
    assert "No paper names an entity." in md and "- **" not in md
    assert "No stated relation links any two nodes: 3 single nodes." in md
    # entities, but nothing between them: no zero rows
    loose = _graph([("p1", "m1", "mentions", "paper", "model"), ("p2", "m2", "mentions", "paper", "model"),
                    ("p2", "b1", "mentions", "paper", "benchmark")])
    stats = R.build_stats(loose, A.compute_all(loose))
    assert stats["betweenness"] == [] and stats["top_benchmarks"] == []
    md = R.render_markdown(stats)
    assert "0.0000" not in md and "No paper evaluates on a benchmark." in md
    assert "No model, benchmark, dataset or method lies on a shortest path between two others." in md
    # one paper: a star, no community structure
    one = _graph([("p1", "m1", "mentions", "paper", "model"), ("p1", "b1", "evaluated_on", "paper", "benchmark"),
                  ("p1", "t1", "mentions", "paper", "task")], papers=("p1",))
    md = R.render_markdown(R.build_stats(one, A.compute_all(one)))
    assert "No clear community structure: the 4 linked nodes do not split" in md and "communities of linked nodes" not in md
    # every paper on one day
    G, metrics = _dated(["2024-06-01"] * 40)
    stats = R.build_stats(G, metrics)
    for text in (R.render_markdown(stats), R.render_html(stats)):
        assert "all 40 dated papers carry the same date, 2024-06-01" in text and "2024-06-01 to 2024-06-01" not in text


def _dated(days):
    papers = tuple(f"p{i:02d}" for i in range(len(days)))
    G = _graph([(p, "m1", "mentions", "paper", "model") for p in papers], papers=papers)
    for p, d in zip(papers, days):
        G.graph["papers"][p]["date"] = d
    return G, A.compute_all(G)


def test_rising_says_how_the_papers_were_split():
    G, metrics = _dated(["2024-01-01"] + ["2024-02-01"] * 6 + ["2024-03-01"] * 3)
    md = R.render_markdown(R.build_stats(G, metrics))
    assert "10 dated papers, 2024-01-01 to 2024-03-01: 3 recent (from 2024-03-01 on) and 7 earlier" in md
    assert "recent half" not in md and "recent half" not in R.render_html(R.build_stats(G, metrics))


def test_ties_at_the_cut_are_counted():
    """21 models share one paper with one benchmark, and 20 of them beat the same model once: the tables show
    15 rows and say how many more tie with the last one."""
    G = _graph([(f"m{i:02d}", "x", "outperforms", "model", "model") for i in range(20)]
               + [("p1", "b", "evaluated_on", "paper", "benchmark")], papers=("p1",))
    stats = R.build_stats(G, A.compute_all(G))
    assert len(stats["co_use"]) == len(stats["most_compared"]) == 15
    assert stats["more_tied"]["co_use"] == 6 and stats["more_tied"]["most_compared"] == 6
    for text in (R.render_markdown(stats), R.render_html(stats)):
        assert "\u2026 and 6 more pairs with 1 paper." in text
        assert "\u2026 and 6 more models with 1 comparison." in text
    assert R._cut([5, 3, 2, 2, 2, 1], 3, lambda x: x) == ([5, 3, 2], 2)
