"""Extraction speed against spaCy's bare tokenizer, on the same texts, in one process, on one core.

Prints both throughputs (abstracts/s and words/s) and their ratio. The target is a ratio of at most 2.0
(extraction no slower than twice tokenization alone). Texts: the bundled sample corpus, repeated
``--repeat`` times so the timing is not dominated by start-up.

    python benchmarks/extract_bench.py [--repeat 8] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy  # noqa: E402

from kg.config import Config  # noqa: E402
from kg.pipeline import extract, get_nlp, paper_text  # noqa: E402
from kg.sources import bundled_corpus, read_sources  # noqa: E402


def best_of(rounds: int, fn) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=8, help="copies of the corpus to process (default 8)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is kept (default 3)")
    ap.add_argument("--long", action="store_true",
                    help="instead: time one paper whose abstract is 10 sample abstracts repeated 4 and 16 times "
                         "(in the abstract, then in the title), and print the cost per character at both lengths "
                         "and their ratio (near 1: linear; a pasted-in full text must not take quadratic time)")
    args = ap.parse_args()
    if args.long:
        return long_inputs(args.rounds)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    papers = read_sources([str(p) for p in bundled_corpus()]).papers * args.repeat
    texts = [paper_text(p) for p in papers]
    words = sum(len(t.split()) for t in texts)
    tok_nlp = spacy.blank("en")
    get_nlp()  # load rule data and compile matchers before timing
    cfg = Config(workers=1, batch_size=64)

    def tokenize():
        for _ in tok_nlp.pipe(texts, batch_size=64):
            pass

    def run_extract():
        for _ in extract(papers, cfg):
            pass

    t_tok = best_of(args.rounds, tokenize)
    t_ext = best_of(args.rounds, run_extract)
    n = len(texts)
    print(f"texts: {n} papers (title + abstract), {words} words, 1 core, best of {args.rounds} rounds")
    print(f"spaCy blank('en') tokenizer : {n / t_tok:8.0f} papers/s  {words / t_tok:9.0f} words/s  ({t_tok:.2f}s)")
    print(f"kg extract pipeline         : {n / t_ext:8.0f} papers/s  {words / t_ext:9.0f} words/s  ({t_ext:.2f}s)")
    ratio = t_ext / t_tok
    print(f"ratio extract/tokenize      : {ratio:.2f}x  (target <= 2.00x: {'met' if ratio <= 2.0 else 'NOT met'})")
    print("where the time goes (one pass, ms per paper):")
    nlp = get_nlp()
    t0 = time.perf_counter()
    docs = [nlp.tokenizer(t) for t in texts]
    stages = [("tokenizer", time.perf_counter() - t0)]
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        docs = [proc(d) for d in docs]
        stages.append((name, time.perf_counter() - t0))
    from extractors.rules import load_rule_data
    from extractors.to_records import Canonicalizer, doc_to_extraction
    canon = Canonicalizer(load_rule_data())
    t0 = time.perf_counter()
    for d, p in zip(docs, papers):
        doc_to_extraction(d, p, canon)
    stages.append(("to_records", time.perf_counter() - t0))
    for name, t in stages:
        print(f"  {name:<16} {1000 * t / n:6.3f}")
    return 0


def long_inputs(rounds: int) -> int:
    from kg.records import Paper
    papers = read_sources([str(p) for p in bundled_corpus()]).papers
    block = " ".join(p.abstract for p in papers[:10]) + " "
    cfg = Config(workers=1, progress=False)
    get_nlp()
    print("one paper with a long field; best of", rounds, "rounds")
    for field in ("abstract", "title"):
        per_char = []
        for copies in (4, 16):
            text = block * copies
            paper = Paper(id="long", title=text if field == "title" else "A title",
                          abstract=text if field == "abstract" else "An abstract.", source="bench")
            t = best_of(rounds, lambda: list(extract([paper], cfg)))
            per_char.append(t / len(text))
            print(f"  {field:<8} {len(text):>8} characters: {t:6.2f}s  ({1e6 * t / len(text):6.2f} us per character)")
        print(f"  {field:<8} cost per character at 16 copies / at 4 copies: {per_char[1] / per_char[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
