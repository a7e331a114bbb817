"""Viewer stage of the flow: NetworkX projection -> one self-contained, offline ``graph.html`` (PyVis).

PyVis builds the vis-network data (nodes, edges, options); this module then renders it with its own
template (``kg/templates/viewer.html``) because PyVis 0.3.2's templates always link Bootstrap from a CDN
and its ``local`` mode writes a ``lib/`` folder into the working directory. Here every script and
stylesheet -- vis-network itself, read from the PyVis package -- is inlined, so the file works from
``file://`` with no network, and nothing is written except the output file.

What the page shows: nodes coloured and shaped by type (legend doubles as a type filter), sized by
PageRank, at positions computed here (community by community, physics off); edges labelled by
relation (filterable); a search box; a details panel for a clicked node or edge with canonical name,
aliases, papers and evidence sentences (links only for http(s) URLs). Every string from papers goes
into the page as JSON inside a non-executable ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, and the page script writes text with ``textContent`` only, so a title like
``<script>...`` is shown, never run. Beyond ``top_n`` nodes the first view holds the ``top_n`` most
central nodes, with buttons to show all or to expand a node's neighbours.
"""
from __future__ import annotations

import inspect
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from . import analytics

#: type -> (colour, vis-network shape). Shapes with the label outside keep node sizes comparable.
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "model": ("#4e79a7", "dot"),
    "benchmark": ("#e15759", "diamond"),
    "dataset": ("#f28e2b", "square"),
    "method": ("#59a14f", "triangle"),
    "repo": ("#8c6d31", "hexagon"),
    "task": ("#b07aa1", "star"),
    "metric": ("#76b7b2", "triangleDown"),
    "organization": ("#9c755f", "square"),
    "paper": ("#bab0ac", "dot"),
}
DEFAULT_STYLE = ("#7f7f7f", "dot")
RELATION_COLOR: dict[str, str] = {
    "introduces": "#59a14f", "evaluated_on": "#e15759", "outperforms": "#f28e2b", "based_on": "#4e79a7",
    "fine_tuned_from": "#4e79a7", "has_repository": "#8c6d31", "mentions": "#c8c8c8", "family": "#b07aa1",
}
TEMPLATE_DIR = Path(__file__).parent / "templates"
VIS_VERSION = "9.1.2"
MAX_EVIDENCE = 20  # evidence sentences kept per edge in the page (the store keeps them all)


@dataclass(frozen=True)
class ViewerResult:
    """What was written: the file, how many nodes/edges it holds and how many the first view shows."""

    path: Path
    nodes: int
    edges: int
    initial_nodes: int
    bytes: int


def _pyvis_lib() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"


# ------------------------------------------------------------------------------------------ layout
def _place_circles(radii: list[float], gap: float) -> list[tuple[float, float]]:
    """Greedy non-overlapping placement of circles along a golden-angle spiral (give largest first).

    Candidate spiral points are tested in vectorised batches against every circle placed so far;
    the search for the next circle resumes near where the previous one landed.
    """
    import numpy as np

    golden = math.pi * (3 - math.sqrt(5))
    xs, ys, rs = np.zeros(len(radii)), np.zeros(len(radii)), np.asarray(radii, dtype=float)
    out = []
    resume = 0
    batch = 512
    for i, r in enumerate(radii):
        if i == 0:
            out.append((0.0, 0.0))
            continue
        step = max(0, resume - batch)
        while True:
            k = np.arange(step, step + batch)
            dist = np.sqrt(k) * gap * 0.8
            cx, cy = dist * np.cos(k * golden), dist * np.sin(k * golden)
            d = np.hypot(cx[:, None] - xs[None, :i], cy[:, None] - ys[None, :i])
            ok = np.all(d >= rs[None, :i] + r + gap, axis=1)
            hit = np.flatnonzero(ok)
            if hit.size:
                j = int(hit[0])
                xs[i], ys[i] = cx[j], cy[j]
                resume = step + j
                out.append((float(cx[j]), float(cy[j])))
                break
            step += batch
    return out


