"""Looking at a video without watching it: review sheets, a frame each second of every beat of every segment
(``riskvid stills``), and one scene's sheet while working on it (``python -m riskvid.stills``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from riskvid.cluster import open_workers
from riskvid.config.load import allowed_root, load_config
from riskvid.config.model import Frame
from riskvid.files import atomic_path, folder_lock, make_folders
from riskvid.narration import make_timeline, read_takes, voices_and_timing
from riskvid.pipeline.frames import Samples, sample_frames
from riskvid.pipeline.plan import SegmentPlan, plan_segments
from riskvid.pipeline.sheets import review_sheet
from riskvid.pipeline.timeline import SegmentTimeline
from riskvid.pipeline.timing import natural_beats
from riskvid.progress import Progress
from riskvid.run import Options, Video, layout_for, work_folder
from scenes.base import BeatTiming
from scenes.registry import scene_classes


def review(config_path: Path, options: Options | None = None, report: Callable[[str], None] = print,
           every: float = 1.0) -> list[Path]:
    """Review sheets: each segment rendered small, a frame every ``every`` seconds of each beat, one sheet each."""
    options = options or Options()
    config = load_config(config_path, options.root)
    layout = layout_for(config_path, config)
    plans = plan_segments(config)
    fps, size = 10, (480, 270)
    folder = layout.root / "review"
    takes = read_takes(config, config_path, options, layout)
    with folder_lock(layout.root, allowed_root(config_path, options.root)), work_folder(layout), \
            open_workers(options.jobs) as workers:
        video = Video(config_path, config, layout, plans, Frame(*size, fps), config.id)
        [voiced] = voices_and_timing([video], options, workers, Progress.of(report), [takes])
        timeline = make_timeline(config, plans, voiced.naturals, voiced.spoken, fps)
        make_folders(folder, layout.work)
        tasks = [SheetTask(segment, max(1, round(every * fps))) for segment in timeline.segments]
        sheets = []
        describe: Callable[[SheetTask], str] = lambda task: f"review of segment {task.segment.plan.id!r}"  # noqa: E731
        for task, samples in workers.run(_sample_task, tasks, describe, lambda _: layout.work, size, fps):
            target = folder / f"{task.segment.plan.name}.png"
            with atomic_path(target) as tmp:
                review_sheet(task.segment.plan.name, samples, fps, tmp, config.theme)
            report(f"review sheet {target.name}")
            sheets.append(target)
        shutil.rmtree(layout.work, ignore_errors=True)
    return sorted(sheets)


@dataclass(frozen=True)
class SheetTask:
    """A review sheet for a worker to sample: a segment of the timeline, a frame every ``step`` frames."""

    segment: SegmentTimeline
    step: int


def _sample_task(task: SheetTask, work_root: str, size: tuple[int, int], fps: int) -> Samples:
    """Worker: render ``task``'s segment small and sample its frames."""
    segment = task.segment
    return sample_frames(segment.plan, segment.timing(), size, fps, work_dir=f"{work_root}/{segment.plan.name}",
                         every=task.step)




def scene_sheets(scene: str, after: str | None, target: Path, every: float = 0.5, fps: int = 10,
                 size: tuple[int, int] = (480, 270), theme_name: str = "paper", seed: int = 316) -> Path:
    """Render one scene with its defaults at its own pace (after scene ``after``), a frame every ``every`` s.

    For working on a scene: ``python -m riskvid.stills pixels --after loss_bars --out /tmp/pixels.png``.
    """
    classes = scene_classes()
    previous = (after, classes[after].Params().model_dump_json()) if after else None
    plan = SegmentPlan(1, scene, scene, scene, classes[scene].Params().model_dump_json(), seed, theme_name, previous)
    with tempfile.TemporaryDirectory() as work:
        beats = natural_beats(plan, work)
        timing = {beat.name: BeatTiming(beat.frames(fps)) for beat in beats}
        samples = sample_frames(plan, timing, size, fps, work_dir=work, every=max(1, round(every * fps)))
    target.parent.mkdir(parents=True, exist_ok=True)
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
