"""Analytics stage of the flow: store -> NetworkX projection -> metric functions -> scores back in the store.

Three separate layers, so each can be used and tested on its own:

* :func:`project` reads the RDF graph (every named graph of a pyoxigraph ``Store``) with a handful of
  SPARQL queries and returns a ``networkx.MultiDiGraph``. Nodes are entities (``type`` = ``model``,
  ``benchmark``, ...) and, by default, papers (``type`` = ``"paper"``); each carries ``label``,
  ``aliases`` and ``papers`` (the IRIs of the papers it occurs in). Edges are keyed by relation
  (``introduces``, ``evaluated_on``, ``outperforms``, ``based_on``, ``has_repository``, ``mentions``,
  ...), with ``weight`` = number of distinct supporting papers and ``evidence`` = the sentences they
  were read from. ``G.graph["papers"]`` describes every paper (title, url, date).
* Metric functions in the networkx style, ``f(G, *, ...) -> dict``: centrality by type, betweenness,
  communities, components, lineage, co-use, comparisons, introductions, rising entities. They only
  read the projection and never render anything; the report and the viewer consume their output.
* :func:`write_scores` stores PageRank, degree centrality, community and paper counts as ``kgo:``
  annotations in the named graph ``<base>graph/analytics`` so SPARQL users can sort by them.

Metric functions are registered by name in :data:`METRICS` (an extension point: add a name, not an
``elif``); :func:`compute_all` runs every one of them.
"""
from __future__ import annotations

import bisect
import math
import random
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any, Callable, Iterable

import networkx as nx

from ontology.iri import IRIMinter
from ontology.mapping import LISTING_DATE_FORMATS
from ontology.namespaces import DEFAULT_BASE, PREDICATE_PROPERTY, PREFIXES, TYPE_CLASS, kgo

PAPER = "paper"
#: RDF property IRI -> relation name used on projected edges.
PROPERTY_RELATION = {kgo(prop): rel for rel, prop in PREDICATE_PROPERTY.items()}
PROPERTY_RELATION[kgo("family")] = "family"
#: ontology class IRI -> entity type.
CLASS_TYPE = {kgo(cls): typ for typ, cls in TYPE_CLASS.items()}
LINEAGE_RELATIONS = ("based_on", "fine_tuned_from")
#: relations no paper states: ``family`` links a variant to the family its name belongs to (GPT-4o -> GPT).
#: They are kept in the graph (viewer, lineage browsing) but carry no paper support, so the centrality,
#: community and connectivity metrics and the papers an entity occurs in leave them out.
DERIVED_RELATIONS = frozenset({"family"})
#: relations by which a paper names an entity (paper -> entity); each paper that names an entity is one vote
#: for it in :func:`pagerank`.
PAPER_RELATIONS = frozenset({"introduces", "evaluated_on", "mentions", "has_repository"})
# when an entity carries several classes (e.g. Benchmark and its superclass Dataset), keep the narrowest
_TYPE_PRIORITY = {"benchmark": 0, "repo": 1, "model": 2, "method": 3, "task": 4, "metric": 5,
                  "organization": 6, "dataset": 7}

_PREFIX_DECL = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())


# --------------------------------------------------------------------------------------------- projection
def _rows(store: Any, query: str, *, union: bool = True) -> Iterable[Any]:
    return store.query(_PREFIX_DECL + "\n" + query, use_default_graph_as_union=union)


def _pairs(store: Any, prop: str) -> list[tuple[str, str]]:
    """Distinct ``(subject, object value)`` pairs of one property across all graphs."""
    return [(row["s"].value, row["o"].value)
            for row in _rows(store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{prop}> ?o }}")]


def _val(term: Any) -> str | None:
    return None if term is None else term.value


