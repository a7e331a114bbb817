"""Readers: every format in, Paper records out; every bad record named with file:line and reason."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
import sys

import pytest

from kg.sources import bundled_corpus, normalize_title, read_sources, title_id

ABSTRACT = ("We introduce FooLM-7B, a language model trained on the Pile. It outperforms Llama-2-7B on MMLU. "
            "Code: https://github.com/foo/foolm.")


def test_bundled_corpus_counts():
    res = read_sources([str(p) for p in bundled_corpus()])
    assert len(bundled_corpus()) == 5
    assert res.records == 643          # listings on the five pages
    assert len(res.papers) == 557      # distinct papers (the pages overlap)
    assert len(res.duplicates) == 86
    assert res.skips == []


def test_hf_page_layouts(tmp_path):
    blocks = tmp_path / "a.txt"
    blocks.write_text("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
                      "Mar 14\n\nFooLM: A Model\n\n" + ABSTRACT + "\n")
    lines = tmp_path / "b.txt"
    lines.write_text("Get trending papers in your email inbox once a day!\nSubscribeFooLM: A Model\n" + ABSTRACT +
                     "\nBarBench: A Benchmark\n" + ABSTRACT.replace("FooLM-7B", "BarBench") + "\n")
    a = read_sources([str(blocks)])
    b = read_sources([str(lines)])
    assert [p.title for p in a.papers] == ["FooLM: A Model"]
    assert [p.title for p in b.papers] == ["FooLM: A Model", "BarBench: A Benchmark"]
    assert a.papers[0].abstract == ABSTRACT
    assert a.papers[0].source.endswith("a.txt:11")


def test_hf_page_text_wrapped_into_lines_and_paper_card_lines(tmp_path):
    import textwrap
    f = tmp_path / "page.txt"
    wrapped = textwrap.fill(ABSTRACT + " It is also tuned for long contexts and fine-tuned with preference data "
                            "from twelve languages.", 60, break_on_hyphens=True)
    assert "\n" in wrapped and not any(len(x) >= 120 for x in wrapped.split("\n"))
    f.write_text("Daily Papers\n\nSubmitted by akhaliq\n\n\u25b2 42\n\nFooLM: A Model for Reasoning\nand Code\n\n"
                 + wrapped + "\n\n\u00b7 5 authors\n\n3 comments\n\nUpvote\n\n1.2k\n")
    res = read_sources([str(f)])
    assert res.skips == [], [str(x) for x in res.skips]  # card lines are page chrome, not titles
    assert [p.title for p in res.papers] == ["FooLM: A Model for Reasoning and Code"]  # a title on two lines
    assert res.papers[0].abstract == " ".join(wrapped.split("\n"))  # one abstract, however wrapped
    assert res.papers[0].source.endswith("page.txt:7")  # the line the title starts on


def test_hf_page_abstract_without_title_and_title_without_abstract(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text(ABSTRACT + "\n\nLonely Title\n\nGood Title\n\n" + ABSTRACT + "\n\nLast Title\n")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["Good Title"]
    reasons = [str(s) for s in res.skips]
    assert any("page.txt:1" in r and "abstract without a title" in r for r in reasons)
    assert any("page.txt:3" in r and "'Lonely Title' has no abstract" in r for r in reasons)
    assert any("page.txt:9" in r and "'Last Title' has no abstract" in r for r in reasons)


def test_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    f = tmp_path / "p.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "my-1", "title": "FooLM", "abstract": ABSTRACT}),
        "{not json",
        json.dumps({"title": "No abstract"}),
        json.dumps({"abstract": ABSTRACT}),
        json.dumps(["a", "list"]),
        json.dumps({"paper": {"id": "2401.00001", "title": "API Shape", "summary": ABSTRACT,
                              "authors": [{"name": "A. Author"}], "publishedAt": "2024-01-01T00:00:00Z"}}),
    ]) + "\n")
    res = read_sources([str(f)])
    assert [p.id for p in res.papers] == ["my-1", "2401.00001"]
    api = res.papers[1]
    assert api.authors == ("A. Author",) and api.published.startswith("2024-01-01") and api.arxiv_id == "2401.00001"
    by_line = {s.source.rsplit(":", 1)[1]: s.reason for s in res.skips}
    assert "malformed JSON" in by_line["2"]
    assert "no abstract" in by_line["3"]
    assert "no title" in by_line["4"]
    assert "expected a paper object, got a list" in by_line["5"]


def test_json_array_csv_tsv_atom(tmp_path):
    j = tmp_path / "a.json"
    j.write_text(json.dumps([{"title": "One", "summary": ABSTRACT, "url": "https://arxiv.org/abs/2312.00002v2"},
                             {"title": "", "abstract": ""}], indent=1))
    c = tmp_path / "b.csv"
    c.write_text('title,abstract,authors\n"Two, with comma","' + ABSTRACT + '","X; Y"\n,missing title,\n')
    t = tmp_path / "c.tsv"
    t.write_text("title\tabstract\nThree\t" + ABSTRACT + "\n")
    x = tmp_path / "d.xml"
    x.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
                 '<id>http://arxiv.org/abs/2401.12345v1</id><title>Four\n  Wrapped</title>'
                 f'<summary>{ABSTRACT}</summary><published>2024-01-22T00:00:00Z</published>'
                 '<author><name>Ada</name></author></entry></feed>')
    res = read_sources([str(j), str(c), str(t), str(x)])
    assert [p.title for p in res.papers] == ["One", "Two, with comma", "Three", "Four Wrapped"]
    assert res.papers[0].id == "2312.00002"
    assert res.papers[3].id == "2401.12345" and res.papers[3].authors == ("Ada",)
    assert res.papers[1].authors == ("X", "Y")
    srcs = [s.source for s in res.skips]
    assert any(s.endswith("a.json:7") for s in srcs), srcs
    assert any(s.endswith("b.csv:3") for s in srcs), srcs


def test_directory_and_stdin(tmp_path):
    sub = tmp_path / "x" / "y"
    sub.mkdir(parents=True)
    (sub / "p.jsonl").write_text(json.dumps({"title": "Deep", "abstract": ABSTRACT}) + "\n")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    res = read_sources([str(tmp_path)])
    assert [p.title for p in res.papers] == ["Deep"]

    class Stdin(io.TextIOWrapper):
        pass
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps({"title": "Piped", "abstract": ABSTRACT}).encode()))
    res = read_sources(["-"], stdin=stdin)
    assert [p.title for p in res.papers] == ["Piped"]


@pytest.mark.parametrize("content,reason", [
    (b"", "file is empty"),
    (b"  \n\n", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "looks binary"),
    ("Titel\n\nAbstrakt \xe4".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_are_named(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    res = read_sources([str(f)])
    assert res.papers == []
    assert len(res.skips) == 1 and reason in res.skips[0].reason and "bad.txt" in res.skips[0].source


def test_missing_path_and_good_records_kept(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"title": "Kept", "abstract": ABSTRACT}) + "\n{broken\n")
    res = read_sources([str(tmp_path / "nope.jsonl"), str(good)])
    assert [p.title for p in res.papers] == ["Kept"]
    assert [s.reason for s in res.skips][0] == "no such file or directory"
    assert len(res.skips) == 2


def test_paper_identity():
    assert normalize_title("LLaMA:  Open & Efficient!") == "llama open efficient"
    assert title_id("LLaMA: Open and Efficient") == title_id("llama -- open and efficient")
    assert title_id("A") != title_id("B")


def test_same_paper_twice_is_merged(tmp_path):
    f = tmp_path / "dup.jsonl"
    f.write_text(json.dumps({"title": "Same Paper", "abstract": ABSTRACT}) + "\n" +
                 json.dumps({"title": "same  paper!", "abstract": ABSTRACT, "url": "https://x.org"}) + "\n")
    res = read_sources([str(f)])
    assert len(res.papers) == 1 and res.papers[0].url == "https://x.org"
    assert len(res.duplicates) == 1 and "merged" in res.duplicates[0].reason


def test_odd_json_types_do_not_crash_and_keep_the_record(tmp_path):
    f = tmp_path / "odd.jsonl"
    rows = [{"title": "A", "abstract": ABSTRACT, "url": 12345, "authors": 5},
            {"title": "B", "abstract": ABSTRACT, "link": ["http://x"], "authors": [None, {"name": None}, "Ann"]},
            {"title": "C", "abstract": ABSTRACT, "id": 42, "published": None}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["A", "B", "C"]
    assert res.papers[0].url is None and res.papers[0].authors == ()
    assert res.papers[1].authors == ("Ann",)
    assert res.papers[2].id == "42"


def test_line_separators_inside_json_strings(tmp_path):
    f = tmp_path / "ls.jsonl"
    f.write_text(json.dumps({"title": "Sep\u2028arated", "abstract": ABSTRACT + "\u0085x"}, ensure_ascii=False) + "\n"
                 + json.dumps({"title": "Next", "abstract": ABSTRACT}) + "\n{bad\n", encoding="utf-8")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["Sep arated", "Next"]
    assert [s.source.rsplit(":", 1)[1] for s in res.skips] == ["3"]


def test_subscribe_is_only_stripped_from_the_page_button(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("SubscribeFirst Title\n" + ABSTRACT + "\nSubscriber Churn Prediction with LLMs\n" + ABSTRACT + "\n")
    assert [p.title for p in read_sources([str(f)]).papers] == ["First Title", "Subscriber Churn Prediction with LLMs"]


def test_same_title_different_ids_are_different_papers(tmp_path):
    f = tmp_path / "ids.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"id": "2401.00001", "title": "Introduction", "abstract": ABSTRACT},
        {"id": "2401.00002", "title": "Introduction", "abstract": ABSTRACT + " Other."},
        {"title": "introduction", "abstract": ABSTRACT},
        {"title": "\U0001f600", "abstract": ABSTRACT},
        {"title": "\U0001f680", "abstract": ABSTRACT}]) + "\n")
    res = read_sources([str(f)])
    assert [p.id for p in res.papers][:2] == ["2401.00001", "2401.00002"]
    assert len(res.papers) == 4 and len(res.duplicates) == 1  # the id-less listing joins the first
    assert res.papers[0].abstract == ABSTRACT


def test_csv_long_fields_and_broken_rows(tmp_path):
    long_abstract = "word " * 40000
    f = tmp_path / "big.csv"
    f.write_text('title,abstract\n"Long","' + long_abstract + '"\n"Short","' + ABSTRACT + '"\n', newline="")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["Long", "Short"]
    g = tmp_path / "cr.csv"
    g.write_bytes(b'title,abstract\n"A","' + ABSTRACT.encode() + b'"\n"B\rx,"y\n')
    res = read_sources([str(g)])
    assert [p.title for p in res.papers] == ["A"] and res.skips and "cr.csv" in res.skips[0].source


def test_oversized_record_is_skipped_with_its_size(tmp_path):
    f = tmp_path / "huge.jsonl"
    f.write_text(json.dumps({"title": "Huge", "abstract": "x " * 600_000}) + "\n")
    res = read_sources([str(f)])
    assert not res.papers and "characters long" in res.skips[0].reason


def _stdin(data: str | bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data.encode() if isinstance(data, str) else data))


def _row(title: str, **extra) -> str:
    return json.dumps({"title": title, "abstract": ABSTRACT, **extra})


def test_jsonl_with_long_lines_or_named_json_is_read_as_jsonl(tmp_path):
    text = "".join(_row(f"Long {i}", notes="x" * 3000) + "\n" for i in range(3))
    assert [p.title for p in read_sources(["-"], stdin=_stdin(text)).papers] == ["Long 0", "Long 1", "Long 2"]
    (tmp_path / "noext").write_text(text)
    (tmp_path / "named.json").write_text(text)
    (tmp_path / "first_bad.json").write_text("{broken\n" + text)
    for name in ("noext", "named.json", "first_bad.json"):
        res = read_sources([str(tmp_path / name)])
        assert len(res.papers) == 3, name
    assert [s.source for s in res.skips] == [f"{tmp_path / 'first_bad.json'}:1"]
    array = tmp_path / "array.jsonl"  # and the other way round
    array.write_text(json.dumps([{"title": "In an array", "abstract": ABSTRACT}], indent=1))
    assert [p.title for p in read_sources([str(array)]).papers] == ["In an array"]


def test_shared_id_with_a_different_title_is_not_merged(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": 1, "title": "Alpha Paper", "abstract": ABSTRACT}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": 1, "title": "Beta Paper", "abstract": "Beta. " + ABSTRACT}) +
                                      "\n" + json.dumps({"id": 1, "title": "alpha paper!", "abstract": ABSTRACT}) + "\n")
    res = read_sources([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert [(p.id, p.title, p.abstract[:5]) for p in res.papers] == [
        ("1", "Alpha Paper", ABSTRACT[:5]), (title_id("Beta Paper"), "Beta Paper", "Beta.")]
    assert len(res.duplicates) == 1  # the same id with the same title is still one paper
    assert [s.source for s in res.skips] == [f"{tmp_path / 'b.jsonl'}:1"]
    assert "a.jsonl:1" in res.skips[0].reason and "not merged" in str(res.skips[0])


def test_arxiv_ids_are_normalised_and_win_merges(tmp_path):
    f = tmp_path / "ids.jsonl"
    f.write_text("\n".join([
        _row("Atom Paper One", arxiv_id="arXiv:2401.01234v2"),
        _row("Atom paper one!", id="2401.01234v1"),
        _row("Atom Paper One", url="https://arxiv.org/pdf/2401.01234v3"),
        _row("Atom Paper One", id="https://huggingface.host/papers/2401.01234"),
        '{"id": 2401.10010, "title": "Number id", "abstract": "%s"}' % ABSTRACT,
        _row("Old Style", id="arXiv:hep-th/9901001v2"),
        _row("Own id", id="my-1", url="https://arxiv.org/abs/2402.00001")]) + "\n")
    res = read_sources([str(f)])
    assert [(p.id, p.arxiv_id) for p in res.papers] == [
        ("2401.01234", "2401.01234"), ("2401.10010", "2401.10010"), ("hep-th/9901001", "hep-th/9901001"),
        ("my-1", "2402.00001")]
    assert len(res.duplicates) == 3
    page = tmp_path / "page.txt"
    page.write_text("Zeta: A Model\n" + ABSTRACT + "\n")
    listed = tmp_path / "z.jsonl"
    listed.write_text(_row("Zeta: A Model", id="2402.01234") + "\n")
    for order in ([page, listed], [listed, page]):
        assert [p.id for p in read_sources([str(x) for x in order]).papers] == ["2402.01234"]


def test_surrogates_and_control_characters_are_replaced_one_for_one(tmp_path):
    f = tmp_path / "ctl.jsonl"
    f.write_text('{"title": "Lone \\ud800 x\\u0007y\\u007f", "abstract": "%s\\u001bz\\u0000"}\n' % ABSTRACT +
                 _row("Good next") + "\n")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["Lone \ufffd x y", "Good next"]
    assert res.papers[0].abstract == ABSTRACT + " z"
    json.dumps(res.papers[0].to_json(), ensure_ascii=False).encode("utf-8")  # no lone surrogate left


def test_deep_json_is_a_warning_and_keeps_good_lines(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.json").write_text(deep)
    (tmp_path / "deep.jsonl").write_text(_row("Kept") + "\n" + deep + "\n")
    res = read_sources([str(tmp_path / "deep.json"), str(tmp_path / "deep.jsonl")])
    assert [p.title for p in res.papers] == ["Kept"]
    assert [(s.source.rsplit(":", 1)[1], "nested too deeply" in s.reason) for s in res.skips] == [("1", True),
                                                                                                 ("2", True)]


def test_closed_stdin_and_unreachable_paths_are_warnings(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # what Python sets when started with stdin closed
    res = read_sources(["-", str(tmp_path / ("x" * 300) / "p.jsonl")])
    assert [s.reason for s in res.skips] == ["stdin is closed; nothing to read", "cannot access (File name too long)"]


def test_directory_without_permission_is_a_warning(tmp_path):
    """Root may enter any directory, so as root the reading runs with the capabilities that allow it dropped."""
    import json as _json
    import shutil
    import subprocess
    import sys

    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "p.jsonl").write_text(_row("Hidden") + "\n")
    (tmp_path / "ok.jsonl").write_text(_row("Seen") + "\n")
    script = ("import json, sys; from kg.sources import read_sources; "
              "r = read_sources(sys.argv[1:]); "
              "print(json.dumps([[p.title for p in r.papers], [s.reason for s in r.skips]]))")
    cmd = [sys.executable, "-c", script, str(tmp_path), str(locked / "p.jsonl")]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to test this as root"
        cmd = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"] + cmd
    locked.chmod(0)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                             cwd=str(Path(__file__).resolve().parent.parent)).stdout
    finally:
        locked.chmod(0o755)
    titles, reasons = _json.loads(out)
    assert titles == ["Seen"]
    assert reasons == ["cannot read directory (Permission denied)", "cannot access (Permission denied)"]


def test_warnings_name_the_first_line_of_each_record(tmp_path):
    meta = tmp_path / "meta.json"
    meta.write_text('{\n "tags": ["a", "b"],\n "papers": [\n  {"title": "No abstract"},\n\n  {"title": "B"}\n ]\n}')
    single = tmp_path / "single.json"
    single.write_text('{\n "title": "Single",\n "authors": [\n  "A"\n ]\n}')
    multi = tmp_path / "multi.csv"
    multi.write_text('title,abstract\n"Multi\nline title","' + ABSTRACT + '\nmore"\n\n"No abstract",\n', newline="")
    big = tmp_path / "big.csv"
    big.write_text("title,abstract\nHuge," + "word " * 500_000 + "\nAfter,\"" + ABSTRACT + "\"\n")
    res = read_sources([str(meta), str(single), str(multi), str(big)])
    assert [p.title for p in res.papers] == ["Multi line title", "After"]
    assert [s.source.rsplit("/", 1)[1] for s in res.skips] == [
        "meta.json:4", "meta.json:6", "single.json:1", "multi.csv:6", "big.csv:2"]
    assert "characters long" in res.skips[-1].reason


def test_atom_entries_are_named_by_line_and_read_with_inner_markup(tmp_path):
    x = tmp_path / "feed.xml"
    x.write_text('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n'
                 '<id>http://arxiv.org/abs/2401.07777v1</id>\n<title>Mixed <b>markup</b> title</title>\n'
                 '<summary>We introduce <em>Zeta</em>. It outperforms GPT-4 on MMLU.</summary>\n</entry>\n'
                 '<entry>\n<title>No summary</title>\n</entry>\n</feed>\n')
    res = read_sources([str(x)])
    assert [(p.title, p.abstract, p.source.rsplit("/", 1)[1]) for p in res.papers] == [
        ("Mixed markup title", "We introduce Zeta. It outperforms GPT-4 on MMLU.", "feed.xml:3")]
    assert [s.source.rsplit("/", 1)[1] for s in res.skips] == ["feed.xml:8"]


def test_directory_reads_listing_files_only_and_follows_links_once(tmp_path):
    (tmp_path / "README.md").write_text("# Dataset notes\n\n" + ABSTRACT + "\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.jsonl").write_text(_row("Hidden") + "\n")
    real = tmp_path / "real"
    real.mkdir()
    (real / "p.jsonl").write_text(_row("Real") + "\n")
    (real / "loop").symlink_to("..")
    (tmp_path / "linked").symlink_to(real)
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere")
    res = read_sources([str(tmp_path)])
    assert [(p.title, p.source.rsplit("/", 2)[1:]) for p in res.papers] == [("Real", ["linked", "p.jsonl:1"])]
    assert sorted(s.source.rsplit("/", 2)[-1] + " " + s.reason for s in res.skips) == [
        "gone.jsonl broken symbolic link", "loop links to a directory already read; not read again",
        "real links to a directory already read; not read again"]  # (no line: a whole file or folder)
    from kg.sources import Note
    assert [type(s) for s in res.skips if "already read" in s.reason] == [Note, Note]  # nothing was lost


@pytest.mark.parametrize("text,titles", [
    ("title;abstract\nSemi one;" + ABSTRACT + "\nSemi two;" + ABSTRACT + "\n", ["Semi one", "Semi two"]),
    ("[Re] Reproducing a Paper\n" + ABSTRACT + "\n", ["[Re] Reproducing a Paper"]),
    ("<think> Tokens Make Models Reason\n" + ABSTRACT + "\n", ["<think> Tokens Make Models Reason"]),
    ("{Curly} Braces in Titles\n" + ABSTRACT + "\n", ["{Curly} Braces in Titles"]),
    (json.dumps([{"title": "Array", "abstract": ABSTRACT}]), ["Array"]),
    ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Atom</title>'
     f"<summary>{ABSTRACT}</summary></entry></feed>", ["Atom"]),
])
def test_stdin_format_is_sniffed_with_a_fallback_to_page_text(text, titles):
    assert [p.title for p in read_sources(["-"], stdin=_stdin(text)).papers] == titles


def test_stdin_that_is_broken_xml_says_so():
    res = read_sources(["-"], stdin=_stdin("<feed><entry><title>Broken"))
    assert not res.papers and "malformed XML" in res.skips[0].reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_bom_are_decoded(tmp_path, encoding):
    f = tmp_path / "wide.jsonl"
    f.write_bytes("\ufeff".encode(encoding) * (encoding in ("utf-16-be", "utf-32-le")) +
                  (_row("Wïde ü") + "\n").encode(encoding))
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["Wïde ü"] and not res.skips


def test_utf16_without_bom_asks_for_utf8(tmp_path):
    f = tmp_path / "le.jsonl"
    f.write_bytes((_row("No BOM") + "\n").encode("utf-16-le"))
    res = read_sources([str(f)])
    assert not res.papers and "UTF-16" in res.skips[0].reason and "UTF-8" in res.skips[0].reason


def test_a_record_listed_twice_keeps_its_own_id(tmp_path):
    row = {"id": "P1", "title": "ZorbNet: A New Model", "abstract": "We introduce ZorbNet-7B, a model.",
           "url": "https://arxiv.org/abs/2401.01234"}
    f = tmp_path / "two.jsonl"
    f.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    res = read_sources([str(f)])
    assert [(p.id, p.arxiv_id) for p in res.papers] == [("P1", "2401.01234")]


def test_a_folder_does_not_read_back_what_kg_wrote(tmp_path):
    """`kg build .` twice: the second run must not read the first run's outputs (store, extractions) as input."""
    from kg.cli import main
    listing = tmp_path / "a.jsonl"
    listing.write_text(json.dumps({"id": "2401.00001", "title": "Zeta-7B: a small model",
                                   "abstract": "We introduce Zeta-7B, a small model."}) + "\n")
    assert main(["build", str(listing), "--out", str(tmp_path / "outputs"), "--no-progress"]) == 0
    assert main(["extract", str(listing), "-o", str(tmp_path / "ex.jsonl"), "--no-progress"]) == 0
    res = read_sources([str(tmp_path)])
    assert [p.id for p in res.papers] == ["2401.00001"] and res.records == 1
    reasons = sorted(str(s) for s in res.skips)
    assert any(r.startswith(f"{tmp_path / 'outputs'}: left out: a kg build output folder") for r in reasons), reasons
    assert any(r.startswith(f"{tmp_path / 'ex.jsonl'}:1: skipped: a kg extraction record") and
               "kg build --extractions" in r for r in reasons), reasons


