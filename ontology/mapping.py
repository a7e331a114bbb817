"""Records -> RDF (ontology stage of the flow): one ``Extraction`` becomes the quads of one named graph.

The shape written here is the contract every query, shape and analytics projection relies on:

* the paper ``<base>paper/{id}`` (``kgo:Paper``) with ``dcterms:identifier``, ``dcterms:title``,
  ``kgo:abstract``, ``kgo:source`` and, when known, ``schema:url``, ``schema:author``,
  ``schema:datePublished``, ``kgo:arxivId``;
* each entity ``<base>{type}/{slug}`` with its class, ``skos:prefLabel``, ``skos:altLabel``,
  ``kgo:entityType`` and optional ``kgo:parameterCount``, ``kgo:family``, ``kgo:gazetteerId``, ``schema:url``;
* plain edges: ``paper kgo:mentions entity`` for every entity, and one edge per relation;
* for every edge, a ``kgo:Assertion`` node (RDF reification + PROV-O) carrying the paper, rule,
  confidence, field, sentence and the sentence's character offsets in that field.

All of it goes to the paper's graph ``<base>graph/paper/{id}``, so a paper's graph is self-contained
and replacing it never leaves stale statements. This module does not import spaCy; it only needs the
records and pyoxigraph terms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import IRIError
from kg.records import Entity, Extraction, Mention, Paper
from ontology.iri import IRIMinter, normalize_name
from ontology.namespaces import PREDICATE_PROPERTY, PREFIXES, TYPE_CLASS, kgo

RDF = PREFIXES["rdf"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
PROV = PREFIXES["prov"]
SCHEMA = PREFIXES["schema"]

RDF_TYPE = NamedNode(RDF + "type")
XSD_DECIMAL = NamedNode(XSD + "decimal")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_ANYURI = NamedNode(XSD + "anyURI")
XSD_DATETIME = NamedNode(XSD + "dateTime")

# relation predicates whose subject is the paper itself
PAPER_SUBJECT = frozenset({"introduces", "evaluated_on", "has_repository", "mentions"})
FIELD_ORDER = {"title": 0, "abstract": 1}


def N(iri: str) -> NamedNode:
    return NamedNode(iri)


def K(term: str) -> NamedNode:
    return NamedNode(kgo(term))


def decimal_literal(value: float) -> Literal:
    """An ``xsd:decimal`` in plain (non-exponent) notation, e.g. 7e9 -> ``7000000000``."""
    try:
        d = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    text = format(d.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD_DECIMAL)


XSD_DATE = NamedNode(XSD + "date")
#: how listings write a day when not in ISO 8601 (strptime formats)
LISTING_DATE_FORMATS = ("%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%Y/%m/%d")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ZONE_MINUTES = 14 * 60  # the widest time-zone offset xsd:dateTime allows
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?")


def date_literal(text: str) -> Literal | None:
    """A publication date as ``xsd:date``, ``xsd:dateTime``, ``xsd:gYearMonth`` or ``xsd:gYear`` (so SPARQL
    compares it as a date), or ``None`` when the text is no date: ``2024-01-01T10:00:00Z`` ->
    ``"2024-01-01T10:00:00Z"^^xsd:dateTime``; listing styles become ISO: ``Mar 14, 2024`` -> ``"2024-03-14"^^xsd:date``.
    """
    from datetime import date, datetime

    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return None
        return Literal(text, datatype=XSD_DATE)
    if re.fullmatch(r"\d{4}-(?:0[1-9]|1[0-2])", text):
        return Literal(text, datatype=NamedNode(XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=NamedNode(XSD + "gYear"))
    m = _DATETIME.fullmatch(text)
    if not m:
        for fmt in LISTING_DATE_FORMATS:
            try:
                return Literal(datetime.strptime(text, fmt).date().isoformat(), datatype=XSD_DATE)
            except ValueError:
                continue
        return None
    day, time, zone = m.group(1), m.group(2), m.group(3) or ""
    time = time if time.count(":") == 2 else time + ":00"
    zone = "Z" if zone in ("Z", "+00:00", "+0000", "-00:00") else (zone[:3] + ":" + zone[-2:] if zone else "")
    if zone not in ("", "Z") and int(zone[1:3]) * 60 + int(zone[4:6]) > MAX_ZONE_MINUTES:
        return None  # xsd:dateTime offsets run from -14:00 to +14:00; "+15:00" would be an ill-typed literal
    try:
        datetime.fromisoformat(f"{day}T{time}{'+00:00' if zone == 'Z' else zone}")
    except ValueError:
        return None
    return Literal(f"{day}T{time}{zone}", datatype=XSD_DATETIME)


def alt_labels(name: str, aliases: Iterable[str]) -> list[str]:
    """The aliases written as ``skos:altLabel``: normalised as the label is (NFC, one space per run), without the
    label itself and without repeats, in their first order (``"Cafe\u0301Net"`` is the label ``CaféNet``)."""
    label = normalize_name(name)
    out: list[str] = []
    for alias in aliases:
        if not isinstance(alias, str) or not alias.strip():
            continue
        text = normalize_name(alias)
        if text != label and text not in out:
            out.append(text)
    return out


def confidence_literal(value: float) -> Literal:
    return decimal_literal(round(float(value), 3))


_ABBREV = frozenset({"e.g", "i.e", "etc", "et al", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "no",
                     "approx", "resp", "incl", "dr", "mr", "ms", "prof", "st", "jr", "sr", "inc", "ltd", "co"})
_BOUNDARY = re.compile(r"[.!?][\"')\]]*(?=\s|$)")


def _is_boundary(text: str, m: re.Match) -> bool:
    """A stop ends a sentence unless it closes a known abbreviation, an initial or a decimal."""
    if text[m.start()] != ".":
        return True
    before = re.search(r"([A-Za-z][A-Za-z.]*)$", text[: m.start()])
    word = before.group(1).lower() if before else ""
    if word in _ABBREV or (len(word) == 1 and word.isalpha()):
        return False
    after = text[m.end():].lstrip()
    return not after or not after[0].islower()


def enclosing_sentence(text: str, start: int, end: int, spans: Iterable[tuple[int, int]] = ()) -> tuple[int, int]:
    """Bounds of the sentence around ``text[start:end]``.

    A sentence the extractor already used as evidence (``spans``) wins; otherwise a light rule splits at
    ``. ! ?`` followed by a space, except after common abbreviations (e.g., et al., vs.) and initials.
    """
    for s0, s1 in spans:
        if s0 <= start and end <= s1:
            return s0, s1
    left = 0
    for m in _BOUNDARY.finditer(text, 0, start):
        if m.end() <= start and _is_boundary(text, m):
            left = m.end()
            while left < start and text[left].isspace():
                left += 1
    right = len(text)
    for m in _BOUNDARY.finditer(text, end):
        if _is_boundary(text, m):
            right = m.end()
            break
    return left, right


@dataclass
class MappedPaper:
    """The quads of one paper graph, plus what could not be mapped (one line each)."""

    paper_id: str
    graph: NamedNode
    quads: list[Quad]
    warnings: list[str] = field(default_factory=list)
    edges: dict[str, int] = field(default_factory=dict)  # relation predicate -> edges written


class Mapper:
    """Maps ``Extraction`` records to quads under one base IRI."""

    def __init__(self, base: str | None = None, minter: IRIMinter | None = None) -> None:
        self.iri = minter or (IRIMinter(base) if base else IRIMinter())

    # ------------------------------------------------------------------ pieces
    def paper_triples(self, paper: Paper) -> list[tuple]:
        p = N(self.iri.paper(paper.id))
        out = [(p, RDF_TYPE, K("Paper")),
               (p, N(DCT + "identifier"), Literal(paper.id)),
               (p, N(DCT + "title"), Literal(paper.title)),
               (p, K("abstract"), Literal(paper.abstract)),
               (p, K("source"), Literal(paper.source))]
        if paper.url:
            out.append((p, N(SCHEMA + "url"), Literal(paper.url, datatype=XSD_ANYURI)))
        for name in paper.authors:
            out.append((p, N(SCHEMA + "author"), Literal(name)))
        date = date_literal(paper.published) if paper.published else None
        if date is not None:
            out.append((p, N(SCHEMA + "datePublished"), date))
        if paper.arxiv_id:
            out.append((p, K("arxivId"), Literal(paper.arxiv_id)))
        return out

    def entity_triples(self, ent: Entity) -> list[tuple]:
        e = N(self.iri.entity(ent.type, ent.name))
        # the label is the name as the IRI saw it (NFC, one space per run), so one IRI has one label
        out = [(e, RDF_TYPE, K(TYPE_CLASS[ent.type])),
               (e, N(SKOS + "prefLabel"), Literal(normalize_name(ent.name))),
               (e, K("entityType"), Literal(ent.type))]
        out += [(e, N(SKOS + "altLabel"), Literal(alias)) for alias in alt_labels(ent.name, ent.aliases)]
        if ent.params and ent.type == "model":  # (a "7B" in a dataset's name counts no parameters)
            out.append((e, K("parameterCount"), decimal_literal(ent.params)))
        if ent.family and ent.family.strip() and ent.family != ent.name:
            f = N(self.iri.entity("model", ent.family))
            out += [(e, K("family"), f), (f, RDF_TYPE, K("Model")),
                    (f, N(SKOS + "prefLabel"), Literal(normalize_name(ent.family))),
                    (f, K("entityType"), Literal("model"))]
        if ent.gazetteer_id:
            out.append((e, K("gazetteerId"), Literal(ent.gazetteer_id)))
        if ent.url:
            out.append((e, N(SCHEMA + "url"), Literal(ent.url, datatype=XSD_ANYURI)))
        return out

    def assertion_triples(self, paper: Paper, s: NamedNode, prop: NamedNode, o: NamedNode, *, rule: str,
                          confidence: float, field_: str, start: int, end: int, sentence: str) -> list[tuple]:
        a = N(self.iri.assertion(paper.id, s.value, prop.value, o.value, field_, start, end, rule))
        return [(a, RDF_TYPE, K("Assertion")),
                (a, N(RDF + "subject"), s), (a, N(RDF + "predicate"), prop), (a, N(RDF + "object"), o),
                (a, N(PROV + "wasDerivedFrom"), N(self.iri.paper(paper.id))),
                (a, K("rule"), Literal(rule or "unknown")),
                (a, K("confidence"), confidence_literal(confidence)),
                (a, K("field"), Literal(field_)),
                (a, K("sentence"), Literal(sentence)),
                (a, K("startOffset"), Literal(str(int(start)), datatype=XSD_INTEGER)),
                (a, K("endOffset"), Literal(str(int(end)), datatype=XSD_INTEGER))]

    # ------------------------------------------------------------------ one paper
    def map(self, ext: Extraction) -> MappedPaper:
        paper = ext.paper
        graph = N(self.iri.paper_graph(paper.id))
        p = N(self.iri.paper(paper.id))
        warnings: list[str] = []
        triples: list[tuple] = self.paper_triples(paper)
        if paper.published and date_literal(paper.published) is None:
            warnings.append(f"paper {paper.id} ({paper.source}): publication date {paper.published!r} is not a date "
                            "(give YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or e.g. 'Mar 14, 2024'); left out")
        by_name: dict[str, NamedNode] = {}
        by_fold: dict[str, NamedNode] = {}
        mentions = K("mentions")
        evidence_spans: dict[str, list[tuple[int, int]]] = {}
        for rel in ext.relations:
            evidence_spans.setdefault(rel.evidence.field, []).append((rel.evidence.start, rel.evidence.end))
        for ent in ext.entities:
            where = f"paper {paper.id} ({paper.source})"
            if ent.type not in TYPE_CLASS:
                warnings.append(f"{where}: entity {ent.name!r} has unknown type {ent.type!r}; dropped")
                continue
            try:
                ent_triples = self.entity_triples(ent)
            except (IRIError, ValueError) as exc:
                warnings.append(f"{where}: entity {ent.name!r} dropped: {exc}")
                continue
            e = ent_triples[0][0]
            triples += ent_triples
            triples.append((p, mentions, e))
            by_name.setdefault(ent.name, e)
            for alias in ent.aliases:
                by_name.setdefault(alias, e)
            by_fold.setdefault(ent.name.casefold(), e)
            first = self._first_mention(paper, ent.mentions)
            if first is not None:
                text = paper.text(first.field)
                s0, s1 = enclosing_sentence(text, first.start, first.end, evidence_spans.get(first.field, ()))
                triples += self.assertion_triples(paper, p, mentions, e, rule=first.rule,
                                                  confidence=first.confidence, field_=first.field,
                                                  start=s0, end=s1, sentence=text[s0:s1])

        def resolve(name: str) -> NamedNode | None:
            if name == paper.id:
                return p
            return by_name.get(name) or by_fold.get(name.casefold())

        edges: dict[str, int] = {}
        for rel in ext.relations:
            where = f"paper {paper.id} ({paper.source})"
            prop_name = PREDICATE_PROPERTY.get(rel.predicate)
            if prop_name is None:
                warnings.append(f"{where}: relation predicate {rel.predicate!r} is unknown; dropped "
                                f"(use one of {', '.join(sorted(PREDICATE_PROPERTY))})")
                continue
            s = p if rel.predicate in PAPER_SUBJECT and rel.subject in ("", paper.id) else resolve(rel.subject)
            o = resolve(rel.object)
            if s is None or o is None:
                missing = rel.subject if s is None else rel.object
                warnings.append(f"{where}: {rel.predicate} relation names {missing!r}, which is not an "
                                "entity of this paper; dropped")
                continue
            ev = rel.evidence
            text = paper.text(ev.field) if ev.field in FIELD_ORDER else ""
            if ev.field not in FIELD_ORDER or not (0 <= ev.start <= ev.end <= len(text)):
                warnings.append(f"{where}: {rel.predicate} {rel.subject!r} -> {rel.object!r} has evidence "
                                f"outside the paper text ({ev.field}:{ev.start}-{ev.end}); dropped")
                continue
            sentence = text[ev.start:ev.end]
            if not sentence.strip():
                warnings.append(f"{where}: {rel.predicate} {rel.subject!r} -> {rel.object!r} has an empty evidence "
                                f"span ({ev.field}:{ev.start}-{ev.end}); dropped")
                continue
            if ev.text and ev.text != sentence:
                warnings.append(f"{where}: evidence of {rel.predicate} {rel.subject!r} -> {rel.object!r} does not "
                                f"match the {ev.field} text at {ev.start}-{ev.end}; the paper text is kept")
            prop = K(prop_name)
            triples.append((s, prop, o))
            triples += self.assertion_triples(paper, s, prop, o, rule=rel.rule, confidence=rel.confidence,
                                              field_=ev.field, start=ev.start, end=ev.end, sentence=sentence)
            edges[rel.predicate] = edges.get(rel.predicate, 0) + 1
        quads = sorted({Quad(s, pr, o, graph) for s, pr, o in triples}, key=_quad_key)
        return MappedPaper(paper.id, graph, quads, warnings, edges)

    @staticmethod
    def _first_mention(paper: Paper, mentions: Iterable[Mention]) -> Mention | None:
        ok = [m for m in mentions if m.field in FIELD_ORDER and 0 <= m.start <= m.end <= len(paper.text(m.field))]
        return min(ok, key=lambda m: (FIELD_ORDER[m.field], m.start, m.end)) if ok else None


def _quad_key(q: Quad) -> tuple[str, str, str]:
    return (str(q.subject), str(q.predicate), str(q.object))


def map_extraction(ext: Extraction, base: str | None = None) -> MappedPaper:
    """Convenience wrapper: the quads of one paper under ``base``."""
    return Mapper(base).map(ext)
