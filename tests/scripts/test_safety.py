"""Outputs stay inside the output folder, one writer at a time, text from the config is data."""

import os

import pytest
from manim import Text, tempconfig

from riskvid.cli import main
from riskvid.files import folder_lock
from scenes.segments.title import TitleParams, TitleScene


def test_symlinked_output_folder_is_refused(tiny_config, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "tiny").symlink_to(outside, target_is_directory=True)
    assert main(["render", str(tiny_config)]) == 1
    assert "is a symlink" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_planted_symlink_under_a_temporary_name_is_not_written_through(tiny_config, tmp_path):
    from riskvid.files import write_json

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / ".manifest.json.part.json").symlink_to(victim)
    write_json(tmp_path / "manifest.json", {"ok": True})
    assert victim.read_text() == "keep me"


def test_second_writer_is_refused_clearly(tiny_config, capsys):
    root = tiny_config.parent / "media" / "tiny"
    with folder_lock(root):
        assert main(["render", str(tiny_config)]) == 1
    assert "another riskvid run is writing to" in capsys.readouterr().err


@pytest.mark.parametrize(
    "title",
    [r"\input{/etc/passwd}", r"$\immediate\write18{touch pwned}$", '<span foreground="red">x</span>', "a & b < c"],
)
def test_config_text_is_shown_literally(title, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with tempconfig({"pixel_width": 128, "pixel_height": 72, "media_dir": str(tmp_path), "verbosity": "ERROR"}):
        scene = TitleScene(params=TitleParams(question=title))
        shown = [m for m in scene.get_question().get_family() if isinstance(m, Text)]
    assert [m.text for m in shown] == [title.replace(" ", "")]  # manim keeps the text without spaces
    # every non-space character is drawn as its own glyph: nothing was parsed as markup
    assert len(shown[0].submobjects) == len(title.replace(" ", ""))
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")


def test_publish_before_render_says_what_to_do_and_writes_nothing(tiny_config, capsys):
    assert main(["publish", str(tiny_config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: nothing rendered in") and err.rstrip().endswith("run riskvid render first")
    assert not (tiny_config.parent / "media").exists()
