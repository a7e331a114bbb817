"""Readers: every format in, Paper records out; every bad record named with file:line and reason."""
from __future__ import annotations

import io
import json

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
    assert "expected a JSON object" in by_line["5"]


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
