"""The code a scene's frames depend on: its module and every module of ``scenes`` and ``riskmath`` it imports,
transitively, found by reading their import statements (nothing is imported or listed by hand).

A segment's cache keys hash these files, so editing a part re-renders only the segments that import it.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from pathlib import Path

TRACKED = ("scenes", "riskmath")  # the packages whose code decides what is drawn


@functools.cache
def module_file(name: str) -> Path | None:
    """The source file of module ``name`` (a package's ``__init__.py``), or None if it is not a tracked module."""
    if name.split(".")[0] not in TRACKED:
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


@functools.cache  # each file is read once per process, however many scenes import it
def _imported(name: str, path: Path) -> frozenset[str]:
    """The tracked modules that ``path`` (module ``name``) imports anywhere in its body, and their packages."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # a submodule, when it is one
    modules = {module for module in found if module_file(module) is not None}
    return frozenset(modules | {parent for module in modules for parent in _parents(module)})


def _parents(name: str) -> list[str]:
    """The packages Python imports before ``name``: 'a.b.c' → ['a', 'a.b']."""
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


@functools.cache
def dependencies(module: str) -> tuple[Path, ...]:
    """Every tracked source file importing ``module`` runs, itself included, sorted.

    >>> names = {path.name for path in dependencies("riskmath.risk")}
    >>> {"__init__.py", "risk.py"} <= names
    True
    """
    seen: set[str] = set()
    stack = [module, *_parents(module)]
    while stack:
        name = stack.pop()
        path = module_file(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        stack.extend(_imported(name, path) - seen)
    files = {module_file(name) for name in seen}
    return tuple(sorted(path for path in files if path is not None))