def test_csv_empty_cells_after_the_last_column_are_ignored(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("title,abstract\nB1: x,We introduce B1Net.,\nB2: y,We introduce B2Net.,,\nB3: z,We study it.,extra\n")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["B1: x", "B2: y"]
    assert [str(s) for s in res.skips] == [f"{f}:4: skipped: row has more cells than the header"]


def test_an_arxiv_api_error_entry_is_no_paper(tmp_path):
    f = tmp_path / "feed.xml"
    f.write_text('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                 "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>\n"
                 "<summary>incorrect id format for 1234</summary></entry>\n"
                 "<entry><id>http://arxiv.org/abs/2401.01234v2</id><title>Zeta: a model</title>\n"
                 "<summary>We introduce Zeta.</summary></entry>\n</feed>\n")
    res = read_sources([str(f)])
    assert [p.id for p in res.papers] == ["2401.01234"]
    assert [str(s) for s in res.skips] == [f"{f}:3: skipped: an arXiv API error, not a paper: incorrect id format "
                                           "for 1234"]


def test_input_format_forces_one_reader(tmp_path):
    """--input-format: a listing whose extension names another reader is read as told."""
    listing = tmp_path / "export.txt"  # .txt is read as page text, but this holds JSON Lines
    listing.write_text(json.dumps({"id": "2401.00001", "title": "FooLM: a model", "abstract": ABSTRACT}) + "\n")
    assert [p.title for p in read_sources([str(listing)]).papers] != ["FooLM: a model"]
    res = read_sources([str(listing)], fmt="jsonl")
    assert [(p.id, p.title) for p in res.papers] == [("2401.00001", "FooLM: a model")] and not res.skips
    tsv = tmp_path / "export.csv"  # named .csv, but tab-separated
    tsv.write_text("title\tabstract\nBarLM: another model\t" + ABSTRACT + "\n")
    assert [p.title for p in read_sources([str(tsv)], fmt="tsv").papers] == ["BarLM: another model"]
    from kg.cli import main
    out = tmp_path / "x.jsonl"
    assert main(["extract", str(listing), "--input-format", "jsonl", "-o", str(out), "--no-progress"]) == 0
    assert json.loads(out.read_text())["paper"]["id"] == "2401.00001"


@pytest.mark.parametrize("raw,read", [
    ("a model fine-\ntuned from Llama-\n  2-7B", "a model fine-tuned from Llama-2-7B"),  # a PDF's line breaks
    ("code at https://github.com/\nfoo/zorro.", "code at https://github.com/foo/zorro."),
    ("GSM-\r\n8K and the model -\nnot a word", "GSM-8K and the model - not a word"),  # (a dash between words)
    ("two\nlines  and\ttabs", "two lines and tabs"),
])
def test_lines_broken_inside_a_word_or_a_link_are_joined(raw, read):
    from kg.sources import clean_text
    assert clean_text(raw) == read


def test_a_csv_cell_wrapped_inside_a_name_reads_whole(tmp_path):
    f = tmp_path / "papers.csv"
    f.write_text('title,abstract\nZorro,"We introduce Zorro-7B, fine-\ntuned from Llama-\n2-7B."\n', encoding="utf-8")
    res = read_sources([str(f)])
    assert [p.abstract for p in res.papers] == ["We introduce Zorro-7B, fine-tuned from Llama-2-7B."]


def test_reference_manager_and_database_exports(tmp_path):
    zotero = tmp_path / "zotero.csv"
    zotero.write_text('"Key","Item Type","Publication Year","Author","Title","Abstract Note","DOI","Url"\n'
                      '"AB12","preprint","2024","Doe, Jane; Roe, Rick","FooLM: A Model","' + ABSTRACT + '",'
                      '"10.48550/arXiv.2401.01234","https://arxiv.org/abs/2401.01234"\n', encoding="utf-8")
    wos = tmp_path / "savedrecs.txt"  # Web of Science tab-delimited, by its field tags
    wos.write_text("PT\tAU\tTI\tAB\tDI\nJ\tDoe, J\tBarBench: A Benchmark\t" + ABSTRACT + "\t10.1000/xyz\n",
                   encoding="utf-8")
    ieee = tmp_path / "export.csv"
    ieee.write_text('"Document Title","Authors","Abstract","PDF Link"\n"BazNet: A Network","J. Doe","' + ABSTRACT
                    + '","https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=1"\n', encoding="utf-8")
    res = read_sources([str(zotero), str(ieee)]), read_sources([str(wos)])  # (a header names the format)
    papers = [p for r in res for p in r.papers]
    assert [p.title for p in papers] == ["FooLM: A Model", "BazNet: A Network", "BarBench: A Benchmark"]
    assert all(p.abstract == ABSTRACT for p in papers) and not any(r.skips for r in res)
    assert papers[0].id == "2401.01234" and papers[0].authors == ("Doe, Jane", "Roe, Rick")
    assert papers[1].url == "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=1"
    assert papers[2].authors == ("Doe, J",) and papers[1].authors == ("J. Doe",)


def test_openalex_and_semantic_scholar_answers(tmp_path):
    words = ABSTRACT.split(" ")
    index: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        index.setdefault(w, []).append(i)
    openalex = tmp_path / "openalex.json"
    openalex.write_text(json.dumps({"meta": {"count": 2}, "results": [
        {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.48550/arxiv.2401.01234",
         "display_name": "FooLM: A Model", "publication_date": "2024-01-02",
         "authorships": [{"author": {"display_name": "Jane Doe"}}], "abstract_inverted_index": index},
        {"id": "https://openalex.org/W2", "display_name": "No Abstract Here", "abstract_inverted_index": None}]}))
    s2 = tmp_path / "s2.json"
    s2.write_text(json.dumps({"total": 1, "data": [
        {"paperId": "abc", "externalIds": {"ArXiv": "2401.05678", "DOI": "10.1/x"}, "title": "BarLM",
         "abstract": ABSTRACT, "authors": [{"authorId": "1", "name": "Rick Roe"}], "publicationDate": "2024-01-05"}]}))
    res = read_sources([str(openalex), str(s2)])
    foo, bar = res.papers
    assert (foo.id, foo.arxiv_id, foo.title, foo.abstract, foo.authors, foo.published) == \
        ("https://openalex.org/W1", "2401.01234", "FooLM: A Model", ABSTRACT, ("Jane Doe",), "2024-01-02")
    # (the record's own id stays its id, the arXiv id is known from its DOI; the abstract is put back in order)
    assert (bar.id, bar.authors, bar.published) == ("2401.05678", ("Rick Roe",), "2024-01-05")
    assert len(res.skips) == 1 and "'No Abstract Here' has no abstract" in str(res.skips[0])  # named, not lost


BIB = r"""@string{arx = "arXiv preprint"}
% a comment line
@article{devlin2019bert,
  title = {{BERT}: Pre-training of Deep Bidirectional Transformers},
  author = {Devlin, Jacob and Chang, Ming-Wei},
  journal = arx # { arXiv:1810.04805},
  year = 2018,
  abstract = {We introduce a new language representation model called {BERT}, which stands for
    Bidirectional Encoder Representations from Transformers. It is fine-tuned with one more layer.},
}
@misc{zorro2024,
  title = "Zorro-7B: a Small Model",
  eprint = {2401.01234}, archivePrefix = {arXiv},
  abstract = {We introduce \textsc{Zorro}-7B, a model fine-tuned from {L}lama~2 on public data.}
}
@inproceedings{broken,
  title = {Broken {entry,
  abstract = {x}
}
@misc{noabs, title={No Abstract}}
"""


def test_bibtex_entries_with_abstracts(tmp_path):
    f = tmp_path / "refs.bib"
    f.write_text(BIB, encoding="utf-8")
    res = read_sources([str(f)])
    bert, zorro = res.papers
    assert (bert.id, bert.title, bert.authors, bert.published) == \
        ("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers", ("Devlin, Jacob", "Chang, Ming-Wei"),
         "2018")  # case-keeping braces gone; the arXiv id from the journal line (a @string joined by #)
    assert bert.abstract.startswith("We introduce a new language representation model called BERT, which stands")
    assert zorro.id == "2401.01234" and "\\textsc{Zorro}-7B" in zorro.abstract and "Llama~2" in zorro.abstract
    reasons = [str(s) for s in res.skips]
    assert len(reasons) == 2
    assert reasons[0].startswith(f"{f}:16") and "malformed BibTeX entry" in reasons[0]  # and reading goes on
    assert reasons[1].startswith(f"{f}:20") and "'No Abstract' has no abstract" in reasons[1]


def test_bibtex_text_is_recognised_and_extracted(tmp_path):
    from kg.pipeline import extract
    f = tmp_path / "refs"  # no extension: the content says BibTeX
    f.write_text(BIB, encoding="utf-8")
    res = read_sources([str(f)])
    ext = list(extract(res.papers))
    zorro = ext[1]
    assert {(r.subject, r.predicate, r.object) for r in zorro.relations} >= \
        {("2401.01234", "introduces", "Zorro-7B"), ("Zorro-7B", "based_on", "Llama 2")}


def test_ris_records(tmp_path):
    f = tmp_path / "scopus.ris"
    f.write_text("TY  - JOUR\nTI  - FooLM: A Model\nAU  - Doe, Jane\nAU  - Roe, Rick\n"
                 "AB  - " + ABSTRACT[:60] + "\n  " + ABSTRACT[60:].lstrip() + "\nDO  - 10.48550/arXiv.2401.01234\n"
                 "PY  - 2024\nER  - \nTY  - JOUR\nTI  - No abstract\nER  - \nTY  - JOUR\nTI  - Last One\nAB  - "
                 + ABSTRACT + "\n", encoding="utf-8")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["FooLM: A Model", "Last One"]  # (the last record has no ER line)
    foo = res.papers[0]
    assert (foo.id, foo.authors, foo.published) == ("2401.01234", ("Doe, Jane", "Roe, Rick"), "2024")
    assert foo.abstract == ABSTRACT[:60].rstrip() + " " + ABSTRACT[60:].lstrip()  # a value continued on a line
    assert [str(s).split(": ", 1)[0] for s in res.skips] == [f"{f}:10"]


def test_review_findings_on_readers(tmp_path):
    from kg.sources import clean_text
    # a link that ends a line is whole: the next line is not its path
    assert clean_text("Page: https://zorro-ai.github.io/\nWe release code.\nCode: https://github.com/foo/zorro/\n"
                      "Demo at x.") == ("Page: https://zorro-ai.github.io/ We release code. Code: "
                                        "https://github.com/foo/zorro/ Demo at x.")
    # a code host's link broken after its owner goes on with the repository's name
    assert clean_text("Code is at https://github.com/zorb-lab/\nzorb.") == "Code is at https://github.com/zorb-lab/zorb."
    # a reading list with a title of its own is a list of papers
    rl = tmp_path / "list.json"
    rl.write_text(json.dumps({"title": "My reading list", "papers": [{"title": "Zorb", "abstract": ABSTRACT}]}))
    assert [p.title for p in read_sources([str(rl)]).papers] == ["Zorb"]
    # one paper with a list of results of its own is a paper, not a list of papers
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "Zorro", "abstract": ABSTRACT, "results": [{"benchmark": "MMLU"}]}))
    assert [p.title for p in read_sources([str(one)]).papers] == ["Zorro"]
    # a record's own id stays its id beside an arXiv DOI
    own = tmp_path / "own.jsonl"
    own.write_text(json.dumps({"id": "mine-1", "doi": "10.48550/arXiv.2401.01234", "title": "A", "abstract": ABSTRACT})
                   + "\n")
    (p,) = read_sources([str(own)]).papers
    assert (p.id, p.arxiv_id) == ("mine-1", "2401.01234")
    # our own column names win over an export's names for the same field
    both = tmp_path / "both.csv"
    both.write_text("Title,AB,Abstract,Author,Authors\nT,group-a," + ABSTRACT.replace(",", "") + ",X Y,A B;C D\n")
    (p,) = read_sources([str(both)]).papers
    assert p.abstract == ABSTRACT.replace(",", "") and p.authors == ("A B", "C D")
    # titles that look like a paper card's numbers stay titles
    page = tmp_path / "page.txt"
    page.write_text("1984\n\n" + ABSTRACT + "\n\n7 Authors\n\n" + ABSTRACT + "\n\nPublished on the Web: How Papers\n"
                    "Spread Online\n\n" + ABSTRACT + "\n")
    assert [p.title for p in read_sources([str(page)]).papers] == \
        ["1984", "7 Authors", "Published on the Web: How Papers Spread Online"]


