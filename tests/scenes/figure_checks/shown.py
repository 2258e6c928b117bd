"""What the figure checks read off the screen: whether a mobject is seen, and the number a read-out or text shows."""

from __future__ import annotations

from manim import Mobject

from scenes.parts.readout import Readout
from tests.scenes.helpers import visible


def seen(scene, mobject: Mobject | None) -> bool:
    """Whether ``mobject`` is on ``scene`` now and some part of it is drawn visibly."""
    if mobject is None:
        return False
    family = {id(member) for top in scene.mobjects for member in top.get_family()}
    return any(id(part) in family and visible(part) for part in mobject.get_family())


def number(mobject) -> float:
    """The number ``mobject`` shows: a Readout's text as drawn, or a Text's (e.g. a chip's "0.84")."""
    text = mobject.text_for(mobject.value) if isinstance(mobject, Readout) else mobject.text
    return float(text.replace(",", "").replace("−", "-").replace("n=", "").replace("÷", ""))


def meter_problem(meter, name: str) -> str | None:
    """A MistakeMeter whose bar does not fill the track as far as its number says (to the number's rounding)."""
    shown = number(meter.number)
    fill = meter.bar.width / meter.track.width if meter.bar.width > 2e-3 else 0.0
    if abs(fill - shown) > 0.005 + 1e-3:
        return f"{name}: the meter reads {shown:.2f} but its bar fills {fill:.3f} of the track"
    return None
