"""Query benchmark: every catalogue query on Oxigraph vs rdflib's in-memory engine, on a graph of >= 1M triples.

The graph is synthetic but built from real records: the bundled seed pages are extracted once with the
real pipeline, then mapped again and again as "copies" (copy k gets new paper ids, and its models,
methods and repositories get a ``-s{k}`` suffix, so the graph grows in papers *and* entities, while
benchmarks, datasets, tasks, metrics and organizations stay shared, as they are in the literature).
Everything goes through the same mapping and store layout as ``kg build`` (one named graph per paper,
the merged default graph).

Each catalogue query is timed on:
  * Oxigraph at the seed size (one copy)      -- target: under 100 ms each
  * Oxigraph at >= 1M triples                 -- target: under 2 s each
  * rdflib (in memory) on the same >= 1M triples, each query in a forked child with a time limit
    (``--rdflib-timeout``); a query that does not finish is reported as ``>N s``.

Run:  python benchmarks/query_bench.py [--target 1000000] [--rdflib-timeout 20] [--no-rdflib]
Prints one table, and the ratio rdflib / Oxigraph per query.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg.config import Config  # noqa: E402
from kg.query import load_catalogue  # noqa: E402
from kg.records import Extraction  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from ontology.mapping import Mapper  # noqa: E402

RENAMED = {"model", "method", "repo"}


def seed_extractions() -> list[Extraction]:
    from kg.pipeline import extract
    from kg.sources import bundled_corpus, read_sources

    papers = read_sources([str(p) for p in bundled_corpus()]).papers
    return list(extract(papers, Config()))


def variant(ext: Extraction, k: int) -> Extraction:
    """Copy ``k`` of a paper: new id; its models, methods and repos renamed; shared things kept."""
    if k == 0:
        return ext
    names = {e.name: f"{e.name}-s{k}" for e in ext.entities if e.type in RENAMED}
    for e in ext.entities:
        if e.type in RENAMED:
            for a in e.aliases:
                names.setdefault(a, f"{a}-s{k}")
    pid = f"{ext.paper.id}~s{k}"
    ents = tuple(replace(e, name=names.get(e.name, e.name), aliases=tuple(names.get(a, a) for a in e.aliases))
                 for e in ext.entities)
    rels = tuple(replace(r, subject=pid if r.subject == ext.paper.id else names.get(r.subject, r.subject),
                         object=names.get(r.object, r.object)) for r in ext.relations)
    return Extraction(paper=replace(ext.paper, id=pid), entities=ents, relations=rels)


def fill(store: GraphStore, exts: list[Extraction], copies: int) -> None:
    mapper = Mapper()
    batch: list[ox.Quad] = []
    for k in range(copies):
        for ext in exts:
            batch.extend(mapper.map(variant(ext, k)).quads)
        if len(batch) > 500_000:
            store.bulk_add(batch)
            batch = []
    if batch:
        store.bulk_add(batch)
    # the merged default graph, as GraphStore.replace_graph maintains it during kg build
    store.raw.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def time_oxigraph(store: GraphStore, text: str, repeat: int = 3) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = store.query(text)
        n = 1 if isinstance(res, (bool, ox.QueryBoolean)) else sum(1 for _ in res)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


_RDFLIB_GRAPH = None


def _rdflib_child(text: str, conn) -> None:
    t0 = time.perf_counter()
    res = _RDFLIB_GRAPH.query(text)
    n = len(list(res)) if res.type != "ASK" else 1
    conn.send((time.perf_counter() - t0, n))
    conn.close()


def time_rdflib(text: str, timeout: float) -> tuple[float | None, int | None]:
    """Run in a forked child (it shares the loaded graph copy-on-write) so a slow query can be stopped."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_rdflib_child, args=(text, child))
    p.start()
    child.close()
    if parent.poll(timeout):
        elapsed, n = parent.recv()
        p.join()
        return elapsed, n
    p.kill()
    p.join()
    return None, None


