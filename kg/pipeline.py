"""The one module that knows the stage order of extraction: papers -> spaCy Docs -> ``Extraction`` records.

``extract(papers, config)`` batches texts through ``nlp.pipe`` (``config.workers`` processes) and yields one
``Extraction`` per paper, in input order. Canonical names are assigned here, in the parent process, so the
result does not depend on how papers were split across workers.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from extractors import build_nlp
from extractors.components import FIELD_SEP
from extractors.rules import load_rule_data
from extractors.to_records import Canonicalizer, doc_to_extraction

from .config import Config
from .records import Extraction, Paper


def paper_text(paper: Paper) -> str:
    """The text a paper's Doc is made of: title, a blank line, abstract (offsets map back per field)."""
    return paper.title + FIELD_SEP + paper.abstract


_NLP = {}


def get_nlp(data_dir: str | None = None):
    if data_dir not in _NLP:
        _NLP[data_dir] = build_nlp(data_dir)
    return _NLP[data_dir]


def extract(papers: Iterable[Paper], config: Config | None = None, *, progress=None,
            data_dir: str | None = None) -> Iterator[Extraction]:
    """Run the extraction pipeline over papers; yields ``Extraction`` records in input order.

    ``progress`` is an optional callable taking the number of papers just finished (e.g. ``tqdm.update``).
    """
    config = config or Config()
    nlp = get_nlp(data_dir)
    canon = Canonicalizer(load_rule_data(data_dir))
    papers = list(papers)
    texts = (paper_text(p) for p in papers)
    n_process = max(1, int(config.workers))
    docs = nlp.pipe(texts, batch_size=config.batch_size, n_process=n_process)
    for paper, doc in zip(papers, docs):
        yield doc_to_extraction(doc, paper, canon, config.min_confidence)
        if progress is not None:
            progress(1)
