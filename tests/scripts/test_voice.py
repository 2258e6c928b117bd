"""voice: one real Piper synthesis (word times, repeatable across processes), recorded takes end to end
and each bad take refused in one line, the silent engine, and the cache."""

import doctest
import json
import subprocess
import sys
import threading
from pathlib import Path

import av
import numpy as np
import pydantic
import pytest

from riskvid.config.model import VoiceSettings
from riskvid.errors import InputError, RunError
from riskvid.pipeline import audio, voice
from riskvid.pipeline.voice import LineRequest, piper
from riskvid.pipeline.voice.cache import PIPER_SPEAK
from riskvid.pipeline.voice.lines import SAMPLE_RATE
from riskvid.pipeline.voice.samples import trim_silence

ROOT = Path(__file__).resolve().parents[2]

# The same lines as test_audio's speech: with the same cache, the session speaks them once.
REQUESTS = [
    LineRequest("title.ask_question.1", "How does an AI actually learn?", "How does an AI actually learn?"),
    LineRequest("title.glimpse_formula.1", "The short answer fits in one line of maths.",
                "The short answer fits in one line of maths."),
]


def shared_voice_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "shared-voice-cache"


def line(n: int, text: str, spoken: str | None = None) -> LineRequest:
    return LineRequest(f"formula.lift_goal.{n}", text, spoken or text)


def assert_tiles(speech: voice.Speech, text: str) -> None:
    """The shown words, in order, each ending where the next starts, from 0 to the line's end."""
    assert [word for word, _, _ in speech.words] == text.split()
    assert speech.words[0][1] == 0.0 and speech.words[-1][2] == pytest.approx(speech.seconds, abs=1e-4)
    for (_, start, end), (_, following, _) in zip(speech.words, speech.words[1:] + ((None, speech.seconds, None),)):
        assert 0.0 <= start <= end <= speech.seconds + 1e-4
        assert end == pytest.approx(following, abs=1e-4)


def speechlike(seconds: float, rate: int, lead: float = 0.4, tail: float = 0.3, level: float = 0.3) -> np.ndarray:
    """A voiced sound (harmonics of 140 Hz, syllable-like swell) between stretches of near silence."""
    t = np.arange(round(seconds * rate)) / rate
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6)) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
    voiced *= level / np.abs(voiced).max()
    noise = np.random.default_rng(7).normal(0, 1e-4, round((lead + seconds + tail) * rate))
    noise[round(lead * rate) : round(lead * rate) + len(voiced)] += voiced
    return noise.astype(np.float32)