def fmt_s(t: float | None, limit: float) -> str:
    if t is None:
        return f">{limit:g} s"
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", type=int, default=1_000_000, help="minimum number of triples (default 1M)")
    ap.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds per rdflib query (default 20)")
    ap.add_argument("--no-rdflib", action="store_true", help="time Oxigraph only")
    args = ap.parse_args(argv)
    catalogue = load_catalogue()

    t0 = time.perf_counter()
    exts = seed_extractions()
    print(f"seed: {len(exts)} papers extracted in {time.perf_counter() - t0:.1f} s", flush=True)

    seed = GraphStore()
    fill(seed, exts, 1)
    seed_triples = seed.count_triples()
    print(f"seed graph: {seed_triples:,} triples", flush=True)
    seed_times = {name: time_oxigraph(seed, q.text) for name, q in catalogue.items()}

    copies = max(1, -(-args.target // seed_triples))
    while True:
        big = GraphStore()
        t0 = time.perf_counter()
        fill(big, exts, copies)
        triples = big.count_triples()
        if triples >= args.target:
            break
        copies = int(copies * args.target / triples) + 1
    papers = len(big.paper_graphs("https://w3id.org/llmkg/resource/"))
    print(f"big graph: {copies} copies, {papers:,} papers, {triples:,} triples ({len(big):,} quads) "
          f"mapped and loaded into Oxigraph in {time.perf_counter() - t0:.1f} s", flush=True)
    big_times = {name: time_oxigraph(big, q.text) for name, q in catalogue.items()}

    rd_times: dict[str, tuple[float | None, int | None]] = {}
    if not args.no_rdflib:
        import rdflib
        global _RDFLIB_GRAPH
        t0 = time.perf_counter()
        nt = ox.serialize(big.raw.quads_for_pattern(None, None, None, ox.DefaultGraph()),
                          format=ox.RdfFormat.N_QUADS)
        g = rdflib.Graph()
        g.parse(data=nt, format="nt")
        del nt
        _RDFLIB_GRAPH = g
        print(f"rdflib: loaded the same {len(g):,} triples in {time.perf_counter() - t0:.1f} s", flush=True)
        for name, q in catalogue.items():
            rd_times[name] = time_rdflib(q.text, args.rdflib_timeout)
            print(f"  rdflib {name}: {fmt_s(rd_times[name][0], args.rdflib_timeout)}", flush=True)

    print()
    size = f"{triples / 1e6:.1f}M" if triples >= 1e6 else f"{triples / 1e3:.0f}k"  # the graph measured
    head = f"{'query':<27} {'rows':>8} {'oxigraph seed':>14} {'oxigraph ' + size:>12} {'rdflib ' + size:>11} {'ratio':>9}"
    print(head)
    print("-" * len(head))
    worst_seed = worst_big = 0.0
    for name in catalogue:
        s_t, _ = seed_times[name]
        b_t, rows = big_times[name]
        worst_seed, worst_big = max(worst_seed, s_t), max(worst_big, b_t)
        r_t, r_rows = rd_times.get(name, (None, None))
        if args.no_rdflib:
            rd, ratio = "-", "-"
        elif r_t is None:
            rd, ratio = fmt_s(None, args.rdflib_timeout), f">{args.rdflib_timeout / b_t:,.0f}x"
        else:
            rd, ratio = fmt_s(r_t, 0), f"{r_t / b_t:,.0f}x"
            if r_rows != rows:
                ratio += f" (rows {r_rows})"
        print(f"{name:<27} {rows:>8,} {fmt_s(s_t, 0):>14} {fmt_s(b_t, 0):>12} {rd:>11} {ratio:>9}")
    print()
    print(f"slowest on the seed graph ({seed_triples:,} triples): {fmt_s(worst_seed, 0)} (target < 100 ms)")
    print(f"slowest at {triples:,} triples: {fmt_s(worst_big, 0)} (target < 2 s)")
    return 0 if worst_seed < 0.1 and worst_big < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
