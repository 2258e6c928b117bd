"""A run: what the command line asked (``Options``), each config read, checked and planned (``Video``),
what the run did (``Result``), and where a video's files go."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from riskvid.config.load import load_config, output_folder
from riskvid.config.model import Config, Frame
from riskvid.errors import InputError
from riskvid.files import Layout
from riskvid.pipeline.budget import Caps, check_frame
from riskvid.pipeline.plan import SegmentPlan, plan_segments


@dataclass(frozen=True)
class Options:
    """What the command line can change about a build."""

    quality: str | None = None  # a preset overriding the config's
    only: tuple[str, ...] = ()  # render just these segments (the rest are reused if still valid)
    jobs: int = os.cpu_count() or 1
    force: bool = False  # render every selected segment again
    publish: bool = True
    voice: str | None = None  # an engine overriding the config's ("none" for the silent version)
    render: bool = True  # False: use only what is rendered (riskvid publish)
    root: Path | None = None  # the folder outputs must stay in (default: $RISKVID_ROOT, else the config's)
    caps: Caps = field(default_factory=Caps.from_environment)  # the most a run may make
    scheduler: str | None = None  # a Dask scheduler's address: timing passes and renders go to its workers


@dataclass
class Result:
    """What a build did."""

    layout: Layout
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    video: Path | None = None
    seconds: float = 0.0  # the video's length
    published: list[Path] = field(default_factory=list)  # files (re)written by publish
    wall: float = 0.0


def layout_for(config_path: Path, config: Config) -> Layout:
    """Where ``config``'s outputs go: <output folder, relative to the config>/<video id>."""
    return Layout(output_folder(config_path, config) / config.id)


@dataclass
class Video:
    """One config of a run: read, checked and planned."""

    config_path: Path
    config: Config
    layout: Layout
    plans: list[SegmentPlan]
    frame: Frame
    label: str  # how progress names it: its id (its folder when ids repeat)


def prepare(config_path: Path, options: Options) -> Video:
    """Stages config and plan: the validated config, where it goes, its segments and its frame (within the caps);
    nothing is written."""
    config = load_config(config_path, options.root)
    layout = layout_for(config_path, config)
    plans = plan_segments(config)
    frame = config.frame_settings(options.quality)
    check_frame(frame.width, frame.height, len(plans), options.caps)
    return Video(config_path, config, layout, plans, frame, config.id)


def check_folders(videos: list[Video]) -> None:
    """Refuse two configs that would write into one folder; label videos whose ids repeat by their folder."""
    seen: dict[Path, Path] = {}
    for video in videos:
        root = Path(os.path.abspath(video.layout.root))
        if root in seen:
            raise InputError(f"{seen[root]} and {video.config_path} both render into {video.layout.root}: "
                             "give each its own id or output")
        seen[root] = video.config_path
    ids = [video.config.id for video in videos]
    for video in videos:
        if ids.count(video.config.id) > 1:
            video.label = _shown(video.layout.root)


def _shown(path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@contextlib.contextmanager
def work_folder(layout: Layout) -> Iterator[Path]:
    """The run's scratch folder, removed however the run ends (after its workers have stopped)."""
    try:
        yield layout.work
    finally:
        shutil.rmtree(layout.work, ignore_errors=True)


def check_only(only: tuple[str, ...], videos: list[Video]) -> None:
    """Refuse an --only id that no segment of these configs has."""
    known = [plan.id for video in videos for plan in video.plans]
    unknown = [name for name in only if name not in known]
    if unknown:
        where = ", ".join(str(video.config_path) for video in videos)
        raise InputError(f"--only: no segment {unknown[0]!r} in {where} (ids: {', '.join(dict.fromkeys(known))})")
