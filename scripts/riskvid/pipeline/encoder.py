"""The render worker's frame sink: each frame encoded once, straight into the delivery format.

Manim's own writer encodes every ``play()`` into a separate partial movie and joins them; ours
keeps one H.264 stream per segment, as YouTube asks for it: High profile, yuv420p converted to
and tagged BT.709 (limited range), constant frame rate, closed GOPs of at most half a second
with two B-frames, quality-targeted (CRF, no filler), and an IDR keyframe at the first frame of
every beat so that beat clips can be cut from it without re-encoding. A held frame is converted
to YUV once however long it is held.

Frame taps watch the frames as they go by (beat posters, the GIF preview, review sheets); with
no target file the writer only feeds its taps.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
import numpy as np
from av.container import OutputContainer
from av.video.frame import PictureType
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter
from av.video.stream import VideoStream
from manim.scene.scene_file_writer import SceneFileWriter
from numpy.typing import NDArray

BT709 = 1  # H.264's (and FFmpeg's) code for BT.709 primaries, transfer and matrix alike
MUX_OPTIONS = {
    # The index first, so players and YouTube can start before the whole file is read; B-frames
    # shown through negative composition offsets rather than an edit list (YouTube asks for none).
    "movflags": "+faststart+negative_cts_offsets",
    "use_editlist": "0",
}
QUEUE_FRAMES = 8  # frames the renderer may run ahead of the encoder


@dataclass(frozen=True)
class EncoderSettings:
    """x264 settings of every segment clip; part of each segment's cache key.

    Chosen by measurement (``scripts/bench --encoder``: 40 frames of each scene at 1080p60, the
    decoded luma against the frames as converted): "superfast" spends about a quarter less CPU
    than "veryfast", and at CRF 20 every scene measured PSNR ≥ 51 dB and SSIM ≥ 0.999 at
    1.6–2.5 Mb/s.
    """

    preset: str = "superfast"
    crf: int = 20
    b_frames: int = 2
    gop_seconds: float = 0.5

    def options(self, fps: int) -> dict[str, str]:
        """libx264 options for a stream at ``fps``.

        >>> EncoderSettings().options(60)["g"], EncoderSettings().options(15)["g"]
        ('30', '7')
        """
        return {
            "preset": self.preset,
            "crf": str(self.crf),
            "profile": "high",
            "g": str(max(1, int(fps * self.gop_seconds))),
            "bf": str(self.b_frames),
            # One thread: a render already runs a worker per core, and the same bitstream on any machine.
            "threads": "1",
            # Closed GOPs; a forced keyframe (a beat's first frame) is an IDR frame.
            "x264-params": "open-gop=0:forced-idr=1",
        }


class FrameTap(Protocol):
    """Something that watches a segment's frames as they are written."""

    def begin_beat(self, name: str, frame: int) -> None: ...

    def frame(self, index: int, pixels: NDArray[np.uint8], repeat: int) -> None: ...


@dataclass
class _Output:
    target: Path
    fps: int
    width: int
    height: int
    settings: EncoderSettings


_Frame = tuple[NDArray[np.uint8], int, bool]  # a frame for the encoder thread: (pixels, repeat, keyframe)


@dataclass(frozen=True)
class Encoding:
    """An MP4 file being written, and its H.264 stream."""

    container: OutputContainer
    stream: VideoStream


