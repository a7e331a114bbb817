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
import math
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from . import __version__, analytics

TOP = 15
BY_TYPE = 8  # entities listed per type among the most central
CLEAR_MODULARITY = 0.3  # below it, communities are hardly denser inside than between them (the usual rule of thumb)
PALETTE = {"model": "#4e79a7", "benchmark": "#e15759", "dataset": "#f28e2b", "method": "#59a14f",
           "repo": "#8c6d31", "task": "#b07aa1", "metric": "#76b7b2", "organization": "#9c755f", "paper": "#bab0ac"}


# ------------------------------------------------------------------------------------------ stats
# (fine_tuned_from is the narrower statement of a based_on pair, not a lineage of its own)
FINE_TUNED_NOTE = ("Each fine_tuned_from pair (a model said to be fine-tuned from a model) is a based_on pair as well; "
                   "lineage counts it once.")

#: what the bridge ranking lists: the things papers build, train and test with. A metric or task word lies
#: between many papers because many papers use the word (accuracy, question answering), not because it links
#: their work; organizations and repositories are left out too.
BRIDGE_TYPES = ("model", "benchmark", "dataset", "method")
BRIDGE_NOTE = ("Only models, benchmarks, datasets and methods are ranked: metric and task words (accuracy, "
               "question answering) lie between many papers because many papers use the same word, not because "
               "they link their work; organizations and repositories are left out too.")
PAGERANK_NOTE = ("Each paper that names an entity gives it one vote, and a model passes part of its rank to what "
                 "papers say it is based on or fine-tuned from (the share of its papers that say so). Being "
                 "outperformed counts for nothing here (see the most compared models).")


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


def _cut(ranked: list[Any], top: int, value: Callable[[Any], Any]) -> tuple[list[Any], int]:
    """The first ``top`` of a ranking and how many of the rest tie with the last one shown (which of the
    tied ones are shown is only their alphabetical order, so the report says how many more there are).

    Examples
    --------
    >>> _cut([5, 3, 2, 2, 2, 1], 3, lambda x: x)
    ([5, 3, 2], 2)
    """
    shown = ranked[:top]
    if not shown:
        return shown, 0
    last = value(shown[-1])
    return shown, sum(1 for x in ranked[top:] if value(x) == last)