def _sunflower(nodes: list[Any]) -> dict[Any, tuple[float, float]]:
    n = len(nodes)
    golden = math.pi * (3 - math.sqrt(5))
    return {v: (math.sqrt((i + 0.5) / n) * math.cos(i * golden), math.sqrt((i + 0.5) / n) * math.sin(i * golden))
            for i, v in enumerate(nodes)}


def _unit(pos: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    rad = max(math.hypot(x - cx, y - cy) for x, y in pos.values()) or 1.0
    return {v: ((x - cx) / rad, (y - cy) / rad) for v, (x, y) in pos.items()}


DENSE_LIMIT = 450  # networkx switches to a slow per-node loop from 500 nodes on
# networkx 3.5 and later choose a layout method (and would pick another one for large groups); the force
# method is what earlier releases always ran
_FORCE = {"method": "force"} if "method" in inspect.signature(nx.spring_layout).parameters else {}


def _induced(H: nx.Graph, nodes: list[Any]) -> nx.Graph:
    """The subgraph of ``H`` on ``nodes`` as a new graph with nodes in the given order and edges in sorted
    order (``H.subgraph`` yields nodes in set order, which changes with the hash seed, and so would the
    layout: the same input would not give the same page)."""
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted(((u, v, d) for u, v, d in H.edges(nodes, data=True) if u in keep and v in keep),
                              key=lambda e: (str(e[0]), str(e[1]))))
    return sub


def _spread(H: nx.Graph, nodes: list[Any], seed: int, depth: int = 0) -> dict[Any, tuple[float, float]]:
    """Positions in the unit disc for one group of nodes (large groups are split into sub-communities)."""
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n == 2:
        return {nodes[0]: (-0.5, 0.0), nodes[1]: (0.5, 0.0)}
    sub = _induced(H, nodes)
    if n <= DENSE_LIMIT:
        if sub.number_of_edges() == 0:
            return _sunflower(nodes)
        return _unit(nx.spring_layout(sub, seed=seed, iterations=60 if n < 200 else 40, k=1.6 / math.sqrt(n),
                                      **_FORCE))
    parts = (nx.community.louvain_communities(sub, weight="weight", resolution=2.0 + depth, seed=seed)
             if depth < 3 and sub.number_of_edges() else [set(nodes)])
    if len(parts) < 2:  # nothing to split on: most connected nodes in the middle
        return _sunflower(sorted(nodes, key=lambda v: (-sub.degree(v), str(v))))
    return _unit(_pack(H, [sorted(p, key=str) for p in parts], seed, spacing=1.0, depth=depth + 1))


def _pack(H: nx.Graph, groups: list[list[Any]], seed: int, *, spacing: float,
          depth: int = 0) -> dict[Any, tuple[float, float]]:
    """Lay out each group in its own disc (area ~ size) and pack the discs, largest in the middle."""
    order = sorted(groups, key=lambda g: (-len(g), str(g[0])))
    radii = [spacing * math.sqrt(len(g)) * 0.9 + spacing * 0.5 for g in order]
    centers = _place_circles(radii, gap=spacing * 1.2)
    pos: dict[Any, tuple[float, float]] = {}
    for grp, r, (cx, cy) in zip(order, radii, centers):
        for v, (x, y) in _spread(H, grp, seed, depth).items():
            pos[v] = (cx + x * r, cy + y * r)
    return pos


