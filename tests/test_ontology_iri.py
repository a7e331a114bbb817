"""IRIs are minted in one place, deterministic, one-to-one and always valid -- or refused with a clear IRIError."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import IRIError
from ontology.iri import IRIMinter, check_base, slug

BASE = "https://example.org/kg/"
NASTY = ["Llama 2 7B", "meta-llama/Llama-2-7b-hf", "Über-LLM", "模型-大", "say \"hi\"", "it's", "🦙 Llama",
         "a<b>c", "x{y}|z\\w^`", "100%", "a_b", "a b", "  spaced\tout\n", ".", "..", "#hash?query&x=1",
         "C++", "x" * 500, "ℌ𝔢𝔩𝔩𝔬", "e\u0301", "\u00e9", "line\u2028sep", "tab\there", "nul\x00byte"]


@pytest.fixture
def m() -> IRIMinter:
    return IRIMinter(BASE)


def test_readable_for_ordinary_names(m):
    assert m.entity("model", "Llama 2 7B") == BASE + "model/Llama_2_7B"
    assert m.entity("benchmark", "GSM8K") == BASE + "benchmark/GSM8K"
    assert m.paper("2401.00001") == BASE + "paper/2401.00001"
    assert m.paper_graph("2401.00001") == BASE + "graph/paper/2401.00001"


@pytest.mark.parametrize("name", NASTY)
def test_nasty_names_give_valid_iris_everywhere(m, name):
    iri = m.entity("model", name)
    assert iri.startswith(BASE + "model/")
    ox.NamedNode(iri)  # raises on an invalid IRI
    t = ox.Triple(ox.NamedNode(iri), ox.NamedNode(BASE + "p"), ox.Literal("label"))
    for fmt, rfmt in ((ox.RdfFormat.TURTLE, "turtle"), (ox.RdfFormat.N_TRIPLES, "nt"), (ox.RdfFormat.RDF_XML, "xml")):
        data = ox.serialize([t], format=fmt, prefixes={"model": BASE + "model/"} if fmt != ox.RdfFormat.N_TRIPLES else None)
        back = list(ox.parse(data, format=fmt))
        assert back[0].subject.value == iri
        g = rdflib.Graph().parse(data=data, format=rfmt)
        assert {str(s) for s in g.subjects()} == {iri}


def test_minting_is_deterministic_and_base_relative():
    a, b = IRIMinter(BASE), IRIMinter(BASE)
    for name in NASTY:
        assert a.entity("dataset", name) == b.entity("dataset", name)
    other = IRIMinter("http://localhost:8000/kg/")
    assert other.entity("model", "GPT-4") == "http://localhost:8000/kg/model/GPT-4"
    with pytest.raises(IRIError, match="ends with '/'"):
        IRIMinter("http://localhost:8000/kg#")  # every resource a fragment of one document: refused


def test_slugs_are_one_to_one():
    names = ["a b", "a_b", "a%5Fb", "a/b", "a%2Fb", "A B", "a  b", "GPT-4", "GPT 4", "gpt-4", "x" * 500, "x" * 499 + "y"]
    slugs = {slug(n) for n in names}
    # "a b" and "a  b" collapse (whitespace runs are one space); everything else stays distinct
    assert len(slugs) == len(names) - 1
    assert slug("a b") == slug("a  b") == slug(" a b ")


def test_unicode_is_normalised_before_minting():
    assert slug("e\u0301") == slug("\u00e9")  # NFC: decomposed and composed é are the same name


def test_long_names_are_cut_with_a_hash():
    s = slug("x" * 500)
    assert len(s) <= 130 and s != slug("x" * 499 + "y")


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", None, 42])
def test_empty_or_non_text_names_raise_a_clear_error(m, bad):
    with pytest.raises(IRIError) as err:
        m.entity("model", bad)
    assert err.value.code == "E020"
    assert "model name" in str(err.value)


def test_empty_paper_id_names_the_problem(m):
    with pytest.raises(IRIError, match="paper id"):
        m.paper("  ")


def test_unknown_entity_type_is_refused(m):
    with pytest.raises(IRIError, match="unknown"):
        m.entity("gadget", "x")


@pytest.mark.parametrize("bad", ["example.org/", "ftp://example.org/", "https://example.org/kg", "https://exa mple.org/",
                                 "https://example.org/<x>/", "", "urn:x:"])
def test_bad_base_iris_are_refused(bad):
    with pytest.raises(IRIError, match="base IRI"):
        check_base(bad)


def test_assertion_iris_hash_their_parts(m):
    a = m.assertion("p1", "s", "p", "o", "abstract", 0, 10, "rule")
    assert a == m.assertion("p1", "s", "p", "o", "abstract", 0, 10, "rule")
    assert a != m.assertion("p1", "s", "p", "o", "abstract", 0, 11, "rule")
    assert a.startswith(BASE + "assertion/")
