"""``kg view ENTITY``: write the ego network of one entity (from the built store) as an offline viewer page."""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from ..errors import QueryError, StoreError, did_you_mean, require_path

NAME = "view"
ORDER = 35
HELP = "write an interactive page of one entity's neighbourhood (ego network)"
DESCRIPTION = """Write the ego network of one entity as a self-contained HTML page (works offline).

ENTITY is a canonical name, an alias (case-insensitive) or the entity's IRI. The page holds every
node within --radius hops of it (papers count as hops: with the default radius 1 you see the papers
that mention it and the entities it is directly related to; radius 2 adds what those papers also
use). It opens with the entity selected and its details shown: names, papers, evidence sentences.

examples:
  kg view GPT-4
  kg view "Llama 2" --radius 2 --out llama2.html
  kg view https://w3id.org/llmkg/resource/benchmark/MMLU --no-papers"""


def add_arguments(p) -> None:
    p.add_argument("entity", metavar="ENTITY", help="canonical name, alias or IRI of the entity")
    p.add_argument("--out", dest="out_file", metavar="FILE", default=None,
                   help="HTML file to write (default: OUT/view-<name>.html; a name that is not a plain file "
                        "name, or that several entities share, gets a short hash: view-RETRO-1a2b3c.html)")
    p.add_argument("--radius", type=int, default=1, metavar="N", help="hops around the entity (default: 1)")
    p.add_argument("--no-papers", action="store_true",
                   help="leave papers out: entities and their direct relations only")
    p.add_argument("--build-dir", dest="out_dir", metavar="DIR", default=None,
                   help="directory of the build whose store to read (default: outputs)")


def _file_name(label: str, node: str, shared: bool) -> str:
    """``view-<name>.html``; where the name is not kept whole in the file name (``RETRO++``, ``Llama 2``, a long
    name) or names several entities (model and dataset ``Alpaca``), a short hash of the entity's IRI keeps the
    pages of two entities apart."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.")[:60]
    if slug == label and not shared:
        return f"view-{slug}.html"
    return f"view-{slug or 'entity'}-{hashlib.sha1(node.encode('utf-8')).hexdigest()[:6]}.html"


def run(args, config) -> int:
    from .. import analytics, viewer
    from ..store import GraphStore

    require_path(args.out_dir, "the --build-dir path")
    config = config.with_overrides(out_dir=args.out_dir)
    if args.radius < 1:
        raise QueryError(f"--radius {args.radius} is too small", "give 1 or more hops")
    if not Path(config.store_path).exists():
        raise StoreError(f"no store at {config.store_path}", "run kg build first, or pass --build-dir DIR of a build")
    with GraphStore(config.store_path, read_only=True) as store:
        full = analytics.project(store)  # the whole graph, as the build scored it
        stored = analytics.read_scores(store)
    G = full if not args.no_papers else \
        full.subgraph([n for n, d in full.nodes(data=True) if d.get("type") != "paper"]).copy()
    found = analytics.find_entity(G, args.entity)
    entities = [n for n in found if G.nodes[n].get("type") != "paper"] or found
    if not entities:
        labels = {str(d.get("label", n)): n for n, d in G.nodes(data=True) if d.get("type") != "paper"}
        close = did_you_mean(args.entity, labels)
        hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
            "check the spelling, or list entities with: kg query 'SELECT ?l WHERE { ?e skos:prefLabel ?l }'"
        raise QueryError(f"no entity named {args.entity!r} in the store at {config.store_path}", hint)
    exact = [n for n in entities if str(G.nodes[n].get("label", "")).casefold() == args.entity.casefold()]
    if len(exact) > 1:
        raise QueryError(f"{args.entity!r} names {len(exact)} entities: "
                         + ", ".join(f"{n} ({G.nodes[n].get('type')})" for n in exact),
                         "pass the IRI of the one you mean")
    center = (exact or entities)[0]
    ego = analytics.ego_graph(G, center, radius=args.radius)
    label = str(G.nodes[center].get("label", center))
    shared = sum(1 for n, d in full.nodes(data=True) if d.get("type") != "paper" and str(d.get("label", "")) == label)
    out = Path(args.out_file) if args.out_file else Path(config.out_dir) / _file_name(label, str(center), shared > 1)
    # the page shows the whole graph's scores (what the report and kg query show), not the neighbourhood's
    pr, deg = analytics.pagerank(full), analytics.degree_centrality(full)
    metrics = {"pagerank": {v: pr.get(v, 0.0) for v in ego}, "degree": {v: deg.get(v, 0.0) for v in ego},
               "communities": analytics.communities(ego)}  # (this one only groups the page's layout)
    result = viewer.write_viewer(ego, out, top_n=max(config.viewer_top_n, 1), focus=center, metrics=metrics,
                                 shown_community={v: c for v, c in stored["community"].items() if v in ego},
                                 title=f"{label} \u2014 {args.radius}-hop neighbourhood")
    print(f"kg view: wrote {result.path} ({result.nodes} nodes, {result.edges} edges around "
          f"{label} [{G.nodes[center].get('type')}], radius {args.radius})")
    if not ego.number_of_edges():  # (a page of one dot: say why)
        why = f"{label} links only to papers; drop --no-papers to see them" if args.no_papers and full.degree(center) \
            else f"{label} has no links in the graph"
        print(f"kg view: note: {why}", file=sys.stderr)
    return 0
