"""Typed records passed between the stages of the flow.

sources -> ``Paper`` (and ``Skip`` for every record that could not be used);
extractors -> ``Mention``/``Entity``/``Relation`` gathered in an ``Extraction``.
All records are frozen dataclasses; ``Extraction.to_json`` is the ``kg extract``
output contract and ``Extraction.from_json`` reads it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("model", "dataset", "benchmark", "method", "repo", "task", "metric", "organization")
RELATION_TYPES = ("introduces", "evaluated_on", "outperforms", "based_on", "has_repository")
FIELDS = ("title", "abstract")


@dataclass(frozen=True)
class Paper:
    """One paper as read from a listing. ``source`` is ``file:line`` of the record."""

    id: str
    title: str
    abstract: str
    source: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    arxiv_id: str | None = None

    def text(self, fld: str) -> str:
        return self.title if fld == "title" else self.abstract

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "abstract": self.abstract,
                               "source": self.source}
        for key in ("url", "published", "arxiv_id"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.authors:
            out["authors"] = list(self.authors)
        return out


@dataclass(frozen=True)
class Skip:
    """A record that was not used, with where it was and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: skipped: {self.reason}"


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``start``/``end`` index ``Paper.text(field)``, end exclusive."""

    text: str
    field: str
    start: int
    end: int
    rule: str
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "field": self.field, "start": self.start, "end": self.end,
                "rule": self.rule, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Entity:
    """A canonical entity of one paper, with every mention that resolved to it."""

    name: str
    type: str
    confidence: float
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    family: str | None = None
    params: float | None = None  # parameter count, e.g. 7e9
    gazetteer_id: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type,
                               "confidence": round(self.confidence, 3),
                               "mentions": [m.to_json() for m in self.mentions]}
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.family:
            out["family"] = self.family
        if self.params:
            out["params"] = self.params
        if self.gazetteer_id:
            out["gazetteer_id"] = self.gazetteer_id
        if self.url:
            out["url"] = self.url
        return out


@dataclass(frozen=True)
class Evidence:
    """The sentence a relation was read from: offsets index ``Paper.text(field)``."""

    field: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Relation:
    """``subject predicate object``; for introduces/evaluated_on the subject is the paper id."""

    subject: str
    predicate: str
    object: str
    confidence: float
    rule: str
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "predicate": self.predicate, "object": self.object,
                "confidence": round(self.confidence, 3), "rule": self.rule,
                "evidence": self.evidence.to_json()}


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one paper."""

    paper: Paper
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"paper": self.paper.to_json(),
                "entities": [e.to_json() for e in self.entities],
                "relations": [r.to_json() for r in self.relations]}

    @classmethod
    def from_json(cls, obj: dict[str, Any], abstract: str = "") -> "Extraction":
        p = obj["paper"]
        paper = Paper(id=p["id"], title=p.get("title", ""), abstract=p.get("abstract", abstract),
                      source=p.get("source", ""), url=p.get("url"), authors=tuple(p.get("authors", ())),
                      published=p.get("published"), arxiv_id=p.get("arxiv_id"))
        ents = tuple(
            Entity(name=e["name"], type=e["type"], confidence=e.get("confidence", 1.0),
                   mentions=tuple(Mention(text=m["text"], field=m["field"], start=m["start"], end=m["end"],
                                          rule=m.get("rule", ""), confidence=m.get("confidence", 1.0))
                                  for m in e.get("mentions", ())),
                   aliases=tuple(e.get("aliases", ())), family=e.get("family"), params=e.get("params"),
                   gazetteer_id=e.get("gazetteer_id"), url=e.get("url"))
            for e in obj.get("entities", ()))
        rels = tuple(
            Relation(subject=r["subject"], predicate=r["predicate"], object=r["object"],
                     confidence=r.get("confidence", 1.0), rule=r.get("rule", ""),
                     evidence=Evidence(**r["evidence"]))
            for r in obj.get("relations", ()))
        return cls(paper=paper, entities=ents, relations=rels)
