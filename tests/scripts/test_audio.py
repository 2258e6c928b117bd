"""audio: BS.1770-4 loudness and true peak against known signals and FFmpeg's ebur128, normalisation
on real speech, and AAC in MP4 (no edit list) that lasts as long as its video and lines up with it."""

import contextlib
import doctest
import math
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from riskvid.config.model import VoiceSettings
from riskvid.pipeline import aac, audio, voice
from riskvid.pipeline.audio import SAMPLE_RATE

# The same lines as test_voice's real synthesis: with the same cache, the session speaks them once.
SPEECH_LINES = [
    voice.LineRequest("title.ask_question.1", "How does an AI actually learn?", "How does an AI actually learn?"),
    voice.LineRequest("title.glimpse_formula.1", "The short answer fits in one line of maths.",
                      "The short answer fits in one line of maths."),
]


def shared_voice_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "shared-voice-cache"


def sine(dbfs: float, seconds: float, frequency: float = 1000.0, channels: int = 2, phase: float = 0.0) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    x = 10 ** (dbfs / 20) * np.sin(2 * np.pi * frequency * t + phase)
    return np.repeat(x[:, None], channels, axis=1) if channels > 1 else x


def ffmpeg_ebur128(pcm: np.ndarray) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from libavfilter's ebur128 filter (peak=true), through PyAV."""
    graph = av.filter.Graph()
    source = graph.add_abuffer(format="fltp", sample_rate=SAMPLE_RATE, layout="stereo",
                               time_base=Fraction(1, SAMPLE_RATE))
    meter = graph.add("ebur128", "metadata=1:peak=true")
    sink = graph.add("abuffersink")
    source.link_to(meter)
    meter.link_to(sink)
    graph.configure()
    last = {}

    def drain():
        while True:
            try:
                frame = graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            if "lavfi.r128.I" in frame.metadata:
                last.update(frame.metadata)

    planar = np.ascontiguousarray(pcm.T, dtype=np.float32)
    for start in range(0, planar.shape[1], SAMPLE_RATE // 10):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar[:, start : start + SAMPLE_RATE // 10]),
                                           format="fltp", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, start, Fraction(1, SAMPLE_RATE)
        graph.push(frame)
        drain()
    with contextlib.suppress(av.EOFError):
        graph.push(None)
    drain()
    return float(last["lavfi.r128.I"]), 20 * math.log10(float(last["lavfi.r128.true_peak"]))


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> np.ndarray:
    """Two lines of real Piper speech placed in a 6 s stereo programme (unnormalised)."""
    speeches = voice.speak(VoiceSettings(), SPEECH_LINES, shared_voice_cache(tmp_path_factory), Path("."))
    first, second = (audio.read_speech(speeches[line.id].audio) for line in SPEECH_LINES)
    return audio.mix([(0.3, first), (0.3 + len(first) / SAMPLE_RATE + 0.5, second)], 6.0)


def test_doctests():
    assert doctest.testmod(audio).failed == 0


def test_loudness_of_the_ebu_test_signals():
    # EBU Tech 3341 (v3) test 1: a stereo 1 kHz sine at −23 dBFS reads −23.0 ±0.1 LUFS; the K-filter's
    # +0.691 dB at 1 kHz cancels BS.1770's −0.691 constant, and two channels of A²/2 sum to A², so a
    # stereo sine at −20 dBFS reads −20.0 LUFS and a mono one −23.0 (one channel: −3.01 dB).
    assert audio.integrated_loudness(sine(-20, 5)) == pytest.approx(-20.0, abs=0.1)
    assert audio.integrated_loudness(sine(-23, 5)) == pytest.approx(-23.0, abs=0.1)
    assert audio.integrated_loudness(sine(-20, 5, channels=1)) == pytest.approx(-23.01, abs=0.1)
    # Tech 3341 test 4 (the absolute and relative gates): −72, −36, −23, −36, −72 dBFS for 10, 10, 60,
    # 10, 10 s reads −23.0 ±0.1 LUFS. Test 5 (relative gate): −26, −20, −26 dBFS for 20, 20.1, 20 s: −23.0.
    test4 = np.concatenate([sine(-72, 10), sine(-36, 10), sine(-23, 60), sine(-36, 10), sine(-72, 10)])
    assert audio.integrated_loudness(test4) == pytest.approx(-23.0, abs=0.1)
    test5 = np.concatenate([sine(-26, 20), sine(-20, 20.1), sine(-26, 20)])
    assert audio.integrated_loudness(test5) == pytest.approx(-23.0, abs=0.1)
    assert audio.integrated_loudness(np.zeros((SAMPLE_RATE, 2))) == -math.inf
    assert audio.integrated_loudness(sine(-20, 0.3)) == -math.inf  # shorter than one 400 ms block


def test_true_peak_finds_the_peak_between_samples():
    # A sine at a quarter of the sample rate, 45° out of phase: every sample sits at A/√2 (−3.01 dB)
    # while the wave reaches A between them. EBU Tech 3341 asks a true-peak meter for +0.2/−0.4 dB.
    isp = sine(-6, 1, frequency=SAMPLE_RATE / 4, phase=math.pi / 4)
    sample_peak = 20 * math.log10(np.abs(isp).max())
    assert sample_peak == pytest.approx(-9.01, abs=0.01)
    assert -6.4 <= audio.true_peak(isp) <= -5.8
    assert audio.true_peak(sine(-20, 1, frequency=997)) == pytest.approx(-20.0, abs=0.05)
    assert audio.true_peak(np.zeros(100)) == -math.inf


def test_normalise_real_speech_to_target_under_the_ceiling(speech):
    before = audio.integrated_loudness(speech)
    out, measured = audio.normalise(speech, -14.0, -1.0)
    assert out.shape == speech.shape and out.dtype == np.float32
    assert measured.integrated == pytest.approx(-14.0, abs=0.5)
    assert measured.true_peak <= -1.0
    assert measured.integrated == pytest.approx(audio.integrated_loudness(out), abs=1e-6)  # measured on the result
    assert measured.true_peak == pytest.approx(audio.true_peak(out), abs=1e-6)
    assert measured.gain_db >= -14.0 - before  # limiting only ever asks for more static gain
    # FFmpeg's own meter (libavfilter ebur128, true peak on) agrees, before and after.
    for pcm in (speech, out):
        ffmpeg_integrated, ffmpeg_peak = ffmpeg_ebur128(pcm)
        assert audio.integrated_loudness(pcm) == pytest.approx(ffmpeg_integrated, abs=0.5)
        assert audio.true_peak(pcm) == pytest.approx(ffmpeg_peak, abs=0.5)


def test_compressing_speech_first_leaves_the_limiter_much_less_to_do(speech):
    squeezed = audio.compress(speech)
    assert squeezed.shape == speech.shape and squeezed.dtype == np.float32
    assert np.all(np.abs(squeezed) <= np.abs(speech) + 1e-7)  # it only ever lowers the gain

    def limiting(pcm):
        """The most the limiter pulls a peak down (dB) when ``pcm`` is normalised."""
        _, measured = audio.normalise(pcm, -14.0, -1.0)
        return audio.true_peak(pcm) + measured.gain_db - measured.true_peak

    assert limiting(squeezed) < limiting(speech) - 2  # measured: 9.7 dB down to 5.1 on the shipped narration
    assert not audio.compress(np.zeros((SAMPLE_RATE, 2))).any()


def test_normalise_quiet_sine_needs_no_limiter_and_silence_stays_silent():
    out, measured = audio.normalise(sine(-30, 3), -14.0, -1.0)
    assert measured.integrated == pytest.approx(-14.0, abs=0.1)
    assert measured.gain_db == pytest.approx(16.0, abs=0.1)
    assert np.abs(out).max() == pytest.approx(10 ** (-14 / 20), rel=0.02)  # a sine: no limiting at −14 dBFS peak
    silent, nothing = audio.normalise(np.zeros((SAMPLE_RATE, 2)))
    assert not silent.any() and nothing.integrated == -math.inf and nothing.gain_db == 0.0


def test_mix_places_each_clip_in_both_channels_and_cuts_what_overflows():
    click = np.ones(10, dtype=np.float32)
    pcm = audio.mix([(0.0, click), (0.5, click), (0.5, click), (0.9999, click), (-0.0001, click)], 1.0)
    assert pcm.shape == (SAMPLE_RATE, 2) and pcm.dtype == np.float32
    assert pcm[SAMPLE_RATE // 2, 0] == pcm[SAMPLE_RATE // 2, 1] == 2.0  # overlapping clips add
    assert pcm[-1, 0] == 1.0 and pcm[0, 0] == 2.0  # the tail and the head cut off, not wrapped


def test_read_speech_makes_mono_48k_from_any_file(tmp_path):
    path = tmp_path / "stereo.flac"
    t = np.arange(44100) / 44100
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 440 * t)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=44100, layout="stereo")
        frame = av.AudioFrame.from_ndarray(np.stack([left, right]).astype(np.float32), format="fltp", layout="stereo")
        frame.sample_rate = 44100
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    mono = audio.read_speech(path)
    assert mono.dtype == np.float32 and mono.ndim == 1
    assert len(mono) == SAMPLE_RATE
    assert np.abs(mono[1000:-1000]).max() == pytest.approx(0.5, abs=0.01)


