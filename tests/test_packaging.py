"""Every data file the packages read at run time is declared as package data (else a wheel install breaks)."""
from __future__ import annotations

import fnmatch
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_all_data_files_are_package_data():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = meta["tool"]["setuptools"]["package-data"]
    missing = []
    for pkg in ("kg", "extractors", "ontology"):
        for f in (ROOT / pkg).rglob("*"):
            if f.is_dir() or f.suffix in (".py", ".pyc") or "__pycache__" in f.parts:
                continue
            rel = f.relative_to(ROOT / pkg).as_posix()
            if not any(fnmatch.fnmatch(rel, pattern) for pattern in declared.get(pkg, [])):
                missing.append(f"{pkg}/{rel}")
    assert not missing, f"not declared in [tool.setuptools.package-data]: {missing}"


def test_console_script_and_python_floor():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["scripts"]["kg"] == "kg.cli:main"
    assert meta["project"]["requires-python"] == ">=3.10"
    deps = " ".join(meta["project"]["dependencies"])
    for name in ("spacy", "rdflib", "pyoxigraph", "networkx", "pyvis", "pyshacl", "scipy"):
        assert name in deps


def _bound_names(target) -> list[str]:
    """The names an assignment target binds ("x", "a, b"; not "d[k]" or "o.attr", which bind nothing)."""
    import ast
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _bound_names(t)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def test_no_module_level_name_is_defined_twice():
    """A second module-level definition silently replaces the first for every user of the name."""
    import ast
    root = Path(__file__).resolve().parent.parent
    clashes = []
    for path in sorted([*root.glob("extractors/*.py"), *root.glob("kg/*.py")]):
        seen: dict[str, int] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [n for t in targets for n in _bound_names(t)]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [(a.asname or a.name).split(".")[0] for a in node.names]
            else:
                names = []
            for name in names:
                if name in seen:
                    clashes.append(f"{path.name}: {name} (lines {seen[name]} and {node.lineno})")
                seen[name] = node.lineno
    assert not clashes, clashes


def test_sources_pass_pyflakes():
    """No unused imports, undefined names, or two tests of one name (the second silently replaces the first)."""
    from pyflakes.api import checkPath
    from pyflakes.reporter import Reporter
    import io

    out, err = io.StringIO(), io.StringIO()
    files = [f for d in ("kg", "extractors", "ontology", "tests", "benchmarks") for f in sorted((ROOT / d).rglob("*.py"))]
    assert files
    count = sum(checkPath(str(f), Reporter(out, err)) for f in files)
    assert count == 0, out.getvalue() + err.getvalue()


def test_no_regular_expression_needs_python_3_11():
    """Possessive quantifiers (``*+``) and atomic groups (``(?>``) exist only from Python 3.11; the floor is 3.10.
    Every string constant that parses as a pattern is walked for those two opcodes."""
    import ast
    import re

    parser, constants = getattr(re, "_parser", None), getattr(re, "_constants", None)
    newer = {getattr(constants, n) for n in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP") if hasattr(constants, n)}
    if parser is None or not newer:  # Python 3.10 itself: such a pattern would not even compile
        return

    def uses_newer(items) -> bool:
        for op, av in items:
            if op in newer:
                return True
            for sub in (av if isinstance(av, (list, tuple)) else ()):
                if isinstance(sub, parser.SubPattern) and uses_newer(sub):
                    return True
                if isinstance(sub, (list, tuple)) and any(isinstance(x, parser.SubPattern) and uses_newer(x)
                                                          for x in sub):
                    return True
        return False

    found = []
    for d in ("kg", "extractors", "ontology"):
        for f in sorted((ROOT / d).rglob("*.py")):
            tree_ = ast.parse(f.read_text(encoding="utf-8"))
            docs = {id(n.value) for n in ast.walk(tree_) if isinstance(n, ast.Expr)}  # docstrings are prose
            for node in ast.walk(tree_):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and "+" in node.value \
                        and id(node) not in docs:
                    try:
                        tree = parser.parse(node.value)
                    except (re.error, RecursionError, OverflowError):
                        continue  # not a regular expression
                    if uses_newer(tree):
                        found.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
