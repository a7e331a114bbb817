"""The last stage of ``kg build``: store -> projection -> metrics -> report, stats, viewer, annotations.

``write_insights(store, config)`` is the one call the build makes after its exports. It projects the
store onto NetworkX (:mod:`kg.analytics`), runs every registered metric once, writes
``report.html``, ``report.md`` and ``stats.json`` (:mod:`kg.report`) and ``graph.html``
(:mod:`kg.viewer`) into ``config.out_dir``, and stores PageRank, degree centrality, community and
paper counts as ``kgo:`` annotations in ``<base>graph/analytics`` so SPARQL can sort by them.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from . import analytics, report, viewer
from .config import Config


def write_insights(store: Any, config: Config, *, annotate: bool = True) -> dict[str, Any]:
    """Compute the analytics of the graph in ``store`` and write every insight output.

    Parameters
    ----------
    store : kg.store.GraphStore or pyoxigraph.Store
        The built store (writable if ``annotate``).
    config : kg.config.Config
        ``out_dir`` receives the files, ``viewer_top_n`` sets the viewer's first view, ``base_iri``
        names the analytics graph.
    annotate : bool, default True
        Also write the scores into the store.

    Returns
    -------
    dict
        ``outputs`` (name -> path), ``nodes``, ``edges``, ``communities``, ``annotations`` (quads
        written), ``viewer_initial_nodes`` and ``timings`` (seconds per step).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    G = analytics.project(store)
    timings["project"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    metrics = analytics.compute_all(G)
    timings["metrics"] = time.perf_counter() - t0
    out_dir = Path(config.out_dir)
    t0 = time.perf_counter()
    outputs: dict[str, Path] = dict(report.write_report(G, metrics, out_dir))
    timings["report"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    view = viewer.write_viewer(G, out_dir / "graph.html", metrics=metrics, top_n=config.viewer_top_n,
                               title="LLM literature knowledge graph")
    outputs["viewer"] = view.path
    timings["viewer"] = time.perf_counter() - t0
    written = 0
    if annotate:
        t0 = time.perf_counter()
        raw = getattr(store, "raw", store)
        written = analytics.write_scores(raw, G, pagerank=metrics["pagerank"], degree=metrics["degree"],
                                         community=metrics["communities"], base_iri=config.base_iri)
        timings["annotate"] = time.perf_counter() - t0
    return {"outputs": outputs, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "communities": len(set(metrics["communities"].values())), "annotations": written,
            "viewer_initial_nodes": view.initial_nodes, "timings": timings}


__all__ = ["write_insights"]
