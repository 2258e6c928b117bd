"""The contact sheet: one labelled thumbnail per beat of every segment."""

from PIL import Image

from riskvid.cli import main
from riskvid.stills import COLUMNS, LABEL_HEIGHT, MARGIN, THUMB_SIZE
from scenes.registry import scene_classes


def test_contact_sheet_has_a_cell_per_beat(tiny_config, capsys):
    assert main(["stills", str(tiny_config), "--jobs", "2"]) == 0
    sheet = tiny_config.parent / "media" / "tiny" / "contact-sheet.png"
    beats = len(scene_classes()["title"].beats) + len(scene_classes()["loss_bars"].beats)
    assert f"{beats} beats from 2 segments" in capsys.readouterr().out
    rows = -(-beats // COLUMNS)
    with Image.open(sheet) as image:
        assert image.format == "PNG"
        assert image.size == (
            MARGIN + COLUMNS * (THUMB_SIZE[0] + MARGIN),
            MARGIN + rows * (THUMB_SIZE[1] + LABEL_HEIGHT + MARGIN),
        )
        # the first cell holds a real frame: the paper background, not the sheet's grey
        assert image.getpixel((MARGIN + 5, MARGIN + 5)) == (250, 248, 244)
    assert not (sheet.parent / ".work").exists()