def _date(text: str | None) -> date | None:
    """Parse the dates papers carry (ISO first, then a few listing styles); ``None`` if unknown."""
    if not text:
        return None
    text = text.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    for fmt in ("%Y-%m", *LISTING_DATE_FORMATS):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def project(store: Any, *, include_papers: bool = True) -> nx.MultiDiGraph:
    """Project the RDF graph held in ``store`` onto a typed, weighted ``networkx.MultiDiGraph``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The knowledge-graph store; every named graph (one per paper) is read.
    include_papers : bool, default True
        Keep papers as nodes of type ``"paper"`` with their paper -> entity edges (``mentions``,
        ``introduces``, ``evaluated_on``, ``has_repository``). With ``False`` only entities and the
        entity -> entity relations remain; papers are still described in ``G.graph["papers"]`` and
        listed on every node's ``papers`` attribute.

    Returns
    -------
    networkx.MultiDiGraph
        Node ids are IRIs. Node attributes: ``type``, ``label``, ``aliases`` (sorted list), ``papers``
        (sorted paper IRIs), ``introduced_in`` (papers that introduce it) and, when known,
        ``params``, ``url``, ``family``; paper nodes also carry ``title``, ``identifier``, ``date``.
        Edges are keyed by relation name and carry ``relation``, ``weight`` (number of distinct
        supporting papers), ``papers`` and ``evidence`` (dicts with ``paper``, ``sentence``,
        ``field``, ``start``, ``end``, ``rule``, ``confidence``).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.load(path="tests/fixtures/analytics_seed.trig")
    >>> G = project(store)
    >>> G.nodes["https://w3id.org/llmkg/resource/model/GLM-4"]["label"]
    'GLM-4'
    >>> G.edges["https://w3id.org/llmkg/resource/model/GLM-4",
    ...         "https://w3id.org/llmkg/resource/model/GPT-4", "outperforms"]["weight"]
    2
    """
    G = nx.MultiDiGraph()
    store = getattr(store, "raw", store)  # a kg.store.GraphStore or a bare pyoxigraph.Store
    dct, schema, skos = PREFIXES["dcterms"], PREFIXES["schema"], PREFIXES["skos"]
    papers: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "SELECT DISTINCT ?p WHERE { ?p a kgo:Paper }"):
        papers[row["p"].value] = {"identifier": None, "title": None, "url": None, "date": None}
    for key, prop in (("identifier", dct + "identifier"), ("title", dct + "title"), ("url", schema + "url"),
                      ("date", schema + "datePublished")):
        for s, value in _pairs(store, prop):
            info = papers.get(s)
            if info is not None and (info[key] is None or value < info[key]):
                info[key] = value  # deterministic pick if a value is (wrongly) repeated
    for iri, info in papers.items():
        info["identifier"] = info["identifier"] or iri.rsplit("/", 1)[-1]
        info["title"] = info["title"] or info["identifier"]
        parsed = _date(info["date"])
        info["date"] = parsed.isoformat() if parsed else None

    ent: dict[str, dict[str, Any]] = {}
    types: dict[str, set[str]] = defaultdict(set)
    values = " ".join(f"<{c}>" for c in CLASS_TYPE)
    for row in _rows(store, f"SELECT DISTINCT ?e ?cls WHERE {{ VALUES ?cls {{ {values} }} ?e a ?cls }}"):
        iri = row["e"].value
        ent.setdefault(iri, {"label": None, "aliases": set(), "params": None, "url": None, "family": None})
        types[iri].add(CLASS_TYPE[row["cls"].value])
    for s, value in _pairs(store, kgo("entityType")):
        if s in ent and value in TYPE_CLASS:
            types[s].add("!" + value)  # the declared type wins over inferred classes
    for key, prop in (("label", skos + "prefLabel"), ("url", schema + "url"), ("family", kgo("family"))):
        for s, value in _pairs(store, prop):
            info = ent.get(s)
            if info is not None and (info[key] is None or value < info[key]):
                info[key] = value
    for s, value in _pairs(store, kgo("parameterCount")):
        if s in ent:
            try:
                ent[s]["params"] = float(value)
            except ValueError:
                pass
    for s, value in _pairs(store, skos + "altLabel"):
        if s in ent:
            ent[s]["aliases"].add(value)
    graph_paper: dict[str, str] = {}
    for row in _rows(store, "SELECT ?g ?p WHERE { GRAPH ?g { ?p a kgo:Paper } }", union=False):
        graph_paper.setdefault(row["g"].value, row["p"].value)
    # the papers an entity occurs in: those that mention (introduce, evaluate on, ...) it or state a relation
    # on it (below); a family head that only a variant's name implies occurs in no paper
    ent_papers: dict[str, set[str]] = defaultdict(set)

    # edges: which papers support each (s, relation, o)
    support: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    props = " ".join(f"<{p}>" for p in PROPERTY_RELATION)
    for row in _rows(store, f"""
        SELECT DISTINCT ?g ?s ?p ?o WHERE {{
          VALUES ?p {{ {props} }}
          {{ GRAPH ?g {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }}
        }}""", union=False):
        s, o = row["s"].value, row["o"].value
        rel = PROPERTY_RELATION[row["p"].value]
        key = (s, rel, o)
        found = support[key]
        if s in papers:
            found.add(s)
        elif row["g"] is not None and row["g"].value in graph_paper:
            found.add(graph_paper[row["g"].value])
    # provenance: one kgo:Assertion per edge; read property by property (joins over the union of
    # graphs multiply rows by the number of graphs that repeat a triple) and assemble here
    assertion: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in _rows(store, "SELECT DISTINCT ?a WHERE { ?a a kgo:Assertion }"):
        assertion[row["a"].value]
    fields = {PREFIXES["rdf"] + "subject": "s", PREFIXES["rdf"] + "predicate": "pred",
              PREFIXES["rdf"] + "object": "o", PREFIXES["prov"] + "wasDerivedFrom": "paper",
              kgo("sentence"): "sentence", kgo("field"): "field", kgo("startOffset"): "start",
              kgo("endOffset"): "end", kgo("rule"): "rule", kgo("confidence"): "confidence"}
    for prop, name in fields.items():
        for s, value in _pairs(store, prop):
            a = assertion.get(s)
            if a is not None and (name not in a or value < a[name]):
                a[name] = value
    evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for a in assertion.values():
        rel = PROPERTY_RELATION.get(a.get("pred", ""))
        if rel is None or "s" not in a or "o" not in a:
            continue
        key = (a["s"], rel, a["o"])
        if a.get("paper"):
            support[key].add(a["paper"])

        def num(v: str | None, kind: type) -> Any:
            try:
                return kind(v) if v is not None else None
            except ValueError:
                return None
        evidence[key].append({
            "paper": a.get("paper"), "sentence": a.get("sentence", ""), "field": a.get("field"),
            "start": num(a.get("start"), int), "end": num(a.get("end"), int), "rule": a.get("rule"),
            "confidence": num(a.get("confidence"), float)})
    introduced: dict[str, set[str]] = defaultdict(set)
    for (s, rel, o), sup in support.items():
        if s in papers:
            ent_papers[o].add(s)
            if rel == "introduces":
                introduced[o].add(s)
        elif s in ent and o in ent and rel not in DERIVED_RELATIONS:
            ent_papers[s] |= sup
            ent_papers[o] |= sup

    for iri in sorted(ent):
        info = ent[iri]
        declared = sorted(t[1:] for t in types[iri] if t.startswith("!"))
        inferred = sorted((t for t in types[iri] if not t.startswith("!")), key=lambda t: _TYPE_PRIORITY[t])
        typ = declared[0] if declared else inferred[0]
        label = info["label"] or iri.rstrip("/").rsplit("/", 1)[-1]
        attrs: dict[str, Any] = {"type": typ, "label": label,
                                 "aliases": sorted(a for a in info["aliases"] if a != label),
                                 "papers": sorted(ent_papers.get(iri, ())),
                                 "introduced_in": sorted(introduced.get(iri, ()))}
        for key in ("params", "url", "family"):
            if info[key] is not None:
                attrs[key] = info[key]
        G.add_node(iri, **attrs)
    if include_papers:
        for iri in sorted(papers):
            info = papers[iri]
            G.add_node(iri, type=PAPER, label=info["title"], aliases=[], papers=[iri], introduced_in=[],
                       title=info["title"], identifier=info["identifier"], url=info["url"], date=info["date"])

    for key in sorted(support):
        s, rel, o = key
        if s not in G or o not in G:
            continue
        sup = sorted(support[key])
        ev = sorted(evidence.get(key, []),
                    key=lambda e: (e["paper"] or "", e["field"] or "", e["start"] or 0, e["sentence"]))
        G.add_edge(s, o, key=rel, relation=rel, weight=max(1, len(sup)), papers=sup, evidence=ev)
    G.graph["papers"] = {iri: papers[iri] for iri in sorted(papers)}
    return G


