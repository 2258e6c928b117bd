"""A scene's final state: played without drawing (every beat jumps to its end), its last frame drawn once.

For checking that a scene ends the same whatever segment came before it (``previous``), and what
is left on screen for the next one.
"""

from __future__ import annotations

import numpy as np
from manim import tempconfig

from scenes import theme
from tests.conftest import tiny_settings

SIZE = {"pixel_width": 256, "pixel_height": 144, "write_to_movie": False}


def final(scene_class, media_dir, params=None, previous=None, theme_name="paper", seed=316):
    """``scene_class`` played to its end; ``.last_frame`` is its last picture (RGB)."""
    with tempconfig(tiny_settings(media_dir, **SIZE)):
        scene = scene_class(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        scene.last_frame = np.asarray(scene.renderer.get_frame())[:, :, :3].copy()
    theme.use("paper")
    return scene


def same_picture(first, second, tolerance=3):
    """Whether two scenes' last frames agree to within ``tolerance`` per channel (antialiasing)."""
    return np.abs(first.last_frame.astype(int) - second.last_frame.astype(int)).max() <= tolerance
