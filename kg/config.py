"""Configuration flows down from one place: defaults < config file < CLI flags.

``Config`` is frozen; ``load_config`` reads a TOML file (``--config FILE``, else ``./kg.toml`` if present)
and ``Config.with_overrides`` applies the flags a user actually gave.
"""
from __future__ import annotations

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

    def with_overrides(self, **kw: Any) -> "Config":
        valid = {f.name for f in fields(self)}
        clean = {k: v for k, v in kw.items() if v is not None and k in valid}
        if "out_dir" in clean:
            clean["out_dir"] = Path(clean["out_dir"])
        if "formats" in clean:
            clean["formats"] = tuple(clean["formats"])
        return replace(self, **clean)


def load_config(path: str | Path | None = None) -> Config:
    cfg = Config()
    p = Path(path) if path else Path("kg.toml")
    if not p.exists():
        if path:
            raise ConfigError(f"config file {p} not found", "pass an existing TOML file to --config")
        return cfg
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})", "fix the syntax or remove the file") from exc
    data = data.get("kg", data)
    valid = {f.name for f in fields(Config)}
    unknown = sorted(set(data) - valid)
    if unknown:
        raise ConfigError(f"{p}: unknown setting(s) {', '.join(unknown)}", f"use one of {', '.join(sorted(valid))}")
    return cfg.with_overrides(**data)