# ------------------------------------------------------------------------------------------ helpers
def _stated_edges(G: nx.Graph, weight: str = "weight",
                  relations: frozenset[str] | None = None) -> dict[tuple[Any, Any], float]:
    """(u, v) -> summed weight of the edges papers state (``DERIVED_RELATIONS`` and self-loops left out),
    of the given ``relations`` only if given."""
    out: dict[tuple[Any, Any], float] = {}
    for u, v, key, d in G.edges(keys=True, data=True) if G.is_multigraph() else \
            ((u, v, None, d) for u, v, d in G.edges(data=True)):
        rel = d.get("relation", key)
        if u == v or rel in DERIVED_RELATIONS or (relations is not None and rel not in relations):
            continue
        if d.get("relation", key) == "fine_tuned_from" and _has_relation(G, u, v, "based_on"):
            continue  # (a fine-tuned pair is stated as based_on too: one statement, counted once)
        out[(u, v)] = out.get((u, v), 0) + d.get(weight, 1)
    return out


def _has_relation(G: nx.Graph, u: Any, v: Any, relation: str) -> bool:
    if not G.has_edge(u, v):
        return False
    data = G.get_edge_data(u, v)
    if G.is_multigraph():
        return any(d.get("relation", k) == relation for k, d in data.items())
    return data.get("relation") == relation


def _simple(G: nx.Graph, *, weight: str = "weight") -> nx.Graph:
    """Undirected simple graph of the stated relations with summed weights (what community and path
    metrics need). Nodes and edges are added in sorted order, so results that depend on iteration
    order (sampled betweenness, Louvain, layouts) are the same whatever order ``G`` (or a view of it)
    yields them in."""
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    summed: dict[tuple[Any, Any], float] = {}
    for (u, v), w in _stated_edges(G, weight).items():
        a, b = (u, v) if str(u) <= str(v) else (v, u)
        summed[(a, b)] = summed.get((a, b), 0) + w
    H.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(summed.items(), key=lambda kv: (str(kv[0][0]),
                                                                                                  str(kv[0][1]))))
    return H


def _by_type(G: nx.Graph, scores: dict[Any, float], top: int | None) -> dict[str, dict[Any, float]]:
    out: dict[str, list[tuple[Any, float]]] = defaultdict(list)
    for node, score in scores.items():
        out[G.nodes[node].get("type", "unknown")].append((node, score))
    result = {}
    for typ in sorted(out):
        ranked = sorted(out[typ], key=lambda item: (-item[1], str(item[0])))
        result[typ] = dict(ranked[:top] if top else ranked)
    return result


def _label(G: nx.Graph, node: Any) -> str:
    return G.nodes[node].get("label", str(node))


def _entities(G: nx.Graph, typ: str | None = None) -> list[Any]:
    return [n for n, d in G.nodes(data=True)
            if d.get("type") != PAPER and (typ is None or d.get("type") == typ)]


# ------------------------------------------------------------------------------------------ metrics
def degree_centrality(G: nx.Graph) -> dict[Any, float]:
    """Degree centrality of every node: distinct neighbours (either direction) / (n - 1).

    Parameters
    ----------
    G : networkx graph
        Typically the output of :func:`project`; parallel edges and direction are ignored.

    Returns
    -------
    dict
        node -> centrality in [0, 1].

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "x"), ("a", "b", "y"), ("c", "a", "x")])
    >>> degree_centrality(G)["a"]
    1.0
    """
    return nx.degree_centrality(_simple(G))


def pagerank(G: nx.Graph, *, alpha: float = 0.85, weight: str = "weight", tol: float = 1e-12,
             max_iter: int = 1000) -> dict[Any, float]:
    """PageRank of entities over what papers name and what models are built on.

    Every entity gets one vote per paper that names it (introduces, evaluates on, mentions or links
    to it: ``PAPER_RELATIONS``), however many of these relations the paper states and however many
    other entities it names. A model (or any entity) that papers say is based on or fine-tuned
    from another passes rank on to that base, in proportion to how many of its papers state the
    lineage: a model 45 papers name and one calls "GPT-style" hands GPT a forty-fifth of its rank,
    a variant whose only paper builds it on a base hands over all of it (damped by ``alpha``).

    As a random walk: a reader starts at an entity picked in proportion to its votes; at each
    step, with probability ``alpha``, they move from a model to one of its bases with that
    probability of stated lineage, and otherwise (and with probability ``1 - alpha`` always) start
    again from the votes. The scores are the walk's stationary distribution, so they sum to 1 over
    the entities; papers vote and get no rank, and so does an entity no paper names (a family
    head only its members' names imply).

    ``outperforms`` takes no part: a model a famous one beats once would otherwise inherit a share
    of the famous one's rank (:func:`most_compared_models` ranks comparisons); nor do ``family``
    links, which names imply and no paper states (``DERIVED_RELATIONS``).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("p1", "m", "mentions"), ("p2", "m", "mentions"), ("p1", "x", "mentions"),
    ...                      ("m", "x", "outperforms")])
    >>> pr = pagerank(G); round(pr["m"], 3), round(pr["x"], 3), pr["p1"]
    (0.667, 0.333, 0.0)
    >>> G.add_edge("x", "m", key="based_on")  # x's one paper builds it on m
    'based_on'
    >>> pr = pagerank(G); round(pr["m"], 3), round(pr["x"], 3)
    (0.74, 0.26)
    """
    if G.number_of_nodes() == 0:
        return {}
    nodes = sorted(G.nodes, key=str)
    votes: dict[Any, set[Any]] = {v: set() if G.nodes[v].get("type") == PAPER else set(G.nodes[v].get("papers", ()))
                                  for v in nodes}
    for u, v, key, d in G.edges(keys=True, data=True):
        if (d.get("relation", key) in PAPER_RELATIONS and u != v and _typed(G, u, (PAPER,))
                and G.nodes[v].get("type") != PAPER):
            votes[v].add(u)
    total = sum(len(x) for x in votes.values())
    restart = {v: (len(votes[v]) / total if total else 1 / len(nodes)) for v in nodes}
    bases: dict[Any, dict[Any, float]] = defaultdict(dict)
    for (u, v), w in _stated_edges(G, weight, relations=frozenset(LINEAGE_RELATIONS)).items():
        if G.nodes[u].get("type") != PAPER and G.nodes[v].get("type") != PAPER:
            bases[u][v] = w
    passes: list[tuple[Any, Any, float]] = []  # (model, base, share of the model's rank it passes on)
    for u in sorted(bases, key=str):
        stated = sum(bases[u].values())
        share = min(1.0, stated / len(votes[u])) if votes[u] else 1.0
        passes += [(u, v, share * w / stated) for v, w in sorted(bases[u].items(), key=lambda kv: str(kv[0]))]
    rank = dict(restart)
    for _ in range(max_iter):
        inflow: dict[Any, float] = defaultdict(float)
        moved = 0.0
        for u, v, f in passes:
            inflow[v] += rank[u] * f
            moved += rank[u] * f
        again = 1.0 - alpha * moved  # what is not passed along lineage starts again from the votes
        new = {v: again * restart[v] + alpha * inflow.get(v, 0.0) for v in nodes}
        change = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if change < tol:
            break
    return rank


