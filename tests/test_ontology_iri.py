"""IRIs are minted in one place, deterministic, one-to-one and always valid -- or refused with a clear IRIError."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import IRIError
from ontology.iri import CUT_MARK, MAX_SLUG, IRIMinter, check_base, slug

BASE = "https://example.org/kg/"
NASTY = ["Llama 2 7B", "meta-llama/Llama-2-7b-hf", "Über-LLM", "模型-大", "say \"hi\"", "it's", "🦙 Llama",
         "a<b>c", "x{y}|z\\w^`", "100%", "a_b", "a b", "  spaced\tout\n", ".", "..", "#hash?query&x=1",
         "C++", "a~b", "~", "_", "a!b", "x" * 500, "é" * 200, "🦙" * 100, "ℌ𝔢𝔩𝔩𝔬", "e\u0301", "\u00e9", "line\u2028sep", "tab\there", "nul\x00byte"]


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
    names = ["a b", "a%5Fb", "a/b", "a%2Fb", "A B", "a  b", "GPT-4", "GPT 4", "gpt-4", "a~b", "a%7Eb", "a!b",
             "x" * 500, "x" * 499 + "y"]
    slugs = {slug(n) for n in names}
    # "a b" and "a  b" collapse (whitespace runs are one space); everything else stays distinct
    assert len(slugs) == len(names) - 1
    assert slug("a b") == slug("a  b") == slug(" a b ")


def _uri_normalise(s: str) -> str:
    """RFC 3986 section 6.2.2 normalisation of a path segment: hex digits upper case, unreserved decoded."""
    import re
    unreserved = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    def dec(m):
        ch = chr(int(m.group(1), 16))
        return ch if ch in unreserved else "%" + m.group(1).upper()
    return re.sub(r"%([0-9A-Fa-f]{2})", dec, s)


def test_unreserved_characters_are_never_percent_encoded(m):
    assert slug("A_B") == "A_B" and slug("a~b") == "a~b" and slug("~_~") == "~_~"
    assert "%5F" not in m.entity("model", "A_B") and "%7E" not in m.entity("model", "x~y")
    for name in NASTY:
        if name not in (".", ".."):  # (these two are written %2E, so they are no dot segments)
            assert _uri_normalise(slug(name)) == slug(name)  # every slug is already in normal form


def test_space_and_underscore_mint_one_entity_iri_as_the_extractor_keys_them(m):
    from extractors.normalize import name_key
    # the extractor's identity key makes these one entity, so one IRI for both is consistent
    assert name_key("A_B") == name_key("A B")
    assert m.entity("model", "A_B") == m.entity("model", "A B") == BASE + "model/A_B"
    # (before: A_B -> A%5FB and A B -> A_B, two IRIs that normalise to one)
    assert _uri_normalise(m.entity("model", "A_B")) == m.entity("model", "A_B")


def test_paper_ids_keep_space_and_underscore_apart(m):
    assert m.paper("a b") != m.paper("a_b")
    assert m.paper("a b") == BASE + "paper/a%20b" and m.paper("a_b") == BASE + "paper/a_b"
    assert m.paper_graph("a b") != m.paper_graph("a_b")
    assert m.input("my data.jsonl") != m.input("my_data.jsonl")


def test_a_cut_slug_is_never_the_slug_of_another_name():
    long = "x" * 500
    cut = slug(long)
    assert len(cut) <= MAX_SLUG and CUT_MARK in cut
    # adversarial: the cut slug itself, its %-encoded marker, and the old "~<hash>" marker, used as names
    prefix, digest = cut.split(CUT_MARK)
    for name in (cut, prefix + "%21" + digest, prefix + "~" + digest, prefix + "%7E" + digest, prefix + " " + digest,
                 prefix + "!" + digest):
        other = slug(name)
        assert other != cut and _uri_normalise(other) != _uri_normalise(cut)
    # no slug of a name that fits is ever cut-shaped: a literal "!" only comes from the cut
    for name in NASTY + ["!", "a!b!c", "x" * (MAX_SLUG - 1) + "!", "~" * MAX_SLUG, "_" * MAX_SLUG, "!" * 100]:
        s = slug(name)
        assert (CUT_MARK in s) == (len(_full_slug(name)) > MAX_SLUG), name
        assert s.count(CUT_MARK) <= 1


def _full_slug(name: str) -> str:
    from ontology.iri import encode_char, normalize_name
    return "".join(encode_char(ch, "_") for ch in normalize_name(name))


@pytest.mark.parametrize("name", ["é" * 200, "a" + "é" * 200, "ab" + "é" * 200, "abc" + "é" * 200, "🦙" * 100,
                                  "x" + "🦙" * 100, "xx" + "🦙" * 100, "xxx" + "🦙" * 100, "%" * 200, "a" + "%" * 200])
def test_long_names_are_cut_between_characters(name):
    from urllib.parse import unquote
    s = slug(name)
    assert len(s) <= MAX_SLUG
    head, _, digest = s.partition(CUT_MARK)
    assert len(digest) == 20 and all(c in "0123456789abcdef" for c in digest)
    # every escape is whole and the head decodes to a prefix of the name: no stray %C3 or half a llama
    import re
    assert re.fullmatch(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*", head)
    text = unquote(head, errors="strict")
    assert name.startswith(text) and len(text) > 0
    assert len(head) > MAX_SLUG - 1 - 20 - 12  # cut no more than one character short


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
