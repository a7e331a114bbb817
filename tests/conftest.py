"""Shared fixtures: small inputs written per test, and one extraction pipeline for the session."""
from __future__ import annotations

import os
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
