"""``kg build``: the main job -- read, extract, map to RDF, store, validate with SHACL, export."""
from __future__ import annotations

import sys

from ..build import BuildSummary, run_build
from ..errors import require_path
from ..export import EXPORTERS

NAME = "build"
ORDER = 20
HELP = "build the knowledge graph: extract, map to RDF, store, validate, export"
DESCRIPTION = """Build the knowledge graph from paper listings (default: the bundled sample corpus).

read -> extract -> map to RDF (one named graph per paper) -> Oxigraph store (OUT/store) -> SHACL
validation -> exports (OUT/graph.ttl by default, OUT/extractions.jsonl, OUT/build.ttl) -> analytics:
OUT/report.html and report.md (centrality, communities, lineage, co-use), OUT/stats.json, and the
offline viewer OUT/graph.html.
Building a paper again replaces its graph in the store; other papers already there are kept
(use --fresh to start from an empty store), and OUT/extractions.jsonl holds the records of every paper
in the store, so the store can be rebuilt from it. If the graph breaks a SHACL constraint, the violations
are printed, nothing is exported, the store is left as it was, and the exit code is 2.

examples:
  kg build
  kg build papers.jsonl arxiv.xml --out outputs --format turtle --format jsonld
  kg build --extractions outputs/extractions.jsonl --fresh
  kg build --base-iri https://example.org/kg/ --no-progress"""


def add_arguments(p) -> None:
    from .extract import add_input_arguments

    add_input_arguments(p)
    p.add_argument("-o", "--out", dest="out_dir", metavar="DIR", default=None,
                   help="output directory (default: outputs)")
    p.add_argument("--base-iri", default=None, metavar="IRI",
                   help="base of every minted IRI, an http(s) IRI ending in '/' (default: "
                        "https://w3id.org/llmkg/resource/); a store keeps one base: change it with --fresh")
    p.add_argument("--format", dest="formats", action="append", choices=sorted(EXPORTERS), default=None,
                   metavar="FMT", help=f"export format, repeatable ({', '.join(EXPORTERS)}; default: turtle)")
    p.add_argument("--fresh", action="store_true", help="empty the store before building")
    p.add_argument("--extractions", metavar="FILE", default=None,
                   help="map records from an extractions.jsonl (kg extract output) instead of extracting")


def print_summary(summary: BuildSummary, stream=None) -> None:
    stream = stream or sys.stdout
    print("kg build: done", file=stream)
    for line in summary.lines():
        print("  " + line, file=stream)


def run(args, config) -> int:
    for spec in args.inputs:
        require_path(spec, "an input path")
    require_path(args.extractions, "the --extractions path")
    require_path(args.out_dir, "the --out path")
    config = config.with_overrides(out_dir=args.out_dir, base_iri=args.base_iri, formats=args.formats,
                                   workers=args.workers, min_confidence=args.min_confidence,
                                   progress=args.progress)
    summary = run_build(args.inputs, config, fresh=args.fresh, fmt=args.input_format,
                        extractions_file=args.extractions)
    print_summary(summary)
    return 0
