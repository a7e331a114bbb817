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
                         not_exists_as_minus, rdflib_graph, run_sparql_constraints, shorten_iris,
                         split_sparql_constraints, validate_graph, validate_ntriples)
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
    g.add((R["paper/2401.00001"], K.evaluatedOn, R["model/GPT-4"]))             # evaluated on a model
    g.add((R["paper/2401.00001"], K.mentions, R["model/GPT-4"]))                # mention w/o sentence: warning
    report = validate_graph(g, base=DEFAULT_BASE)
    assert not report.conforms
    text = "\n".join(str(i) for i in report.violations)
    assert "kgo:sentence" in text and "evidence sentence" in text
    assert "between 0 and 1" in text and "'1.5'" in text
    assert "benchmark/MMLU skos:prefLabel: an entity needs exactly one canonical name" in text
    assert "the edge model/Vicuna-7B kgo:basedOn model/GPT-4 has no assertion" in text
    assert "the edge model/Vicuna-7B kgo:outperforms model/GPT-3.5 has no assertion" in text  # its sentence is gone
    assert "is not in the graph" in text
    assert "the edge paper/2401.00001 kgo:evaluatedOn model/GPT-4 has no assertion" in text
    assert "paper/2401.00001 kgo:evaluatedOn: a paper is evaluated on a dataset or benchmark: kgo:evaluatedOn must " \
           "point to a kgo:Dataset or kgo:Benchmark (value: model/GPT-4)" in text
    assert len(report.violations) == 8
    warnings = "\n".join(str(i) for i in report.warnings)
    assert len(report.warnings) == 1 and "has no assertion giving its sentence" in warnings
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
    g.remove((R["model/MathCoder-13B"], K.basedOn, R["model/Llama_2_13B"]))     # an assertion without its edge
    g.add((R["model/Vicuna-7B"], K.basedOn, R["model/GPT-4"]))                  # an edge without its assertion
    g.set((assertion_of(g, R["model/GPT-4"], K.outperforms, R["model/Vicuna-7B"]), K.sentence,
           rdflib.Literal("GPT-4 outperforms Vicuna-7B.")))                     # not the text at its offsets
    g.add((R["method/LoRA"], rdflib.RDF.type, K.Task))                          # two kinds of entity
    g.add((R["paper/2401.00003"], K.introduces, R["model/Nameless"]))           # an untyped object (no assertion)
    g.add((R["paper/2401.00002"], K.outperforms, R["model/GPT-4"]))             # a paper as subject (no assertion)
    ours = validate_graph(g, base=DEFAULT_BASE)
    _c, results, _t = pyshacl_validate(g, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
                                       advanced=True, allow_warnings=True)
    theirs = {str(results.value(r, SH.focusNode)).replace(DEFAULT_BASE, "")
              for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)}
    assert {i.focus for i in ours.issues} == theirs and len(theirs) == 6


def test_lifted_property_shapes_report_what_the_nested_ones_do(nt):
    g = graph(nt)
    vic = R["model/Vicuna-7B"]
    g.remove((assertion_of(g, vic, K.outperforms, R["model/GPT-3.5"]), K.sentence, None))
    g.add((R["benchmark/MMLU"], SKOS.prefLabel, rdflib.Literal("MMLU v2")))
    g.add((vic, K.parameterCount, rdflib.Literal("-7", datatype=rdflib.XSD.decimal)))
    g.add((R["paper/2401.00001"], K.evaluatedOn, R["model/GPT-4"]))  # (an sh:or: a nested shape list)
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
    g.add((R["paper/2401.00003"], K.introduces, R["model/Nameless"]))  # untyped: a NOT EXISTS with a FILTER in it
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    _core, constraints = split_sparql_constraints(load_shapes())
    plain = []
    for c in constraints:
        head, brace, body = c.select.replace("$this", "?this").partition("{")
        q = f"{head}{brace} {{ SELECT DISTINCT ?this WHERE {{ {c.target} }} }} {body}"
        plain += sorted(row["this"].value for row in store.query(q))
    rewritten = sorted(i.focus for i in run_sparql_constraints(store, constraints, DEFAULT_BASE))
    assert len(plain) == 4 and rewritten == sorted(x.replace(DEFAULT_BASE, "") for x in plain)


