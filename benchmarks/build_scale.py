"""How `kg build` grows with its input: the bundled corpus, then the same corpus copied N times.

Each copy gets new paper ids and a marked title, so it counts as new papers (the entities stay shared, as
the models and benchmarks of a field do). Both builds run as child processes (`python -m kg build`, one
worker), so each reports its own peak memory. Printed per stage: seconds, milliseconds per paper, and the
ratio of the per-paper cost at N copies to the per-paper cost at one; a ratio near 1 is linear growth.

    python benchmarks/build_scale.py [--copies 4]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sources import bundled_corpus, read_sources  # noqa: E402

STAGE = re.compile(r"([a-z+]+) ([\d.]+) s")


def corpus_copies(n: int, path: Path) -> int:
    papers = read_sources([str(p) for p in bundled_corpus()]).papers
    with open(path, "w", encoding="utf-8") as out:
        for k in range(n):
            for p in papers:
                out.write(json.dumps({"id": f"{p.id}-copy{k}", "title": f"{p.title} (copy {k})",
                                      "abstract": p.abstract}) + "\n")
    return n * len(papers)


def build(path: Path, out: Path) -> tuple[dict[str, float], float, int]:
    """Run one build; its stage times, total seconds and peak resident memory in MiB."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(path), "--out", str(out), "--no-progress"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"kg build failed on {path}:\n{text}")
    line = next(x for x in text.splitlines() if x.strip().startswith("time"))
    total = float(re.search(r"time\s+([\d.]+) s", line).group(1))
    stages = {name: float(sec) for name, sec in STAGE.findall(line.split("(", 1)[1])}
    return stages, total, usage.ru_maxrss // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=4, help="copies of the corpus in the larger build (default 4)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = []
        for n in (1, args.copies):
            src = tmp / f"corpus-x{n}.jsonl"
            papers = corpus_copies(n, src)
            stages, total, rss = build(src, tmp / f"out-x{n}")
            runs.append((n, papers, stages, total, rss))
    (_, p1, s1, t1, m1), (n, pn, sn, tn, mn) = runs
    print(f"kg build, 1 worker: the bundled corpus ({p1} papers) and {n} copies of it ({pn} papers)")
    print(f"{'stage':<14}{'x1 s':>9}{f'x{n} s':>9}{'x1 ms/paper':>13}{f'x{n} ms/paper':>13}{'ratio':>8}")
    for name in [*s1, "total"]:
        a, b = (t1, tn) if name == "total" else (s1.get(name, 0.0), sn.get(name, 0.0))
        ra, rb = 1000 * a / p1, 1000 * b / pn
        print(f"{name:<14}{a:>9.1f}{b:>9.1f}{ra:>13.2f}{rb:>13.2f}{(rb / ra if ra else float('nan')):>8.2f}")
    print(f"peak memory: {m1} MiB at x1, {mn} MiB at x{n} ({mn / m1:.2f}x for {n}x the papers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
