"""The studio's build, in a process of its own: the timeline first, then ``riskvid render``.

The timeline (every beat, line and word, with their times in the video) is made from the voice and
timing stages and written to ``.cache/studio/timeline.json`` before the pictures render, so the page
shows the beats that are about to render. The render is the command line's own, so a bad config
stops it with the very line ``riskvid render`` prints. Lines for the studio start with ``studio:``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from riskvid import cli
from riskvid.cluster import open_workers
from riskvid.config.load import allowed_root
from riskvid.errors import RiskvidError
from riskvid.files import folder_lock, make_folders, write_json
from riskvid.narration import make_timeline, read_takes, voices_and_timing
from riskvid.pipeline.timeline import Timeline
from riskvid.progress import Progress
from riskvid.run import Options, prepare, work_folder
from riskvid.studio.waveform import write_peaks


def studio_folder(root: Path) -> Path:
    """Where the studio keeps what it made for a video (under its output folder's cache)."""
    return root / ".cache" / "studio"


def timeline_json(timeline: Timeline, quality: str, frame: tuple[int, int, int]) -> dict[str, Any]:
    """The timeline as plain data, every time in seconds from the video's start."""
    fps = timeline.fps
    segments = []
    for offset, segment in zip(timeline.offsets(), timeline.segments):
        beats = [{
            "name": beat.name,
            "start": round(offset + beat.start / fps, 3),
            "end": round(offset + beat.end / fps, 3),
            "frames": beat.end - beat.start,
            "lines": [{"id": line.id, "text": line.text, "start": round(offset + line.start, 3),
                       "end": round(offset + line.end, 3),
                       "words": [{"text": word.text, "start": round(offset + word.start, 3),
                                  "end": round(offset + word.end, 3)} for word in line.words]}
                      for line in beat.lines],
        } for beat in segment.beats]
        segments.append({"id": segment.plan.id, "name": segment.plan.name, "title": segment.plan.title,
                         "scene": segment.plan.scene, "start": round(offset, 3),
                         "end": round(offset + segment.seconds, 3), "beats": beats})
    cues = [{"start": cue.start, "end": cue.end, "text": cue.text} for cue in timeline.cues()]
    return {"fps": fps, "duration": round(timeline.seconds, 3), "quality": quality, "frame": list(frame),
            "segments": segments, "cues": cues}


def write_timeline(config_path: Path, options: Options) -> Path:
    """Stages voice and timing (what ``render`` then reuses), and the timeline they make, as JSON."""
    video = prepare(config_path, options)
    progress = Progress.of(_say)
    takes = [read_takes(video.config, config_path, options, video.layout)]
    with contextlib.ExitStack() as stack:
        stack.enter_context(folder_lock(video.layout.root, allowed_root(config_path, options.root)))
        stack.enter_context(work_folder(video.layout))
        workers = stack.enter_context(open_workers(options.jobs))
        voiced = voices_and_timing([video], options, workers, progress, takes)[0]
    timeline = make_timeline(video.config, video.plans, voiced.naturals, voiced.spoken, video.frame.fps)
    folder = studio_folder(video.layout.root)
    make_folders(folder)
    frame = (video.frame.width, video.frame.height, video.frame.fps)
    write_json(folder / "timeline.json", timeline_json(timeline, options.quality or video.config.quality, frame))
    return video.layout.root


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m riskvid.studio.job", description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("--quality", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # workers stop as they do on Ctrl-C (cli.main does the same)
    options = Options(quality=args.quality, jobs=args.jobs, publish=False)
    root = None
    try:
        root = write_timeline(args.config, options)
        _say("studio: timeline")
    except (RiskvidError, OSError):
        pass  # the render below fails the same way and says it as the command line does
    except KeyboardInterrupt:
        return 128 + signal.SIGTERM
    status = cli.main(["render", str(args.config), "--quality", args.quality, "--jobs", str(args.jobs),
                       "--no-publish"])
    if status == 0 and root is not None:
        with contextlib.suppress(OSError, ValueError):
            write_peaks(root, studio_folder(root) / "waveform.json")
        _say("studio: done")
    return status


if __name__ == "__main__":
    sys.exit(main())
