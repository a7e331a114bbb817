"""Configuration flows down from one place: defaults < config file < CLI flags.

``Config`` is frozen; ``load_config`` reads a TOML file (``--config FILE``, else ``./kg.toml`` if present)
and ``Config.with_overrides`` applies the flags a user actually gave.
"""
from __future__ import annotations

import re

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from ontology.namespaces import DEFAULT_BASE


@dataclass(frozen=True)
class Config:
    out_dir: Path = Path("outputs")
    base_iri: str = DEFAULT_BASE
    workers: int = 1
    batch_size: int = 64
    min_confidence: float = 0.5
    viewer_top_n: int = 400
    formats: tuple[str, ...] = ("turtle",)
    progress: bool = True

    @property
    def store_path(self) -> Path:
        return self.out_dir / "store"

    def with_overrides(self, *, source: str = "option", **kw: Any) -> "Config":
        """A copy with the given settings changed (``None`` means "not given"); each value is checked and
        converted to the field's type, and a wrong one is a ``ConfigError`` naming the setting and ``source``."""
        valid = {f.name for f in fields(self)}
        clean = {k: _convert(k, v, source) for k, v in kw.items() if v is not None and k in valid}
        return replace(self, **clean)


# the flag that gives each setting: a bad value from the command line is fixed there, not in a TOML file
_FLAGS = {"workers": "--workers N with N >= 1", "min_confidence": "--min-confidence X with 0 <= X <= 1",
          "out_dir": "--out DIR", "base_iri": "--base-iri IRI"}


def _convert(name: str, value: Any, source: str) -> Any:
    def bad(expected: str) -> ConfigError:
        if source == "option":
            flag = _FLAGS.get(name, f"--{name.replace('_', '-')} <{expected}>")
            return ConfigError(f"{flag.split()[0]} must be {expected}, got {value!r}", f"give {flag}")
        return ConfigError(f"{source}: setting {name!r} must be {expected}, got {value!r}",
                           f"give {name} = <{expected}>")

    if name == "out_dir":
        if not isinstance(value, (str, Path)) or not str(value):
            raise bad("a directory path")
        return Path(value)
    if name == "base_iri":
        if not isinstance(value, str):
            raise bad("an IRI string")
        return value
    if name in ("workers", "batch_size", "viewer_top_n"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad("a whole number of at least 1")
        return value
    if name == "min_confidence":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise bad("a number from 0 to 1")
        return float(value)
    if name == "formats":
        items = (value,) if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not items or not all(isinstance(v, str) for v in items):
            raise bad("a format name or a list of them")
        from .export import EXPORTERS  # (checked here, before any work, not when the build comes to export)
        unknown = [v for v in items if v not in EXPORTERS]
        if unknown:
            raise ConfigError(f"{source}: unknown export format(s) {', '.join(map(repr, unknown))}",
                              f"use one of {', '.join(sorted(EXPORTERS))}")
        return tuple(items)
    if name == "progress":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    return value


def load_config(path: str | Path | None = None) -> Config:
    cfg = Config()
    p = Path(path) if path else Path("kg.toml")
    if not p.exists():
        if path:
            raise ConfigError(f"config file {p} not found", "pass an existing TOML file to --config")
        return cfg
    try:
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})", "fix the syntax or remove the file") from exc
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the config file ({exc.strerror})", "give a readable TOML file") from exc
    data = data.get("kg", data)
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: [kg] must be a table of settings, not {type(data).__name__}",
                          "write settings as key = value lines under a [kg] header")
    valid = {f.name for f in fields(Config)}
    unknown = sorted(set(data) - valid)
    if unknown:
        raise ConfigError(f"{p}: unknown setting(s) {', '.join(unknown)}", f"use one of {', '.join(sorted(valid))}")
    for key, value in data.items():  # (one at a time, so that an error names the key's line)
        line = _line_of(text, key)
        cfg = cfg.with_overrides(source=f"{p}:{line}" if line else str(p), **{key: value})
    return cfg


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key = ...`` is set (under ``[kg]`` if the file has that table), if it can be found."""
    table = re.search(r"^[ \t]*\[[ \t]*kg[ \t]*\]", text, re.MULTILINE)
    start = table.end() if table else 0
    k = re.escape(key)
    m = re.compile(rf"""^[ \t]*(?:{k}|"{k}"|'{k}')[ \t]*=""", re.MULTILINE).search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else None
