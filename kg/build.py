"""The ``kg build`` job, end to end: read -> extract -> map -> store -> validate -> export.

``run_build(inputs, config)`` is the entry point (the CLI command is a thin wrapper). It reads the
listings (or the bundled corpus), runs the extractor, maps each ``Extraction`` into its paper's named
graph (replacing what an earlier build stored for that paper), records the build itself with PROV-O,
validates the merged graph against the SHACL shapes and, only if it conforms, writes the exports
(``graph.ttl`` and any other ``--format``), ``extractions.jsonl`` and ``build.ttl``. Later stages
(analytics, viewer) take the returned :class:`BuildSummary` and the open store path from here.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, TextIO

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__
from .config import Config
from .errors import InputError, KGError, NoUsableInput, StoreError, ValidationFailed
from .export import export, default_filename, write_build_record, Selection
from .jsonl import read_extractions
from .records import Extraction
from .store import GraphStore, Journal
from ontology.iri import IRIMinter, check_iri
from ontology.mapping import Mapper, XSD_DATETIME, RDF_TYPE, K, N
from ontology.namespaces import PREFIXES, SCHEMA_VERSION, TYPE_CLASS, kgo


@dataclass
class BuildSummary:
    """What a build did; ``lines()`` is the closing summary printed by ``kg build``."""

    papers: int = 0
    papers_in_store: int = 0
    records: int = 0
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0
    entities_by_type: Counter = field(default_factory=Counter)
    relations_by_type: Counter = field(default_factory=Counter)
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    shape_warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    store_path: Path | None = None
    base_iri: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def lines(self) -> list[str]:
        ents = ", ".join(f"{t} {n}" for t, n in sorted(self.entities_by_type.items(), key=lambda x: (-x[1], x[0])))
        rels = ", ".join(f"{t} {n}" for t, n in sorted(self.relations_by_type.items(), key=lambda x: (-x[1], x[0])))
        out = [f"papers      {self.papers} built ({self.papers_in_store} in the store; "
               f"{len(self.skipped)} input records skipped, {self.duplicates} duplicates merged)",
               f"entities    {sum(self.entities_by_type.values())} ({ents or 'none'})",
               f"relations   {sum(self.relations_by_type.values())} ({rels or 'none'})",
               f"triples     {self.triples} in the published graph",
               f"warnings    {len(self.skipped) + len(self.warnings)} "
               f"({len(self.skipped)} skipped records, {len(self.warnings)} other); "
               f"SHACL: {len(self.violations)} violations, {len(self.shape_warnings)} warnings",
               f"time        {self.seconds:.1f} s ("
               + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()) + ")"]
        for name, path in self.outputs.items():
            out.append(f"wrote       {path}")
        return out


@contextmanager
def _removed_on_error(path: Path):
    """Delete a partly written file when the block fails, so no stale ``.tmp`` is left in the outputs."""
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise


STORE_BACKUP = ".store-before-build.nq"


@contextmanager
def _store_kept_on_error(store: GraphStore, backup: Path):
    """Snapshot the store; if the block fails in any way (Ctrl-C included), put the snapshot back. The snapshot
    is deleted only once it is not needed: if putting it back fails too, it stays, and the next build starts by
    putting it back (:func:`_recover`)."""
    part = backup.with_name(backup.name + ".part")
    try:
        store.snapshot(part)
        part.replace(backup)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    try:
        yield
    except BaseException:
        with _no_interrupt():  # (a second Ctrl-C must not stop it halfway, with the store emptied)
            try:
                store.restore(backup)
            except Exception as exc:
                raise StoreError(f"the build failed and the store at {store.path} could not be put back ({exc}); "
                                 f"its earlier content is kept in {backup}",
                                 "run kg build again: it puts that content back first") from exc
        backup.unlink(missing_ok=True)
        raise
    backup.unlink(missing_ok=True)


@contextmanager
def _no_interrupt():
    """Hold off SIGINT (Ctrl-C) in the block; one that came meanwhile is raised after it."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


JOURNAL = ".build-journal"


@contextmanager
def _undone_on_error(store: GraphStore, out_dir: Path, fresh: bool):
    """What the build writes the store through (``replace_graph``, ``add``, ``remove``); if the block fails in
    any way, the store is put back as it was. A fresh build, which empties the store, snapshots it whole first;
    a build that adds papers writes each change down as it goes (:class:`~kg.store.Journal`), which costs what
    the build changes, not what the store holds."""
    if fresh:
        with _store_kept_on_error(store, out_dir / STORE_BACKUP):
            yield store
        return
    journal = Journal(store, out_dir / JOURNAL)
    try:
        yield journal
    except BaseException:
        with _no_interrupt():
            try:
                journal.undo()
            except Exception as exc:
                raise StoreError(f"the build failed and its changes to the store at {store.path} could not be "
                                 f"taken back ({exc}); they are written down in {journal.folder}",
                                 "run kg build again: it takes them back first") from exc
        raise
    journal.discard()


