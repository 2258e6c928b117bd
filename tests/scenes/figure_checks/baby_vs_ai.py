"""The baby-and-AI segment's derived figures at every frame: the model's meter fills as far as its number says,
and the baby's meter never shows a number (a baby's mistake is felt, not measured as a decimal)."""

from __future__ import annotations

from tests.scenes.figure_checks.shown import meter_problem, seen


def problems(scene) -> list[str]:
    """Every meter on screen whose bar and number disagree, or a number on the baby's meter."""
    found = []
    for name, meter in zip(("baby", "model"), getattr(scene, "meters", ()), strict=False):
        if name == "baby" and seen(scene, meter.number):
            found.append("baby: its meter shows a number")
        if seen(scene, meter.number) and (problem := meter_problem(meter, name)):
            found.append(problem)
    return found
