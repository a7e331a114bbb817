"""``kg build`` end to end: outputs, summary, reproducible Turtle, append/replace semantics, the SHACL gate."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib

from kg.errors import KGError

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import graph_fixture  # noqa: E402

from kg.build import run_build  # noqa: E402
from kg.cli import main  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.store import GraphStore  # noqa: E402


@pytest.fixture(scope="module")
def fixture_jsonl(tmp_path_factory) -> Path:
    return graph_fixture.write_jsonl(tmp_path_factory.mktemp("fx") / "extractions.jsonl")


def _overlapping_halves(tmp_path: Path, lines: list[str]) -> tuple[Path, Path]:
    """Two extraction files: the first two records, and every record from the second on (one shared)."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:2]) + "\n")
    second.write_text("\n".join(lines[1:]) + "\n")
    return first, second


def build(out: Path, *extra: str) -> int:
    return main(["build", "--out", str(out), "--no-progress", *extra])


def test_build_writes_outputs_and_a_summary(tmp_path, fixture_jsonl, capsys):
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--format", "turtle", "--format", "csv") == 0
    out = capsys.readouterr().out
    assert "papers      4 built (4 in the store" in out
    assert "entities    16 (model 7, benchmark 4, repo 2, method 1, metric 1, task 1)" in out
    assert "relations   19 (evaluated_on 7, introduces 4, outperforms 3" in out
    published = len(rdflib.Graph().parse(tmp_path / "o" / "graph.ttl", format="turtle"))
    assert f"triples     {published} in the published graph" in out and published > 500
    assert "SHACL: 0 violations" in out
    for name in ("graph.ttl", "graph.csv", "extractions.jsonl", "build.ttl"):
        assert (tmp_path / "o" / name).stat().st_size > 0
    assert (tmp_path / "o" / "extractions.jsonl").read_text() == fixture_jsonl.read_text()
    assert "prov:startedAtTime" in (tmp_path / "o" / "build.ttl").read_text()
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        assert len(st.paper_graphs("https://w3id.org/llmkg/resource/")) == 4


