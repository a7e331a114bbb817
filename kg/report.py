"""Report stage of the flow: metric results -> ``stats.json``, ``report.md`` and ``report.html``.

:func:`build_stats` turns the projection and the output of :func:`kg.analytics.compute_all` into one
JSON-ready dict (labels resolved, lists cut to the top entries); the two renderers only format that
dict, so the Markdown and HTML reports always say the same thing. The HTML report is a single file
with inline SVG charts drawn here (bars for top models, benchmarks and community sizes; tidy trees
for model lineage) and no script or external asset. Every string that came from a paper is escaped.
"""
from __future__ import annotations

import html
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import networkx as nx

from . import __version__, analytics

TOP = 15
PALETTE = {"model": "#4e79a7", "benchmark": "#e15759", "dataset": "#f28e2b", "method": "#59a14f",
           "repo": "#8c6d31", "task": "#b07aa1", "metric": "#76b7b2", "organization": "#9c755f", "paper": "#bab0ac"}


# ------------------------------------------------------------------------------------------ stats
# (fine_tuned_from is the narrower statement of a based_on pair, not a lineage of its own)
FINE_TUNED_NOTE = ("Each fine_tuned_from pair (a model said to be fine-tuned from a model) is a based_on pair as well; "
                   "lineage counts it once.")

def _ref(G: nx.Graph, node: Any, **extra: Any) -> dict[str, Any]:
    d = G.nodes[node] if node in G else {}
    out = {"iri": str(node), "label": str(d.get("label", node)), "type": d.get("type", "unknown")}
    out.update(extra)
    return out


def _evaluations(G: nx.Graph) -> dict[Any, int]:
    """Benchmark -> number of papers evaluating on it."""
    out: dict[Any, int] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        if d.get("relation", key) == "evaluated_on":
            out[v] = out.get(v, 0) + d.get("weight", 1)
    return out


def _tree(G: nx.Graph, children: dict[Any, list[Any]], root: Any, limit: int,
          count: list[int] | None = None, ancestors: frozenset = frozenset()) -> dict:
    """A lineage tree drawn from ``root``, at most ``limit`` entries. Lineage is a DAG, so a model with two
    parents (JABER and BERT) is drawn under each; a cycle is cut where it would close."""
    count = [0] if count is None else count
    count[0] += 1
    node = {"label": str(G.nodes[root].get("label", root)) if root in G else str(root), "iri": str(root),
            "children": []}
    for child in children.get(root, []):
        if child in ancestors or child == root or count[0] >= limit:
            continue
        node["children"].append(_tree(G, children, child, limit, count, ancestors | {root}))
    return node


def _tied(items: list[dict]) -> bool:
    """Whether every listed score is the same (the order is then only alphabetical)."""
    return len(items) > 1 and len({x["score"] for x in items}) == 1


