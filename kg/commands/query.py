"""``kg query``: run SPARQL (a string, a .rq file or a catalogue name) against the store and print the answer."""
from __future__ import annotations

import sys
import textwrap

from ..errors import QueryError, QuerySyntaxError
from ..query import (OUTPUT_FORMATS, default_prefixes, execute, format_table, load_catalogue, parse_bindings,
                     query_file, resolve, serialize_results, turtle_prefixes)
from ..store import GraphStore

NAME = "query"
ORDER = 30
HELP = "run a SPARQL query (string, .rq file or catalogue name) on the built graph"
DESCRIPTION = """Run a SPARQL 1.1 query on the store written by kg build (OUT/store).

QUERY is a catalogue name (see --list), a .rq file, the query text itself, or - to read the query
from stdin. The default graph is the union of all paper graphs (GRAPH ?g { ... } reaches one paper's
graph), unless the query names its own dataset with FROM / FROM NAMED. SERVICE clauses (federated
query) are refused unless --allow-service is given, as they make kg fetch remote URLs. Common prefixes
(kgo: skos: dcterms: prov: schema: rdf: rdfs: xsd: model: paper: benchmark: ...) need no PREFIX line.
SELECT prints a table, or SPARQL results as --format json|xml|csv|tsv; ASK prints true/false;
CONSTRUCT and DESCRIBE print Turtle, or JSON-LD with --format json, RDF/XML with --format xml.

examples:
  kg query --list
  kg query most-evaluated-benchmarks
  kg query model-lineage --bind "name=Tulu 2"
  kg query edge-evidence --bind s=model:GLM-4 --format csv
  kg query 'SELECT ?m WHERE { ?m a kgo:Model } LIMIT 5'
  kg query my-query.rq --format json
  cat my-query.rq | kg query -"""


def _width(text: str) -> int:
    import argparse
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of characters") from None
    if n < 0 or 0 < n < 4:
        raise argparse.ArgumentTypeError(f"{n} is too narrow: give 4 or more characters, or 0 for no cut")
    return n


def add_arguments(p) -> None:
    p.add_argument("query", nargs="?", help="catalogue name, .rq file, SPARQL text, or - to read it from stdin")
    p.add_argument("--list", action="store_true", help="list the catalogue of shipped queries")
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table",
                   help="SELECT output: table (default), json, xml, csv, tsv; for a CONSTRUCT or DESCRIBE "
                        "graph: json (JSON-LD) or xml (RDF/XML) instead of Turtle")
    p.add_argument("--bind", action="append", default=[], metavar="VAR=VALUE",
                   help="fix a projected variable: a string, <iri> or prefix:name (repeatable)")
    p.add_argument("--out", dest="out_dir", metavar="DIR", default=None,
                   help="directory of the build whose store to query (default: outputs)")
    p.add_argument("--width", type=_width, default=70, help="cut table cells to this many characters (0: no cut)")
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE clauses query remote SPARQL endpoints over the network (refused by default)")


def print_catalogue(stream=None) -> None:
    stream = stream or sys.stdout
    cat = load_catalogue()
    width = max(len(n) for n in cat)
    for name, q in cat.items():
        lines = textwrap.wrap(q.description, 100 - width - 4) or [""]
        print(f"{name.ljust(width)}  {lines[0]}", file=stream)
        for line in lines[1:]:
            print(f"{' ' * width}  {line}", file=stream)
        for var, what in q.binds:
            print(f"{' ' * width}    --bind {var}=...  {what}", file=stream)


def run(args, config) -> int:
    if args.list:
        print_catalogue()
        return 0
    if not args.query:
        raise QueryError("no query given", "pass a catalogue name (kg query --list), a .rq file or SPARQL text")
    config = config.with_overrides(out_dir=args.out_dir)
    catalogue = load_catalogue()
    text, _name = resolve(args.query, catalogue)
    path = query_file(args.query, catalogue)
    try:
        return _run(args, config, text)
    except QuerySyntaxError as exc:  # say where the text came from: a .jsonl given by mistake is no query
        if args.query == "-":
            raise QueryError(f"the query on stdin: {exc.message}", exc.fix) from exc
        if path is None:
            raise
        if path.suffix in (".rq", ".sparql"):
            raise QueryError(f"{path}: {exc.message}", exc.fix) from exc
        raise QueryError(f"{path} was read as a SPARQL query and does not parse as one ({exc.reason})",
                         "give a .rq file of SPARQL, a catalogue name or the query text; kg build reads listings"
                         ) from exc


def _run(args, config, text: str) -> int:
    with GraphStore(config.store_path, read_only=True) as store:
        config = config.with_overrides(base_iri=store.detect_base(config.base_iri))
        prefixes = default_prefixes(config.base_iri)
        bindings = parse_bindings(args.bind, prefixes)
        if args.format != "table":
            out = serialize_results(store, text, args.format, bindings=bindings, base=config.base_iri,
                                    allow_service=args.allow_service)
            sys.stdout.buffer.write(out)
            if not out.endswith(b"\n"):
                sys.stdout.buffer.write(b"\n")
            return 0
        result = execute(store, text, bindings=bindings, base=config.base_iri, allow_service=args.allow_service)
        if result.kind == "graph":
            from pyoxigraph import RdfFormat, serialize
            from ..export import stable_prefix_header
            tp = turtle_prefixes(config.base_iri)
            data = serialize(sorted(result.triples, key=str), format=RdfFormat.TURTLE, prefixes=tp)
            sys.stdout.buffer.write(stable_prefix_header(data, tp))
            return 0
        print(format_table(result, prefixes, args.width or None))
    return 0
