"""Looking at a video without watching it: frames sampled through each beat, review sheets, a contact sheet.

``sample_frames`` renders a segment for real (small, at a low frame rate, nothing encoded) and
keeps frames at chosen points of each beat; ``review`` lays them out, one sheet per segment, so
the motion can be read frame by frame. ``contact_sheet`` is one labelled cell per beat.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

THUMB_SIZE = (480, 270)
COLUMNS = 4
MARGIN = 16
LABEL_HEIGHT = 30


def final_frame(scene_class, params, seed: int, size: tuple[int, int], work_dir, theme_name: str = "paper") -> np.ndarray:
    """The last frame of a scene (RGB), drawn without rendering a movie."""
    from manim import tempconfig

    from riskvid.pipeline.render import manim_settings

    with tempconfig(manim_settings(work_dir, size[0], size[1], 15, write_to_movie=False)):
        scene = scene_class(params=params, seed=seed, theme_name=theme_name, skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        return np.asarray(scene.renderer.get_frame())[:, :, :3].copy()


def sample_frames(plan, timing: dict, size: tuple[int, int], fps: int, shares: tuple[float, ...] = (0.5, 1.0),
                  work_dir: str = ".", every: int | None = None) -> dict[str, list[tuple[float, np.ndarray]]]:
    """Render ``plan``'s segment small with ``timing`` and keep, per beat, its frames at ``shares`` of it
    (or one every ``every`` frames).

    ``timing`` maps each beat to its scenes.base.BeatTiming at ``fps``; nothing is encoded.
    """
    from riskvid.pipeline.render import play_segment
    from riskvid.pipeline.taps import SampleTap

    tap = SampleTap({beat: planned.frames for beat, planned in timing.items()}, shares, every)
    play_segment(plan, timing, size[0], size[1], fps, work_dir, taps=[tap])
    return tap.samples


def review_sheet(name: str, samples: dict[str, list[tuple[float, np.ndarray]]], fps: int, target: Path,
                 theme: str = "paper") -> None:
    """A sheet of ``samples`` (a segment's frames through each beat), each labelled "beat · share"."""
    cells = [(f"{beat} · {share:.0%}", frame) for beat, frames in samples.items() for share, frame in frames]
    _sheet(cells, target, theme)


def contact_sheet(segments: list[tuple[str, list[tuple[str, np.ndarray]]]], target: Path, theme: str = "paper") -> None:
    """Write a grid of every beat still to ``target`` (PNG), each labelled "segment · beat".

    ``segments`` is [(segment name, [(beat, RGB array)])] in playing order.
    """
    _sheet([(f"{name} · {beat}", frame) for name, stills in segments for beat, frame in stills], target, theme)


def _sheet(cells: list[tuple[str, np.ndarray]], target: Path, theme: str = "paper") -> None:
    from scenes.palette import colours

    palette = colours(theme)
    background, label_colour = palette["page3"], palette["ink2"]
    width, height = THUMB_SIZE
    rows = max(1, -(-len(cells) // COLUMNS))
    sheet = Image.new(
        "RGB",
        (MARGIN + COLUMNS * (width + MARGIN), MARGIN + rows * (height + LABEL_HEIGHT + MARGIN)),
        background,
    )
    draw = ImageDraw.Draw(sheet)
    font = _label_font()
    for index, (label, frame) in enumerate(cells):
        x = MARGIN + (index % COLUMNS) * (width + MARGIN)
        y = MARGIN + (index // COLUMNS) * (height + LABEL_HEIGHT + MARGIN)
        sheet.paste(Image.fromarray(np.asarray(frame)[:, :, :3]).resize(THUMB_SIZE), (x, y))
        draw.text((x, y + height + 6), label, fill=label_colour, font=font)
    sheet.save(target, format="PNG", optimize=True)


def _label_font():
    from scenes import theme

    try:
        family = theme.font("mono")
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True)
        return ImageFont.truetype(path.stdout, 18)
    except (OSError, subprocess.CalledProcessError):
        return ImageFont.load_default()


def scene_sheets(scene: str, after: str | None, target: Path, every: float = 0.5, fps: int = 10,
                 size: tuple[int, int] = (480, 270), theme_name: str = "paper", seed: int = 316) -> Path:
    """Render one scene with its defaults at its own pace (after scene ``after``), a frame every ``every`` s.

    For working on a scene: ``python -m riskvid.stills pixels --after loss_bars --out /tmp/pixels.png``.
    """
    import tempfile

    from riskvid.pipeline.plan import SegmentPlan
    from riskvid.pipeline.timing import natural_beats
    from scenes.base import BeatTiming
    from scenes.registry import scene_classes

    classes = scene_classes()
    previous = (after, classes[after].Params().model_dump_json()) if after else None
    plan = SegmentPlan(1, scene, scene, scene, classes[scene].Params().model_dump_json(), seed, theme_name, previous)
    with tempfile.TemporaryDirectory() as work:
        beats = natural_beats(plan, work)
        timing = {beat.name: BeatTiming(beat.frames(fps)) for beat in beats}
        samples = sample_frames(plan, timing, size, fps, work_dir=work, every=max(1, round(every * fps)))
    review_sheet(scene, samples, fps, target)
    return target


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m riskvid.stills", description=scene_sheets.__doc__)
    parser.add_argument("scene")
    parser.add_argument("--after", help="the scene before it (its last frame is where this one opens)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--every", type=float, default=0.5)
    parser.add_argument("--theme", default="paper")
    args = parser.parse_args(argv)
    print(scene_sheets(args.scene, args.after, args.out, args.every, theme_name=args.theme))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