def test_kg_validate_command(tmp_path, nt, capsys):
    from kg.cli import main
    good = tmp_path / "good.nt"
    good.write_bytes(nt)
    assert main(["validate", str(good)]) == 0
    triples = len(set(nt.splitlines()) - {b""})
    assert f"conforms ({triples} triples, 0 warning(s))" in capsys.readouterr().out and triples > 500
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


# ------------------------------------------------------------------------------------------------ small graphs
# tests/fixtures/shapes/valid.ttl is one paper as `kg build` writes it (an edge of each kind, an assertion behind
# each); every case below breaks it in one way (a SPARQL update) and names the violation that must follow.

SMALL = Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl"
UPDATE_PROLOGUE = """BASE <https://w3id.org/llmkg/resource/>
PREFIX kgo: <https://w3id.org/llmkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def small_graph(*updates: str) -> rdflib.Graph:
    g = rdflib.Graph().parse(SMALL, format="turtle")
    for update in updates:
        g.update(UPDATE_PROLOGUE + update)
    return g


def set_value(node: str, prop: str, value: str) -> str:
    return f"DELETE {{ <{node}> {prop} ?old }} INSERT {{ <{node}> {prop} {value} }} WHERE {{ <{node}> {prop} ?old }}"


# (case, update, focus node, words of the violation it must give)
BROKEN = [
    # the subject of a paper's edge is a paper
    ("model-introduces", "INSERT DATA { <model/GPT-4> kgo:introduces <method/LoRA> }", "model/GPT-4",
     "only a paper introduces something: the subject of kgo:introduces must be a kgo:Paper"),
    ("model-evaluated-on", "INSERT DATA { <model/GPT-4> kgo:evaluatedOn <benchmark/MMLU> }", "model/GPT-4",
     "only a paper is evaluated on a dataset or benchmark"),
    ("model-has-repository", "INSERT DATA { <model/GPT-4> kgo:hasRepository <repo/github.com/example/zorb> }",
     "model/GPT-4", "only a paper has a code repository"),
    ("model-mentions", "INSERT DATA { <model/GPT-4> kgo:mentions <method/LoRA> }", "model/GPT-4",
     "only a paper mentions entities"),
    # the subject of an edge between entities is an entity
    ("paper-outperforms", "INSERT DATA { <paper/p1> kgo:outperforms <model/GPT-4> }", "paper/p1",
     "paper/p1 is the subject of kgo:outperforms but is not a typed entity"),
    ("paper-based-on", "INSERT DATA { <paper/p1> kgo:basedOn <model/GPT-4> }", "paper/p1",
     "paper/p1 is the subject of kgo:basedOn but is not a typed entity"),
    ("paper-fine-tuned-from", "INSERT DATA { <paper/p1> kgo:fineTunedFrom <model/GPT-4> }", "paper/p1",
     "only a model is fine-tuned: the subject of kgo:fineTunedFrom must be a kgo:Model"),
    ("method-fine-tuned-from", "INSERT DATA { <method/LoRA> kgo:fineTunedFrom <model/GPT-4> }", "method/LoRA",
     "only a model is fine-tuned"),
    ("benchmark-in-a-family", "INSERT DATA { <benchmark/MMLU> kgo:family <model/Zorb> }", "benchmark/MMLU",
     "only a model belongs to a model family"),
    # the object
    ("repository-is-a-model", "INSERT DATA { <paper/p1> kgo:hasRepository <model/GPT-4> }", "paper/p1",
     "kgo:hasRepository must point to a kgo:Repository"),
    ("evaluated-on-a-model", "INSERT DATA { <paper/p1> kgo:evaluatedOn <model/GPT-4> }", "paper/p1",
     "kgo:evaluatedOn must point to a kgo:Dataset or kgo:Benchmark"),
    ("evaluated-on-a-method", "INSERT DATA { <paper/p1> kgo:evaluatedOn <method/LoRA> }", "paper/p1",
     "kgo:evaluatedOn must point to a kgo:Dataset or kgo:Benchmark"),
    ("fine-tuned-from-a-method", "INSERT DATA { <model/GPT-4> kgo:fineTunedFrom <method/LoRA> }", "model/GPT-4",
     "a model can only be fine-tuned from a kgo:Model"),
    ("family-is-a-method", "INSERT DATA { <model/GPT-4> kgo:family <method/LoRA> }", "model/GPT-4",
     "a model family (kgo:family) must itself be a kgo:Model"),
    ("introduces-an-untyped-node", "INSERT DATA { <paper/p1> kgo:introduces <model/Nameless> }", "paper/p1",
     "kgo:introduces points to model/Nameless, which is not a typed entity"),
    ("mentions-a-paper", "INSERT DATA { <paper/p1> kgo:mentions <paper/p2> . <paper/p2> a kgo:Paper }", "paper/p1",
     "kgo:mentions points to paper/p2, which is not a typed entity"),
    ("outperforms-a-paper", "INSERT DATA { <model/Zorb-7B> kgo:outperforms <paper/p1> }", "model/Zorb-7B",
     "kgo:outperforms points to paper/p1, which is not a typed entity"),
    # lineage joins data to data, models and methods to each other
    ("dataset-based-on-a-model", "INSERT DATA { <dataset/ZorbMath> kgo:basedOn <model/GPT-4> }", "dataset/ZorbMath",
     "a dataset or benchmark can only be based on a dataset or benchmark"),
    ("benchmark-based-on-a-method", "INSERT DATA { <benchmark/MMLU> kgo:basedOn <method/LoRA> }", "benchmark/MMLU",
     "a dataset or benchmark can only be based on a dataset or benchmark"),
    ("model-based-on-a-benchmark", "INSERT DATA { <model/Zorb-7B> kgo:basedOn <benchmark/MMLU> }", "model/Zorb-7B",
     "a model or method can only be based on a model or method"),
    ("method-based-on-a-dataset", "INSERT DATA { <method/LoRA> kgo:basedOn <dataset/ZorbMath> }", "method/LoRA",
     "a model or method can only be based on a model or method"),
    # one kind per node
    ("model-and-dataset", "INSERT DATA { <model/GPT-4> a kgo:Dataset }", "model/GPT-4",
     "model/GPT-4 is typed both kgo:Dataset and kgo:Model"),
    ("benchmark-and-model", "INSERT DATA { <benchmark/MMLU> a kgo:Model }", "benchmark/MMLU",
     "benchmark/MMLU is typed both kgo:Benchmark and kgo:Model"),
    ("method-and-task", "INSERT DATA { <method/LoRA> a kgo:Task }", "method/LoRA",
     "method/LoRA is typed both kgo:Method and kgo:Task"),
    ("paper-and-model", "INSERT DATA { <paper/p1> a kgo:Model }", "paper/p1",
     "paper/p1 is typed both kgo:Model and kgo:Paper"),
    # the assertion behind an edge is a typed kgo:Assertion with a sentence, a paper and a rule
    ("untyped-assertion", "DELETE DATA { <assertion/beats> a kgo:Assertion }", "model/Zorb-7B",
     "the edge model/Zorb-7B kgo:outperforms model/GPT-4 has no assertion giving its evidence sentence"),
    ("assertion-without-rule", "DELETE WHERE { <assertion/tuned> kgo:rule ?rule }", "model/Zorb-7B",
     "the edge model/Zorb-7B kgo:fineTunedFrom model/Llama_2_7B has no assertion"),
    ("assertion-without-paper", "DELETE WHERE { <assertion/repo> prov:wasDerivedFrom ?paper }", "paper/p1",
     "the edge paper/p1 kgo:hasRepository repo/github.com/example/zorb has no assertion"),
    ("assertion-without-sentence", "DELETE WHERE { <assertion/eval> kgo:sentence ?sentence }", "paper/p1",
     "the edge paper/p1 kgo:evaluatedOn benchmark/MMLU has no assertion"),
    # ... and its sentence is the field's text at its offsets (0-based code points, end exclusive)
    ("sentence-not-the-text", set_value("assertion/beats", "kgo:sentence", '"Zorb-7B outperforms GPT-4."'),
     "assertion/beats", "the evidence sentence (kgo:sentence) is not the text of the paper's"),
    ("offsets-one-based", set_value("assertion/intro", "kgo:startOffset", "1") + " ; " +
     set_value("assertion/intro", "kgo:endOffset", "70"), "assertion/intro", "is not the text of the paper's"),
    ("offsets-in-utf-16", set_value("assertion/beats", "kgo:startOffset", "71") + " ; " +  # the zebra counted twice
     set_value("assertion/beats", "kgo:endOffset", "105"), "assertion/beats", "is not the text of the paper's"),
    ("end-past-the-text", set_value("assertion/repo", "kgo:endOffset", "230"),  # (the sentence still matches)
     "assertion/repo", "characters long); it must be exactly that part of the title or abstract"),
    ("field-is-the-title", set_value("assertion/beats", "kgo:field", '"title"'), "assertion/beats",
     "is not the text of the paper's"),
    ("field-is-the-abstract", set_value("assertion/title-zorb", "kgo:field", '"abstract"'), "assertion/title-zorb",
     "is not the text of the paper's"),
    # SKOS S13: a label is not also an alias
    ("alias-is-the-name", 'INSERT DATA { <model/Zorb-7B> skos:altLabel "Zorb-7B" }', "model/Zorb-7B",
     "an alias (skos:altLabel) repeats the canonical name (skos:prefLabel)"),
]


def test_the_small_graph_conforms():
    report = validate_graph(small_graph(), base=DEFAULT_BASE)
    assert report.conforms and report.issues == [], [str(i) for i in report.issues]


@pytest.mark.parametrize("update,focus,words", [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_each_break_of_the_small_graph_is_a_violation(update, focus, words):
    report = validate_graph(small_graph(update), base=DEFAULT_BASE)
    lines = [str(i) for i in report.violations if i.focus == focus]
    assert any(words in x for x in lines), [str(i) for i in report.issues]


def test_an_alias_in_another_language_or_spelling_is_no_repeated_label():
    g = small_graph('INSERT DATA { <model/Zorb-7B> skos:altLabel "zorb-7b" , "Zorb-7B " }')
    assert validate_graph(g, base=DEFAULT_BASE).conforms


def test_a_benchmark_may_also_be_typed_as_a_dataset():
    """kgo:Benchmark is a kind of kgo:Dataset: a graph with the RDFS types inferred stays valid."""
    g = small_graph("INSERT DATA { <benchmark/MMLU> a kgo:Dataset , kgo:Entity . <model/GPT-4> a kgo:Entity }")
    assert validate_graph(g, base=DEFAULT_BASE).conforms


def pyshacl_alone(g: rdflib.Graph) -> tuple[bool, list[tuple[str, str, str]]]:
    """pySHACL with the shipped shapes and nothing else: no kg.ttl, no inference, no split of the SPARQL
    constraints (what a third party validating graph.ttl runs)."""
    conforms, results, _text = pyshacl_validate(g, shacl_graph=load_shapes())
    return conforms, [(str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                       str(results.value(r, SH.focusNode)).replace(DEFAULT_BASE, ""),
                       shorten_iris(str(results.value(r, SH.resultMessage)), DEFAULT_BASE))
                      for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)]


def test_the_shapes_need_no_ontology():
    """Without kg.ttl pySHACL sees no rdfs:subClassOf: a mentioned benchmark must still be an entity, a
    benchmark still data."""
    conforms, results = pyshacl_alone(small_graph())
    assert conforms and results == []


ALONE = ["evaluated-on-a-model", "model-introduces", "paper-based-on", "mentions-a-paper", "dataset-based-on-a-model",
         "method-and-task", "untyped-assertion", "offsets-one-based", "alias-is-the-name"]  # (none hides another)


def test_the_shapes_alone_find_what_they_find_with_the_ontology():
    """Several breaks at once (one pySHACL run: its SPARQL constraints are slow): each gives its violation."""
    cases = {c[0]: c for c in BROKEN}
    conforms, results = pyshacl_alone(small_graph(*(cases[name][1] for name in ALONE)))
    assert not conforms
    for name in ALONE:
        _name, _update, focus, words = cases[name]
        assert any(sev == "Violation" and f == focus and words in msg for sev, f, msg in results), (name, results)
