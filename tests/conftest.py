"""Shared fixtures: small inputs written per test, and one extraction pipeline for the session."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("CI", "1")  # no progress bars in test output

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def sample_papers():
    from kg.sources import bundled_corpus, read_sources
    return read_sources([str(p) for p in bundled_corpus()]).papers


@pytest.fixture(scope="session")
def extract_one():
    """Extract one paper from a title and an abstract."""
    from kg.pipeline import extract
    from kg.records import Paper

    def run(title: str, abstract: str):
        return next(extract([Paper(id="p1", title=title, abstract=abstract, source="test:1")]))
    return run


def chromium() -> str:
    """Debian's chromium for the browser tests (the README's test command installs it). Missing, every browser
    test fails rather than skips, so a run without a browser cannot pass for one that checked the viewer;
    KG_NO_BROWSER=1 skips them on purpose."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path:
        return path
    if os.environ.get("KG_NO_BROWSER") == "1":
        pytest.skip("KG_NO_BROWSER=1: browser tests skipped")
    pytest.fail("chromium not found on PATH: install Debian's chromium package (apt-get install chromium), "
                "or set KG_NO_BROWSER=1 to skip the browser tests")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The Quickstart's main job, once per session: ``kg build`` with no input (the bundled sample corpus)."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("sample-build") / "outputs"
    assert main(["build", "--out", str(out), "--no-progress"]) == 0
    return out
