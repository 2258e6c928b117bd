"""The segment before, replayed: played without drawing a frame, for the scene that opens on its last frame.

``replay`` plays a scene class through without drawing. ``replayed`` gives its end as a ``Replayed``: the
scene's class and name, its last frame's mobjects and the mobjects it holds as attributes (what the next
scene picks up). The replay is made once per process and frame and handed out as copies: a worker drawing
a segment's beats one by one would otherwise replay the segment before for every beat.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from typing import Any

from manim import Mobject, Scene, config

from scenes.fields import SceneParams


def replay(scene_class: type[Scene], params: SceneParams | None, seed: int,
           theme_name: str = "paper") -> Scene:
    """Play ``scene_class`` without drawing a frame (in theme ``theme_name``); return it, its last frame's
    mobjects in ``.mobjects``."""
    scene = scene_class(params=params, seed=seed, theme_name=theme_name, skip_animations=True)
    scene.render()
    return scene


class Replayed:
    """A segment as its replay ends: its scene class and name, its last frame's mobjects (``mobjects``) and
    the mobjects it holds as attributes (``leaves``: what the next scene picks up), as they were there."""

    def __init__(self, scene: Scene, copied: bool):
        """``scene``'s end, copied (the copies share what the originals share) or (not ``copied``) itself."""
        internal = {"mobjects", "foreground_mobjects", "moving_mobjects", "static_mobjects", "opening"}
        held = {name: value for name, value in vars(scene).items() if name not in internal and _holds_mobjects(value)}
        memo: dict[int, Any] = {}

        def take(value: Any) -> Any:
            return copy.deepcopy(value, memo) if copied else value

        self.scene_class: type[Scene] = type(scene)
        self.scene_name: str = getattr(scene, "scene_name", "")
        self.mobjects: list[Mobject] = take(list(scene.mobjects))
        for name, value in held.items():
            setattr(self, name, take(value))

    def __getattr__(self, name: str) -> Any:  # a name the scene never held: as the scene would say
        raise AttributeError(f"{self.scene_name} holds no {name!r}")


def _holds_mobjects(value: Any) -> bool:
    """A mobject, or a list, tuple or dict of them."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
    return bool(items) and all(isinstance(item, Mobject) for item in items)


_REPLAYS: dict[Hashable, Scene] = {}  # replays kept by ``replayed``, never handed out themselves
KEPT_REPLAYS = 8  # the most kept at once (a video has a few segments; the oldest kept goes first)


def replayed(scene_class: type[Scene], params: SceneParams | None, seed: int,
             theme_name: str = "paper") -> Replayed:
    """``replay``'s end as a copy, the replay made once per process and frame. A replay that leaves updaters
    (functions that may point at its own mobjects) is not kept, and is handed out itself."""
    key = (scene_class, None if params is None else params.model_dump_json(), seed, theme_name,
           config.pixel_width, config.pixel_height, config.frame_width, config.frame_height, config.frame_rate)
    scene = _REPLAYS.get(key)
    if scene is None:
        scene = replay(scene_class, params, seed, theme_name)
        if any(member.updaters for top in scene.mobjects for member in top.get_family()):
            return Replayed(scene, copied=False)
        _REPLAYS[key] = scene
        while len(_REPLAYS) > KEPT_REPLAYS:
            del _REPLAYS[next(iter(_REPLAYS))]
    return Replayed(scene, copied=True)
