"""The command line: help for every command, and user mistakes as one coded line with exit code 2."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
import sys

import pytest

from kg.cli import build_parser, main
from kg.config import Config, load_config
from kg.errors import ConfigError


def test_every_command_has_help(capsys):
    _, table = build_parser()
    assert {"extract", "build", "query", "export", "validate", "serve", "view", "eval"} <= set(table)
    for name in table:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: kg " + name in capsys.readouterr().out


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("kg ")


@pytest.mark.parametrize("toml,needle", [
    ('workers = "two"', "setting 'workers' must be a whole number"),
    ("min_confidence = 3", "setting 'min_confidence' must be a number from 0 to 1"),
    ("out_dir = 5", "setting 'out_dir' must be a directory path"),
    ("colour = 1", "unknown setting(s) colour"),
    ("workers = ", "not valid TOML"),
    ("kg = 5", "[kg] must be a table of settings"),
    ('formats = ["bogus"]', "unknown export format(s) 'bogus'"),
])
def test_bad_config_is_one_line(tmp_path, capsys, toml, needle):
    cfg = tmp_path / "kg.toml"
    cfg.write_text(toml + "\n")
    assert main(["--config", str(cfg), "extract", "-o", str(tmp_path / "x.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "E003" in err and len(err.splitlines()) == 1 and str(cfg) in err


def test_config_layers_and_conversions(tmp_path):
    cfg = tmp_path / "kg.toml"
    cfg.write_text('[kg]\nformats = "trig"\nworkers = 2\nout_dir = "elsewhere"\n')
    c = load_config(cfg)
    assert c.formats == ("trig",) and c.workers == 2 and str(c.out_dir) == "elsewhere"
    assert c.with_overrides(workers=3, out_dir=None).workers == 3 and str(c.out_dir) == "elsewhere"
    assert Config().formats == ("turtle",)
    with pytest.raises(ConfigError):
        load_config(tmp_path)  # a directory, not a file


def test_output_to_a_directory_is_one_line(tmp_path, capsys):
    src = tmp_path / "p.jsonl"
    src.write_text(json.dumps({"title": "T", "abstract": "We introduce FooLM-7B, a model."}) + "\n")
    assert main(["extract", str(src), "-o", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg extract: error: E001 cannot write") and "Traceback" not in err


def test_unusable_output_paths_are_one_line(tmp_path, capsys):
    """Paths the user gives that cannot be written: one coded line naming the path, never a traceback."""
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    ext = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    build = tmp_path / "b"
    assert main(["build", "--extractions", str(ext), "--out", str(build), "--no-progress"]) == 0
    (tmp_path / "afile").write_text("x")
    capsys.readouterr()
    for argv, needle in (
            (["export", "--out", str(build), "-o", str(tmp_path)], "give a file path, not a folder"),
            (["export", "--out", str(build), "-o", str(tmp_path / "afile" / "g.ttl")], str(tmp_path / "afile")),
            (["view", "GPT-4", "--build-dir", str(build), "--out", str(tmp_path)], "give a file path, not a folder"),
            (["build", "--extractions", str(ext), "--out", str(tmp_path / "afile"), "--no-progress"], str(tmp_path))):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err and " error: E0" in err and needle in err, \
            (argv, err)
    (tmp_path / "D" / "g.ttl").mkdir(parents=True)  # the file asked for is a folder
    assert main(["export", "--out", str(build), "-o", str(tmp_path / "D" / "g.ttl")]) == 2
    assert f"E001 {tmp_path / 'D' / 'g.ttl'}: Is a directory" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "D").iterdir()] == ["g.ttl"]  # no temporary file left behind


def test_os_errors_name_the_path_and_a_fix():
    from kg.cli import _os_error
    err = str(_os_error(IsADirectoryError(21, "Is a directory", "/tmp/x")))
    assert err == "E001 /tmp/x: Is a directory -- give a file path, not a folder"
    assert "check that its folder exists" in str(_os_error(FileNotFoundError(2, "No such file", "/a/b")))


@pytest.mark.parametrize("line,needle", [
    ('{"title": "no id"}', "needs a string 'id'"),
    ('{"id": "a", "entities": [{"name": "X"}]}', "'entities' must be a list"),
    ('{"id": "a", "entities": [], "outperforms": [["A", "B", "C"]]}', "'outperforms' must be a list of [A, B]"),
    ("[1, 2]", "needs a string 'id'"),
])
def test_malformed_gold_is_named_by_line(tmp_path, capsys, line, needle):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "ok", "entities": []}\n' + line + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("")
    assert main(["eval", "--gold", str(gold), "--pred", str(pred)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{gold}:2:" in err and needle in err and len(err.splitlines()) == 1


def test_a_kept_record_with_a_warning_is_not_counted_as_skipped(tmp_path, capsys):
    abstract = "We introduce ZorbLM, a language model, and evaluate it on MMLU."
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "1", "title": "First paper", "abstract": abstract}) + "\n")
    b.write_text(json.dumps({"id": "1", "title": "Another paper", "abstract": abstract}) + "\n")
    assert main(["extract", str(a), str(b), "-o", str(tmp_path / "x.jsonl"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "is also given to a different paper" in err
    assert "extracted 2 papers" in err and "duplicates merged, 0 skipped)" in err


def _listing(path, n=3):
    path.write_text("".join(json.dumps({"id": f"p{i}", "title": f"Zorb {i}: a model",
                                        "abstract": f"We introduce ZorbLM-{i}B and evaluate it on MMLU."}) + "\n"
                            for i in range(n)))
    return path


def test_extract_writes_into_the_configured_out_dir(tmp_path, monkeypatch, capsys):
    src = _listing(tmp_path / "p.jsonl")
    (tmp_path / "kg.toml").write_text(f'[kg]\nout_dir = "{tmp_path / "elsewhere"}"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(src), "--no-progress"]) == 0
    assert len((tmp_path / "elsewhere" / "extractions.jsonl").read_text().splitlines()) == 3
    assert not (tmp_path / "outputs").exists()


def test_a_failed_extract_leaves_the_previous_output_as_it_was(tmp_path, monkeypatch, capsys):
    import kg.pipeline
    from kg.errors import KGError

    src, out = _listing(tmp_path / "p.jsonl"), tmp_path / "out.jsonl"
    out.write_text("previous\n")
    real = kg.pipeline.extract

    def failing(papers, config=None, **kw):
        for i, ext in enumerate(real(papers, config, **kw)):
            if i == 1:
                raise KGError("disk full", "free some space")
            yield ext
    monkeypatch.setattr(kg.pipeline, "extract", failing)
    assert main(["extract", str(src), "-o", str(out), "--no-progress"]) == 2
    assert out.read_text() == "previous\n" and not (tmp_path / "out.jsonl.tmp").exists()


def test_a_dead_worker_is_one_line(tmp_path, monkeypatch, capsys):
    """A worker process that dies (here: it exits at once) ends the command with one line, not a traceback."""
    import os

    import kg.pipeline
    def die(args):
        os._exit(3)
    die.__module__, die.__qualname__ = "kg.pipeline", "_process_chunk"  # sent to the worker by that name
    monkeypatch.setattr(kg.pipeline, "_process_chunk", die)
    src = _listing(tmp_path / "p.jsonl", n=300)
    assert main(["extract", str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", "2", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "a worker process died while extracting" in err and "--workers" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_export_takes_the_format_from_the_file_name(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    ext = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    build = tmp_path / "b"
    assert main(["build", "--extractions", str(ext), "--out", str(build), "--no-progress"]) == 0
    for name, start in (("g.nt", b"<"), ("g.jsonld", b"{"), ("g.rdf", b"<?xml"), ("g.ttl", b"@prefix")):
        assert main(["export", "--out", str(build), "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_bytes().startswith(start), name
    assert main(["validate", str(tmp_path / "g.nt")]) == 0  # N-Triples, as its name says
    capsys.readouterr()
    assert main(["export", "--out", str(build), "-o", str(tmp_path / "x.nt"), "--format", "turtle"]) == 2
    err = capsys.readouterr().err
    assert "names the ntriples format, but --format turtle was given" in err and not (tmp_path / "x.nt").exists()
    assert main(["export", "--out", str(build), "-o", str(tmp_path / "x.ttl"), "--format", "turtle",
                 "--format", "ntriples"]) == 2
    assert "takes one format, but several were given" in capsys.readouterr().err


def test_build_reads_extraction_records_from_stdin(tmp_path, capsys, monkeypatch):
    import io
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    data = graph_fixture.write_jsonl(tmp_path / "ext.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["build", "--extractions", "-", "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    assert "papers      4 built" in capsys.readouterr().out


def test_build_takes_its_output_folder_as_dash_o_too():
    assert build_parser()[0].parse_args(["build", "-o", "there"]).out_dir == "there"  # as kg extract -o


def test_query_width_must_be_usable(capsys):
    for bad in ("-5", "2", "wide"):
        with pytest.raises(SystemExit) as e:
            main(["query", "--width", bad, "SELECT * WHERE { ?s ?p ?o }"])
        assert e.value.code == 2
        assert "argument --width" in capsys.readouterr().err


def test_validate_a_folder_is_one_line_naming_it(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{tmp_path}: is a folder, not an RDF file" in err and "--out" in err and len(err.splitlines()) == 1


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("out", [".", "/", ""])
def test_extract_to_the_current_folder_or_root_is_the_folder_error(tmp_path, monkeypatch, capsys, out):
    src = _listing(tmp_path / "p.jsonl")
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(src), "-o", out, "--no-progress"]) == 2
    err = _one_error_line(capsys)
    assert err.startswith("kg extract: error: E001 cannot write") and "(Is a directory)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


def test_extract_to_a_path_ending_in_a_slash_says_it_names_a_folder(tmp_path, capsys):
    src = _listing(tmp_path / "p.jsonl")
    assert main(["extract", str(src), "-o", f"{tmp_path / 'newout'}/", "--no-progress"]) == 2
    err = _one_error_line(capsys)
    assert "names a folder" in err and str(tmp_path / "newout" / "extractions.jsonl") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]  # (no newout.tmp left behind)


def test_extract_refuses_to_overwrite_its_own_input(tmp_path, capsys):
    src = _listing(tmp_path / "same.jsonl")
    before = src.read_text()
    assert main(["extract", str(src), "-o", str(tmp_path / "." / "same.jsonl"), "--no-progress"]) == 2
    assert "is the input file" in _one_error_line(capsys) and src.read_text() == before


def test_extract_to_a_pipe_writes_through_it_and_leaves_it_a_pipe(tmp_path):
    import stat
    import threading
    src = _listing(tmp_path / "in.jsonl")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # (as /dev/null is a device: the output must not be replaced by a file)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    assert main(["extract", str(src), "-o", str(fifo), "--no-progress"]) == 0
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and got and got[0].count("\n") >= 1


@pytest.mark.parametrize("argv,what", [
    (["extract", "", "-o", "x.jsonl"], "an input path"), (["build", ""], "an input path"),
    (["eval", "--gold", ""], "the --gold path"), (["eval", "--gold", "g.jsonl", "--pred", ""], "the --pred path"),
    (["eval", "--gold", "g.jsonl", "--pred", "p.jsonl", "--json", ""], "the --json path"),
    (["validate", ""], "the RDF file path")])
def test_an_empty_path_argument_is_an_error(tmp_path, monkeypatch, capsys, argv, what):
    """An unset $FILE gives '': it must not read (or write) the current folder."""
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    monkeypatch.chdir(tmp_path)
    _listing(tmp_path / "listing.jsonl")
    graph_fixture.write_jsonl(tmp_path / "p.jsonl")  # (gold and records that score: only the empty path is wrong)
    (tmp_path / "g.jsonl").write_text('{"id": "2401.00001", "entities": []}\n')
    assert main(argv + ["--no-progress"] * (argv[0] in ("extract", "build"))) == 2
    assert f"E001 {what} is empty -- " in _one_error_line(capsys)


def test_eval_with_an_empty_gold_file_fails(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    pred = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    (tmp_path / "empty.jsonl").write_text("")
    assert main(["eval", "--gold", str(tmp_path / "empty.jsonl"), "--pred", str(pred)]) == 2
    assert f"{tmp_path / 'empty.jsonl'} holds no gold records" in _one_error_line(capsys)


def test_validate_refuses_an_empty_graph_and_reads_rdfxml_by_its_extension(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    for name in ("empty.ttl", "empty.jsonl"):
        (tmp_path / name).write_text("")
        assert main(["validate", str(tmp_path / name)]) == 2
        assert f"{tmp_path / name} holds no triples" in _one_error_line(capsys)
    ext = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    build = tmp_path / "b"
    assert main(["build", "--extractions", str(ext), "--out", str(build), "--no-progress"]) == 0
    assert main(["export", "--out", str(build), "--format", "rdfxml", "-o", str(tmp_path / "g.rdfxml")]) == 0
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "g.rdfxml")]) == 0
    assert "conforms" in capsys.readouterr().out
    (tmp_path / "broken.ttl").write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    assert main(["validate", str(tmp_path / "broken.ttl")]) == 2
    err = _one_error_line(capsys)
    assert "not parseable as Turtle (line 3: objectList expected)" in err and "b'" not in err


def test_export_refuses_an_extension_it_does_not_know(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    ext = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    build = tmp_path / "b"
    assert main(["build", "--extractions", str(ext), "--out", str(build), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["export", "--out", str(build), "-o", str(tmp_path / "g.pdf")]) == 2
    err = _one_error_line(capsys)
    assert "the extension '.pdf' names no export format" in err and ".ttl" in err and "--format" in err
    assert not (tmp_path / "g.pdf").exists()
    assert main(["export", "--out", str(build), "-o", str(tmp_path / "g.pdf"), "--format", "turtle"]) == 0


def test_build_says_each_stage_after_the_bar_where_progress_is_shown(tmp_path, monkeypatch):
    import io
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    ext = graph_fixture.write_jsonl(tmp_path / "ext.jsonl")
    monkeypatch.delenv("CI", raising=False)
    for flags, shown in (([], True), (["--no-progress"], False)):
        err = Terminal()
        monkeypatch.setattr(sys, "stderr", err)
        assert main(["build", "--extractions", str(ext), "--out", str(tmp_path / "b"), "--fresh"] + flags) == 0
        stages = [line for line in err.getvalue().splitlines() if line.startswith("kg build: ")]
        assert len(stages) == (3 if shown else 0), stages
        assert not shown or ("validating" in stages[0] and "exports" in stages[1] and "analytics" in stages[2])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    return graph_fixture.build_outputs(tmp_path_factory.mktemp("cli"))


def test_an_option_value_from_the_command_line_is_fixed_with_the_option(tmp_path, capsys):
    src = _listing(tmp_path / "p.jsonl")
    assert main(["extract", str(src), "-o", str(tmp_path / "x.jsonl"), "--workers", "0", "--no-progress"]) == 2
    err = _one_error_line(capsys)
    assert "E003 --workers must be a whole number of at least 1, got 0 -- give --workers N with N >= 1" in err
    assert "workers =" not in err
    cfg = tmp_path / "kg.toml"
    cfg.write_text('[kg]\nout_dir = "x"\n\nworkers = "two"\n')  # (a file's mistake: its line and key)
    assert main(["--config", str(cfg), "extract", str(src), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert f"E003 {cfg}:4: setting 'workers' must be" in _one_error_line(capsys)


def test_config_may_also_follow_the_command(tmp_path, capsys):
    cfg = tmp_path / "x.toml"
    cfg.write_text("workers = 0\n")
    assert main(["extract", "--config", str(cfg), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert f"E003 {cfg}:1: setting 'workers'" in _one_error_line(capsys)
    assert build_parser()[0].parse_args(["--config", "a.toml", "query", "--list"]).config == "a.toml"


def test_export_takes_the_formats_of_the_config_file_as_build_does(built, tmp_path, capsys):
    cfg = tmp_path / "kg.toml"
    cfg.write_text('formats = ["ntriples", "jsonld"]\n')
    assert main(["--config", str(cfg), "export", "--out", str(built)]) == 0
    assert (built / "graph.nt").read_bytes().startswith(b"<") and (built / "graph.jsonld").is_file()
    assert "wrote" in capsys.readouterr().err
    assert main(["--config", str(cfg), "export", "--out", str(built), "-o", "-"]) == 2
    assert "the config file's formats setting gives 2" in _one_error_line(capsys)


def test_eval_table_label_column_fits_the_longest_label():
    from kg.evaluate import PRF, Scores

    sc = Scores("t")
    sc.add("model", PRF(3, 1, 2))
    old = Scores("t")
    old.add("model", PRF(3, 1, 2))
    assert old.table().splitlines()[2] == "  model                         0.750  0.600  0.667     3     1     2"
    sc.add("entity:data (dataset+benchmark)", PRF(10, 20, 30))
    lines = sc.table().splitlines()[1:]
    assert len({len(line) for line in lines}) == 1, lines  # every number in its column
    assert lines[0].index(" P ") + 1 == lines[2].index("0.333") + 4


def test_eval_checks_its_paths_before_scoring(tmp_path, capsys, monkeypatch):
    import kg.commands.eval as ev

    def too_late(*a, **kw):
        raise AssertionError("scored before the paths were checked")
    monkeypatch.setattr(ev, "extract", too_late)
    monkeypatch.setattr(ev, "_paper_scores", too_late)
    (tmp_path / "d").mkdir()
    assert main(["eval", "--gold", str(tmp_path / "d")]) == 2
    assert f"--gold {tmp_path / 'd'} is a folder, not a JSONL file" in _one_error_line(capsys)
    assert main(["eval", "--gsap", str(tmp_path / "none")]) == 2
    err = _one_error_line(capsys)
    assert "no such folder -- give the GSAP-NER folder, which holds gold_abstracts.jsonl" in err
    assert "JSON Lines" not in err
    (tmp_path / "afile").write_text("x")
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a", "entities": []}\n')
    assert main(["eval", "--gold", str(gold), "--scier", str(tmp_path / "d")]) == 2  # (before the --gold scores)
    assert "the folder holds no gold.jsonl -- give the SciER folder" in _one_error_line(capsys)
    assert main(["eval", "--gold", str(gold), "--json", str(tmp_path / "afile" / "s.json")]) == 2
    assert f"cannot write --json {tmp_path / 'afile' / 's.json'}" in _one_error_line(capsys)
    assert main(["eval", "--gold", str(gold), "--json", str(tmp_path / "d")]) == 2
    assert "is a folder" in _one_error_line(capsys)


def test_serve_on_a_host_not_of_this_machine_says_so():
    from kg.errors import KGError
    from kg.server import make_server
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import graph_fixture

    with pytest.raises(KGError) as e:
        make_server(graph_fixture.load_store(), "192.0.2.1", 0)  # (TEST-NET-1: no machine's own address)
    assert "the host is not valid for this machine" in str(e.value) and "--port" not in str(e.value)


def test_view_says_why_a_page_has_no_edges(built, tmp_path, capsys):
    assert main(["view", "MMLU", "--no-papers", "--build-dir", str(built), "--out", str(tmp_path / "v.html")]) == 0
    captured = capsys.readouterr()
    assert "(1 nodes, 0 edges" in captured.out
    err = captured.err
    assert "kg view: note: MMLU links only to papers; drop --no-papers to see them" in err
    assert main(["view", "MMLU", "--build-dir", str(built), "--out", str(tmp_path / "v.html")]) == 0
    assert "note:" not in capsys.readouterr().err
