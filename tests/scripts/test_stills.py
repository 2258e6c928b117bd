"""Review sheets: each segment's frames through every beat, to see the motion without watching."""

import pytest
from PIL import Image

from riskvid.cli import main
from riskvid.pipeline.sheets import COLUMNS, LABEL_HEIGHT, MARGIN, THUMB_SIZE


@pytest.mark.slow
def test_review_has_a_sheet_per_segment_with_a_frame_every_second_of_each_beat(tiny_config, capsys):
    assert main(["stills", str(tiny_config), "--jobs", "2"]) == 0
    assert "2 review sheets" in capsys.readouterr().out
    folder = tiny_config.parent / "media" / "tiny" / "review"
    sheets = sorted(folder.glob("*.png"))
    assert [p.name for p in sheets] == ["01-title.png", "02-bars.png"]
    with Image.open(sheets[0]) as sheet:
        rows = (sheet.height - MARGIN) // (THUMB_SIZE[1] + LABEL_HEIGHT + MARGIN)
        assert sheet.width == MARGIN + COLUMNS * (THUMB_SIZE[0] + MARGIN)
        assert rows * COLUMNS >= 10  # the title runs about 10 s: a frame a second at least
    assert not list(folder.parent.glob(".work"))