def build_stats(G: nx.Graph, metrics: dict[str, dict], *, top: int = TOP) -> dict[str, Any]:
    """Everything the reports show, as one JSON-ready dict (see ``docs/analytics.md`` for the keys).

    Examples
    --------
    >>> from kg import analytics
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="model", label="GPT-4", papers=["p"], introduced_in=[])
    >>> G.add_node("b", type="benchmark", label="MMLU", papers=["p"], introduced_in=[])
    >>> _ = G.add_edge("m", "b", key="evaluated_on", relation="evaluated_on", weight=1)
    >>> stats = build_stats(G, analytics.compute_all(G))
    >>> stats["graph"]["nodes"], stats["top_benchmarks"][0]["label"]
    (2, 'MMLU')
    """
    pr = metrics["pagerank"]
    papers = G.graph.get("papers", {})
    counts = metrics.get("counts") or {"nodes": {}, "edges": {}}
    comp = metrics["components"]
    com = metrics["communities"]
    evals = _evaluations(G)

    def ranked(typ: str, key) -> list[Any]:
        return sorted((v for v, d in G.nodes(data=True) if d.get("type") == typ), key=key)

    top_models = [_ref(G, v, pagerank=round(pr.get(v, 0.0), 6), papers=len(G.nodes[v].get("papers", ())))
                  for v in ranked("model", lambda v: (-pr.get(v, 0.0), str(v)))[:top]]
    top_benchmarks = [_ref(G, v, evaluations=evals.get(v, 0), papers=len(G.nodes[v].get("papers", ())),
                           pagerank=round(pr.get(v, 0.0), 6))
                      for v in ranked("benchmark", lambda v: (-evals.get(v, 0), -len(G.nodes[v].get("papers", ())),
                                                               -pr.get(v, 0.0), str(v)))[:top]]
    centrality = {typ: [_ref(G, v, score=round(s, 6)) for v, s in list(scores.items())[:10]]
                  for typ, scores in metrics["pagerank_by_type"].items()}
    degree = {typ: [_ref(G, v, score=round(s, 6)) for v, s in list(scores.items())[:10]]
              for typ, scores in metrics["degree_by_type"].items()}
    btw = sorted(((v, s) for v, s in metrics["betweenness"].items() if G.nodes[v].get("type") != "paper"),
                 key=lambda kv: (-kv[1], str(kv[0])))[:top]
    linked = analytics._simple(G)  # the undirected graph of stated relations the metrics ran on
    pivots = analytics.betweenness_pivots(linked)
    entity_nodes = [v for v, d in G.nodes(data=True) if d.get("type") != "paper"]
    implied = sum(1 for v in entity_nodes if not G.nodes[v].get("papers"))

    members: dict[int, list[Any]] = {}
    for v, c in com.items():
        members.setdefault(c, []).append(v)
    # a node with no stated relation (a paper with no extracted entity, a family head only its members'
    # names imply) is a community of one: counted apart, so the count says how the linked graph splits
    isolated = {c for c, ms in members.items() if len(ms) == 1 and ms[0] in linked and linked.degree(ms[0]) == 0}
    communities = []
    for c in sorted(members, key=lambda c: (-len(members[c]), c)):
        ms = sorted(members[c], key=lambda v: (G.nodes[v].get("type") == "paper", -pr.get(v, 0.0), str(v)))
        types: dict[str, int] = {}
        for v in ms:
            t = G.nodes[v].get("type", "unknown")
            types[t] = types.get(t, 0) + 1
        if c in isolated:
            continue
        communities.append({"id": c, "size": len(ms), "types": dict(sorted(types.items())),
                            "top": [_ref(G, v) for v in ms[:5]]})

    lin = metrics["lineage"]
    lineage = {"roots": len(lin["roots"]), "max_depth": lin["max_depth"],
               "models_in_lineage": len(lin["depth"]), "cycles": [[_ref(G, v)["label"] for v in c] for c in lin["cycles"]],
               "families": [_ref(G, r, descendants=len(lin["descendants"].get(r, ())),
                                 depth=max((lin["depth"].get(x, 0) for x in lin["descendants"].get(r, ())), default=0))
                            for r in lin["roots"][:top]],
               "trees": [_tree(G, lin["children"], r, 40) for r in lin["roots"][:6]]}

    co_pairs = sorted(((m, b, n) for m, bs in metrics["co_use"].items() for b, n in bs.items()),
                      key=lambda t: (-t[2], str(t[0]), str(t[1])))[:top]
    compared = [_ref(G, m, **{k: s[k] for k in ("wins", "losses", "comparisons", "opponents")},
                     beats=[_ref(G, x)["label"] for x in s["beats"][:8]],
                     beaten_by=[_ref(G, x)["label"] for x in s["beaten_by"][:8]])
                for m, s in list(metrics["most_compared"].items())[:top]]
    intro = metrics["introduced"]
    introduced = [{"paper": str(p), "title": papers.get(p, {}).get("title", str(p)),
                   "entities": [_ref(G, v)["label"] for v in vs]} for p, vs in list(intro.items())[:top]]
    per_paper = [len(v) for v in intro.values()]
    dated = sorted(d["date"] for d in papers.values() if d.get("date"))
    rising = [_ref(G, v, **r) for v, r in list(metrics["rising"].items())[:top]]

    return {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tool_version": __version__,
        "graph": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "papers": len(papers),
                  "entities": len(entity_nodes) - implied, "implied_families": implied,
                  "nodes_by_type": counts["nodes"], "edges_by_relation": counts["edges"]},
        "components": {"count": comp["count"], "largest": comp["sizes"][0] if comp["sizes"] else 0,
                       "single_nodes": comp["sizes"].count(1),
                       "largest_fraction": round(comp["largest_fraction"], 4), "sizes": comp["sizes"][:50]},
        "top_models": top_models,
        "top_benchmarks": top_benchmarks,
        "pagerank_by_type": centrality,
        "degree_by_type": degree,
        "betweenness": [_ref(G, v, score=round(s, 6)) for v, s in btw],
        "betweenness_pivots": pivots,
        "communities": {"count": len(communities), "isolated_nodes": len(isolated),
                        "modularity": round(analytics.modularity(G, com), 4) if com else 0.0,
                        "sizes": [c["size"] for c in communities][:100], "largest": communities[:10]},
        "lineage": lineage,
        "co_use": [{"model": _ref(G, m)["label"], "benchmark": _ref(G, b)["label"], "papers": n}
                   for m, b, n in co_pairs],
        "most_compared": compared,
        "introduced": {"papers_introducing": len(intro), "entities_introduced": sum(per_paper),
                       "mean_per_paper": round(sum(per_paper) / len(per_paper), 3) if per_paper else 0.0,
                       "top_papers": introduced},
        "rising": {"dated_papers": len(dated), "first_date": dated[0] if dated else None,
                   "last_date": dated[-1] if dated else None, "entities": rising},
    }