def write_take(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write mono ``samples`` with PyAV, the codec chosen by the file's extension."""
    codec = {".wav": "pcm_s16le", ".flac": "flac", ".mp3": "libmp3lame"}[path.suffix]
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        if len(samples):
            frame = av.AudioFrame.from_ndarray(samples[None, :].astype(np.float32), format="fltp", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_doctests():
    assert doctest.testmod(voice).failed == 0


def test_reading_a_config_does_not_load_the_audio_stack():
    assert SAMPLE_RATE == audio.SAMPLE_RATE
    code = "import sys, riskvid.pipeline.voice; print('scipy' in sys.modules, 'av' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == [
        "False", "False"]


# --- piper, for real -------------------------------------------------------------------------


def test_piper_speaks_a_line_with_word_times_inside_it(tmp_path_factory):
    speeches = voice.speak(VoiceSettings(), REQUESTS, shared_voice_cache(tmp_path_factory), Path("."))
    assert list(speeches) == [request.id for request in REQUESTS]
    for request in REQUESTS:
        speech = speeches[request.id]
        assert speech.id == request.id and speech.source == "piper"
        samples = audio.read_speech(speech.audio)
        assert len(samples) == round(speech.seconds * audio.SAMPLE_RATE)
        assert 1.0 < speech.seconds < 4.0
        assert_tiles(speech, request.text)
        # Timed from Piper's alignment, not spread by length; trimmed: speech starts within 40 ms.
        assert speech.words != voice.spread_words(request.text, speech.seconds)
        assert trim_silence(samples)[0] <= audio.SAMPLE_RATE * 40 // 1000
    # "actually" is long and "an", "AI" short; their spans say so.
    spans = {word: end - start for word, start, end in speeches["title.ask_question.1"].words}
    assert spans["actually"] > spans["an"]
    # Piper (GPL-3.0) ran in its own process: riskvid's never imported it.
    assert "piper" not in sys.modules and "onnxruntime" not in sys.modules


def test_a_line_keeps_where_its_speech_is_heard_as_reading_its_wav_finds_it(tmp_path_factory):
    from riskvid.pipeline.onsets import read_heard

    cache = shared_voice_cache(tmp_path_factory)
    for speech in voice.speak(VoiceSettings(), REQUESTS, cache, Path(".")).values():  # from the cache
        assert speech.heard is not None and len(speech.heard) > 10
        assert speech.heard == read_heard(speech.audio).starts


def test_piper_gives_the_same_samples_in_separate_processes(tmp_path, tmp_path_factory):
    first = voice.speak(VoiceSettings(), REQUESTS, shared_voice_cache(tmp_path_factory), Path("."))
    second = voice.speak(VoiceSettings(), REQUESTS, tmp_path / "fresh", Path("."))  # a new, cold process
    for request in REQUESTS:
        assert first[request.id].audio != second[request.id].audio
        assert first[request.id].audio.read_bytes() == second[request.id].audio.read_bytes()
        assert first[request.id].words == second[request.id].words


def test_piper_keeps_the_voices_optimized_graph_and_says_the_same_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    made = voice.speak(VoiceSettings(), REQUESTS[:1], tmp_path / "made", Path("."))  # the graph optimized, kept
    kept = list((tmp_path / "user" / "riskvid" / "voices").glob("*.onnx"))
    assert len(kept) == 1 and kept[0].stat().st_size > 1_000_000
    loaded = voice.speak(VoiceSettings(), REQUESTS[:1], tmp_path / "loaded", Path("."))  # the kept graph loaded
    kept[0].write_bytes(b"not a graph")
    remade = voice.speak(VoiceSettings(), REQUESTS[:1], tmp_path / "remade", Path("."))  # damaged: made again
    assert kept[0].stat().st_size > 1_000_000
    line = REQUESTS[0].id
    assert made[line].audio.read_bytes() == loaded[line].audio.read_bytes() == remade[line].audio.read_bytes()
    assert made[line].words == loaded[line].words == remade[line].words


def test_a_stopped_run_starts_no_piper_and_the_next_run_speaks(tmp_path):
    stop = threading.Event()
    voice.stop_speaking(stop)  # a run stopped before its voice began
    with pytest.raises(RunError, match="stopped before the piper voice started"):
        voice.speak(VoiceSettings(), REQUESTS, tmp_path / "stopped", Path("."), stop=stop)
    assert not (tmp_path / "stopped" / "voice").exists() or not any((tmp_path / "stopped" / "voice").iterdir())
    speeches = voice.speak(VoiceSettings(), REQUESTS, tmp_path / "next", Path("."),
                           stop=threading.Event())  # the next run in the same process: Piper speaks
    assert all(speech.audio.is_file() for speech in speeches.values())


def test_piper_speak_is_a_separate_gpl_program_riskvid_never_imports():
    header = (ROOT / "scripts/riskvid/pipeline/piper_speak.py").read_text(encoding="utf-8")[:1500]
    assert "GPL-3.0-or-later" in header and "separate program" in header
    for source in (ROOT / "scripts/riskvid").rglob("*.py"):
        if source.name != "piper_speak.py":
            text = source.read_text(encoding="utf-8")
            assert "import piper" not in text and "from piper" not in text, source
            assert "import piper_speak" not in text and "from riskvid.pipeline.piper_speak" not in text, source


# --- the cache (a stand-in for Piper: the cache logic, without synthesis) ---------------------


class FakePiper:
    """Replaces piper.run_piper: a tone as long as the text, and a record of what was asked."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, model, config, lines, rate, done, stop=None):
        self.calls.append([entry["text"] for entry in lines])
        for entry in lines:
            samples = speechlike(len(entry["text"]) / 15, 22050, lead=0.05, tail=0.1)
            reply = {"key": entry["key"], "sample_rate": 22050,
                     "sentences": [{"samples": len(samples), "phonemes": None}], "word_phonemes": None}
            done(entry["key"], reply, samples)
        return {"done": True}


def test_cache_speaks_only_what_changed_and_damage_is_a_miss(tmp_path, monkeypatch):
    fake = FakePiper()
    monkeypatch.setattr(piper, "run_piper", fake)
    lines = [line(1, "Q is the score we want to push down."), line(2, "Dividing by n keeps it fair."),
             line(3, "Q is tiny now: learned!", "Q is tiny now. Learned!")]
    cache = tmp_path / "cache"
    speak = lambda requests: voice.speak(VoiceSettings(), requests, cache, tmp_path)  # noqa: E731
    first = speak(lines)
    assert fake.calls == [[entry.spoken for entry in lines]]
    assert first[lines[2].id].words == voice.spread_words(lines[2].text, first[lines[2].id].seconds)  # spoken ≠ shown
    for entry in lines:
        assert_tiles(first[entry.id], entry.text)
    assert speak(lines) == first and len(fake.calls) == 1  # all cached: nothing synthesised

    changed = [lines[0], line(2, "Dividing by n keeps it fair, always."), lines[2]]
    (cache / "voice" / "mine.wav").write_bytes(b"not riskvid's")
    second = speak(changed)
    assert fake.calls[-1] == ["Dividing by n keeps it fair, always."]
    assert second[lines[0].id] == first[lines[0].id]
    kept = sorted(path.name for path in (cache / "voice").iterdir())  # the line no longer said is pruned
    cached = [f"{s.audio.stem}{suffix}" for s in second.values() for suffix in (".json", ".wav")]
    assert kept == sorted(["mine.wav", *cached])

    target = first[lines[0].id].audio
    record = target.with_suffix(".json")
    damages = [
        lambda: target.write_bytes(target.read_bytes()[:-400]),  # truncated audio
        lambda: record.write_text("{not json", encoding="utf-8"),  # invalid record
        lambda: record.write_text(json.dumps({"key": 3}), encoding="utf-8"),  # a record missing its fields
        lambda: target.unlink(),  # audio gone
        lambda: record.unlink(),  # record gone
    ]
    for damage in damages:
        damage()
        again = speak(changed)
        assert fake.calls[-1] == [lines[0].spoken]
        assert again[lines[0].id] == first[lines[0].id]


def test_a_line_the_voice_says_nothing_for_is_an_input_error(tmp_path, monkeypatch):
    def silent_piper(model, config, lines, rate, done, stop=None):
        for entry in lines:
            reply = {"key": entry["key"], "sample_rate": 22050, "sentences": [], "word_phonemes": None}
            done(entry["key"], reply, np.zeros(0, np.float32))

    monkeypatch.setattr(piper, "run_piper", silent_piper)
    with pytest.raises(InputError) as caught:
        voice.speak(VoiceSettings(), [line(1, "—")], tmp_path / "cache", tmp_path)
    assert str(caught.value) == (
        'line formula.lift_goal.1 ("—"): the voice says nothing for \'—\'; give the line words to say')


# --- recorded takes --------------------------------------------------------------------------


def test_recorded_takes_in_wav_flac_and_mp3(tmp_path, monkeypatch):
    requests = [line(1, "Q is the score we want to push down."), line(2, "Twice as much data."),
                line(3, "And L measures one mistake.")]
    takes = tmp_path / "takes"
    write_take(takes / "formula-lift_goal-1.wav", speechlike(1.0, 48000), 48000)
    write_take(takes / "formula-lift_goal-2.flac", speechlike(1.0, 44100), 44100)
    write_take(takes / "formula-lift_goal-3.mp3", speechlike(1.0, 44100), 44100)
    assert [name for _, name, _ in voice.recording_script(requests)] == [
        "formula-lift_goal-1.wav", "formula-lift_goal-2.wav", "formula-lift_goal-3.wav"]
    settings = VoiceSettings(engine="recorded")
    speeches = voice.speak(settings, requests, tmp_path / "cache", tmp_path)
    for request in requests:
        speech = speeches[request.id]
        assert speech.source == "recorded"
        assert speech.seconds == pytest.approx(1.04, abs=0.03)  # the sound, and 20 ms either side
        assert speech.words == voice.spread_words(request.text, speech.seconds)
        assert len(audio.read_speech(speech.audio)) == round(speech.seconds * audio.SAMPLE_RATE)
    # Read once: the next run takes them from the cache.
    monkeypatch.setattr(audio, "read_speech", lambda path: pytest.fail(f"read {path} again"))
    assert voice.speak(settings, requests, tmp_path / "cache", tmp_path) == speeches


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("missing", "takes/formula-lift_goal-2.wav: no take for line formula.lift_goal.2 "
                    '("Q is the score we want…"); record it (see: riskvid script)'),
        ("unreadable", "takes/formula-lift_goal-2.wav: cannot read the take for line formula.lift_goal.2"),
        ("zero bytes", "takes/formula-lift_goal-2.wav: the take for line formula.lift_goal.2"),
        ("no samples", "takes/formula-lift_goal-2.flac: the take for line formula.lift_goal.2"),
        ("silent", "takes/formula-lift_goal-2.wav: the take for line formula.lift_goal.2"),
        ("two", "takes/formula-lift_goal-2.wav: 2 takes for line formula.lift_goal.2"),
    ],
)
def test_a_bad_take_is_refused_in_one_line_and_nothing_is_written(tmp_path, kind, expected):
    requests = [line(1, "Dividing by n keeps it fair."),
                line(2, "Q is the score we want to push down: how wrong the model is.")]
    takes = tmp_path / "takes"
    write_take(takes / "formula-lift_goal-1.wav", speechlike(0.5, 48000), 48000)  # a good take first
    bad = takes / "formula-lift_goal-2.wav"
    if kind == "unreadable":
        bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + bytes(range(256)) * 4)
    elif kind == "zero bytes":
        bad.write_bytes(b"")
    elif kind == "no samples":
        write_take(bad.with_suffix(".flac"), np.zeros(0, np.float32), 48000)
    elif kind == "silent":
        write_take(bad, np.zeros(48000, np.float32), 48000)
    elif kind == "two":
        write_take(bad, speechlike(0.5, 48000), 48000)
        write_take(bad.with_suffix(".mp3"), speechlike(0.5, 44100), 44100)
    with pytest.raises(InputError) as caught:
        voice.speak(VoiceSettings(engine="recorded"), requests, tmp_path / "cache", tmp_path)
    message = str(caught.value)
    assert message.startswith(expected) and "\n" not in message, message
    assert '("Q is the score we want…")' in message
    assert caught.value.exit_status == 2
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*"))  # nothing written


def test_every_take_is_checked_and_the_first_bad_one_named(tmp_path):
    requests = [line(1, "One."), line(2, "Two."), line(3, "Three.")]
    write_take(tmp_path / "takes" / "formula-lift_goal-1.wav", speechlike(0.5, 48000), 48000)
    hum = 1e-3 * np.sin(2 * np.pi * 50 * np.arange(48000) / 48000)  # −63 dBFS RMS: nothing said
    write_take(tmp_path / "takes" / "formula-lift_goal-2.wav", hum.astype(np.float32), 48000)
    # take 3 is missing too: the first bad take, in order, is the one named
    with pytest.raises(InputError, match=r"^takes/formula-lift_goal-2.wav: .* is silent \(loudest -63 dBFS\)"):
        voice.speak(VoiceSettings(engine="recorded"), requests, tmp_path / "cache", tmp_path)


# --- the silent engine, settings, fingerprints -----------------------------------------------


def test_engine_none_times_lines_for_reading():
    requests = [line(1, "Q is tiny now: learned!"), line(2, "Yes."),
                line(3, "Put the real image next to the model's attempt, and subtract: the error grid shows where.")]
    for rate in (1.0, 2.0):
        speeches = voice.speak(VoiceSettings(engine="none", rate=rate), requests, Path("/nonexistent"), Path("."))
        for request in requests:
            speech = speeches[request.id]
            assert speech.source == "estimate" and speech.audio is None
            assert speech.seconds >= 1.2 and len(request.text) / speech.seconds <= 17.0
            assert speech.seconds == voice.reading_seconds(request.text, rate)
            assert speech.words == voice.spread_words(request.text, speech.seconds)
            assert_tiles(speech, request.text)
    assert voice.reading_seconds(requests[2].text) == pytest.approx(len(requests[2].text) / 14, abs=1e-3)


def test_settings_are_bounded_and_strict():
    with pytest.raises(pydantic.ValidationError):
        VoiceSettings(rate=3)
    with pytest.raises(pydantic.ValidationError):
        VoiceSettings(engine="espeak")
    with pytest.raises(pydantic.ValidationError):
        VoiceSettings(pitch=1)


def test_a_voice_file_that_is_not_there_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"^voice.voice: voices/x.onnx: no Piper voice there"):
        voice.speak(VoiceSettings(voice="voices/x.onnx"), [line(1, "Hi.")], tmp_path / "cache", tmp_path)
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "x.onnx").write_bytes(b"model")
    with pytest.raises(InputError, match=r"its config x.onnx.json is missing"):
        voice.voice_fingerprint(VoiceSettings(voice="voices/x.onnx"), tmp_path)


def test_fingerprint_follows_takes_and_settings(tmp_path):
    write_take(tmp_path / "takes" / "formula-lift_goal-1.wav", speechlike(0.3, 48000), 48000)
    recorded = VoiceSettings(engine="recorded")
    print_ = voice.voice_fingerprint(recorded, tmp_path)
    assert voice.voice_fingerprint(recorded, tmp_path) == print_
    assert voice.voice_fingerprint(recorded.model_copy(update={"pause_after": 0.7}), tmp_path) != print_
    write_take(tmp_path / "takes" / "formula-lift_goal-1.wav", speechlike(0.3, 48000, level=0.2), 48000)
    assert voice.voice_fingerprint(recorded, tmp_path) != print_
    joe = voice.voice_fingerprint(VoiceSettings(), tmp_path)
    assert joe == voice.voice_fingerprint(VoiceSettings(), tmp_path) != voice.voice_fingerprint(
        VoiceSettings(rate=1.1), tmp_path)


def test_piper_speak_reports_a_failure_in_one_json_line():
    done = subprocess.run([sys.executable, str(PIPER_SPEAK)], input=b"{}", capture_output=True, timeout=60)
    assert done.returncode == 1
    reply = json.loads(done.stdout)
    assert list(reply) == ["error"] and "\n" not in reply["error"]
