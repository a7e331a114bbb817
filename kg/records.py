"""Typed records passed between the stages of the flow.

sources -> ``Paper`` (and ``Skip`` for every record that could not be used);
extractors -> ``Mention``/``Entity``/``Relation`` gathered in an ``Extraction``.
All records are frozen dataclasses; ``Extraction.to_json`` is the ``kg extract``
output contract and ``Extraction.from_json`` reads it back.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("model", "dataset", "benchmark", "method", "repo", "task", "metric", "organization")
RELATION_TYPES = ("introduces", "evaluated_on", "outperforms", "based_on", "fine_tuned_from", "has_repository")
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
        """Read one ``kg extract`` record back. Raises ``ValueError`` naming the first field of a wrong type
        (``entities[2].mentions[0].start must be an integer, not str``), so a bad record cannot reach the
        mapping as a wrong value."""
        p = _get(obj, "paper", dict, "")
        paper = Paper(id=_get(p, "id", str, "paper.", required=True), title=_get(p, "title", str, "paper.") or "",
                      abstract=_get(p, "abstract", str, "paper.") or abstract,
                      source=_get(p, "source", str, "paper.") or "", url=_get(p, "url", str, "paper."),
                      authors=tuple(_items(p, "authors", str, "paper.")),
                      published=_get(p, "published", str, "paper."), arxiv_id=_get(p, "arxiv_id", str, "paper."))
        ents = []
        for i, e in enumerate(_items(obj, "entities", dict, "")):
            w = f"entities[{i}]."
            mentions = tuple(
                Mention(text=_get(m, "text", str, f"{w}mentions[{j}].", required=True),
                        field=_get(m, "field", str, f"{w}mentions[{j}].", required=True),
                        start=_get(m, "start", int, f"{w}mentions[{j}].", required=True),
                        end=_get(m, "end", int, f"{w}mentions[{j}].", required=True),
                        rule=_get(m, "rule", str, f"{w}mentions[{j}].") or "",
                        confidence=_number(m, "confidence", f"{w}mentions[{j}]."))
                for j, m in enumerate(_items(e, "mentions", dict, w)))
            ents.append(Entity(name=_get(e, "name", str, w, required=True), type=_get(e, "type", str, w, required=True),
                               confidence=_number(e, "confidence", w), mentions=mentions,
                               aliases=tuple(_items(e, "aliases", str, w)), family=_get(e, "family", str, w),
                               params=_number(e, "params", w, None), gazetteer_id=_get(e, "gazetteer_id", str, w),
                               url=_get(e, "url", str, w)))
        rels = []
        for i, r in enumerate(_items(obj, "relations", dict, "")):
            w = f"relations[{i}]."
            ev = _get(r, "evidence", dict, w, required=True)
            rels.append(Relation(subject=_get(r, "subject", str, w, required=True),
                                 predicate=_get(r, "predicate", str, w, required=True),
                                 object=_get(r, "object", str, w, required=True), confidence=_number(r, "confidence", w),
                                 rule=_get(r, "rule", str, w) or "",
                                 evidence=Evidence(field=_get(ev, "field", str, f"{w}evidence.", required=True),
                                                   start=_get(ev, "start", int, f"{w}evidence.", required=True),
                                                   end=_get(ev, "end", int, f"{w}evidence.", required=True),
                                                   text=_get(ev, "text", str, f"{w}evidence.") or "")))
        return cls(paper=paper, entities=tuple(ents), relations=tuple(rels))


_KIND = {str: "a string", int: "an integer", dict: "an object", list: "a list"}


def _kind(value: Any) -> str:
    """The type a message names: JSON's ``null`` is "null", not "NoneType"."""
    return "null" if value is None else type(value).__name__


def _get(obj: dict[str, Any], key: str, kind: type, where: str, *, required: bool = False) -> Any:
    """``obj[key]`` if it is of ``kind`` (``None`` when absent or null, unless ``required``)."""
    if not isinstance(obj, dict):
        raise ValueError(f"{where.rstrip('.') or 'the record'} must be an object, not {_kind(obj)}")
    value = obj.get(key)
    if value is None:
        if required:
            raise ValueError(f"{where}{key} is missing")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{where}{key} must be {_KIND[kind]}, not {_kind(value)}")
    return value


def _items(obj: dict[str, Any], key: str, kind: type, where: str) -> list:
    """``obj[key]`` as a list whose items are all of ``kind`` (empty when absent)."""
    value = _get(obj, key, list, where)
    for i, item in enumerate(value or ()):
        if not isinstance(item, kind):
            raise ValueError(f"{where}{key}[{i}] must be {_KIND[kind]}, not {_kind(item)}")
    return value or []


def _number(obj: dict[str, Any], key: str, where: str, default: float | None = 1.0) -> float | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}{key} must be a number, not {_kind(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{where}{key} must be a finite number, not {value}")
    return float(value)