def _named(G: nx.Graph, node: Any) -> bool:
    """Whether a paper names ``node``: a family head only its members' names imply is named by none, and
    rankings leave it out."""
    return bool(G.nodes[node].get("papers"))


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
    more: dict[str, Any] = {}  # per ranking, how many more tie with the last row shown

    def ranked(typ: str, key) -> list[Any]:
        return sorted((v for v, d in G.nodes(data=True) if d.get("type") == typ and _named(G, v)), key=key)

    models, more["top_models"] = _cut(ranked("model", lambda v: (-pr.get(v, 0.0), str(v))), top,
                                      lambda v: round(pr.get(v, 0.0), 6))
    top_models = [_ref(G, v, pagerank=round(pr.get(v, 0.0), 6), papers=len(G.nodes[v].get("papers", ())))
                  for v in models]
    benchmarks, more["top_benchmarks"] = _cut(
        [v for v in ranked("benchmark", lambda v: (-evals.get(v, 0), -len(G.nodes[v].get("papers", ())),
                                                   -pr.get(v, 0.0), str(v))) if evals.get(v, 0) > 0],
        top, lambda v: evals[v])
    top_benchmarks = [_ref(G, v, evaluations=evals[v], papers=len(G.nodes[v].get("papers", ())),
                           pagerank=round(pr.get(v, 0.0), 6)) for v in benchmarks]
    centrality: dict[str, list[dict]] = {}
    more["pagerank_by_type"] = {}
    for typ, scores in metrics["pagerank_by_type"].items():
        items = [(v, s) for v, s in scores.items() if typ != "paper" and _named(G, v)]
        shown, tied = _cut(items, BY_TYPE, lambda kv: round(kv[1], 6))
        if shown:
            centrality[typ] = [_ref(G, v, score=round(s, 6)) for v, s in shown]
            more["pagerank_by_type"][typ] = tied
    degree = {typ: [_ref(G, v, score=round(s, 6)) for v, s in list(scores.items()) if _named(G, v)][:10]
              for typ, scores in metrics["degree_by_type"].items()}
    degree = {typ: items for typ, items in degree.items() if items}
    btw = metrics["betweenness"]
    bridges, more["betweenness"] = _cut(
        sorted(((v, s) for v, s in btw["scores"].items()
                if s > 0 and G.nodes[v].get("type") in BRIDGE_TYPES and _named(G, v)),
               key=lambda kv: (-kv[1], str(kv[0]))), top, lambda kv: round(kv[1], 6))
    linked = analytics._simple(G)  # the undirected graph of stated relations the metrics ran on
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
    modularity = round(analytics.modularity(G, com), 4) if com else 0.0

    lin = metrics["lineage"]
    lineage = {"roots": len(lin["roots"]), "max_depth": lin["max_depth"],
               "models_in_lineage": len(lin["depth"]), "cycles": [[_ref(G, v)["label"] for v in c] for c in lin["cycles"]],
               "families": [_ref(G, r, descendants=len(lin["descendants"].get(r, ())),
                                 depth=max((lin["depth"].get(x, 0) for x in lin["descendants"].get(r, ())), default=0))
                            for r in lin["roots"][:top]],
               "trees": [_tree(G, lin["children"], r, 40) for r in lin["roots"][:6]]}

    co_pairs, more["co_use"] = _cut(sorted(((m, b, n) for m, bs in metrics["co_use"].items() for b, n in bs.items()),
                                           key=lambda t: (-t[2], str(t[0]), str(t[1]))), top, lambda t: t[2])
    most, more["most_compared"] = _cut(list(metrics["most_compared"].items()), top, lambda kv: kv[1]["comparisons"])
    compared = [_ref(G, m, **{k: s[k] for k in ("wins", "losses", "comparisons", "opponents")},
                     beats=[_ref(G, x)["label"] for x in s["beats"][:8]],
                     beaten_by=[_ref(G, x)["label"] for x in s["beaten_by"][:8]])
                for m, s in most]
    intro = metrics["introduced"]
    intro_top, more["introduced"] = _cut(list(intro.items()), top, lambda kv: len(kv[1]))
    introduced = [{"paper": str(p), "title": papers.get(p, {}).get("title", str(p)),
                   "entities": [_ref(G, v)["label"] for v in vs]} for p, vs in intro_top]
    per_paper = [len(v) for v in intro.values()]
    dated = sorted(d["date"] for d in papers.values() if d.get("date"))
    rising_all = [(v, r) for v, r in metrics["rising"].items() if _named(G, v)]
    rising_top, more["rising"] = _cut(rising_all, top, lambda kv: kv[1]["score"])
    rising = [_ref(G, v, **r) for v, r in rising_top]
    cutoff = (rising_all[0][1]["cutoff"] if rising_all
              else analytics.recent_cutoff(date.fromisoformat(d) for d in dated))
    cutoff = cutoff.isoformat() if isinstance(cutoff, date) else cutoff
    recent = sum(1 for d in dated if cutoff and d >= cutoff)

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
        "betweenness": [_ref(G, v, score=round(s, 6), error=round(btw["error"].get(v, 0.0), 6)) for v, s in bridges],
        "betweenness_pivots": btw["pivots"],
        "betweenness_sources": btw["sources"],
        "bridge_types": list(BRIDGE_TYPES),
        "communities": {"count": len(communities), "isolated_nodes": len(isolated),
                        "modularity": modularity, "structure": len(communities) > 1 and modularity >= CLEAR_MODULARITY,
                        "linked_nodes": sum(c["size"] for c in communities),
                        "sizes": [c["size"] for c in communities][:100], "largest": communities[:10]},
        "lineage": lineage,
        "co_use": [{"model": _ref(G, m)["label"], "benchmark": _ref(G, b)["label"], "papers": n}
                   for m, b, n in co_pairs],
        "most_compared": compared,
        "introduced": {"papers_introducing": len(intro), "entities_introduced": sum(per_paper),
                       "mean_per_paper": round(sum(per_paper) / len(per_paper), 3) if per_paper else 0.0,
                       "top_papers": introduced},
        "rising": {"dated_papers": len(dated), "distinct_dates": len(set(dated)),
                   "first_date": dated[0] if dated else None, "last_date": dated[-1] if dated else None,
                   "cutoff": cutoff, "recent_papers": recent, "earlier_papers": len(dated) - recent if cutoff else 0,
                   "entities": rising},
        "more_tied": more,
    }