def layout(G: nx.Graph, *, community: dict[Any, int] | None = None, seed: int = 0,
           spacing: float = 75.0) -> dict[Any, tuple[float, float]]:
    """Node positions in pixels, computed community by community (no browser physics needed).

    Each community (from :func:`kg.analytics.communities` unless given) gets a force layout of its
    own inside a disc whose area grows with its size (communities too big for a dense force layout
    are split again); the discs are then packed without overlap, largest in the middle, and all
    communities of one or two nodes share one disc. 5,000 nodes take seconds rather than the
    minutes a global force layout (or browser physics) would.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("c", "d", "r"), ("d", "e", "r")])
    >>> pos = layout(G)
    >>> sorted(pos) == ["a", "b", "c", "d", "e"] and pos["a"] != pos["c"]
    True
    """
    H = analytics._simple(G)
    if H.number_of_nodes() == 0:
        return {}
    if community is None:
        community = analytics.communities(G, seed=seed)
    groups: dict[int, list[Any]] = {}
    for v in sorted(H.nodes, key=str):
        groups.setdefault(community.get(v, -1), []).append(v)
    big = [g for g in groups.values() if len(g) > 2]
    small = sorted((v for g in groups.values() if len(g) <= 2 for v in g), key=str)
    if small:
        big.append(small)
    return _pack(H, big, seed, spacing=spacing)


