"""The voice cache: each voiced line as ``<key>.wav`` + ``<key>.json`` under a key over all that decides it.

A damaged entry (a changed size or hash, a record that does not parse) reads as missing; lines the
config no longer says are pruned after a run.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from riskvid.files import atomic_path, make_folders, read_json, sha256_file
from riskvid.pipeline import onsets
from riskvid.pipeline.voice.lines import SAMPLE_RATE, LineRequest, Speech
from riskvid.pipeline.voice.samples import WAV_HEADER, Samples, write_wav
from riskvid.pipeline.voice.words import Words, shown_words

PIPER_SPEAK = Path(__file__).parent.with_name("piper_speak.py")  # the GPL program, run (never imported)
SOURCES = ("piper", "recorded", "estimate")
_KEY = re.compile(r"[0-9a-f]{64}")  # a cached line's name: the SHA-256 of what decides it


def digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@functools.cache
def code_version() -> str:
    """This package's code, piper_speak.py, the installed Piper's and onnxruntime's versions (its kernels decide
    the samples), and the audio reader and resampler."""
    from importlib.metadata import PackageNotFoundError, version

    versions: list[str | None] = []  # None: not installed
    for package in ("piper-tts", "onnxruntime"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append(None)
    sources = [path.read_bytes() for path in [*sorted(Path(__file__).parent.glob("*.py")), PIPER_SPEAK]]
    # Only these two functions of audio.py decide what is cached (read from its source: importing it
    # would load scipy and PyAV).
    text = Path(__file__).parent.with_name("audio.py").read_text(encoding="utf-8")
    readers = [ast.get_source_segment(text, node) or "" for node in ast.parse(text).body
               if isinstance(node, ast.FunctionDef) and node.name in ("read_speech", "resample")]
    return digest([hashlib.sha256(b).hexdigest() for b in sources] + versions + sorted(readers))


_FILE_HASHES: dict[tuple[str, int, int, int], str] = {}  # (path, size, time, inode): SHA-256


def file_hash(path: Path) -> str:
    """SHA-256 of a file, remembered while its size, time and inode stay the same."""
    stat = os.stat(path)
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = sha256_file(path)
    return _FILE_HASHES[key]


def entry(folder: Path, key: str, request: LineRequest) -> Speech | None:
    """The cached speech under ``key``, or None when it is missing or damaged in any way."""
    record, wav = folder / f"{key}.json", folder / f"{key}.wav"
    stored = read_json(record)
    try:
        seconds = float(stored["seconds"])
        words = tuple((str(w), float(s), float(e)) for w, s, e in stored["words"])
        if stored["key"] != key or stored["source"] not in SOURCES:
            return None
        if wav.stat().st_size != stored["wav_bytes"] or file_hash(wav) != stored["wav_sha256"]:
            return None
    except (TypeError, KeyError, ValueError, OSError):
        return None
    if [w for w, _, _ in words] != shown_words(request.text):
        return None
    heard = stored.get("heard")  # a record written before it was kept has none: the timeline reads the WAV
    if not (isinstance(heard, list) and all(isinstance(start, (int, float)) for start in heard)):
        heard = None
    return Speech(request.id, seconds, words, wav, stored["source"], None if heard is None else tuple(heard))


def store(folder: Path, key: str, request: LineRequest, clip: Samples, words: Words, source: str) -> Speech:
    """Write the clip and its record (the record last, atomically both); return the Speech."""
    make_folders(folder)
    wav = folder / f"{key}.wav"
    with atomic_path(wav) as tmp:
        write_wav(tmp, clip)
    seconds = round(len(clip) / SAMPLE_RATE, 6)
    heard = onsets.heard(clip).starts  # kept, so a timeline need not read the WAV again
    record = {
        "key": key,
        "line": request.id,
        "spoken": request.spoken,
        "seconds": seconds,
        "words": [list(word) for word in words],
        "source": source,
        "wav_bytes": WAV_HEADER + 4 * len(clip),
        "wav_sha256": file_hash(wav),
        "heard": list(heard),
    }
    with atomic_path(folder / f"{key}.json") as tmp:
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return Speech(request.id, seconds, tuple(words), wav, source, heard)


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the cached lines the config no longer says (riskvid's own files only: a key, .wav or .json)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.suffix in (".wav", ".json") and _KEY.fullmatch(path.stem) and path.stem not in keep:
            path.unlink(missing_ok=True)
