"""The sound stage (riskvid.pipeline.sound) on a small timeline of tones: each beat's sound made once and kept,
the track cut on the AAC grid, and a failed render stopping the sound's thread between beats."""

import time

import av
import numpy as np
import pytest

from riskvid.pipeline.aac import AAC_FRAME
from riskvid.pipeline.audio import SAMPLE_RATE
from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.sound import Sound
from riskvid.pipeline.timeline import Beat, Line, SegmentTimeline, Timeline

FPS = 10
BEATS = 8


def tone(path, seconds, frequency):
    samples = (0.3 * np.sin(2 * np.pi * frequency * np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE))
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_f32le", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.astype(np.float32)[None, :], format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def timeline(folder, seconds=1.2):
    """One segment of ``BEATS`` beats of 2 s at 10 fps, each with a tone of ``seconds`` from 0.3 s into it."""
    beats = []
    for n in range(BEATS):
        path = folder / f"line{n}.wav"
        tone(path, seconds, 220 + 40 * n)
        start = 2.0 * n
        beats.append(Beat(f"b{n}", 20 * n, 20 * (n + 1), 1.0,
                          (Line(f"s.b{n}.1", "A line.", "A line.", start + 0.3, start + 0.3 + seconds, (), path),)))
    plan = SegmentPlan(1, "s", "S", "title", "{}", 0, "light", None)
    return Timeline(FPS, (SegmentTimeline(plan, FPS, tuple(beats)),))


@pytest.mark.parametrize("seconds", [1.2, 1.9])  # each beat's sound ends in silence; each runs into the next
def test_the_true_peak_found_beat_by_beat_is_the_whole_tracks(tmp_path, seconds):
    from riskvid.pipeline import audio

    sound = Sound(timeline(tmp_path, seconds), tmp_path / "cache")
    gain_db, limit_db = sound.loudness["gain_db"], sound.loudness["limit_db"]
    whole = sound._track(lambda beat: sound._levelled(beat, gain_db, limit_db))
    assert sound.loudness["true_peak"] == round(audio.true_peak(whole), 2)
    kept = tmp_path / "cache" / "sound" / "peaks.json"
    assert kept.is_file() == (seconds < 1.5)  # beat by beat only when every part opens and closes on silence


def test_every_beat_is_made_once_and_the_track_is_cut_on_the_aac_grid(tmp_path):
    sound = Sound(timeline(tmp_path), tmp_path / "cache")
    with sound.encode_aside():
        pass
    parts = sound.parts(0, 2.0 * BEATS)
    assert len(parts) == BEATS and len({part.source for part in parts}) == BEATS
    assert all(part.samples % AAC_FRAME == 0 for part in parts[:-1])
    assert sum(part.samples for part in parts) == round(2.0 * BEATS * SAMPLE_RATE)
    assert abs(sound.loudness["integrated"] + 14) <= 0.3 and sound.loudness["true_peak"] <= -1.0
    made = {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "sound" / "beats").glob("*.m4a")}
    again = Sound(timeline(tmp_path), tmp_path / "cache")
    with again.encode_aside():
        pass
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "sound" / "beats").glob("*.m4a")} == made


def test_a_render_that_fails_stops_the_sound_between_beats(tmp_path):
    sound = Sound(timeline(tmp_path), tmp_path / "cache")
    beats = tmp_path / "cache" / "sound" / "beats"
    with pytest.raises(KeyboardInterrupt), sound.encode_aside():
        deadline = time.monotonic() + 60
        while not list(beats.glob("*.m4a")):  # the first beat's sound is made: then the render fails
            assert time.monotonic() < deadline
            time.sleep(0.001)
        raise KeyboardInterrupt
    assert 1 <= len(list(beats.glob("*.m4a"))) < BEATS