def test_review_findings_on_ris_and_bibtex(tmp_path):
    ris = tmp_path / "a.ris"  # two exports joined by cat: the second keeps its byte-order mark
    ris.write_text("TY  - JOUR\nTI  - First\nAB  - " + ABSTRACT + "\nER  - \n\ufeffTY  - JOUR\nTI  - Second\n"
                   "AB  - We present Zorro, fine-\n  tuned from Llama-2-7B.\nN2  - We present Zorro, fine-tuned from "
                   "Llama-2-7B.\nER  - \nTI  - Orphan\nAB  - " + ABSTRACT + "\nER  - \n", encoding="utf-8")
    res = read_sources([str(ris)])
    assert [p.title for p in res.papers] == ["First", "Second"]
    assert res.papers[1].abstract == "We present Zorro, fine-tuned from Llama-2-7B."  # AB only, its lines joined
    assert [str(s).split(": ", 1)[0] for s in res.skips] == [f"{ris}:11"]  # the orphan fields are named
    assert "outside a record" in str(res.skips[0])
    bib = tmp_path / "b.bib"
    bib.write_text("@misc{a, title={First}, title={Second}, abstract={On $x_{i}$ and $y^{2}$ " + ABSTRACT + "}}\n"
                   "@misc{b, title={Last}, abstract={" + ABSTRACT + "}\n", encoding="utf-8")
    res = read_sources([str(bib)])
    assert [p.title for p in res.papers] == ["First"]  # a field given twice: the first
    assert res.papers[0].abstract.startswith("On $x_{i}$ and $y^{2}$ ")  # math braces stay
    reasons = [str(s) for s in res.skips]
    assert len(reasons) == 1 and reasons[0].startswith(f"{bib}:2") and "malformed BibTeX" in reasons[0]
    at = tmp_path / "at.bib"  # a wrapped field line that starts with "@" is no new entry
    at.write_text("@misc{a, title={A}, abstract={Posts written as\n@user mentions. " + ABSTRACT + "}}\n"
                  "@misc{b, title={B}, abstract={" + ABSTRACT + "}}\n", encoding="utf-8")
    res = read_sources([str(at)])
    assert [p.title for p in res.papers] == ["A", "B"] and not res.skips


