"""What `check` accepts renders: sampled params of every scene, from their own bounds, played at a tiny size.

Params are drawn from each scene's params model (every field within its bounds, edges included);
what the model refuses is what `check` refuses, and everything it accepts must play to the end. A
refused draw does not count: each scene plays three accepted sets (21 renders; drawing five and
skipping the refused rendered 19, one of them for the formula).
"""

import types
import typing

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from manim import tempconfig
from pydantic import BaseModel, ValidationError

from riskvid.pipeline.render import manim_settings
from scenes.registry import scene_classes

pytestmark = pytest.mark.slow  # a dozen renders of every scene with generated params: the full suite only

TEXTS = ["A", "Learn 🚀 & <b>", "x" * 40, "a long line of words " * 6]


def bounds(metadata):
    found = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            if getattr(item, name, None) is not None:
                found[name] = getattr(item, name)
    return found


def strategy(annotation, metadata=()):
    """A hypothesis strategy for a params field's type and bounds."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    limits = bounds(metadata)
    if origin is typing.Annotated:
        return strategy(args[0], [*args[1:], *metadata])
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy(arg, metadata) for arg in args))
    if annotation is type(None):
        return st.none()
    if origin is typing.Literal:
        return st.sampled_from(args)
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        low = limits.get("ge", limits.get("gt", -5))
        high = limits.get("le", limits.get("lt", 5))
        if annotation is int:
            return st.sampled_from(sorted({int(low), int(high), int((low + high) // 2)}))
        return st.one_of(st.sampled_from([float(low), float(high)]), st.floats(low, high))
    if annotation is str:
        pattern = next((getattr(m, "pattern", None) for m in metadata if getattr(m, "pattern", None)), None)
        if pattern and "0-9a-fA-F" in pattern:
            return st.sampled_from(["#000000", "#ffffff", "#c8401a"])
        longest = limits.get("max_length", 300)
        return st.sampled_from([text[:longest] for text in TEXTS])
    if origin in (list, tuple):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return st.tuples(*(strategy(arg) for arg in args))
        item = strategy(args[0])
        return st.lists(item, min_size=limits.get("min_length", 0), max_size=min(limits.get("max_length", 4), 4))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_strategy(annotation)
    raise NotImplementedError(f"no strategy for {annotation!r}")


def model_strategy(model):
    fields = {name: strategy(field.annotation, field.metadata) for name, field in model.model_fields.items()}
    return st.fixed_dictionaries({}, optional=fields)


SCENES = sorted(scene_classes())


@pytest.mark.parametrize("scene_name", SCENES)
@settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_accepted_params_plays_to_the_end(scene_name, data, tmp_path_factory):
    cls = scene_classes()[scene_name]
    raw = data.draw(model_strategy(cls.Params))
    try:
        params = cls.Params.model_validate(raw)
    except ValidationError:
        params = None
    assume(params is not None)  # refused by check, never rendered: hypothesis draws another until 3 render
    work = tmp_path_factory.mktemp("params")
    with tempconfig(manim_settings(work, 128, 72, 2, write_to_movie=False)):
        scene = cls(params=params, seed=3, skip_animations=True)
        scene.render()
    assert scene.beat_log and [record.name for record in scene.beat_log] == list(cls.beats)
