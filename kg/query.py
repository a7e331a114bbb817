"""SPARQL over the store (the query stage of the flow): the catalogue, running a query, printing results.

The catalogue is a registry of ``kg/queries/*.rq`` files. Each file opens with a comment header::

    # name: model-lineage
    # description: Lineage of models ...
    #   (continued description lines are indented)
    # bind: name - canonical name of the model

``bind`` lines name the projected variables a user may fix with ``--bind VAR=VALUE`` (SEP-0007
substitution). Adding a query is adding a file. Results print as an aligned table, or as the standard
SPARQL JSON / XML / CSV / TSV results; CONSTRUCT and DESCRIBE print Turtle (or JSON-LD, RDF/XML).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples,
                        RdfFormat, Triple, Variable, serialize)

from .errors import QueryError, did_you_mean
from .store import GraphStore, query_variables
from ontology.iri import IRIMinter, encode_char, slug
from ontology.namespaces import PREFIXES

RESULT_FORMATS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                  "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
GRAPH_FORMATS = {"json": RdfFormat.JSON_LD, "xml": RdfFormat.RDF_XML}  # a CONSTRUCT or DESCRIBE graph
OUTPUT_FORMATS = ("table",) + tuple(RESULT_FORMATS)
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    description: str
    text: str
    path: Path
    binds: tuple[tuple[str, str], ...] = ()  # (variable, what to give)


def parse_header(text: str, path: Path) -> CatalogueQuery:
    meta: dict[str, str] = {}
    binds: list[tuple[str, str]] = []
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:]
        m = re.match(r"\s*(name|description|bind):\s*(.*)$", body)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "bind":
                var, _, what = value.partition(" - ")
                binds.append((var.strip().lstrip("?$"), what.strip()))
                last = None
            else:
                meta[key] = value
                last = key
        elif last and body.startswith("  "):
            meta[last] += " " + body.strip()
    if "name" not in meta or "description" not in meta:
        raise QueryError(f"{path}: catalogue query has no '# name:' and '# description:' header",
                         "start the .rq file with both comment lines")
    return CatalogueQuery(meta["name"], meta["description"], text, path, tuple(binds))


def catalogue_dir() -> Path:
    return Path(str(resources.files("kg") / "queries"))


def load_catalogue(directory: str | Path | None = None) -> dict[str, CatalogueQuery]:
    """Every shipped query, by name, in name order."""
    folder = Path(directory) if directory else catalogue_dir()
    out: dict[str, CatalogueQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        q = parse_header(path.read_text(encoding="utf-8"), path)
        if q.name in out:
            raise QueryError(f"two catalogue queries are named {q.name!r} ({out[q.name].path.name}, {path.name})",
                             "rename one of them")
        out[q.name] = q
    return out


def _is_file(path: Path) -> bool:
    """``path.is_file()``, but a text no file can be named (too long: ENAMETOOLONG, ...) is simply not a file."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # (ValueError: an embedded NUL byte)
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def query_file(arg: str, catalogue: dict[str, CatalogueQuery]) -> Path | None:
    """The file ``resolve`` reads a query argument from (``None``: a catalogue name, stdin or the query text)."""
    if arg in catalogue or arg == "-":
        return None
    if arg.endswith((".rq", ".sparql")) or (len(arg) < 4096 and "\n" not in arg and _is_file(Path(arg))):
        return Path(arg)
    return None


def read_stdin() -> str:
    """The query text piped in (``kg query -``), as other commands read ``-``."""
    pipe = "pipe the query in, e.g. echo 'ASK {}' | kg query -"
    if sys.stdin is None:
        raise QueryError("stdin is closed; there is no query to read", pipe)
    stream = getattr(sys.stdin, "buffer", None)
    try:
        text = stream.read().decode("utf-8-sig") if stream is not None else sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise QueryError(f"the query on stdin is not UTF-8 text ({exc.reason} at byte {exc.start})",
                         "pipe in UTF-8 text") from exc
    if not text.strip():
        raise QueryError("stdin holds no query (it is empty)", pipe)
    return text


