"""Exports (the outputs stage of the flow): the store written as files other tools read.

``EXPORTERS`` is the registry: a format is a name, a file extension, a media type and a writer; adding a
format is adding an entry. RDF formats: ``turtle`` (the default build output, with readable prefixes),
``ntriples``, ``nquads`` and ``trig`` (with the per-paper named graphs), ``jsonld`` (compacted, with an inline
``@context`` of the same prefixes), ``rdfxml``. Other
views: ``graphml`` (papers and entities as nodes, extracted relations as edges, for Gephi/yEd/networkx)
and ``csv`` (one row per extracted edge with its evidence sentence).

Output is deterministic: triples are de-duplicated and sorted (papers first, then entities, then
assertions), so two builds of the same input give byte-identical files. The build's own PROV-O record
changes every run and is left out unless ``with_build=True`` (it is written to ``build.ttl`` instead); the
analytics scores (PageRank, degree, community ... of each entity, derived from the graph by ``kg build``) are
left out unless ``with_analytics=True``.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from .errors import ExportError
from .store import GraphStore
from ontology.iri import IRIMinter
from ontology.namespaces import DEFAULT_BASE, PREFIXES, kgo

RDF_TYPE = PREFIXES["rdf"] + "type"
EXPORT_PREFIX_KEYS = ("kgo", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "owl")


@dataclass(frozen=True)
class Selection:
    """What to export: the store, under which base, and whether to add the build record and the analytics."""

    store: GraphStore
    base: str = DEFAULT_BASE
    with_build: bool = False
    with_analytics: bool = False

    def graphs(self) -> list[NamedNode]:
        graphs = self.store.paper_graphs(self.base)
        minter = IRIMinter(self.base)
        extra = [(self.with_build, minter.build_graph()), (self.with_analytics, minter.analytics_graph())]
        if any(wanted for wanted, _ in extra):
            held = self.store.graphs()
            graphs += [NamedNode(g) for wanted, g in extra if wanted and g in held]
        return graphs

    def quads(self) -> list[Quad]:
        return sorted(set(self.store.quads(self.graphs())), key=lambda q: (q.graph_name.value, *triple_key(q)))

    def triples(self) -> list[Triple]:
        uniq = {Triple(q.subject, q.predicate, q.object) for q in self.store.quads(self.graphs())}
        return sorted(uniq, key=triple_key)

    def prefixes(self) -> dict[str, str]:
        out = {k: PREFIXES[k] for k in EXPORT_PREFIX_KEYS}
        out.update(IRIMinter(self.base).prefixes())
        return out


def triple_key(t: Triple | Quad) -> tuple:
    s = t.subject.value if hasattr(t.subject, "value") else str(t.subject)
    if "/paper/" in s and "/graph/" not in s:
        rank = 0
    elif "/assertion/" in s:
        rank = 2
    elif "/build/" in s or "/input/" in s:
        rank = 4
    else:
        rank = 1
    p = t.predicate.value
    return (rank, s, 0 if p == RDF_TYPE else 1, p, str(t.object))


@dataclass(frozen=True)
class Exporter:
    name: str
    extension: str
    media_type: str
    kind: str  # "rdf" (triples), "dataset" (quads), "table", "graph"
    write: Callable[[Selection], bytes]
    description: str


def _rdf(fmt: RdfFormat, prefixes: bool = True) -> Callable[[Selection], bytes]:
    def write(sel: Selection) -> bytes:
        data = sel.quads() if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG) else sel.triples()
        if not prefixes:
            return serialize(data, format=fmt)
        text = serialize(data, format=fmt, prefixes=sel.prefixes())
        if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG):
            text = stable_prefix_header(text, sel.prefixes())
        return text
    return write


def stable_prefix_header(text: bytes, prefixes: dict[str, str]) -> bytes:
    """Rewrite the ``@prefix`` lines in a fixed order, whatever order the serializer used."""
    lines = text.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    declared = {ln.split(b" ", 2)[1][:-1].decode() for ln in lines[:n]}
    header = [f"@prefix {k}: <{v}> .".encode() for k, v in prefixes.items() if k in declared]
    if len(header) != n:  # unexpected layout: keep the serializer's own output
        return text
    return b"\n".join(header + lines[n:])


def _json_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def write_jsonld(sel: Selection) -> bytes:
    """Compacted JSON-LD: an inline ``@context`` of the project's prefixes (the Turtle export's), IRIs written as
    compact IRIs (``model:Llama_2_7B``), one node per line of ``@graph``, sorted so the bytes are deterministic.
    rdflib does the compaction (``context=``); any JSON-LD processor expands it back to the same triples."""
    from .validate import quiet_literals, rdflib_graph

    context = sel.prefixes()
    with quiet_literals():  # (rdflib would log a traceback for each ill-typed literal; kg validate reports them)
        g = rdflib_graph(sel.triples())
        doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True, indent=None))
    if isinstance(doc, list):  # (no context left: an empty graph)
        nodes = doc
    else:
        doc.pop("@context", None)
        nodes = doc.pop("@graph", None)
        if nodes is None:  # one node: rdflib merges it into the top object
            nodes = [doc] if doc else []
    for node in nodes:  # (rdflib lists a node's values in store order: sort them)
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=_json_key)
    nodes.sort(key=lambda n: (str(n.get("@id", "")), _json_key(n)))
    lines = ['{"@context": ' + json.dumps(context, ensure_ascii=False, indent=1) + ',', ' "@graph": [']
    lines += ["  " + json.dumps(n, sort_keys=True, ensure_ascii=False) + ("," if i < len(nodes) - 1 else "")
              for i, n in enumerate(nodes)]
    lines += [" ]", "}", ""]
    return "\n".join(lines).encode("utf-8")


def _label(sel: Selection) -> dict[str, str]:
    out: dict[str, str] = {}
    for pred in (PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title"):
        for q in sel.store.raw.quads_for_pattern(None, NamedNode(pred), None, None):
            out.setdefault(q.subject.value, q.object.value)
    return out


EDGE_PROPS = ("introduces", "evaluatedOn", "outperforms", "basedOn", "fineTunedFrom", "hasRepository")


def _edges(sel: Selection) -> list[dict[str, str]]:
    """One row per extracted edge (not plain mentions), with its evidence."""
    rows = sel.store.query(f"""
        PREFIX kgo: <{PREFIXES['kgo']}> PREFIX rdf: <{PREFIXES['rdf']}> PREFIX prov: <{PREFIXES['prov']}>
        SELECT DISTINCT ?s ?p ?o ?paper ?field ?start ?end ?rule ?confidence ?sentence WHERE {{
          GRAPH ?g {{
            ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?paper ;
               kgo:field ?field ; kgo:startOffset ?start ; kgo:endOffset ?end ; kgo:rule ?rule ;
               kgo:confidence ?confidence ; kgo:sentence ?sentence .
          }}
          FILTER(?p != kgo:mentions)
        }}""", default_graph=None, named_graphs=sel.graphs())
    labels = _label(sel)
    out = []
    for r in rows:
        row = {v: r[v].value for v in ("s", "p", "o", "paper", "field", "start", "end", "rule", "confidence",
                                       "sentence")}
        row["subject_label"] = labels.get(row["s"], "")
        row["object_label"] = labels.get(row["o"], "")
        row["p"] = row["p"].rsplit("#", 1)[-1]
        out.append(row)
    out.sort(key=lambda r: (r["paper"], int(r["start"]), r["p"], r["s"], r["o"], r["rule"]))
    return out


CSV_COLUMNS = [("subject", "s"), ("subject_label", "subject_label"), ("predicate", "p"), ("object", "o"),
               ("object_label", "object_label"), ("paper", "paper"), ("field", "field"), ("start", "start"),
               ("end", "end"), ("rule", "rule"), ("confidence", "confidence"), ("sentence", "sentence")]


def write_csv(sel: Selection) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c for c, _ in CSV_COLUMNS])
    for row in _edges(sel):
        w.writerow([row[k] for _, k in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8")


def write_graphml(sel: Selection) -> bytes:
    """GraphML by hand (stable order, no dependency): nodes are papers and entities, edges are relations."""
    labels = _label(sel)
    types: dict[str, str] = {}
    for q in sel.store.raw.quads_for_pattern(None, NamedNode(RDF_TYPE), None, None):
        t = q.object.value
        if t.startswith(PREFIXES["kgo"]) and t != kgo("Assertion") and t != kgo("Build"):
            types[q.subject.value] = t[len(PREFIXES["kgo"]):]
    edges: dict[tuple[str, str, str], dict] = {}
    for row in _edges(sel):
        key = (row["s"], row["p"], row["o"])
        e = edges.setdefault(key, {"papers": set(), "confidence": 0.0})
        e["papers"].add(row["paper"])
        e["confidence"] = max(e["confidence"], float(row["confidence"]))
    papers = set()  # every paper of the selection, also one with no entity
    for q in sel.store.quads(sel.graphs()):
        if q.predicate.value == kgo("mentions"):
            e = edges.setdefault((q.subject.value, "mentions", q.object.value), {"papers": set(), "confidence": 1.0})
            e["papers"].add(q.subject.value)
        elif q.predicate.value == RDF_TYPE and q.object.value == kgo("Paper"):
            papers.add(q.subject.value)
    nodes = sorted({n for s, _, o in edges for n in (s, o)} | {n for n, t in types.items() if t != "Paper"} | papers)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
           '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
           '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
           '  <key id="predicate" for="edge" attr.name="predicate" attr.type="string"/>',
           '  <key id="papers" for="edge" attr.name="papers" attr.type="int"/>',
           '  <key id="confidence" for="edge" attr.name="confidence" attr.type="double"/>',
           '  <graph id="G" edgedefault="directed">']
    for n in nodes:
        out.append(f'    <node id="{escape(n, {chr(34): "&quot;"})}">'
                   f'<data key="label">{escape(labels.get(n, n))}</data>'
                   f'<data key="kind">{escape(types.get(n, "Entity"))}</data></node>')
    for i, ((s, p, o), e) in enumerate(sorted(edges.items())):
        out.append(f'    <edge id="e{i}" source="{escape(s, {chr(34): "&quot;"})}" '
                   f'target="{escape(o, {chr(34): "&quot;"})}">'
                   f'<data key="predicate">{p}</data><data key="papers">{len(e["papers"])}</data>'
                   f'<data key="confidence">{e["confidence"]:.3f}</data></edge>')
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("turtle", "ttl", "text/turtle", "rdf", _rdf(RdfFormat.TURTLE),
             "Turtle, all paper graphs merged, readable prefixes (the default build output)"),
    Exporter("ntriples", "nt", "application/n-triples", "rdf", _rdf(RdfFormat.N_TRIPLES, False),
             "N-Triples, one triple per line"),
    Exporter("nquads", "nq", "application/n-quads", "dataset", _rdf(RdfFormat.N_QUADS, False),
             "N-Quads, one named graph per paper"),
    Exporter("trig", "trig", "application/trig", "dataset", _rdf(RdfFormat.TRIG),
             "TriG, one named graph per paper, readable prefixes"),
    Exporter("jsonld", "jsonld", "application/ld+json", "rdf", write_jsonld,
             "JSON-LD, compacted with an inline @context of the project's prefixes"),
    Exporter("rdfxml", "rdf", "application/rdf+xml", "rdf", _rdf(RdfFormat.RDF_XML),
             "RDF/XML"),
    Exporter("graphml", "graphml", "application/graphml+xml", "graph", write_graphml,
             "GraphML: papers and entities as nodes, extracted relations and mentions as edges"),
    Exporter("csv", "csv", "text/csv", "table", write_csv,
             "CSV: one row per extracted edge with paper, field, offsets, rule, confidence and sentence"),
)}


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r}", f"use one of {', '.join(EXPORTERS)}") from None


def export(store: GraphStore, fmt: str, path: str | Path | None = None, *, base: str = DEFAULT_BASE,
           with_build: bool = False, with_analytics: bool = False) -> bytes | Path:
    """Write the graph in ``fmt``; to ``path`` if given (returns it), else return the bytes."""
    exporter = get_exporter(fmt)
    data = exporter.write(Selection(store, base, with_build, with_analytics))
    if path is None:
        return data
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:  # (no half-written file left behind; the error names the path asked for)
        tmp.unlink(missing_ok=True)
        raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
    return path


def default_filename(fmt: str) -> str:
    return f"graph.{get_exporter(fmt).extension}"


def write_build_record(store: GraphStore, path: str | Path, base: str = DEFAULT_BASE) -> Path:
    """The build's PROV-O graph as Turtle (kept out of graph.ttl so that file stays reproducible)."""
    g = NamedNode(IRIMinter(base).build_graph())
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in store.quads([g])}, key=triple_key)
    prefixes = {k: PREFIXES[k] for k in EXPORT_PREFIX_KEYS}
    prefixes.update(IRIMinter(base).prefixes())
    path = Path(path)
    path.write_bytes(stable_prefix_header(serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes), prefixes))
    return path


def iter_formats() -> Iterable[Exporter]:
    return EXPORTERS.values()
