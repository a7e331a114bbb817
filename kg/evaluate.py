"""Quality measurement: score extraction output against gold annotations.

Three scorers, all printing precision / recall / F1:

- ``score_papers``: paper-level gold records (the project's development set format): per entity type
  and per relation, names matched through aliases (``name_key`` of any name or alias on either side).
- ``score_spans``: exact character-span scoring against span-annotated paragraphs (GSAP-NER style
  records ``{"id", "text", "entities": [{"start", "end", "label"}]}``), with a label map from ours to theirs;
  the same function re-scores released baseline predictions, so the scorer itself can be checked
  against published figures.
- ``detokenize`` / ``map_spans``: the same span scoring for sentence corpora whose text is pre-tokenised
  (SciER): extraction runs on the detokenised text and its spans are mapped back to the gold offsets.
- ``score_scier_relations``: relations against SciER's sentence-level relations, argument spans exact:
  ``evaluated_on`` against the dataset of ``Evaluated-With``, ``outperforms`` against ``Compare-With``.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from extractors.candidates import normalize_url
from extractors.normalize import name_key

from .errors import InputError
from .jsonl import iter_jsonl
from .records import Extraction, Paper


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_json(self) -> dict:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    title: str
    rows: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    notes: list[str] = field(default_factory=list)
    # row -> counts per scored unit: a paper (paragraphs and sentences of one paper are one unit, as they are
    # not independent of each other)
    units: dict[str, dict[str, PRF]] = field(default_factory=lambda: defaultdict(dict))
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)  # row -> 95% bootstrap interval of F1

    def add(self, row: str, counts: PRF, unit: str | None = None) -> None:
        """Counts of one scored record for one row; records with the same ``unit`` are resampled together."""
        self.rows[row].add(counts)
        per = self.units[row]
        key = unit if unit is not None else f"#{len(per)}"
        per.setdefault(key, PRF()).add(counts)

    def bootstrap(self, resamples: int = 1000, seed: int = 0) -> "Scores":
        """95% percentile intervals of each row's F1 over ``resamples`` resamplings of the units with
        replacement (a row measured on few units or few items gets a wide interval). A resampling holding no
        item of a row says nothing of its F1 and is left out; the same resamplings serve every row."""
        if resamples < 1:
            raise ValueError("resamples must be at least 1")
        for row, per in self.units.items():
            units = list(per.values())
            if not units:
                continue
            rng = random.Random(seed)
            f1s = []
            for _ in range(resamples):
                pick = rng.choices(units, k=len(units))
                c = PRF(sum(u.tp for u in pick), sum(u.fp for u in pick), sum(u.fn for u in pick))
                if c.tp + c.fp + c.fn:
                    f1s.append(c.f1)
            if f1s:
                f1s.sort()
                self.ci[row] = (f1s[int(0.025 * len(f1s))], f1s[max(0, int(0.975 * len(f1s)) - 1)])
        return self

    def table(self) -> str:
        w = max([28] + [len(name) for name in self.rows])  # (the label column fits the longest label)
        head = f"  {'':<{w}} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
        lines = [self.title, head + ("   F1 95% CI" if self.ci else "")]
        for name, s in self.rows.items():
            ci = f"   {self.ci[name][0]:.3f}-{self.ci[name][1]:.3f}" if name in self.ci else ""
            lines.append(f"  {name:<{w}} {s.p:6.3f} {s.r:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}{ci}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict:
        scores = {}
        for k, v in self.rows.items():
            scores[k] = v.to_json()
            if k in self.ci:
                scores[k]["f1_ci95"] = [round(x, 4) for x in self.ci[k]]
        return {"title": self.title, "scores": scores, "notes": self.notes}


def read_jsonl(path: str | Path) -> list[dict]:
    return [obj for _, obj in iter_jsonl(path)]


def _require(ok: bool, path, lineno: int, what: str) -> None:
    if not ok:
        raise InputError(f"{path}:{lineno}: {what}", "fix the record (see devset/README.md for the format)")


def read_gold_papers(path: str | Path) -> list[dict]:
    """Paper-level gold records, checked: a malformed record is an error naming ``file:line``."""
    rows = []
    for n, r in iter_jsonl(path):
        _require(isinstance(r, dict) and isinstance(r.get("id"), str), path, n, "a record needs a string 'id'")
        ents = r.get("entities", [])
        _require(isinstance(ents, list) and all(isinstance(e, dict) and isinstance(e.get("name"), str)
                                                and isinstance(e.get("type"), str)
                                                and isinstance(e.get("aliases", []), list) for e in ents),
                 path, n, "'entities' must be a list of {name, type, aliases}")
        for rel in ("introduces", "evaluated_on"):
            _require(isinstance(r.get(rel, []), list) and all(isinstance(x, str) for x in r.get(rel, [])),
                     path, n, f"'{rel}' must be a list of names")
        for rel in ("outperforms", "based_on"):
            _require(isinstance(r.get(rel, []), list) and all(isinstance(x, list) and len(x) == 2
                                                              and all(isinstance(y, str) for y in x)
                                                              for x in r.get(rel, [])),
                     path, n, f"'{rel}' must be a list of [A, B] name pairs")
        rows.append(r)
    return rows


def read_gold_spans(path: str | Path) -> list[dict]:
    """Span-annotated gold paragraphs (``id``, ``text``, ``entities`` with ``start``/``end``/``label``), checked."""
    rows = []
    for n, r in iter_jsonl(path):
        _require(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("text"), str),
                 path, n, "a record needs a string 'id' and 'text'")
        ents = r.get("entities")
        _require(isinstance(ents, list) and all(isinstance(e, dict) and isinstance(e.get("start"), int)
                                                and isinstance(e.get("end"), int) and isinstance(e.get("label"), str)
                                                for e in ents),
                 path, n, "'entities' must be a list of {start, end, label}")
        rels = r.get("relations", [])

        def _index(i: object) -> bool:
            return isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(ents)
        _require(isinstance(rels, list) and all(isinstance(x, dict) and _index(x.get("head")) and _index(x.get("tail"))
                                                and isinstance(x.get("label"), str) for x in rels),
                 path, n, "'relations' must be a list of {head, tail, label}, head and tail indexing 'entities'")
        rows.append(r)
    return rows


# ------------------------------------------------------------------ paper level
HEADLINE = {"model": "model", "dataset": "data", "benchmark": "data", "repo": "repo"}


_URLISH = re.compile(r"(?:https?://)?(?:www\.)?[\w\-]+(?:\.[\w\-]+)+/\S*$", re.IGNORECASE)


def _keys(names: Iterable[str]) -> frozenset[str]:
    """Identity keys of a name and its aliases; a URL also keys as its normalised form, so a link written
    with a mirror host (huggingface.host) matches the same link on huggingface.co."""
    names = [n for n in names if n]
    urls = [normalize_url(n) for n in names if _URLISH.match(n)]
    return frozenset(k for k in (name_key(n) for n in names + urls) if k)


def _max_matching(n_gold: int, n_pred: int, ok) -> int:
    """Size of a maximum one-to-one matching between gold items and predictions (``ok(i, j)``: may be paired),
    by augmenting paths: the score does not depend on the order items are listed in."""
    pair_of: dict[int, int] = {}  # prediction -> gold item

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(n_pred):
            if j not in seen and ok(i, j):
                seen.add(j)
                if j not in pair_of or augment(pair_of[j], seen):
                    pair_of[j] = i
                    return True
        return False
    return sum(1 for i in range(n_gold) if augment(i, set()))


def _match(gold: list[frozenset[str]], pred: list[frozenset[str]]) -> PRF:
    """One-to-one matching of alias-key sets (maximum); two items match when their key sets intersect."""
    tp = _max_matching(len(gold), len(pred), lambda i, j: bool(gold[i] & pred[j]))
    return PRF(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def _pair_match(gold: list[tuple[frozenset, frozenset]], pred: list[tuple[frozenset, frozenset]]) -> PRF:
    tp = _max_matching(len(gold), len(pred), lambda i, j: bool(gold[i][0] & pred[j][0] and gold[i][1] & pred[j][1]))
    return PRF(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def score_papers(gold: list[dict], preds: dict[str, Extraction], title: str = "paper-level") -> Scores:
    """Score extractions against paper-level gold records (matched by paper id)."""
    sc = Scores(title)
    for t in ("model", "dataset", "benchmark", "method", "repo"):
        sc.rows[f"entity:{t}"]
    sc.rows["entity:data (dataset+benchmark)"]
    sc.rows["typed F1 (model+data+repo)"]
    for rel in ("introduces", "evaluated_on", "outperforms", "based_on"):
        sc.rows[f"relation:{rel}"]
    missing = 0
    for g in gold:
        ext = preds.get(g["id"])
        if ext is None:
            missing += 1
            ext = Extraction(paper=Paper(id=g["id"], title=g.get("title", ""), abstract="", source=""))
        # a relation may name an entity by any of its names: each resolves to the entity's whole key set
        gold_alias: dict[str, frozenset] = {}
        for e in g.get("entities", []):
            keys = _keys([e["name"], *e.get("aliases", [])])
            for n in (e["name"], *e.get("aliases", [])):
                gold_alias.setdefault(n, keys)
        pred_alias: dict[str, frozenset] = {}
        for e in ext.entities:
            keys = _keys([e.name, *e.aliases])
            for n in (e.name, *e.aliases):
                pred_alias.setdefault(n, keys)

        def gk(n: str) -> frozenset:
            return gold_alias.get(n, _keys([n]))

        def pk(n: str) -> frozenset:
            return pred_alias.get(n, _keys([n]))

        unit = g["id"]
        for t in ("model", "dataset", "benchmark", "method", "repo"):
            sc.add(f"entity:{t}", _match([gk(e["name"]) for e in g.get("entities", []) if e["type"] == t],
                                         [pk(e.name) for e in ext.entities if e.type == t]), unit)
        data = _match([gk(e["name"]) for e in g.get("entities", []) if e["type"] in ("dataset", "benchmark")],
                      [pk(e.name) for e in ext.entities if e.type in ("dataset", "benchmark")])
        sc.add("entity:data (dataset+benchmark)", data, unit)
        typed = PRF()  # (one unit per paper, summed over the three heads)
        for head in ("model", "data", "repo"):
            typed.add(_match([gk(e["name"]) for e in g.get("entities", []) if HEADLINE.get(e["type"]) == head],
                             [pk(e.name) for e in ext.entities if HEADLINE.get(e.type) == head]))
        sc.add("typed F1 (model+data+repo)", typed, unit)
        for rel in ("introduces", "evaluated_on"):
            pred = {r.object for r in ext.relations if r.predicate == rel}
            sc.add(f"relation:{rel}", _match([gk(n) for n in g.get(rel, [])], [pk(n) for n in sorted(pred)]), unit)
        for rel in ("outperforms", "based_on"):
            # (fine_tuned_from is the based_on of a model fine-tuned from a model: the guidelines' based_on)
            kinds = (rel, "fine_tuned_from") if rel == "based_on" else (rel,)
            pred = {(r.subject, r.object) for r in ext.relations if r.predicate in kinds}
            sc.add(f"relation:{rel}", _pair_match([(gk(a), gk(b)) for a, b in g.get(rel, [])],
                                                  [(pk(a), pk(b)) for a, b in sorted(pred)]), unit)
    sc.notes.append(f"{len(gold)} gold papers" + (f", {missing} without a prediction (scored as empty)" if missing else ""))
    return sc


# ------------------------------------------------------------------ span level
GSAP_MAP = {"model": "MLModel", "dataset": "Dataset", "benchmark": "Dataset"}


def spans_from_extraction(ext: Extraction, label_map: dict[str, str], field: str = "abstract") -> set:
    out = set()
    for e in ext.entities:
        lab = label_map.get(e.type)
        if lab:
            for m in e.mentions:
                if m.field == field:
                    out.add((m.start, m.end, lab))
    return out


def score_spans(gold: list[dict], pred: dict[str, set], labels: Iterable[str], title: str) -> Scores:
    """Exact span+label micro P/R/F1 per label and over all ``labels``."""
    labels = list(labels)
    sc = Scores(title)
    for lab in labels:
        sc.rows[lab]
    for g in gold:
        gs = {(e["start"], e["end"], e["label"]) for e in g["entities"] if e["label"] in labels}
        ps = {x for x in pred.get(g["id"], set()) if x[2] in labels}
        micro = PRF()
        unit = str(g.get("doc_id") or g["id"])  # (the paper a paragraph or sentence comes from)
        for lab in labels:
            gl = {x for x in gs if x[2] == lab}
            pl = {x for x in ps if x[2] == lab}
            counts = PRF(tp=len(gl & pl), fp=len(pl - gl), fn=len(gl - pl))
            sc.add(lab, counts, unit)
            micro.add(counts)
        sc.add("micro", micro, unit)
    return sc


def baseline_spans(rows: list[dict], system: str) -> dict[str, set]:
    return {r["id"]: {(s, e, lab) for s, e, lab in r.get(system, [])} for r in rows}


# ------------------------------------------------------------------ pre-tokenised text
_NO_SPACE_BEFORE = set(",.;:!?)]}%'")
_NO_SPACE_AFTER = set("([{")


def detokenize(text: str) -> tuple[str, list[int]]:
    """Undo space-separated tokenisation ("self - attentive ( SA ) ," -> "self-attentive (SA),").

    Returns the new text and, for every character of it, its offset in the original text, so spans found
    in the new text map back exactly.
    """
    toks = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    out: list[str] = []
    index: list[int] = []
    prev = None
    for i, (start, tok) in enumerate(toks):
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        glue = prev is not None and (
            tok[0] in _NO_SPACE_BEFORE or prev[-1] in _NO_SPACE_AFTER or tok == "-" or prev == "-"
            and (i < 2 or toks[i - 2][1][-1].isalnum()))
        if tok == "-" and not (prev and prev[-1].isalnum() and nxt and nxt[0].isalnum()):
            glue = False
        if prev == "-" and not (i >= 2 and toks[i - 2][1][-1].isalnum() and tok[0].isalnum()):
            glue = tok[0] in _NO_SPACE_BEFORE
        if prev is not None and not glue:
            out.append(" ")
            index.append(start - 1)
        out.append(tok)
        index.extend(range(start, start + len(tok)))
        prev = tok
    return "".join(out), index


def map_spans(spans: set, index: list[int]) -> set:
    """Spans over detokenised text back to offsets of the original text."""
    return {(index[s], index[e - 1] + 1, lab) for s, e, lab in spans if 0 <= s < e <= len(index)}


# ------------------------------------------------------------------ SciER relations
SCIER_EVAL_ROW = "evaluated_on ~ Evaluated-With"
SCIER_COMPARE_ROW = "outperforms ~ Compare-With"


def _entity_spans(ext: Extraction, index: list[int]) -> dict[str, set[tuple[int, int]]]:
    """Each extracted entity's mention spans in the (detokenised) sentence, as offsets of the gold text."""
    out: dict[str, set[tuple[int, int]]] = {}
    for e in ext.entities:
        out[e.name] = {(s, t) for s, t, _ in map_spans({(m.start, m.end, "") for m in e.mentions
                                                        if m.field == "abstract"}, index)}
    return out


