"""The ontology (kg.ttl) and the closed vocabulary in ontology/namespaces.py agree, and every term is documented
and aligned with the vocabularies consumers already know."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.validate import load_ontology, load_shapes
from ontology.namespaces import KGO_CLASSES, KGO_NS, KGO_PROPERTIES, KGO_TERMS, PREDICATE_PROPERTY, PREFIXES, TYPE_CLASS, kgo

KGO = rdflib.Namespace(KGO_NS)
SCHEMA = rdflib.Namespace(PREFIXES["schema"])
FAIR4ML = rdflib.Namespace(PREFIXES["fair4ml"])
PROV = rdflib.Namespace(PREFIXES["prov"])
DCAT = rdflib.Namespace(PREFIXES["dcat"])
FABIO = rdflib.Namespace(PREFIXES["fabio"])
SKOS = rdflib.Namespace(PREFIXES["skos"])


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return load_ontology()


def defined_terms(g: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s)[len(KGO_NS):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(KGO_NS)}


def test_kg_ttl_defines_exactly_the_closed_vocabulary(onto):
    assert defined_terms(onto) == set(KGO_TERMS)


def test_no_kgo_term_is_used_without_being_defined(onto):
    used = {str(t)[len(KGO_NS):] for triple in onto for t in triple
            if isinstance(t, rdflib.URIRef) and str(t).startswith(KGO_NS) and str(t) != KGO_NS}
    assert used <= set(KGO_TERMS)


def test_classes_and_properties_have_the_right_kind(onto):
    for c in KGO_CLASSES:
        assert (KGO[c], RDF.type, OWL.Class) in onto, c
    for p in KGO_PROPERTIES:
        kinds = set(onto.objects(KGO[p], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}, p
        assert len(kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}) == 1, p  # OWL 2 DL


@pytest.mark.parametrize("term", sorted(KGO_TERMS))
def test_every_term_has_an_english_label_and_comment(onto, term):
    labels = list(onto.objects(KGO[term], RDFS.label))
    comments = list(onto.objects(KGO[term], RDFS.comment))
    assert labels and all(l.language == "en" for l in labels)
    assert comments and len(str(comments[0])) > 20


def test_every_property_has_domain_and_every_edge_a_range(onto):
    for p in KGO_PROPERTIES:
        assert onto.value(KGO[p], RDFS.domain) is not None, p
        assert onto.value(KGO[p], RDFS.range) is not None, p


@pytest.mark.parametrize("sub,sup", [
    (KGO.Paper, SCHEMA.ScholarlyArticle), (KGO.Paper, FABIO.ResearchPaper),
    (KGO.Model, FAIR4ML.MLModel), (KGO.Dataset, SCHEMA.Dataset), (KGO.Dataset, DCAT.Dataset),
    (KGO.Benchmark, KGO.Dataset), (KGO.Repository, SCHEMA.SoftwareSourceCode),
    (KGO.Assertion, RDF.Statement), (KGO.Assertion, PROV.Entity), (KGO.Build, PROV.Activity),
    (KGO.Organization, SCHEMA.Organization),
])
def test_class_alignment(onto, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in onto


@pytest.mark.parametrize("sub,sup", [
    (KGO.fineTunedFrom, KGO.basedOn), (KGO.fineTunedFrom, FAIR4ML.fineTunedFrom),
    (KGO.basedOn, SCHEMA.isBasedOn), (KGO.mentions, SCHEMA.mentions), (KGO.introduces, KGO.mentions),
    (KGO.abstract, SCHEMA.abstract),
])
def test_property_alignment(onto, sub, sup):
    assert (sub, RDFS.subPropertyOf, sup) in onto


def test_no_property_chain_makes_non_models_evaluated(onto):
    """A chain inverse(introduces) o evaluatedOn cannot require a model: it would make a benchmark a paper
    introduces evaluated on itself. The catalogue query joins for models only."""
    assert onto.value(FAIR4ML.evaluatedOn, OWL.propertyChainAxiom) is None
    assert not list(onto.subjects(OWL.propertyChainAxiom, None))


def test_canonical_name_is_a_kind_of_skos_preferred_label_not_an_equivalent(onto):
    assert (KGO.canonicalName, RDFS.subPropertyOf, SKOS.prefLabel) in onto
    assert (KGO.canonicalName, RDF.type, OWL.AnnotationProperty) in onto
    assert not list(onto.triples((KGO.canonicalName, OWL.equivalentProperty, None)))  # would type all SKOS data


def test_type_and_predicate_tables_point_at_defined_terms():
    for cls in TYPE_CLASS.values():
        assert cls in KGO_CLASSES
    for prop in PREDICATE_PROPERTY.values():
        assert prop in KGO_PROPERTIES


def test_kgo_refuses_undefined_terms():
    assert kgo("Model") == KGO_NS + "Model"
    with pytest.raises(KeyError):
        kgo("Modle")


def test_shapes_only_use_defined_kgo_terms():
    shapes = load_shapes()
    used = {str(t)[len(KGO_NS):] for triple in shapes for t in triple
            if isinstance(t, rdflib.URIRef) and str(t).startswith(KGO_NS)}
    assert used and used <= set(KGO_TERMS)


ENTITY_CLASSES = {KGO[c] for c in TYPE_CLASS.values()}


def test_the_kinds_of_node_are_disjoint(onto):
    """A paper is no entity, and no entity is of two kinds: a benchmark is a dataset, so it is left out of the
    list (being one, it is disjoint from the rest through kgo:Dataset)."""
    from rdflib.collection import Collection
    groups = list(onto.subjects(RDF.type, OWL.AllDisjointClasses))
    assert len(groups) == 1
    members = list(Collection(onto, onto.value(groups[0], OWL.members)))
    assert len(members) == len(set(members)) and set(members) == ENTITY_CLASSES - {KGO.Benchmark}
    assert (KGO.Benchmark, RDFS.subClassOf, KGO.Dataset) in onto
    assert all((m, RDFS.subClassOf, KGO.Entity) in onto for m in members)
    assert (KGO.Paper, OWL.disjointWith, KGO.Entity) in onto


def test_an_owl_reasoner_finds_a_node_of_two_kinds(onto):
    import owlrl  # (installed with pyshacl: never a silent skip)
    g = rdflib.Graph()
    for t in onto:
        g.add(t)
    x = rdflib.Namespace("http://example.org/")
    for node, classes in (("both", (KGO.Model, KGO.Dataset)), ("paper", (KGO.Paper, KGO.Benchmark)),
                          ("task", (KGO.Method, KGO.Task)), ("fine", (KGO.Benchmark, KGO.Dataset))):
        for c in classes:
            g.add((x[node], RDF.type, c))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    error = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")  # how owlrl reports an inconsistency
    errors = " ".join(str(o) for o in g.objects(None, error))
    assert all(x[n] in errors for n in ("both", "paper", "task")) and x["fine"] not in errors, errors


def test_the_shapes_name_every_entity_class():
    """The shapes do not lean on kg.ttl's class hierarchy: each list of entity classes in them is complete."""
    from rdflib.namespace import SH
    shapes = load_shapes()
    kgs = rdflib.Namespace("https://w3id.org/llmkg/shapes#")
    assert set(shapes.objects(kgs.EntityShape, SH.targetClass)) == ENTITY_CLASSES | {KGO.Entity}
    assert set(shapes.objects(kgs.OneKindShape, SH.targetClass)) == ENTITY_CLASSES | {KGO.Paper}
    for shape in (kgs.EntityEdgeShape, kgs.OneKindShape):
        constraints = list(shapes.objects(shape, SH.sparql))
        assert constraints, shape  # (the loop below checks something)
        for constraint in constraints:
            query = str(shapes.value(constraint, SH.select))
            for c in ENTITY_CLASSES:
                assert f"kgo:{c.split('#')[1]}," in query or f"kgo:{c.split('#')[1]})" in query, (shape, c)
