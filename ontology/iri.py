"""The one place where IRIs are minted (ontology stage of the flow).

Every resource IRI of the graph comes from an :class:`IRIMinter`: papers, entities, named graphs,
provenance assertions and build activities. IRIs are deterministic (the same canonical name or
paper id always gives the same IRI under a given base) and validated here, so a bad name fails at
once with an :class:`~kg.errors.IRIError` naming the offending term, instead of producing a file
that some serializer rejects later.

Local names ("slugs") keep the RFC 3986 unreserved characters (ASCII letters, digits, ``-``, ``.``, ``_``,
``~``) as they are -- they are never percent-encoded, since ``%5F`` and ``_`` are the same after URI
normalisation -- turn a space into ``_`` and percent-encode every other character as UTF-8:
``"Llama 2 7B"`` -> ``Llama_2_7B``, ``"meta-llama/Llama-2"`` -> ``meta-llama%2FLlama-2``. Names are
NFC-normalised and runs of whitespace collapse to one space first; case is kept (``BERT`` and ``Bert`` are
different IRIs).

A space and ``_`` give the same slug (``"A B"`` and ``"A_B"`` -> ``A_B``). For entity names that is what the
extractor means too: its identity key (``extractors.normalize.name_key``) drops spaces, ``-`` and ``_``
(``_SEP``), the resolver keys every mention by it and ``to_records.Canonicalizer`` gives each key one canonical
name per run, so two names differing only by space vs ``_`` are one entity and never reach the minter as two.
Paper ids and input names are identifiers, not names: there a space is encoded as ``%20``, so ``"a b"`` and
``"a_b"`` stay two papers. Otherwise the mapping from name to slug is one-to-one.

A slug longer than ``MAX_SLUG`` is cut at a character boundary of the name (never inside a ``%XX`` escape or a
multi-byte UTF-8 sequence) and followed by ``!`` and a hash of the whole slug. An untruncated slug never
contains a literal ``!`` (it is a reserved character, so a ``!`` in a name is always written ``%21``, and
``%21`` is not decoded by URI normalisation), so a cut name can never equal, or normalise to, a full one.

>>> m = IRIMinter("https://example.org/kg/")
>>> m.entity("model", "Llama 2 7B")
'https://example.org/kg/model/Llama_2_7B'
>>> m.paper("2401.00001")
'https://example.org/kg/paper/2401.00001'
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from kg.errors import IRIError
from ontology.namespaces import DEFAULT_BASE, TYPE_CLASS

#: RFC 3986 unreserved characters: never percent-encoded (``%5F`` and ``_`` are the same IRI after normalisation)
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
MAX_SLUG = 120  # longer slugs are cut and suffixed with CUT_MARK and a hash of the full name
#: marks a cut slug; a reserved character, so never literal in a slug that was not cut (a ``!`` in a name is
#: ``%21``, and percent-encoded reserved characters are not decoded by normalisation)
CUT_MARK = "!"
_HASH_LEN = 20  # hex digits of SHA-256 (80 bits: cut names sharing a prefix do not collide by chance or design)
_BASE_RE = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d+)?(/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*)?/$")
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`]")


def normalize_name(name: object, what: str = "name") -> str:
    """NFC, whitespace runs collapsed, stripped; raises ``IRIError`` if nothing is left."""
    if not isinstance(name, str):
        raise IRIError(f"{what} must be a string, got {type(name).__name__} ({name!r})",
                       "pass the canonical name or paper id as text")
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()
    if not text:
        raise IRIError(f"{what} {name!r} is empty", "give every paper an id and every entity a non-empty canonical name")
    return text


def encode_char(ch: str, space: str) -> str:
    """One character of a name as a slug writes it (``space``: what a space becomes)."""
    if ch in _SAFE:
        return ch
    if ch == " ":
        return space
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8"))


def slug(name: object, what: str = "name", *, space: str = "_") -> str:
    """The local name for ``name``: deterministic, one-to-one (a space and ``_`` aside, see the module doc),
    always IRI-safe. ``space`` is what a space becomes: ``_`` for names, ``%20`` for identifiers."""
    text = normalize_name(name, what)
    parts = [encode_char(ch, space) for ch in text]
    s = "".join(parts)
    if len(s) > MAX_SLUG:
        # cut between characters of the name, so no %XX escape and no UTF-8 sequence is split
        budget, kept = MAX_SLUG - len(CUT_MARK) - _HASH_LEN, 0
        cut = []
        for part in parts:
            if kept + len(part) > budget:
                break
            cut.append(part)
            kept += len(part)
        # (a hash of the full slug, not of the name: names with one full slug keep one slug when cut)
        digest = hashlib.sha256(s.encode("ascii")).hexdigest()[:_HASH_LEN]
        return "".join(cut) + CUT_MARK + digest
    if s in (".", ".."):  # would be removed by IRI path normalisation
        s = s.replace(".", "%2E")
    return s


def check_iri(iri: str, what: str = "IRI") -> str:
    """Raise ``IRIError`` unless ``iri`` is an absolute IRI every RDF syntax accepts."""
    if not isinstance(iri, str) or not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri or ""):
        raise IRIError(f"{what} {iri!r} is not an absolute IRI", "start it with a scheme such as https://")
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise IRIError(f"{what} {iri!r} contains the character {bad.group()!r}, which IRIs forbid",
                       "percent-encode it or remove it")
    try:
        from pyoxigraph import NamedNode
        NamedNode(iri)
    except ValueError as exc:
        raise IRIError(f"{what} {iri!r} is not a valid IRI ({exc})", "fix the base IRI or the name") from exc
    return iri


def check_base(base: str) -> str:
    """Validate a base IRI: absolute http(s), ending in ``/``. (A ``#`` base would make every resource a
    fragment of one document, with paths inside the fragment: ``kg#graph/paper/x``.)"""
    if not isinstance(base, str) or not _BASE_RE.match(base):
        raise IRIError(f"base IRI {base!r} is not usable",
                       "give an absolute http(s) IRI that ends with '/', e.g. https://example.org/kg/")
    return check_iri(base, "base IRI")


class IRIMinter:
    """Mints every resource IRI under one base IRI."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)

    def _mint(self, path: str) -> str:
        return self.base + path  # slugs are IRI-safe by construction

    def paper(self, paper_id: str) -> str:
        return self._mint("paper/" + slug(paper_id, "paper id", space="%20"))

    def paper_graph(self, paper_id: str) -> str:
        return self._mint("graph/paper/" + slug(paper_id, "paper id", space="%20"))

    def build_graph(self) -> str:
        return self._mint("graph/build")

    def analytics_graph(self) -> str:
        """The named graph holding the analytics scores (PageRank, communities, ...)."""
        return self._mint("graph/analytics")

    def entity(self, type_: str, name: str) -> str:
        if type_ not in TYPE_CLASS:
            raise IRIError(f"entity type {type_!r} of {name!r} is unknown",
                           f"use one of {', '.join(sorted(TYPE_CLASS))}")
        return self._mint(f"{type_}/" + slug(name, f"{type_} name"))

    def assertion(self, *parts: object) -> str:
        """A provenance node, named by a hash of everything that identifies it."""
        key = "\x1f".join(str(p) for p in parts)
        return self._mint("assertion/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20])

    def build(self, started: str, inputs: tuple[str, ...] = ()) -> str:
        key = "\x1f".join((started,) + tuple(inputs))
        return self._mint("build/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16])

    def input(self, name: str) -> str:
        return self._mint("input/" + slug(name, "input name", space="%20"))

    def prefixes(self) -> dict[str, str]:
        """Readable prefixes for the resource namespaces under this base."""
        out = {t: self.base + t + "/" for t in TYPE_CLASS}
        out.update({"paper": self.base + "paper/", "assertion": self.base + "assertion/",
                    "papergraph": self.base + "graph/paper/", "build": self.base + "build/"})
        return out
