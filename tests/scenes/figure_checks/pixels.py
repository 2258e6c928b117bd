"""The pixels segment's derived figures against the figures they come from, as drawn at this frame.

Read from the read-outs' characters (what the viewer sees), never from the values behind them:
- error cell = shown real − shown guess, with its sign (while the three grids are on screen);
- squared cell = (the error that cell showed)²;
- L's numerator = Σ of the squares shown (a squared cell as shown, an error cell squared), over the
  cells a running tally has passed while one runs;
- L = numerator / (count · 255²) rounded to 3 places as shown, in L's colour for that value;
- the worked pixel: real − guess = error, and error² = the square written under it;
- "why square": the sizes' total = Σ |shown errors|, the signed total = Σ shown errors, the squares'
  total = Σ shown errors², over the cells passed.
"""

from __future__ import annotations

import numpy as np

from riskmath import round_half_away
from riskmath.risk import PIXEL_MAX
from tests.scenes.helpers import on_screen, points_of


def number(readout) -> int:
    """The whole number a read-out shows ("−1,234" is −1234)."""
    return int(readout.text_for(readout.value).replace(",", "").replace("−", "-"))


def decimal(readout) -> float:
    return float(readout.text_for(readout.value).replace(",", "").replace("−", "-"))


def grid_numbers(grid) -> np.ndarray:
    return np.array([number(n) for n in grid.numbers]).reshape(grid.values.shape)


def problems(scene) -> list[str]:
    screen = on_screen(scene)

    def seen(mobject) -> bool:
        return mobject is not None and bool(points_of(mobject) & screen)

    found: list[str] = []
    grids = {name: getattr(scene, name, None) for name in ("real_grid", "output_grid", "error_grid")}
    errors = grids["error_grid"]
    if errors is None or not seen(errors):
        errors = None
    shown = grid_numbers(errors) if errors is not None else None
    squared = np.asarray(getattr(errors, "squared", np.zeros(shown.shape, bool))) if errors is not None else None

    # Error cells against the real image and the guess.
    if errors is not None and all(seen(g) for g in (grids["real_grid"], grids["output_grid"])):
        expected = grid_numbers(grids["real_grid"]) - grid_numbers(grids["output_grid"])
        for (r, c) in zip(*np.nonzero((shown != expected) & ~squared), strict=True):
            found.append(f"error cell ({r}, {c}) shows {shown[r, c]}, real − guess is {expected[r, c]}")
    # Squared cells against the errors they were.
    if errors is not None and squared.any():
        signed = np.asarray(errors.errors)
        for (r, c) in zip(*np.nonzero(squared & (shown != signed**2)), strict=True):
            found.append(f"squared cell ({r}, {c}) shows {shown[r, c]}, its error {signed[r, c]} squared is "
                         f"{signed[r, c] ** 2}")

    summed = getattr(errors, "summed", None) if errors is not None else None
    passed = (shown.size if shown is not None else 0) if summed is None else summed
    fraction = getattr(scene, "fraction", None)
    if errors is not None and fraction is not None and seen(fraction.numerator):
        terms = np.where(squared, shown, shown**2).reshape(-1)[:passed]
        total = number(fraction.numerator)
        if total != int(terms.sum()):
            found.append(f"L's numerator shows {total:,}, the squares on the grid add to {int(terms.sum()):,}")
        if seen(fraction.value):
            count = shown.size
            if seen(fraction.denominator):
                count = int(fraction.denominator.text.split("×")[0])
            loss = decimal(fraction.value)
            expected_loss = round_half_away(total / (count * PIXEL_MAX**2), 3)
            if loss != expected_loss:
                found.append(f"L shows {loss}, {total:,} / ({count} · {PIXEL_MAX}²) is {expected_loss}")
            colour = scene.theme.l_colour(loss)
            if fraction.value.colour.to_hex() != colour.to_hex():
                found.append(f"L = {loss} is drawn in {fraction.value.colour.to_hex()}, its level's colour is "
                             f"{colour.to_hex()}")

    # The worked pixel, lifted out of the three grids.
    row = getattr(scene, "worked_row", None)
    if row is not None and seen(row):
        real, guess, error = (number(copy[1]) for copy in row[:3])
        if error != real - guess:
            found.append(f"worked pixel: {real} − {guess} shows {error}")
    square = getattr(scene, "worked_square", None)
    if square is not None and seen(square):
        base, value = square.text.replace("−", "-").replace(",", "").split("=")
        base = int(base.rstrip("²").strip("()"))
        if int(value) != base**2:
            found.append(f"worked square: {square.text} is not {base}²")
        if row is not None and seen(row) and base != number(row[2][1]):
            found.append(f"worked square {square.text} does not square the worked error {number(row[2][1])}")

    # "Why square": this image's errors added with their signs, and squared.
    cancel = getattr(scene, "cancel", None)
    if errors is not None and cancel is not None and hasattr(cancel, "signed"):
        values = shown.reshape(-1)[:passed]
        for readout, expected, name in ((cancel.sizes, int(np.abs(values).sum()), "errors' sizes"),
                                        (cancel.signed, int(values.sum()), "signed errors"),
                                        (cancel.squares, int((values**2).sum()), "squared errors")):
            if seen(readout) and number(readout) != expected:
                found.append(f"the {name} add to {expected:,}, the total shows {number(readout):,}")
    return found
