"""A segment's cache key holds the code its scene imports, transitively, and nothing else: editing a part
re-renders the segments that import it (and the segment after each, which opens on their last frame)."""

from __future__ import annotations

import ast
from pathlib import Path

from riskvid.config.load import load_config
from riskvid.pipeline import plan as planning
from riskvid.pipeline.code_deps import dependencies
from tests.helpers import ROOT


def defining_file(class_name: str) -> Path:
    """The file under scenes/ that defines ``class_name``."""
    for path in sorted((ROOT / "scenes").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.ClassDef) and node.name == class_name for node in tree.body):
            return path
    raise AssertionError(f"no class {class_name} under scenes/")


def changed_segments(edited: Path, monkeypatch) -> set[str]:
    """The shipped video's segments whose timing key changes when a comment is appended to ``edited``."""
    plans = planning.plan_segments(load_config(ROOT / "video.yaml"))
    before = {plan.id: planning.timing_key(plan) for plan in plans}
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        data = original(path)
        return data + b"\n# an edit\n" if path.resolve() == edited.resolve() else data

    planning.code_fingerprint.cache_clear()
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    try:
        after = {plan.id: planning.timing_key(plan) for plan in plans}
    finally:
        monkeypatch.undo()
        planning.code_fingerprint.cache_clear()
    return {name for name in before if before[name] != after[name]}


def test_editing_the_pixel_grid_re_renders_pixels_and_the_segment_after_it_only(monkeypatch):
    assert changed_segments(defining_file("PixelGrid"), monkeypatch) == {"pixels", "training_loop"}


def test_editing_riskmath_or_the_base_re_renders_every_segment(monkeypatch):
    everything = {plan.id for plan in planning.plan_segments(load_config(ROOT / "video.yaml"))}
    assert changed_segments(ROOT / "riskmath" / "risk.py", monkeypatch) == everything
    assert changed_segments(ROOT / "scenes" / "base.py", monkeypatch) == everything


def test_dependencies_follow_imports_transitively_and_stop_at_other_packages():
    files = {path.relative_to(ROOT).as_posix() for path in dependencies("riskmath.risk")}
    assert "riskmath/__init__.py" in files and "riskmath/rounding.py" in files
    assert all(name.startswith("riskmath/") for name in files)  # numpy and the standard library are not ours
