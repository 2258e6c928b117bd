"""The programme's sound: read speech, mix it, measure and normalise its loudness, encode it as AAC.

Loudness follows ITU-R BS.1770-4: K-weighting, 400 ms blocks overlapping by 75 %, an absolute
gate at −70 LUFS, then a relative gate 10 LU below the level of the blocks that passed it. True
peak is measured on the signal oversampled 4× with the interpolation filter of its Annex 2.
Every array here is float32 at ``SAMPLE_RATE``: mono as shape (n,), stereo as shape (n, 2).

AAC and MP4 (see ``encode_aac``): the encoder's first packet is 1024 samples of priming, which a
player without an edit list plays. So the first 1024 samples of the programme are not encoded
and the priming packet takes their place: every later sample decodes at its own time, and the
track lasts exactly as long as ``pcm``. Our programmes open on silence (the voice's pause_before,
0.3 s by default, and every clip keeps 20 ms of silence before its speech).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import av
import numpy as np
from numpy.typing import NDArray

SAMPLE_RATE = 48_000

# BS.1770-4 Table 1 and 2: the K-weighting filter's two biquads at 48 kHz, as published.
_SHELF = ([1.53512485958697, -2.69169618940638, 1.19839281085285], [1.0, -1.69065929318241, 0.73248077421585])
_HIGH_PASS = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])
TRUE_PEAK_REACH = 12  # a true-peak value between two samples is interpolated from the 12 samples around it
_K_WEIGHTING = np.array([[*_SHELF[0], *_SHELF[1]], [*_HIGH_PASS[0], *_HIGH_PASS[1]]])  # the two as sections, in order
# BS.1770-4 Annex 2, Table 1: the 48-tap interpolation filter for 4× oversampling, by phase.
_TRUE_PEAK_PHASES = np.array(
    [
        [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
         0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500],
        [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
         0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375],
        [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125, 0.7797851562500,
         0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875],
        [-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750, 0.9721679687500,
         0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750],
    ]
)
_TRUE_PEAK_DELAY = 6  # samples: the phases' main taps sit at k = 5..6

_BLOCK = SAMPLE_RATE * 4 // 10  # 400 ms gating block
_STEP = SAMPLE_RATE // 10  # 100 ms: blocks overlap by 75 %

# The limiter: 5 ms look-ahead, 50 ms hold, then two 5 ms moving averages: the gain falls over
# about 10 ms up to a peak and comes back over about 10 ms once the hold has passed.
_LOOK_AHEAD = SAMPLE_RATE * 5 // 1000
_HOLD = SAMPLE_RATE * 50 // 1000
_TOLERANCE_LU = 0.5


@dataclass(frozen=True)
class Loudness:
    """A measurement: integrated loudness (LUFS), true peak (dBTP); and what was applied: the static gain (dB)
    and the limiter's threshold (dBTP) — ``levelled(pcm, gain_db, limit_db)`` applies them again."""

    integrated: float
    true_peak: float
    gain_db: float
    limit_db: float


def _db(linear: float) -> float:
    return 20 * math.log10(linear) if linear > 0 else -math.inf


def _channels(pcm: NDArray[np.floating[Any]], dtype: type[np.floating[Any]] = np.float64) -> NDArray[Any]:
    """``pcm`` as (n, channels), float64 unless ``dtype`` says otherwise (no copy when it already is)."""
    array = np.asarray(pcm, dtype=dtype)
    return array[:, None] if array.ndim == 1 else array


def resample(samples: NDArray[np.floating[Any]], rate: int) -> NDArray[np.float32]:
    """Mono ``samples`` at ``rate`` Hz → float32 at ``SAMPLE_RATE`` (polyphase, Kaiser window).

    >>> resample(np.ones(22050, dtype=np.float32), 22050).shape
    (48000,)
    """
    from scipy import signal  # imported when needed: reading a config needs no scipy

    samples = np.asarray(samples, dtype=np.float32)
    if rate == SAMPLE_RATE or not len(samples):
        return samples.copy()
    divisor = math.gcd(rate, SAMPLE_RATE)
    resampled: NDArray[np.float32] = signal.resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor)
    return resampled.astype(np.float32)