def degree_centrality_by_type(G: nx.Graph, *, top: int | None = None) -> dict[str, dict[Any, float]]:
    """Degree centrality grouped by node ``type``, each group sorted from most to least central.

    Parameters
    ----------
    G : networkx graph with a ``type`` attribute on nodes
    top : int, optional
        Keep only the ``top`` nodes of each type.

    Returns
    -------
    dict
        type -> {node: centrality}, ordered by decreasing centrality (ties by node id).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("m", {"type": "model"}), ("b", {"type": "benchmark"}),
    ...                   ("c", {"type": "benchmark"})])
    >>> G.add_edge("m", "b", key="x"); G.add_edge("m", "c", key="x")
    'x'
    'x'
    >>> list(degree_centrality_by_type(G))
    ['benchmark', 'model']
    >>> degree_centrality_by_type(G)["model"]["m"]
    1.0
    """
    return _by_type(G, degree_centrality(G), top)


def pagerank_by_type(G: nx.Graph, *, top: int | None = None, alpha: float = 0.85,
                     weight: str = "weight") -> dict[str, dict[Any, float]]:
    """PageRank (see :func:`pagerank`) grouped by node ``type``, most central first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("p", {"type": "paper"}), ("m", {"type": "model"})])
    >>> _ = G.add_edge("p", "m", key="introduces", weight=1)
    >>> sorted(pagerank_by_type(G))
    ['model', 'paper']
    """
    return _by_type(G, pagerank(G, alpha=alpha, weight=weight), top)


def betweenness(G: nx.Graph, *, k: int = 512, seed: int = 0, normalized: bool = True,
                budget: int = 4_000_000) -> dict[Any, float]:
    """Betweenness centrality on the undirected projection: node -> score (see :func:`betweenness_estimate`,
    which also says whether the scores are exact and, if not, gives each one's standard error).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("b", "c", "r")])
    >>> betweenness(G)["b"]
    1.0
    """
    return betweenness_estimate(G, k=k, seed=seed, normalized=normalized, budget=budget)["scores"]


def _linked(H: nx.Graph) -> dict[Any, int]:
    """Node -> size of its component, for the nodes of ``H`` in components of three or more nodes: the only
    ones on whose shortest paths a third node can lie."""
    size: dict[Any, int] = {}
    for comp in nx.connected_components(H):
        if len(comp) >= 3:
            size.update(dict.fromkeys(comp, len(comp)))
    return size


def _dependencies(adj: list[list[int]], s: int) -> tuple[list[int], list[float]]:
    """Brandes' dependencies of every node on source ``s`` (nodes are indices into ``adj``): for each node,
    the sum over targets of the share of the shortest paths from ``s`` that run through it. Returns the
    nodes ``s`` reaches, in BFS order, and the dependencies (0 for ``s`` itself)."""
    dist, sigma = [-1] * len(adj), [0] * len(adj)
    dist[s], sigma[s] = 0, 1
    order, preds = [s], {s: []}
    i = 0
    while i < len(order):
        v = order[i]
        i += 1
        step, paths = dist[v] + 1, sigma[v]
        for w in adj[v]:
            if dist[w] < 0:
                dist[w], sigma[w], preds[w] = step, paths, [v]
                order.append(w)
            elif dist[w] == step:
                sigma[w] += paths
                preds[w].append(v)
    delta = [0.0] * len(adj)
    for w in reversed(order):
        share = (1.0 + delta[w]) / sigma[w]
        for v in preds[w]:
            delta[v] += sigma[v] * share
    delta[s] = 0.0
    return order, delta


