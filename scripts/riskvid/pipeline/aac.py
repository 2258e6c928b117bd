"""The sound's one encoding: AAC-LC, 48 kHz stereo, its packets timed so sample k plays at k/48000 s."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av
import numpy as np
from av.audio.stream import AudioStream
from numpy.typing import NDArray

from riskvid.pipeline.audio import SAMPLE_RATE

AAC_BIT_RATE = 384_000
AAC_FRAME = 1024  # samples per AAC-LC frame; also the encoder's priming


def add_aac_stream(container: av.container.OutputContainer) -> AudioStream:
    """Add an AAC-LC track, 48 kHz stereo at 384 kb/s, to an output ``container`` opened by the caller.

    FFmpeg's ``fast`` coder: 1.5× faster than its default (twoloop) on our narration, and at this rate as
    good (decoded, within 0.01 LU of the other's loudness; its waveform nearer the source, 59 dB SNR
    against 41)."""
    stream = container.add_stream("aac", rate=SAMPLE_RATE, options={"aac_coder": "fast"})
    stream.layout = "stereo"
    stream.bit_rate = AAC_BIT_RATE
    stream.time_base = Fraction(1, SAMPLE_RATE)
    return stream


def encode_aac(stream: AudioStream, pcm: NDArray[np.floating[Any]]) -> list[av.Packet[AudioStream]]:
    """Encode ``pcm`` ((n, 2) float32 at 48 kHz) into ``stream``: every packet, flushed, ready to mux.

    Timestamps (1/48000 s) start at 0 and the packets' durations add up to exactly n samples, so
    the track lasts as long as ``pcm``. The encoder's 1024 samples of priming are played at the
    start by any player (the MP4 has no edit list): so ``pcm``'s first 1024 samples (21.3 ms) are
    not encoded, the priming takes their place, and sample k of ``pcm`` decodes at time k/48000.
    """
    pcm = np.asarray(pcm, dtype=np.float32)
    if pcm.ndim == 1:
        pcm = np.repeat(pcm[:, None], 2, axis=1)
    packets: list[av.Packet[AudioStream]] = []
    time_base = Fraction(1, SAMPLE_RATE)
    if 0 < len(pcm) <= AAC_FRAME:  # all priming: the encoder makes it only once it has a frame to follow it
        return _priming_only(stream, len(pcm))
    for start in range(AAC_FRAME, len(pcm), AAC_FRAME):
        chunk = np.ascontiguousarray(pcm[start : start + AAC_FRAME].T)
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        frame.time_base = time_base
        frame.pts = start  # the encoder stamps its output 1024 samples earlier: the priming at 0
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    for packet in packets:
        packet.stream = stream
    return packets


def _priming_only(stream: AudioStream, samples: int) -> list[av.Packet[AudioStream]]:
    """The one packet of a sound of at most 1024 samples: the encoder's priming, lasting ``samples``.

    (Without it such a sound, a beat of one AAC frame say, would have no packet at all, and every
    sound joined after it would play 21 ms early.)
    """
    frame = av.AudioFrame.from_ndarray(np.zeros((2, AAC_FRAME), np.float32), format="fltp", layout="stereo")
    frame.sample_rate, frame.time_base, frame.pts = SAMPLE_RATE, Fraction(1, SAMPLE_RATE), AAC_FRAME
    packets = [*stream.encode(frame), *stream.encode(None)]
    first = packets[0]
    first.pts = first.dts = 0
    first.duration = samples
    first.stream = stream
    return [first]
