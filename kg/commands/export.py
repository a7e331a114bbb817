"""``kg export``: write the built graph in another format (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML,
GraphML, CSV)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ExportError, require_path
from ..export import EXPORTERS, default_filename, export
from ..store import GraphStore

NAME = "export"
ORDER = 40
HELP = "export the built graph as turtle, ntriples, nquads, trig, jsonld, rdfxml, graphml or csv"
DESCRIPTION = """Export the graph held in the store of a build (OUT/store).

Formats:
""" + "\n".join(f"  {e.name:<9} .{e.extension:<8} {e.description}" for e in EXPORTERS.values()) + """

Files are deterministic (sorted), so the same store always gives the same bytes. The build record
(PROV-O, changes every build) is included only with --with-build, the analytics scores of each entity
(kgo:pagerank, kgo:degreeCentrality, kgo:community, kgo:papersCount: what kg serve and kg query see) only with
--with-analytics.

examples:
  kg export --format jsonld                 # writes outputs/graph.jsonld
  kg export --format trig --format csv
  kg export -o graph.nt                     # the format follows the extension
  kg export --format ntriples -o - | wc -l"""


def add_arguments(p) -> None:
    p.add_argument("--format", dest="formats", action="append", choices=list(EXPORTERS), default=None,
                   metavar="FMT", help=f"one of {', '.join(EXPORTERS)} (repeatable; default: the formats setting "
                        "of kg.toml, else turtle)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="output file, '-' for stdout (one format only; default: OUT/graph.EXT); without --format, "
                        "the file's extension chooses it (.nt, .jsonld, ...)")
    p.add_argument("--out", dest="out_dir", metavar="DIR", default=None,
                   help="directory of the build (store and default output place; default: outputs)")
    p.add_argument("--with-build", action="store_true", help="include the build's PROV-O record")
    p.add_argument("--with-analytics", action="store_true",
                   help="include the analytics scores of each entity (the store's graph/analytics)")


# file extensions beyond each format's own that name it ("graph.json" for JSON-LD, "graph.xml" for RDF/XML)
_MORE_EXTENSIONS = {"json": "jsonld", "owl": "rdfxml", "xml": "rdfxml", "rdfxml": "rdfxml", "ntriples": "ntriples",
                    "nquads": "nquads", "turtle": "turtle"}


def format_of(path: str) -> str | None:
    """The export format a file name's extension names (``None``: it names none)."""
    ext = Path(path).suffix.lower().lstrip(".")
    by_ext = {e.extension: name for name, e in EXPORTERS.items()}
    return by_ext.get(ext) or _MORE_EXTENSIONS.get(ext)


def run(args, config) -> int:
    config = config.with_overrides(out_dir=args.out_dir)
    if args.output and args.formats and len(args.formats) > 1:
        raise ExportError("-o/--output takes one format, but several were given",
                          "drop -o to write OUT/graph.EXT for each format")
    require_path(args.output, "the -o path")
    require_path(args.out_dir, "the --out path")
    named = format_of(args.output) if args.output and args.output != "-" else None
    if args.output and args.output != "-" and not named and not args.formats and not Path(args.output).is_dir():
        known = sorted({e.extension for e in EXPORTERS.values()} | set(_MORE_EXTENSIONS))
        ext = Path(args.output).suffix
        what = f"the extension {ext!r} names no export format" if ext else "no extension to choose the format by"
        raise ExportError(f"-o {args.output}: {what}", f"name the file with one of .{', .'.join(known)}, or give "
                                                       "--format FMT")
    if args.formats and named and args.formats != [named]:
        raise ExportError(f"-o {args.output} names the {named} format, but --format {args.formats[0]} was given",
                          f"name the file graph.{EXPORTERS[args.formats[0]].extension}, or drop --format")
    # as kg build: --format, else the formats setting of the config file (turtle unless it says otherwise)
    formats = args.formats or ([named] if named else list(config.formats))
    if args.output and len(formats) > 1:
        raise ExportError(f"-o/--output takes one format, but the config file's formats setting gives {len(formats)} "
                          f"({', '.join(formats)})", "give --format FMT, or drop -o to write OUT/graph.EXT for each")
    with GraphStore(config.store_path, read_only=True) as store:
        config = config.with_overrides(base_iri=store.detect_base(config.base_iri))
        for fmt in formats:
            if args.output == "-":
                sys.stdout.buffer.write(export(store, fmt, base=config.base_iri, with_build=args.with_build,
                                               with_analytics=args.with_analytics))
                continue
            path = Path(args.output) if args.output else Path(config.out_dir) / default_filename(fmt)
            export(store, fmt, path, base=config.base_iri, with_build=args.with_build,
                   with_analytics=args.with_analytics)
            print(f"wrote {path}", file=sys.stderr)
    return 0
