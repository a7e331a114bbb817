"""Coded, actionable errors. The CLI turns a ``KGError`` into one line and exit code 2.

Each code names a kind of user mistake; the message names the input (file:line, paper id,
term) and the fix.
"""
from __future__ import annotations

import difflib
from typing import Iterable


class KGError(Exception):
    """A user-facing error: ``E### message (fix)``."""

    code = "E000"

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code} {self.message}"
        return f"{text} -- {self.fix}" if self.fix else text


class InputError(KGError):
    code = "E001"


class NoUsableInput(KGError):
    code = "E002"


class ConfigError(KGError):
    code = "E003"


class QueryError(KGError):
    code = "E010"


class QuerySyntaxError(QueryError):
    """A query that does not parse; ``reason`` is the parser's word on why."""

    def __init__(self, reason: str, fix: str | None = None) -> None:
        self.reason = reason
        super().__init__(f"SPARQL syntax error: {reason}", fix)


class IRIError(KGError):
    code = "E020"


class ValidationFailed(KGError):
    code = "E030"


class StoreError(KGError):
    code = "E040"


class RuleDataError(KGError):
    code = "E050"


class ExportError(KGError):
    code = "E060"


def require_path(value: str | None, what: str) -> None:
    """Refuse an empty path (what an unset ``$FILE`` gives): it would name the current folder. ``what`` names it
    as the message starts, e.g. "an input path" or "the --gold path"."""
    if value == "":
        raise InputError(f"{what} is empty", "give a path; an unset shell variable (\"$FILE\") gives an empty one")


def did_you_mean(word: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """The ``choices`` closest in spelling to a mistyped ``word``, closest first (for a "did you mean" hint)."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