class DeliveryWriter(SceneFileWriter):  # type: ignore[misc]  # manim's names read as Any (pyproject.toml)
    """A SceneFileWriter that writes one continuous delivery-format stream (see the module doc).

    Call ``configure`` after the scene is built and before ``render()``; the scene calls
    ``begin_beat`` at the start of each beat.
    """

    def configure(self, target: Path | None, fps: int, settings: EncoderSettings = EncoderSettings(),
                  taps: Sequence[FrameTap] = ()) -> None:
        """Write to ``target`` (None: feed the taps only) at ``fps`` with ``settings``."""
        self.output = None if target is None else _Output(Path(target), fps, 0, 0, settings)
        self.taps = list(taps)
        self.frames_written = 0
        self._keyframe_next = True
        self._queue: queue.Queue[_Frame | None] = queue.Queue(maxsize=QUEUE_FRAMES)  # renewed by each thread
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    # Manim's partial-movie machinery, turned off.
    def add_partial_movie_file(self, hash_animation: str | None) -> None:
        pass

    def begin_animation(self, allow_write: bool = False, **kwargs: Any) -> None:
        pass

    def end_animation(self, allow_write: bool = False) -> None:
        pass

    def is_already_cached(self, hash_invocation: str) -> bool:
        return False

    def begin_beat(self, name: str) -> None:
        """The next frame starts beat ``name``: it becomes a keyframe, and the taps are told."""
        self._keyframe_next = True
        for tap in self.taps:
            tap.begin_beat(name, self.frames_written)

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        """Take one RGBA frame (shown ``repeat`` times); ownership passes to the writer."""
        if not hasattr(self, "taps"):
            raise RuntimeError("DeliveryWriter.configure() was not called before rendering")
        for tap in self.taps:
            tap.frame(self.frames_written, pixels, repeat)
        if self.output is not None:
            self._put((pixels, repeat, self._keyframe_next))
        self._keyframe_next = False
        self.frames_written += repeat

    def finish(self) -> None:
        """Flush the encoder and close the file."""
        if self.output is not None and self._thread is not None:
            self._put(None)
            self._thread.join()
            self._thread = None
            if self._error is not None:
                raise self._error

    def abort(self) -> None:
        """Stop encoding and remove the unfinished file."""
        if self._thread is not None:
            self._put(None)
            self._thread.join()
            self._thread = None
        if self.output is not None:
            self.output.target.unlink(missing_ok=True)

    def _put(self, item: _Frame | None) -> None:
        if self._thread is None:
            self._queue = queue.Queue(maxsize=QUEUE_FRAMES)
            self._thread = threading.Thread(target=self._encode_all, name="delivery-encoder", daemon=True)
            self._thread.start()
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def _encode_all(self) -> None:
        """The encoder thread: convert and encode frames until the end marker."""
        out = self.output
        encoding: Encoding | None = None
        convert, pts = ToBT709(), 0
        try:
            while (item := self._queue.get()) is not None:
                pixels, repeat, keyframe = item
                if encoding is None:
                    assert out is not None  # the writer starts its thread only when it has a target
                    height, width = pixels.shape[:2]
                    encoding = _open(out.target, out.fps, width, height, out.settings)
                frame = convert(pixels)
                for i in range(repeat):
                    frame.pts = pts
                    frame.pict_type = PictureType.I if keyframe and i == 0 else PictureType.NONE
                    pts += 1
                    encoding.container.mux(encoding.stream.encode(frame))
            if encoding is not None:
                encoding.container.mux(encoding.stream.encode(None))
        except BaseException as error:  # reported by the render thread at its next frame or at finish
            self._error = error
            while self._queue.get() is not None:  # drain so the renderer never blocks
                pass
        finally:
            if encoding is not None:
                try:
                    encoding.container.close()
                except BaseException as error:  # reported like any other (the first one wins)
                    if self._error is None:
                        self._error = error


def _open(target: Path, fps: int, width: int, height: int, settings: EncoderSettings) -> Encoding:
    target.parent.mkdir(parents=True, exist_ok=True)
    container = av.open(str(target), "w", format="mp4", options=MUX_OPTIONS)
    stream = container.add_stream("libx264", rate=Fraction(fps), options=settings.options(fps))
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    codec = stream.codec_context
    codec.color_primaries = codec.color_trc = codec.colorspace = BT709
    codec.color_range = ColorRange.MPEG
    return Encoding(container, stream)


class ToBT709:
    """Converts RGBA (or RGB) frames to yuv420p with BT.709's matrix, limited range, tagged so.

    One converter per stream: it keeps its swscale context from frame to frame (a fresh context
    each time cost three times as much at 1080p). A contiguous frame is read where it lies (PyAV
    wraps the array: no copy); any other is first copied into an input frame kept for the purpose.
    """

    def __init__(self) -> None:
        self._reformatter = VideoReformatter()
        self._input: av.VideoFrame | None = None
        self._rows: NDArray[np.uint8] | None = None  # the input frame's pixels, written in place

    def __call__(self, pixels: NDArray[np.uint8]) -> av.VideoFrame:
        layout = "rgba" if pixels.shape[2] == 4 else "rgb24"
        if pixels.flags.c_contiguous:
            frame = av.VideoFrame.from_numpy_buffer(pixels, format=layout)
        else:
            frame = self._load(pixels, layout)
        return self._reformatter.reformat(
            frame,
            format="yuv420p",
            dst_colorspace=Colorspace.ITU709,
            src_color_range=ColorRange.JPEG,
            dst_color_range=ColorRange.MPEG,
            dst_color_trc=BT709,
            dst_color_primaries=BT709,
            threads=1,  # swscale's own threads cost several times the CPU (a render runs a worker per core)
        )

    def _load(self, pixels: NDArray[np.uint8], layout: str) -> av.VideoFrame:
        """``pixels`` copied into the kept input frame (made anew when the size or layout changes)."""
        height, width, channels = pixels.shape
        frame, rows = self._input, self._rows
        if frame is None or rows is None or (frame.width, frame.height, frame.format.name) != (width, height, layout):
            frame = self._input = av.VideoFrame(width, height, layout)
            plane = frame.planes[0]  # its rows may be padded (854 RGBA pixels sit in rows of 3,424 bytes)
            # numpy's stubs take no buffer-protocol object before Python 3.12 (a PyAV plane is one)
            buffer = np.frombuffer(plane, np.uint8)  # type: ignore[call-overload]
            rows = self._rows = buffer[:height * plane.line_size].reshape(height, plane.line_size)
        rows[:, :width * channels] = pixels.reshape(height, width * channels)
        return frame