def read_speech(path: Path) -> NDArray[np.float32]:
    """Any audio file PyAV reads (WAV, FLAC, MP3, ...) as mono float32 at 48 kHz (channels averaged).

    Raises ``ValueError`` when the file holds no audio stream, and PyAV's errors when it cannot
    be decoded.
    """
    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        stream = container.streams.audio[0]
        planar = av.AudioResampler(format="fltp")  # keeps the layout and rate: converts only the format
        chunks, rate = [], stream.codec_context.sample_rate
        for frame in container.decode(stream):
            rate = frame.sample_rate
            for converted in planar.resample(frame):
                chunks.append(converted.to_ndarray().mean(axis=0))
        for converted in planar.resample(None):
            chunks.append(converted.to_ndarray().mean(axis=0))
    mono = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)
    return resample(mono, rate)


def mix(placements: Iterable[tuple[float, NDArray[np.floating[Any]]]], seconds: float) -> NDArray[np.float32]:
    """Mono clips placed at their start times (s) into a (round(seconds·48000), 2) float32 programme.

    Each clip sounds in both channels (centre); what falls outside [0, seconds) is cut off.

    >>> pcm = mix([(0.5, np.ones(4, dtype=np.float32))], 1.0)
    >>> pcm.shape, pcm[24000].tolist(), float(pcm.sum())
    ((48000, 2), [1.0, 1.0], 8.0)
    """
    total = round(seconds * SAMPLE_RATE)
    mono = np.zeros(total, dtype=np.float32)
    for start, clip in placements:
        clip = np.asarray(clip, dtype=np.float32).reshape(-1)
        first = round(start * SAMPLE_RATE)
        lo, hi = max(first, 0), min(first + len(clip), total)
        if lo < hi:
            mono[lo:hi] += clip[lo - first : hi - first]
    return np.repeat(mono[:, None], 2, axis=1)