def build_mp4(path: Path, frames: int, fps: int, pcm: np.ndarray) -> None:
    """A tiny H.264 video (solid colour, 128x72) with ``pcm`` as its AAC track, muxed as riskvid muxes."""
    with av.open(str(path), "w", format="mp4",
                 options={"movflags": "+faststart+negative_cts_offsets", "use_editlist": "0"}) as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 128, 72, "yuv420p"
        sound = aac.add_aac_stream(out)
        picture = np.full((72, 128, 3), (40, 90, 200), dtype=np.uint8)
        for n in range(frames):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = n
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        for packet in aac.encode_aac(sound, pcm):
            out.mux(packet)


@pytest.mark.parametrize("frames, fps, click", [(30, 30, 30_000), (45, 60, 20_123)])
def test_aac_track_lasts_as_long_as_the_video_and_lines_up(tmp_path, frames, fps, click):
    samples = frames * SAMPLE_RATE // fps  # 48000 and 36000: neither a whole number of AAC frames
    pcm = np.zeros((samples, 2), dtype=np.float32)
    pcm[click] = 0.9
    path = tmp_path / "clip.mp4"
    build_mp4(path, frames, fps, pcm)
    assert b"elst" not in path.read_bytes()  # no edit list, as YouTube asks
    with av.open(str(path)) as container:
        video, sound = container.streams.video[0], container.streams.audio[0]
        video_seconds = float(video.duration * video.time_base)
        audio_seconds = float(sound.duration * sound.time_base)
        assert video_seconds == pytest.approx(frames / fps, abs=1e-3)
        assert audio_seconds == pytest.approx(video_seconds, abs=1e-3)
        assert sound.codec_context.sample_rate == SAMPLE_RATE and sound.codec_context.channels == 2
        assert sound.codec_context.profile == "LC"
        decoded, first = [], None
        for frame in container.decode(sound):
            first = frame.pts if first is None else first
            decoded.append(frame.to_ndarray())
    decoded = np.concatenate(decoded, axis=1)
    assert first == 0
    for channel in decoded:
        heard = (first + int(np.argmax(np.abs(channel)))) / SAMPLE_RATE
        assert heard == pytest.approx(click / SAMPLE_RATE, abs=1e-3)


@pytest.mark.parametrize("samples", [1024, 700])
def test_a_sound_of_one_aac_frame_or_less_still_has_its_packet(tmp_path, samples):
    """A beat of one AAC frame joined between two others keeps its 1024 samples: nothing after it plays early."""
    target = tmp_path / "short.m4a"
    with av.open(str(target), "w", format="mp4") as container:
        stream = aac.add_aac_stream(container)
        packets = aac.encode_aac(stream, np.zeros((samples, 2), np.float32))
        assert [(packet.pts, packet.duration) for packet in packets] == [(0, samples)]
        for packet in packets:
            container.mux(packet)
    with av.open(str(target)) as container:
        assert sum(frame.samples for frame in container.decode(audio=0)) == 1024