# ------------------------------------------------------------------------------------------ markdown
def _md(text: Any) -> str:
    """Markdown-safe cell text: no raw HTML, no table breaks."""
    return (html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")
            .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]"))


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return ["_none_", ""]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return out + [""]


def _md_tree(node: dict, depth: int = 0) -> list[str]:
    out = ["  " * depth + "- " + _md(node["label"])]
    for child in node["children"]:
        out += _md_tree(child, depth + 1)
    return out


def render_markdown(stats: dict[str, Any]) -> str:
    """The Markdown twin of the HTML report."""
    g = stats["graph"]
    L: list[str] = ["# Knowledge-graph report", "",
                    f"{g['papers']} papers, {g['entities']} entities, {g['edges']} edges "
                    f"(generated {stats['generated']}, kg {stats['tool_version']}).", "",
                    *([f"The graph also holds {g['implied_families']} model families that no paper names: each is "
                       "implied by its members' names (GPT-4o -> GPT) and linked to them by `family`; "
                       "rankings, communities and paper counts use only what papers state.", ""]
                      if g.get("implied_families") else []),
                    "## Contents", ""]
    L += _table(["type", "nodes"], [[t, n] for t, n in g["nodes_by_type"].items()])
    L += _table(["relation", "edges"], [[t, n] for t, n in g["edges_by_relation"].items()])
    if g["edges_by_relation"].get("fine_tuned_from"):
        L += [FINE_TUNED_NOTE, ""]
    c = stats["components"]
    L += ["## Connectivity", "",
          f"{c['count']} connected components ({c['single_nodes']} of them single nodes with no stated relation); "
          f"the largest holds {c['largest']} nodes ({c['largest_fraction']:.0%} of the graph).", ""]
    L += ["## Top models (PageRank)", "",
          "Papers point at what they use, and models at what they beat or build on; `papers` counts the papers "
          "that name the model.", ""]
    L += _table(["#", "model", "PageRank", "papers"],
                [[i + 1, m["label"], f"{m['pagerank']:.4f}", m["papers"]] for i, m in enumerate(stats["top_models"])])
    L += ["## Top benchmarks (papers evaluating on them)", ""]
    L += _table(["#", "benchmark", "evaluations", "papers mentioning"],
                [[i + 1, b["label"], b["evaluations"], b["papers"]] for i, b in enumerate(stats["top_benchmarks"])])
    L += ["## Most central entities by type (PageRank)", ""]
    for typ, items in stats["pagerank_by_type"].items():
        if typ == "paper":
            continue
        L += [f"- **{_md(typ)}**: " + ", ".join(f"{_md(x['label'])} ({x['score']:.4f})" for x in items[:8])
              + (" (all tied: the order is alphabetical)" if _tied(items[:8]) else "")]
    L += ["", "## Bridges (betweenness)", ""]
    if stats.get("betweenness_pivots"):
        L += [f"Approximate: sampled from {stats['betweenness_pivots']} pivot nodes (fixed seed), as the graph is "
              "large; ranks near each other may swap against the exact figure.", ""]
    L += _table(["entity", "type", "betweenness"], [[x["label"], x["type"], f"{x['score']:.4f}"] for x in stats["betweenness"]])
    cm = stats["communities"]
    L += ["## Communities (Louvain, fixed seed)", "",
          f"{cm['count']} communities of linked nodes (modularity {cm['modularity']:.3f}); sizes of the largest: "
          + ", ".join(str(s) for s in cm["sizes"][:20]) + "."
          + (f" {cm['isolated_nodes']} nodes with no stated relation stand alone and are not counted."
             if cm.get("isolated_nodes") else ""), ""]
    L += _table(["community", "size", "main members"],
                [[x["id"], x["size"], ", ".join(m["label"] for m in x["top"])] for x in cm["largest"]])
    lin = stats["lineage"]
    L += ["## Model lineage (based on / fine-tuned from)", "",
          f"{lin['models_in_lineage']} models in lineage chains, {lin['roots']} root models, "
          f"longest chain {lin['max_depth']} generation(s)."
          + (f" Cycles (likely extraction errors): {'; '.join(' / '.join(c) for c in lin['cycles'])}." if lin["cycles"] else ""), ""]
    for tree in lin["trees"]:
        L += _md_tree(tree)
    L += [""]
    L += ["## Model x benchmark co-use", ""]
    L += _table(["model", "benchmark", "papers"], [[x["model"], x["benchmark"], x["papers"]] for x in stats["co_use"]])
    L += ["## Most compared models (outperforms)", ""]
    L += _table(["model", "wins", "losses", "opponents", "beats", "beaten by"],
                [[x["label"], x["wins"], x["losses"], x["opponents"], ", ".join(x["beats"]), ", ".join(x["beaten_by"])]
                 for x in stats["most_compared"]])
    it = stats["introduced"]
    L += ["## Entities introduced per paper", "",
          f"{it['papers_introducing']} papers introduce {it['entities_introduced']} entities "
          f"({it['mean_per_paper']} per introducing paper).", ""]
    L += _table(["paper", "introduces"], [[x["title"], ", ".join(x["entities"])] for x in it["top_papers"]])
    r = stats["rising"]
    L += ["## Rising entities", ""]
    if r["dated_papers"] < 2:
        L += ["Not enough dated papers to see a trend (papers need a publication date).", ""]
    else:
        L += [f"{r['dated_papers']} dated papers, {r['first_date']} to {r['last_date']}.", ""]
        L += _table(["entity", "type", "recent papers", "earlier papers", "score"],
                    [[x["label"], x["type"], x["recent"], x["earlier"], x["score"]] for x in r["entities"]])
    return "\n".join(L).rstrip() + "\n"


