"""Remuxing: rendered pictures and the sound mix → MP4 files, never re-encoding a frame.

Video packets are copied, never decoded: a clip is cut at keyframes (every beat starts on one)
and clips join end to end. Each file carries its own slice of the one normalised mix, encoded
as AAC next to the picture. Files go under a temporary name and are renamed into place.
"""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from riskvid.errors import RunError
from riskvid.pipeline.encoder import MUX_OPTIONS


@dataclass(frozen=True)
class Cut:
    """Frames [start, end) of a rendered clip; ``start`` and ``end`` must be keyframes (or its ends)."""

    source: Path
    start: int = 0
    end: int | None = None


def write_mp4(target: Path, cuts: Sequence[Cut], sound: Sequence[Path] | None = None) -> None:
    """Write ``cuts`` joined into ``target`` (index first, no edit list), with ``sound`` (AAC files,
    one after the other) as its audio track.

    Picture and sound packets are copied, never encoded, and interleaved in time so a player
    streaming the file gets both as it goes. ``target`` is written as given: wrap the call in
    ``files.atomic_path``.
    """
    with contextlib.ExitStack() as sources, av.open(str(target), "w", format="mp4", options=MUX_OPTIONS) as out:
        video, packets, offset = None, [], 0  # offset: where the next cut starts (video time base)
        for cut in cuts:
            source = sources.enter_context(av.open(str(cut.source)))
            stream = source.streams.video[0]
            if video is None:
                video = out.add_stream_from_template(stream)
            offset = _copy(source, stream, cut, video, offset, packets)
        timed = [(packet.dts * video.time_base, packet) for packet in packets]
        if sound:
            timed = list(heapq.merge(timed, _sound_packets(sound, out, sources), key=lambda pair: pair[0]))
        for _, packet in timed:
            out.mux(packet)


def _sound_packets(parts: Sequence[Path], out, sources: contextlib.ExitStack) -> list:
    """(time, packet) of every AAC packet of ``parts``, one after the other, in a new track of ``out``."""
    track, timed, offset = None, [], 0
    for part in parts:
        source = sources.enter_context(av.open(str(part)))
        stream = source.streams.audio[0]
        if track is None:
            track = out.add_stream_from_template(stream)
        end = offset
        for packet in source.demux(stream):
            if packet.dts is None:
                continue
            packet.pts += offset
            packet.dts += offset
            end = max(end, packet.pts + packet.duration)
            packet.stream = track
            timed.append((packet.dts * stream.time_base, packet))
        offset = end
    return timed


def write_sound(target: Path, pcm: np.ndarray) -> None:
    """Encode ``pcm`` ((n, 2) float32 at 48 kHz) into ``target``, an MP4 holding one AAC track of n samples."""
    from riskvid.pipeline import audio

    with av.open(str(target), "w", format="mp4", options=MUX_OPTIONS) as out:
        track = audio.add_aac_stream(out)
        for packet in audio.encode_aac(track, pcm):
            out.mux(packet)


def _copy(source, stream, cut: Cut, video, offset: int, packets: list) -> int:
    """Collect ``cut``'s packets for ``video``, starting at ``offset``; return the offset after it."""
    per_frame = round(1 / (Fraction(stream.base_rate) * stream.time_base))
    first, last = cut.start * per_frame, None if cut.end is None else cut.end * per_frame
    copying, end = False, offset
    for packet in source.demux(stream):
        if packet.dts is None:  # the demuxer's flush packet
            continue
        if packet.is_keyframe and packet.pts == first:
            copying = True
        elif packet.is_keyframe and last is not None and packet.pts >= last:
            break
        if not copying:
            continue
        packet.pts += offset - first
        packet.dts += offset - first
        end = max(end, packet.pts + (packet.duration or per_frame))
        packet.stream = video
        packets.append(packet)
    if not copying:
        raise RunError(f"{cut.source.name} has no keyframe at frame {cut.start}; run riskvid render --force")
    return end


def probe(path: Path) -> dict:
    """Duration (s), frame count, fps and resolution of a clip's video stream, and its audio's duration."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for packet in container.demux(stream) if packet.dts is not None)
        fps = Fraction(stream.average_rate or stream.guessed_rate)
        info = {
            "duration": round(frames / fps, 3),
            "frames": frames,
            "fps": float(fps),
            "resolution": [stream.codec_context.width, stream.codec_context.height],
        }
        if container.streams.audio:
            sound = container.streams.audio[0]
            info["audio_duration"] = round(float(sound.duration * sound.time_base), 3) if sound.duration else None
        return info