# ------------------------------------------------------------------------------------------ data
def _safe_json(obj: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in nor open a comment or entity."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def initial_view(G: nx.Graph, pagerank: dict[Any, float], top_n: int, focus: Any = None) -> list[Any]:
    """The nodes of the first view of a large graph: the most central entities and what links them.

    About 60% of ``top_n`` goes to the entities with the highest PageRank (among equal scores, and
    one-paper entities often tie, those with more neighbours first, then by IRI); the rest to the
    papers that connect most of those entities (at least two), so the first view shows relations
    rather than scattered dots. Remaining room is filled with further entities.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("p", {"type": "paper"}), ("a", {"type": "model"}), ("b", {"type": "benchmark"}),
    ...                   ("c", {"type": "model"})])
    >>> G.add_edges_from([("p", "a", "mentions"), ("p", "b", "evaluated_on")])
    ['mentions', 'evaluated_on']
    >>> sorted(initial_view(G, {"a": .4, "b": .3, "c": .2, "p": .1}, 3))
    ['a', 'b', 'p']
    """
    if G.number_of_nodes() <= top_n:
        return list(G.nodes)
    neighbours = {v: len(set(nx.all_neighbors(G, v)) - {v}) for v in G}
    rank = lambda v: (-pagerank.get(v, 0.0), -neighbours[v], str(v))  # noqa: E731
    entities = sorted((v for v, d in G.nodes(data=True) if d.get("type") != "paper"), key=rank)
    papers = [v for v, d in G.nodes(data=True) if d.get("type") == "paper"]
    n_ent = top_n if not papers else int(math.ceil(top_n * 0.6))
    chosen = set(entities[:n_ent])
    if focus is not None and focus in G and focus not in chosen:
        chosen.discard(entities[n_ent - 1] if n_ent <= len(entities) else None)
        chosen.add(focus)  # the entity a page opens on is always in its first view
    H = G.to_undirected(as_view=True)
    links = {p: sum(1 for u in H.neighbors(p) if u in chosen) for p in papers}
    linking = sorted((p for p in papers if links[p] >= 2), key=lambda p: (-links[p],) + rank(p))
    chosen.update(linking[: top_n - len(chosen)])
    for v in entities[n_ent:]:
        if len(chosen) >= top_n:
            break
        chosen.add(v)
    return sorted(chosen, key=rank)


def build_network(G: nx.Graph, *, metrics: dict[str, dict] | None = None, top_n: int = 400,
                  seed: int = 0, focus: Any = None, shown_community: dict[Any, int] | None = None):
    """Build the PyVis ``Network`` and the details payload for ``G``.

    Returns ``(net, payload)``: ``net`` is a ``pyvis.network.Network`` whose nodes carry positions
    (physics off), colour, shape and size; ``payload`` holds the rest of what the page needs
    (details of nodes and edges, papers, legend, thresholds). ``metrics`` may carry the whole graph's
    scores for a page of part of it (an ego network), so the page shows the figures the report shows;
    ``communities`` there also groups the layout, and ``shown_community`` (if given) is the community
    number the details panel shows instead.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network

    metrics = dict(metrics or {})
    pr = metrics.get("pagerank") or analytics.pagerank(G)
    deg = metrics.get("degree") or analytics.degree_centrality(G)
    com = metrics.get("communities") or analytics.communities(G, seed=seed)
    shown_com = com if shown_community is None else shown_community
    pos = layout(G, community=com, seed=seed)
    order = sorted(G.nodes, key=lambda v: (-pr.get(v, 0.0), str(v)))
    index = {v: i for i, v in enumerate(order)}
    first = initial_view(G, pr, top_n, focus=focus)
    # the first view of a large graph gets a layout of its own, so it fills the screen; "show all"
    # switches every node to the full layout
    top_pos = pos if len(first) == G.number_of_nodes() else layout(G.subgraph(first), community=com, seed=seed)
    top_pr = max(pr.values()) if pr else 1.0
    top_pr = top_pr or 1.0
    papers_meta = G.graph.get("papers", {})
    paper_index = {p: i for i, p in enumerate(papers_meta)}

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    node_details = []
    for v in order:
        d = G.nodes[v]
        typ = d.get("type", "unknown")
        color, shape = TYPE_STYLE.get(typ, DEFAULT_STYLE)
        size = 8 + 26 * math.sqrt(pr.get(v, 0.0) / top_pr)
        x, y = top_pos.get(v) or pos.get(v, (0.0, 0.0))
        label = _short(d.get("label", v), 36 if typ == "paper" else 48)
        # labels grow with centrality, so the main entities stay readable when the whole view is fitted
        extra = ({"font": {"size": 11, "color": "#666666"}} if typ == "paper"
                 else {"font": {"size": round(14 + 30 * math.sqrt(pr.get(v, 0.0) / top_pr))}})
        net.add_node(index[v], label=label, shape=shape, color=color, size=round(size, 1), **extra,
                     x=round(x, 1), y=round(y, 1), physics=False, title=f"{d.get('label', v)} ({typ})")
        node_details.append({
            "iri": str(v), "label": str(d.get("label", v)), "type": typ, "aliases": list(d.get("aliases", ())),
            "papers": [paper_index[p] for p in d.get("papers", ()) if p in paper_index],
            "introduced_in": [paper_index[p] for p in d.get("introduced_in", ()) if p in paper_index],
            "url": d.get("url"), "params": d.get("params"), "family": d.get("family"),
            "pagerank": round(pr.get(v, 0.0), 6), "degree": round(deg.get(v, 0.0), 6),
            "community": shown_com.get(v)})
    # one vis edge per (source, target, relation); pyvis's add_edge re-checks node membership in a
    # list for every edge (quadratic), so edges are created with its Edge class directly
    # a paper that introduces or evaluates on an entity also mentions it: drawing both would stack two
    # edges on one line, so such implied ``mentions`` edges are left out of the page
    edge_details = []
    drawn = [(u, v, key, d) for u, v, key, d in G.edges(keys=True, data=True)
             if not (d.get("relation", key) == "mentions" and len(G[u][v]) > 1)]
    under = G.number_of_edges() - len(drawn)  # mentions that stand on the line of another relation
    for i, (u, v, key, d) in enumerate(sorted(drawn, key=lambda e: (index[e[0]], index[e[1]], str(e[2])))):
        rel = d.get("relation", key)
        w = d.get("weight", 1)
        style = {"dashes": True, "font": {"size": 8}} if rel == "mentions" else {}
        e = Edge(index[u], index[v], True, id=i, label=rel.replace("_", " "), relation=rel,
                 color=RELATION_COLOR.get(rel, "#999999"), width=round(1 + math.log2(w), 2),
                 title=f"{rel} ({w} paper{'s' if w != 1 else ''})", **style)
        net.edges.append(e.options)
        edge_details.append({
            "relation": rel, "weight": w,
            "papers": [paper_index[p] for p in d.get("papers", ()) if p in paper_index],
            "evidence": [{"paper": paper_index.get(ev.get("paper")), "sentence": ev.get("sentence", ""),
                          "field": ev.get("field"), "rule": ev.get("rule"), "confidence": ev.get("confidence")}
                         for ev in d.get("evidence", ())[:MAX_EVIDENCE]],
            "evidence_total": len(d.get("evidence", ()))})
    big = G.number_of_edges() > 3000
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 2},
                  "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False},
    }))
    types = sorted({n["type"] for n in node_details}, key=lambda t: (t == "paper", t))
    relations = sorted({e["relation"] for e in edge_details})
    payload = {
        "details": node_details, "edge_details": edge_details,
        "papers": [{"iri": p, "id": m.get("identifier"), "title": m.get("title"), "url": m.get("url"),
                    "date": m.get("date")} for p, m in papers_meta.items()],
        "types": [{"name": t, "color": TYPE_STYLE.get(t, DEFAULT_STYLE)[0], "shape": TYPE_STYLE.get(t, DEFAULT_STYLE)[1],
                   "count": sum(1 for n in node_details if n["type"] == t)} for t in types],
        "relations": [{"name": r, "color": RELATION_COLOR.get(r, "#999999"),
                       "count": sum(1 for e in edge_details if e["relation"] == r),
                       "under": under if r == "mentions" else 0} for r in relations],
        "top_n": int(top_n), "initial": sorted(index[v] for v in first),
        "full_pos": [[round(pos[v][0], 1), round(pos[v][1], 1)] if v in pos else [0, 0] for v in order],
        "focus": index.get(focus) if focus is not None else None,
    }
    return net, payload


def render_html(net, payload: dict[str, Any], *, title: str = "Knowledge graph") -> str:
    """Render the page: vis-network data from PyVis, our template, every asset inlined."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    lib = _pyvis_lib()
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]))
    data = {"nodes": nodes, "edges": edges, **payload}
    html = env.get_template("viewer.html").render(
        title=title,
        vis_js=Markup((lib / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((lib / "vis-network.css").read_text(encoding="utf-8")),
        options=Markup(_safe_json(json.loads(options))),
        data=Markup(_safe_json(data)),
    )
    return html


def write_viewer(G: nx.Graph, path: str | os.PathLike, *, metrics: dict[str, dict] | None = None,
                 top_n: int = 400, title: str = "Knowledge graph", focus: Any = None,
                 seed: int = 0, shown_community: dict[Any, int] | None = None) -> ViewerResult:
    """Write the offline viewer for ``G`` to ``path`` (and nothing else).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection from :func:`kg.analytics.project` (or a subgraph of one).
    path : path-like
        The HTML file to write; its folder is created if needed.
    metrics : dict, optional
        Already computed ``pagerank``, ``degree`` and ``communities`` (as from
        :func:`kg.analytics.compute_all`); whatever is missing is computed here.
    top_n : int, default 400
        Above this many nodes the first view shows only the ``top_n`` highest-PageRank nodes.
    focus : node, optional
        A node to select and centre on when the page opens (used for ego networks).

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="model", label="GPT-4")
    >>> G.add_node("b", type="benchmark", label="MMLU")
    >>> _ = G.add_edge("m", "b", key="evaluated_on", relation="evaluated_on", weight=1)
    >>> out = write_viewer(G, Path(tempfile.mkdtemp()) / "g.html")
    >>> out.nodes, out.edges, "cdn" in out.path.read_text()
    (2, 1, False)
    """
    net, payload = build_network(G, metrics=metrics, top_n=top_n, seed=seed, focus=focus,
                                 shown_community=shown_community)
    html = render_html(net, payload, title=title)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    n = G.number_of_nodes()
    return ViewerResult(path=out, nodes=n, edges=len(payload["edge_details"]), initial_nodes=len(payload["initial"]),
                        bytes=len(html.encode("utf-8")))


__all__ = ["layout", "initial_view", "build_network", "render_html", "write_viewer", "ViewerResult", "TYPE_STYLE"]