def resolve(arg: str, catalogue: dict[str, CatalogueQuery] | None = None) -> tuple[str, str | None]:
    """A catalogue name, a ``.rq`` file, ``-`` (stdin) or a SPARQL string -> (query text, catalogue name or None)."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    if arg in catalogue:
        return catalogue[arg].text, arg
    if arg == "-":
        return read_stdin(), None
    path = Path(arg)
    if query_file(arg, catalogue) or (_NAME_RE.match(arg) and _is_dir(path)):
        if _is_dir(path):
            raise QueryError(f"{arg} is a folder, not a query file",
                             "give a .rq file inside it, a catalogue name or a query")
        if not _is_file(path):
            raise QueryError(f"query file {arg} not found", "give an existing .rq file, a catalogue name or a query")
        try:
            return path.read_text(encoding="utf-8"), None
        except UnicodeDecodeError as exc:
            raise QueryError(f"query file {arg} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                             "re-save it as UTF-8, or give a .rq file of SPARQL") from exc
    if _NAME_RE.match(arg):
        close = did_you_mean(arg, catalogue) or [n for n in catalogue if arg in n or n in arg]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"{arg!r} is not a catalogue query{hint}",
                         "see 'kg query --list', or give a SPARQL string or a .rq file")
    return arg, None


def default_prefixes(base: str | None = None) -> dict[str, str]:
    """Prefixes available in queries without declaring them (kgo:, skos:, model:, paper: ...)."""
    out = dict(PREFIXES)
    out.update(IRIMinter(base).prefixes() if base else IRIMinter().prefixes())
    return out


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_CUT_SLUG = re.compile(r"![0-9a-f]{20}$")


def parse_term(value: str, prefixes: dict[str, str]) -> NamedNode | Literal:
    """``<iri>`` or ``prefix:local`` -> IRI; anything else -> a plain string literal."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        try:
            return NamedNode(v[1:-1])
        except ValueError as exc:
            raise QueryError(f"--bind value {value!r} is not a valid IRI", "write it as <https://...>") from exc
    m = re.match(r"^([A-Za-z][\w-]*):(\S*)$", v)
    if m and m.group(1) not in prefixes and not v.startswith(("http:", "https:")):  # (no silent empty answer)
        raise QueryError(f"--bind value {value!r}: unknown prefix {m.group(1)}:",
                         f"use one of {', '.join(p + ':' for p in sorted(prefixes))}, an <iri>, or quote a string "
                         f"that holds a colon: --bind 'VAR=\"{v}\"'")
    if m and not v.startswith(("http:", "https:")):
        local = m.group(2)
        cut = _CUT_SLUG.search(local)
        if cut and not _ESCAPE.search(local):  # a cut slug as a table shows it: its kept part encoded, as minted
            local = "".join(encode_char(ch, "_") for ch in local[:cut.start()]) + cut.group()
        elif local and not _ESCAPE.search(local):
            local = slug(local, "--bind value")  # as tables show it ("model:RETRO++"): encoded as minted
        return NamedNode(prefixes[m.group(1)] + local)
    if v.startswith(("http://", "https://")):
        return NamedNode(v)
    if len(v) >= 2 and v[0] == v[-1] == '"':
        v = v[1:-1]
    return Literal(v)


def parse_bindings(pairs: Iterable[str], prefixes: dict[str, str]) -> dict[Variable, object]:
    out: dict[Variable, object] = {}
    for pair in pairs:
        var, sep, value = pair.partition("=")
        var = var.strip().lstrip("?$")
        if not sep or not var:
            raise QueryError(f"--bind {pair!r} is not VAR=VALUE", "write e.g. --bind name=Vicuna-7B")
        out[Variable(var)] = parse_term(value, prefixes)
    return out


@dataclass
class Result:
    """A finished query: ``kind`` is select | ask | graph."""

    kind: str
    variables: list[str]
    rows: list[list[object]]
    triples: list[Triple]
    boolean: bool | None = None