def _pivots(searches: int, sources: int, size: int, *, k: int, budget: int) -> int | None:
    pivots = min(sources, k, max(32, budget // max(size, 1)))
    return None if searches * size <= budget or searches <= pivots else pivots


def betweenness_estimate(G: nx.Graph, *, k: int = 512, seed: int = 0, normalized: bool = True,
                         budget: int = 4_000_000) -> dict[str, Any]:
    """Betweenness centrality on the undirected projection: exact when that fits the work ``budget``, else
    estimated from sampled pivot nodes, with the standard error of each estimate.

    Only nodes in components of three or more nodes can have a node between them and another, so
    only they are sources (isolated nodes and pairs add nothing). A node with one neighbour needs
    no search of its own: its shortest paths are the neighbour's, one step longer. Betweenness is
    exact when one search from each remaining source costs at most ``budget`` node and edge visits
    (on the bundled sample about 700 searches, under a second). Otherwise ``k`` pivots (fewer,
    down to 32, when ``k`` searches would pass the budget) are drawn from the sources with a fixed
    ``seed``; a node's score is the scaled mean of the pivots' dependencies on it, and its standard
    error comes from their spread (finite-population corrected). The spread understates the error
    of a node that only a few sources' paths cross.

    Parameters
    ----------
    G : networkx graph
    k : int, default 512
        Most pivots when sampling.
    seed : int, default 0
        Seed of the pivot sample, so a sampled result is reproducible.
    normalized : bool, default True
        Divide by the (n - 1)(n - 2) ordered pairs of other nodes, as ``networkx.betweenness_centrality``
        does (``False``: count unordered pairs).
    budget : int, default 4,000,000
        Rough cap on the work, in node and edge visits (a few seconds): a 30,000-node graph gets 32
        pivots, not a minute of work.

    Returns
    -------
    dict
        ``scores`` (node -> betweenness), ``error`` (node -> standard error, 0 when exact), ``pivots``
        (how many were sampled; ``None`` when exact) and ``sources`` (nodes that could be pivots).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("b", "c", "r"), ("c", "d", "r"), ("x", "y", "r")])
    >>> out = betweenness_estimate(G)
    >>> round(out["scores"]["b"], 4), out["pivots"], out["sources"]
    (0.2, None, 4)
    """
    H = _simple(G)
    nodes = sorted(H, key=str)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    adj = [[index[w] for w in H[v]] for v in nodes]
    size = {index[v]: c for v, c in _linked(H).items()}
    sources = sorted(size)
    # each source's search: its own, or (a node with one neighbour) that neighbour's
    search = {s: s if len(adj[s]) > 1 else adj[s][0] for s in sources}
    pivots = _pivots(len(set(search.values())), len(sources), n + H.number_of_edges(), k=k, budget=budget)
    chosen = sources if pivots is None else sorted(random.Random(seed).sample(sources, pivots))
    by_search: dict[int, list[int]] = defaultdict(list)
    for s in chosen:
        by_search[search[s]].append(s)
    # a source whose one neighbour is u adds all its paths but the one to u to u's count: known without a
    # search, so added for every such source, sampled or not
    known = [0.0] * n
    for s in sources:
        if search[s] != s:
            known[search[s]] += size[s] - 2
    total, squares = [0.0] * n, [0.0] * n
    for u in sorted(by_search):
        order, delta = _dependencies(adj, u)
        if pivots is None:
            times = len(by_search[u])
            for v in order:
                total[v] += times * delta[v]
            continue
        for _ in by_search[u]:
            for v in order:
                d = delta[v]
                if d:
                    total[v] += d
                    squares[v] += d * d
    scale = (1.0 / ((n - 1) * (n - 2)) if normalized else 0.5) if n > 2 else 0.0
    scores, error = dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0.0)
    picked = set(chosen)
    for i, v in enumerate(nodes):
        if pivots is None or not total[i]:
            scores[v] = (known[i] + total[i]) * scale
            continue
        m = pivots - (i in picked)  # the pivots other than the node itself
        others = len(sources) - 1  # the sources other than the node (which is one, as paths cross it)
        mean = total[i] / m
        var = max(0.0, (squares[i] - m * mean * mean) / (m - 1)) if m > 1 else 0.0
        scores[v] = (known[i] + others * mean) * scale
        error[v] = others * math.sqrt(var / m * max(0.0, 1 - m / others)) * scale
    return {"scores": scores, "error": error, "pivots": pivots, "sources": len(sources)}


def betweenness_pivots(G: nx.Graph, *, k: int = 512, budget: int = 4_000_000) -> int | None:
    """How many pivots :func:`betweenness` samples on ``G`` (``None``: it computes betweenness exactly).

    Examples
    --------
    >>> betweenness_pivots(nx.path_graph(10)) is None, betweenness_pivots(nx.path_graph(4000))
    (True, 500)
    """
    H = _simple(G) if G.is_multigraph() or G.is_directed() else G
    size = _linked(H)
    searches = len({v if H.degree(v) > 1 else next(iter(H[v])) for v in size})
    return _pivots(searches, len(size), H.number_of_nodes() + H.number_of_edges(), k=k, budget=budget)


def communities(G: nx.Graph, *, seed: int = 0, resolution: float = 1.0,
                weight: str = "weight") -> dict[Any, int]:
    """Louvain communities of the undirected weighted projection, numbered deterministically.

    The seed fixes Louvain's random node order, and the input order is fixed by sorting, so the
    same graph always gives the same partition. Communities are numbered 0, 1, ... by decreasing
    size (ties broken by their smallest node id).

    Parameters
    ----------
    G : networkx graph
    seed : int, default 0
    resolution : float, default 1.0
        Above 1 favours smaller communities, below 1 larger ones.
    weight : str, default "weight"

    Returns
    -------
    dict
        node -> community number.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("b", "c", "r"), ("c", "a", "r"),
    ...                      ("x", "y", "r"), ("y", "z", "r"), ("z", "x", "r"), ("c", "x", "r")])
    >>> parts = communities(G)
    >>> parts["a"] == parts["b"] == parts["c"] != parts["x"]
    True
    """
    H0 = _simple(G, weight=weight)
    H = nx.Graph()
    H.add_nodes_from(sorted(H0.nodes, key=str))
    H.add_weighted_edges_from(sorted(((u, v, d["weight"]) if str(u) <= str(v) else (v, u, d["weight"])
                                      for u, v, d in H0.edges(data=True)), key=lambda e: (str(e[0]), str(e[1]))))
    if H.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    parts = sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))
    return {node: i for i, part in enumerate(parts) for node in part}


def modularity(G: nx.Graph, community: dict[Any, int], *, weight: str = "weight") -> float:
    """Weighted modularity of a partition (node -> community) on the undirected projection of ``G``:
    how much more densely the communities are linked inside than a random graph of the same degrees
    would be (0 = no structure; above about 0.3 = clear communities).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("b", "c", "r"), ("c", "a", "r"),
    ...                      ("x", "y", "r"), ("y", "z", "r"), ("z", "x", "r"), ("c", "x", "r")])
    >>> round(modularity(G, communities(G)), 3)
    0.357
    """
    H = _simple(G, weight=weight)
    if H.number_of_edges() == 0:
        return 0.0
    parts: dict[int, set[Any]] = defaultdict(set)
    for node in H:
        parts[community.get(node, -1 - len(parts))].add(node)  # (a node with no community stands alone)
    return nx.community.modularity(H, list(parts.values()), weight="weight")


