"""Records -> RDF: the shape of the graph, its provenance, and what is dropped (with a warning) instead of crashing."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.records import Entity, Evidence, Extraction, Mention, Paper, Relation  # noqa: E402
from ontology.mapping import Mapper, decimal_literal, enclosing_sentence  # noqa: E402

BASE = "https://example.org/kg/"


def to_rdflib(quads) -> rdflib.Graph:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def tiny() -> Extraction:
    paper = Paper(id="p1", title="Tiny-LM", abstract="We introduce Tiny-LM. It beats Big-LM.", source="t.jsonl:1")
    return Extraction(
        paper=paper,
        entities=(Entity("Tiny-LM", "model", 0.9, (Mention("Tiny-LM", "title", 0, 7, "gaz", 0.9),)),
                  Entity("Big-LM", "model", 0.8, (Mention("Big-LM", "abstract", 31, 37, "shape", 0.7),))),
        relations=(Relation("p1", "introduces", "Tiny-LM", 0.9, "cue:introduce",
                            Evidence("abstract", 0, 21, "We introduce Tiny-LM.")),
                   Relation("Tiny-LM", "outperforms", "Big-LM", 0.75, "cue:beats",
                            Evidence("abstract", 22, 38, "It beats Big-LM."))))


def test_tiny_extraction_maps_to_the_documented_shape():
    m = Mapper(BASE)
    mapped = m.map(tiny())
    p, t, b = BASE + "paper/p1", BASE + "model/Tiny-LM", BASE + "model/Big-LM"
    kgo = "https://w3id.org/llmkg/ontology#"
    a_intro = m.iri.assertion("p1", p, kgo + "introduces", t, "abstract", 0, 21, "cue:introduce")
    a_out = m.iri.assertion("p1", t, kgo + "outperforms", b, "abstract", 22, 38, "cue:beats")
    a_m1 = m.iri.assertion("p1", p, kgo + "mentions", t, "title", 0, 7, "gaz")
    a_m2 = m.iri.assertion("p1", p, kgo + "mentions", b, "abstract", 22, 38, "shape")
    expected = f"""
    @prefix kgo: <{kgo}> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <{p}> a kgo:Paper ; dcterms:identifier "p1" ; dcterms:title "Tiny-LM" ;
        kgo:abstract "We introduce Tiny-LM. It beats Big-LM." ; kgo:source "t.jsonl:1" ;
        kgo:mentions <{t}> , <{b}> ; kgo:introduces <{t}> .
    <{t}> a kgo:Model ; skos:prefLabel "Tiny-LM" ; kgo:entityType "model" ; kgo:outperforms <{b}> .
    <{b}> a kgo:Model ; skos:prefLabel "Big-LM" ; kgo:entityType "model" .
    <{a_intro}> a kgo:Assertion ; rdf:subject <{p}> ; rdf:predicate kgo:introduces ; rdf:object <{t}> ;
        prov:wasDerivedFrom <{p}> ; kgo:rule "cue:introduce" ; kgo:confidence "0.9"^^xsd:decimal ;
        kgo:field "abstract" ; kgo:sentence "We introduce Tiny-LM." ; kgo:startOffset 0 ; kgo:endOffset 21 .
    <{a_out}> a kgo:Assertion ; rdf:subject <{t}> ; rdf:predicate kgo:outperforms ; rdf:object <{b}> ;
        prov:wasDerivedFrom <{p}> ; kgo:rule "cue:beats" ; kgo:confidence "0.75"^^xsd:decimal ;
        kgo:field "abstract" ; kgo:sentence "It beats Big-LM." ; kgo:startOffset 22 ; kgo:endOffset 38 .
    <{a_m1}> a kgo:Assertion ; rdf:subject <{p}> ; rdf:predicate kgo:mentions ; rdf:object <{t}> ;
        prov:wasDerivedFrom <{p}> ; kgo:rule "gaz" ; kgo:confidence "0.9"^^xsd:decimal ;
        kgo:field "title" ; kgo:sentence "Tiny-LM" ; kgo:startOffset 0 ; kgo:endOffset 7 .
    <{a_m2}> a kgo:Assertion ; rdf:subject <{p}> ; rdf:predicate kgo:mentions ; rdf:object <{b}> ;
        prov:wasDerivedFrom <{p}> ; kgo:rule "shape" ; kgo:confidence "0.7"^^xsd:decimal ;
        kgo:field "abstract" ; kgo:sentence "It beats Big-LM." ; kgo:startOffset 22 ; kgo:endOffset 38 .
    """
    assert isomorphic(to_rdflib(mapped.quads), rdflib.Graph().parse(data=expected, format="turtle"))
    assert {q.graph_name.value for q in mapped.quads} == {BASE + "graph/paper/p1"}
    assert mapped.warnings == []
    assert mapped.edges == {"introduces": 1, "outperforms": 1}


def test_every_sentence_matches_the_paper_text_at_its_offsets():
    """Provenance is exact: field text[start:end] is the stored sentence, for every assertion of the fixture."""
    store = graph_fixture.load_store()
    rows = list(store.query("""
        PREFIX kgo: <https://w3id.org/llmkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?field ?s ?e ?sentence ?title ?abstract WHERE {
          ?a kgo:field ?field ; kgo:startOffset ?s ; kgo:endOffset ?e ; kgo:sentence ?sentence ;
             prov:wasDerivedFrom ?p . ?p dcterms:title ?title ; kgo:abstract ?abstract }"""))
    assert len(rows) > 40
    for r in rows:
        text = r["title"].value if r["field"].value == "title" else r["abstract"].value
        assert text[int(r["s"].value):int(r["e"].value)] == r["sentence"].value


def test_entity_details_family_params_aliases_repo_url():
    mapped = Mapper(BASE).map(graph_fixture.build()[0])
    g = to_rdflib(mapped.quads)
    K = rdflib.Namespace("https://w3id.org/llmkg/ontology#")
    SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    vic = rdflib.URIRef(BASE + "model/Vicuna-7B")
    fam = rdflib.URIRef(BASE + "model/Vicuna")
    assert g.value(vic, K.family) == fam
    assert (fam, rdflib.RDF.type, K.Model) in g and str(g.value(fam, SKOS.prefLabel)) == "Vicuna"
    pc = g.value(vic, K.parameterCount)
    assert pc.datatype == rdflib.XSD.decimal and int(pc.toPython()) == 7_000_000_000
    assert str(g.value(vic, SKOS.altLabel)) == "Vicuna 7B"
    assert str(g.value(vic, K.gazetteerId)) == "m:vicuna-7b"
    repo = rdflib.URIRef(BASE + "repo/github.com%2Fexample%2Fvicuna-lite")
    url = g.value(repo, rdflib.URIRef("https://schema.org/url"))
    assert str(url) == "https://github.com/example/vicuna-lite" and url.datatype == rdflib.XSD.anyURI
    paper = rdflib.URIRef(BASE + "paper/2401.00001")
    assert {str(a) for a in g.objects(paper, rdflib.URIRef("https://schema.org/author"))} == {"Ada Lovelace", "Alan Turing"}
    assert (paper, K.hasRepository, repo) in g and (vic, K.fineTunedFrom, rdflib.URIRef(BASE + "model/Llama_2_7B")) in g


def test_mapping_is_deterministic():
    a = [str(q) for e in graph_fixture.build() for q in Mapper(BASE).map(e).quads]
    b = [str(q) for e in graph_fixture.build() for q in Mapper(BASE).map(e).quads]
    assert a == b and len(a) == len(set(a))


def test_bad_relations_and_entities_become_warnings_not_crashes():
    ext = tiny()
    bad = replace(ext, entities=ext.entities + (Entity("  ", "model", 0.5, ()), Entity("X", "gadget", 0.5, ())),
                  relations=ext.relations + (
                      Relation("Tiny-LM", "based_on", "Nobody-LM", 0.5, "r", Evidence("abstract", 0, 21, "x")),
                      Relation("p1", "cites", "Tiny-LM", 0.5, "r", Evidence("abstract", 0, 21, "x")),
                      Relation("Tiny-LM", "outperforms", "Big-LM", 0.5, "r", Evidence("abstract", 30, 999, "x")),
                      Relation("Tiny-LM", "outperforms", "Big-LM", 0.5, "r", Evidence("body", 0, 5, "x")),
                      Relation("Tiny-LM", "outperforms", "Big-LM", 0.5, "r", Evidence("abstract", 21, 22, " ")),
                      Relation("Tiny-LM", "based_on", "Big-LM", 0.5, "r", Evidence("abstract", 22, 38, "It beats"))))
    mapped = Mapper(BASE).map(bad)
    text = "\n".join(mapped.warnings)
    assert len(mapped.warnings) == 8
    assert "empty evidence span" in text and "does not match the abstract text at 22-38; the paper text is kept" in text
    assert "'Nobody-LM', which is not an entity of this paper" in text
    assert "predicate 'cites' is unknown" in text
    assert "unknown type 'gadget'" in text
    assert "is empty" in text
    assert "outside the paper text" in text
    assert all(w.startswith("paper p1 (t.jsonl:1)") for w in mapped.warnings)
    assert mapped.edges == {"introduces": 1, "outperforms": 1, "based_on": 1}
    kept = [q.object.value for q in mapped.quads if q.predicate.value.endswith("#sentence")]
    assert "It beats" not in kept and "It beats Big-LM." in kept


def test_relation_names_resolve_through_aliases_and_case():
    ext = tiny()
    ents = (replace(ext.entities[0], aliases=("TinyLM",)), ext.entities[1])
    rel = Relation("TinyLM", "based_on", "big-lm", 0.6, "r", Evidence("abstract", 22, 38, "It beats Big-LM."))
    mapped = Mapper(BASE).map(replace(ext, entities=ents, relations=(rel,)))
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in mapped.quads}
    assert (BASE + "model/Tiny-LM", "https://w3id.org/llmkg/ontology#basedOn", BASE + "model/Big-LM") in triples


def test_decimal_literals_are_plain_decimals():
    assert decimal_literal(7e9).value == "7000000000.0"
    assert decimal_literal(1.3e10).value == "13000000000.0"
    assert decimal_literal(0.85).value == "0.85"
    assert decimal_literal(125e6).value == "125000000.0"
    with pytest.raises(ValueError):
        decimal_literal(float("nan"))


def test_enclosing_sentence():
    text = "First one. Second has GPT-4 in it! Third."
    s, e = enclosing_sentence(text, text.index("GPT-4"), text.index("GPT-4") + 5)
    assert text[s:e] == "Second has GPT-4 in it!"
    assert enclosing_sentence("No stop at all", 3, 5) == (0, 14)
    t = "We use LLMs, e.g. GPT-4 (Touvron et al. 2023). It scores 3.5 vs. GPT-3. Next."
    for name, sentence in (("GPT-4", "We use LLMs, e.g. GPT-4 (Touvron et al. 2023)."),
                           ("GPT-3", "It scores 3.5 vs. GPT-3.")):
        s, e = enclosing_sentence(t, t.index(name), t.index(name) + 5)
        assert t[s:e] == sentence
    # a sentence the extractor used as evidence wins over the rule
    assert enclosing_sentence(t, t.index("GPT-3"), t.index("GPT-3") + 5, [(0, len(t))]) == (0, len(t))


def test_mapping_does_not_import_spacy():
    code = ("import sys, ontology.mapping, ontology.iri; "
            "sys.exit(1 if any(m == 'spacy' or m.startswith('spacy.') for m in sys.modules) else 0)")
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_names_that_mint_the_same_iri_get_the_same_label():
    a, b = tiny(), tiny()
    b = replace(b, paper=replace(b.paper, id="p2"),
                entities=(replace(b.entities[0], name="Tiny-LM "),) + b.entities[1:])
    store_triples = set()
    for ext in (a, b):
        for q in Mapper(BASE).map(ext).quads:
            store_triples.add((q.subject.value, q.predicate.value, q.object.value))
    labels = {o for s, p, o in store_triples
              if s == BASE + "model/Tiny-LM" and p.endswith("#prefLabel")}
    assert labels == {"Tiny-LM"}


@pytest.mark.parametrize("published,value,datatype", [
    ("2024-01-02", "2024-01-02", "date"), ("2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z", "dateTime"),
    ("2024-01-02T10:00+0200", "2024-01-02T10:00:00+02:00", "dateTime"), ("Mar 14, 2024", "2024-03-14", "date"),
    ("2024-03", "2024-03", "gYearMonth"), ("not a date", None, None), ("2024-02-30", None, None),
    ("2024-01-01T10:00:00+14:00", "2024-01-01T10:00:00+14:00", "dateTime"),
    ("2024-01-01T10:00:00-14:00", "2024-01-01T10:00:00-14:00", "dateTime"),
    ("2024-01-01T10:00:00+15:00", None, None), ("2024-01-01T10:00:00-14:01", None, None),
    ("2024-01-01T10:00+1430", None, None), ("2024-01-01T10:00:00+23:59", None, None)])
def test_publication_dates_are_typed_or_left_out_with_a_warning(published, value, datatype):
    ext = tiny()
    mapped = Mapper(BASE).map(replace(ext, paper=replace(ext.paper, published=published)))
    dates = [q.object for q in mapped.quads if q.predicate.value == "https://schema.org/datePublished"]
    if value is None:
        assert dates == [] and any("is not a date" in w for w in mapped.warnings)
    else:
        assert [(d.value, d.datatype.value.rsplit("#", 1)[1]) for d in dates] == [(value, datatype)]
        assert not mapped.warnings


def test_only_models_carry_a_parameter_count():
    ext = tiny()
    data = Entity("Zorb-7B", "dataset", 0.9, (Mention("Tiny-LM", "title", 0, 7, "gaz", 0.9),), params=7e9)
    model = replace(ext.entities[0], params=1.3e9)
    mapped = Mapper(BASE).map(replace(ext, entities=(model, ext.entities[1], data)))
    counts = {q.subject.value.rsplit("/", 1)[1]: q.object.value for q in mapped.quads
              if q.predicate.value.endswith("#parameterCount")}
    assert counts == {"Tiny-LM": "1300000000.0"}


def test_aliases_are_nfc_normalised_and_never_repeat_the_label():
    ext = tiny()
    ent = replace(ext.entities[0], name="Cafe\u0301Net",
                  aliases=("Caf\u00e9Net", "CafeNet", "Cafe\u0301 Net", "Caf\u00e9 Net", "Caf\u00e9  Net", " ", ""))
    mapped = Mapper(BASE).map(replace(ext, entities=(ent, ext.entities[1]), relations=()))
    labels = [(q.predicate.value.rsplit("#", 1)[1], q.object.value) for q in mapped.quads
              if q.subject.value == BASE + "model/Caf%C3%A9Net" and q.predicate.value.endswith("Label")]
    assert sorted(labels) == sorted([("altLabel", "Caf\u00e9 Net"), ("altLabel", "CafeNet"), ("prefLabel", "Caf\u00e9Net")])
    g = to_rdflib(mapped.quads)  # (and no altLabel equals the prefLabel once read back)
    SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    for s_ in g.subjects(SKOS.prefLabel, None):
        assert g.value(s_, SKOS.prefLabel) not in set(g.objects(s_, SKOS.altLabel))
