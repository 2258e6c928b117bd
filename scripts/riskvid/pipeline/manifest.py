"""manifest.json: what each segment clip and the full video are, and how they were made.

Everything in it comes from the timeline and the render records; no file is probed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from riskvid.config.model import Config
    from riskvid.files import Layout
    from riskvid.pipeline.render import Rendered
    from riskvid.pipeline.timeline import Timeline


class ProgrammeSound(Protocol):
    """What the manifest reads of the programme's sound (riskvid.pipeline.assemble.Sound)."""

    @property
    def silent(self) -> bool: ...

    @property
    def loudness(self) -> dict[str, Any]: ...


def build_manifest(config: Config, timeline: Timeline, rendered: list[Rendered], clips: list[Path], video: Path,
                   sound: ProgrammeSound, layout: Layout) -> dict[str, Any]:
    """The manifest as a dict (see the README for its fields)."""
    segments = []
    for offset, segment, picture, clip in zip(timeline.offsets(), timeline.segments, rendered, clips):
        fps = timeline.fps
        made = {beat.name: beat for beat in picture.beats}
        status = "reused" if picture.reused else "rendered"
        segments.append({
            "id": segment.plan.id,
            "title": segment.plan.title,
            "scene": segment.plan.scene,
            "file": clip.relative_to(layout.root).as_posix(),
            "captions": clip.with_suffix(".srt").relative_to(layout.root).as_posix(),
            "start": round(offset, 3),
            "duration": round(segment.seconds, 3),
            "frames": segment.frames,
            "fps": fps,
            "resolution": [picture.job.frame.width, picture.job.frame.height],
            "cache_key": picture.job.key,
            "status": status,
            "render_seconds": round(picture.render_seconds, 2),
            "beats": [
                {"name": beat.name, "start": round(beat.start / fps, 3), "end": round(beat.end / fps, 3),
                 "status": made[beat.name].status if beat.name in made else status,
                 "render_seconds": round(made[beat.name].render_seconds, 2) if beat.name in made else 0.0,
                 "lines": [{"id": line.id, "text": line.text, "start": round(line.start, 3), "end": round(line.end, 3)}
                           for line in beat.lines]}
                for beat in segment.beats
            ],
        })
    manifest = {
        "id": config.id,
        "title": config.title,
        "segments": segments,
        "video": {"file": video.name, "duration": round(timeline.seconds, 3), "frames": timeline.frames},
        "sound": None if sound.silent else {"sample_rate": 48000, "channels": 2, "codec": "aac",
                                            "loudness_lufs": sound.loudness["integrated"],
                                            "true_peak_dbtp": sound.loudness["true_peak"]},
    }
    return manifest
