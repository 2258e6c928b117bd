"""Engine recorded: the creator's own takes, one file a line, every one checked before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from riskvid.config.model import VoiceSettings
from riskvid.errors import InputError
from riskvid.pipeline.voice.cache import code_version, digest, entry, file_hash, store
from riskvid.pipeline.voice.lines import SAMPLE_RATE, LineRequest, Speech, quote, take_name
from riskvid.pipeline.voice.piper import Progress
from riskvid.pipeline.voice.samples import SILENT_DBFS, Samples, loudest_dbfs, trimmed
from riskvid.pipeline.voice.words import spread_words

TAKE_EXTENSIONS = (".wav", ".flac", ".mp3")


def _find_take(folder: Path, shown: Path, request: LineRequest) -> tuple[Path, Path]:
    """The take's path and its name as the config spells it; InputError if none or several."""
    stem = take_name(request)[: -len(".wav")]
    found = [folder / (stem + ext) for ext in TAKE_EXTENSIONS if (folder / (stem + ext)).is_file()]
    about = f"line {request.id} {quote(request.text)}"
    if not found:
        raise InputError(f"{shown / take_name(request)}: no take for {about}; record it (see: riskvid script)")
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        raise InputError(f"{shown / found[0].name}: {len(found)} takes for {about}: {names}; keep one")
    return found[0], shown / found[0].name


def speak_recorded(settings: VoiceSettings, requests: Sequence[LineRequest], folder: Path, config_dir: Path,
                   progress: Progress | None) -> dict[str, Speech]:
    """Read every take; check them all before writing anything; cache each as trimmed 48 kHz speech."""
    from riskvid.pipeline import audio

    takes, shown = config_dir / settings.takes, Path(settings.takes)
    speeches: dict[str, Speech] = {}
    fresh: list[tuple[LineRequest, str, Samples]] = []
    for request in requests:
        path, label = _find_take(takes, shown, request)
        about = f"line {request.id} {quote(request.text)}"
        key = digest({"engine": "recorded", "take": file_hash(path), "shown": request.text, "code": code_version()})
        cached = entry(folder, key, request)
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
        clip = trimmed(samples).clip
        seconds = len(clip) / SAMPLE_RATE
        speeches[request.id] = store(folder, key, request, clip, spread_words(request.text, seconds), "recorded")
        if progress:
            progress(request.id)
    return {request.id: speeches[request.id] for request in requests}
