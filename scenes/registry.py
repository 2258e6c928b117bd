"""Finds the segment scenes (the modules of ``scenes.segments``) by ``scene_name``, and the thumbnail apart.

A segment is a SegmentScene subclass defined in ``scenes.segments`` (a module, or a folder whose
``scene.py`` holds the scene beside its own parts). The thumbnail is a scene but not a segment:
``thumbnail_scene()`` finds it, and ``scene_classes()`` never lists it. ``hand_over_problem(previous,
scene)`` (from scenes.base) says in one line what is wrong when ``scene`` follows ``previous``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil

import scenes.segments
from scenes.base import SegmentScene, hand_over_problem

__all__ = ["hand_over_problem", "scene_classes", "thumbnail_scene"]


@functools.cache
def scene_classes() -> dict[str, type[SegmentScene]]:
    """``{scene_name: class}`` of every segment scene: each SegmentScene subclass defined in ``scenes.segments``."""
    found: dict[str, type[SegmentScene]] = {}
    for info in pkgutil.walk_packages(scenes.segments.__path__, prefix="scenes.segments."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, SegmentScene)
                and obj.__module__ == module.__name__
                and obj.scene_name
            ):
                if obj.scene_name in found:
                    raise RuntimeError(f"two segment scenes are named {obj.scene_name!r}: "
                                       f"{found[obj.scene_name]} and {obj}")
                found[obj.scene_name] = obj
    return found


def thumbnail_scene() -> type[SegmentScene]:
    """The thumbnail's scene (``scenes.thumbnail.ThumbnailScene``): a still, not a segment of the video."""
    from scenes.thumbnail import ThumbnailScene

    return ThumbnailScene
