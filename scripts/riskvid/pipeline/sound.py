"""Stage (beside the render): the programme's sound, made and kept beat by beat.

Every spoken line is read at 48 kHz and gently compressed on its own (``audio.compress``), then kept.
A beat's sound is its lines, placed at their times from the beat's start, under the programme's one
static gain and true-peak limiter (``audio.levelled``); it is kept, and encoded once as AAC, by what it
is made of — not by where the beat falls in the video, so a beat moved by an edit before it is reused.

The track joins the beats' AAC packets, never re-encoding: it is cut on the grid of whole AAC frames
(1024 samples from the programme's start), so each beat's sound starts at the grid point nearest its
picture's start (at most 512 samples, 10.7 ms, away) and fills whole frames up to the next beat's.
(Cut at a beat's exact end, a part would close on a short frame that still decodes 1024 samples: each
join would push the rest of the sound up to 21 ms later, 0.6 s by the end of a six-minute video.) A
beat opens and closes on silence (the voice's pauses, at least 50 ms), which is where AAC's priming
and a trimmed last frame go.

The gain and the limiter's threshold are the programme's: found by ``audio.normalise`` on the whole mix
(−14 LUFS integrated, true peak ≤ −1 dBTP), then kept from one run to the next while the programme
still measures within ``SLACK_LU`` of the target with its true peak under the ceiling. So an edit of
one line makes that line's beat's sound again and reuses every other; an edit that moves the
programme's loudness further finds the gain again, and every beat's sound is made again. (A gain
kept this way can differ from the one a first render of the same config finds, within that slack.)
"""

from __future__ import annotations

import contextlib
import functools
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from riskvid.files import atomic_path, fingerprint, make_folders, read_json, write_json
from riskvid.pipeline.aac import AAC_FRAME
from riskvid.pipeline.audio import SAMPLE_RATE
from riskvid.pipeline.mux import SoundPart
from riskvid.pipeline.timeline import Timeline

TARGET_LUFS = -14.0
CEILING_DBTP = -1.0
SLACK_LU = 0.3  # how far from the target a kept gain may leave the programme before it is found again
CODE = fingerprint(*(Path(__file__).with_name(name) for name in ("sound.py", "audio.py", "aac.py", "mux.py")))