def test_a_page_of_titles_names_each_title_without_an_abstract(tmp_path):
    f = tmp_path / "titles.txt"  # the one-line-per-field layout with no abstracts: each title named on its own
    f.write_text("".join(f"Paper number {i} about models\n" for i in range(12)))
    res = read_sources([str(f)])
    assert not res.papers and len(res.skips) == 12
    assert all(f"titles.txt:{i + 1}:" in str(s) and "has no abstract" in str(s) for i, s in enumerate(res.skips))


def test_a_line_that_is_not_utf8_is_skipped_and_the_good_lines_kept(tmp_path):
    """One latin-1 line costs that line (or its record), named with file:line and the byte; the rest is read."""
    bad = "Caf\xe9-LM: a model".encode("latin-1")
    jl = tmp_path / "mixed.jsonl"
    jl.write_bytes(_row("First").encode() + b"\n" + b'{"title": "' + bad + b'", "abstract": "x"}\n'
                   + _row("Third").encode() + b"\n")
    cs = tmp_path / "latin1.csv"
    cs.write_bytes(b"title,abstract\n" + bad + b"," + ABSTRACT.encode() + b"\nPlain,\"" + ABSTRACT.encode() + b"\"\n")
    page = tmp_path / "page.txt"
    page.write_bytes(b"Good title\n\n" + ABSTRACT.encode() + b"\n\n" + bad + b"\n\n" + ABSTRACT.encode() + b"\n")
    arr = tmp_path / "arr.json"
    arr.write_bytes(b'[\n{"title": "Kept", "abstract": "' + ABSTRACT.encode() + b'"},\n{"title": "' + bad
                    + b'", "abstract": "' + ABSTRACT.encode() + b'"}\n]\n')
    for f, titles, line in ((jl, ["First", "Third"], 2), (cs, ["Plain"], 2), (page, ["Good title"], 5),
                            (arr, ["Kept"], 3)):
        res = read_sources([str(f)])
        assert [p.title for p in res.papers] == titles, f
        assert [(s.source, "not UTF-8 (byte 0xe9" in s.reason) for s in res.skips] == [(f"{f}:{line}", True)], f
    binary = tmp_path / "blob.txt"  # mostly not text (no NUL byte to tell): one warning for the file
    binary.write_bytes(b"".join(bytes([0x80 + i % 120, 0x41, 0xfe, 0x0a]) for i in range(5000)))
    res = read_sources([str(binary)])
    assert not res.papers and len(res.skips) == 1 and "not UTF-8 text" in res.skips[0].reason


