"""SHACL validation of the graph (between the store and the exports in the flow).

The data graph is the union of the paper graphs, handed to pySHACL together with ``ontology/shapes.ttl``
and the class hierarchy of ``ontology/kg.ttl`` (the shapes name the concrete classes, so they give the same
results without it).
Results come back as :class:`Issue` records that read as plain sentences: which node, which property,
what is wrong. SHACL-SPARQL constraints (``sh:sparql``, e.g. "every edge has an assertion") are evaluated
by Oxigraph over all focus nodes in one query each -- the same semantics as pySHACL's one-query-per-node
evaluation, which takes minutes on a 40k-triple graph -- while pySHACL checks every SHACL Core constraint.
``kg build`` refuses to publish exports when any issue has severity ``Violation``;
``Warning`` issues are printed but do not block.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.errors import ValidationFailed
from ontology.namespaces import PREFIXES

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_path(name: str = ONTOLOGY_FILE) -> Path:
    return Path(str(resources.files("ontology") / name))


@dataclass(frozen=True)
class Issue:
    """One SHACL result in plain words."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.focus + (f" {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value and self.value not in self.message \
            and self.value != self.focus else ""
        return f"{self.severity.lower()}: {where}: {self.message}{value}"


@dataclass
class Report:
    issues: list[Issue]
    triples: int

    @property
    def violations(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def _short(graph: rdflib.Graph, term: rdflib.term.Node | None, base: str | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        text = str(term)
        if base and text.startswith(base):
            return text[len(base):]
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"
    if isinstance(term, rdflib.Literal):
        s = str(term)
        return repr(s if len(s) <= 60 else s[:57] + "...")
    return "[blank node]"


def shorten_iris(text: str, base: str | None) -> str:
    """Write the IRIs inside a message the way a person reads them (``model/GPT-4``, ``kgo:outperforms``)."""
    def repl(m: re.Match) -> str:
        iri = m.group(0)
        if base and iri.startswith(base):
            return iri[len(base):]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri
    return re.sub(r"https?://[^\s<>\"{}|^`]+", repl, text)


@contextmanager
def quiet_literals():
    """rdflib logs a warning with a traceback for every literal whose lexical form does not fit its datatype
    (``"abc"^^xsd:integer``); here such a literal is a validation finding (``ill_typed_literals``), one line."""
    log = logging.getLogger("rdflib.term")
    was = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = was


def ill_typed_triples(data: Iterable[tuple]) -> list[tuple]:
    """The triples whose literal's lexical form is not one of its datatype (``"abc"^^xsd:integer``): no SPARQL
    filter, sort or export can read their value. (Datatypes rdflib does not know are not checked.)"""
    return [(s, p, o) for s, p, o in data if isinstance(o, rdflib.Literal) and o.ill_typed]


def ill_typed_issue(triple: tuple, base: str | None) -> Issue:
    s, p, o = triple
    dt = _short(None, o.datatype, None)
    return Issue("Violation", _short(None, s, base) or "?", _short(None, p, base), _short(None, o, base),
                 f"ill-typed literal: {_short(None, o, base)} is not a valid {dt} "
                 f"(write the value in the lexical form of {dt}, or give it another datatype)")


def load_shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ontology_path(SHAPES_FILE), format="turtle")
    return g


def load_ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ontology_path(ONTOLOGY_FILE), format="turtle")
    return g


@dataclass(frozen=True)
class SparqlConstraint:
    shape: rdflib.term.Node
    target: str  # a SPARQL pattern binding ?this to every focus node
    select: str
    message: str
    severity: str


def split_sparql_constraints(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """The shapes without their ``sh:sparql`` constraints, and those constraints ready to run at once."""
    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    out = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        select = str(shapes.value(constraint, SH.select))
        prefixes = []
        for decl_holder in shapes.objects(constraint, SH.prefixes):
            for decl in shapes.objects(decl_holder, SH.declare):
                prefixes.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
        targets = [f"{{ ?this a <{c}> }}" for c in shapes.objects(shape, SH.targetClass)]
        targets += [f"{{ ?this <{p}> [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
        targets += [f"{{ [] <{p}> ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
        targets += [f"{{ VALUES ?this {{ <{n}> }} }}" for n in shapes.objects(shape, SH.targetNode)]
        if not targets:
            continue
        sev = shapes.value(shape, SH.severity) or shapes.value(constraint, SH.severity)
        msg = shapes.value(constraint, SH.message)
        out.append(SparqlConstraint(shape, " UNION ".join(targets), "\n".join(prefixes) + "\n" + select,
                                    str(msg) if msg is not None else "does not satisfy its SPARQL constraint",
                                    str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"))
        for t in list(core.triples((constraint, None, None))):
            core.remove(t)
        core.remove((shape, SH.sparql, constraint))
    return core, out


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def lift_property_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes with each property shape of a targeted node shape given that node shape's targets instead.

    pySHACL checks a node shape's ``sh:property`` shapes once per focus node (119k shape evaluations on a
    117k-triple graph); a property shape with targets of its own is checked once for all its focus nodes,
    7x faster on the sample graph. The results are the same: a property shape reports with its own severity
    and message either way, and its focus nodes are the node shape's. A node shape is left as it is when its
    ``sh:property`` links mean more than that: when it is closed, deactivated, a class (an implicit target),
    named by another shape (``sh:node``, ``sh:not``, ``sh:or`` ...) or has qualified value shapes (siblings
    are found through the links); so is a property shape that several shapes share.
    """
    g = rdflib.Graph()
    for t in shapes:
        g.add(t)
    for node in sorted(set(g.subjects(SH.property, None))):
        props = sorted(g.objects(node, SH.property))
        targets = [(p, o) for p in _TARGETS for o in g.objects(node, p)]
        if not targets or (node, SH.closed, rdflib.Literal(True)) in g or \
                (node, SH.deactivated, rdflib.Literal(True)) in g or (node, RDF.type, RDFS.Class) in g or \
                (node, RDF.type, OWL.Class) in g or any(True for _ in g.subject_predicates(node)) or \
                any((p, SH.qualifiedValueShape, None) in g for p in props):
            continue
        for prop in props:
            if len(set(g.subjects(SH.property, prop))) != 1:
                continue
            for p, o in targets:
                g.add((prop, p, o))
            g.remove((node, SH.property, prop))
    return g


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.IGNORECASE)
_NOT_BGP = re.compile(r"\b(?:FILTER|OPTIONAL|UNION|MINUS|BIND|VALUES|GRAPH|SERVICE|EXISTS)\b|\{", re.IGNORECASE)
_IRI = re.compile(r"<[^<>\s]*>")
_VAR = re.compile(r"[?$](\w+)")
_CONSTANT = re.compile(r"<[^<>\s]*>|(?<![?$\w])[A-Za-z][\w\-]*:\w*|(?<![?$\w])a\b")


def _strip_filters(text: str) -> str:
    """``text`` without its ``FILTER (...)`` expressions (parentheses balanced)."""
    out, i = [], 0
    for m in re.finditer(r"\bFILTER\s*\(", text, re.IGNORECASE):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def not_exists_as_minus(where: str) -> str:
    """Rewrite ``FILTER NOT EXISTS { BGP }`` as ``MINUS { BGP }`` where the two mean the same, for Oxigraph.

    Oxigraph evaluates a ``NOT EXISTS`` group for each outer solution without joining on the outer bindings,
    so checking every focus node at once grows with the square of the graph (23 s on a 117k-triple graph);
    ``MINUS`` is a hash anti-join (0.05 s). The two agree when the filter closes the group (``MINUS`` sees
    only what comes before it, a filter the whole group), the rest of the group is a basic graph pattern
    with filters (so every variable it names is bound), and the inner part is a basic graph pattern sharing
    at least one variable with it. ``where`` is the group after ``WHERE``, braces included; anything else is
    returned unchanged. An inner part with no constant in it (``{ ?s ?p ?o }``) is left as ``NOT EXISTS``
    too: as ``MINUS`` it would read the whole graph. The shapes themselves keep ``NOT EXISTS``, since SHACL
    forbids ``MINUS`` in constraint queries.
    """
    found = list(_NOT_EXISTS.finditer(where))
    if len(found) != 1 or not where.startswith("{") or not where.endswith("}"):
        return where
    m = found[0]
    if where[m.end():-1].strip():
        return where
    outer = _strip_filters(where[1:m.start()])
    body = m.group(1)
    if _NOT_BGP.search(outer) or _NOT_BGP.search(body) or not _CONSTANT.search(body):
        return where
    if not set(_VAR.findall(_IRI.sub(" ", body))) & set(_VAR.findall(_IRI.sub(" ", outer))):
        return where
    return f"{where[:m.start()]}MINUS {{{body}}}{where[m.end():]}"


def run_sparql_constraints(store, constraints: list[SparqlConstraint], base: str | None) -> list[Issue]:
    """Evaluate each constraint once for all focus nodes (``$this`` left free, joined with the target)."""
    issues = []
    for c in constraints:
        query = c.select.replace("$this", "?this")
        head, brace, body = query.partition("{")
        body = not_exists_as_minus("{" + body.strip())[1:]
        query = f"{head}{brace} {{ SELECT DISTINCT ?this WHERE {{ {c.target} }} }} {body}"
        for row in store.query(query):
            msg = c.message
            for m in re.findall(r"\{[$?](\w+)\}", msg):
                term = row[m] if _has(row, m) else None
                msg = msg.replace("{$" + m + "}", _ox_short(term, base)).replace("{?" + m + "}", _ox_short(term, base))
            issues.append(Issue(c.severity, _ox_short(row["this"], base), None,
                                _ox_short(row["value"], base) if _has(row, "value") else None, msg))
    return issues


def _has(row, var: str) -> bool:
    try:
        return row[var] is not None
    except (KeyError, IndexError, ValueError):
        return False


def _ox_short(term, base: str | None) -> str:
    if term is None:
        return "?"
    value = getattr(term, "value", str(term))
    if type(term).__name__ == "NamedNode":
        return shorten_iris(value, base)
    return repr(value)


def validate_graph(data: rdflib.Graph, *, base: str | None = None, oxstore=None, owned: bool = False) -> Report:
    """Run the shapes over ``data`` and translate the results.

    ``oxstore`` is a pyoxigraph ``Store`` holding the same triples in its default graph (built from ``data``
    when not given); it evaluates the SHACL-SPARQL constraints. ``owned=True`` says the caller made ``data``
    for this call alone: the ontology is then added to it in place, instead of pySHACL copying the whole
    data graph to mix the ontology in (a third of the validation time on the sample graph).
    """
    with quiet_literals():
        return _validate_graph(data, base=base, oxstore=oxstore, owned=owned)


def _validate_graph(data: rdflib.Graph, *, base: str | None, oxstore, owned: bool) -> Report:
    from pyshacl import validate
    from pyoxigraph import RdfFormat, Store

    core, sparql = split_sparql_constraints(load_shapes())
    core = lift_property_shapes(core)
    n_data = len(data)
    # an ill-typed literal is a violation of its own, and is left out of the shape checks (pySHACL cannot compare
    # it: sh:lessThanOrEquals raised a TypeError), so it is said once, in one line
    ill = ill_typed_triples(data)
    if ill:
        if not owned:
            copy = rdflib.Graph()
            for t in data:
                copy.add(t)
            data, owned = copy, True
        for t in ill:
            data.remove(t)
        oxstore = None
    if oxstore is None:
        oxstore = Store()
        oxstore.load(data.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    if owned:
        for t in load_ontology():
            data.add(t)
        ont = None
    else:
        ont = load_ontology()
    _conforms, results, text = validate(data, shacl_graph=core, ont_graph=ont,
                                        inference="none", advanced=False, allow_warnings=True)
    if not isinstance(results, rdflib.Graph):  # pySHACL could not run the shapes at all
        raise ValidationFailed(f"the SHACL shapes could not be applied: {text.strip()}",
                               "fix ontology/shapes.ttl")
    issues = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        sev = results.value(r, SH.resultSeverity)
        severity = str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"
        msg = results.value(r, SH.resultMessage)
        path = results.value(r, SH.resultPath)
        issues.append(Issue(severity=severity, focus=_short(data, results.value(r, SH.focusNode), base) or "?",
                            path=_short(data, path, base) if isinstance(path, rdflib.URIRef) else None,
                            value=_short(data, results.value(r, SH.value), base),
                            message=shorten_iris(str(msg), base) if msg is not None else "does not satisfy its shape"))
    ill_issues = [ill_typed_issue(t, base) for t in ill]
    said = {(i.focus, i.path) for i in ill_issues}  # (a shape missing the value left out: already said)
    issues = [i for i in issues if (i.focus, i.path) not in said]
    issues += run_sparql_constraints(oxstore, sparql, base)
    issues += ill_issues
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    # two constraints of one shape failing on one value (a literal that is neither an IRI nor of the class)
    # read as the same line: it is said once
    issues = sorted(set(issues), key=lambda i: (order.get(i.severity, 3), i.focus, i.path or "", i.message,
                                                i.value or ""))
    return Report(issues=issues, triples=n_data)


def validate_ntriples(data: bytes | str, *, base: str | None = None) -> Report:
    from pyoxigraph import RdfFormat, Store

    g = rdflib.Graph()
    with quiet_literals():
        g.parse(data=data, format="nt")
    ox = Store()
    ox.load(data, format=RdfFormat.N_TRIPLES)
    return validate_graph(g, base=base, oxstore=ox, owned=True)


# the parser for each file extension (what kg export writes, and the usual names); any other: Turtle
RDF_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".nq": "nquads",
               ".nquads": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
               ".rdfxml": "xml", ".xml": "xml", ".owl": "xml", ".n3": "n3"}

_FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "nquads": "N-Quads", "trig": "TriG", "json-ld": "JSON-LD",
                 "xml": "RDF/XML", "n3": "N3"}


def _parse_error(exc: Exception) -> str:
    """What a parser says is wrong, in one line (rdflib's Turtle errors quote the text as Python bytes)."""
    why = getattr(exc, "_why", None)  # (notation3.BadSyntax: the line and the reason)
    if why is not None and isinstance(getattr(exc, "lines", None), int):
        return f"line {exc.lines + 1}: {why}"
    if hasattr(exc, "getLineNumber") and hasattr(exc, "getMessage"):  # (SAX, for RDF/XML)
        return f"line {exc.getLineNumber()}: {exc.getMessage()}"
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def read_rdf_file(path: str | Path) -> rdflib.Graph:
    """The triples of an RDF file, its format chosen by the extension (``RDF_FORMATS``; Turtle when unknown); the
    quads of TriG and N-Quads are merged. Raises ``InputError`` (one line, naming the file) when it does not parse."""
    from .errors import InputError

    g = rdflib.Graph()
    fmt = RDF_FORMATS.get(Path(path).suffix.lower(), "turtle")
    try:
        with quiet_literals():  # (an ill-typed literal is reported by the validation, in one line)
            if fmt in ("trig", "nquads"):
                ds = rdflib.Dataset()
                ds.parse(str(path), format=fmt)
                for s, p, o, _g in ds.quads((None, None, None, None)):
                    g.add((s, p, o))
            else:
                g.parse(str(path), format=fmt)
    except Exception as exc:  # each parser has its own error types (SAX, N-Triples, JSON-LD): all mean bad input
        raise InputError(f"{path}: not parseable as {_FORMAT_NAMES.get(fmt, fmt)} ({_parse_error(exc)})",
                         "check the file's syntax, and that its extension names its format (.ttl, .nt, .nq, .trig, "
                         ".jsonld, .rdf/.rdfxml/.xml/.owl; any other is read as Turtle)") from exc
    return g


def validate_file(path: str | Path, *, base: str | None = None) -> Report:
    return validate_graph(read_rdf_file(path), base=base, owned=True)


def format_issues(issues: Iterable[Issue], limit: int | None = 50) -> list[str]:
    issues = list(issues)
    lines = [str(i) for i in (issues if limit is None else issues[:limit])]
    if limit is not None and len(issues) > limit:
        lines.append(f"... and {len(issues) - limit} more")
    return lines


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_graph(triples) -> rdflib.Graph:
    """An rdflib graph of pyoxigraph triples, the terms made directly (parsing their N-Triples text took
    two thirds of the validation time on large graphs). Terms come out as the N-Triples parser makes them:
    a plain string literal has no datatype, a tagged one its language."""
    from pyoxigraph import BlankNode, NamedNode

    iris: dict[str, rdflib.URIRef] = {}

    def term(t):
        if isinstance(t, NamedNode):
            node = iris.get(t.value)
            if node is None:
                node = iris[t.value] = rdflib.URIRef(t.value)
            return node
        if isinstance(t, BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value) if t.datatype.value == _XSD_STRING else \
            rdflib.Literal(t.value, datatype=term(t.datatype))

    g = rdflib.Graph()
    add = g.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))
    return g


def validate_triples(triples, *, base: str | None = None) -> Report:
    """Validate pyoxigraph triples (as selected for export) with pySHACL."""
    from pyoxigraph import DefaultGraph, Quad, Store

    triples = list(triples)
    ox = Store()
    ox.extend([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples])
    with quiet_literals():
        g = rdflib_graph(triples)
    return validate_graph(g, base=base, oxstore=ox, owned=True)


def validate_store(store, *, base: str) -> Report:
    """Validate what ``kg build`` would publish from ``store`` (the paper graphs, merged)."""
    from kg.export import Selection

    return validate_triples(Selection(store, base).triples(), base=base)
