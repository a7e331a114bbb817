"""Progress on stderr: bars (tqdm) and stage lines, silenced with ``--no-progress``, in CI, or when stderr is not
a terminal."""
from __future__ import annotations

import os
import sys

from tqdm import tqdm


def shown(enabled: bool = True) -> bool:
    """Whether progress is shown on stderr."""
    return enabled and sys.stderr.isatty() and not os.environ.get("CI")


def bar(total: int | None, desc: str, enabled: bool = True) -> tqdm:
    return tqdm(total=total, desc=desc, unit="paper", disable=not shown(enabled), file=sys.stderr, leave=False)


def stage(text: str, enabled: bool = True) -> None:
    """One line as a stage without a bar starts (``kg build: validating ...``), where bars are shown."""
    if shown(enabled):
        print(f"kg build: {text} ...", file=sys.stderr, flush=True)
