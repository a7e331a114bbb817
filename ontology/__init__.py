"""Ontology package: the OWL vocabulary (kg.ttl), SHACL shapes (shapes.ttl), IRI minting and the
mapping from extraction records to RDF. Nothing here imports spaCy."""
