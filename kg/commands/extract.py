"""``kg extract``: read listings, run the extractors, write one JSON object per paper (JSON Lines)."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from ..errors import InputError, NoUsableInput, require_path
from ..progress import bar
from ..sources import READERS, ReadResult, bundled_corpus, read_sources

NAME = "extract"
ORDER = 10
HELP = "extract entities and relations from paper listings to JSON Lines"
DESCRIPTION = """Extract named models, datasets, benchmarks, methods and repository URLs, and the relations
introduces / evaluated_on / outperforms / based_on (each with its evidence sentence), from paper listings.

Inputs: Hugging Face daily-papers page text, JSON Lines, JSON arrays (incl. the daily-papers API shape,
OpenAlex and Semantic Scholar records), CSV/TSV with title+abstract columns (incl. Zotero, IEEE Xplore and
Web of Science exports), arXiv Atom XML, BibTeX and RIS with abstracts, directories (recursive) and '-' for
stdin.
With no input, the bundled sample corpus is used.

examples:
  kg extract                                # -> outputs/extractions.jsonl
  kg extract papers.jsonl arxiv.xml -o - | head -n1
  cat listing.txt | kg extract - -o out.jsonl --workers 2"""


def add_input_arguments(p) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files, directories or '-' (stdin); default: the bundled sample corpus")
    p.add_argument("--input-format", choices=sorted(READERS), default=None,
                   help="force one reader instead of choosing by extension/content")
    p.add_argument("--workers", type=int, default=None, help="worker processes for spaCy (default 1)")
    p.add_argument("--min-confidence", type=float, default=None, help="drop entities below this (default 0.5)")
    p.add_argument("--no-progress", dest="progress", action="store_false", default=None,
                   help="no progress bar on stderr")


def add_arguments(p) -> None:
    add_input_arguments(p)
    p.add_argument("-o", "--output", default=None,
                   help="output JSONL file, '-' for stdout (default: OUT/extractions.jsonl, OUT the out_dir "
                        "setting, outputs unless kg.toml says otherwise); written whole or not at all")


def skipped_count(res: ReadResult) -> int:
    """Records left out (a ``Note`` warns about a record that was kept)."""
    from ..sources import Note

    return sum(1 for s in res.skips if not isinstance(s, Note))


def read_inputs(args) -> ReadResult:
    """Read the inputs named on the command line, print one warning per skipped record, fail if none is usable."""
    for spec in args.inputs:
        require_path(spec, "an input path")
    inputs = args.inputs or [str(p) for p in bundled_corpus()]
    res = read_sources(inputs, fmt=args.input_format)
    for skip in res.skips:
        print(f"warning: {skip}", file=sys.stderr)
    if not res.papers:
        raise NoUsableInput(f"no usable paper records in {', '.join(args.inputs) or 'the input'} "
                            f"({skipped_count(res)} skipped)",
                            "give listings with a title and an abstract per paper (see 'kg extract --help')")
    return res


def _check_output(output: str, inputs: list[str]) -> None:
    """Refuse an output path that is a folder (``.``, ``/``, an empty path), names one (``newdir/``), or is one
    of the input files (it would be overwritten before it is read)."""
    target = Path(output)
    if target.is_dir():
        raise InputError(f"cannot write {output or repr(output)} (Is a directory)",
                         "give -o a file path in a writable directory, or '-' for stdout")
    if output.endswith(("/", os.sep)):
        raise InputError(f"cannot write {output} (a path ending in '/' names a folder)",
                         f"give -o a file path, e.g. {Path(output) / 'extractions.jsonl'}")
    for spec in inputs:
        if spec != "-" and Path(spec).is_file() and target.exists() and os.path.samefile(spec, target):
            raise InputError(f"-o {output} is the input file {spec}: writing it would overwrite what is read",
                             "give -o another file")


def run(args, config) -> int:
    from ..pipeline import extract

    config = config.with_overrides(workers=args.workers, min_confidence=args.min_confidence, progress=args.progress)
    t0 = time.perf_counter()
    if args.output is None:
        args.output = str(Path(config.out_dir) / "extractions.jsonl")
    if args.output != "-":
        _check_output(args.output, args.inputs)
    res = read_inputs(args)
    out = sys.stdout if args.output == "-" else None
    tmp = None
    target = Path(args.output)
    special = out is None and target.exists() and not target.is_file()  # (/dev/null, a pipe: written as it is)
    if out is None:  # written to a temporary file beside it, and put in place only when complete
        tmp = None if special else target.with_name(target.name + ".tmp")
        try:
            if not special:
                target.parent.mkdir(parents=True, exist_ok=True)
            out = open(target if special else tmp, "w", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.output} ({exc.strerror})",
                             "give -o a file path in a writable directory, or '-' for stdout") from exc
    n_ent = n_rel = 0
    done = False
    try:
        with bar(len(res.papers), "extract", config.progress) as pb:
            for ext in extract(res.papers, config, progress=pb.update):
                out.write(json.dumps(ext.to_json(), ensure_ascii=False) + "\n")
                n_ent += len(ext.entities)
                n_rel += len(ext.relations)
        done = True
    finally:
        if special:
            out.close()
        elif tmp is not None:
            out.close()
            if done:
                tmp.replace(args.output)
            else:  # interrupted or failed: the previous output (if any) stays as it was
                tmp.unlink(missing_ok=True)
    dt = time.perf_counter() - t0
    print(f"extracted {len(res.papers)} papers ({res.records} records, {len(res.duplicates)} duplicates merged, "
          f"{skipped_count(res)} skipped): {n_ent} entities, {n_rel} relations in {dt:.1f}s"
          + ("" if args.output == "-" else f" -> {args.output}"), file=sys.stderr)
    return 0
