"""The last frame of every beat, and a contact sheet of them for reviewing a video at a glance."""

import subprocess
from concurrent.futures import ProcessPoolExecutor
import multiprocessing

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from riskvid.files import atomic_path

THUMB_SIZE = (480, 270)
COLUMNS = 4
MARGIN = 16
LABEL_HEIGHT = 30
SHEET_BACKGROUND = (228, 223, 211)  # paper3
LABEL_COLOUR = (58, 56, 52)  # ink2


def beat_stills(scene_class, params=None, narration=None, seed=0, size=THUMB_SIZE, work_dir=None):
    """[(beat, RGB array)] at the end of each beat of a scene, drawn without rendering a movie."""
    from manim import tempconfig

    settings = {
        "pixel_width": size[0],
        "pixel_height": size[1],
        "frame_rate": 15,
        "write_to_movie": False,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    if work_dir:
        settings["media_dir"] = str(work_dir)
    with tempconfig(settings):
        scene = scene_class(params=params, narration=narration, seed=seed, capture_stills=True, skip_animations=True)
        scene.render()
    return [(beat, np.asarray(frame)[:, :, :3].copy()) for beat, frame in scene.stills]


def job_stills(job, work_root):
    """Worker: the beat stills of one planned Job."""
    from scenes.registry import scene_classes

    scene_class = scene_classes()[job.scene]
    params = scene_class.Params.model_validate_json(job.params_json)
    return beat_stills(scene_class, params, dict(job.narration), job.seed, work_dir=f"{work_root}/{job.name}")


def all_stills(jobs, work_root, workers):
    """[(job name, stills)] for every job, computed in worker processes."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=context) as pool:
        results = pool.map(job_stills, jobs, [str(work_root)] * len(jobs))
        return [(job.name, stills) for job, stills in zip(jobs, results)]


def thumbnail(frame):
    """A beat still shrunk to the contact sheet's cell size, as an RGB array."""
    return np.asarray(Image.fromarray(np.asarray(frame)[:, :, :3]).resize(THUMB_SIZE, Image.LANCZOS))


def save_thumbnails(stills, target):
    """Store [(beat, RGB array)] as an .npz, atomically."""
    with atomic_path(target) as tmp, open(tmp, "wb") as handle:
        np.savez_compressed(handle, **dict(stills))


def load_thumbnails(path):
    """[(beat, RGB array)] from save_thumbnails' file, in beat order."""
    with np.load(path) as stored:
        return [(beat, stored[beat]) for beat in stored.files]


def contact_sheet(segments, target):
    """Write a grid of every beat still to ``target`` (PNG, atomically), each labelled "segment · beat".

    ``segments`` is [(segment name, [(beat, RGB array)])] in playing order.
    """
    entries = [(f"{name} · {beat}", frame) for name, stills in segments for beat, frame in stills]
    width, height = THUMB_SIZE
    rows = -(-len(entries) // COLUMNS)
    sheet = Image.new(
        "RGB",
        (MARGIN + COLUMNS * (width + MARGIN), MARGIN + rows * (height + LABEL_HEIGHT + MARGIN)),
        SHEET_BACKGROUND,
    )
    draw = ImageDraw.Draw(sheet)
    font = _label_font()
    for index, (label, frame) in enumerate(entries):
        x = MARGIN + (index % COLUMNS) * (width + MARGIN)
        y = MARGIN + (index // COLUMNS) * (height + LABEL_HEIGHT + MARGIN)
        sheet.paste(Image.fromarray(frame).resize(THUMB_SIZE), (x, y))
        draw.text((x, y + height + 6), label, fill=LABEL_COLOUR, font=font)
    with atomic_path(target) as tmp:
        sheet.save(tmp, format="PNG", optimize=True)


def _label_font():
    from scenes import theme

    try:
        family = theme.font("mono")
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True)
        return ImageFont.truetype(path.stdout, 18)
    except (OSError, subprocess.CalledProcessError):
        return ImageFont.load_default()
