"""kg: an offline knowledge-graph builder for the machine-learning literature.

Flow: sources -> extractors (spaCy) -> records -> ontology mapping (RDF) -> Oxigraph store ->
analytics (networkx) -> outputs (Turtle, JSONL, viewer, report) -> query / serve.
"""
__version__ = "0.1.0"
