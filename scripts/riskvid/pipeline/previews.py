"""Which frames of a segment its GIF preview shows (the render keeps them small as they go by)."""

from __future__ import annotations

GIF_FPS = 6
GIF_SECONDS = 8  # the preview is a time-lapse of the whole segment, at most this long


def gif_frames(total: int, fps: int) -> tuple[int, ...]:
    """The frames of a segment's GIF preview: real time if short, else a time-lapse of the whole segment.

    >>> gif_frames(4, 5)
    (0, 1, 2, 3)
    >>> picks = gif_frames(900, 15); len(picks) == GIF_FPS * GIF_SECONDS, picks[-1]
    (True, 899)
    """
    rate = min(GIF_FPS, fps)
    count = max(1, min(total, round(min(total / fps, GIF_SECONDS) * rate)))
    if count == 1:
        return (0,)
    return tuple(sorted({round(i * (total - 1) / (count - 1)) for i in range(count)}))
