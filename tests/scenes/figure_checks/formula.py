"""The formula segment's derived figures, read off the screen at every frame.

- a meter's bar fills the track as far as its number says;
- the for-loop's total is the sum of the chips i has counted (0.00 before i shows, all of them after);
- a row's sum is the sum of its chips, its average the sum ÷ the n its label shows (and "÷ n" says that n);
- the pile's total is the sum of the blocks resting on it (each block as tall as its chip's number),
  and once Q's value shows: every share is the pile ÷ n tall and Q reads the pile's total ÷ n.
"""

from __future__ import annotations

from riskmath import round_half_away
from tests.scenes.figure_checks.shown import meter_problem, number, seen


def _round(value: float) -> float:
    return float(round_half_away(value, 2))


def _meter(scene) -> list[str]:
    meter = getattr(scene, "meter", None)
    if meter is None or not seen(scene, meter.meter.number):
        return []
    problem = meter_problem(meter.meter, "meter")
    return [problem] if problem else []


def _loop(scene) -> list[str]:
    loop = getattr(scene, "loop", None)
    if loop is None or not seen(scene, loop.total) or getattr(scene, "row", None) is not None:
        return []
    total = number(loop.total)
    everything = _round(sum(number(chip.number) for chip in scene.clip_chips))
    if not seen(scene, loop.i):  # before the first turn, or after the loop (i has gone)
        return [] if total in (0, everything) else [f"loop: total {total:.2f} with no i beside it"]
    i = int(number(loop.i))
    counted = _round(sum(number(chip.number) for chip in scene.clip_chips[:i]))
    if total == counted:
        return []
    return [f"loop: i = {i} but total {total:.2f}, the first {i} chips add to {counted:.2f}"]


def _rows(scene) -> list[str]:
    problems = []
    for name in ("row", "big_row"):
        row = getattr(scene, name, None)
        if row is None:
            continue
        if seen(scene, row.sum):
            added = _round(sum(number(chip.number) for chip in row.chips))
            if number(row.sum) != added or not all(seen(scene, chip.number) for chip in row.chips):
                problems.append(f"{name}: sum {number(row.sum):.2f} beside chips adding to {added:.2f}")
        if seen(scene, row.average):
            n = int(number(row.label))
            if len(row.chips) != n or int(number(row.divide)) != n:
                problems.append(f"{name}: n = {n} over {len(row.chips)} chips, divided by {row.divide.text}")
            expected = _round(number(row.sum) / n) if seen(scene, row.sum) else None
            if expected is None or number(row.average) != expected:
                problems.append(f"{name}: average {number(row.average):.2f}, its sum ÷ {n} is {expected}")
    return problems


def _pile(scene) -> list[str]:
    pile = getattr(scene, "pile", None)
    if pile is None:
        return []
    problems = []
    chips = {id(block): chip for block, chip in zip(pile.blocks, scene.clip_chips, strict=True)}
    if pile.sharing:  # being shared out: the blocks change height, their heights still add up to Σ
        if seen(scene, pile.blocks) and abs(sum(block.height for block in pile.blocks) / pile.scale
                                            - number(pile.total)) > 0.005 * len(chips):
            problems.append(f"pile: shared out, its blocks no longer add up to Σ = {number(pile.total):.2f}")
    else:
        for block in pile.blocks:
            if seen(scene, block) and abs(block.height / pile.scale - number(chips[id(block)].number)) > 0.005:
                problems.append(f"pile: a block {block.height / pile.scale:.3f} tall for a chip of "
                                f"{chips[id(block)].number.text}")
        if seen(scene, pile.total):
            on_pile = _round(sum(number(chips[id(block)].number) for block in pile.landed()))
            if number(pile.total) != on_pile:
                problems.append(f"pile: Σ = {number(pile.total):.2f} with {on_pile:.2f} on the pile")
    if seen(scene, pile.average):
        n = len(scene.clip_chips)
        share = number(pile.total) / n
        if number(pile.average) != _round(share):
            problems.append(f"pile: Q = {number(pile.average):.2f}, the pile ÷ {n} is {share:.3f}")
        heights = [block.height / pile.scale for block in pile.shares if seen(scene, block)]
        if len(heights) != n or any(abs(height - share) > 0.005 for height in heights):
            problems.append(f"pile: {len(heights)} shares {heights} beside Q, each should be {share:.3f}")
    return problems


def problems(scene) -> list[str]:
    """Every derived figure on the formula segment's screen that disagrees with what it is derived from."""
    return [*_meter(scene), *_loop(scene), *_rows(scene), *_pile(scene)]