def test_two_builds_give_byte_identical_turtle(tmp_path, fixture_jsonl):
    import os
    import subprocess
    assert build(tmp_path / "a", "--extractions", str(fixture_jsonl)) == 0
    # the other build in another process, whose sets and dicts of strings iterate in another order
    subprocess.run([sys.executable, "-m", "kg", "build", "--extractions", str(fixture_jsonl), "--out",
                    str(tmp_path / "b"), "--no-progress"], check=True, capture_output=True,
                   cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert build(tmp_path / "a", "--extractions", str(fixture_jsonl)) == 0  # rebuild into the same store
    a, b = (tmp_path / "a" / "graph.ttl").read_bytes(), (tmp_path / "b" / "graph.ttl").read_bytes()
    assert a == b and a.startswith(b"@prefix kgo: <https://w3id.org/llmkg/ontology#> .")
    assert b"paper:2401.00001 a kgo:Paper" in a


def test_appending_keeps_other_papers_and_fresh_starts_over(tmp_path, fixture_jsonl, capsys):
    lines = fixture_jsonl.read_text().splitlines()
    first, second = _overlapping_halves(tmp_path, lines)
    assert build(tmp_path / "o", "--extractions", str(first)) == 0
    assert build(tmp_path / "o", "--extractions", str(second)) == 0
    assert "papers      3 built (4 in the store" in capsys.readouterr().out
    assert build(tmp_path / "o", "--extractions", str(first), "--fresh") == 0
    assert "papers      2 built (2 in the store" in capsys.readouterr().out


def test_extractions_jsonl_covers_every_paper_in_the_store(tmp_path, fixture_jsonl, capsys):
    lines = fixture_jsonl.read_text().splitlines()
    first, second = _overlapping_halves(tmp_path, lines)
    assert build(tmp_path / "o", "--extractions", str(first)) == 0
    assert build(tmp_path / "o", "--extractions", str(second)) == 0
    ids = [json.loads(x)["paper"]["id"] for x in (tmp_path / "o" / "extractions.jsonl").read_text().splitlines()]
    assert sorted(ids) == sorted(json.loads(x)["paper"]["id"] for x in lines)  # each paper once
    # so the store can be rebuilt from it, as kg build --help shows
    saved = tmp_path / "saved.jsonl"
    saved.write_bytes((tmp_path / "o" / "extractions.jsonl").read_bytes())
    capsys.readouterr()
    assert build(tmp_path / "o", "--extractions", str(saved), "--fresh") == 0
    assert "papers      4 built (4 in the store" in capsys.readouterr().out


def test_base_iri_flag(tmp_path, fixture_jsonl, capsys):
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--base-iri", "https://example.org/kg/") == 0
    ttl = (tmp_path / "o" / "graph.ttl").read_text()
    assert "@prefix model: <https://example.org/kg/model/> ." in ttl and "w3id.org/llmkg/resource" not in ttl
    # later commands find the base the store was built with, without being told
    assert main(["export", "--out", str(tmp_path / "o"), "--format", "turtle", "-o", str(tmp_path / "again.ttl")]) == 0
    assert (tmp_path / "again.ttl").read_text() == ttl
    assert main(["query", "model-lineage", "--bind", "name=Vicuna-7B", "--out", str(tmp_path / "o")]) == 0
    assert main(["query", "edge-evidence", "--bind", "s=model:Vicuna-7B", "--format", "csv",
                 "--out", str(tmp_path / "o")]) == 0
    assert main(["validate", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "model:Vicuna-7B  Vicuna-7B  model:Llama_2_7B" in out
    assert "https://example.org/kg/model/Vicuna-7B,https://example.org/kg/ontology" not in out
    assert "https://example.org/kg/model/Vicuna-7B,https://w3id.org/llmkg/ontology#outperforms" in out


def test_a_store_keeps_one_base(tmp_path, fixture_jsonl, capsys):
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    capsys.readouterr()
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--base-iri", "https://example.org/kg/") == 2
    err = capsys.readouterr().err
    assert "E040 the store at" in err and "holds a graph built under https://w3id.org/llmkg/resource/" in err
    assert "add --fresh" in err and "Traceback" not in err
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--base-iri", "https://example.org/kg/",
                 "--fresh") == 0


def test_a_store_of_an_earlier_graph_schema_is_rebuilt_not_extended(tmp_path, fixture_jsonl, capsys):
    import pyoxigraph as ox

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    raw = ox.Store(str(tmp_path / "o" / "store"))
    version = ox.NamedNode("https://w3id.org/llmkg/ontology#schemaVersion")
    assert len(list(raw.quads_for_pattern(None, version, None, None))) == 1
    for q in list(raw.quads_for_pattern(None, version, None, None)):
        raw.remove(q)  # as a build of an earlier kg left it
    raw.flush()
    del raw
    capsys.readouterr()
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 2
    err = capsys.readouterr().err
    from ontology.namespaces import SCHEMA_VERSION
    assert f"was built by an earlier kg (graph schema 1; this kg writes graph schema {SCHEMA_VERSION}) -- add --fresh" \
        in err
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--fresh") == 0


def test_bad_extraction_records_are_skipped_by_name(tmp_path, fixture_jsonl, capsys):
    good = fixture_jsonl.read_text().splitlines()
    bad = [json.loads(good[0]) for _ in range(3)]
    bad[0]["entities"][0]["mentions"][0]["start"] = "5"
    bad[1]["entities"][0]["confidence"] = "high"
    bad[2]["paper"]["authors"] = "Alice"
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([*(json.dumps(b) for b in bad), *good[1:]]) + "\n")
    assert build(tmp_path / "o", "--extractions", str(path)) == 0
    captured = capsys.readouterr()
    assert f"{path}:1: skipped: not an extraction record (entities[0].mentions[0].start must be an integer, not str)" \
        in captured.err
    assert "entities[0].confidence must be a number, not str" in captured.err
    assert f"{path}:3: skipped: not an extraction record (paper.authors must be a list, not str)" in captured.err
    assert "papers      3 built" in captured.out and "Traceback" not in captured.err
    assert build(tmp_path / "p", str(fixture_jsonl), "--extractions", str(fixture_jsonl)) == 2
    assert "give either listings to extract or --extractions FILE" in capsys.readouterr().err
    allbad = tmp_path / "allbad.jsonl"
    allbad.write_text('{"paper": {"id": 5, "title": "x"}}\n{"paper": {"title": "y"}}\n{"paper": {"id": "z"}, '
                      '"relations": [{"confidence": NaN}]}\n')
    assert build(tmp_path / "q", "--extractions", str(allbad)) == 2
    err = capsys.readouterr().err
    assert f"E002 {allbad}:1: not an extraction record (paper.id must be a string, not int) (and 2 more bad " \
           "record(s))" in err
    one = tmp_path / "nan.jsonl"
    one.write_text('{"paper": {"id": "z"}, "entities": [{"name": "A", "type": "model", "params": Infinity}]}\n')
    assert build(tmp_path / "r", "--extractions", str(one)) == 2
    assert "entities[0].params must be a finite number, not inf" in capsys.readouterr().err


def test_bad_base_iri_is_one_line(tmp_path, fixture_jsonl, capsys):
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl), "--base-iri", "not an iri") == 2
    err = capsys.readouterr().err
    assert err.startswith("kg build: error: E020 base IRI 'not an iri' is not usable") and "Traceback" not in err


