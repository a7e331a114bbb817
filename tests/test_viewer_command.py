"""``kg view ENTITY``: the ego network of one entity, read from a store on disk."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "analytics_seed.trig"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    store = ox.Store(str(out / "store"))
    store.load(path=str(FIXTURE))
    store.flush()
    del store  # release the lock so the command can open it
    return out


def payload(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))


def test_view_writes_the_ego_network(build_dir, tmp_path, capsys):
    out = tmp_path / "glm.html"
    assert main(["view", "glm-4", "--build-dir", str(build_dir), "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    data = payload(out)
    labels = sorted(d["label"] for d in data["details"])
    # GLM-4, the two papers that mention it, and GPT-4 which it outperforms
    assert labels == ["Alpaca: A Strong, Replicable Instruction-Following Model", "ChatGLM: A Family of Large "
                      "Language Models from GLM-130B to GLM-4", "GLM-4", "GPT-4"]
    assert data["details"][data["focus"]]["label"] == "GLM-4"


def test_view_radius_and_entity_only(build_dir, tmp_path):
    wide, narrow = tmp_path / "wide.html", tmp_path / "narrow.html"
    assert main(["view", "Llama-2", "--radius", "2", "--build-dir", str(build_dir), "--out", str(wide)]) == 0
    assert main(["view", "Llama-2", "--no-papers", "--build-dir", str(build_dir), "--out", str(narrow)]) == 0
    assert len(payload(wide)["details"]) > 8
    assert sorted(d["label"] for d in payload(narrow)["details"]) == ["LLaMA", "Llama 2", "MPT", "Vicuna"]


def test_view_default_file_name(build_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["view", "https://w3id.org/llmkg/resource/benchmark/MMLU", "--build-dir", str(build_dir)]) == 0
    assert (build_dir / "view-MMLU.html").exists()
    assert list(tmp_path.iterdir()) == []  # nothing written into the working directory


def test_view_file_names_of_different_entities_differ():
    from kg.commands.view import _file_name
    base = "https://w3id.org/llmkg/resource/"
    names = {_file_name("RETRO", base + "model/RETRO", False), _file_name("RETRO++", base + "model/RETRO%2B%2B", False),
             _file_name("Alpaca", base + "model/Alpaca", True), _file_name("Alpaca", base + "dataset/Alpaca", True)}
    assert len(names) == 4 and "view-RETRO.html" in names
    assert all(n.startswith(("view-RETRO", "view-Alpaca-")) and n.endswith(".html") for n in names)


def test_view_errors_are_one_line(build_dir, tmp_path, capsys):
    assert main(["view", "GLM-5", "--build-dir", str(build_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg view: error: E010 no entity named 'GLM-5'") and "GLM-4" in err
    assert "\n" not in err
    assert main(["view", "GLM-4", "--build-dir", str(tmp_path / "none")]) == 2
    assert "run kg build first" in capsys.readouterr().err


def test_view_shows_the_whole_graphs_scores_and_opens_on_its_entity(build_dir, tmp_path):
    from kg import analytics

    store = ox.Store.read_only(str(build_dir / "store"))
    pr = analytics.pagerank(analytics.project(store))
    del store
    out, cfg = tmp_path / "v.html", tmp_path / "kg.toml"
    cfg.write_text("[kg]\nviewer_top_n = 2\n")  # a first view of 2: GLM-4 is not among its 2 most central
    assert main(["--config", str(cfg), "view", "GLM-4", "--build-dir", str(build_dir), "--out", str(out)]) == 0
    data = payload(out)
    assert data["focus"] in data["initial"]
    glm = data["details"][data["focus"]]
    assert glm["label"] == "GLM-4"
    assert glm["pagerank"] == round(pr["https://w3id.org/llmkg/resource/model/GLM-4"], 6)  # not the ego graph's