# ------------------------------------------------------------------------------------------ html + svg
def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def svg_bars(items: list[tuple[str, float]], *, color: str = "#4e79a7", width: int = 640, bar: int = 18,
             fmt: str = "{:g}", title: str = "") -> str:
    """A horizontal bar chart as an inline ``<svg>`` (labels escaped).

    Examples
    --------
    >>> svg = svg_bars([("MMLU", 3), ("<b>", 1)], title="Top")
    >>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
    True
    """
    if not items:
        return '<p class="muted">No data.</p>'
    label_w, pad = 200, 6
    top = max(v for _, v in items) or 1
    h = len(items) * (bar + pad) + pad
    rows = []
    for i, (label, value) in enumerate(items):
        y = pad + i * (bar + pad)
        w = max(1.0, (width - label_w - 70) * value / top)
        short = label if len(label) <= 30 else label[:29] + "\u2026"
        rows.append(f'<text x="{label_w - 6}" y="{y + bar * 0.72:.1f}" text-anchor="end">{_e(short)}<title>{_e(label)}</title></text>'
                    f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}" rx="2"/>'
                    f'<text x="{label_w + w + 5:.1f}" y="{y + bar * 0.72:.1f}">{_e(fmt.format(value))}</text>')
    return _svg(width, h, title, 12, rows)