def components(G: nx.Graph) -> dict[str, Any]:
    """Weakly connected components: how fragmented the graph is.

    Returns
    -------
    dict
        ``count``, ``sizes`` (largest first), ``largest_fraction`` (share of nodes in the largest)
        and ``membership`` (node -> component number, 0 = largest).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("c", "d", "r"), ("d", "e", "r")])
    >>> components(G)["sizes"]
    [3, 2]
    """
    parts = sorted((sorted(c, key=str) for c in nx.connected_components(_simple(G))),
                   key=lambda c: (-len(c), str(c[0])))
    n = G.number_of_nodes()
    return {"count": len(parts), "sizes": [len(c) for c in parts],
            "largest_fraction": (len(parts[0]) / n) if parts else 0.0,
            "membership": {node: i for i, c in enumerate(parts) for node in c}}


def _typed(G: nx.Graph, node: Any, types: tuple[str, ...] | None) -> bool:
    """Whether ``node`` is of one of ``types`` (nodes without a type pass, so plain graphs work)."""
    if types is None:
        return True
    typ = G.nodes[node].get("type")
    return typ is None or typ in types


def lineage(G: nx.Graph, *, relations: tuple[str, ...] = LINEAGE_RELATIONS,
            types: tuple[str, ...] | None = ("model",)) -> dict[str, Any]:
    """The model lineage: which models were built on (fine-tuned from) which.

    ``X based_on Y`` makes ``Y`` a parent of ``X``; only edges between nodes of ``types`` count
    (``None``: any). Roots are parents that build on nothing;
    depth is the longest chain from a root; cycles (extraction errors) are reported and each is
    treated as a single step.

    Returns
    -------
    dict
        ``roots`` (largest family first), ``depth`` (node -> generations below its deepest root),
        ``descendants`` (node -> sorted descendants, only nodes that have some), ``children``
        (node -> direct children), ``max_depth`` and ``cycles`` (lists of nodes).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("vicuna", "llama2", "based_on"), ("llama2", "llama", "based_on"),
    ...                      ("alpaca", "llama", "based_on")])
    >>> out = lineage(G)
    >>> out["roots"], out["depth"]["vicuna"], out["descendants"]["llama"]
    (['llama'], 2, ['alpaca', 'llama2', 'vicuna'])
    """
    D = nx.DiGraph()
    for u, v, key, d in G.edges(keys=True, data=True):
        rel = d.get("relation", key)
        if rel in relations and u != v and _typed(G, u, types) and _typed(G, v, types):
            D.add_edge(v, u)  # parent -> child
    if D.number_of_nodes() == 0:
        return {"roots": [], "depth": {}, "descendants": {}, "children": {}, "max_depth": 0, "cycles": []}
    C = nx.condensation(D)
    members = C.graph["mapping"]  # node -> scc id
    scc_nodes: dict[int, list[Any]] = defaultdict(list)
    for node, cid in members.items():
        scc_nodes[cid].append(node)
    cycles = sorted((sorted(ns, key=str) for ns in scc_nodes.values() if len(ns) > 1), key=lambda c: str(c[0]))
    cdepth: dict[int, int] = {}
    for cid in nx.topological_sort(C):
        preds = list(C.predecessors(cid))
        cdepth[cid] = 1 + max(cdepth[p] for p in preds) if preds else 0
    depth = {node: cdepth[members[node]] for node in D}
    descendants = {node: sorted(nx.descendants(D, node), key=str) for node in D}
    descendants = {k: v for k, v in descendants.items() if v}
    roots = [node for node in D if cdepth[members[node]] == 0 and D.out_degree(node) > 0]
    roots.sort(key=lambda r: (-len(descendants.get(r, ())), str(r)))
    children = {node: sorted(D.successors(node), key=str) for node in D if D.out_degree(node)}
    return {"roots": roots, "depth": dict(sorted(depth.items(), key=lambda kv: str(kv[0]))),
            "descendants": descendants, "children": children,
            "max_depth": max(depth.values()), "cycles": cycles}


def model_benchmark_co_use(G: nx.Graph, *, min_papers: int = 1) -> dict[Any, dict[Any, int]]:
    """How many papers use each model together with each benchmark.

    A model and a benchmark are used together by a paper when both occur in it (the ``papers``
    node attribute written by :func:`project`).

    Returns
    -------
    dict
        model -> {benchmark: number of shared papers}, models and benchmarks ordered by count.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="model", papers=["p1", "p2"])
    >>> G.add_node("b", type="benchmark", papers=["p2", "p3"])
    >>> model_benchmark_co_use(G)
    {'m': {'b': 1}}
    """
    by_paper: dict[str, list[Any]] = defaultdict(list)
    for b in _entities(G, "benchmark"):
        for p in G.nodes[b].get("papers", ()):
            by_paper[p].append(b)
    out: dict[Any, dict[Any, int]] = {}
    for m in _entities(G, "model"):
        counts = Counter(b for p in G.nodes[m].get("papers", ()) for b in by_paper.get(p, ()))
        kept = {b: c for b, c in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))) if c >= min_papers}
        if kept:
            out[m] = kept
    return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1].values()), str(kv[0]))))


