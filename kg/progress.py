"""Progress bars on stderr (tqdm), silenced with ``--no-progress``, in CI, or when stderr is not a terminal."""
from __future__ import annotations

import os
import sys

from tqdm import tqdm


def bar(total: int | None, desc: str, enabled: bool = True) -> tqdm:
    on = enabled and sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, desc=desc, unit="paper", disable=not on, file=sys.stderr, leave=False)
