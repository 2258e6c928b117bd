"""Stage: each segment's clip and captions, the full video, the manifest, the contact sheet.

The sound (pipeline.sound) is made beside the render; here each clip joins its pictures and its beats'
sound by copying packets. Each file is remade only when what it is made from changed (files.Stamps);
a run with nothing changed reads no sound and writes no file.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskvid.files import Layout, Stamps, fingerprint, make_folders, read_json, write_json
from riskvid.pipeline.captions import to_srt
from riskvid.pipeline.mux import Cut, write_mp4
from riskvid.pipeline.render import Rendered, load_thumbnails
from riskvid.pipeline.sound import Sound
from riskvid.pipeline.timeline import Timeline

if TYPE_CHECKING:
    from riskvid.config.model import Config

CODE = fingerprint(*(Path(__file__).with_name(name) for name in ("assemble.py", "mux.py", "captions.py")))


@dataclass(frozen=True)
class Assembled:
    """What the assemble stage made: the segment clips, the full video, the sound."""

    rendered: list[Rendered]
    clips: list[Path]
    video: Path
    sound: Sound
    stamps: Stamps


def assemble(config: Config, timeline: Timeline, rendered: list[Rendered], layout: Layout, sound: Sound) -> Assembled:
    """Make (or keep) every segment clip with its captions, the full video, the manifest and contact sheet."""
    make_folders(layout.segments)
    stamps = Stamps(layout.cache / "stamps.json", layout.root)
    with ThreadPoolExecutor(1) as aside:  # the contact sheet is drawn while the clips are joined
        sheet = layout.root / "contact-sheet.png"
        drawn = aside.submit(stamps.make, sheet, fingerprint(CODE, config.theme, [p.job.key for p in rendered]),
                             lambda tmp: _contact_sheet(rendered, tmp, config.theme))
        clips, video = _clips_and_video(config, timeline, rendered, layout, sound, stamps)
        drawn.result()

    from riskvid.pipeline.manifest import build_manifest

    _write_if_changed(layout.manifest, build_manifest(config, timeline, rendered, clips, video, sound, layout))
    stamps.save()
    return Assembled(rendered, clips, video, sound, stamps)


def _clips_and_video(config: Config, timeline: Timeline, rendered: list[Rendered], layout: Layout, sound: Sound,
                     stamps: Stamps) -> tuple[list[Path], Path]:
    """Make (or keep) every segment clip with its captions, and the full video."""
    clips = []
    for offset, segment, picture in zip(timeline.offsets(), timeline.segments, rendered):
        clip = layout.segments / f"{segment.plan.name}.mp4"
        end = offset + segment.seconds
        key = fingerprint(CODE, picture.job.key, sound.part_key(offset, end))
        stamps.make(clip, key, lambda tmp: write_mp4(tmp, [Cut(picture.video)], sound.parts(offset, end)))
        captions = clip.with_suffix(".srt")
        stamps.make(captions, fingerprint(CODE, to_srt(segment.cues())),
                    lambda tmp: tmp.write_text(to_srt(segment.cues()), encoding="utf-8"))
        clips.append(clip)
    stamps.prune("segments")

    video = layout.video(config.id)
    key = fingerprint(CODE, [picture.job.key for picture in rendered], sound.part_key(0, timeline.seconds))
    stamps.make(video, key, lambda tmp: write_mp4(tmp, [Cut(picture.video) for picture in rendered],
                                                  sound.parts(0, timeline.seconds)))
    return clips, video


def _contact_sheet(rendered: list[Rendered], target: Path, theme: str) -> None:
    from riskvid.pipeline.sheets import contact_sheet

    contact_sheet([(picture.job.segment.name, load_thumbnails(picture)) for picture in rendered], target, theme)


def _write_if_changed(path: Path, data: dict[str, Any]) -> None:
    if read_json(path) != data:
        write_json(path, data)