@dataclass(frozen=True)
class BeatSound:
    """A beat's sound and its place: its picture's time (s) and length (samples), its lines, and the track's
    samples [first, last) it fills (on the AAC frame grid)."""

    start: float
    end: float
    length: int  # the picture's samples
    lines: tuple[tuple[int, Path], ...]  # (first sample from the picture's first, speech file)
    first: int
    last: int

    @property
    def content(self) -> list[object]:
        """What the beat's sound is made of (its place in the video aside)."""
        return [self.length, [(offset, path.name) for offset, path in self.lines]]

    @property
    def window(self) -> int:
        """How many samples its sound is made and encoded with: enough for any place on the grid."""
        return (-(-self.length // AAC_FRAME) + 1) * AAC_FRAME


class Sound:
    """The programme's sound: every line at its time, levelled as one programme, made and encoded beat by beat.

    ``encode_aside()`` makes it in a thread while the pictures render; ``parts`` then hands out the
    encoded beats, ``loudness`` what the programme measures.
    """

    def __init__(self, timeline: Timeline, cache: Path):
        self.timeline = timeline
        self.folder = cache / "sound"
        self.record = self.folder / "programme.json"
        self.total = round(timeline.seconds * SAMPLE_RATE)
        self.beats: list[BeatSound] = []
        for offset, segment in zip(timeline.offsets(), timeline.segments):
            for beat in segment.beats:
                start, end = offset + beat.start / timeline.fps, offset + beat.end / timeline.fps
                at = round(start * SAMPLE_RATE)
                lines = tuple((round((offset + line.start) * SAMPLE_RATE) - at, Path(line.audio))
                              for line in beat.lines if line.audio is not None)
                self.beats.append(BeatSound(start, end, round(end * SAMPLE_RATE) - at, lines,
                                            *self._on_grid(start, end)))

    @property
    def silent(self) -> bool:
        return not any(beat.lines for beat in self.beats)

    def _on_grid(self, start: float, end: float) -> tuple[int, int]:
        """The track's samples [first, last) from ``start`` to ``end`` (s): both on the AAC frame grid, but
        the programme's own end."""
        def on_grid(seconds: float) -> int:
            return min(self.total, round(seconds * SAMPLE_RATE / AAC_FRAME) * AAC_FRAME)

        return on_grid(start), self.total if end >= self.timeline.seconds - 1e-6 else on_grid(end)

    def _heard(self, start: float = 0.0, end: float = float("inf")) -> list[BeatSound]:
        """The beats from ``start`` to ``end`` (s; beat boundaries) that fill any of the track."""
        return [beat for beat in self.beats
                if start - 1e-6 <= beat.start and beat.end <= end + 1e-6 and beat.last > beat.first]

    @functools.cached_property
    def key(self) -> str:
        """What the whole programme is made of (before levelling)."""
        return fingerprint(CODE, self.total, [(beat.content, beat.first, beat.last) for beat in self._heard()])

    @functools.cached_property
    def loudness(self) -> dict[str, Any]:
        """The programme's levelling (``gain_db``, ``limit_db``) and what the track measures with it:
        ``integrated`` (LUFS) and ``true_peak`` (dBTP). Settled (and recorded) on first use."""
        stored = read_json(self.record)
        if isinstance(stored, dict) and {"gain_db", "limit_db", "integrated", "true_peak"} <= stored.keys():
            if stored.get("key") == self.key:
                return stored
            measured = self._measure(stored["gain_db"], stored["limit_db"])
            if abs(measured["integrated"] - TARGET_LUFS) <= SLACK_LU and measured["true_peak"] <= CEILING_DBTP:
                return self._keep(measured)
        return self._keep(self._settle())

    def _settle(self) -> dict[str, Any]:
        """Find the programme's gain and limiter on the whole track (``audio.normalise``), then measure it as made."""
        from riskvid.pipeline import audio

        whole = self._track(self._mix)
        found = audio.normalise(np.repeat(whole[:, None], 2, axis=1), TARGET_LUFS, CEILING_DBTP).loudness
        return self._measure(found.gain_db, found.limit_db)

    def _measure(self, gain_db: float, limit_db: float) -> dict[str, Any]:
        """The track made beat by beat with this levelling, measured: the levelling, integrated, true peak."""
        from riskvid.pipeline import audio

        made = self._track(lambda beat: self._levelled(beat, gain_db, limit_db))
        return {"gain_db": gain_db, "limit_db": limit_db,
                "integrated": round(audio.integrated_loudness(made, channels=2), 2),
                "true_peak": round(self._true_peak(made, gain_db, limit_db), 2)}

    def _true_peak(self, made: NDArray[np.float32], gain_db: float, limit_db: float) -> float:
        """The track's true peak (dBTP): the loudest of its beats' parts, each measured once and kept, when every
        part opens and closes on silence (then no interpolated value reaches across a join, and a part measures
        alone as it does in the track); else measured on the whole track."""
        from riskvid.pipeline import audio

        reach, first, found = audio.TRUE_PEAK_REACH, 0, []
        known = read_json(self.folder / "peaks.json")
        known = known if isinstance(known, dict) else {}
        peaks = {}
        for beat in self._heard():
            part = made[first : first + beat.last - beat.first]
            first += len(part)
            if part[:reach].any() or part[-reach:].any():
                return audio.true_peak(made)
            key = f"{self._beat_key(beat, gain_db, limit_db)}-{len(part)}"
            peaks[key] = known[key] if isinstance(known.get(key), float) else audio.true_peak(part)
            found.append(peaks[key])
        if peaks != known:
            make_folders(self.folder)
            write_json(self.folder / "peaks.json", peaks)
        return max(found, default=-math.inf)

    def _track(self, sound: Callable[[BeatSound], NDArray[np.float32]]) -> NDArray[np.float32]:
        """The track as a player hears it: each beat's ``sound`` from its grid point to the next beat's."""
        return np.concatenate([np.zeros(0, np.float32),
                               *(sound(beat)[: beat.last - beat.first] for beat in self._heard())])

    @property
    def _levelling(self) -> tuple[float, float]:
        """The programme's (gain_db, limit_db)."""
        return self.loudness["gain_db"], self.loudness["limit_db"]

    def _keep(self, measured: dict[str, Any]) -> dict[str, Any]:
        make_folders(self.folder)
        kept = {**measured, "key": self.key}
        write_json(self.record, kept)
        return kept

    # -- made beat by beat ---------------------------------------------------------------------------------

    def _line(self, path: Path) -> NDArray[np.float32]:
        """A line's speech at 48 kHz, compressed on its own (kept)."""
        from riskvid.pipeline import audio

        return self._kept(self._line_file(path), lambda: audio.compress(audio.read_speech(path)))

    def _line_file(self, path: Path) -> Path:
        return self.folder / "lines" / f"{fingerprint(CODE, path.name)}.npy"

    def _mix(self, beat: BeatSound) -> NDArray[np.float32]:
        """The beat's compressed lines placed at their times: mono float32, ``beat.window`` long."""
        mono = np.zeros(beat.window, dtype=np.float32)
        for offset, path in beat.lines:
            clip = self._line(path)[: beat.window - offset]
            mono[offset : offset + len(clip)] += clip
        return mono

    def _beat_key(self, beat: BeatSound, gain_db: float, limit_db: float) -> str:
        return fingerprint(CODE, gain_db, limit_db, beat.content)

    def _levelled(self, beat: BeatSound, gain_db: float, limit_db: float) -> NDArray[np.float32]:
        """The beat's sound under the programme's levelling: mono float32 (kept)."""
        from riskvid.pipeline import audio

        return self._kept(self.folder / "beats" / f"{self._beat_key(beat, gain_db, limit_db)}.npy",
                          lambda: audio.levelled(self._mix(beat), gain_db, limit_db))

    @staticmethod
    def _kept(path: Path, make: Callable[[], NDArray[np.float32]]) -> NDArray[np.float32]:
        """The array kept at ``path``, else ``make()``'s, kept there."""
        with contextlib.suppress(OSError, ValueError):
            loaded: NDArray[np.float32] = np.load(path, allow_pickle=False)
            return loaded
        made = make()
        make_folders(path.parent)
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.save(handle, made)
        return made

    def _encoded(self, beat: BeatSound) -> Path:
        """The beat's sound as an AAC file (made once, kept by what it is made of)."""
        from riskvid.pipeline.mux import write_sound

        gain_db, limit_db = self._levelling
        path = self.folder / "beats" / f"{self._beat_key(beat, gain_db, limit_db)}.m4a"
        if not path.is_file():
            mono = self._levelled(beat, gain_db, limit_db)
            with atomic_path(path) as tmp:
                write_sound(tmp, np.repeat(mono[:, None], 2, axis=1))
        return path

    def part_key(self, start: float, end: float) -> str:
        """What the sound from ``start`` to ``end`` (beat boundaries) is made of, levelling included."""
        if self.silent:
            return "silent"
        return fingerprint(CODE, [(self._beat_key(beat, *self._levelling), beat.last - beat.first)
                                  for beat in self._heard(start, end)])

    def parts(self, start: float, end: float) -> list[SoundPart] | None:
        """The sound from ``start`` to ``end`` (beat boundaries) as its beats' AAC files, each cut to the track's
        samples it fills; None when silent."""
        if self.silent:
            return None
        return [SoundPart(self._encoded(beat), beat.last - beat.first) for beat in self._heard(start, end)]

    def encode(self, stop: threading.Event | None = None) -> None:
        """Make every beat's sound now, and drop what older programmes kept; give up between beats once
        ``stop`` is set."""
        if self.silent:
            return
        keep = set()
        for beat in self._heard():
            if stop is not None and stop.is_set():
                return
            keep.add(self._encoded(beat))
        keep |= {path.with_suffix(".npy") for path in keep}
        keep |= {self._line_file(path) for beat in self.beats for _, path in beat.lines}
        for path in [*self.folder.glob("beats/*"), *self.folder.glob("lines/*"), *self.folder.glob("mix-*")]:
            if path not in keep:
                path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def encode_aside(self) -> Iterator[Sound]:
        """Make the sound in a thread for the duration (the pictures render meanwhile); its error, if any,
        is raised when the block ends. A block that fails (a render error, Ctrl-C) stops it at the next beat."""
        failure: list[BaseException] = []
        stop = threading.Event()

        def run() -> None:
            try:
                self.encode(stop)
            except BaseException as error:  # reported by the main thread
                failure.append(error)

        thread = threading.Thread(target=run, name="sound", daemon=True)
        thread.start()
        try:
            yield self
        except BaseException:
            stop.set()
            raise
        finally:
            thread.join()
        if failure:
            raise failure[0]
