"""A faster ``Mobject.copy``, and a renderer that draws nothing while it skips.

manim copies a mobject with ``copy.deepcopy`` of every attribute, each through deepcopy's generic
dispatch: a Transform's start and target, a FadeIn's faded copy, ``generate_target``. About half
of replaying a segment without drawing went there, and a tenth of drawing a frame. ``deep_copy``
makes the same copy (the same types, equal values, nothing shared with the original, what the
original shares shared in the copy) taking the common attribute types directly: numbers, strings,
enums, paths and None as they are; number arrays and colours copied; lists, dicts, tuples and
mobjects item by item; anything else still goes through ``copy.deepcopy``. ``install()`` puts it in
place of ``Mobject.__deepcopy__``.

manim's Cairo renderer draws a skipped play's static and last frames anyway (``update_frame``
ignores skipping by default); ``QuietRenderer`` does not, so a replay draws nothing at all.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import numpy as np
from manim import Mobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.color import ManimColor

M = TypeVar("M", bound=Mobject)
MANIMS_DEEPCOPY = Mobject.__deepcopy__  # what ``install`` replaces
_AS_THEY_ARE = {int, float, bool, str, bytes, type(None), np.float64, np.float32, np.int64, np.bool_}  # + enums met
_PATHS = frozenset({type(Path()), PurePosixPath})


def _value(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value, memo)``, the common types taken directly. (What is memoised is always reachable
    from the original being copied, so, unlike deepcopy's own, it needs no keeping alive.)"""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    if kind is np.ndarray and value.dtype != object:
        made: Any = value.copy()
    elif isinstance(value, Mobject) and kind.__deepcopy__ is deep_copy:
        return deep_copy(value, memo)
    elif kind is ManimColor:
        made = object.__new__(ManimColor)
        made.__dict__.update(value.__dict__)
        made._internal_value = value._internal_value.copy()
    elif kind is list:  # as deepcopy does: the copy is in the memo before its items are copied
        made = []
        memo[id(value)] = made
        made.extend([item if type(item) in _AS_THEY_ARE else _value(item, memo) for item in value])
        return made
    elif kind is dict:
        made = {}
        memo[id(value)] = made
        for key, item in value.items():
            made[_value(key, memo)] = _value(item, memo)
        return made
    elif kind is tuple:
        items = tuple(_value(item, memo) for item in value)
        made = value if all(a is b for a, b in zip(items, value)) else items  # deepcopy keeps an atomic tuple
    elif kind in _PATHS:
        return value  # immutable
    elif issubclass(kind, enum.Enum):
        _AS_THEY_ARE.add(kind)
        return value
    else:
        return copy.deepcopy(value, memo)
    memo[id(value)] = made
    return made


def deep_copy(self: M, memo: dict[int, Any]) -> M:
    """``Mobject.__deepcopy__`` (the same copy as manim's), faster."""
    result: M = object.__new__(self.__class__)
    memo[id(self)] = result
    atomic = _AS_THEY_ARE
    result.__dict__.update({key: value if type(value) in atomic else _value(value, memo)
                            for key, value in self.__dict__.items()})
    result.original_id = str(id(self))
    return result


def install() -> None:
    """Copy mobjects with ``deep_copy`` from now on (in this process)."""
    Mobject.__deepcopy__ = deep_copy


class QuietRenderer(CairoRenderer):
    """manim's Cairo renderer, drawing nothing while it skips animations (``picture`` draws on request)."""

    def picture(self, scene: Any) -> Any:
        """The scene's picture now (manim's PixelArray, RGBA), drawn even while skipping."""
        self.static_image = None
        CairoRenderer.update_frame(self, scene)
        return self.get_frame()

    def save_static_frame_data(self, scene: Any, static_mobjects: Iterable[Mobject]) -> Any:
        if self.skip_animations:
            self.static_image = None
            return None
        return super().save_static_frame_data(scene, static_mobjects)

    def update_frame(self, scene: Any, mobjects: Iterable[Mobject] | None = None, include_submobjects: bool = True,
                     ignore_skipping: bool = True, **kwargs: Any) -> None:
        if self.skip_animations:
            return
        super().update_frame(scene, mobjects, include_submobjects, ignore_skipping, **kwargs)