def _k_weighted(pcm: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """The K-weighted signal as (channels, n) float64 (read-only when every channel is the same sound, as a
    centred voice is: that one is filtered once)."""
    from scipy import signal  # imported when needed: reading a config needs no scipy

    channels = _channels(pcm)
    same = all(np.array_equal(channels[:, 0], channels[:, index]) for index in range(1, channels.shape[1]))
    x = signal.sosfilt(_K_WEIGHTING, np.ascontiguousarray(channels[:, :1].T if same else channels.T), axis=-1)
    return np.broadcast_to(x, (channels.shape[1], x.shape[1])) if same else x


def _block_powers(weighted: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per 400 ms block (step 100 ms), the channel-summed mean square of a K-weighted (channels, n) signal."""
    quarters = weighted.shape[1] // _STEP
    if quarters < 4:
        return np.zeros(0)
    squares = np.square(weighted[:, : quarters * _STEP]).reshape(-1, quarters, _STEP)
    energy: NDArray[np.float64] = squares.sum(axis=(0, 2))
    blocks = energy[:-3] + energy[1:-2] + energy[2:-1] + energy[3:]
    return blocks / _BLOCK  # channel weights G = 1.0 (L, R, C; no surround channels here)


def _gated(powers: NDArray[np.float64]) -> float:
    """Integrated loudness from block powers: the absolute gate (−70 LUFS), then the relative (−10 LU)."""
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    above = levels > -70.0
    if not above.any():
        return -math.inf
    relative = _loudness(float(powers[above].mean())) - 10.0
    return _loudness(float(powers[above & (levels > relative)].mean()))


def _loudness(power: float) -> float:
    return -0.691 + 10 * math.log10(power) if power > 0 else -math.inf


def integrated_loudness(pcm: NDArray[np.floating[Any]], channels: int = 1) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); −inf when silent or shorter than one 400 ms block.

    ``pcm`` is (n, channels), or mono (n,) heard alike in ``channels`` channels (2: a voice centred in
    stereo), at 48 kHz; every channel weighted 1.0.

    >>> tone = np.sin(2 * np.pi * 997 * np.arange(48000) / 48000)
    >>> stereo = integrated_loudness(tone, channels=2)
    >>> integrated_loudness(np.zeros((48000, 2))), round(stereo - integrated_loudness(tone), 2)
    (-inf, 3.01)
    """
    if channels != 1 and np.ndim(pcm) != 1:
        raise ValueError("channels is for a mono signal heard in several channels")
    return _gated(channels * _block_powers(_k_weighted(pcm)))


def _interpolated_peaks(pcm: NDArray[np.floating[Any]], floor: float = 0.0) -> NDArray[np.float32]:
    """Per sample period, the largest |value| of the 4× oversampled signal (BS.1770-4 Annex 2), over channels.

    Row r holds output points 4r..4r+3, Σ_k phase_p[k]·x[r − k]: the signal between samples
    r − 6 and r − 5; there are n + 11 rows. Rows that cannot exceed ``floor`` (a row is at most
    Σ|phase_p| times its window's largest sample) may read anything up to ``floor``: when they
    are most of the signal, only the others are computed.
    """
    from scipy import ndimage  # imported when needed: reading a config needs no scipy

    x = np.ascontiguousarray(_channels(pcm, np.float32).T)  # (channels, n)
    padded = np.concatenate([np.zeros((len(x), 11), np.float32), x, np.zeros((len(x), 11), np.float32)], axis=1)
    loudest: NDArray[np.float32] = ndimage.maximum_filter1d(np.abs(padded).max(axis=0), size=12, origin=-6)
    loudest = loudest[: x.shape[1] + 11]
    bound: NDArray[np.float64] = loudest * np.abs(_TRUE_PEAK_PHASES).sum(axis=1).max()
    candidates = np.flatnonzero(bound > floor)
    if len(candidates) > len(bound) // 8:  # most of it: the whole convolution is faster
        rows = np.zeros(x.shape[1] + 11, np.float32)
        for channel in x:
            for phase in _TRUE_PEAK_PHASES.astype(np.float32):
                np.maximum(rows, np.abs(np.convolve(channel, phase)), out=rows)
        return rows
    rows = np.minimum(bound, floor).astype(np.float32)
    taps = _TRUE_PEAK_PHASES.T[::-1].astype(np.float32)  # (12 taps, 4 phases), oldest sample first
    for lo in range(0, len(candidates), 1 << 16):
        chosen = candidates[lo : lo + (1 << 16)]
        windows = padded[:, chosen[:, None] + np.arange(12)]  # (channels, rows, 12)
        rows[chosen] = np.abs(windows @ taps).max(axis=(0, 2))
    return rows


def true_peak(pcm: NDArray[np.floating[Any]]) -> float:
    """True peak in dBTP (ITU-R BS.1770-4 Annex 2: 4× oversampling); −inf for silence.

    >>> round(true_peak(0.5 * np.sin(2 * np.pi * 997 * np.arange(48000) / 48000)), 1)
    -6.0
    """
    x = _channels(pcm, np.float32)  # as _interpolated_peaks reads it
    if not x.size:
        return -math.inf
    sample_peak = float(np.abs(x).max())
    return _db(max(sample_peak, float(_interpolated_peaks(x, sample_peak).max())))


def _peak_envelope(pcm: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """Per sample, the largest true-peak value (over channels) in the sample periods either side of it."""
    from scipy import ndimage  # imported when needed: reading a config needs no scipy

    rows = _interpolated_peaks(pcm)
    peak = np.maximum(np.abs(_channels(pcm)).max(axis=1), rows[_TRUE_PEAK_DELAY : _TRUE_PEAK_DELAY + len(pcm)])
    envelope: NDArray[np.float64] = ndimage.maximum_filter1d(peak, size=3)
    return envelope


def _limiter_gain(envelope: NDArray[np.float64], threshold: float) -> NDArray[np.float64]:
    """A smooth gain per sample keeping ``envelope`` × gain at or below ``threshold`` (linear).

    Worked out per 1 ms: the gain each millisecond needs is spread back over the look-ahead and
    forward over the hold by a minimum filter, smoothed by two moving averages of half-width h
    (2h + 1 ≤ both windows, so at a peak they average only values at most what it needs), then
    interpolated linearly between the milliseconds' centres (again at most what it needs).
    """
    need = np.minimum(1.0, threshold / np.maximum(envelope, 1e-12))
    if need.min() >= 1.0:
        return np.ones(len(envelope))
    step = SAMPLE_RATE // 1000
    blocks = -(-len(need) // step)
    per_ms = np.ones(blocks * step)
    per_ms[: len(need)] = need
    per_ms = per_ms.reshape(blocks, step).min(axis=1)
    width = 2 * (_LOOK_AHEAD // step // 2) + 1
    return _held_and_smoothed(per_ms, 1.0, width, _HOLD // step, width, len(need))


def _held_and_smoothed(per_ms: NDArray[np.float64], neutral: float, ahead: int, behind: int, width: int,
                       samples: int) -> NDArray[np.float64]:
    """A gain per sample from one per millisecond: each held over ``ahead`` + ``behind`` ms by a minimum
    filter (``neutral`` past the ends), smoothed by two moving averages ``width`` ms wide, then
    interpolated linearly between the milliseconds' centres (the limiter's and the compressor's)."""
    from scipy import ndimage  # imported when needed: reading a config needs no scipy

    step, blocks = SAMPLE_RATE // 1000, len(per_ms)
    size = ahead + behind + 1
    padded = np.concatenate([np.full(behind, neutral), per_ms, np.full(ahead, neutral)])
    held = ndimage.minimum_filter1d(padded, size=size)[size // 2 : size // 2 + blocks]
    smooth = ndimage.uniform_filter1d(held, size=width, mode="nearest")
    smooth = ndimage.uniform_filter1d(smooth, size=width, mode="nearest")
    centres = np.arange(blocks) * step + (step - 1) / 2
    gain: NDArray[np.float64] = np.interp(np.arange(samples), centres, smooth)
    return gain


def compress(pcm: NDArray[np.floating[Any]], ratio: float = 2.0) -> NDArray[np.float32]:
    """A gentle compressor for speech, before ``normalise``: above the median level of its voiced 10 ms
    windows, every dB louder comes out 1/``ratio`` dB louder. It only ever lowers the gain.

    Speech peaks sit far above its loudness, so reaching −14 LUFS under −1 dBTP with the limiter
    alone pulls some syllables down by 10 dB; with this first, by about half that. Its gain falls
    over 5 ms ahead of a loud window, holds 30 ms and is smoothed over 9 ms twice, as the limiter's.
    Returns float32, the shape of ``pcm``; silence comes back unchanged.

    >>> quiet, loud = np.full(4800, 0.05), np.full(4800, 0.5)
    >>> out = compress(np.concatenate([quiet, loud, quiet]))
    >>> round(float(20 * np.log10(out[7200] / out[2400])), 1)  # 20 dB louder comes out 10 dB louder
    10.0
    """
    from scipy import ndimage  # imported when needed: reading a config needs no scipy

    source = _channels(pcm)
    step = SAMPLE_RATE // 1000
    blocks = -(-len(source) // step)
    power = np.zeros(blocks * step)
    power[: len(source)] = (source.astype(np.float64) ** 2).mean(axis=1)
    power = ndimage.uniform_filter1d(power.reshape(blocks, step).mean(axis=1), size=10, mode="nearest")
    level = 10 * np.log10(np.maximum(power, 1e-20))
    voiced = level[level > max(level.max() - 40, -100)]
    if not voiced.size:
        return np.asarray(pcm, dtype=np.float32).copy()
    gain_db = np.minimum(0.0, (np.median(voiced) - level) * (1 - 1 / ratio))
    gain = 10 ** (_held_and_smoothed(gain_db, 0.0, 5, 30, 9, len(source)) / 20)
    result = (source * gain[:, None]).astype(np.float32)
    return result[:, 0] if np.ndim(pcm) == 1 else result


def levelled(pcm: NDArray[np.floating[Any]], gain_db: float, limit_db: float) -> NDArray[np.float32]:
    """``pcm`` under a static gain (dB) and the smooth true-peak limiter at ``limit_db`` (dBTP): what ``normalise``
    applies, for a programme made in parts. The limiter reaches about 10 ms ahead and 60 ms after a peak, so parts
    that meet in silence come out as the whole would. Returns float32, the shape of ``pcm``.

    >>> out = levelled(np.full(4800, 0.5), 6.0, -1.0)
    >>> float(out.max()) < 10 ** (-1 / 20)  # 6 dB up would reach 0.998: the limiter holds it under −1 dBTP
    True
    """
    source = _channels(pcm)
    if not source.size:
        return np.asarray(pcm, dtype=np.float32).copy()
    result = (source * _gain(_peak_envelope(source), gain_db, 10 ** (limit_db / 20))[:, None]).astype(np.float32)
    return result[:, 0] if np.ndim(pcm) == 1 else result


def _gain(envelope: NDArray[np.float64], gain_db: float, threshold: float) -> NDArray[np.float64]:
    """Per sample, the static gain times the limiter's at ``threshold`` (linear), for a signal's peak ``envelope``."""
    static = 10 ** (gain_db / 20)
    return static * _limiter_gain(static * envelope, threshold)


class Normalised(NamedTuple):
    """What ``normalise`` returns (a NamedTuple: it still unpacks as (pcm, loudness))."""

    pcm: NDArray[np.float32]
    loudness: Loudness


def normalise(pcm: NDArray[np.floating[Any]], target_lufs: float = -14.0, ceiling_dbtp: float = -1.0) -> Normalised:
    """Gain ``pcm`` to ``target_lufs``, limiting true peaks to ``ceiling_dbtp`` with a smooth look-ahead limiter.

    Returns the float32 result and its ``Loudness`` measured on it: integrated within 0.1 LU of the
    target (always within ±0.5 LU), true peak at or below the ceiling; ``gain_db`` is the static
    gain applied before the limiter and ``limit_db`` the limiter's threshold (see ``levelled``). The
    limiter's gain falls over about 10 ms up to a peak, holds 50 ms and comes back over about 10 ms;
    as it lowers the loudness, the static gain is raised to make up for it (secant steps on an
    estimate, then checked on the result). A silent input comes back unchanged. Raises ``ValueError``
    if the target cannot be reached under the ceiling.
    """
    source = _channels(pcm)
    weighted = _k_weighted(source)
    level = _gated(_block_powers(weighted))
    if level == -math.inf:
        return Normalised(np.asarray(pcm, dtype=np.float32).copy(),
                          Loudness(level, true_peak(source), 0.0, ceiling_dbtp - 0.1))
    envelope = _peak_envelope(source)
    gain_db = target_lufs - level
    threshold = 10 ** ((ceiling_dbtp - 0.1) / 20)
    for _ in range(6):
        tried: list[tuple[float, float]] = []  # (static gain, estimated loudness)
        for _ in range(12):  # settle the static gain on an estimate: the limiter's gain applied after K-weighting
            used = gain_db
            gain = _gain(envelope, used, threshold)
            tried.append((used, _gated(_block_powers(weighted * gain))))
            miss = target_lufs - tried[-1][1]
            if abs(miss) < 0.01:
                break
            slope = 1.0  # loudness per dB of static gain: 1 without limiting, less with (secant)
            if len(tried) > 1 and tried[-1][0] != tried[-2][0]:
                slope = (tried[-1][1] - tried[-2][1]) / (tried[-1][0] - tried[-2][0])
            gain_db += miss / min(max(slope, 0.1), 1.0)
        result = (source * gain[:, None]).astype(np.float32)
        measured = Loudness(integrated_loudness(result), true_peak(result), used, _db(threshold))
        over = measured.true_peak - ceiling_dbtp
        if abs(target_lufs - measured.integrated) <= 0.1 and over <= 0:
            break
        gain_db = used + target_lufs - measured.integrated
        if over > 0:
            threshold *= 10 ** (-(over + 0.05) / 20)
    if abs(target_lufs - measured.integrated) > _TOLERANCE_LU or measured.true_peak > ceiling_dbtp:
        raise ValueError(
            f"cannot normalise to {target_lufs} LUFS under {ceiling_dbtp} dBTP: "
            f"reached {measured.integrated:.1f} LUFS, {measured.true_peak:.1f} dBTP"
        )
    if np.ndim(pcm) == 1:
        result = result[:, 0]
    return Normalised(result, measured)
