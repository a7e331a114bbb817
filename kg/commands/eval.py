"""``kg eval``: measure extraction quality (precision / recall / F1) on gold annotations."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..config import Config
from ..errors import InputError, require_path
from ..evaluate import (GSAP_MAP, Scores, baseline_spans, detokenize, map_spans, read_gold_papers, read_gold_spans,
                        read_jsonl, score_papers, score_scier_relations, score_spans, spans_from_extraction)
from ..jsonl import read_extractions
from ..records import Extraction, Paper
from ..sources import bundled_corpus, read_sources

NAME = "eval"
ORDER = 60
HELP = "score extraction against gold annotations (P/R/F1)"
DESCRIPTION = """Score the extractor.

--gold FILE     paper-level gold records (the development set in devset/); the papers are looked up by id in
                the inputs (default: the bundled sample corpus) and extracted, or read from --pred.
                With no --gold, --gsap or --scier: every devset/*.jsonl under the current folder.
--gsap DIR      a GSAP-NER folder (gold_abstracts.jsonl, baseline_predictions.jsonl): exact-span F1 for
                MLModel (our model) and Dataset (our dataset+benchmark), beside the released baselines.
--scier DIR     a SciER folder (gold.jsonl): exact-span F1 for Dataset, the share of model mentions that are
                Method spans, and relations: evaluated_on against Evaluated-With, outperforms against
                Compare-With (each sentence is extracted on its own).

--ci            a 95% interval for each F1 from 1,000 bootstrap resamplings of the scored papers (paragraphs and
                sentences of one paper are resampled together): how far a figure on few papers or few gold
                pairs can be trusted.

examples:
  kg eval --gold devset/tune.jsonl --gold devset/heldout.jsonl --ci
  kg eval --gsap ../shared/eval/gsap-ner --scier ../shared/eval/scier --json outputs/eval.json"""


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="listings holding the gold papers (default: bundled corpus)")
    p.add_argument("--gold", action="append", default=[], metavar="FILE", help="paper-level gold JSONL (repeatable)")
    p.add_argument("--pred", metavar="FILE", help="score this kg extract output instead of extracting now")
    p.add_argument("--gsap", metavar="DIR", help="GSAP-NER folder with gold_abstracts.jsonl")
    p.add_argument("--gsap-full", action="store_true",
                   help="also re-score the released baselines on all GSAP-NER paragraphs (all labels)")
    p.add_argument("--scier", metavar="DIR", help="SciER folder with gold.jsonl")
    p.add_argument("--json", metavar="FILE", help="also write all scores as JSON")
    p.add_argument("--ci", action="store_true",
                   help="add a 95%% bootstrap interval of each F1 (1,000 resamplings of the scored papers)")


def extract(papers, config):
    """The extraction pipeline, imported on first use (spaCy takes a second to load)."""
    from ..pipeline import extract as run_pipeline
    return run_pipeline(papers, config)


def _extract_map(papers: list[Paper], config: Config) -> dict[str, Extraction]:
    return {e.paper.id: e for e in extract(papers, config)}


def _paper_scores(args, config) -> list[Scores]:
    out = []
    if args.pred:
        preds = {ext.paper.id: ext for ext in read_extractions(args.pred)}
    else:
        res = read_sources(args.inputs or [str(p) for p in bundled_corpus()])
        preds = _extract_map(res.papers, config)
    for g in args.gold:
        gold = read_gold_papers(g)
        if not gold:  # (nothing to score: as wrong as gold that matches nothing)
            raise InputError(f"{g} holds no gold records, so there is nothing to score",
                             "give a gold file with one JSON record per line (see devset/README.md)")
        if not any(r["id"] in preds for r in gold):
            where = args.pred or ", ".join(args.inputs or ["the bundled corpus"])
            raise InputError(f"none of the {len(gold)} papers of {g} is among the papers of {where}, so every "
                             "score would be 0", "give the listings (or --pred records) the gold file was made from")
        out.append(score_papers(gold, preds, title=f"paper-level: {g}"))
    return out


def _corpus_file(option: str, value: str, name: str) -> Path:
    """The gold file of a --gsap / --scier corpus: ``name`` in the folder given (or the file given itself)."""
    d = Path(value)
    corpus = {"gsap": "GSAP-NER", "scier": "SciER"}[option]
    fix = f"give the {corpus} folder, which holds {name}"
    if d.is_dir() and not (d / name).is_file():
        raise InputError(f"--{option} {value}: the folder holds no {name}", fix)
    if not d.exists():
        raise InputError(f"--{option} {value}: no such folder", fix)
    return d / name if d.is_dir() else d


def _check_writable(path: str) -> None:
    """Fail before any scoring (which takes minutes) if the --json file cannot be written."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"--json {path} is a folder", f"give a file path, e.g. {p / 'eval.json'}")
    existed = p.exists()
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "a", encoding="utf-8"):  # (appending nothing: an existing file is left as it is)
            pass
    except OSError as exc:
        raise InputError(f"cannot write --json {path} ({exc.strerror or exc})",
                         "give a file path in a folder you may write to") from exc
    if not existed:
        p.unlink()


def _gsap_scores(args, config) -> list[Scores]:
    d = Path(args.gsap)
    gold_path = _corpus_file("gsap", args.gsap, "gold_abstracts.jsonl")
    gold = read_gold_spans(gold_path)
    papers = [Paper(id=r["id"], title=r.get("title") or "", abstract=r["text"], source=f"{gold_path}:{i}")
              for i, r in enumerate(gold, 1)]
    pred = {e.paper.id: spans_from_extraction(e, GSAP_MAP) for e in extract(papers, config)}
    labels = ("MLModel", "Dataset")
    out = [score_spans(gold, pred, labels, f"GSAP-NER abstracts ({len(gold)} paragraphs), exact span: kg")]
    base_path = (d if d.is_dir() else d.parent) / "baseline_predictions.jsonl"
    if base_path.exists():
        base = read_jsonl(base_path)
        for system in ("roberta", "scideberta", "scibert"):
            out.append(score_spans(gold, baseline_spans(base, system), labels,
                                   f"GSAP-NER abstracts, exact span: released {system} baseline"))
        if args.gsap_full:
            full = read_gold_spans((d if d.is_dir() else d.parent) / "gold.jsonl")
            all_labels = sorted({e["label"] for r in full for e in r["entities"]})
            for system in ("scibert", "scideberta", "roberta"):
                sc = score_spans(full, baseline_spans(base, system), all_labels,
                                 f"GSAP-NER all {len(full)} paragraphs, all labels: released {system} baseline")
                keep = ("micro", "MLModel", "Dataset")
                sc.rows = {k: sc.rows[k] for k in keep}
                sc.units = {k: sc.units[k] for k in keep}
                out.append(sc)
    return out


def _scier_scores(args, config) -> list[Scores]:
    rows = read_gold_spans(_corpus_file("scier", args.scier, "gold.jsonl"))
    out = []
    for split in ("test_ood", "test"):
        gold = [r for r in rows if r.get("split") == split]
        if not gold:
            continue
        detok = {r["id"]: detokenize(r["text"]) for r in gold}
        papers = [Paper(id=r["id"], title="", abstract=detok[r["id"]][0], source=r["id"]) for r in gold]
        exts = {e.paper.id: e for e in extract(papers, config)}
        pred = {k: map_spans(spans_from_extraction(e, {"dataset": "Dataset", "benchmark": "Dataset"}), detok[k][1])
                for k, e in exts.items()}
        sc = score_spans(gold, pred, ("Dataset",), f"SciER {split} ({len(gold)} sentences), exact span")
        hit = total = 0
        for g in gold:
            methods = {(e["start"], e["end"]) for e in g["entities"] if e["label"] == "Method"}
            models = {(s, e) for s, e, _ in map_spans(spans_from_extraction(exts[g["id"]], {"model": "M"}),
                                                      detok[g["id"]][1])}
            hit += len(models & methods)
            total += len(models)
        sc.notes.append(f"model mentions that are exactly a SciER Method span: {hit}/{total} "
                        f"(precision {hit / total if total else 0:.3f}; SciER mixes models with methods and "
                        "architectures, so recall is not meaningful)")
        sc.notes.append("text detokenised before extraction; spans mapped back to the gold offsets")
        out.append(sc)
        out.append(score_scier_relations(gold, exts, {k: v[1] for k, v in detok.items()},
                                         f"SciER {split} ({len(gold)} sentences), relations, argument spans exact"))
    return out


def run(args, config) -> int:
    config = config.with_overrides(progress=False)
    paths = [("an input path", v) for v in args.inputs] + [("the --gold path", g) for g in args.gold]
    paths += [(f"the --{option} path", getattr(args, option)) for option in ("pred", "gsap", "scier", "json")]
    for what, value in paths:
        require_path(value, what)
    for g in args.gold:  # (checked before the inputs are extracted, which takes a while)
        if Path(g).is_dir():
            raise InputError(f"--gold {g} is a folder, not a JSONL file",
                             "give a JSONL file of gold records (repeat --gold for each file)")
    for option, name in (("gsap", "gold_abstracts.jsonl"), ("scier", "gold.jsonl")):
        if getattr(args, option):
            _corpus_file(option, getattr(args, option), name)
    if args.json:
        _check_writable(args.json)
    if not (args.gold or args.gsap or args.scier):
        # (run from a checkout: every development-set file, the tuning files first and the held-out one last)
        files = sorted(Path("devset").glob("*.jsonl"), key=lambda f: (f.stem == "heldout", f.stem))
        defaults = [str(f) for f in files]
        if not defaults:
            raise InputError("nothing to score", "pass --gold FILE, --gsap DIR or --scier DIR")
        args.gold = defaults
    results: list[Scores] = []
    if args.gold:
        results += _paper_scores(args, config)
    if args.gsap:
        results += _gsap_scores(args, config)
    if args.scier:
        results += _scier_scores(args, config)
    for sc in results:
        if args.ci:
            sc.bootstrap()
        print(sc.table())
        print()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([s.to_json() for s in results], indent=2) + "\n", encoding="utf-8")
        print(f"scores written to {args.json}", file=sys.stderr)
    return 0
