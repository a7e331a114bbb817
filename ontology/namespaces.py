"""Namespaces used by the graph. ``KGO`` is this project's own vocabulary (defined in ``kg.ttl``);
the rest are the standard vocabularies it aligns with. A test keeps ``KGO_TERMS`` and ``kg.ttl`` in sync.

Only the names listed in ``KGO_TERMS`` exist: ``kgo("Foo")`` raises for anything else, so a typo
fails at once instead of minting a term nobody defined.
"""
from __future__ import annotations

KGO_NS = "https://w3id.org/llmkg/ontology#"
DEFAULT_BASE = "https://w3id.org/llmkg/resource/"

PREFIXES = {
    "kgo": KGO_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "fair4ml": "https://w3id.org/fair4ml#",
    "fabio": "http://purl.org/spar/fabio/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sh": "http://www.w3.org/ns/shacl#",
}

KGO_CLASSES = ("Entity", "Paper", "Model", "Dataset", "Benchmark", "Method", "Repository", "Task", "Metric",
               "Organization", "Assertion", "Build")
KGO_PROPERTIES = ("mentions", "introduces", "evaluatedOn", "outperforms", "basedOn", "fineTunedFrom",
                  "hasRepository", "parameterCount", "family", "canonicalName", "abstract", "source",
                  "rule", "confidence", "field", "sentence", "startOffset", "endOffset", "entityType",
                  "gazetteerId", "papersCount", "pagerank", "degreeCentrality", "community", "toolVersion",
                  "schemaVersion", "arxivId")
KGO_TERMS = frozenset(KGO_CLASSES + KGO_PROPERTIES)
#: the version of the graph's shape a build writes (kgo:schemaVersion); raise it when stored graphs of an
#: earlier version would break the shapes or mean something else (2: typed publication dates, parameter
#: counts on models only; 3: "_" and "~" in names are no longer percent-encoded in IRIs, cut long names end in
#: "!<hash>", a space in a paper id is "%20")
SCHEMA_VERSION = 3

# extraction entity type -> ontology class
TYPE_CLASS = {"model": "Model", "dataset": "Dataset", "benchmark": "Benchmark", "method": "Method",
              "repo": "Repository", "task": "Task", "metric": "Metric", "organization": "Organization"}
# extraction relation predicate -> ontology property
PREDICATE_PROPERTY = {"introduces": "introduces", "evaluated_on": "evaluatedOn", "outperforms": "outperforms",
                      "based_on": "basedOn", "fine_tuned_from": "fineTunedFrom", "has_repository": "hasRepository",
                      "mentions": "mentions"}


def kgo(term: str) -> str:
    """Full IRI of a ``kgo:`` term; raises ``KeyError`` for a term the ontology does not define."""
    if term not in KGO_TERMS:
        raise KeyError(f"kgo:{term} is not defined in ontology/kg.ttl")
    return KGO_NS + term
