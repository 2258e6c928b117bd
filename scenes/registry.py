"""Finds every segment scene in the scenes package by its ``scene_name``, and the code each depends on."""

import functools
import importlib
import inspect
import pkgutil
from pathlib import Path

import scenes
from scenes.base import SegmentScene


@functools.cache
def scene_classes() -> dict[str, type[SegmentScene]]:
    """``{scene_name: class}`` for every SegmentScene subclass defined in a scenes module."""
    found = {}
    for info in pkgutil.iter_modules(scenes.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"scenes.{info.name}")
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, SegmentScene)
                and obj.__module__ == module.__name__
                and obj.scene_name
            ):
                found[obj.scene_name] = obj
    return found


def scene_file(scene_class: type[SegmentScene]) -> Path:
    """The module file that defines ``scene_class``."""
    return Path(inspect.getsourcefile(scene_class))


def support_files() -> list[Path]:
    """Every file of the scenes package that defines no scene: what all scenes may share.

    Derived, not listed: a new shared module counts the moment it exists.
    """
    own = {scene_file(cls) for cls in scene_classes().values()}
    root = Path(scenes.__path__[0])
    return sorted(path for path in root.glob("*.py") if path not in own)