def test_a_graph_that_breaks_the_shapes_is_not_published(tmp_path, capsys):
    exts = graph_fixture.build()
    bad = replace(exts[1], entities=tuple(replace(e, params=-13e9) if e.name == "MathCoder-13B" else e
                                          for e in exts[1].entities))
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(e.to_json()) for e in [exts[0], bad]) + "\n")
    assert build(tmp_path / "o", "--extractions", str(path)) == 2
    err = capsys.readouterr().err
    assert "violation: model/MathCoder-13B kgo:parameterCount: a parameter count" in err
    assert "E030 the graph breaks 1 SHACL constraint(s); no export was written" in err
    assert not (tmp_path / "o" / "graph.ttl").exists() and not (tmp_path / "o" / "extractions.jsonl").exists()


def _store_quads(out: Path) -> set[str]:
    with GraphStore(out / "store", read_only=True) as st:
        return {str(q) for q in st.raw}


def test_a_refused_build_leaves_the_store_as_it_was(tmp_path, fixture_jsonl, capsys):
    exts = graph_fixture.build()
    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    bad = replace(exts[1], entities=tuple(replace(e, params=-13e9) if e.name == "MathCoder-13B" else e
                                          for e in exts[1].entities))
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad.to_json()) + "\n")
    for extra in ((), ("--fresh",)):
        assert build(tmp_path / "o", "--extractions", str(path), *extra) == 2
        assert "E030" in capsys.readouterr().err
        assert _store_quads(tmp_path / "o") == before  # not the refused paper, not its build record
    assert not list((tmp_path / "o").glob(".store-*"))  # no snapshot left behind


def test_an_interrupted_build_leaves_the_store_as_it_was(tmp_path, fixture_jsonl):
    from kg.build import build_graph

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    exts = graph_fixture.build()

    def interrupted():
        yield replace(exts[0], paper=replace(exts[0].paper, title="A changed title"))
        yield exts[2]
        raise KeyboardInterrupt  # Ctrl-C halfway through

    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    with pytest.raises(KeyboardInterrupt):
        build_graph(interrupted(), cfg, quiet=True)
    assert _store_quads(tmp_path / "o") == before


def test_run_build_on_listings_with_the_real_extractor(tmp_path, capsys):
    listing = tmp_path / "papers.jsonl"
    rows = [{"id": "2402.00001", "title": "Orca-Mini: small models that reason",
             "abstract": "We introduce Orca-Mini, a 7B model fine-tuned from Llama 2. Orca-Mini outperforms "
                         "Vicuna on MMLU and GSM8K. Code: https://github.com/example/orca-mini."},
            {"id": "2402.00002", "title": "A benchmark of long documents",
             "abstract": "We release LongDocBench and evaluate GPT-4 and Claude 2 on it. GPT-4 performs best."},
            {"title": "no abstract here"}]
    listing.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    summary = run_build([str(listing)], Config().with_overrides(out_dir=tmp_path / "o", progress=False))
    err = capsys.readouterr().err
    assert summary.papers == 2 and summary.conforms and summary.triples > 50
    assert len(summary.skipped) == 1 and f"warning: {listing}:3: skipped:" in err
    assert summary.entities_by_type["model"] >= 2
    assert (tmp_path / "o" / "graph.ttl").exists()


