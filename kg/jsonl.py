"""JSON Lines files read strictly: every line an object, a broken line an error naming ``file:line``."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .errors import InputError, KGError, NoUsableInput
from .records import Extraction


def iter_jsonl(path: str | Path, error: type[KGError] = InputError,
               fix: str = "fix or remove the line") -> Iterator[tuple[int, object]]:
    """``(line number, parsed value)`` for every non-blank line; raises ``error`` for a missing file or a bad line."""
    p = Path(path)
    if not p.is_file():
        raise error(f"{p}: no such file", "give the path of an existing JSON Lines file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{p}: cannot read ({exc})", "give a readable UTF-8 JSON Lines file") from exc
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{p}:{n}: malformed JSON ({exc.msg} at column {exc.colno})", fix) from exc


def read_extractions(path: str | Path) -> list[Extraction]:
    """Extraction records from an ``extractions.jsonl`` file (the ``kg extract`` output)."""
    out = []
    fix = "give a file written by kg extract or kg build"
    for lineno, obj in iter_jsonl(path, NoUsableInput, fix):
        try:
            out.append(Extraction.from_json(obj))
        except (KeyError, TypeError, AttributeError) as exc:
            raise NoUsableInput(f"{path}:{lineno}: not an extraction record ({exc})", fix) from exc
    return out
