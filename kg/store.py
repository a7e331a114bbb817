"""The store stage of the flow: a pyoxigraph ``Store`` on disk with one named graph per paper.

``GraphStore.replace_paper`` swaps a paper's graph for new quads in one step, so building the same
paper twice (or appending it from another listing) never duplicates statements. Build provenance
lives in its own graph (``<base>graph/build``).

The store's default graph holds the RDF merge of all paper graphs (each triple once, however many
papers state it), kept in step by ``replace_paper``. Queries run on that merge plus every other named
graph (build record, analytics scores), so a triple stated by ten papers is counted once, as RDF
set semantics require; ``GRAPH ?g { ... }`` still reaches one paper's graph. (Oxigraph 0.5's own
"default graph as union" option returns such a triple once per graph, which inflates ``COUNT``.)
A query that names its own dataset (``FROM`` / ``FROM NAMED``) gets that dataset instead; a default graph of
several graphs is their merge too (an in-memory copy for that query), where Oxigraph would count a triple once
per graph.

A store on disk has one writer (``kg build``) or any number of readers (``kg serve``, ``kg query``...),
never both: ``kg.lock`` in the store directory is held shared by readers and exclusively by the writer,
and whoever comes second is refused with a one-line error (Oxigraph's read-only mode is undefined while
another process writes, and a reader would not see the new data anyway).
``SERVICE`` (federated query) is refused unless asked for: it makes this process fetch any URL.
"""
from __future__ import annotations

import functools
import itertools
import re
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store,
                        Triple, parse, serialize)

from .errors import QueryError, QuerySyntaxError, StoreError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, Oxigraph's own lock still guards writers
    fcntl = None

LOCK_NAME = "kg.lock"

