"""The one place where IRIs are minted (ontology stage of the flow).

Every resource IRI of the graph comes from an :class:`IRIMinter`: papers, entities, named graphs,
provenance assertions and build activities. IRIs are deterministic (the same canonical name or
paper id always gives the same IRI under a given base) and validated here, so a bad name fails at
once with an :class:`~kg.errors.IRIError` naming the offending term, instead of producing a file
that some serializer rejects later.

Local names ("slugs") keep ASCII letters, digits, ``-`` and ``.`` as they are, turn a space into
``_`` and percent-encode every other character as UTF-8 (``_`` itself becomes ``%5F``), so the
mapping from name to slug is one-to-one: ``"Llama 2 7B"`` -> ``Llama_2_7B``,
``"meta-llama/Llama-2"`` -> ``meta-llama%2FLlama-2``. Names are NFC-normalised and runs of
whitespace collapse to one space first; case is kept (``BERT`` and ``Bert`` are different IRIs).

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

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.")
MAX_SLUG = 120  # longer slugs are cut and suffixed with a hash of the full name
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


def slug(name: object, what: str = "name") -> str:
    """The local name for ``name``: deterministic, one-to-one, always IRI-safe."""
    text = normalize_name(name, what)
    out = []
    for ch in text:
        if ch in _SAFE:
            out.append(ch)
        elif ch == " ":
            out.append("_")
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    s = "".join(out)
    if s in (".", ".."):  # would be removed by IRI path normalisation
        s = s.replace(".", "%2E")
    if len(s) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        cut = s[:MAX_SLUG - 14]
        cut = re.sub(r"%[0-9A-F]?$", "", cut)  # never cut inside a %XX escape
        s = f"{cut}%7E{digest}"
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
        return self._mint("paper/" + slug(paper_id, "paper id"))

    def paper_graph(self, paper_id: str) -> str:
        return self._mint("graph/paper/" + slug(paper_id, "paper id"))

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
        return self._mint("input/" + slug(name, "input name"))

    def prefixes(self) -> dict[str, str]:
        """Readable prefixes for the resource namespaces under this base."""
        out = {t: self.base + t + "/" for t in TYPE_CLASS}
        out.update({"paper": self.base + "paper/", "assertion": self.base + "assertion/",
                    "papergraph": self.base + "graph/paper/", "build": self.base + "build/"})
        return out
