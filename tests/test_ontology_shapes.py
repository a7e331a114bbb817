"""SHACL shapes: the fixture graph conforms; each kind of damage is caught and reported in plain words."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.export import Selection  # noqa: E402
from kg.validate import (lift_property_shapes, load_ontology, load_shapes,  # noqa: E402
                         not_exists_as_minus, rdflib_graph, run_sparql_constraints, split_sparql_constraints,
                         validate_graph, validate_ntriples)
from ontology.namespaces import DEFAULT_BASE  # noqa: E402

K = rdflib.Namespace("https://w3id.org/llmkg/ontology#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
R = rdflib.Namespace(DEFAULT_BASE)


@pytest.fixture(scope="module")
def nt() -> bytes:
    store = graph_fixture.load_store()
    return ox.serialize(Selection(store, DEFAULT_BASE).triples(), format=ox.RdfFormat.N_TRIPLES)


def graph(nt: bytes) -> rdflib.Graph:
    return rdflib.Graph().parse(data=nt, format="nt")


def test_fixture_graph_conforms(nt):
    report = validate_ntriples(nt, base=DEFAULT_BASE)
    assert report.conforms and report.issues == []
    assert report.triples == len(graph(nt))


def assertion_of(g, s, p, o):
    for a in g.subjects(rdflib.RDF.subject, s):
        if (a, rdflib.RDF.predicate, p) in g and (a, rdflib.RDF.object, o) in g:
            return a
    raise AssertionError("no assertion")


def test_each_kind_of_damage_is_reported(nt):
    g = graph(nt)
    vic, gpt35 = R["model/Vicuna-7B"], R["model/GPT-3.5"]
    a = assertion_of(g, vic, K.outperforms, gpt35)
    g.remove((a, K.sentence, None))                                             # assertion without sentence
    g.set((assertion_of(g, R["paper/2401.00002"], K.introduces, R["model/MathCoder-13B"]), K.confidence,
           rdflib.Literal("1.5", datatype=rdflib.XSD.decimal)))                 # confidence out of range
    g.add((R["benchmark/MMLU"], SKOS.prefLabel, rdflib.Literal("MMLU v2")))       # two canonical names
    g.add((vic, K.basedOn, R["model/GPT-4"]))                                   # edge without evidence
    g.remove((R["model/MathCoder-13B"], K.basedOn, R["model/Llama_2_13B"]))      # evidence without edge
    g.add((R["paper/2401.00001"], K.evaluatedOn, R["model/GPT-4"]))             # odd range: warning only
    g.add((R["paper/2401.00001"], K.mentions, R["model/GPT-4"]))                # mention w/o sentence: warning
    report = validate_graph(g, base=DEFAULT_BASE)
    assert not report.conforms
    text = "\n".join(str(i) for i in report.violations)
    assert "kgo:sentence" in text and "evidence sentence" in text
    assert "between 0 and 1" in text and "'1.5'" in text
    assert "benchmark/MMLU skos:prefLabel: an entity needs exactly one canonical name" in text
    assert "the edge model/Vicuna-7B kgo:basedOn model/GPT-4 has no assertion" in text
    assert "is not in the graph" in text
    assert "the edge paper/2401.00001 kgo:evaluatedOn model/GPT-4 has no assertion" in text
    assert len(report.violations) == 6
    warnings = "\n".join(str(i) for i in report.warnings)
    assert len(report.warnings) == 2 and "points to something else" in warnings and "has no assertion giving its sentence" in warnings
    assert "https://" not in text  # messages use short names


def test_parameter_counts_and_dates_are_checked(nt):
    g = graph(nt)
    g.add((R["benchmark/MMLU"], K.parameterCount, rdflib.Literal("7000000000", datatype=rdflib.XSD.decimal)))
    g.set((R["paper/2401.00001"], rdflib.URIRef("https://schema.org/datePublished"), rdflib.Literal("not a date")))
    text = "\n".join(str(i) for i in validate_graph(g, base=DEFAULT_BASE).violations)
    assert "benchmark/MMLU: only a model has a parameter count" in text
    assert "publication date (schema:datePublished), typed xsd:date" in text
    g.set((R["paper/2401.00001"], rdflib.URIRef("https://schema.org/datePublished"),
           rdflib.Literal("2024-03", datatype=rdflib.XSD.gYearMonth)))
    g.remove((R["benchmark/MMLU"], K.parameterCount, None))
    assert validate_graph(g, base=DEFAULT_BASE).conforms


def test_split_evaluation_agrees_with_plain_pyshacl(nt):
    """SPARQL constraints run by Oxigraph must find the same focus nodes pySHACL finds on its own."""
    g = graph(nt)
    g.remove((R["model/MathCoder-13B"], K.basedOn, R["model/Llama_2_13B"]))
    g.add((R["model/Vicuna-7B"], K.basedOn, R["model/GPT-4"]))
    ours = validate_graph(g, base=DEFAULT_BASE)
    _c, results, _t = pyshacl_validate(g, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
                                       advanced=True, allow_warnings=True)
    theirs = {str(results.value(r, SH.focusNode)).replace(DEFAULT_BASE, "")
              for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)}
    assert {i.focus for i in ours.issues} == theirs and len(theirs) == 2


def test_lifted_property_shapes_report_what_the_nested_ones_do(nt):
    g = graph(nt)
    vic = R["model/Vicuna-7B"]
    g.remove((assertion_of(g, vic, K.outperforms, R["model/GPT-3.5"]), K.sentence, None))
    g.add((R["benchmark/MMLU"], SKOS.prefLabel, rdflib.Literal("MMLU v2")))
    g.add((vic, K.parameterCount, rdflib.Literal("-7", datatype=rdflib.XSD.decimal)))
    g.add((R["paper/2401.00001"], K.evaluatedOn, R["model/GPT-4"]))  # a warning
    core, _sparql = split_sparql_constraints(load_shapes())
    lifted = lift_property_shapes(core)
    assert len(list(lifted.subject_objects(SH.property))) < len(list(core.subject_objects(SH.property)))

    def results(shapes):
        _c, res, _t = pyshacl_validate(g, shacl_graph=shapes, ont_graph=load_ontology(), inference="none",
                                       allow_warnings=True)
        return sorted(tuple(str(res.value(r, p)) for p in (SH.resultSeverity, SH.focusNode, SH.resultPath,
                                                            SH.value, SH.resultMessage, SH.sourceShape))
                      for r in res.subjects(rdflib.RDF.type, SH.ValidationResult))
    nested = results(core)
    assert len(nested) == 4 and results(lifted) == nested


LIFT_CASES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:Closed a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Named a sh:NodeShape ; sh:targetClass ex:N ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:User a sh:NodeShape ; sh:targetClass ex:U ; sh:property [ sh:path ex:link ; sh:node ex:Named ] .
ex:Qual a sh:NodeShape ; sh:targetClass ex:Q ;
    sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:A ] ; sh:qualifiedMinCount 1 ;
                  sh:qualifiedValueShapesDisjoint true ] ,
                [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:B ] ; sh:qualifiedMinCount 1 ;
                  sh:qualifiedValueShapesDisjoint true ] .
ex:Klass a sh:NodeShape , rdfs:Class ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Plain a sh:NodeShape ; sh:targetClass ex:P ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""
LIFT_DATA = """
@prefix ex: <http://e/> .
ex:c a ex:C ; ex:name "ok" .
ex:n a ex:N . ex:u a ex:U ; ex:link ex:n .
ex:q a ex:Q ; ex:p ex:ab . ex:ab a ex:A , ex:B .
ex:k a ex:Klass . ex:pl a ex:P .
"""


def test_lifting_leaves_shapes_whose_property_links_mean_more():
    shapes = rdflib.Graph().parse(data=LIFT_CASES, format="turtle")
    lifted = lift_property_shapes(shapes)
    E = rdflib.Namespace("http://e/")
    kept = {n for n in lifted.subjects(SH.property, None)}
    assert kept == {E.Closed, E.Named, E.Qual, E.Klass}, kept  # ex:Plain and ex:User are lifted
    data = rdflib.Graph().parse(data=LIFT_DATA, format="turtle")

    def results(sg):
        _c, res, _t = pyshacl_validate(data, shacl_graph=sg, inference="none", allow_warnings=True)
        return sorted((str(res.value(r, SH.focusNode)), str(res.value(r, SH.sourceConstraintComponent)))
                      for r in res.subjects(rdflib.RDF.type, SH.ValidationResult))
    before = results(shapes)
    assert ("http://e/pl", str(SH.MinCountConstraintComponent)) in before
    assert ("http://e/u", str(SH.NodeConstraintComponent)) in before
    assert results(lifted) == before


def test_triples_become_the_graph_their_ntriples_text_parses_to(nt):
    from rdflib.compare import isomorphic
    extra = ox.parse(b'<http://x/a> <http://x/p> "chat"@en , "3.5"^^<http://www.w3.org/2001/XMLSchema#decimal> , '
                     b'"plain" , _:b1 . _:b1 <http://x/q> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                     format=ox.RdfFormat.TURTLE)
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)) + list(extra)
    direct = rdflib_graph(triples)
    parsed = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(direct) == len(parsed) == len(graph(nt)) + 5 and isomorphic(direct, parsed)


def test_not_exists_over_a_basic_pattern_runs_as_minus():
    edge = ("{ ?this ?p ?value . FILTER (?p IN (kgo:basedOn)) "
            "FILTER NOT EXISTS { ?a rdf:object ?value ; rdf:subject ?this ; rdf:predicate ?p } }")
    assert not_exists_as_minus(edge) == ("{ ?this ?p ?value . FILTER (?p IN (kgo:basedOn)) "
                                         "MINUS { ?a rdf:object ?value ; rdf:subject ?this ; rdf:predicate ?p } }")
    kept = [
        "{ ?this rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . FILTER NOT EXISTS { ?s ?p ?o } }",  # whole graph
        "{ ?this kgo:mentions ?v . FILTER NOT EXISTS { ?a rdf:object ?w . FILTER (?w != ?v) } }",  # inner filter
        "{ ?this kgo:mentions ?v . FILTER NOT EXISTS { ?a rdf:object ?w } }",  # no shared variable
        "{ ?this kgo:mentions ?v OPTIONAL { ?v kgo:family ?f } FILTER NOT EXISTS { ?f a kgo:Model } }",  # maybe unbound
        "{ ?this kgo:mentions ?v . FILTER NOT EXISTS { ?v a kgo:Model } } ORDER BY ?v",
        # the filter sees the whole group, MINUS only what stands before it
        "{ ?this kgo:mentions ?v . FILTER NOT EXISTS { ?a rdf:object ?w ; rdf:subject ?this } "
        "?this kgo:introduces ?w }",
    ]
    for where in kept:
        assert not_exists_as_minus(where) == where, where


def test_minus_and_not_exists_find_the_same_nodes(nt):
    """On a damaged graph the rewritten constraint queries report what the NOT EXISTS ones report."""
    g = graph(nt)
    g.add((R["model/Vicuna-7B"], K.basedOn, R["model/GPT-4"]))
    g.add((R["paper/2401.00001"], K.mentions, R["model/GPT-4"]))
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    _core, constraints = split_sparql_constraints(load_shapes())
    plain = []
    for c in constraints:
        head, brace, body = c.select.replace("$this", "?this").partition("{")
        q = f"{head}{brace} {{ SELECT DISTINCT ?this WHERE {{ {c.target} }} }} {body}"
        plain += sorted(row["this"].value for row in store.query(q))
    rewritten = sorted(i.focus for i in run_sparql_constraints(store, constraints, DEFAULT_BASE))
    assert len(plain) == 2 and rewritten == sorted(x.replace(DEFAULT_BASE, "") for x in plain)


def test_kg_validate_command(tmp_path, nt, capsys):
    from kg.cli import main
    good = tmp_path / "good.nt"
    good.write_bytes(nt)
    assert main(["validate", str(good)]) == 0
    assert "conforms (594 triples, 0 warning(s))" in capsys.readouterr().out
    bad = tmp_path / "bad.nt"
    bad.write_bytes(nt.replace(b'"0.6"^^<http://www.w3.org/2001/XMLSchema#decimal>',
                               b'"1.6"^^<http://www.w3.org/2001/XMLSchema#decimal>'))
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "kgo:confidence: an assertion has exactly one confidence" in captured.out
    assert "E030" in captured.err and "1 violation(s)" in captured.err
    for name, text in (("broken.ttl", "this is < not turtle"), ("rel.nt", "<a> <b> <c> .\n"),
                       ("bad.nq", "<http://x/a> <http://x/b> .\n"), ("bad.rdf", "<rdf:RDF><unclosed>"),
                       ("bad.jsonld", "{\"@context\": 5}"), ("cut.jsonld", "{\"a\": "), ("bad.trig", "<http://x/g> { <http://x/a> <http://x/b> }")):
        broken = tmp_path / name
        broken.write_text(text)
        assert main(["validate", str(broken)]) == 2, name
        err = capsys.readouterr().err
        assert "E001" in err and f"{name}: not parseable as" in err and "Traceback" not in err, err


def test_messages_say_what_is_wrong_once(nt):
    g = graph(nt)
    paper = R["paper/2401.00001"]
    g.remove((paper, rdflib.RDF.type, None))                                    # a paper no longer typed
    g.add((R["paper/2401.00002"], K.mentions, rdflib.Literal("GPT-4")))         # a literal: two constraints fail
    a = assertion_of(g, R["model/Vicuna-7B"], K.outperforms, R["model/GPT-3.5"])
    g.remove((R["model/Vicuna-7B"], K.outperforms, R["model/GPT-3.5"]))       # an assertion of a missing edge
    lines = [str(i) for i in validate_graph(g, base=DEFAULT_BASE).violations]
    derived = [x for x in lines if "prov:wasDerivedFrom" in x]
    assert derived and all("points to a kgo:Paper" in x and "exactly one paper" not in x for x in derived)
    literal = [x for x in lines if "'GPT-4'" in x and "kgo:mentions" in x]
    assert len(literal) == 1
    assert any("the edge model/Vicuna-7B kgo:outperforms model/GPT-3.5 that this assertion supports is not in the "
               "graph" in x and x.startswith(f"violation: {str(a).replace(DEFAULT_BASE, '')}") for x in lines), lines
