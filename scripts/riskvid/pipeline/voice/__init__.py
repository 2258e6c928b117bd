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

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskvid.config.model import VoiceSettings
from riskvid.files import make_folders
from riskvid.pipeline.voice.cache import code_version, digest, file_hash, prune
from riskvid.pipeline.voice.lines import LineRequest, ScriptLine, Speech, recording_script, take_name
from riskvid.pipeline.voice.piper import speak_piper, stop_speaking, unvoiced, voice_files
from riskvid.pipeline.voice.takes import TAKE_EXTENSIONS, speak_recorded
from riskvid.pipeline.voice.words import estimate, reading_seconds, spread_words

__all__ = ["LineRequest", "ScriptLine", "Speech", "VoiceJob", "adopt", "reading_seconds", "recording_script", "speak",
           "speak_job", "spread_words", "stop_speaking", "take_name", "unvoiced", "voice_fingerprint"]


def voice_fingerprint(settings: VoiceSettings, config_dir: Path) -> str:
    """A hash of everything that decides how the lines sound and last: engine, voice file (or every
    take's bytes), settings and this code. File hashes are remembered while a file is unchanged."""
    parts: dict[str, Any] = {"settings": settings.model_dump(mode="json"), "code": code_version()}
    if settings.engine == "piper":
        model, config = voice_files(settings, config_dir)
        parts["voice"] = [file_hash(model), file_hash(config)]
    elif settings.engine == "recorded":
        folder = Path(config_dir) / settings.takes
        takes = sorted(path for path in folder.glob("*") if path.suffix.lower() in TAKE_EXTENSIONS and path.is_file())
        parts["takes"] = [[path.name, file_hash(path)] for path in takes]
    return digest(parts)


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
        return {request.id: estimate(request, settings.rate) for request in requests}
    folder = Path(cache) / "voice"
    if settings.engine == "recorded":
        speeches = speak_recorded(settings, requests, folder, Path(config_dir), progress)
    else:
        speeches = speak_piper(settings, requests, folder, Path(config_dir), progress, stop)
    prune(folder, keep={speech.audio.stem for speech in speeches.values() if speech.audio is not None})
    return speeches


@dataclass(frozen=True)
class VoiceJob:
    """Lines for a cluster worker to speak with the bundled voice (riskvid.cluster.remote checks it first)."""

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