def test_a_csv_quote_never_closed_is_named_and_the_rows_after_it_read(tmp_path):
    f = tmp_path / "ragged.csv"
    f.write_text('title,abstract\nA: one,We introduce A.\nD: four,"a quoted\ncell over two lines"\n'
                 'B: two,"unterminated quote, We introduce B.\nC: three,We introduce C.\n')
    res = read_sources([str(f)])
    assert [(p.title, p.source.rsplit(":", 1)[1]) for p in res.papers] == [("A: one", "2"), ("D: four", "3"),
                                                                           ("C: three", "6")]
    assert [s.source.rsplit(":", 1)[1] for s in res.skips] == ["5"]
    assert "quote opened on this line is never closed" in res.skips[0].reason
    ok = tmp_path / "ok.csv"  # a last cell over several lines, its quote closed: no warning
    ok.write_text('title,abstract\nA: one,"We introduce A.\nIt is good."\n')
    res = read_sources([str(ok)])
    assert [p.abstract for p in res.papers] == ["We introduce A. It is good."] and not res.skips


def test_a_page_abstract_too_short_is_named_as_one(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text("Zeta-7B: a small model\n\nWe introduce Zeta-7B, fine-tuned from Llama3-8B. Zeta-7B outperforms "
                 "Llama 2 13B on MMLU.\n\nOwlBench: owls\n\n" + ABSTRACT + "\n")
    res = read_sources([str(f)])
    assert [p.title for p in res.papers] == ["OwlBench: owls"]
    assert len(res.skips) == 1 and res.skips[0].source == f"{f}:1"
    reason = res.skips[0].reason
    assert "line 3: 'We introduce Zeta-7B" in reason and "looks like an abstract shorter than" in reason
    assert "120 characters" in reason


def test_json_values_that_are_not_papers_are_named_by_key_once(tmp_path):
    f = tmp_path / "config.json"
    f.write_text('{"name": "my config", "version": 3, "items": [1, 2]}')
    res = read_sources([str(f)])
    assert [str(s) for s in res.skips] == [f"{f}:1: skipped: items[0] to items[1] (2 values): expected paper "
                                           "objects, got numbers"]
    g = tmp_path / "list.json"
    g.write_text('[\n"a string",\n{"title": "Kept", "abstract": "' + ABSTRACT + '"}\n]')
    res = read_sources([str(g)])
    assert [p.title for p in res.papers] == ["Kept"]
    assert [str(s) for s in res.skips] == [f"{g}:2: skipped: [0]: expected a paper object, got a string"]


def test_small_wording_of_warnings(tmp_path):
    from kg.records import Extraction
    f = tmp_path / "p.jsonl"
    f.write_text('{"title": "unterminated\n')
    res = read_sources([str(f), str(tmp_path / "missing.jsonl")])
    assert "(Unterminated string starting at column 11)" in res.skips[0].reason  # (not "at at column")
    assert res.skips[1].source == str(tmp_path / "missing.jsonl")  # a whole file: no ":0" line
    with pytest.raises(ValueError, match="paper must be an object, not null"):
        Extraction.from_json({"paper": None, "entities": [], "relations": []})


def test_a_bad_byte_deep_in_a_json_record_is_placed_by_its_own_line(tmp_path):
    from kg.sources import read_sources
    arr = tmp_path / "deep.json"
    good = b'{"title": "Kept", "abstract": "' + ABSTRACT.encode() + b'"}'
    arr.write_bytes(b"[\n" + good + b",\n" + good.replace(b"Kept", b"Also kept") + b',\n{"title": "Third",\n'
                    b'"abstract":\n"' + ABSTRACT.encode() + b' Caf\xe9."}\n]\n')
    res = read_sources([str(arr)])
    assert [p.title for p in res.papers] == ["Kept", "Also kept"]
    (skip,) = res.skips
    assert skip.source == f"{arr}:4" and "at line 6, column" in skip.reason, skip
