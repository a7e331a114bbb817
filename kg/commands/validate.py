"""``kg validate``: check the built graph (or an RDF file) against the SHACL shapes and print what is wrong."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, ValidationFailed, require_path
from ..store import GraphStore
from ..validate import format_issues, validate_file, validate_store

NAME = "validate"
ORDER = 45
HELP = "check the graph against the SHACL shapes (pySHACL) and list violations in plain words"
DESCRIPTION = """Validate the graph of a build (OUT/store), or an RDF file, against ontology/shapes.ttl.

Each problem is printed on one line: the node, the property and what is wrong. Violations make the
exit code 2; warnings are printed but do not fail.

examples:
  kg validate
  kg validate outputs/graph.ttl
  kg validate --out other-build --all"""


def add_arguments(p) -> None:
    p.add_argument("file", nargs="?", help="an RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML)")
    p.add_argument("--out", dest="out_dir", metavar="DIR", default=None,
                   help="directory of the build whose store to validate (default: outputs)")
    p.add_argument("--all", action="store_true", help="print every issue (default: the first 50)")


def run(args, config) -> int:
    require_path(args.file, "the RDF file path")
    require_path(args.out_dir, "the --out path")
    config = config.with_overrides(out_dir=args.out_dir)
    if args.file:
        if Path(args.file).is_dir():
            raise InputError(f"{args.file}: is a folder, not an RDF file",
                             f"give one file (e.g. {Path(args.file) / 'graph.ttl'}), or --out {args.file} to validate "
                             "the store of the build there")
        if not Path(args.file).is_file():
            raise InputError(f"{args.file}: no such file", "give an RDF file, or no argument to validate the store")
        report = validate_file(args.file, base=config.base_iri)  # (a file that does not parse: InputError)
        what = args.file
    else:
        with GraphStore(config.store_path, read_only=True) as store:
            report = validate_store(store, base=store.detect_base(config.base_iri))
        what = str(config.store_path)
    if not report.triples:  # (nothing to check is no graph that conforms)
        raise InputError(f"{what} holds no triples; there is no graph to validate",
                         "give a graph file kg wrote (e.g. outputs/graph.ttl)" if args.file else
                         "run kg build first, or give --out DIR of a build")
    for line in format_issues(report.issues, None if args.all else 50):
        print(line)
    if not report.conforms:
        raise ValidationFailed(f"{what}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s) "
                               f"in {report.triples} triples", "see the lines above")
    print(f"{what}: conforms ({report.triples} triples, {len(report.warnings)} warning(s))")
    return 0