def most_compared_models(G: nx.Graph, *, top: int | None = None,
                         types: tuple[str, ...] | None = ("model",)) -> dict[Any, dict[str, Any]]:
    """Models ranked by how often papers compare them (``outperforms`` edges, either side).

    Only edges between nodes of ``types`` count (``None``: any).

    Returns
    -------
    dict
        model -> ``{"wins", "losses", "comparisons", "opponents", "beats", "beaten_by"}`` where wins
        and losses count supporting papers, ordered by comparisons.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("glm4", "gpt4", key="outperforms", relation="outperforms", weight=2)
    'outperforms'
    >>> most_compared_models(G)["gpt4"]["losses"]
    2
    """
    stats: dict[Any, dict[str, Any]] = defaultdict(lambda: {"wins": 0, "losses": 0, "beats": set(), "beaten_by": set()})
    for u, v, key, d in G.edges(keys=True, data=True):
        if d.get("relation", key) != "outperforms" or u == v or not (_typed(G, u, types) and _typed(G, v, types)):
            continue
        w = d.get("weight", 1)
        stats[u]["wins"] += w
        stats[u]["beats"].add(v)
        stats[v]["losses"] += w
        stats[v]["beaten_by"].add(u)
    out = {}
    for node, s in stats.items():
        out[node] = {"wins": s["wins"], "losses": s["losses"], "comparisons": s["wins"] + s["losses"],
                     "opponents": len(s["beats"] | s["beaten_by"]),
                     "beats": sorted(s["beats"], key=str), "beaten_by": sorted(s["beaten_by"], key=str)}
    ranked = sorted(out.items(), key=lambda kv: (-kv[1]["comparisons"], -kv[1]["opponents"], str(kv[0])))
    return dict(ranked[:top] if top else ranked)


def introduced_per_paper(G: nx.Graph) -> dict[Any, list[Any]]:
    """Entities each paper introduces (from ``introduced_in`` on nodes), papers with most first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="model", introduced_in=["p1"])
    >>> G.add_node("d", type="dataset", introduced_in=["p1"])
    >>> introduced_per_paper(G)
    {'p1': ['d', 'm']}
    """
    out: dict[Any, list[Any]] = defaultdict(list)
    for node, d in G.nodes(data=True):
        for p in d.get("introduced_in", ()):
            out[p].append(node)
    return {p: sorted(v, key=str) for p, v in sorted(out.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))}


def recent_cutoff(dates: Iterable[date], *, window_days: int | None = None) -> date | None:
    """The first day of the *recent* papers: the start of the last ``window_days`` days, or else the date
    that splits the papers most evenly into earlier and recent ones (papers of one day stay together, so
    when many share a date the two sides are as near even as the dates allow; on a tie the recent side
    is the larger). ``None`` with fewer than two distinct dates: there is nothing to compare.

    Examples
    --------
    >>> d = [date(2024, 1, 1)] + [date(2024, 2, 1)] * 6 + [date(2024, 3, 1)] * 3
    >>> recent_cutoff(d)  # 3 recent papers and 7 earlier, rather than 9 from the median's date on and 1
    datetime.date(2024, 3, 1)
    """
    ordered = sorted(dates)
    days = sorted(set(ordered))
    if len(days) < 2:
        return None
    if window_days is not None:
        return date.fromordinal(days[-1].toordinal() - window_days + 1)
    n = len(ordered)
    recent = {d: n - bisect.bisect_left(ordered, d) for d in days[1:]}
    return min(days[1:], key=lambda d: (abs(2 * recent[d] - n), -recent[d]))


def rising_entities(G: nx.Graph, *, window_days: int | None = None, min_recent: int = 2,
                    top: int | None = None) -> dict[Any, dict[str, Any]]:
    """Entities that appear in a larger share of recent papers than of earlier ones.

    Papers with a date are split into *recent* and *earlier* ones at :func:`recent_cutoff` (the date
    that splits them most evenly, or the start of the last ``window_days`` days). The score of an
    entity is (share of recent papers it occurs in) minus (share of earlier papers it occurs in);
    only positive scores with at least ``min_recent`` recent papers are kept. Needs papers with at
    least two distinct dates, else returns ``{}``.

    Returns
    -------
    dict
        entity -> ``{"recent", "earlier", "score", "cutoff"}``, highest score first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.graph["papers"] = {"p1": {"date": "2024-01-01"}, "p2": {"date": "2024-03-01"},
    ...                      "p3": {"date": "2024-03-02"}}
    >>> G.add_node("new", type="model", papers=["p2", "p3"])
    >>> G.add_node("old", type="model", papers=["p1"])
    >>> list(rising_entities(G))
    ['new']
    """
    dated = {p: _date(info.get("date")) for p, info in G.graph.get("papers", {}).items()}
    dated = {p: d for p, d in dated.items() if d}
    cutoff = recent_cutoff(dated.values(), window_days=window_days)
    if cutoff is None:
        return {}
    recent = {p for p, d in dated.items() if d >= cutoff}
    earlier = set(dated) - recent
    if not recent or not earlier:
        return {}
    out = {}
    for node in _entities(G):
        ps = set(G.nodes[node].get("papers", ()))
        r, e = len(ps & recent), len(ps & earlier)
        score = r / len(recent) - e / len(earlier)
        if r >= min_recent and score > 0:
            out[node] = {"recent": r, "earlier": e, "score": round(score, 4), "cutoff": cutoff.isoformat()}
    ranked = sorted(out.items(), key=lambda kv: (-kv[1]["score"], -kv[1]["recent"], str(kv[0])))
    return dict(ranked[:top] if top else ranked)


def type_counts(G: nx.Graph) -> dict[str, dict[str, int]]:
    """Node counts by type and edge counts by relation.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="model")
    >>> type_counts(G)
    {'nodes': {'model': 1}, 'edges': {}}
    """
    nodes = Counter(d.get("type", "unknown") for _, d in G.nodes(data=True))
    edges = Counter(d.get("relation", k) for _, _, k, d in G.edges(keys=True, data=True))
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


#: The metric registry: name -> function(G) -> dict. ``compute_all`` runs them in this order.
METRICS: dict[str, Callable[[nx.Graph], dict]] = {
    "counts": type_counts,
    "degree": degree_centrality,
    "pagerank": pagerank,
    "degree_by_type": degree_centrality_by_type,
    "pagerank_by_type": pagerank_by_type,
    "betweenness": betweenness_estimate,  # scores with their standard errors and whether they were sampled
    "communities": communities,
    "components": components,
    "lineage": lineage,
    "co_use": model_benchmark_co_use,
    "most_compared": most_compared_models,
    "introduced": introduced_per_paper,
    "rising": rising_entities,
}


