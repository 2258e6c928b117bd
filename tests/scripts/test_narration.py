"""A narrated render with the real voice: loud enough, in sync, every file carrying its slice of the mix."""

import json

import av
import numpy as np
import pytest

from riskvid.cli import main

CONFIG = """
id: spoken
title: A spoken test
resolution: 128x72
fps: 10
voice:
  engine: piper
segments:
  - id: title
    scene: title
    narration:
      ask_question: ["How does a machine learn?"]
      glimpse_formula:
        - text: "Q(a, X) is the average mistake."
          say: "Q of a and X is the average mistake."
"""


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spoken")
    (folder / "video.yaml").write_text(CONFIG.lstrip())
    assert main(["render", str(folder / "video.yaml"), "--jobs", "1"]) == 0
    root = folder / "media" / "spoken"
    return root, json.loads((root / "manifest.json").read_text())


def decoded_sound(path):
    """The file's sound as (samples, 2) float32 at its rate, and the rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        frames = [frame.to_ndarray() for frame in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    planar = np.concatenate(frames, axis=1)  # fltp: (channels, samples)
    return planar.T.astype(np.float32), rate


def ebur128(path):
    """FFmpeg's own BS.1770 meter (libavfilter's ebur128, via PyAV): (integrated LUFS, true peak dBTP)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        graph = av.filter.Graph()
        source = graph.add_abuffer(template=stream)
        meter = graph.add("ebur128", "peak=true:metadata=1")
        sink = graph.add("abuffersink")
        source.link_to(meter)
        meter.link_to(sink)
        graph.configure()
        last = {}
        for frame in container.decode(stream):
            graph.push(frame)
            while True:
                try:
                    out = graph.pull()
                except (av.error.BlockingIOError, av.error.EOFError):
                    break
                last = dict(out.metadata)
    peaks = [float(value) for key, value in last.items() if key.startswith("lavfi.r128.true_peaks_ch")]
    return float(last["lavfi.r128.I"]), 20 * np.log10(max(peaks))


def test_the_programme_is_at_minus_14_lufs_with_true_peak_under_minus_1(spoken):
    root, manifest = spoken
    integrated, peak = ebur128(root / "spoken.mp4")
    assert integrated == pytest.approx(-14.0, abs=1.0)
    assert peak <= -1.0 + 0.1  # AAC adds a little overshoot; the mix itself is limited at -1.0
    assert manifest["sound"]["loudness_lufs"] == pytest.approx(-14.0, abs=0.5)


def test_every_file_carries_sound_as_long_as_its_picture(spoken):
    root, _ = spoken
    files = [root / "spoken.mp4", root / "youtube" / "spoken.mp4", *root.glob("segments/*.mp4"),
             *root.glob("slides/*.mp4"), *root.glob("slides/*/*.mp4")]
    assert len(files) >= 5
    for path in files:
        with av.open(str(path)) as container:
            video, audio = container.streams.video[0], container.streams.audio[0]
            assert audio.codec_context.name == "aac" and audio.codec_context.sample_rate == 48000
            assert audio.codec_context.layout.nb_channels == 2
            picture = float(video.duration * video.time_base)
            sound = float(audio.duration * audio.time_base)
            assert abs(picture - sound) <= 1 / 10, path.name


def test_each_line_is_heard_while_its_caption_is_shown(spoken):
    root, manifest = spoken
    pcm, rate = decoded_sound(root / "spoken.mp4")
    level = np.sqrt(np.convolve((pcm ** 2).mean(axis=1), np.ones(480) / 480, mode="same"))  # 10 ms RMS
    voiced = level > 10 ** (-40 / 20)
    lines = [line for beat in manifest["segments"][0]["beats"] for line in beat["lines"]]
    assert len(lines) == 2
    for line in lines:
        start, end = round(line["start"] * rate), round(line["end"] * rate)
        assert voiced[start:end].mean() > 0.5, f"{line['id']} is not heard in its slot"
        before = voiced[max(0, start - round(0.25 * rate)):max(0, start - round(0.05 * rate))]
        assert not before.any(), f"{line['id']} starts before its time"
    srt = (root / "segments" / "01-title.srt").read_text()
    assert "Q(a, X) is the average mistake." in srt  # captions show the text; the voice says its spoken form
