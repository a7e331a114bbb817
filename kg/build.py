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
import shutil
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


STORE_BACKUP = ".store-before-build.nq"  # a fresh build's snapshot of the store
JOURNAL = ".build-journal"  # what a build that adds papers changes
DONE = ".done"  # a record renamed so at the moment its build is kept


def _snapshot(store: GraphStore, backup: Path) -> None:
    part = backup.with_name(backup.name + ".part")
    try:
        store.snapshot(part)
        part.replace(backup)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _remove_record(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _take_back(store: GraphStore, record: Path) -> bool:
    """Put the store back as the record (a snapshot or a journal) says it was, then delete the record."""
    if record.is_dir():
        return Journal.undo_left_over(store, record)
    if record.is_file():
        store.restore(record)
        record.unlink()
        return True
    return False


@contextmanager
def _undone_on_error(store: GraphStore, out_dir: Path, fresh: bool, commit):
    """What the build writes the store through (``replace_graph``, ``add``, ``remove``). If the block fails in any
    way (Ctrl-C included), the store is put back as it was. A fresh build, which empties the store, snapshots it
    whole first; a build that adds papers writes each change down as it goes (:class:`~kg.store.Journal`), which
    costs what the build changes, not what the store holds.

    ``commit()`` (putting ``extractions.jsonl`` in place) is the moment the build is kept. The record is renamed
    ``*.done`` just before it, so a build killed after it is kept and one killed before it is taken back by the
    next build (:func:`_recover`)."""
    record = out_dir / (STORE_BACKUP if fresh else JOURNAL)
    if fresh:
        _snapshot(store, record)
        changes = store
    else:
        changes = Journal(store, record)
    try:
        yield changes
    except BaseException:
        with _no_interrupt():  # (a second Ctrl-C must not stop it halfway, with the store half put back)
            try:
                if isinstance(changes, Journal):
                    changes.close()
                _take_back(store, record)
            except Exception as exc:
                raise StoreError(f"the build failed and the store at {store.path} could not be put back ({exc}); "
                                 f"what it held is written down in {record}",
                                 "run kg build again: it puts the store back first") from exc
        raise
    with _no_interrupt():
        if isinstance(changes, Journal):
            changes.close()
        done = record.with_name(record.name + DONE)
        record.replace(done)
        try:
            commit()
        except BaseException:
            done.replace(record)
            _take_back(store, record)
            raise
        _remove_record(done)


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


def _records(out_dir: Path) -> list[Path]:
    return [p for name in (STORE_BACKUP, JOURNAL, STORE_BACKUP + DONE, JOURNAL + DONE, STORE_BACKUP + ".part")
            if (p := out_dir / name).exists()]


def _recover(store: GraphStore, out_dir: Path, stderr: TextIO | None, *, uncommitted: bool) -> None:
    """What an earlier build that failed (or was killed) left to take back: take it back now. ``uncommitted``:
    that build's ``extractions.jsonl.tmp`` was still there, so a ``*.done`` record is of a build not kept."""
    (out_dir / (STORE_BACKUP + ".part")).unlink(missing_ok=True)  # (a snapshot cut short: the store is unchanged)
    for name in (STORE_BACKUP, JOURNAL):
        record, done = out_dir / name, out_dir / (name + DONE)
        if done.exists():
            if not uncommitted:
                _remove_record(done)  # killed after its commit: that build is kept
                continue
            done.replace(record)
        if not record.exists():
            continue
        with _no_interrupt():
            try:
                _take_back(store, record)
            except (ValueError, SyntaxError, OSError) as exc:
                raise StoreError(f"an earlier build that failed left {record}, which cannot be read ({exc})",
                                 f"delete {store.path} and {record}, then build again (--extractions "
                                 f"{out_dir / 'extractions.jsonl'} --fresh rebuilds the store)") from exc
        _warn(stderr, f"the store was put back as it was before an earlier build that failed ({record} read)")


def _recover_store(config: Config, stderr: TextIO | None) -> None:
    """Take back what an earlier failed build left, before anything reads the store."""
    out_dir = Path(config.out_dir)
    if _records(out_dir) and Path(config.store_path).is_dir():
        uncommitted = (out_dir / "extractions.jsonl.tmp").exists()
        with GraphStore(config.store_path) as store:
            _recover(store, out_dir, stderr, uncommitted=uncommitted)


def _carry_over(old: Path | None, new: Path, built: set[str]) -> None:
    """Make ``new`` (this build's records) cover every paper in the store, once: the records of ``old`` (an
    earlier build's extractions.jsonl, ``None`` for a fresh build) whose papers this build did not rebuild come
    first, then this build's, of a paper given twice only the last (the one its graph holds)."""
    mine = []
    with open(new, encoding="utf-8") as f:
        for line in f:
            mine.append((json.loads(line)["paper"]["id"], line))
    last = {pid: i for i, (pid, _) in enumerate(mine)}
    repeated = len(last) != len(mine)
    if not repeated and (old is None or not old.is_file()):
        return
    merged = new.with_suffix(".merge")
    with _removed_on_error(merged), open(merged, "w", encoding="utf-8") as out:
        if old is not None and old.is_file():
            with open(old, encoding="utf-8", errors="replace") as f:
                for line in f:
                    try:
                        pid = json.loads(line)["paper"]["id"]
                    except (ValueError, KeyError, TypeError):
                        continue  # (not a record kg wrote: nothing of the store's to keep)
                    if pid not in built:
                        out.write(line if line.endswith("\n") else line + "\n")
        for i, (pid, line) in enumerate(mine):
            if last[pid] == i:
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
    from .progress import bar, stage

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
    uncommitted = jsonl_tmp.exists()  # (left by an earlier build that was killed before it was kept)
    built_ids: set[str] = set()
    t_map = 0.0
    with _removed_on_error(jsonl_tmp), GraphStore(config.store_path) as store, \
            open(jsonl_tmp, "w", encoding="utf-8") as jsonl:
        _recover(store, out_dir, stderr, uncommitted=uncommitted)
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
        final = out_dir / "extractions.jsonl"
        with _undone_on_error(store, out_dir, fresh, lambda: jsonl_tmp.replace(final)) as changes:
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

            show = config.progress and stderr is not None  # (stage lines where the bars are shown)
            stage(f"validating the graph of {summary.papers_in_store} papers against the SHACL shapes", show)
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

            stage(f"writing the exports ({', '.join(config.formats or ('turtle',))})", show)
            t1 = time.perf_counter()
            jsonl.close()
            # the papers of earlier builds stay in the store, and so in extractions.jsonl; a paper given twice is
            # in the store as its last record says
            _carry_over(None if fresh else final, jsonl_tmp, built_ids)
        summary.outputs["extractions"] = final  # (put in place by the commit of the block above)
        # the store and extractions.jsonl are committed: the exports and the report are made from them (each file
        # is replaced whole; if this part fails, kg export and kg build --extractions remake them)
        for fmt in config.formats or ("turtle",):
            summary.outputs[fmt] = export(store, fmt, out_dir / default_filename(fmt), base=minter.base)
        summary.outputs["build"] = write_build_record(store, out_dir / "build.ttl", minter.base)
        summary.timings["export"] = time.perf_counter() - t1
        stage("analytics: report, stats and viewer", show)
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
        _recover_store(config, stderr)  # (the names of papers a killed build left are no names to keep)
        exts = extract(result.papers, config, known_names=() if fresh else _stored_names(config))
        total = len(result.papers)
    return build_graph(exts, config, inputs=used, fresh=fresh, summary=summary, total=total, stderr=stderr,
                       quiet=quiet, started=started, t0=t0)
