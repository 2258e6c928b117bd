"""A narrated render with the real voice: loud enough, in sync, every file carrying its slice of the mix."""

import json

import av
import numpy as np
import pytest

from riskvid.cli import main
from tests.scripts.sound import caption_leads, decoded_sound
from tests.scripts.test_audio import ffmpeg_ebur128

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
        - text: "Q(a, X) is the average mistake. Training pushes it down."
          say: "Q of a and X is the average mistake. Training pushes it down."
      promise: ["It looks dense now. By the end, you'll read every symbol of it."]
"""


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spoken")
    (folder / "video.yaml").write_text(CONFIG.lstrip())
    assert main(["render", str(folder / "video.yaml"), "--jobs", "1"]) == 0
    root = folder / "media" / "spoken"
    return root, json.loads((root / "manifest.json").read_text())


def test_the_programme_is_at_minus_14_lufs_with_true_peak_under_minus_1(spoken):
    root, manifest = spoken
    integrated, peak = ffmpeg_ebur128(decoded_sound(root / "spoken.mp4")[0])  # FFmpeg's own BS.1770 meter
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
    assert len(lines) == 3
    for line in lines:
        start, end = round(line["start"] * rate), round(line["end"] * rate)
        assert voiced[start:end].mean() > 0.5, f"{line['id']} is not heard in its slot"
        before = voiced[max(0, start - round(0.25 * rate)):max(0, start - round(0.05 * rate))]
        assert not before.any(), f"{line['id']} starts before its time"
    srt = (root / "segments" / "01-title.srt").read_text()
    assert "Q(a, X) is the average mistake." in srt  # captions show the text; the voice says its spoken form


def test_no_caption_appears_before_its_first_word_is_heard(spoken):
    """Measured on the mixed sound as a player decodes it: speech over -50 dBFS in 10 ms windows from each cue on."""
    root, _ = spoken
    for video, srt in [(root / "spoken.mp4", root / "youtube" / "captions.srt"),
                       (root / "segments" / "01-title.mp4", root / "segments" / "01-title.srt")]:
        leads = caption_leads(video, srt.read_text())
        assert len(leads) >= 5  # a cue per sentence
        assert max(leads) <= 0.3, leads


def test_the_sound_decodes_on_the_pictures_clock(spoken):
    """Beats' sound joined one after the other decodes sample for sample as long as the picture: no join
    adds the rest of a short last AAC frame (which slid the voice behind the picture and its captions)."""
    root, _ = spoken
    for path in [root / "spoken.mp4", root / "youtube" / "spoken.mp4", *root.glob("segments/*.mp4")]:
        pcm, rate = decoded_sound(path)
        with av.open(str(path)) as container:
            video = container.streams.video[0]
            picture = round(float(video.duration * video.time_base) * rate)
        assert -1024 <= len(pcm) - picture < 1024, (path.name, len(pcm) - picture)


def write_take(path, seconds, rate=48000):
    """A speech-like take: a warbling tone in bursts, as a WAV (PyAV)."""
    t = np.arange(int(seconds * rate)) / rate
    sound = (0.3 * np.sin(2 * np.pi * 220 * t * (1 + 0.05 * np.sin(2 * np.pi * 3 * t)))
             * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t) ** 2)).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(sound[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@pytest.mark.slow
def test_the_creators_own_takes_end_to_end_and_a_missing_one_stops_the_run(tmp_path, capsys):
    config = tmp_path / "video.yaml"
    config.write_text(CONFIG.lstrip().replace("engine: piper", "engine: recorded"))
    assert main(["script", str(config)]) == 0
    script = [row.split("\t") for row in capsys.readouterr().out.strip().splitlines()]
    assert [(line_id, name) for line_id, name, _ in script] == [
        ("title.ask_question.1", "title-ask_question-1.wav"),
        ("title.glimpse_formula.1", "title-glimpse_formula-1.wav"),
        ("title.promise.1", "title-promise-1.wav")]
    assert script[1][2] == "Q of a and X is the average mistake. Training pushes it down."  # the spoken form

    write_take(tmp_path / "takes" / "title-ask_question-1.wav", 1.5)
    assert main(["render", str(config), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: takes/title-glimpse_formula-1.wav: no take for line title.glimpse_formula.1")
    assert "\n" not in err and not (tmp_path / "media").exists()

    write_take(tmp_path / "takes" / "title-glimpse_formula-1.wav", 2.0)
    write_take(tmp_path / "takes" / "title-promise-1.wav", 2.5)
    assert main(["render", str(config), "--jobs", "1", "--no-publish"]) == 0
    manifest = json.loads((tmp_path / "media" / "spoken" / "manifest.json").read_text())
    assert manifest["sound"]["loudness_lufs"] == pytest.approx(-14.0, abs=0.5)
    lines = [line for beat in manifest["segments"][0]["beats"] for line in beat["lines"]]
    assert [round(line["end"] - line["start"], 1) for line in lines] == [1.5, 2.0, 2.5]


@pytest.mark.slow
def test_voice_none_makes_the_silent_version(tmp_path):
    config = tmp_path / "video.yaml"
    config.write_text(CONFIG.lstrip())
    assert main(["render", str(config), "--jobs", "1", "--voice", "none", "--no-publish"]) == 0
    root = tmp_path / "media" / "spoken"
    with av.open(str(root / "spoken.mp4")) as container:
        assert not container.streams.audio
    assert json.loads((root / "manifest.json").read_text())["sound"] is None
    assert "How does a machine learn?" in (root / "segments" / "01-title.srt").read_text()
