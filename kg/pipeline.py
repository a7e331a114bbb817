"""The one module that knows the stage order of extraction: papers -> spaCy Docs -> ``Extraction`` records.

``extract(papers, config)`` batches texts through ``nlp.pipe`` (``config.workers`` processes) and yields one
``Extraction`` per paper, in input order. Canonical names are assigned here, in the parent process, so the
result does not depend on how papers were split across workers.
"""
from __future__ import annotations

import multiprocessing as mp
from functools import lru_cache
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from extractors import build_nlp
from extractors.components import FIELD_SEP
from extractors.normalize import reading_views
from extractors.rules import load_rule_data
from extractors.to_records import Canonicalizer, DocResult, doc_to_extraction

from .config import Config
from .errors import KGError
from .records import Extraction, Paper


def paper_text(paper: Paper) -> str:
    """The text a paper's Doc is made of: title, a blank line, abstract (offsets map back per field), each as
    the rules read it (``reading_views``: LaTeX markup out, Unicode hyphens plain; the records' offsets are
    mapped back to the text as read)."""
    (title, _), (abstract, _) = reading_views(paper.title, paper.abstract)
    return title + FIELD_SEP + abstract


@lru_cache(maxsize=4)
def get_nlp(data_dir: str | None = None):
    """The extraction pipeline, built once per process (and per rule-data folder)."""
    return build_nlp(data_dir)


def _process_chunk(args: tuple[list[str], str | None, int]) -> list[DocResult]:
    """Worker: run the pipeline over a chunk of texts and return plain records."""
    texts, data_dir, batch_size = args
    nlp = get_nlp(data_dir)
    return [DocResult.from_doc(d) for d in nlp.pipe(texts, batch_size=batch_size)]


def _results(texts: list[str], config: Config, data_dir: str | None) -> Iterator[DocResult]:
    n_process = max(1, int(config.workers))
    if n_process == 1 or len(texts) < 2 * config.batch_size:
        nlp = get_nlp(data_dir)
        for doc in nlp.pipe(texts, batch_size=config.batch_size):
            yield DocResult.from_doc(doc)
        return
    size = max(config.batch_size, len(texts) // (n_process * 4) or 1)
    chunks = [(texts[i:i + size], data_dir, config.batch_size) for i in range(0, len(texts), size)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    try:
        with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx) as pool:
            for chunk in pool.map(_process_chunk, chunks):
                yield from chunk
    except BrokenProcessPool as exc:  # a worker killed (out of memory, a signal): one line, not a traceback
        raise KGError(f"a worker process died while extracting ({exc})",
                      f"run again with fewer --workers than {n_process}, or with --workers 1") from exc


def extract(papers: Iterable[Paper], config: Config | None = None, *, progress=None,
            data_dir: str | None = None, known_names: Iterable[str] = ()) -> Iterator[Extraction]:
    """Run the extraction pipeline over papers; yields ``Extraction`` records in input order.

    ``config.workers`` > 1 spreads the papers over that many processes; canonical names are assigned here, in
    input order, so the output is the same for any number of workers. ``progress`` is an optional callable
    taking the number of papers just finished (e.g. ``tqdm.update``). ``known_names`` are canonical names an
    earlier run gave (a build adding to a store passes the store's): a new spelling of one of them takes it.
    """
    config = config or Config()
    canon = Canonicalizer(load_rule_data(data_dir), known_names)
    papers = list(papers)
    texts = [paper_text(p) for p in papers]
    for paper, res in zip(papers, _results(texts, config, data_dir)):
        yield doc_to_extraction(res, paper, canon, config.min_confidence)
        if progress is not None:
            progress(1)
