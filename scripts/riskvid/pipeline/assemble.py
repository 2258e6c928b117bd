"""Stage: the sound mix, each segment's clip and captions, the full video, the manifest, the contact sheet.

The mix places every spoken line at its timeline time, is gently compressed and normalised as one
programme (−14 LUFS integrated, true peak ≤ −1 dBTP). Each file is remade only when what it is made from
changed (files.Stamps); a run with nothing changed reads no sound and writes no file.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from riskvid.files import Layout, Stamps, atomic_path, fingerprint, make_folders, read_json, write_json
from riskvid.pipeline.aac import AAC_FRAME
from riskvid.pipeline.audio import SAMPLE_RATE
from riskvid.pipeline.captions import to_srt
from riskvid.pipeline.mux import Cut, write_mp4
from riskvid.pipeline.render import Rendered, load_thumbnails
from riskvid.pipeline.timeline import Timeline

if TYPE_CHECKING:
    from riskvid.config.model import Config

TARGET_LUFS = -14.0
CEILING_DBTP = -1.0
CODE = fingerprint(*(Path(__file__).with_name(name) for name in ("assemble.py", "mux.py", "audio.py", "aac.py",
                                                                 "captions.py")))


class Sound:
    """The programme's sound: every line at its time, normalised as a whole; built only when needed.

    ``encode_aside()`` encodes it (beat by beat) in a thread while the pictures render; ``parts``
    then hands out the encoded beats.
    """

    def __init__(self, timeline: Timeline, cache: Path):
        self.timeline = timeline
        self.placements = [
            (offset + line.start, line.audio)
            for offset, segment in zip(timeline.offsets(), timeline.segments)
            for line in segment.lines
            if line.audio is not None
        ]
        self.key = fingerprint(CODE, timeline.frames, timeline.fps,
                               [(round(start, 6), Path(audio).name) for start, audio in self.placements])
        self.file = cache / "sound" / f"mix-{self.key}.npy"
        self.record = cache / "sound" / f"mix-{self.key}.json"

    @property
    def silent(self) -> bool:
        return not self.placements

    @functools.cached_property
    def loudness(self) -> dict[str, Any]:
        """The normalised mix's measured loudness: integrated (LUFS), true peak (dBTP), gain (dB)."""
        stored = read_json(self.record)
        if isinstance(stored, dict) and self.file.is_file() and {"integrated", "true_peak", "gain_db"} <= stored.keys():
            return stored
        self._build()
        built: dict[str, Any] = read_json(self.record)
        return built

    @functools.cached_property
    def pcm(self) -> NDArray[np.float32]:
        """The normalised programme, (samples, 2) float32 at 48 kHz."""
        self.loudness  # noqa: B018  (builds the mix if it is not cached)
        try:
            stored: NDArray[np.float32] = np.load(self.file, allow_pickle=False)
            return stored
        except (OSError, ValueError):
            return self._build()

    def _build(self) -> NDArray[np.float32]:
        from riskvid.pipeline import audio

        pcm = audio.mix(((start, audio.read_speech(Path(path))) for start, path in self.placements),
                        self.timeline.seconds)
        pcm, measured = audio.normalise(audio.compress(pcm), TARGET_LUFS, CEILING_DBTP)
        make_folders(self.file.parent)
        for old in self.file.parent.glob("mix-*"):
            old.unlink()
        with atomic_path(self.file) as tmp, open(tmp, "wb") as handle:
            np.save(handle, pcm.astype(np.float32))
        write_json(self.record, {"integrated": round(measured.integrated, 2), "true_peak": round(measured.true_peak, 2),
                                 "gain_db": round(measured.gain_db, 2)})
        self.__dict__["pcm"] = pcm
        return pcm

    def part_key(self, start: float, end: float) -> str:
        """What the mix from ``start`` to ``end`` is made of (changes when that part's sound could)."""
        if self.silent:
            return "silent"
        first, last = self.samples(start, end)
        lines = [(round(at * SAMPLE_RATE) - first, Path(path).name) for at, path in self.placements
                 if start - 1 < at < end]
        return fingerprint(CODE, last - first, self.loudness["gain_db"], lines)

    def samples(self, start: float, end: float) -> tuple[int, int]:
        """The programme's samples [first, last) that carry the sound from ``start`` to ``end`` (s).

        Both ends are on the grid of whole AAC frames (1024 samples from the programme's start),
        except the programme's own end: parts joined one after the other then tile the programme
        with whole frames, so the sound a player decodes stays on the picture's clock. (A part
        cut at a beat's exact end would close on a short frame that still decodes 1024 samples:
        each join would push the rest of the sound up to 21 ms later, 0.6 s by the end of a
        six-minute video.) A part's sound is at most half a frame (10.7 ms) off its picture.
        """
        total = round(self.timeline.seconds * SAMPLE_RATE)

        def on_grid(seconds: float) -> int:
            return min(total, round(seconds * SAMPLE_RATE / AAC_FRAME) * AAC_FRAME)

        return on_grid(start), total if end >= self.timeline.seconds - 1e-6 else on_grid(end)

    @functools.cached_property
    def beat_spans(self) -> list[tuple[float, float]]:
        """Every beat's (start, end) in seconds of the video, in order."""
        fps = self.timeline.fps
        return [(offset + beat.start / fps, offset + beat.end / fps)
                for offset, segment in zip(self.timeline.offsets(), self.timeline.segments) for beat in segment.beats]

    def parts(self, start: float, end: float) -> list[Path] | None:
        """The sound from ``start`` to ``end`` (beat boundaries) as its beats' AAC files; None when silent.

        The sound is encoded once, beat by beat, and files are joined by copying packets: every
        beat opens on silence (its pause, or no line at all), which is where AAC's priming goes.
        """
        if self.silent:
            return None
        return [self.beat_file(a, b) for a, b in self.beat_spans
                if start - 1e-6 <= a and b <= end + 1e-6 and self.samples(a, b)[1] > self.samples(a, b)[0]]

    def beat_file(self, start: float, end: float) -> Path:
        """The beat from ``start`` to ``end`` as an AAC file (made once, kept by what it is made of)."""
        from riskvid.pipeline.mux import write_sound

        path = self.file.parent / "beats" / f"{self.part_key(start, end)}.m4a"
        if not path.is_file():
            first, last = self.samples(start, end)
            make_folders(path.parent)
            with atomic_path(path) as tmp:
                write_sound(tmp, self.pcm[first:last])
        return path

    def encode(self) -> None:
        """Make every beat's AAC file now, and drop those of older mixes."""
        if self.silent:
            return
        keep = {self.beat_file(start, end) for start, end in self.beat_spans}
        for path in (self.file.parent / "beats").glob("*.m4a"):
            if path not in keep:
                path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def encode_aside(self) -> Iterator[Sound]:
        """Encode the sound in a thread for the duration (the pictures render meanwhile); its error, if
        any, is raised when the block ends."""
        failure: list[BaseException] = []

        def run() -> None:
            try:
                self.encode()
            except BaseException as error:  # reported by the main thread
                failure.append(error)

        thread = threading.Thread(target=run, name="sound", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            thread.join()
        if failure:
            raise failure[0]


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
    sheet = layout.root / "contact-sheet.png"
    stamps.make(sheet, fingerprint(CODE, config.theme, [picture.job.key for picture in rendered]),
                lambda tmp: _contact_sheet(rendered, tmp, config.theme))

    from riskvid.pipeline.manifest import build_manifest

    _write_if_changed(layout.manifest, build_manifest(config, timeline, rendered, clips, video, sound, layout))
    stamps.save()
    return Assembled(rendered, clips, video, sound, stamps)


def _contact_sheet(rendered: list[Rendered], target: Path, theme: str) -> None:
    from riskvid.pipeline.sheets import contact_sheet

    contact_sheet([(picture.job.segment.name, load_thumbnails(picture)) for picture in rendered], target, theme)


def _write_if_changed(path: Path, data: dict[str, Any]) -> None:
    if read_json(path) != data:
        write_json(path, data)