def _svg(width: float, height: float, title: str, font_size: int, parts: list[str]) -> str:
    """An inline ``<svg>`` document around already-escaped chart parts."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{_e(title)}" font-size="{font_size}" font-family="system-ui, sans-serif">'
            + "".join(parts) + "</svg>")


def svg_columns(values: list[int], *, color: str = "#59a14f", width: int = 640, height: int = 160,
                title: str = "") -> str:
    """A column chart (e.g. community sizes, largest first) as an inline ``<svg>``."""
    if not values:
        return '<p class="muted">No data.</p>'
    values = values[:60]
    top = max(values) or 1
    gap = 2
    colw = max(3.0, (width - 40) / len(values) - gap)
    parts = []
    for i, v in enumerate(values):
        h = (height - 30) * v / top
        x = 30 + i * (colw + gap)
        parts.append(f'<rect x="{x:.1f}" y="{height - 18 - h:.1f}" width="{colw:.1f}" height="{h:.1f}" fill="{color}">'
                     f"<title>community {i}: {v} nodes</title></rect>")
    parts.append(f'<text x="26" y="12" text-anchor="end">{top}</text>'
                 f'<text x="30" y="{height - 4}">largest</text>'
                 f'<line x1="30" y1="{height - 18}" x2="{width - 10}" y2="{height - 18}" stroke="#999"/>')
    return _svg(width, height, title, 11, parts)


def svg_tree(tree: dict, *, dx: int = 170, dy: int = 22) -> str:
    """A left-to-right tidy tree (root on the left) as an inline ``<svg>``.

    Examples
    --------
    >>> t = {"label": "LLaMA", "children": [{"label": "Alpaca", "children": []},
    ...                                     {"label": "Vicuna", "children": []}]}
    >>> s = svg_tree(t)
    >>> s.count("<circle"), "Vicuna" in s
    (3, True)
    """
    pos: list[tuple[dict, int, float]] = []
    nxt = [0]

    def place(node: dict, depth: int) -> float:
        if not node["children"]:
            y = float(nxt[0])
            nxt[0] += 1
        else:
            ys = [place(c, depth + 1) for c in node["children"]]
            y = (ys[0] + ys[-1]) / 2
        pos.append((node, depth, y))
        node["_y"], node["_d"] = y, depth
        return y

    place(tree, 0)
    depth = max(d for _, d, _ in pos)
    w, h = (depth + 1) * dx + 60, nxt[0] * dy + 20
    parts = []
    for node, d, y in pos:
        for c in node["children"]:
            x1, y1, x2, y2 = 10 + d * dx, 10 + y * dy, 10 + c["_d"] * dx, 10 + c["_y"] * dy
            mx = (x1 + x2) / 2
            parts.append(f'<path d="M{x1},{y1:.1f} C{mx},{y1:.1f} {mx},{y2:.1f} {x2},{y2:.1f}" fill="none" stroke="#9ab"/>')
    for node, d, y in pos:
        label = node["label"] if len(node["label"]) <= 24 else node["label"][:23] + "\u2026"
        parts.append(f'<circle cx="{10 + d * dx}" cy="{10 + y * dy:.1f}" r="4" fill="#4e79a7"/>'
                     f'<text x="{16 + d * dx}" y="{14 + y * dy:.1f}" paint-order="stroke" stroke="#fff" '
                     f'stroke-width="4" stroke-linejoin="round">{_e(label)}<title>{_e(node["label"])}</title></text>')
    for node, _, _ in pos:
        node.pop("_y", None)
        node.pop("_d", None)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-size="12" font-family="system-ui, sans-serif">' + "".join(parts) + "</svg>")


def _html_table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 980px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 26px; } h2 { font-size: 19px; margin-top: 34px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } .muted { color: #777; } .cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 110px; } .card b { display: block; font-size: 22px; }
svg text { fill: #333; } .tree { overflow-x: auto; border: 1px solid #eee; margin: 8px 0; padding: 4px; }
"""


