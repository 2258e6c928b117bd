"""Remuxing: rendered pictures and the sound mix → MP4 files, never re-encoding a frame.

Video packets are copied, never decoded: a clip is cut at keyframes (every beat starts on one)
and clips join end to end. Each file's sound is its beats' AAC packets (pipeline.sound), copied
too, next to the picture. Files go under a temporary name and are renamed into place.
"""

from __future__ import annotations

import contextlib
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.packet import Packet
from av.video.stream import VideoStream
from numpy.typing import NDArray

from riskvid.errors import RunError
from riskvid.pipeline.audio import SAMPLE_RATE
from riskvid.pipeline.encoder import MUX_OPTIONS


@dataclass(frozen=True)
class Cut:
    """Frames [start, end) of a rendered clip; ``start`` and ``end`` must be keyframes (or its ends)."""

    source: Path
    start: int = 0
    end: int | None = None


@dataclass(frozen=True)
class SoundPart:
    """The first ``samples`` samples of an AAC file (48 kHz): whole frames of 1024, but at a track's end."""

    source: Path
    samples: int


def write_mp4(target: Path, cuts: Sequence[Cut], sound: Sequence[SoundPart] | None = None) -> None:
    """Write ``cuts`` joined into ``target`` (index first, no edit list), with ``sound`` (parts of AAC
    files, one after the other) as its audio track.

    Picture and sound packets are copied, never encoded, and interleaved in time so a player
    streaming the file gets both as it goes. ``target`` is written as given: wrap the call in
    ``files.atomic_path``.
    """
    with contextlib.ExitStack() as sources, av.open(str(target), "w", format="mp4", options=MUX_OPTIONS) as out:
        video: VideoStream | None = None
        packets: list[Packet[VideoStream]] = []
        offset = 0  # where the next cut starts (video time base)
        for cut in cuts:
            source = sources.enter_context(av.open(str(cut.source)))
            stream = source.streams.video[0]
            if video is None:
                video = out.add_stream_from_template(stream)
            offset = _copy(source, stream, cut, video, offset, packets)
        base = video.time_base if video is not None else None
        clock = math.lcm(SAMPLE_RATE, base.denominator if base is not None else 1)  # ticks a second: both fit
        timed: list[tuple[int, Packet[Any]]] = [(_ticks(packet.dts, base, clock), packet) for packet in packets]
        if sound:
            timed = list(heapq.merge(timed, _sound_packets(sound, out, sources, clock), key=lambda pair: pair[0]))
        for _, packet in timed:
            out.mux(packet)


def _seconds(ticks: int | None, stream: VideoStream | AudioStream) -> Fraction:
    """A time stamp of a packet of ``stream``, in seconds (a packet read with a dts, a stream with a time base)."""
    assert ticks is not None and stream.time_base is not None
    return ticks * stream.time_base


def _ticks(ticks: int | None, time_base: Fraction | None, clock: int) -> int:
    """A packet's time stamp (``ticks`` of ``time_base``) in ticks of a clock of ``clock`` a second (a multiple of
    the time base's denominator): times of several streams compared exactly, and fast."""
    assert ticks is not None and time_base is not None  # a packet read with a dts, a stream with a time base
    return ticks * time_base.numerator * (clock // time_base.denominator)


def _sound_packets(parts: Sequence[SoundPart], out: OutputContainer, sources: contextlib.ExitStack,
                   clock: int) -> list[tuple[int, Packet[AudioStream]]]:
    """(time in ticks of ``clock``, packet) of the AAC packets of ``parts``, one after the other, in a new track of
    ``out``: each part's packets up to its samples (the last one's duration cut to fit)."""
    track: AudioStream | None = None
    timed: list[tuple[int, Packet[AudioStream]]] = []
    scale = clock // SAMPLE_RATE
    offset = 0
    for part in parts:
        source = sources.enter_context(av.open(str(part.source)))
        stream = source.streams.audio[0]
        assert stream.time_base == Fraction(1, SAMPLE_RATE)  # as aac.add_aac_stream writes it
        if track is None:
            track = out.add_stream_from_template(stream)
        limit = offset + part.samples
        for packet in source.demux(stream):
            pts, dts = packet.pts, packet.dts
            if dts is None:
                continue
            assert pts is not None and packet.duration is not None  # a demuxed AAC packet has both
            if pts + offset >= limit:
                break
            packet.pts = pts + offset
            packet.dts = dts + offset
            packet.duration = min(packet.duration, limit - packet.pts)
            packet.stream = track
            timed.append((packet.dts * scale, packet))
        offset = limit
    return timed


def write_sound(target: Path, pcm: NDArray[np.float32]) -> None:
    """Encode ``pcm`` ((n, 2) float32 at 48 kHz) into ``target``, an MP4 holding one AAC track of n samples."""
    from riskvid.pipeline import aac

    with av.open(str(target), "w", format="mp4", options=MUX_OPTIONS) as out:
        track = aac.add_aac_stream(out)
        for packet in aac.encode_aac(track, pcm):
            out.mux(packet)


def _copy(source: InputContainer, stream: VideoStream, cut: Cut, video: VideoStream, offset: int,
          packets: list[Packet[VideoStream]]) -> int:
    """Collect ``cut``'s packets for ``video``, starting at ``offset``; return the offset after it."""
    assert stream.base_rate is not None and stream.time_base is not None  # a stream read from an MP4 has both
    per_frame = round(1 / (Fraction(stream.base_rate) * stream.time_base))
    first, last = cut.start * per_frame, None if cut.end is None else cut.end * per_frame
    copying, end = False, offset
    for packet in source.demux(stream):
        pts, dts = packet.pts, packet.dts
        if dts is None:  # the demuxer's flush packet
            continue
        assert pts is not None  # a packet read with a dts has a pts
        if packet.is_keyframe and pts == first:
            copying = True
        elif packet.is_keyframe and last is not None and pts >= last:
            break
        if not copying:
            continue
        packet.pts = pts + offset - first
        packet.dts = dts + offset - first
        end = max(end, packet.pts + (packet.duration or per_frame))
        packet.stream = video
        packets.append(packet)
    if not copying:
        raise RunError(f"{cut.source.name} has no keyframe at frame {cut.start}; run riskvid render --force")
    return end


def probe(path: Path) -> dict[str, Any]:
    """Duration (s), frame count, fps and resolution of a clip's video stream, and its audio's duration."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for packet in container.demux(stream) if packet.dts is not None)
        rate = stream.average_rate or stream.guessed_rate
        if rate is None:
            raise RunError(f"{path.name}: its video has no frame rate")
        fps = Fraction(rate)
        info: dict[str, Any] = {
            "duration": round(frames / fps, 3),
            "frames": frames,
            "fps": float(fps),
            "resolution": [stream.codec_context.width, stream.codec_context.height],
        }
        if container.streams.audio:
            sound = container.streams.audio[0]
            seconds = _seconds(sound.duration, sound) if sound.duration else None
            info["audio_duration"] = None if seconds is None else round(float(seconds), 3)
        return info