# ------------------------------------------------------------------------------------------ markdown
def _md(text: Any) -> str:
    """Markdown-safe cell text: no raw HTML, no table breaks."""
    return (html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")
            .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]"))


def _table(headers: list[str], rows: list[list[Any]], empty: str = "None.") -> list[str]:
    if not rows:
        return [empty, ""]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return out + [""]


def _md_tree(node: dict, depth: int = 0) -> list[str]:
    out = ["  " * depth + "- " + _md(node["label"])]
    for child in node["children"]:
        out += _md_tree(child, depth + 1)
    return out


def _more(n: int, noun: str, value: str, joiner: str = "with") -> str:
    """The line under a ranking cut inside a tie: how many more share the last value shown."""
    return f"\u2026 and {n} more {noun} {joiner} {value}." if n else ""


def _introducing(it: dict[str, Any]) -> str:
    return _plural(len(it["top_papers"][-1]["entities"]), "entity", "entities")


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _btw_decimals(error: float) -> int:
    """Decimals an estimated betweenness is printed with: no more than its standard error supports (the
    error's first significant digit is the last digit printed), at most 4 (4 when it has no error)."""
    return max(1, min(4, -math.floor(math.log10(error)))) if error > 0 else 4


def _btw_rows(stats: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    if stats.get("betweenness_pivots"):  # (each row to its own error: a small bridge does not print as 0.00)
        return (["entity", "type", "betweenness", "\u00b1 (standard error)"],
                [[x["label"], x["type"], f"{x['score']:.{_btw_decimals(x['error'])}f}",
                  f"{x['error']:.{_btw_decimals(x['error'])}f}"] for x in stats["betweenness"]])
    return ["entity", "type", "betweenness"], [[x["label"], x["type"], f"{x['score']:.4f}"] for x in stats["betweenness"]]


def _btw_caveat(stats: dict[str, Any]) -> str:
    """Exact, or how the estimate was made and how far off it may be."""
    if not stats["betweenness"]:
        return ""
    if not stats.get("betweenness_pivots"):
        return "Exact: every shortest path was counted."
    rel = [x["error"] / x["score"] for x in stats["betweenness"] if x["score"]]
    return (f"Estimated, not exact: the graph is too large to follow the shortest paths from all "
            f"{stats['betweenness_sources']} nodes that have them, so they were followed from "
            f"{stats['betweenness_pivots']} of them picked at random (fixed seed). \u00b1 is one standard error "
            + (f"(up to {max(rel):.0%} of the value for the entities listed) " if rel else "")
            + "from how much the picked nodes disagree; an entity whose paths come from few nodes can be further "
            "off, and entities within two or three standard errors of each other may be in either order.")


def _communities_text(cm: dict[str, Any]) -> str:
    if not cm["count"]:
        return "No communities: no stated relation links any two nodes."
    alone = (f" {cm['isolated_nodes']} nodes with no stated relation stand alone and are not counted."
             if cm.get("isolated_nodes") else "")
    if not cm.get("structure", True):
        return (f"No clear community structure: the {cm.get('linked_nodes', sum(cm['sizes']))} linked nodes do not "
                f"split into groups linked much more densely inside than between them (the best split Louvain finds "
                f"has modularity {cm['modularity']:.3f}; clear communities score above about {CLEAR_MODULARITY}).{alone}")
    return (f"{cm['count']} communities of linked nodes (modularity {cm['modularity']:.3f}); sizes of the largest: "
            + ", ".join(str(s) for s in cm["sizes"][:20]) + "." + alone)


def _components_text(c: dict[str, Any]) -> str:
    if c["largest"] <= 1:
        return f"No stated relation links any two nodes: {_plural(c['count'], 'single node')}."
    return (f"{c['count']} connected components ({c['single_nodes']} of them single nodes with no stated relation); "
            f"the largest holds {c['largest']} nodes ({c['largest_fraction']:.0%} of the graph).")


def _lineage_text(lin: dict[str, Any]) -> str:
    if not lin["models_in_lineage"]:
        return "No paper says that one model is based on or fine-tuned from another."
    return (f"{_plural(lin['models_in_lineage'], 'model')} in lineage chains, {_plural(lin['roots'], 'root model')}, "
            f"longest chain {_plural(lin['max_depth'], 'generation')}."
            + (f" Cycles (likely extraction errors): {'; '.join(' / '.join(c) for c in lin['cycles'])}."
               if lin["cycles"] else ""))


def _introduced_text(it: dict[str, Any]) -> str:
    if not it["papers_introducing"]:
        return "No paper introduces an entity."
    return (f"{_plural(it['papers_introducing'], 'paper')} introduce{'s' if it['papers_introducing'] == 1 else ''} "
            f"{_plural(it['entities_introduced'], 'entity', 'entities')} ({it['mean_per_paper']} per introducing paper).")


def _rising_text(r: dict[str, Any]) -> str | None:
    """Why there is no trend to show, or ``None`` when there is one."""
    if r["dated_papers"] < 2:
        return "Not enough dated papers to see a trend (papers need a publication date)."
    if r.get("distinct_dates", 2) < 2:
        return (f"Not enough dates to see a trend: all {r['dated_papers']} dated papers carry the same date, "
                f"{r['first_date']}.")
    return None


def _rising_split(r: dict[str, Any]) -> str:
    return (f"{r['dated_papers']} dated papers, {r['first_date']} to {r['last_date']}: {r['recent_papers']} recent "
            f"(from {r['cutoff']} on) and {r['earlier_papers']} earlier, split as evenly as their dates allow. "
            "Listed: entities in a larger share of the recent papers than of the earlier ones (in two recent "
            "papers at least).")


def _by_type_line(typ: str, items: list[dict], more: int) -> str:
    return (", ".join(f"{x['label']} ({x['score']:.4f})" for x in items)
            + (" (all tied: the order is alphabetical)" if _tied(items) else "")
            + (f" and {more} more tied at {items[-1]['score']:.4f}" if more else ""))


def render_markdown(stats: dict[str, Any]) -> str:
    """The Markdown twin of the HTML report."""
    g = stats["graph"]
    more = stats.get("more_tied", {})
    L: list[str] = ["# Knowledge-graph report", "",
                    f"{g['papers']} papers, {g['entities']} entities, {g['edges']} edges "
                    f"(generated {stats['generated']}, kg {stats['tool_version']}).", "",
                    *([f"The graph also holds {g['implied_families']} model families that no paper names: each is "
                       "implied by its members' names (GPT-4o -> GPT) and linked to them by `family`; "
                       "rankings, communities and paper counts use only what papers state.", ""]
                      if g.get("implied_families") else []),
                    "## Contents", ""]
    L += _table(["type", "nodes"], [[t, n] for t, n in g["nodes_by_type"].items()], "The graph is empty.")
    L += _table(["relation", "edges"], [[t, n] for t, n in g["edges_by_relation"].items()], "No relations.")
    if g["edges_by_relation"].get("fine_tuned_from"):
        L += [FINE_TUNED_NOTE, ""]
    L += ["## Connectivity", "", _components_text(stats["components"]), ""]
    L += ["## Top models (PageRank)", "", PAGERANK_NOTE + " `papers` counts the papers that name the model.", ""]
    L += _table(["#", "model", "PageRank", "papers"],
                [[i + 1, m["label"], f"{m['pagerank']:.4f}", m["papers"]] for i, m in enumerate(stats["top_models"])],
                "No paper names a model.")
    if more.get("top_models"):
        L += [_more(more["top_models"], "models", f"PageRank {stats['top_models'][-1]['pagerank']:.4f}"), ""]
    L += ["## Top benchmarks (papers evaluating on them)", ""]
    L += _table(["#", "benchmark", "evaluations", "papers mentioning"],
                [[i + 1, b["label"], b["evaluations"], b["papers"]] for i, b in enumerate(stats["top_benchmarks"])],
                "No paper evaluates on a benchmark.")
    if more.get("top_benchmarks"):
        L += [_more(more["top_benchmarks"], "benchmarks", _plural(stats["top_benchmarks"][-1]["evaluations"],
                                                                 "evaluation")), ""]
    L += ["## Most central entities by type (PageRank)", ""]
    if not stats["pagerank_by_type"]:
        L += ["No paper names an entity."]
    for typ, items in stats["pagerank_by_type"].items():
        L += [f"- **{_md(typ)}**: " + _md(_by_type_line(typ, items, more.get("pagerank_by_type", {}).get(typ, 0)))]
    L += ["", "## Bridges (betweenness)", "", (BRIDGE_NOTE + " " + _btw_caveat(stats)).strip(), ""]
    headers, rows = _btw_rows(stats)
    L += _table(headers, rows, "No model, benchmark, dataset or method lies on a shortest path between two others.")
    if more.get("betweenness"):
        L += [_more(more["betweenness"], "entities", f"betweenness {rows[-1][2]}"), ""]
    cm = stats["communities"]
    L += ["## Communities (Louvain, fixed seed)", "", _communities_text(cm), ""]
    if cm.get("structure", True) and cm["largest"]:
        L += _table(["community", "size", "main members"],
                    [[x["id"], x["size"], ", ".join(m["label"] for m in x["top"])] for x in cm["largest"]])
    lin = stats["lineage"]
    L += ["## Model lineage (based on / fine-tuned from)", "", _lineage_text(lin), ""]
    for tree in lin["trees"]:
        L += _md_tree(tree)
    L += [""]
    L += ["## Model x benchmark co-use", ""]
    L += _table(["model", "benchmark", "papers"], [[x["model"], x["benchmark"], x["papers"]] for x in stats["co_use"]],
                "No paper names a model and a benchmark together.")
    if more.get("co_use"):
        L += [_more(more["co_use"], "pairs", _plural(stats["co_use"][-1]["papers"], "paper")), ""]
    L += ["## Most compared models (outperforms)", ""]
    L += _table(["model", "wins", "losses", "opponents", "beats", "beaten by"],
                [[x["label"], x["wins"], x["losses"], x["opponents"], ", ".join(x["beats"]), ", ".join(x["beaten_by"])]
                 for x in stats["most_compared"]], "No paper says that one model outperforms another.")
    if more.get("most_compared"):
        L += [_more(more["most_compared"], "models", _plural(stats["most_compared"][-1]["comparisons"], "comparison")),
              ""]
    it = stats["introduced"]
    L += ["## Entities introduced per paper", "", _introduced_text(it), ""]
    if it["top_papers"]:
        L += _table(["paper", "introduces"], [[x["title"], ", ".join(x["entities"])] for x in it["top_papers"]])
    if more.get("introduced"):
        L += [_more(more["introduced"], "papers", _introducing(it), "introducing"), ""]
    r = stats["rising"]
    L += ["## Rising entities", ""]
    why = _rising_text(r)
    if why:
        L += [why, ""]
    else:
        L += [_rising_split(r), ""]
        L += _table(["entity", "type", "recent papers", "earlier papers", "score"],
                    [[x["label"], x["type"], x["recent"], x["earlier"], x["score"]] for x in r["entities"]],
                    "No entity rises.")
        if more.get("rising"):
            L += [_more(more["rising"], "entities", f"score {r['entities'][-1]['score']}"), ""]
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


def _html_table(headers: list[str], rows: list[list[Any]], empty: str = "None.") -> str:
    if not rows:
        return f'<p class="muted">{_e(empty)}</p>'
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


def _html_more(n: int, noun: str, value: str, joiner: str = "with") -> list[str]:
    return [f'<p class="muted">{_e(_more(n, noun, value, joiner))}</p>'] if n else []


def render_html(stats: dict[str, Any]) -> str:
    """The HTML report: one file, inline CSS and SVG, no script, every string escaped."""
    g = stats["graph"]
    c = stats["components"]
    cm = stats["communities"]
    lin = stats["lineage"]
    it = stats["introduced"]
    r = stats["rising"]
    more = stats.get("more_tied", {})
    headers, btw_rows = _btw_rows(stats)
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
           _html_table(["relation", "edges"], [[t, n] for t, n in g["edges_by_relation"].items()], "No relations."),
           *([f'<p class="muted">{_e(FINE_TUNED_NOTE)}</p>'] if g["edges_by_relation"].get("fine_tuned_from") else []),
           *([f'<p class="muted">The graph also holds {_e(g["implied_families"])} model families that no paper '
              "names, implied by their members' names and linked to them by <i>family</i>; rankings, communities "
              "and paper counts use only what papers state.</p>"] if g.get("implied_families") else []),
           f"<h2>Top models</h2><p>By PageRank. {_e(PAGERANK_NOTE)}</p>",
           (svg_bars([(m["label"], m["pagerank"]) for m in stats["top_models"]], color=PALETTE["model"], fmt="{:.4f}",
                     title="top models") if stats["top_models"] else '<p class="muted">No paper names a model.</p>'),
           *_html_more(more.get("top_models", 0), "models",
                       f"PageRank {stats['top_models'][-1]['pagerank']:.4f}" if stats["top_models"] else ""),
           "<h2>Top benchmarks</h2><p>By the number of papers that evaluate on them.</p>",
           (svg_bars([(b["label"], b["evaluations"]) for b in stats["top_benchmarks"]], color=PALETTE["benchmark"],
                     title="top benchmarks") if stats["top_benchmarks"]
            else '<p class="muted">No paper evaluates on a benchmark.</p>'),
           *_html_more(more.get("top_benchmarks", 0), "benchmarks",
                       _plural(stats["top_benchmarks"][-1]["evaluations"], "evaluation") if stats["top_benchmarks"] else ""),
           "<h2>Most central entities by type</h2>",
           _html_table(["type", "most central (PageRank)"],
                       [[t, _by_type_line(t, items, more.get("pagerank_by_type", {}).get(t, 0))]
                        for t, items in stats["pagerank_by_type"].items()], "No paper names an entity."),
           "<h2>Bridges</h2><p>Highest betweenness: entities on many shortest paths between others. "
           f"{_e((BRIDGE_NOTE + ' ' + _btw_caveat(stats)).strip())}</p>",
           _html_table(headers, btw_rows,
                       "No model, benchmark, dataset or method lies on a shortest path between two others."),
           *_html_more(more.get("betweenness", 0), "entities", f"betweenness {btw_rows[-1][2]}" if btw_rows else ""),
           "<h2>Connectivity and communities</h2>", f"<p>{_e(_components_text(c))}</p>",
           *([f"<p><b>Communities</b> (Louvain, fixed seed). {_e(_communities_text(cm))}</p>"] if cm["count"] else [])]
    if cm.get("structure", True) and cm["largest"]:
        out += ["<p>Community sizes, largest first:</p>", svg_columns(cm["sizes"], title="community sizes"),
                _html_table(["community", "size", "main members"],
                            [[x["id"], x["size"], ", ".join(m["label"] for m in x["top"])] for x in cm["largest"]])]
    out += ["<h2>Model lineage</h2>", f"<p>{_e(_lineage_text(lin))}</p>"]
    for tree in lin["trees"]:
        out.append(f'<div class="tree">{svg_tree(tree)}</div>')
    out += ["<h2>Model \u00d7 benchmark co-use</h2>",
            _html_table(["model", "benchmark", "papers"], [[x["model"], x["benchmark"], x["papers"]] for x in stats["co_use"]],
                        "No paper names a model and a benchmark together."),
            *_html_more(more.get("co_use", 0), "pairs",
                        _plural(stats["co_use"][-1]["papers"], "paper") if stats["co_use"] else ""),
            "<h2>Most compared models</h2>"]
    if stats["most_compared"]:
        out += [svg_bars([(x["label"], x["comparisons"]) for x in stats["most_compared"]], color="#f28e2b",
                         title="most compared models"),
                _html_table(["model", "wins", "losses", "beats", "beaten by"],
                            [[x["label"], x["wins"], x["losses"], ", ".join(x["beats"]), ", ".join(x["beaten_by"])]
                             for x in stats["most_compared"]]),
                *_html_more(more.get("most_compared", 0), "models",
                            _plural(stats["most_compared"][-1]["comparisons"], "comparison"))]
    else:
        out.append('<p class="muted">No paper says that one model outperforms another.</p>')
    out += ["<h2>Entities introduced per paper</h2>", f"<p>{_e(_introduced_text(it))}</p>"]
    if it["top_papers"]:
        out += [_html_table(["paper", "introduces"], [[x["title"], ", ".join(x["entities"])] for x in it["top_papers"]]),
                *_html_more(more.get("introduced", 0), "papers", _introducing(it), "introducing")]
    out.append("<h2>Rising entities</h2>")
    why = _rising_text(r)
    if why:
        out.append(f'<p class="muted">{_e(why)}</p>')
    else:
        out += [f"<p>{_e(_rising_split(r))}</p>"]
        if r["entities"]:
            out += [svg_bars([(x["label"], x["score"]) for x in r["entities"]], color="#b07aa1", fmt="{:+.2f}",
                             title="rising"),
                    _html_table(["entity", "type", "recent", "earlier"],
                                [[x["label"], x["type"], x["recent"], x["earlier"]] for x in r["entities"]]),
                    *_html_more(more.get("rising", 0), "entities", f"score {r['entities'][-1]['score']}")]
        else:
            out.append('<p class="muted">No entity rises.</p>')
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
