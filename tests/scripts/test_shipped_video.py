"""The shipped video.yaml renders the whole storyboard, every segment captioned."""

import json

import srt
import yaml

from riskvid.cli import main
from scenes.registry import scene_classes
from tests.conftest import ROOT

STORYBOARD_ORDER = ["title", "baby_vs_ai", "formula", "loss_bars", "pixels", "training_loop", "outro"]


def test_shipped_config_renders_every_segment_with_captions(tmp_path):
    config = yaml.safe_load((ROOT / "video.yaml").read_text())
    assert [s["scene"] for s in config["segments"]] == STORYBOARD_ORDER
    assert set(STORYBOARD_ORDER) == set(scene_classes()) - {"thumbnail"}
    # The same config, drawn small and slow so the test takes seconds rather than minutes.
    config.update(resolution="256x144", fps=5)
    path = tmp_path / "video.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))

    assert main(["render", str(path)]) == 0
    root = tmp_path / "media" / config["id"]
    manifest = json.loads((root / "manifest.json").read_text())
    assert [s["scene"] for s in manifest["segments"]] == STORYBOARD_ORDER
    for segment, spec in zip(manifest["segments"], config["segments"]):
        captions = list(srt.parse((root / segment["captions"]).read_text()))
        lines = [line for beat_lines in spec["narration"].values() for line in beat_lines]
        assert [c.content for c in captions] == lines
        assert captions[-1].end.total_seconds() <= segment["duration"] + 1e-3
        assert all(a.end <= b.start for a, b in zip(captions, captions[1:]))
        for caption in captions:  # readable: at most 20 characters a second on screen
            assert len(caption.content) <= 20 * (caption.end - caption.start).total_seconds(), caption.content
    assert 180 <= manifest["video"]["duration"] <= 300, "the storyboard asks for about 3 to 4 minutes"
    assert (root / "contact-sheet.png").stat().st_size > 0
    # render also publishes: both packages are there
    assert (root / "youtube" / f"{config['id']}.mp4").stat().st_size > 0
    assert len((root / "youtube" / "chapters.txt").read_text().splitlines()) == len(STORYBOARD_ORDER)
    assert (root / "slides" / "deck.pptx").stat().st_size > 0 and (root / "slides" / "index.html").exists()
