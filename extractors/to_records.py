"""From processed Docs to ``Extraction`` records.

``Canonicalizer`` gives every identity key one canonical name across the whole run (the
gazetteer's name when the entity is listed, else the first spelling seen, in input order), so
Llama3-8B, Llama-3-8B and LLaMA 3 8B become one entity in every paper. ``doc_to_extraction``
maps doc offsets back to the paper's ``title``/``abstract`` strings and attaches the evidence
sentence to every relation.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from kg.records import Entity, Evidence, Extraction, Mention, Paper, Relation

from .candidates import GENERIC_SUFFIX
from .components import DATAISH, FIELD_SEP, MentionSpan, RelationSpan, singular_key, doc_text, entity_type
from .normalize import Spans, delatex, name_key, parse_params, reading_views, strip_variant
from .relations import PAPER
from .rules import RuleData


OBJECT_TYPES = {"evaluated_on": ("benchmark", "dataset"), "outperforms": ("model", "method"),
                "based_on": ("model", "method", "dataset", "benchmark"), "fine_tuned_from": ("model",),
                "has_repository": ("repo",)}
LINEAGE = ("based_on", "fine_tuned_from")  # (a fine_tuned_from pair is stated as based_on too)


class Canonicalizer:
    """Run-wide registry: identity key -> canonical name (deterministic in input order)."""

    def __init__(self, rd: RuleData, known: Iterable[str] = ()) -> None:
        """``known``: canonical names given by earlier runs (the names in the store a build adds to), which keep
        their spelling, so an entity keeps its name and IRI whatever order the papers come in."""
        self.rd = rd
        self.names: dict[str, str] = {}
        for name in sorted(known):  # (two spellings of one key in an old store: the first in sort order wins)
            # a listed entry's own name is given by its entry, not by its spelling: were it taken for the spelling
            # of a name the gazetteer refuses ("T\\"ULU" beside the listed "Tulu"), the two would become one
            # entity in a second build that a first build kept apart
            if name and not name.startswith(("http://", "https://")) and name not in rd.by_name:
                self.names.setdefault(singular_key(name), name)

    def name(self, m: MentionSpan) -> str:
        if m.key not in self.names:
            if m.gaz_id:
                self.names[m.key] = self.rd.entries[m.gaz_id].name
            elif m.type == "repo":
                self.names[m.key] = m.url or m.text
            elif m.long_form and m.key == singular_key(m.long_form):
                self.names[m.key] = delatex(m.long_form.strip())  # a short form known by what it stands for
            else:
                self.names[m.key] = delatex((m.name or m.text).strip())  # "T\\"ULU 2" is shown as "TÜLU 2"
        return self.names[m.key]

    def family(self, m: MentionSpan, name: str) -> str | None:
        if m.family_id and m.family_id in self.rd.entries and self.rd.entries[m.family_id].name != name:
            return self.rd.entries[m.family_id].name
        if m.type == "model" and not m.gaz_id:
            full = m.name or m.text  # ("13B" of "Zorb-7B/13B" is Zorb-13B)
            base = delatex(strip_variant(full))  # ("Sabi\\'a-65B" is of the Sabiá family)
            if base and base != full:
                e = self.rd.lookup(base)
                if e is not None:
                    return e.name
                return base if name_key(base) != name_key(name) else None
            # "GLM-4-Air", "Bloomz-Doctor", "MiniCPM-MoE": a listed model's name and a capitalised word of the
            # paper's own is a variant of that model
            head, sep, tail = full.rpartition("-")
            if sep and head and tail[:1].isupper() and not GENERIC_SUFFIX.fullmatch("-" + tail):
                e = self.rd.lookup(head)
                if e is not None and e.type == "model" and self.rd.accepts(e.id, head)[0]:
                    return e.name
        return None


def _field_offsets(a0: int, start: int, end: int) -> tuple[str, int, int]:
    if a0 and start < a0:
        return "title", start, end
    return "abstract", start - a0, end - a0


@dataclass(frozen=True)
class DocResult:
    """What the components left on one Doc, as plain picklable records (sent back from worker processes)."""

    text: str
    abstract_start: int
    mentions: tuple[MentionSpan, ...]
    relations: tuple[RelationSpan, ...]

    @classmethod
    def from_doc(cls, doc) -> "DocResult":
        return cls(doc_text(doc), doc._.kg_abstract_start, tuple(doc._.kg_mentions or ()),
                   tuple(doc._.kg_relations or ()))


def doc_to_extraction(doc, paper: Paper, canon: Canonicalizer, min_confidence: float = 0.5) -> Extraction:
    """One paper's ``Extraction`` from its processed Doc (or the ``DocResult`` of one)."""
    res = doc if isinstance(doc, DocResult) else DocResult.from_doc(doc)
    a0 = res.abstract_start
    text = res.text
    fields = _as_read(paper, text, a0)
    groups: dict[str, list[MentionSpan]] = {}
    for m in res.mentions:
        if m.confidence >= min_confidence:
            groups.setdefault(m.key, []).append(m)
    entities = []
    names: dict[str, str] = {}
    for key, ms in groups.items():
        first = ms[0]
        name = canon.name(first)
        names[key] = name
        typ = entity_type(ms)
        aliases = []
        for m in ms:
            for alias in ((m.name or m.text).strip(), m.long_form):  # "7B" of "Gemma-2B/7B" is no alias
                if alias and alias != name and alias not in aliases:
                    aliases.append(alias)
        mentions = []
        for m in ms:
            fld, s, e = _field_offsets(a0, m.start, m.end)
            src, spans = fields[fld]
            if spans is not None:  # (the rules read "Llama 2" where the text as read has "Llama~2")
                s, e = spans.span(s, e)
            mentions.append(Mention(text=src[s:e], field=fld, start=s, end=e, rule=m.rule, confidence=m.confidence))
        params = None
        if typ == "model":  # a listed model's own count first (Mixtral 8x7B has 46.7B, not 8 x 7B), else the name's
            listed = canon.rd.entries[first.gaz_id].params if first.gaz_id else None
            params = parse_params(listed) if listed else parse_params(name)
        listed = canon.rd.entries[first.gaz_id] if first.gaz_id else None
        if listed is not None and listed.type != typ and not {listed.type, typ} <= set(DATAISH):
            # the listed model's name used for data ("instruction data such as Alpaca", "benchmarks, including
            # FLAN"): not that entry, nor of its family
            entities.append(Entity(name=name, type=typ, confidence=max(m.confidence for m in ms),
                                   mentions=tuple(mentions), aliases=tuple(aliases), url=first.url))
            continue
        entities.append(Entity(name=name, type=typ, confidence=max(m.confidence for m in ms),
                               mentions=tuple(mentions), aliases=tuple(aliases),
                               family=canon.family(first, name), params=params,
                               gazetteer_id=first.gaz_id, url=first.url))
    not_models = {e.name for e in entities if e.type != "model"}
    if not_models:  # a family is a model family: "MT-Ladder-7B" is of no model family where the paper types
        # MT-Ladder as its method (the lineage, if stated, is a based_on relation)
        entities = [replace(e, family=None) if e.family in not_models else e for e in entities]
    relations = []
    types = {key: e.type for key, e in zip(groups, entities)}
    for r in res.relations:
        subj = paper.id if r.subject == PAPER else names.get(r.subject)
        obj = names.get(r.object)
        if subj is None or obj is None:
            continue
        wanted = OBJECT_TYPES.get(r.predicate)
        if wanted and types.get(r.object) not in wanted:
            continue  # the entity's resolved type (over all its mentions) no longer fits the relation
        if r.predicate in LINEAGE and (types.get(r.subject) in DATAISH) != (types.get(r.object) in DATAISH):
            continue  # lineage joins data to data and models or methods to each other
        if r.predicate == "fine_tuned_from" and types.get(r.subject) != "model":
            continue  # (the subject's resolved type is no longer a model: its based_on stays)
        relations.append(Relation(subject=subj, predicate=r.predicate, object=obj, confidence=r.confidence,
                                  rule=r.rule, evidence=_evidence(a0, r, fields)))
    return Extraction(paper=paper, entities=tuple(entities), relations=tuple(relations))