def score_scier_relations(gold: list[dict], exts: dict[str, Extraction], index: dict[str, list[int]],
                          title: str) -> Scores:
    """Relations of each sentence against SciER's, both argument spans exact (the corpus's own RE convention).

    - ``evaluated_on`` (paper -> dataset) against ``Evaluated-With`` (method -> dataset): the dataset spans
      are compared, as our subject is the paper, not a method span.
    - ``outperforms`` (A -> B) against ``Compare-With``: a predicted pair is right when SciER relates the two
      spans, in either direction (Compare-With has no direction and no polarity). Outperforming is one kind of
      comparison, so recall against all comparisons is a lower bound, and precision is the telling figure.
    """
    sc = Scores(title)
    for g in gold:
        ext = exts.get(g["id"])
        spans = _entity_spans(ext, index[g["id"]]) if ext is not None else {}
        ents = g["entities"]

        def span(i: int) -> tuple[int, int]:
            return ents[i]["start"], ents[i]["end"]

        gold_eval, gold_cmp = set(), set()
        for r in g.get("relations", ()):
            if r["label"] == "Evaluated-With":
                gold_eval |= {span(i) for i in (r["head"], r["tail"]) if ents[i]["label"] == "Dataset"}
            elif r["label"] == "Compare-With":
                gold_cmp.add(frozenset((span(r["head"]), span(r["tail"]))))
        rels = ext.relations if ext is not None else ()
        pred_eval = {s for r in rels if r.predicate == "evaluated_on" for s in spans.get(r.object, ())}
        # a predicted pair is the set of span pairs its names stand at; A > B and B > A are one comparison
        pairs = {frozenset(frozenset((a, b)) for a in spans.get(r.subject, ()) for b in spans.get(r.object, ()))
                 for r in rels if r.predicate == "outperforms"}
        hits = set().union(*(p & gold_cmp for p in pairs))  # gold pairs some prediction stands at
        tp = len(hits)
        unit = str(g.get("doc_id") or g["id"])
        sc.add(SCIER_EVAL_ROW, PRF(tp=len(pred_eval & gold_eval), fp=len(pred_eval - gold_eval),
                                   fn=len(gold_eval - pred_eval)), unit)
        sc.add(SCIER_COMPARE_ROW, PRF(tp=tp, fp=sum(1 for p in pairs if not p & gold_cmp),
                                      fn=len(gold_cmp - hits)), unit)
    sc.notes.append("evaluated_on is scored on the dataset span of Evaluated-With (our subject is the paper)")
    sc.notes.append("Compare-With holds every comparison, undirected and without polarity; outperforms is one kind "
                    "of comparison, so its recall here is a lower bound and its precision is the telling figure")
    return sc