# Tokens inside which a keyword is not a keyword: comments, strings, IRIs, variables, prefixed names. Local
# names stop before '.', and prefixes are kept, so "ex:a.SERVICE", "SERVICEex:x" or "SERVICE:x" still show it.
# The text is read once, left to right (a pattern tried again at every position is quadratic on a long name or
# an unclosed string): a run of name characters is tried from its start only, its prefix starting at its first
# letter, and a string that does not close is remembered, so the rest of its line is not read again for one.
_NEXT = re.compile("|".join([
    r"(?P<comment>#[^\r\n]*)",
    r"""(?P<string>["'])""",                                                # (read with _STRING)
    r'(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)',
    r"(?P<var>[?$]\w+)",
    r"(?P<pname>(?<![\w.-])(?P<junk>[\d_.-]*)(?P<prefix>[^\W\d_][\w.-]*):(?:[\w:%-]|\\.)*)",
    r"(?P<bare>:(?:[\w:%-]|\\.)*)",                                         # no prefix, or a blank node
]))
_GLUED = re.compile(r"(?P<junk>[\d_.-]*)(?P<prefix>[^\W\d_][\w.-]*):(?:[\w:%-]|\\.)*|[\w.-]+")  # after a name
_STRING = {'"""': re.compile(r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*'),  # up to where it closes, if it does
           "'''": re.compile(r"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*"),
           '"': re.compile(r'"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*'), "'": re.compile(r"'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*")}
_NAME_CHAR = re.compile(r"[\w.-]")


def _tokens(text: str) -> Iterator[tuple[int, int, str | None, str]]:
    """The tokens of a query, in order, as ``(start, end, prefix, junk)``: ``prefix`` is a prefixed name's
    prefix (``''`` for a name without one, or a blank node), ``None`` for other tokens; ``junk`` is what
    starts the name's run of characters before its prefix (``42`` in ``42SERVICEex:x``), part of no token."""
    unclosed: dict[str, int] = {}  # a string of this kind starting before there does not close
    m = _NEXT.search(text)
    while m:
        start, end, kind = m.start(), m.end(), m.lastgroup
        if kind == "string":
            q = text[start]
            for kind in (q * 3, q):
                if start < unclosed.get(kind, 0) or not text.startswith(kind, start):
                    continue
                end = _STRING[kind].match(text, start).end()
                if text.startswith(kind, end):
                    end += len(kind)
                    break
                unclosed[kind] = end  # (each such quote up to there is escaped: no string starts there either)
            else:
                m = _NEXT.search(text, start + 1)
                continue
        pos = end
        while True:
            if kind == "pname":
                junk = m.group("junk")
                yield start + len(junk), end, m.group("prefix"), junk
            else:
                yield start, end, "" if kind == "bare" else None, ""
            pos = end
            if kind not in ("var", "pname", "bare") or not text.startswith((".", "-"), end) \
                    or not _NAME_CHAR.match(text, end - 1):
                break
            m = _GLUED.match(text, end)  # name characters glued to a variable or a name: "?a.ex:b", "ex:a.b"
            if m.group("prefix") is None:
                pos = m.end()
                break
            start, end, kind = m.start(), m.end(), "pname"
        m = _NEXT.search(text, pos)


_LOCAL_REST = re.compile(r"(?:[^\s{#\\]|\\[^\s{])*")  # what may still belong to a local name ('.' inside it...)
_BRACE = re.compile(r"(?:\s|#[^\r\n]*)*\{")


@functools.lru_cache(maxsize=2)
def _scan(text: str) -> tuple[str, bool]:
    """The code of :func:`sparql_code`, and whether a name whose prefix starts with ``service`` is followed by
    ``{`` (Oxigraph reads ``SERVICEex:x {`` as ``SERVICE ex:x {``)."""
    done: list[str] = []
    out: list[str] = []
    pos, rest, brace, glued = 0, -1, False, False
    for start, end, prefix, junk in _tokens(text):
        out.append(text[pos:start - len(junk)])
        if prefix:
            out.append(f"{junk} {prefix}: ")
            if not glued and prefix[:7].lower() == "service":
                if end > rest:  # (names glued into one run are followed by the same thing)
                    rest = _LOCAL_REST.match(text, end).end()
                    brace = _BRACE.match(text, rest) is not None
                glued = brace
        else:
            out.append(f"{junk}  ")
        pos = end
        if len(out) > 4096:
            done.append("".join(out))
            out.clear()
    out.append(text[pos:])
    return "".join(done + out).lower(), glued


def sparql_code(text: str) -> str:
    """The query's keywords and punctuation, lower-cased; whatever could hide a keyword is blanked, except a
    prefixed name's prefix, kept with its colon (``ex:a`` -> ``ex:``)."""
    return _scan(text)[0]


def query_variables(text: str) -> list[str]:
    """The variables a query names (``?x``, ``$x``; not inside strings, IRIs or comments), once each, in order."""
    return list(dict.fromkeys(text[start + 1:end] for start, end, prefix, _ in _tokens(text)
                              if prefix is None and text[start] in "?$"))


_PREFIX_CODE = re.compile(r"(?<![\w.-])[\w.-]+:")  # a prefix kept in the code
_SERVICE = re.compile(r"(?<![^\W\d_])(?<![_-])service")


def _as_less_than(text: str) -> str | None:
    """The query read with the ``<`` of each IRI-looking token as a less-than sign, or ``None`` when it has
    none: in an expression Oxigraph reads ``FILTER(1<(((2)))>0)`` as a comparison, not as one IRI."""
    cuts = [start for start, end, prefix, _ in _tokens(text) if prefix is None and text.startswith("<", start)]
    if not cuts:
        return None
    pieces, pos = [], 0
    for start in cuts:
        pieces += [text[pos:start], " "]
        pos = start + 1
    return "".join(pieces) + text[pos:]


_SERVICE_IN_IRI = re.compile(r"\)\.?service", re.IGNORECASE)


def uses_service(text: str) -> bool:
    """Whether a query may call ``SERVICE`` (errs on the side of yes): the keyword, also glued to a prefixed
    name followed by ``{`` (``SERVICEex:x {``, ``SERVICE:x {``, which Oxigraph reads as SERVICE), but not inside
    a name (``webservice:``, ``web-service:``, ``ex:service``, ``?service``) nor as a prefix elsewhere
    (``?s service:x ?o``); after a digit or a dot it is one (``42SERVICE``, ``.SERVICE``). A token that reads as
    an IRI but could be a less-than sign, the keyword and a comment hiding its ``>`` counts too."""
    code, glued = _scan(text)
    if glued or _SERVICE.search(_PREFIX_CODE.sub("", code)) is not None:
        return True
    # ("FILTER(1<2)SERVICE#>": after an expression's ")", with the token's ">" hidden in a comment; an IRI's own
    # "/service#" is no keyword)
    for start, end, prefix, _ in _tokens(text):
        hidden = text.find("#", start, end) if prefix is None and text.startswith("<", start) else -1
        if hidden > 0 and _SERVICE_IN_IRI.search(text, start, hidden):
            return True
    return False


_UPDATE = re.compile(r"\s*(?:(?:prefix(?:\s+(?:[^\W\d_][\w.-]*)?:)?|base)\s*)*"  # ("PREFIX : <...>": bare ":")
                     r"(insert|delete|load|clear|create|drop|copy|move|add|with)(?![\w:.-])")


def update_keyword(text: str) -> str | None:
    """The SPARQL Update operation a request starts with (``INSERT``, ``DELETE``, ``LOAD``, ...), or ``None``."""
    m = _UPDATE.match(sparql_code(text))
    return m.group(1).upper() if m else None


def names_dataset(text: str) -> bool:
    """Whether a query has ``FROM`` or ``FROM NAMED`` clauses (a prefix named ``from:`` is none)."""
    return re.search(r"(?<![^\W\d_])(?<![_-])from(?![\w.:-])", sparql_code(text)) is not None


MAX_NESTING = 64  # Oxigraph's parser recurses: some 160 nested [ ] overflow its stack and kill the process
_BRACKET = re.compile(r"[{}()\[\]]")
_DEPTH = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def nesting(text: str) -> int:
    """How deep the query nests ``{ }``, ``( )`` and ``[ ]`` (outside strings and comments; inside an
    IRI-looking token too, which an expression may read as ``<`` and brackets: ``1<((...))>0``)."""
    def once(t: str) -> int:
        return max(itertools.accumulate(map(_DEPTH.__getitem__, _BRACKET.findall(sparql_code(t)))), default=0)
    other = _as_less_than(text)
    return max(once(text), once(other) if other is not None else 0)


def _keyword(words: str) -> re.Pattern:
    return re.compile(rf"(?<![^\W\d_])(?<![_-])(?:{words})(?![\w.:-])", re.IGNORECASE)


_FORM, _FROM, _NAMED, _PREFIX = (_keyword(w) for w in ("select|construct|describe|ask", "from", "named", "prefix"))
_GAP = re.compile(r"(?:\s|#[^\r\n]*)*")
_NAME_END = re.compile(r"(?:[^\s{}()<>\[\],;\"'#\\]|\\.)*")  # the rest of a prefixed name ('.' inside it...)


def _keywords(pattern: re.Pattern, text: str, then: re.Pattern | None = None) -> Iterator[tuple]:
    """Each match of the keyword ``pattern`` outside the tokens (strings, IRIs, comments, names), with the match
    of the keyword ``then`` if it comes next, and the token that comes next (past spaces and comments) if any."""
    tokens = _tokens(text)
    token = next(tokens, None)
    floor = 0  # (up to there, spaces and comments after the last keyword)
    for m in pattern.finditer(text):
        while token is not None and token[1] <= m.start():
            token = next(tokens, None)
        if m.start() < floor or (token is not None and token[0] - len(token[3]) <= m.start()):
            continue
        floor = _GAP.match(text, m.end()).end()
        more = then.match(text, floor) if then else None
        if more:
            floor = _GAP.match(text, more.end()).end()
        while token is not None and token[0] - len(token[3]) < floor:
            token = next(tokens, None)
        yield m, more, token if token is not None and token[0] == floor else None


def dataset_clauses(text: str) -> tuple[str, list[str], list[str]] | None:
    """The query's prologue (its BASE and PREFIX lines) and the graphs its ``FROM`` and ``FROM NAMED`` clauses
    name, as written (``<iri>`` or a prefixed name); ``None`` if a clause names neither."""
    default: list[str] = []
    named: list[str] = []
    for _m, is_named, token in _keywords(_FROM, text, then=_NAMED):
        if token is None or (token[2] is None and text[token[0]] != "<"):
            return None
        end = token[1] if token[2] is None else _NAME_END.match(text, token[1]).end()
        (named if is_named else default).append(text[token[0]:end].rstrip("."))
    form = next((m.start() for m, _, _ in _keywords(_FORM, text)), 0)
    return text[:form], default, named


def undefined_prefix(text: str, known: dict | None = None, before: int | None = None) -> str | None:
    """The first prefix the query uses (before offset ``before``) that neither a ``PREFIX`` line declares nor
    ``known`` holds."""
    declared = {token[2] for _m, _, token in _keywords(_PREFIX, text) if token is not None}
    for start, _end, prefix, _junk in _tokens(text):
        if before is not None and start > before:
            break
        if prefix is not None and prefix not in declared and prefix not in (known or {}) \
                and not (prefix == "" and text[start - 1:start] == "_"):  # (_:b is a blank node)
            return prefix
    return None


def error_offset(text: str, message: str) -> int | None:
    """Where in ``text`` Oxigraph's syntax error ``error at LINE:COLUMN: ...`` points."""
    m = re.match(r"error at (\d+):(\d+)", message)
    if not m:
        return None
    lines = text.split("\n")[:int(m.group(1)) - 1]
    return sum(len(line) + 1 for line in lines) + int(m.group(2)) - 1


def is_merged_graph(graph: NamedNode) -> bool:
    """Paper graphs are mirrored into the default graph (their RDF merge)."""
    return "/graph/paper/" in graph.value


def _store_error(path: Path, exc: OSError) -> StoreError:
    text = str(exc)
    if "lock" in text.lower() or "busy" in text.lower() or "resource temporarily unavailable" in text.lower():
        return StoreError(f"the store at {path} is in use by another process ({text.splitlines()[0]})",
                          "stop the other kg process using it, or use another --out directory")
    return StoreError(f"cannot open the store at {path} ({text.splitlines()[0] if text else exc!r})",
                      "check the path, or delete the directory to rebuild it with kg build")


def _take_lock(path: Path, *, shared: bool):
    """Hold ``path/kg.lock``: shared by readers, exclusive for the one writer (released when the file closes)."""
    if fcntl is None:
        return None
    try:
        handle = open(path / LOCK_NAME, "a+b")
    except OSError:
        if not shared:
            raise
        try:
            handle = open(path / LOCK_NAME, "rb")
        except OSError:
            return None  # a read-only copy nobody can build into
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        if shared:
            raise StoreError(f"the store at {path} is being written by another process (kg build)",
                             "wait for the build to finish, then run this command again") from None
        raise StoreError(f"the store at {path} is in use by another process (kg serve, or another kg command)",
                         "stop kg serve (Ctrl-C) or let the other command finish, then build again; "
                         "or build into another --out directory") from None
    return handle


class GraphStore:
    """A thin, typed wrapper over ``pyoxigraph.Store``.

    ``path=None`` gives an in-memory store (tests, benchmarks). Use as a context manager, or call
    :meth:`close`, so the on-disk store is flushed and unlocked.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = None
        try:
            if self.path is None:
                self._store = Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}", "run kg build first, or pass --out DIR of a build")
                self._lock = _take_lock(self.path, shared=True)
                self._store = Store.read_only(str(self.path))
            else:
                if not create and not self.path.exists():
                    raise StoreError(f"no store at {self.path}", "run kg build first, or pass --out DIR of a build")
                self.path.mkdir(parents=True, exist_ok=True)
                if not (self.path / "CURRENT").exists() and any(self.path.glob("*.sst")):
                    # (opening it would start an empty database beside the old files: the data would be lost
                    # without a word on the next build)
                    raise RuntimeError("Corruption: the database's CURRENT file is missing")
                self._lock = _take_lock(self.path, shared=False)
                self._store = Store(str(self.path))
        except OSError as exc:
            self._release()
            raise _store_error(self.path, exc) from exc
        except RuntimeError as exc:  # Oxigraph's "Corruption: ..." for a store whose files were damaged
            self._release()
            reason = (str(exc).strip().splitlines() or ["unreadable"])[0][:200]
            raise StoreError(f"the store at {self.path} is damaged ({reason})",
                             f"delete the folder {self.path} and build again (kg build rebuilds it from the inputs, "
                             "or from OUT/extractions.jsonl with --extractions)") from exc
        except StoreError:
            self._release()
            raise
        self.read_only = read_only

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None and self.path is not None and not self.read_only:
            try:
                store.flush()
            except OSError:
                pass
        self._store = None  # releases Oxigraph's own lock once garbage-collected
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file drops the flock
            self._lock = None

    @property
    def raw(self) -> Store:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad], *, merge: bool | None = None) -> int:
        """Replace everything in ``graph`` with ``quads`` (which must all be in that graph).

        For a paper graph (``merge`` defaults to whether the IRI contains ``/graph/paper/``) the default
        graph, which holds the merge of all paper graphs, is updated too: new triples are added, and
        triples the paper no longer states are dropped unless another paper graph still has them.
        """
        quads = list(quads)
        for q in quads:
            if q.graph_name != graph:
                raise StoreError(f"quad {q} is not in graph {graph.value}", "map each paper into its own graph")
        merge = is_merged_graph(graph) if merge is None else merge
        st = self._store
        try:
            old: set[Triple] = set()
            if st.contains_named_graph(graph):
                if merge:
                    old = {Triple(q.subject, q.predicate, q.object) for q in st.quads_for_pattern(None, None, None, graph)}
                st.remove_graph(graph)
            st.extend(quads)
            if merge:
                new = {Triple(q.subject, q.predicate, q.object) for q in quads}
                st.extend([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in new - old])
                gone = []
                for t in old - new:
                    if not any(isinstance(q.graph_name, NamedNode) and is_merged_graph(q.graph_name)
                               for q in st.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                        gone.append(Quad(t.subject, t.predicate, t.object, DefaultGraph()))
                for q in gone:
                    st.remove(q)
        except OSError as exc:
            raise _store_error(self.path or Path("<memory>"), exc) from exc
        return len(quads)

    def add(self, quads: Iterable[Quad]) -> None:
        self._store.extend(list(quads))

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        """Fast, non-transactional load for large synthetic graphs."""
        self._store.bulk_extend(quads)

    def clear(self) -> None:
        self._store.clear()

    def remove(self, quads: Iterable[Quad]) -> None:
        for q in list(quads):
            self._store.remove(q)

    def snapshot(self, path: Path) -> Path:
        """Write every quad of the store to ``path`` (N-Quads), to :meth:`restore` it from if a build fails."""
        try:
            self._store.dump(str(path), RdfFormat.N_QUADS)
        except OSError as exc:
            raise _store_error(path, exc) from exc
        return path

    def restore(self, path: Path) -> None:
        """Put the store back as :meth:`snapshot` found it."""
        self._store.clear()
        if path.stat().st_size:  # (blank nodes keep their labels, as bulk_load would not)
            self._store.bulk_extend(parse(path=str(path), format=RdfFormat.N_QUADS))
        self.flush()

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # ------------------------------------------------------------------ reading
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))

    def paper_graphs(self, base: str | None = None) -> list[NamedNode]:
        """The per-paper graphs (under ``base`` if given), in IRI order."""
        if base is None:
            return [NamedNode(g) for g in self.graphs() if is_merged_graph(NamedNode(g))]
        prefix = base + "graph/paper/"
        return [NamedNode(g) for g in self.graphs() if g.startswith(prefix)]

    def detect_base(self, default: str) -> str:
        """The base IRI the store was built with (read off its paper graphs), else ``default``."""
        for g in self._store.named_graphs():
            if isinstance(g, NamedNode) and is_merged_graph(g):
                return g.value.rsplit("graph/paper/", 1)[0]
        return default

    def quads(self, graphs: Iterable[NamedNode] | None = None) -> Iterator[Quad]:
        if graphs is None:
            yield from self._store.quads_for_pattern(None, None, None, None)
            return
        for g in graphs:
            yield from self._store.quads_for_pattern(None, None, None, g)

    def __len__(self) -> int:
        return len(self._store)

    def count_triples(self) -> int:
        """Triples in the merge of the paper graphs (the store's default graph)."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, DefaultGraph()))

    def query_dataset(self) -> list:
        """The default graph queries see: the merge of paper graphs plus every other named graph."""
        return [DefaultGraph()] + [g for g in self._store.named_graphs()
                                   if not (isinstance(g, NamedNode) and is_merged_graph(g))]

    def query(self, sparql: str, *, substitutions: dict | None = None, default_graph=None, named_graphs=None,
              union: bool = True, prefixes: dict[str, str] | None = None,
              allow_service: bool = False) -> QuerySolutions | QueryTriples | QueryBoolean:
        """Run a SPARQL query. Its dataset is ``default_graph`` / ``named_graphs`` if either is given (the
        other is then empty, as in the SPARQL Protocol), else the query's own ``FROM`` / ``FROM NAMED``,
        else the paper merge plus the other named graphs as default graph (``union=False``: the store's
        default graph only) with every named graph. A default graph of several graphs is their RDF merge
        (each triple once). ``SERVICE`` is refused unless ``allow_service``."""
        if update_keyword(sparql):
            raise QueryError(f"the text is a SPARQL Update ({update_keyword(sparql)}); the graph is read-only here",
                             "kg build writes the graph: change the listings (or extraction records) and build again")
        if not allow_service and uses_service(sparql):
            raise QueryError("the query uses SERVICE (federated query), which makes kg fetch a remote URL",
                             "remove the SERVICE clause, or pass --allow-service to kg query if you trust the query")
        depth = nesting(sparql)
        if depth > MAX_NESTING:
            raise QueryError(f"the query nests {{ }}, ( ) or [ ] {depth} levels deep; the limit is {MAX_NESTING}",
                             "write it with fewer nested groups, parentheses or brackets")
        kw: dict = {}
        dataset = None
        if default_graph is not None or named_graphs is not None:
            dataset = (default_graph if default_graph is not None else [],
                       named_graphs if named_graphs is not None else [])
        elif names_dataset(sparql):
            dataset = self._from_graphs(sparql, prefixes)
        elif union:
            kw["default_graph"] = self.query_dataset()
        store = self._store
        if dataset is not None:
            default, named = (list(dict.fromkeys(g)) if isinstance(g, list) else g for g in dataset)
            if isinstance(default, list) and len(default) > 1:
                store, default = self._merge(default, named), [DefaultGraph()]
            kw["default_graph"], kw["named_graphs"] = default, named
        if substitutions:
            kw["substitutions"] = substitutions
        if prefixes:
            kw["prefixes"] = prefixes
        try:
            return store.query(sparql, **kw)
        except SyntaxError as exc:
            msg = " ".join(str(exc).split())
            # a prefix nobody declared, before the point of error, is the error (Oxigraph's message would list
            # every character a name may hold, in some 500 characters)
            name = undefined_prefix(sparql, prefixes, error_offset(sparql, msg))
            if name is not None:
                known = ", ".join(p + ":" for p in ("kgo", "skos", "rdfs", "model", "paper") if p in (prefixes or {}))
                fix = f"declare it with PREFIX {name}: <...>" + (f" (or use {known} ...)" if known else "")
                raise QuerySyntaxError(f"undefined prefix {name}:", fix) from exc
            raise QuerySyntaxError(msg, "check the query near that line and column") from exc
        except OSError as exc:
            raise StoreError(f"the store could not run the query ({exc})", "rebuild the store with kg build") from exc
        except (ValueError, TypeError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {' '.join(str(exc).split())}", "check the query") from exc

    def _from_graphs(self, sparql: str, prefixes: dict | None) -> tuple[list, list] | None:
        """The dataset of a query naming two default graphs or more with ``FROM`` (``None``: let Oxigraph read
        its clauses); the names are resolved by Oxigraph, with the query's own BASE and PREFIX lines."""
        clauses = dataset_clauses(sparql)
        if clauses is None or len(set(clauses[1])) < 2:
            return None
        prologue, default, named = clauses
        names = default + named
        probe = (f"{prologue}\nSELECT * WHERE {{ VALUES ({' '.join(f'?g{i}' for i in range(len(names)))}) "
                 f"{{ ({' '.join(names)}) }} }}")
        try:
            row = next(iter(Store().query(probe, prefixes=prefixes or None)))
            graphs = [row[f"g{i}"] for i in range(len(names))]
        except (SyntaxError, ValueError, RuntimeError, StopIteration):
            return None  # (the query itself then says what is wrong)
        if not all(isinstance(g, NamedNode) for g in graphs):
            return None
        return graphs[:len(default)], graphs[len(default):]

    def _merge(self, default: list, named: list) -> Store:
        """An in-memory store whose default graph is the RDF merge of the ``default`` graphs, with the ``named``
        graphs beside it (Oxigraph, given several default graphs, returns a triple once per graph stating it)."""
        merged = Store()
        merged.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for g in dict.fromkeys(default)
                      for q in self._store.quads_for_pattern(None, None, None, g))
        merged.extend(q for g in dict.fromkeys(named) for q in self._store.quads_for_pattern(None, None, None, g))
        return merged


__all__ = ["GraphStore", "DefaultGraph"]


class Journal:
    """The changes one build makes to a store, each written down before it is made (the old content of every
    paper graph it replaces, the graphs it creates, the quads it adds or removes elsewhere), so that
    :meth:`undo` can take them back -- in this process when the build fails, or in the next one
    (:meth:`undo_left_over`) when this one died. Its cost follows what the build changes, not the store."""

    def __init__(self, store: GraphStore, folder: Path) -> None:
        self.store, self.folder = store, folder
        folder.mkdir(parents=True)
        self._seen: set[str] = set()
        self._files = {name: open(folder / name, "ab") for name in ("replaced.nq", "new.txt", "added.nq",
                                                                     "removed.nq")}

    def _write(self, name: str, data: bytes) -> None:
        f = self._files[name]
        pos = f.tell()
        try:
            f.write(data)
            f.flush()  # (written down before the change it describes is made)
        except OSError:
            try:  # a record cut short (disk full) describes a change never made: leave none of it
                f.truncate(pos)
            except OSError:
                pass
            raise

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> int:
        if graph.value not in self._seen:
            self._seen.add(graph.value)
            st = self.store.raw
            if st.contains_named_graph(graph):
                self._write("replaced.nq", serialize(list(st.quads_for_pattern(None, None, None, graph)),
                                                     format=RdfFormat.N_QUADS) or b"")
            else:
                self._write("new.txt", (graph.value + "\n").encode("utf-8"))
        return self.store.replace_graph(graph, quads)

    def add(self, quads: Iterable[Quad]) -> None:
        st = self.store.raw
        new = [q for q in quads if q not in st]  # (what was there already stays on undo)
        for graph in dict.fromkeys(q.graph_name for q in new if isinstance(q.graph_name, NamedNode)):
            if graph.value not in self._seen and not st.contains_named_graph(graph):
                self._seen.add(graph.value)  # a graph this build creates goes, name and all, on undo
                self._write("new.txt", (graph.value + "\n").encode("utf-8"))
        self._write("added.nq", serialize(new, format=RdfFormat.N_QUADS) or b"")
        self.store.add(new)

    def remove(self, quads: Iterable[Quad]) -> None:
        there = [q for q in quads if q in self.store.raw]
        self._write("removed.nq", serialize(there, format=RdfFormat.N_QUADS) or b"")
        self.store.remove(there)

    def close(self) -> None:
        for f in self._files.values():
            try:
                f.close()
            except OSError:
                pass  # (every record was flushed when written, or cut back to its last whole line)

    def discard(self) -> None:
        """The build is kept: forget what it changed."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def undo(self) -> None:
        self.close()
        self.undo_left_over(self.store, self.folder)

    @staticmethod
    def undo_left_over(store: GraphStore, folder: Path) -> bool:
        """Take back the changes written down in ``folder`` (``False``: there is no such record)."""
        if not folder.is_dir():
            return False

        def whole_lines(name: str) -> bytes:
            path = folder / name
            data = path.read_bytes() if path.is_file() else b""
            return data[:data.rfind(b"\n") + 1]  # (a last line cut short was never acted on)

        def quads(name: str) -> list[Quad]:
            return list(parse(whole_lines(name), format=RdfFormat.N_QUADS))

        for line in whole_lines("new.txt").decode("utf-8").splitlines():
            if line.strip():
                store.replace_graph(NamedNode(line.strip()), [])
        old: dict[NamedNode, list[Quad]] = {}
        for q in quads("replaced.nq"):
            old.setdefault(q.graph_name, []).append(q)
        for graph, qs in old.items():
            store.replace_graph(graph, qs)
        store.remove(quads("added.nq"))
        store.add(quads("removed.nq"))
        store.flush()
        shutil.rmtree(folder, ignore_errors=True)
        return True