def _as_read(paper: Paper, text: str, a0: int) -> dict[str, tuple[str, Spans | None]]:
    """Per field, the text as read and the index from the Doc's text of that field (``reading_views``: LaTeX
    markup out, Unicode hyphens plain) to it (a Doc not made from this paper's fields is taken as it is)."""
    views = {"title": text[:a0 - len(FIELD_SEP)] if a0 else "", "abstract": text[a0:]}
    out: dict[str, tuple[str, Spans | None]] = {}
    sources = {"title": paper.title, "abstract": paper.abstract}
    if all(views[f] == src for f, src in sources.items()):
        return {f: (src, None) for f, src in sources.items()}  # (most papers: nothing to read through)
    read = dict(zip(sources, reading_views(paper.title, paper.abstract)))
    for fld, src in sources.items():
        view, spans = read[fld]
        out[fld] = (src, spans) if view == views[fld] else (views[fld], None)
    return out


def _evidence(a0: int, r: RelationSpan, fields: dict) -> Evidence:
    """The sentence as read, with the LaTeX markup around its words, its ends' spaces trimmed."""
    fld, s, e = _field_offsets(a0, r.sent_start, r.sent_end)
    src, spans = fields[fld]
    if spans is not None:  # ("\\textsc{Zorro} outperforms ...": the markup before its first word is the sentence's)
        s = spans.ends[s - 1] if s > 0 else 0
        e = spans.ends[e - 1] if e < len(spans.ends) else len(src)
    e = min(e, len(src))  # (a title's last sentence may take in the blank line after it)
    while e > s and src[e - 1].isspace():
        e -= 1
    while s < e and src[s].isspace():
        s += 1
    return Evidence(field=fld, start=s, end=e, text=src[s:e])
