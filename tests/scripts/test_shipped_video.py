"""The shipped video.yaml, narrated and rendered small: the whole storyboard, continuous, ending on its card."""

import json

import av
import numpy as np
import pytest
import yaml
from PIL import Image

from riskvid.cli import main
from scenes.registry import scene_classes
from tests.helpers import ROOT

# Renders the whole shipped video (the full suite only), once: every test of the module on one worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("shipped_video")]

STORYBOARD_ORDER = ["title", "baby_vs_ai", "formula", "loss_bars", "pixels", "training_loop", "outro"]
FPS = 5
INK = 40  # a pixel this far (summed over RGB) from the page's colour is drawn on


@pytest.fixture(scope="session")  # kept for the worker's whole run: xdist may interleave other modules
def shipped(tmp_path_factory):
    """The shipped config with its real voice, drawn at 256x144 and 5 fps so it takes a minute, not ten."""
    config = yaml.safe_load((ROOT / "video.yaml").read_text())
    assert [s["scene"] for s in config["segments"]] == STORYBOARD_ORDER
    config.update(resolution="256x144", fps=FPS)
    folder = tmp_path_factory.mktemp("shipped")
    (folder / "video.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert main(["render", str(folder / "video.yaml")]) == 0
    root = folder / "media" / config["id"]
    return config, root, json.loads((root / "manifest.json").read_text())


def drawn_share(frame, page):
    return float((np.abs(frame.astype(int) - page).sum(axis=2) > INK).mean())


def test_every_segment_in_storyboard_order_with_every_line_in_its_beat(shipped):
    config, root, manifest = shipped
    assert set(STORYBOARD_ORDER) == set(scene_classes())
    assert [s["scene"] for s in manifest["segments"]] == STORYBOARD_ORDER
    for segment, spec in zip(manifest["segments"], config["segments"]):
        said = [line["text"] for beat in segment["beats"] for line in beat["lines"]]
        written = [line if isinstance(line, str) else line["text"] for lines in spec["narration"].values()
                   for line in ([lines] if isinstance(lines, (str, dict)) else lines)]
        assert sorted(said) == sorted(" ".join(text.split()) for text in written)
        for beat in segment["beats"]:
            for line in beat["lines"]:
                assert beat["start"] <= line["start"] < line["end"] <= beat["end"] + 1e-6, line["id"]
    assert 180 <= manifest["video"]["duration"] <= 420, "the storyboard asks for a few minutes"
    assert manifest["sound"]["loudness_lufs"] == pytest.approx(-14, abs=1)


def test_no_blank_frame_after_half_a_second_and_the_video_ends_on_its_held_end_card(shipped):
    _, root, manifest = shipped
    with av.open(str(root / manifest["video"]["file"])) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert len(frames) == manifest["video"]["frames"]
    page = frames[0][0, 0].astype(int)
    blank = [i / FPS for i, frame in enumerate(frames) if i >= FPS * 0.5 and drawn_share(frame, page) < 0.002]
    assert not blank, f"blank frames at {blank[:10]} s"
    held = frames[-2 * FPS:]  # the end card holds, fully drawn, for its last two seconds at least
    # a still picture, up to the codec: a keyframe every few frames at 5 fps redraws sharp edges slightly
    assert all(drawn_share(frame, held[-1]) < 0.002 for frame in held)
    assert drawn_share(held[-1], page) > 0.05


def test_every_beat_poster_is_distinct_and_shows_something(shipped):
    _, root, _ = shipped
    posters = sorted((root / "slides").glob("*/*.png"))
    assert len(posters) >= 30
    seen = {}
    for path in posters:
        pixels = np.asarray(Image.open(path).convert("RGB"))
        assert drawn_share(pixels, pixels[0, 0].astype(int)) > 0.01 or pixels.std() > 10, f"{path} is blank"
        key = pixels.tobytes()
        assert key not in seen, f"{path.parent.name}/{path.name} repeats {seen.get(key)}"
        seen[key] = f"{path.parent.name}/{path.name}"


def test_both_packages_are_there(shipped):
    config, root, _ = shipped
    assert (root / "youtube" / f"{config['id']}.mp4").stat().st_size > 0
    assert len((root / "youtube" / "chapters.txt").read_text().splitlines()) == len(STORYBOARD_ORDER)
    assert (root / "slides" / "deck.pptx").stat().st_size > 0 and (root / "slides" / "index.html").exists()
