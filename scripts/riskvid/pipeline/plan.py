"""Config → one render Job per segment, each with the cache key that says when it must re-render."""

import hashlib
import inspect
import json
from dataclasses import dataclass
from pathlib import Path

import manim

import riskmath
from scenes.registry import scene_classes, support_files


# x264 settings for segment clips: "veryfast" encodes ~1.5× faster than manim's default preset
# at the same quality target, and encoding is about half of a 1080p60 render.
ENCODER_OPTIONS = {"preset": "veryfast", "crf": "23"}


@dataclass(frozen=True)
class Layout:
    """Where a video's outputs live under the output folder."""

    root: Path

    @property
    def segments(self):
        return self.root / "segments"

    @property
    def cache(self):
        return self.root / ".cache"

    @property
    def work(self):
        return self.root / ".work"

    @property
    def manifest(self):
        return self.root / "manifest.json"

    def video(self, video_id):
        return self.root / f"{video_id}.mp4"


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one segment."""

    index: int
    segment_id: str
    title: str
    scene: str
    params_json: str
    narration: tuple
    seed: int
    width: int
    height: int
    fps: int
    cache_key: str

    @property
    def name(self):
        """The segment's file stem: NN-<id>."""
        return f"{self.index:02d}-{self.segment_id}"


def plan(config, quality=None):
    """One Job per segment of ``config``, in order."""
    width, height, fps = config.frame_settings(quality)
    jobs = []
    for index, segment in enumerate(config.segments, start=1):
        params_json = segment.params.model_dump_json()
        narration = tuple((beat, tuple(lines)) for beat, lines in segment.narration.items())
        settings = {
            "scene": segment.scene,
            "params": json.loads(params_json),
            "narration": narration,
            "seed": config.seed,
            "frame": [width, height, fps],
            "encoder": ENCODER_OPTIONS,
        }
        key = cache_key(scene_classes()[segment.scene], settings)
        jobs.append(
            Job(
                index,
                segment.id,
                segment.chapter_title,
                segment.scene,
                params_json,
                narration,
                config.seed,
                width,
                height,
                fps,
                key,
            )
        )
    return jobs


def cache_key(scene_class, settings):
    """SHA-256 over the scene's code (and the theme and riskmath code it uses), its settings and manim."""
    digest = hashlib.sha256()
    digest.update(f"manim {manim.__version__}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for path in source_files(scene_class):
        digest.update(f"\n{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def source_files(scene_class):
    """The files whose content decides what ``scene_class`` draws."""
    own = Path(inspect.getsourcefile(scene_class))
    maths = sorted(Path(riskmath.__path__[0]).glob("*.py"))
    return [own, *support_files(), *maths]
