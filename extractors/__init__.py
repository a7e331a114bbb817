"""Extractors: a spaCy pipeline on ``spacy.blank("en")`` made of this project's own components.

``build_nlp()`` returns the pipeline (kg_sentences, kg_urls, kg_gazetteer, kg_name_shapes,
kg_resolver, kg_relations); ``extractors.to_records`` turns its Docs into ``Extraction`` records.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MAX_TEXT = 2_000_000  # characters of title + abstract; longer records are skipped by the readers
PIPE_NAMES = ("kg_sentences", "kg_urls", "kg_gazetteer", "kg_name_shapes", "kg_resolver", "kg_relations")


def build_nlp(data_dir: str | None = None) -> "Language":
    """A blank English pipeline with the extraction components added by name.

    spaCy is imported here, not at package import, so commands that never extract start fast.
    """
    import spacy

    from . import components  # registers the factories

    nlp = spacy.blank("en")
    nlp.max_length = MAX_TEXT  # no parser or NER runs here, so long texts cost memory linearly only
    nlp.tokenizer = components.TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_urls")
    for name in ("kg_gazetteer", "kg_name_shapes", "kg_resolver", "kg_relations"):
        nlp.add_pipe(name, config={"data_dir": data_dir})
    return nlp