def test_a_build_that_adds_papers_keeps_the_stored_spelling_of_an_entity(tmp_path, capsys):
    """The canonical name of an unlisted entity is the first spelling seen; a later build into the same store
    spells (and so mints) it as the store does, instead of making a second node for the same entity."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "2403.00001", "title": "ZorbNet-V2: a small model",
                             "abstract": "We introduce ZorbNet-V2, a small language model for chemistry."}) + "\n")
    b.write_text(json.dumps({"id": "2403.00002", "title": "Small models for chemistry",
                             "abstract": "Our QuilloLM model outperforms ZorbNetV2, a strong language model, on "
                                         "ChemBench."}) + "\n")
    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    run_build([str(a)], cfg, quiet=True)
    run_build([str(b)], cfg, quiet=True)
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        rows = st.raw.query("SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#prefLabel>"
                            " ?n FILTER(LCASE(REPLACE(STR(?n), '[ _-]', '')) = 'zorbnetv2') } }")
        assert [r["e"].value for r in rows] == ["https://w3id.org/llmkg/resource/model/ZorbNet-V2"]
    # a fresh build starts from nothing: the second file's own spelling
    run_build([str(b)], cfg, fresh=True, quiet=True)
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        rows = st.raw.query("SELECT DISTINCT ?n WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#prefLabel>"
                            " ?n FILTER(LCASE(REPLACE(STR(?n), '[ _-]', '')) = 'zorbnetv2') } }")
        assert [r["n"].value for r in rows] == ["ZorbNetV2"]


def test_each_paper_graph_is_generated_by_one_build(tmp_path, fixture_jsonl):
    lines = fixture_jsonl.read_text().splitlines()
    first, second = _overlapping_halves(tmp_path, lines)
    assert build(tmp_path / "o", "--extractions", str(first)) == 0
    assert build(tmp_path / "o", "--extractions", str(second)) == 0
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        rows = list(st.raw.query(
            "SELECT ?g (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?bg { ?b <http://www.w3.org/ns/prov#generated> ?g } }"
            " GROUP BY ?g"))
        builds = list(st.raw.query("SELECT DISTINCT ?b WHERE { GRAPH ?bg { ?b a <http://www.w3.org/ns/prov#Activity> } }"))
    assert len(rows) == 4 and all(int(r["n"].value) == 1 for r in rows)
    assert len(builds) == 2  # the first build stays recorded, with the one paper only it generated


@pytest.mark.parametrize("fresh", [False, True])
def test_a_store_that_could_not_be_put_back_is_put_back_by_the_next_build(tmp_path, fixture_jsonl, monkeypatch,
                                                                           capsys, fresh):
    """A build that adds papers writes its changes down (a journal); a fresh one snapshots the store. If taking
    the changes back fails too, the record stays, and the next build takes them back first."""
    from kg.build import build_graph
    from kg.store import GraphStore as GS, Journal

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    exts = graph_fixture.build()

    def interrupted():
        yield replace(exts[0], paper=replace(exts[0].paper, title="A changed title"))
        raise KeyboardInterrupt

    def broken(*args):
        raise OSError(28, "No space left on device")

    if fresh:
        monkeypatch.setattr(GS, "restore", broken)
        record = tmp_path / "o" / ".store-before-build.nq"
    else:
        monkeypatch.setattr(Journal, "undo_left_over", staticmethod(broken))
        record = tmp_path / "o" / ".build-journal"
    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    with pytest.raises(KGError, match="could not be (put|taken) back") as e:
        build_graph(interrupted(), cfg, quiet=True, fresh=fresh)
    assert "run kg build again" in e.value.fix
    assert record.exists() and _store_quads(tmp_path / "o") != before
    monkeypatch.undo()
    capsys.readouterr()
    lines = fixture_jsonl.read_text().splitlines()
    one = tmp_path / "one.jsonl"
    one.write_text(lines[3] + "\n")
    assert build(tmp_path / "o", "--extractions", str(one)) == 0  # rebuilds a paper the store already had
    assert "the store was put back as it was before an earlier build that failed" in capsys.readouterr().err
    assert not record.exists()

    def papers(quads):  # (the build records differ: one more build, other times)
        return {q for q in quads if "/graph/build" not in q}
    assert papers(_store_quads(tmp_path / "o")) == papers(before)


def test_an_interrupted_snapshot_leaves_no_file(tmp_path, fixture_jsonl, monkeypatch):
    from kg.build import build_graph
    from kg.store import GraphStore as GS

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0

    def interrupted_snapshot(self, path):
        Path(path).write_text("partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(GS, "snapshot", interrupted_snapshot)
    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    with pytest.raises(KeyboardInterrupt):
        build_graph(iter(graph_fixture.build()), cfg, quiet=True, fresh=True)  # (a fresh build snapshots)
    assert not [p.name for p in (tmp_path / "o").iterdir() if p.name.startswith(".store")]


def test_once_the_graph_validates_the_store_and_extractions_jsonl_are_kept_together(tmp_path, fixture_jsonl,
                                                                                     monkeypatch):
    """A failure in the exports or the report leaves the validated store, and extractions.jsonl matching it."""
    import kg.insights
    from kg.build import build_graph

    lines = fixture_jsonl.read_text().splitlines()
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(lines[:2]) + "\n")
    assert build(tmp_path / "o", "--extractions", str(first)) == 0

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.insights, "write_insights", interrupted)
    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    with pytest.raises(KeyboardInterrupt):
        build_graph(iter(graph_fixture.build()), cfg, quiet=True)
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        in_store = len(st.paper_graphs("https://w3id.org/llmkg/resource/"))
    records = (tmp_path / "o" / "extractions.jsonl").read_text().splitlines()
    assert in_store == len(records) == 4


@pytest.mark.parametrize("kept", [True, False])
def test_a_build_killed_at_its_commit_is_kept_or_taken_back_whole(tmp_path, fixture_jsonl, capsys, kept):
    """The record is renamed *.done just before extractions.jsonl is put in place: a build killed after that is
    kept (its extractions.jsonl.tmp is gone), one killed before it is taken back by the next build."""
    import pyoxigraph as ox
    from kg.store import Journal

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    with GraphStore(tmp_path / "o" / "store") as st:
        graph = st.paper_graphs("https://w3id.org/llmkg/resource/")[0]
        quads = [ox.Quad(q.subject, q.predicate, ox.Literal("changed:1"), graph)
                 if q.predicate.value.endswith("#source") else q
                 for q in st.raw.quads_for_pattern(None, None, None, graph)]
        j = Journal(st, tmp_path / "o" / ".build-journal")
        j.replace_graph(graph, quads)
        j.close()
    (tmp_path / "o" / ".build-journal").rename(tmp_path / "o" / ".build-journal.done")  # (killed here)
    if not kept:
        (tmp_path / "o" / "extractions.jsonl.tmp").write_text("")  # the commit had not happened
    changed = _store_quads(tmp_path / "o")
    assert changed != before
    capsys.readouterr()
    lines = fixture_jsonl.read_text().splitlines()
    other = tmp_path / "other.jsonl"
    other.write_text(lines[3] + "\n")
    assert build(tmp_path / "o", "--extractions", str(other)) == 0
    err = capsys.readouterr().err
    after = {q for q in _store_quads(tmp_path / "o") if "/graph/build" not in q}
    if kept:
        assert "put back" not in err and after == {q for q in changed if "/graph/build" not in q}
    else:
        assert "put back as it was before an earlier build that failed" in err
        assert after == {q for q in before if "/graph/build" not in q}
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.startswith((".build", ".store"))]


def test_a_commit_that_fails_takes_the_build_back(tmp_path, fixture_jsonl, monkeypatch):
    from kg.build import build_graph

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    exts = graph_fixture.build()
    real_replace = Path.replace

    def failing(self, target):
        if self.name == "extractions.jsonl.tmp":
            raise OSError(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing)
    cfg = Config().with_overrides(out_dir=tmp_path / "o", progress=False)
    with pytest.raises(OSError):
        build_graph(iter([replace(exts[0], paper=replace(exts[0].paper, title="A changed title"))]), cfg, quiet=True)
    monkeypatch.undo()
    assert _store_quads(tmp_path / "o") == before
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.startswith((".build", ".store"))]


def test_a_torn_journal_line_is_a_change_never_made(tmp_path, fixture_jsonl, capsys):
    import pyoxigraph as ox
    from kg.store import Journal

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    before = _store_quads(tmp_path / "o")
    with GraphStore(tmp_path / "o" / "store") as st:
        graph = st.paper_graphs("https://w3id.org/llmkg/resource/")[0]
        j = Journal(st, tmp_path / "o" / ".build-journal")
        j.replace_graph(graph, [ox.Quad(ox.NamedNode("https://e/x"), ox.NamedNode("https://e/p"), ox.Literal("x"),
                                        graph)])
        j.close()
    with open(tmp_path / "o" / ".build-journal" / "replaced.nq", "ab") as f:
        f.write(b'<https://e/torn> <https://e/p> "cut sho')  # disk full halfway through a line
    capsys.readouterr()
    lines = fixture_jsonl.read_text().splitlines()
    other = tmp_path / "other.jsonl"
    other.write_text(lines[3] + "\n")
    assert build(tmp_path / "o", "--extractions", str(other)) == 0
    assert "put back as it was before an earlier build that failed" in capsys.readouterr().err
    assert {q for q in _store_quads(tmp_path / "o") if "/graph/build" not in q} == \
        {q for q in before if "/graph/build" not in q}


def test_the_names_of_a_killed_build_are_taken_back_before_they_are_read(tmp_path, fixture_jsonl, capsys):
    """A killed build left a paper naming ZorbNet-V2 in the store, with its journal; the next build takes it back
    before it reads the store's canonical names, so its own spelling ZorbNetV2 is not bent to the undone one."""
    from kg.pipeline import extract
    from kg.records import Paper
    from kg.store import Journal
    from ontology.iri import IRIMinter
    from ontology.mapping import Mapper

    assert build(tmp_path / "o", "--extractions", str(fixture_jsonl)) == 0
    killed = next(extract([Paper(id="2403.00001", title="ZorbNet-V2: a small model", source="a.jsonl:1",
                                 abstract="We introduce ZorbNet-V2, a small language model for chemistry.")]))
    mapped = Mapper(minter=IRIMinter("https://w3id.org/llmkg/resource/")).map(killed)
    with GraphStore(tmp_path / "o" / "store") as st:
        j = Journal(st, tmp_path / "o" / ".build-journal")
        j.replace_graph(mapped.graph, mapped.quads)
        j.close()  # (killed here: no undo, no commit)
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"id": "2403.00002", "title": "Small models for chemistry",
                             "abstract": "Our QuilloLM model outperforms ZorbNetV2, a strong language model, on "
                                         "ChemBench."}) + "\n")
    capsys.readouterr()
    summary = run_build([str(b)], Config().with_overrides(out_dir=tmp_path / "o", progress=False))
    assert summary.conforms and "put back as it was before an earlier build that failed" in capsys.readouterr().err
    with GraphStore(tmp_path / "o" / "store", read_only=True) as st:
        rows = st.raw.query("SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#prefLabel>"
                            " ?n FILTER(LCASE(REPLACE(STR(?n), '[ _-]', '')) = 'zorbnetv2') } }")
        assert [r["e"].value for r in rows] == ["https://w3id.org/llmkg/resource/model/ZorbNetV2"]


def test_the_quickstart_build_writes_every_output_it_promises(sample_build):
    """README Quickstart: ``kg build`` on the bundled corpus writes the graph, the records, the viewer, the
    report, the stats and the store."""
    for name in ("graph.ttl", "extractions.jsonl", "build.ttl", "graph.html", "report.html", "report.md",
                 "stats.json"):
        assert (sample_build / name).stat().st_size > 1000, name
    records = (sample_build / "extractions.jsonl").read_text().splitlines()
    assert len(records) == 557  # the bundled pages' 643 listings are 557 papers
    stats = json.loads((sample_build / "stats.json").read_text())
    assert stats["top_models"] and stats["top_benchmarks"] and stats["communities"]["count"] > 10
    assert "<title>" in (sample_build / "graph.html").read_text()
    with GraphStore(sample_build / "store", read_only=True) as st:
        assert len(st.paper_graphs("https://w3id.org/llmkg/resource/")) == 557
