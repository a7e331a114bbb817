"""Rule data: the gazetteer, the stoplist and the cue phrases, loaded from ``extractors/data``.

Rules are data. This module reads and checks the files (a broken line is a ``RuleDataError``
naming file:line and the fix), indexes gazetteer names by ``name_key`` and compiles the
matchers the components use. The rule data never changes after loading; compiled matchers are cached on
first use.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import RuleDataError
from kg.jsonl import iter_jsonl

from .normalize import chunks, delatex, fold, name_key, strip_latin_marks

DATA_DIR = Path(__file__).parent / "data"
GAZ_TYPES = {"model", "dataset", "benchmark", "method", "task", "metric", "organization"}
# names made of an everyday word must match with the case they are written in (MATH vs math)
_SEPARATOR = r"(?:[\s\-_/]|'(?=\d\d))?"  # (and the apostrophe of an edition's year: WMT'14, CoNLL'03)
_END = r"(?![\w/]|\.\d)"  # a listed name ends at a word boundary, not inside a path or a version


@dataclass(frozen=True)
class GazEntry:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    based_on: str | None = None
    org: str | None = None
    params: str | None = None
    case: str | None = None  # "exact": matched only in the listed casing (ComplEx is not "Complex")
    generic: bool = False  # a general technique or architecture (instruction tuning, Transformer), not a name

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class RuleData:
    entries: dict[str, GazEntry]
    by_key: dict[str, str]              # name_key -> entry id
    by_name: dict[str, str]             # canonical name -> entry id
    exact_forms: dict[str, frozenset[str]]  # entry id -> forms that must match case-sensitively
    loose_forms: dict[str, frozenset[str]]  # entry id -> folded forms that match in any case (not all-lowercase)
    lower_forms: dict[str, frozenset[str]]  # entry id -> forms listed in lowercase ("chain-of-thought")
    stop: frozenset[str]
    cues: dict
    first_chunks: frozenset = frozenset()  # first chunk of every listed form: a cheap pre-check
    lower_first: frozenset = frozenset()   # first chunks of forms that may match in all-lowercase text
    suffix_types: list = field(default_factory=list, repr=False)  # (compiled name-suffix pattern, type)
    _forms_by_first: dict = field(default_factory=dict, repr=False)
    title_refused: dict = field(default_factory=dict)  # entry id -> folded forms whose Title-case spelling is
    # an everyday word, not the name: "Quality" is not QuALITY, "Zero" not ZeRO, "Palm" not PaLM
    _by_first: dict = field(default_factory=dict, repr=False)
    _compiled: dict = field(default_factory=dict, repr=False)

    def lookup(self, text: str) -> GazEntry | None:
        eid = self.by_key.get(name_key(text))
        return self.entries[eid] if eid else None

    def accepts(self, entry_id: str, surface: str) -> tuple[bool, bool]:
        """(matches, exactly): everyday-word forms need the listed case; other forms match in any case,
        except that an all-lowercase surface needs a form listed in lowercase."""
        sq = _squeeze(surface)
        if sq in self.exact_forms[entry_id]:
            return True, True
        if surface.islower():
            if sq in self.lower_forms[entry_id]:
                return True, True
            # "gpt-3.5-turbo", "llama-2-7b": a listed model's name with a version number is no everyday word in
            # any case (lowercase dataset names with a year or version are left to their listed forms)
            return (self.entries[entry_id].type == "model" and any(c.isdigit() for c in sq)
                    and fold(sq) in self.loose_forms[entry_id]), False
        if surface.istitle() and surface.isalpha() and fold(sq) in self.title_refused.get(entry_id, ()):
            return False, False
        return fold(sq) in self.loose_forms[entry_id], False

    def is_stop(self, text: str) -> bool:
        return fold(text) in self.stop or fold(text.rstrip("s")) in self.stop

    def match_at(self, text: str, pos: int, first: str, endpos: int | None = None):
        """Anchored match of the listed names that start with chunk ``first`` (a small regex per chunk),
        ending at or before ``endpos`` when given."""
        rx = self._by_first.get(first)
        if rx is None:
            rx = re.compile(_trie_regex(self._forms_by_first[first]) + _END, re.IGNORECASE)
            self._by_first[first] = rx
        return rx.match(text, pos) if endpos is None else rx.match(text, pos, endpos)

    def heads(self) -> dict[str, str]:
        """Head noun phrase -> entity type, from ``cues.json`` (first type listed wins)."""
        if "heads" not in self._compiled:
            table: dict[str, str] = {}
            for typ, words in self.cues["type_heads"].items():
                for w in words:
                    table.setdefault(w.lower(), typ)
            self._compiled["heads"] = table
        return self._compiled["heads"]

    def words_re(self, name: str) -> re.Pattern:
        """A case-insensitive word-boundary alternation of one cue list."""
        if name not in self._compiled:
            self._compiled[name] = re.compile(r"(?<![\w-])" + word_trie(self.cues[name]) + r"(?![\w-])", re.IGNORECASE)
        return self._compiled[name]


def word_trie(words) -> str:
    """One regex alternation of ``words`` (lowercased), factored as a character trie: the regex engine then
    tries one branch per character instead of every word in turn."""
    trie: dict = {}
    for w in {w.lower() for w in words if w}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        kids = sorted(k for k in node if k)
        if not kids:
            return ""
        alts = [re.escape(k) + emit(node[k]) for k in kids]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(trie) + ")"


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains at least one (read from the parsed pattern: a
    literal run every match passes through, or one literal per branch of a group every match passes
    through), choosing the most selective such set; None when no string of three or more characters is
    certain. A substring test for them is a cheap gate before running the pattern."""
    try:
        from re import _constants as sre_c, _parser as sre_p  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as sre_c
        import sre_parse as sre_p

    def gates(items) -> list[tuple[str, ...]]:
        out, run = [], ""
        for op, av in items:
            if op is sre_c.LITERAL:
                run += chr(av)
                continue
            if run:
                out.append((run,))
            run = ""
            if op is sre_c.SUBPATTERN:
                out += gates(av[-1])
            elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
                out += gates(av[2])
            elif op is sre_c.BRANCH:
                alts = [best(gates(a)) for a in av[1]]
                if all(alts):
                    out.append(tuple(sorted({x for a in alts for x in a})))
        if run:
            out.append((run,))
        return out

    def best(gs: list[tuple[str, ...]]) -> tuple[str, ...] | None:
        return max(gs, key=lambda g: (min(map(len, g)), -len(g)), default=None)

    try:
        g = best(gates(sre_p.parse(pattern)))
    except Exception:  # an unusual construct: no gate, the pattern simply always runs
        return None
    return g if g and min(map(len, g)) >= 3 else None


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    return list(iter_jsonl(path, RuleDataError, "fix the line, or reinstall the package to restore the file"))


