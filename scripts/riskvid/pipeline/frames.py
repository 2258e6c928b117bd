"""Frames drawn without encoding a movie: a scene's last frame, and frames sampled through each beat of a segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.render import manim_settings, play_segment
from riskvid.pipeline.taps import SampleTap
from scenes.base import BeatTiming, SegmentScene

RGB = NDArray[np.uint8]
Samples = dict[str, list[tuple[float, RGB]]]  # per beat: (share of the beat, frame)


def final_frame(scene_class: type[SegmentScene], params: Any, seed: int, size: tuple[int, int], work_dir: str | Path,
                theme_name: str = "paper") -> RGB:
    """The last frame of a scene (RGB), drawn without rendering a movie."""
    from manim import tempconfig

    with tempconfig(manim_settings(work_dir, size[0], size[1], 15, write_to_movie=False)):
        scene = scene_class(params=params, seed=seed, theme_name=theme_name, skip_animations=True)
        scene.render()
        # manim's PixelArray says int64; the camera's pixels are uint8
        return np.asarray(scene.renderer.picture(scene))[:, :, :3].copy()


def sample_frames(plan: SegmentPlan, timing: dict[str, BeatTiming], size: tuple[int, int], fps: int,
                  shares: tuple[float, ...] = (0.5, 1.0), work_dir: str = ".", every: int | None = None) -> Samples:
    """Render ``plan``'s segment small with ``timing`` and keep, per beat, its frames at ``shares`` of it
    (or one every ``every`` frames).

    ``timing`` maps each beat to its scenes.base.BeatTiming at ``fps``; nothing is encoded.
    """
    tap = SampleTap({beat: planned.frames for beat, planned in timing.items()}, shares, every)
    play_segment(plan, timing, size[0], size[1], fps, work_dir, taps=[tap])
    return tap.samples
