"""Sheets of frames in a labelled grid: a segment's frames through each beat (review), every beat's poster
(contact sheet)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

THUMB_SIZE = (480, 270)
COLUMNS = 4
MARGIN = 16
LABEL_HEIGHT = 30
RGB = NDArray[np.uint8]


def review_sheet(name: str, samples: dict[str, list[tuple[float, RGB]]], fps: int, target: Path,
                 theme: str = "paper") -> None:
    """A sheet of ``samples`` (a segment's frames through each beat), each labelled "beat · share"."""
    cells = [(f"{beat} · {share:.0%}", frame) for beat, frames in samples.items() for share, frame in frames]
    _sheet(cells, target, theme)


def contact_sheet(segments: list[tuple[str, list[tuple[str, RGB]]]], target: Path, theme: str = "paper") -> None:
    """Write a grid of every beat still to ``target`` (PNG), each labelled "segment · beat".

    ``segments`` is [(segment name, [(beat, RGB array)])] in playing order.
    """
    _sheet([(f"{name} · {beat}", frame) for name, stills in segments for beat, frame in stills], target, theme)


def _sheet(cells: list[tuple[str, RGB]], target: Path, theme: str = "paper") -> None:
    from scenes.palette import colours

    palette = colours(theme)
    background, label_colour = palette["page3"], palette["ink2"]
    width, height = THUMB_SIZE
    rows = max(1, -(-len(cells) // COLUMNS))
    sheet = Image.new(
        "RGB",
        (MARGIN + COLUMNS * (width + MARGIN), MARGIN + rows * (height + LABEL_HEIGHT + MARGIN)),
        background,
    )
    draw = ImageDraw.Draw(sheet)
    font = _label_font()
    for index, (label, frame) in enumerate(cells):
        x = MARGIN + (index % COLUMNS) * (width + MARGIN)
        y = MARGIN + (index // COLUMNS) * (height + LABEL_HEIGHT + MARGIN)
        sheet.paste(Image.fromarray(np.asarray(frame)[:, :, :3]).resize(THUMB_SIZE), (x, y))
        draw.text((x, y + height + 6), label, fill=label_colour, font=font)
    sheet.save(target, format="PNG", compress_level=6)  # optimize=True: 1 % smaller, 2.7× slower


def _label_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from scenes import theme

    try:
        family = theme.font("mono")
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True)
        return ImageFont.truetype(path.stdout, 18)
    except (OSError, subprocess.CalledProcessError):
        return ImageFont.load_default()