def _trie_regex(forms: list[str]) -> str:
    """One regex alternation, factored as a trie over name chunks, with optional separators between chunks."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in chunks(form):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        kids = [k for k in node if k]
        if not kids:
            return ""
        alts = []
        for k in sorted(kids, key=lambda s: (-len(s), s)):
            sep = _SEPARATOR if k[0].isalnum() else ""
            alts.append(sep + re.escape(k) + emit(node[k]))
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    top = []
    for k in sorted(trie, key=lambda s: (-len(s), s)):
        if k:
            top.append(re.escape(k) + emit(trie[k]))
    return "(?:" + "|".join(top) + ")"


def _everyday(form: str) -> bool:
    """True when a form is a plain word that also occurs in running text (MATH, Pile, Falcon, RACE):
    such forms only match with the case they are listed in."""
    return form.isalpha() and ((form.isupper() and len(form) <= 6) or form.istitle() or form.islower())


def _mixed_case(form: str) -> bool:
    """A one-word name whose capitals are part of it (QuALITY, PaLM, ZeRO, RoBERTa): written in Title case it
    is an everyday word (Quality, Palm, Zero) or a first name, not the name."""
    return form.isalpha() and not (form.isupper() or form.istitle() or form.islower()) and \
        sum(c.isupper() for c in form[1:]) >= 2


_SQUEEZE = re.compile(r"[\s\-_]|'(?=\d\d(?!\d))")


def _squeeze(form: str) -> str:
    """A form without separators or Latin accents, as a spelling is compared with the listed ones ("Tülu V2 Mix"
    is the listed "Tulu V2 Mix"; case is kept for the forms that must match in their case)."""
    return strip_latin_marks(delatex(_SQUEEZE.sub("", form)))


# a listed form whose first word is written in lowercase ("squared ReLU", "xPos", "rsLoRA"): the text's lowercase
# word may start it
_LOWER_START = re.compile(r"[^\W\d_A-Z]+(?=[\s\-_]+[^\s\-_]*[A-Z]|[A-Z])")


_JOINED = re.compile(r"(?<=[a-z])[ \-](?=[A-Z][a-z])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]{2})")


def _spellings(form: str) -> set[str]:
    """A listed form and how it is also written: its capitalised words run together ("Code Llama" as CodeLlama)
    and its inner capitals apart ("RedPajama" as Red-Pajama). The matcher finds them; whether a spelling is the
    name is still decided against the listed forms (two words apart only where listed so: "Human Eval of ..." is
    no HumanEval)."""
    joined = _JOINED.sub("", form) if all(w[:1].isupper() or w[:1].isdigit() for w in form.split()) else form
    return {form, joined, _CAMEL.sub(" ", form)}  # (not "Abstraction andReasoningCorpus")


@lru_cache(maxsize=4)
def load_rule_data(data_dir: str | None = None) -> RuleData:
    d = Path(data_dir) if data_dir else DATA_DIR
    gz_path = d / "gazetteer.jsonl"
    entries: dict[str, GazEntry] = {}
    by_key: dict[str, str] = {}
    for n, row in _read_jsonl(gz_path):
        try:
            e = GazEntry(id=row["id"], name=row["name"], type=row["type"], aliases=tuple(row.get("aliases", ())),
                         family=row.get("family"), based_on=row.get("based_on"), org=row.get("org"),
                         params=row.get("params"), case=row.get("case"), generic=row.get("generic", False))
        except KeyError as exc:
            raise RuleDataError(f"{gz_path}:{n}: entry lacks {exc}", "give id, name and type") from exc
        if e.type not in GAZ_TYPES:
            raise RuleDataError(f"{gz_path}:{n}: unknown type {e.type!r}", f"use one of {sorted(GAZ_TYPES)}")
        if not isinstance(e.generic, bool):
            raise RuleDataError(f"{gz_path}:{n}: 'generic' must be true or false", "write true, or leave the field out")
        if e.case not in (None, "exact"):
            raise RuleDataError(f"{gz_path}:{n}: unknown case {e.case!r}", 'use "exact" or leave the field out')
        entries[e.id] = e
        for form in e.forms:
            by_key.setdefault(name_key(form), e.id)
    by_name = {e.name: e.id for e in entries.values()}
    stop = frozenset(fold(r["term"]) for _, r in _read_jsonl(d / "stoplist.jsonl"))
    cues_path = d / "cues.json"
    try:
        cues = json.loads(cues_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleDataError(f"rule data file {cues_path} cannot be read ({exc.strerror})",
                            "reinstall the package or restore the file") from exc
    except json.JSONDecodeError as exc:
        raise RuleDataError(f"{cues_path}:{exc.lineno}: malformed JSON ({exc.msg})", "fix the file") from exc
    exact_forms, loose_forms, lower_forms, title_refused = {}, {}, {}, {}
    for e in entries.values():
        exact = e.case == "exact"
        exact_forms[e.id] = frozenset(_squeeze(f) for f in e.forms if exact or _everyday(f))
        loose_forms[e.id] = frozenset(fold(_squeeze(f)) for f in e.forms if not (exact or _everyday(f)))
        lower_forms[e.id] = frozenset(_squeeze(f) for f in e.forms if f.islower())
        mixed = {fold(f) for f in e.forms if _mixed_case(f)}
        if mixed:
            title_refused[e.id] = frozenset(mixed - {fold(_squeeze(f)) for f in e.forms if not _mixed_case(f)})
    forms = [s for e in entries.values() for f in e.forms if chunks(f) for s in _spellings(f)]
    by_first: dict[str, list[str]] = {}
    for f in forms:
        by_first.setdefault(chunks(f)[0], []).append(f)
    return RuleData(entries=entries, by_key=by_key, by_name=by_name, exact_forms=exact_forms,
                    loose_forms=loose_forms, lower_forms=lower_forms, title_refused=title_refused, stop=stop,
                    cues=cues, first_chunks=frozenset(by_first), _forms_by_first=by_first,
                    suffix_types=[(re.compile(p), t) for p, t in cues["suffix_types"]],
                    lower_first=frozenset(chunks(f)[0] for f in forms if f.islower() or _LOWER_START.match(f)
                                          or (not _everyday(f) and not any(c.isalpha() for c in chunks(f)[0]))))
