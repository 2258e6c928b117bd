"""The colour converter every frame goes through: any width, RGB or RGBA, frame after frame."""

import av
import numpy as np
import pytest
from av.video.reformatter import ColorRange, Colorspace

from riskvid.pipeline.encoder import BT709, ToBT709


@pytest.mark.parametrize("width", [256, 854, 130])  # 854 and 130 pixels make rows that PyAV pads
@pytest.mark.parametrize("layout", ["rgba", "rgb24"])
@pytest.mark.parametrize("contiguous", [True, False])  # read in place, or copied into a kept frame
def test_frames_convert_as_a_fresh_frame_would_whatever_the_rows_padding(width, layout, contiguous):
    channels = 4 if layout == "rgba" else 3
    convert, random = ToBT709(), np.random.default_rng(7)
    for _ in range(2):  # the second frame reuses the first one's input frame
        pixels = random.integers(0, 256, (72, width + 3, channels), dtype=np.uint8)
        pixels = np.ascontiguousarray(pixels[:, :width]) if contiguous else pixels[:, :width]
        assert pixels.flags.c_contiguous == contiguous
        expected = av.VideoFrame.from_ndarray(pixels, format=layout).reformat(
            format="yuv420p", dst_colorspace=Colorspace.ITU709, src_color_range=ColorRange.JPEG,
            dst_color_range=ColorRange.MPEG, dst_color_trc=BT709, dst_color_primaries=BT709)
        got = convert(pixels)
        assert (got.width, got.height) == (width, 72)
        assert np.array_equal(got.to_ndarray(), expected.to_ndarray())