def compute_all(G: nx.Graph, metrics: Iterable[str] | None = None) -> dict[str, dict]:
    """Run every registered metric (or the named ones) on ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "based_on")])
    >>> sorted(compute_all(G, ["lineage", "components"]))
    ['components', 'lineage']
    """
    names = list(METRICS) if metrics is None else list(metrics)
    unknown = [n for n in names if n not in METRICS]
    if unknown:
        raise KeyError(f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(METRICS)}")
    return {name: METRICS[name](G) for name in names}


# ------------------------------------------------------------------------------------- back to RDF
def analytics_graph_iri(base_iri: str = DEFAULT_BASE) -> str:
    """The named graph that holds the analytics annotations."""
    return IRIMinter(base_iri).analytics_graph()


def _decimal(value: float) -> str:
    text = format(round(float(value), 8), ".8f").rstrip("0")
    return text + "0" if text.endswith(".") else text


def write_scores(store: Any, G: nx.Graph, *, pagerank: dict[Any, float], degree: dict[Any, float],
                 community: dict[Any, int], base_iri: str = DEFAULT_BASE) -> int:
    """Store entity scores as RDF annotations in ``<base>graph/analytics`` (replacing earlier ones).

    Each entity node gets ``kgo:pagerank`` and ``kgo:degreeCentrality`` (``xsd:decimal``),
    ``kgo:community`` and ``kgo:papersCount`` (``xsd:integer``). Papers are not annotated.

    Returns
    -------
    int
        Number of quads written.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://example.org/model/m", type="model", papers=["p1"])
    >>> write_scores(store, G, pagerank={"https://example.org/model/m": 0.5},
    ...              degree={"https://example.org/model/m": 0.0}, community={"https://example.org/model/m": 0})
    4
    """
    from pyoxigraph import Literal, NamedNode, Quad

    xsd = PREFIXES["xsd"]
    dec, integer = NamedNode(xsd + "decimal"), NamedNode(xsd + "integer")
    graph = NamedNode(analytics_graph_iri(base_iri))
    p_pr, p_deg, p_com, p_cnt = (NamedNode(kgo(t)) for t in ("pagerank", "degreeCentrality", "community",
                                                             "papersCount"))
    quads = []
    for node, d in G.nodes(data=True):
        if d.get("type") == PAPER:
            continue
        s = NamedNode(str(node))
        if node in pagerank:
            quads.append(Quad(s, p_pr, Literal(_decimal(pagerank[node]), datatype=dec), graph))
        if node in degree:
            quads.append(Quad(s, p_deg, Literal(_decimal(degree[node]), datatype=dec), graph))
        if node in community:
            quads.append(Quad(s, p_com, Literal(str(int(community[node])), datatype=integer), graph))
        quads.append(Quad(s, p_cnt, Literal(str(len(d.get("papers", ()))), datatype=integer), graph))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.extend(quads)
    return len(quads)


def read_scores(store: Any) -> dict[str, dict[str, float]]:
    """The scores :func:`write_scores` stored, from whichever analytics graph the store holds: ``pagerank``,
    ``degree`` and ``community`` (entity IRI -> value; empty when the store holds none).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://example.org/model/m", type="model", papers=["p1"])
    >>> _ = write_scores(store, G, pagerank={"https://example.org/model/m": 0.5}, degree={}, community={})
    >>> read_scores(store)["pagerank"]
    {'https://example.org/model/m': 0.5}
    """
    store = getattr(store, "raw", store)
    out: dict[str, dict[str, float]] = {"pagerank": {}, "degree": {}, "community": {}}
    props = {kgo("pagerank"): ("pagerank", float), kgo("degreeCentrality"): ("degree", float),
             kgo("community"): ("community", int)}
    values = " ".join(f"<{p}>" for p in props)
    for row in _rows(store, f"SELECT ?s ?p ?v WHERE {{ GRAPH ?g {{ VALUES ?p {{ {values} }} ?s ?p ?v }} }}",
                     union=False):
        name, kind = props[row["p"].value]
        try:
            out[name][row["s"].value] = kind(row["v"].value)
        except ValueError:
            continue
    return out


def ego_graph(G: nx.Graph, center: Any, *, radius: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of ``center`` within ``radius`` hops (either direction, ``family`` links included:
    a variant's page shows its family), as a subgraph copy.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "r"), ("b", "c", "r"), ("c", "d", "family")])
    >>> sorted(ego_graph(G, "b", radius=1)), sorted(ego_graph(G, "c", radius=1))
    (['a', 'b', 'c'], ['b', 'c', 'd'])
    """
    keep = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, cutoff=radius)
    H = G.subgraph(keep).copy()
    H.graph["center"] = center
    return H


def find_entity(G: nx.Graph, query: str) -> list[Any]:
    """Nodes matching ``query``: its IRI, or its label or an alias (case-insensitive), best first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x/llama2", label="Llama 2", aliases=["Llama-2"], type="model")
    >>> find_entity(G, "llama-2")
    ['x/llama2']
    """
    if query in G:
        return [query]
    q = query.casefold().strip()
    exact, alias = [], []
    for node, d in G.nodes(data=True):
        if str(d.get("label", "")).casefold() == q or str(node).rsplit("/", 1)[-1].casefold() == q:
            exact.append(node)
        elif any(a.casefold() == q for a in d.get("aliases", ())):
            alias.append(node)
    key = lambda n: (G.nodes[n].get("type") == PAPER, str(n))  # noqa: E731 - entities before papers
    return sorted(exact, key=key) + sorted(alias, key=key)


__all__ = ["project", "degree_centrality", "pagerank", "degree_centrality_by_type", "pagerank_by_type",
           "betweenness", "betweenness_estimate", "betweenness_pivots", "communities", "modularity", "components",
           "lineage", "model_benchmark_co_use", "most_compared_models", "introduced_per_paper", "recent_cutoff",
           "rising_entities", "type_counts", "METRICS", "compute_all", "write_scores", "analytics_graph_iri",
           "ego_graph", "find_entity"]
