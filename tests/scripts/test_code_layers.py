"""The shape of the code: imports run one way, down the data flow (config → timeline → render → assemble →
publish, with the run's orchestration on top), and never in a circle. Read from the import statements
themselves, function-level imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"riskmath": ROOT / "riskmath", "scenes": ROOT / "scenes", "riskvid": ROOT / "scripts" / "riskvid"}
# Layers, lowest first: a module may import its own layer and those below, never one above.
LAYERS = [
    ("riskmath",),
    ("scenes",),
    ("riskvid.errors", "riskvid.files", "riskvid.names", "riskvid.progress"),
    ("riskvid.config",),
    ("riskvid.cluster.workers", "riskvid.cluster.environment", "riskvid.pipeline"),
    ("riskvid.publish",),
    ("riskvid",),  # orchestration: run, narration, build, estimate, stills, cli, bench, the cluster's client and
]                  # worker side, upload, studio


def modules() -> dict[str, Path]:
    """Every module of the three packages: {dotted name: file}."""
    found = {}
    for top, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        edges.update(target for target in targets if target in known and target != name)
    return edges


def layer(name: str) -> int:
    """The layer of a module: the most specific prefix listed in LAYERS."""
    best, rank = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    return rank


GRAPH = {name: imports(name, path, modules()) for name, path in modules().items()}


def test_no_import_runs_up_the_layers():
    upward = [f"{name} → {target}" for name, targets in GRAPH.items() for target in sorted(targets)
              if layer(target) > layer(name) and name != "riskvid.pipeline.piper_speak"]
    assert not upward, "imports against the data flow:\n" + "\n".join(upward)


def test_no_import_cycle():
    order: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(name: str) -> None:  # depth-first; a node met again while on the stack closes a cycle
        order[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if order.get(target) == 1:
                cycles.append(" → ".join([*stack[stack.index(target):], target]))
            elif target not in order:
                visit(target)
        stack.pop()
        order[name] = 2

    for name in sorted(GRAPH):
        if name not in order:
            visit(name)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize(("top", "limit"), [("riskvid", 400), ("scenes", 300)])
def test_no_module_is_several_modules(top, limit):
    long = [f"{path.relative_to(ROOT)}: {n} lines" for name, path in modules().items()
            if name.split(".")[0] == top and (n := len(path.read_text(encoding="utf-8").splitlines())) > limit]
    assert not long, f"modules over {limit} lines (split them along their seams):\n" + "\n".join(long)
