"""The segment before, replayed: played without drawing a frame, for the scene that opens on its last frame.

``replay`` plays a scene class through without drawing. ``replayed`` gives its end as a ``Replayed``: the
scene's class and name, its last frame's mobjects and the mobjects it holds as attributes (what the next
scene picks up). The replay is made once per process and frame and handed out as copies: a worker drawing
a segment's beats one by one would otherwise replay the segment before for every beat. Given where replays
are kept between processes (``Kept``: the pipeline keeps them in its cache), a new process loads the replay
another one made instead of playing the scene again.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from typing import Any, Protocol

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

    def copy(self) -> Replayed:
        """A copy of it all: the copies share what the originals share."""
        return copy.deepcopy(self)

    def __getattr__(self, name: str) -> Any:  # a name the scene never held: as the scene would say
        raise AttributeError(f"{vars(self).get('scene_name', 'the replay')} holds no {name!r}")


def _holds_mobjects(value: Any) -> bool:
    """A mobject, or a list, tuple or dict of them."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
    return bool(items) and all(isinstance(item, Mobject) for item in items)


class Kept(Protocol):
    """Where one replay is kept between processes: ``load`` gives it (None when it is not there), ``save`` keeps it."""

    def load(self) -> Replayed | None: ...

    def save(self, replayed: Replayed) -> None: ...


_REPLAYS: dict[Hashable, Replayed] = {}  # replays kept by ``replayed`` (never handed out themselves)
KEPT_REPLAYS = 8  # the most kept at once (a video has a few segments; the oldest kept goes first)


def replayed(scene_class: type[Scene], params: SceneParams | None, seed: int,
             theme_name: str = "paper", kept: Kept | None = None) -> Replayed:
    """``replay``'s end as a copy, the replay made once per process and frame (or loaded from ``kept``, and
    saved there when made). A replay that leaves updaters (functions that may point at its own mobjects) is
    neither kept nor saved, and is handed out itself."""
    key = (scene_class, None if params is None else params.model_dump_json(), seed, theme_name,
           config.pixel_width, config.pixel_height, config.frame_width, config.frame_height, config.frame_rate)
    original = _REPLAYS.get(key)
    if original is None:
        original = kept.load() if kept is not None else None
        if original is None:
            scene = replay(scene_class, params, seed, theme_name)
            original = Replayed(scene, copied=False)
            if any(member.updaters for top in scene.mobjects for member in top.get_family()):
                return original
            if kept is not None:
                kept.save(original)
        _REPLAYS[key] = original
        while len(_REPLAYS) > KEPT_REPLAYS:
            del _REPLAYS[next(iter(_REPLAYS))]
    return original.copy()
