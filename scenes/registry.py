"""Finds every segment scene in the scenes package by its ``scene_name``."""

import functools
import importlib
import inspect
import pkgutil
from pathlib import Path

import scenes
from scenes.base import SegmentScene

SUPPORT_MODULES = {"base", "fields", "registry", "theme", "components"}


@functools.cache
def scene_classes():
    """``{scene_name: class}`` for every SegmentScene subclass defined in a scenes module."""
    found = {}
    for info in pkgutil.iter_modules(scenes.__path__):
        if info.name in SUPPORT_MODULES or info.name.startswith("_"):
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


def support_files():
    """Source files every scene depends on (theme, base, shared components) besides its own."""
    root = Path(scenes.__path__[0])
    return sorted(p for p in root.glob("*.py") if p.stem in SUPPORT_MODULES or p.stem == "__init__")
