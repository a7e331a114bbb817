"""Viewer render benchmark: a synthetic 5,000-node graph -> graph.html -> first render in headless Chromium.

Measures, and prints:

* the Python side: metrics (PageRank, degree, Louvain), layout and HTML writing, file size;
* the browser side (Debian's ``chromium`` at /usr/bin/chromium, driven by Playwright, every non-file
  request blocked): time from navigation start to the first ``afterDrawing`` of vis-network
  (``kgViewer.firstRenderMs``, the page's own mark), the wall time seen by the test driver, the node
  count drawn, and the time to redraw with all nodes shown after "Show all".

Target (issue 4): first view of a 5,000-node graph in under 3 s.

    python benchmarks/viewer_bench.py [--nodes 5000] [--runs 3] [--top-n 400] [--out outputs/bench]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg import analytics, viewer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ENTITY_MIX = [("model", 0.45), ("benchmark", 0.15), ("dataset", 0.12), ("method", 0.15), ("repo", 0.08),
              ("task", 0.05)]
BASE = "https://w3id.org/llmkg/resource/"


def synthetic_graph(n_nodes: int = 5000, *, seed: int = 7) -> nx.MultiDiGraph:
    """A projection-shaped graph: 30% papers, the rest entities with skewed popularity."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    n_papers = int(n_nodes * 0.3)
    papers = [f"{BASE}paper/{i:05d}" for i in range(n_papers)]
    G.graph["papers"] = {p: {"identifier": p.rsplit("/", 1)[-1], "title": f"Synthetic paper {i} on scaling",
                             "url": f"https://arxiv.org/abs/2401.{i:05d}", "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}
                         for i, p in enumerate(papers)}
    for p, meta in G.graph["papers"].items():
        G.add_node(p, type="paper", label=meta["title"], aliases=[], papers=[p], introduced_in=[], **meta)
    ents: dict[str, list[str]] = {}
    remaining = n_nodes - n_papers
    for typ, share in ENTITY_MIX:
        ents[typ] = [f"{BASE}{typ}/{typ.title()}-{i}" for i in range(int(remaining * share))]
    ents["model"] += [f"{BASE}model/Extra-{i}" for i in range(remaining - sum(len(v) for v in ents.values()))]
    for typ, nodes in ents.items():
        for i, e in enumerate(nodes):
            G.add_node(e, type=typ, label=e.rsplit("/", 1)[-1], aliases=[f"alias {i}"], papers=[], introduced_in=[])

    def pick(typ: str) -> str:
        nodes = ents[typ]
        return nodes[min(len(nodes) - 1, int(rng.paretovariate(1.2)) - 1)] if rng.random() < 0.5 else rng.choice(nodes)

    def link(u: str, v: str, rel: str, paper: str) -> None:
        if G.has_edge(u, v, rel):
            d = G.edges[u, v, rel]
            if paper not in d["papers"]:
                d["papers"].append(paper)
                d["weight"] += 1
                d["evidence"].append({"paper": paper, "sentence": f"{G.nodes[u]['label']} {rel} {G.nodes[v]['label']}.",
                                      "field": "abstract", "start": 0, "end": 10, "rule": "synthetic", "confidence": 0.8})
        else:
            G.add_edge(u, v, key=rel, relation=rel, weight=1, papers=[paper],
                       evidence=[{"paper": paper, "sentence": f"{G.nodes[u]['label']} {rel} {G.nodes[v]['label']}.",
                                  "field": "abstract", "start": 0, "end": 10, "rule": "synthetic", "confidence": 0.8}])
        for n in (u, v):
            if G.nodes[n]["type"] != "paper" and paper not in G.nodes[n]["papers"]:
                G.nodes[n]["papers"].append(paper)

    introduced = iter(ents["model"] + ents["benchmark"] + ents["dataset"] + ents["method"])
    for p in papers:
        new = next(introduced, None)
        if new:
            link(p, new, "introduces", p)
            G.nodes[new]["introduced_in"].append(p)
        for _ in range(rng.randint(1, 4)):
            link(p, pick("benchmark"), "evaluated_on", p)
        for _ in range(rng.randint(2, 6)):
            link(p, pick(rng.choice(["model", "method", "dataset", "task"])), "mentions", p)
        if rng.random() < 0.3:
            link(p, rng.choice(ents["repo"]), "has_repository", p)
        if new and new in ents["model"]:
            for _ in range(rng.randint(0, 3)):
                link(new, pick("model"), "outperforms", p)
            if rng.random() < 0.4:
                link(new, pick("model"), "based_on", p)
    return G


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--top-n", type=int, default=400)
    ap.add_argument("--out", default=None, help="folder for the pages and screenshots (default: a temporary one)")
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="kg-viewer-bench-"))
    out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    G = synthetic_graph(args.nodes)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    metrics = {"pagerank": analytics.pagerank(G), "degree": analytics.degree_centrality(G),
               "communities": analytics.communities(G)}
    t_metrics = time.perf_counter() - t0
    t0 = time.perf_counter()
    pos = viewer.layout(G, community=metrics["communities"])
    t_layout = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = viewer.write_viewer(G, out / "bench_graph.html", metrics=metrics, top_n=args.top_n)
    t_write = time.perf_counter() - t0  # includes a second layout run
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"({len(set(metrics['communities'].values()))} communities); generated in {t_gen:.2f} s")
    print(f"python: metrics {t_metrics:.2f} s, layout {t_layout:.2f} s ({len(pos):,} positions), "
          f"write_viewer {t_write:.2f} s -> {res.path} ({res.bytes / 1e6:.1f} MB)")

    if not Path(CHROMIUM).exists():
        print(f"browser: skipped, {CHROMIUM} not found (apt-get install chromium)")
        return 0
    from playwright.sync_api import sync_playwright

    first, wall, full = [], [], []
    attempted: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            page = ctx.new_page()

            def route(r):
                if r.request.url.startswith("file:"):
                    r.continue_()
                else:
                    attempted.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            t0 = time.perf_counter()
            page.goto(res.path.resolve().as_uri())
            page.wait_for_selector("body[data-rendered]", state="attached", timeout=60000)  # set at first draw
            wall.append(time.perf_counter() - t0)
            first.append(page.evaluate("kgViewer.firstRenderMs") / 1000)
            shown = page.evaluate("kgViewer.shownNodeCount()")
            t0 = time.perf_counter()
            page.evaluate("""() => new Promise(done => {
                kgViewer.network.once('afterDrawing', () => done());
                kgViewer.showAll(true); kgViewer.network.fit({animation: false}); kgViewer.network.redraw();
            })""")
            full.append(time.perf_counter() - t0)
            all_shown = page.evaluate("kgViewer.shownNodeCount()")
            if run == 0:
                page.screenshot(path=str(out / "bench_graph_all.png"))
            ctx.close()
            print(f"run {run + 1}: first render {first[-1]:.2f} s after navigation start ({shown:,} nodes drawn), "
                  f"driver wall {wall[-1]:.2f} s; show all -> {all_shown:,} nodes redrawn in {full[-1]:.2f} s")
        browser.close()
    med = statistics.median(first)
    print(f"first render (median of {args.runs}): {med:.2f} s -- target < 3 s: {'met' if med < 3 else 'NOT met'}; "
          f"all {args.nodes:,} nodes: {statistics.median(full):.2f} s; external requests attempted: {len(attempted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