def render_html(stats: dict[str, Any]) -> str:
    """The HTML report: one file, inline CSS and SVG, no script, every string escaped."""
    g = stats["graph"]
    c = stats["components"]
    cm = stats["communities"]
    lin = stats["lineage"]
    it = stats["introduced"]
    r = stats["rising"]
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
           f"<title>Knowledge-graph report</title><style>{CSS}</style></head><body>",
           "<h1>Knowledge-graph report</h1>",
           f'<p class="muted">Generated {_e(stats["generated"])} by kg {_e(stats["tool_version"])}. '
           'Open <a href="graph.html">graph.html</a> to explore the graph itself.</p>',
           '<div class="cards">'
           + "".join(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in
                     (("papers", g["papers"]), ("entities", g["entities"]), ("edges", g["edges"]),
                      ("components", c["count"]), ("communities", cm["count"])))
           + "</div>",
           "<h2>Contents</h2>",
           svg_bars([(t, n) for t, n in g["nodes_by_type"].items()], color="#888", title="nodes by type"),
           _html_table(["relation", "edges"], [[t, n] for t, n in g["edges_by_relation"].items()]),
           *([f'<p class="muted">{_e(FINE_TUNED_NOTE)}</p>'] if g["edges_by_relation"].get("fine_tuned_from") else []),
           *([f'<p class="muted">The graph also holds {_e(g["implied_families"])} model families that no paper '
              "names, implied by their members' names and linked to them by <i>family</i>; rankings, communities "
              "and paper counts use only what papers state.</p>"] if g.get("implied_families") else []),
           "<h2>Top models</h2><p>By PageRank: papers point at what they use, and models at what they beat or build on.</p>",
           svg_bars([(m["label"], m["pagerank"]) for m in stats["top_models"]], color=PALETTE["model"], fmt="{:.4f}",
                    title="top models"),
           "<h2>Top benchmarks</h2><p>By the number of papers that evaluate on them.</p>",
           svg_bars([(b["label"], b["evaluations"]) for b in stats["top_benchmarks"]], color=PALETTE["benchmark"],
                    title="top benchmarks"),
           "<h2>Most central entities by type</h2>",
           _html_table(["type", "most central (PageRank)"],
                       [[t, ", ".join(x["label"] for x in items[:8])
                         + (" (all tied: the order is alphabetical)" if _tied(items[:8]) else "")]
                        for t, items in stats["pagerank_by_type"].items() if t != "paper"]),
           "<h2>Bridges</h2><p>Highest betweenness: entities on many shortest paths between others."
           + (f" Approximate: sampled from {_e(stats['betweenness_pivots'])} pivot nodes (fixed seed), as the graph "
              "is large." if stats.get("betweenness_pivots") else "") + "</p>",
           _html_table(["entity", "type", "betweenness"], [[x["label"], x["type"], f"{x['score']:.4f}"]
                                                           for x in stats["betweenness"][:10]]),
           "<h2>Connectivity and communities</h2>",
           f"<p>{c['count']} connected components ({c['single_nodes']} of them single nodes with no stated "
           f"relation); the largest holds {c['largest']} nodes ({c['largest_fraction']:.0%}). Louvain (fixed seed) "
           f"finds {cm['count']} communities of linked nodes (modularity {cm['modularity']:.3f})"
           + (f"; {cm['isolated_nodes']} nodes with no stated relation stand alone and are not counted"
              if cm.get("isolated_nodes") else "") + ". Sizes, largest first:</p>",
           svg_columns(cm["sizes"], title="community sizes"),
           _html_table(["community", "size", "main members"],
                       [[x["id"], x["size"], ", ".join(m["label"] for m in x["top"])] for x in cm["largest"]]),
           "<h2>Model lineage</h2>",
           f"<p>{lin['models_in_lineage']} models in based-on / fine-tuned-from chains, {lin['roots']} roots, "
           f"longest chain {lin['max_depth']} generation(s).</p>"]
    if lin["cycles"]:
        out.append(f"<p>Cycles (likely extraction errors): {_e('; '.join(' / '.join(x) for x in lin['cycles']))}</p>")
    for tree in lin["trees"]:
        out.append(f'<div class="tree">{svg_tree(tree)}</div>')
    out += ["<h2>Model \u00d7 benchmark co-use</h2>",
            _html_table(["model", "benchmark", "papers"], [[x["model"], x["benchmark"], x["papers"]] for x in stats["co_use"]]),
            "<h2>Most compared models</h2>",
            svg_bars([(x["label"], x["comparisons"]) for x in stats["most_compared"]], color="#f28e2b",
                     title="most compared models"),
            _html_table(["model", "wins", "losses", "beats", "beaten by"],
                        [[x["label"], x["wins"], x["losses"], ", ".join(x["beats"]), ", ".join(x["beaten_by"])]
                         for x in stats["most_compared"]]),
            "<h2>Entities introduced per paper</h2>",
            f"<p>{it['papers_introducing']} papers introduce {it['entities_introduced']} entities "
            f"({it['mean_per_paper']} per introducing paper).</p>",
            _html_table(["paper", "introduces"], [[x["title"], ", ".join(x["entities"])] for x in it["top_papers"]]),
            "<h2>Rising entities</h2>"]
    if r["dated_papers"] < 2:
        out.append('<p class="muted">Not enough dated papers to see a trend (papers need a publication date).</p>')
    else:
        out += [f"<p>{r['dated_papers']} dated papers, {_e(r['first_date'])} to {_e(r['last_date'])}: entities in a larger "
                "share of the recent half than of the earlier half.</p>",
                svg_bars([(x["label"], x["score"]) for x in r["entities"]], color="#b07aa1", fmt="{:+.2f}", title="rising"),
                _html_table(["entity", "type", "recent", "earlier"],
                            [[x["label"], x["type"], x["recent"], x["earlier"]] for x in r["entities"]])]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(G: nx.Graph, metrics: dict[str, dict], out_dir: str | os.PathLike) -> dict[str, Path]:
    """Write ``stats.json``, ``report.md`` and ``report.html`` into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stats = build_stats(G, metrics)
    paths = {"stats": out / "stats.json", "report_md": out / "report.md", "report_html": out / "report.html"}
    paths["stats"].write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["report_md"].write_text(render_markdown(stats), encoding="utf-8")
    paths["report_html"].write_text(render_html(stats), encoding="utf-8")
    return paths


__all__ = ["build_stats", "render_markdown", "render_html", "write_report", "svg_bars", "svg_columns", "svg_tree"]