def _recover(store: GraphStore, out_dir: Path, stderr: TextIO | None) -> None:
    """What an earlier build that failed (or was killed) could not take back: take it back now."""
    backup = out_dir / STORE_BACKUP
    if backup.is_file():
        with _no_interrupt():
            store.restore(backup)
        backup.unlink()
        _warn(stderr, f"the store was put back as it was before an earlier build that failed ({backup} read)")
    with _no_interrupt():
        undone = Journal.undo_left_over(store, out_dir / JOURNAL)
    if undone:
        _warn(stderr, "the store was put back as it was before an earlier build that failed "
                      f"({out_dir / JOURNAL} read)")


def _carry_over(old: Path, new: Path, built: set[str]) -> None:
    """Put the records of ``old`` (an earlier build's extractions.jsonl) whose papers this build did not rebuild
    before the records of ``new``, so the file covers every paper in the store."""
    if not old.is_file():
        return
    merged = new.with_suffix(".merge")
    with _removed_on_error(merged), open(merged, "w", encoding="utf-8") as out:
        with open(old, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    pid = json.loads(line)["paper"]["id"]
                except (ValueError, KeyError, TypeError):
                    continue  # (not a record kg wrote: nothing of the store's to keep)
                if pid not in built:
                    out.write(line if line.endswith("\n") else line + "\n")
        with open(new, encoding="utf-8") as f:
            for line in f:
                out.write(line)
    merged.replace(new)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _input_iri(spec: str, minter: IRIMinter) -> str:
    if spec == "-":
        return minter.input("stdin")
    try:
        return check_iri(Path(spec).resolve().as_uri(), "input")
    except (KGError, ValueError):
        return minter.input(spec)


def build_record(minter: IRIMinter, *, started: str, ended: str, inputs: list[str],
                 graphs: list[NamedNode]) -> list[Quad]:
    """The PROV-O description of one build, in ``<base>graph/build``."""
    g = NamedNode(minter.build_graph())
    act = NamedNode(minter.build(started, tuple(inputs)))
    prov = PREFIXES["prov"]
    quads = [Quad(act, RDF_TYPE, N(prov + "Activity"), g), Quad(act, RDF_TYPE, K("Build"), g),
             Quad(act, N(PREFIXES["rdfs"] + "label"), Literal(f"kg build of {len(graphs)} papers"), g),
             Quad(act, K("toolVersion"), Literal(__version__), g),
             Quad(act, K("schemaVersion"), Literal(str(SCHEMA_VERSION), datatype=N(PREFIXES["xsd"] + "integer")), g),
             Quad(act, N(prov + "startedAtTime"), Literal(started, datatype=XSD_DATETIME), g),
             Quad(act, N(prov + "endedAtTime"), Literal(ended, datatype=XSD_DATETIME), g)]
    for spec in inputs:
        i = NamedNode(_input_iri(spec, minter))
        quads += [Quad(act, N(prov + "used"), i, g), Quad(i, RDF_TYPE, N(prov + "Entity"), g),
                  Quad(i, N(PREFIXES["rdfs"] + "label"), Literal(spec), g)]
    for graph in graphs:
        quads.append(Quad(act, N(prov + "generated"), graph, g))
    return quads


def _forget_older_generations(store: GraphStore, changes, minter: IRIMinter, graphs: list[NamedNode]) -> None:
    """A paper graph this build replaces was generated by this build, no longer by the earlier one: drop the
    earlier build's ``prov:generated`` link to it (PROV: an entity is generated once). The earlier build
    stays recorded, with what it generated that is still in the store."""
    g = NamedNode(minter.build_graph())
    generated = NamedNode(PREFIXES["prov"] + "generated")
    changes.remove([q for graph in graphs for q in store.raw.quads_for_pattern(None, generated, graph, g)])


def _older_schema(store: GraphStore, minter: IRIMinter) -> str | None:
    """How the store's builds differ from this kg's graph schema (``None``: they do not, or it holds no paper)."""
    if not store.paper_graphs(minter.base):
        return None
    versions = {row["v"].value if row["v"] is not None else None for row in store.raw.query(
        f"SELECT ?v WHERE {{ GRAPH <{minter.build_graph()}> {{ ?b a <{kgo('Build')}> "
        f"OPTIONAL {{ ?b <{kgo('schemaVersion')}> ?v }} }} }}")}
    if not versions:
        return "no build record"
    found = sorted(v or "1" for v in versions if v != str(SCHEMA_VERSION))  # (builds before the version: 1)
    return f"graph schema {', '.join(found)}" if found else None


def _stored_names(config: Config) -> list[str]:
    """The canonical names of the entities an earlier build stored under this base (none without a store), so a
    build that adds papers spells, and mints, the entities it shares with them as they are."""
    path = Path(config.store_path)
    if not (path.is_dir() and any(path.iterdir())):
        return []
    base = IRIMinter(config.base_iri).base
    with GraphStore(path, read_only=True) as store:
        if not store.paper_graphs(base):
            return []
        rows = store.raw.query(f"SELECT DISTINCT ?n WHERE {{ GRAPH ?g {{ ?e <{PREFIXES['skos']}prefLabel> ?n }} "
                               f"FILTER(STRSTARTS(STR(?e), {json.dumps(base)})) }}")
        return [row["n"].value for row in rows]


def _warn(stream: TextIO | None, line: str) -> None:
    if stream is not None:
        print(f"warning: {line}", file=stream)


def build_graph(extractions: Iterable[Extraction], config: Config, *, inputs: list[str] | None = None,
                fresh: bool = False, summary: BuildSummary | None = None, total: int | None = None,
                stderr: TextIO | None = None, quiet: bool = False, started: str | None = None,
                t0: float | None = None) -> BuildSummary:
    """Map, store, validate and export already extracted records (warnings go to ``stderr``)."""
    from .progress import bar

    stderr = None if quiet else (stderr or sys.stderr)
    t0 = t0 if t0 is not None else time.perf_counter()
    started = started or _now()
    summary = summary or BuildSummary()
    minter = IRIMinter(config.base_iri)
    mapper = Mapper(minter=minter)
    out_dir = Path(config.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary.store_path = config.store_path
    summary.base_iri = minter.base
    entity_iris: dict[str, set[str]] = {}
    graphs: list[NamedNode] = []
    jsonl_tmp = out_dir / "extractions.jsonl.tmp"
    built_ids: set[str] = set()
    t_map = 0.0
    with _removed_on_error(jsonl_tmp), GraphStore(config.store_path) as store, \
            open(jsonl_tmp, "w", encoding="utf-8") as jsonl:
        _recover(store, out_dir, stderr)
        if not fresh:
            held = store.detect_base(minter.base)
            if held != minter.base:  # two bases in one store: queries and exports would see both copies
                raise StoreError(f"the store at {config.store_path} holds a graph built under {held}, not "
                                 f"{minter.base}", f"add --fresh to rebuild it under {minter.base}, "
                                 f"or build with --base-iri {held}")
            old = _older_schema(store, minter)
            if old:  # papers stated in an earlier shape would break the shapes of this one, or mislead
                raise StoreError(f"the store at {config.store_path} was built by an earlier kg ({old}; this kg "
                                 f"writes graph schema {SCHEMA_VERSION})", "add --fresh to rebuild it")
        # (a build that fails -- SHACL violations, an error, Ctrl-C -- leaves the store as it found it)
        with _undone_on_error(store, out_dir, fresh) as changes:
            if fresh:
                store.clear()
            progress = bar(total, "build", config.progress)
            t_extract = time.perf_counter()
            for ext in extractions:
                jsonl.write(json.dumps(ext.to_json(), ensure_ascii=False) + "\n")
                built_ids.add(ext.paper.id)
                t1 = time.perf_counter()
                try:
                    mapped = mapper.map(ext)
                except KGError as exc:
                    line = f"paper {ext.paper.id!r} ({ext.paper.source}) not mapped: {exc}"
                    summary.warnings.append(line)
                    _warn(stderr, line)
                    progress.update(1)
                    continue
                changes.replace_graph(mapped.graph, mapped.quads)
                t_map += time.perf_counter() - t1
                graphs.append(mapped.graph)
                for line in mapped.warnings:
                    summary.warnings.append(line)
                    _warn(stderr, line)
                for ent in ext.entities:
                    if ent.type in TYPE_CLASS:
                        try:
                            entity_iris.setdefault(ent.type, set()).add(minter.entity(ent.type, ent.name))
                        except KGError:
                            pass
                summary.relations_by_type.update(mapped.edges)
                summary.papers += 1
                progress.update(1)
            progress.close()
            summary.timings["read+extract"] = time.perf_counter() - t_extract - t_map
            summary.timings["map+store"] = t_map
            summary.entities_by_type = Counter({t: len(v) for t, v in entity_iris.items()})
            if summary.papers == 0:
                jsonl_tmp.unlink(missing_ok=True)
                raise NoUsableInput("no paper could be built", "check the warnings above and the input files")
            _forget_older_generations(store, changes, minter, graphs)
            changes.add(build_record(minter, started=started, ended=_now(), inputs=list(inputs or []), graphs=graphs))
            summary.papers_in_store = len(store.paper_graphs(minter.base))

            t1 = time.perf_counter()
            sel = Selection(store, minter.base)
            triples = sel.triples()
            summary.triples = len(triples)
            from .validate import validate_triples
            report = validate_triples(triples, base=minter.base)
            summary.violations = [str(i) for i in report.violations]
            summary.shape_warnings = [str(i) for i in report.warnings]
            summary.timings["validate"] = time.perf_counter() - t1
            if stderr is not None:
                for line in summary.shape_warnings[:20]:
                    print(line, file=stderr)
                if len(summary.shape_warnings) > 20:
                    print(f"... and {len(summary.shape_warnings) - 20} more shape warnings (kg validate --all lists them)",
                          file=stderr)
            if not report.conforms:
                jsonl_tmp.unlink(missing_ok=True)
                if stderr is not None:
                    for line in summary.violations[:50]:
                        print(line, file=stderr)
                    if len(summary.violations) > 50:
                        print(f"... and {len(summary.violations) - 50} more", file=stderr)
                raise ValidationFailed(f"the graph breaks {len(summary.violations)} SHACL constraint(s); "
                                       "no export was written",
                                       "fix the records named above (or the mapping), then run kg build again")

            t1 = time.perf_counter()
            jsonl.close()
            if not fresh:  # the papers of earlier builds stay in the store, and so in extractions.jsonl
                _carry_over(out_dir / "extractions.jsonl", jsonl_tmp, built_ids)
            jsonl_tmp.replace(out_dir / "extractions.jsonl")
            summary.outputs["extractions"] = out_dir / "extractions.jsonl"
        # the store and extractions.jsonl are committed: the exports and the report are made from them (each file
        # is replaced whole; if this part fails, kg export and kg build --extractions remake them)
        for fmt in config.formats or ("turtle",):
            summary.outputs[fmt] = export(store, fmt, out_dir / default_filename(fmt), base=minter.base)
        summary.outputs["build"] = write_build_record(store, out_dir / "build.ttl", minter.base)
        summary.timings["export"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        from .insights import write_insights  # analytics: report.html/.md, stats.json, graph.html, scores
        summary.outputs.update(write_insights(store, config)["outputs"])
        summary.timings["analytics"] = time.perf_counter() - t1
    summary.seconds = time.perf_counter() - t0
    return summary


def run_build(inputs: list[str] | None, config: Config, *, fresh: bool = False, fmt: str | None = None,
              extractions_file: str | Path | None = None, stderr: TextIO | None = None,
              quiet: bool = False) -> BuildSummary:
    """Read -> extract -> map -> store -> validate -> export. Returns the summary of the build.

    Skipped records, mapping warnings and SHACL violations are printed to ``stderr`` (default: the
    process's stderr at call time; ``quiet=True`` prints nothing -- they are in the summary anyway).
    """
    stderr = None if quiet else (stderr or sys.stderr)
    t0 = time.perf_counter()
    started = _now()
    IRIMinter(config.base_iri)  # a bad --base-iri fails before any work
    summary = BuildSummary()
    if extractions_file is not None:
        if inputs:
            raise InputError(f"both listings ({', '.join(inputs)}) and --extractions {extractions_file} were given",
                             "give either listings to extract or --extractions FILE of records extracted before")
        skips: list[str] = []
        exts: Iterable[Extraction] = read_extractions(extractions_file, skips)
        for line in skips:
            summary.skipped.append(line)
            _warn(stderr, line)
        used = [str(extractions_file)]
        total = len(exts)  # type: ignore[arg-type]
    else:
        from . import sources
        used = list(inputs) if inputs else [str(p) for p in sources.bundled_corpus()]
        result = sources.read_sources(used, fmt=fmt)
        summary.records = result.records
        summary.duplicates = len(result.duplicates)
        for skip in result.skips:  # (a Note warns about a record that was kept)
            (summary.warnings if isinstance(skip, sources.Note) else summary.skipped).append(str(skip))
            _warn(stderr, str(skip))
        if not result.papers:
            raise NoUsableInput(f"no usable paper in {', '.join(used)}",
                                "check the warnings above; give listings with a title and an abstract per paper")
        from .pipeline import extract
        exts = extract(result.papers, config, known_names=() if fresh else _stored_names(config))
        total = len(result.papers)
    return build_graph(exts, config, inputs=used, fresh=fresh, summary=summary, total=total, stderr=stderr,
                       quiet=quiet, started=started, t0=t0)