def _query(store: GraphStore, text: str, bindings: dict | None, base: str | None, allow_service: bool):
    prefixes = default_prefixes(base)
    try:
        return store.query(text, substitutions=bindings or None, prefixes=prefixes, allow_service=allow_service)
    except QueryError:
        if bindings:  # a --bind of a variable the query lacks is the error: say which it has
            check_bindings(store, text, bindings, prefixes, allow_service)
        raise


def check_bindings(store: GraphStore, text: str, bindings: dict, prefixes: dict[str, str],
                   allow_service: bool = False) -> None:
    """Refuse a binding of a variable the query cannot have fixed (a SELECT takes those it returns), naming the
    ones it can."""
    res = store.query(text, prefixes=prefixes, allow_service=allow_service)  # (a SELECT is not run: no rows read)
    names = [v.value for v in res.variables] if isinstance(res, QuerySolutions) else query_variables(text)
    for var in bindings:
        if var.value not in names:
            has = f"its variables are {', '.join('?' + n for n in names)}" if names else "it has none"
            raise QueryError(f"--bind {var.value}=...: the query has no variable ?{var.value} to bind; {has}",
                             "bind one of those (kg query --list shows what each catalogue query takes)")


def execute(store: GraphStore, text: str, *, bindings: dict | None = None, base: str | None = None,
            allow_service: bool = False) -> Result:
    """Run a query and materialise its answer (errors become one ``QueryError`` line)."""
    res = _query(store, text, bindings, base, allow_service)
    try:
        if isinstance(res, QueryBoolean) or isinstance(res, bool):
            return Result("ask", [], [], [], bool(res))
        if isinstance(res, QueryTriples):
            return Result("graph", [], [], list(res))
        variables = [v.value for v in res.variables]
        rows = [[sol[v] for v in variables] for sol in res]
        return Result("select", variables, rows, [])
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"the query failed while running: {' '.join(str(exc).split())}", "check the query") from exc


def serialize_results(store: GraphStore, text: str, fmt: str, *, bindings: dict | None = None,
                      base: str | None = None, allow_service: bool = False) -> bytes:
    """Standard SPARQL results (json, xml, csv, tsv) straight from the engine; a graph (CONSTRUCT, DESCRIBE)
    as JSON-LD for json, RDF/XML for xml (csv and tsv hold tables, not graphs)."""
    res = _query(store, text, bindings, base, allow_service)
    try:
        if isinstance(res, QueryTriples):
            if fmt not in GRAPH_FORMATS:
                raise QueryError(f"--format {fmt} is for SELECT and ASK results; this query gives a graph",
                                 "leave --format out for Turtle, or give --format json (JSON-LD) or xml (RDF/XML)")
            kw = {"prefixes": turtle_prefixes(base)} if fmt == "xml" else {}
            return serialize(sorted(res, key=str), format=GRAPH_FORMATS[fmt], **kw)
        return res.serialize(format=RESULT_FORMATS[fmt])
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"the query failed while running: {' '.join(str(exc).split())}", "check the query") from exc


def turtle_prefixes(base: str | None = None) -> dict[str, str]:
    keep = ("kgo", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "owl")
    out = {k: PREFIXES[k] for k in keep}
    out.update(IRIMinter(base).prefixes() if base else IRIMinter().prefixes())
    return out


def short(term: object, prefixes: dict[str, str], width: int | None = 70) -> str:
    """A term as a person reads it in a table: prefixed IRIs, bare literal text."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        best = None
        for p, ns in prefixes.items():
            if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
                best = p
        text = f"{best}:{unquote(iri[len(prefixes[best]):])}" if best else f"<{iri}>"
    elif isinstance(term, BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, Literal):
        text = term.value
    else:
        text = str(term)
    text = " ".join(text.split())
    if width and len(text) > width:
        text = text[: width - 1] + "\u2026"
    return text


def format_table(result: Result, prefixes: dict[str, str], width: int | None = 70) -> str:
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    cells = [[short(t, prefixes, width) for t in row] for row in result.rows]
    header = result.variables
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    n = len(cells)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)

