"""JSON Lines files read strictly: every line an object, a broken line an error naming ``file:line``."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator

from .errors import InputError, KGError, NoUsableInput
from .records import Extraction


def json_error(exc: json.JSONDecodeError) -> str:
    """``malformed JSON (what at column N)``; json's own message may end in "at" ("Unterminated string starting
    at"), said once here."""
    msg = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
    return f"malformed JSON ({msg} at column {exc.colno})"


def iter_jsonl(path: str | Path, error: type[KGError] = InputError,
               fix: str = "fix or remove the line") -> Iterator[tuple[int, object]]:
    """``(line number, parsed value)`` for every non-blank line; raises ``error`` for a missing file or a bad line."""
    p = Path(path)
    try:
        if str(path) == "-":  # stdin: kg extract ... -o - | kg build --extractions -
            p = Path("<stdin>")
            text = sys.stdin.buffer.read().decode("utf-8-sig")
        elif p.is_dir():
            raise error(f"{p}: is a folder, not a JSON Lines file", "give one JSONL file (one inside it, say)")
        elif not p.is_file():
            raise error(f"{p}: no such file", "give the path of an existing JSON Lines file, or - for stdin")
        else:
            text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise error(f"{p}: cannot read ({exc})", "give a readable UTF-8 JSON Lines file") from exc
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{p}:{n}: {json_error(exc)}", fix) from exc


def read_extractions(path: str | Path, skips: list[str] | None = None) -> list[Extraction]:
    """Extraction records from an ``extractions.jsonl`` file (the ``kg extract`` output).

    A record that is not one raises ``NoUsableInput`` naming ``file:line`` and the field, or, when a
    ``skips`` list is given, is skipped with that line appended to it (and the good records kept).
    """
    out = []
    fix = "give a file written by kg extract or kg build"
    for lineno, obj in iter_jsonl(path, NoUsableInput, fix):
        try:
            out.append(Extraction.from_json(obj))
        except ValueError as exc:
            if skips is None:
                raise NoUsableInput(f"{path}:{lineno}: not an extraction record ({exc})", fix) from exc
            skips.append(f"{path}:{lineno}: skipped: not an extraction record ({exc})")
    if skips is not None and not out:
        if skips:  # every record is bad: the first reason, and how many more
            more = f" (and {len(skips) - 1} more bad record(s))" if len(skips) > 1 else ""
            raise NoUsableInput(skips[0].replace(": skipped: ", ": ", 1) + more, fix)
        raise NoUsableInput(f"{path}: no extraction record in it", fix)
    return out
