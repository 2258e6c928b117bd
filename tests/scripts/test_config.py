"""Config validation: good configs load; every bad one fails with one clear line and exit 2."""

import time

import pytest

from riskvid.cli import main
from riskvid.config.load import load_config
from riskvid.config.messages import ConfigError
from riskvid.config.model import Frame
from tests.helpers import ROOT

HEAD = "id: v\ntitle: A video\n"
ONE_SEGMENT = "segments:\n  - id: a\n    scene: title\n"


@pytest.mark.slow
@pytest.mark.xdist_group("shipped")
def test_shipped_config_is_valid(capsys):
    assert main(["check", str(ROOT / "video.yaml")]) == 0
    assert "ok" in capsys.readouterr().out


def test_defaults_live_in_the_models(write_config):
    config = load_config(write_config(HEAD + ONE_SEGMENT))
    assert config.quality == "high" and config.output == "media"
    assert config.frame_settings() == Frame(1920, 1080, 60)
    assert config.frame_settings("low") == Frame(854, 480, 15)


def test_overrides_apply_to_the_configs_own_preset(write_config):
    config = load_config(write_config(HEAD + "quality: medium\nfps: 24\nresolution: 1000x500\n" + ONE_SEGMENT))
    assert config.frame_settings() == Frame(1000, 500, 24)
    assert config.frame_settings("low") == Frame(854, 480, 15)


BAD = {
    "malformed yaml": ("id: [", r"bad.yaml:1: not valid YAML"),
    "empty file": ("", r"bad.yaml:1: the file is empty"),
    "top-level list": ("- 1\n- 2\n", r"bad.yaml:1: the file is a list"),
    "unknown top key": (
        HEAD + "qualty: low\n" + ONE_SEGMENT,
        r"bad.yaml:3: qualty: unknown key 'qualty'; did you mean 'quality'\?",
    ),
    "unknown segment key": (
        HEAD + ONE_SEGMENT + "    parms: {}\n",
        r"bad.yaml:6: segments\[0\].parms: unknown key 'parms'; did you mean 'params'\?",
    ),
    "unknown param": (
        HEAD + ONE_SEGMENT.replace("title\n", "loss_bars\n") + "    params: {epoch: 3}\n",
        r"bad.yaml:6: segments\[0\].params.epoch: unknown key 'epoch'; did you mean 'epochs'\?",
    ),
    "out of range": (
        HEAD + ONE_SEGMENT.replace("title\n", "loss_bars\n") + "    params:\n      epochs: 0\n",
        r"bad.yaml:7: segments\[0\].params.epochs: must be between 1 and 50, got 0",
    ),
    "wrong type": (HEAD + "seed: lots\n" + ONE_SEGMENT, r"bad.yaml:3: seed: input should be a valid integer"),
    "unknown scene": (
        HEAD + ONE_SEGMENT.replace("title\n", "titel\n"),
        r"bad.yaml:5: segments\[0\].scene: unknown scene 'titel'; did you mean 'title'\?",
    ),
    "duplicate id": (
        HEAD + ONE_SEGMENT + "  - id: a\n    scene: title\n",
        r"bad.yaml:3: segments: duplicate segment id 'a'",
    ),
    "empty segments": (HEAD + "segments: []\n", r"bad.yaml:3: segments: list should have at least 1 item"),
    "bad quality": (
        HEAD + "quality: ultra\n" + ONE_SEGMENT,
        r"bad.yaml:3: quality: must be one of 'low', 'medium', 'high' or '4k'",
    ),
    "path-like id": ("id: ../x\ntitle: t\n" + ONE_SEGMENT, r"bad.yaml:1: id: '../x' is not a valid name"),
    "python tag": (
        "x: !!python/object/apply:os.system [ls]\n",
        r"bad.yaml:1: not valid YAML: .*tags that build objects are not allowed",
    ),
    "duplicate key": (HEAD + "id: w\n" + ONE_SEGMENT, r"bad.yaml:3: id: duplicate key"),
    "scalar at the top": ("just words\n", r"bad.yaml:1: the file is a str"),
    "tab indentation": ("id: v\ntitle: t\nsegments:\n\t- id: a\n", r"bad.yaml:4: not valid YAML"),
    "tab inside a text": (
        HEAD.replace("A video", '"A\\tvideo"') + ONE_SEGMENT,
        r"bad.yaml:2: title: must not contain control characters",
    ),
    "epochs 10^9": (
        HEAD + ONE_SEGMENT.replace("title\n", "loss_bars\n") + "    params:\n      epochs: 1000000000\n",
        r"bad.yaml:7: segments\[0\].params.epochs: must be between 1 and 50",
    ),
    "noise above 1": (
        HEAD + ONE_SEGMENT.replace("title\n", "pixels\n") + "    params:\n      noise: 1.5\n",
        r"bad.yaml:7: segments\[0\].params.noise: must be between 0(.0)? and 1",
    ),
    "noise below 0": (
        HEAD + ONE_SEGMENT.replace("title\n", "pixels\n") + "    params:\n      noise: -0.1\n",
        r"bad.yaml:7: segments\[0\].params.noise: must be between 0(.0)? and 1",
    ),
    "fps 1000": (HEAD + "fps: 1000\n" + ONE_SEGMENT, r"bad.yaml:3: fps: must be between 1 and 120, got 1000"),
    "resolution 0x0": (
        HEAD + "resolution: 0x0\n" + ONE_SEGMENT,
        r"bad.yaml:3: resolution: must be text, got 0; put it in quotes",
    ),
    "resolution 100000x100000": (
        HEAD + "resolution: 100000x100000\n" + ONE_SEGMENT,
        r"bad.yaml:3: resolution: .*not a resolution",
    ),
    "negative duration": (
        HEAD + ONE_SEGMENT + "    params:\n      hold_seconds: -1\n",
        r"bad.yaml:7: segments\[0\].params.hold_seconds: must be between 0.1 and 30",
    ),
    "million-character text": (
        HEAD.replace("A video", "x" * 1_000_000) + ONE_SEGMENT,
        r"bad.yaml: file is \d+ bytes; a config must be under",
    ),
    "long text": (
        HEAD.replace("A video", "x" * 301) + ONE_SEGMENT,
        r"bad.yaml:2: title: is too long: at most 300 characters",
    ),
    "unknown nested key": (
        HEAD
        + ONE_SEGMENT.replace("title\n", "formula\n")
        + "    params:\n      goal:\n        meening: x\n",
        r"bad.yaml:8: segments\[0\].params.goal.meening: unknown key 'meening'; did you mean 'meaning'\?",
    ),
    "unknown narration beat": (
        HEAD + ONE_SEGMENT + "    narration: {nope: hi}\n",
        r"bad.yaml:4: segments\[0\]: narration: title has no beat 'nope'",
    ),
    "unknown poster beat": (
        HEAD + ONE_SEGMENT + "    poster: glimpse_formla\n",
        r"bad.yaml:4: segments\[0\]: poster: title has no beat 'glimpse_formla'; did you mean 'glimpse_formula'\?",
    ),
    "unknown paper": (
        HEAD + "slides: {paper: a5}\n" + ONE_SEGMENT,
        r"bad.yaml:3: slides.paper: must be one of 'a4' or 'letter'",
    ),
}


@pytest.mark.parametrize("text, expected", BAD.values(), ids=BAD.keys())
def test_bad_config_is_one_line_and_exit_2(write_config, capsys, text, expected):
    path = write_config(text, "bad.yaml")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert __import__("re").search(expected, err), err


def test_non_utf8_bytes_are_rejected(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"id: v\ntitle: caf\xe9\n")
    assert main(["check", str(path)]) == 2
    assert "bad.yaml:2: not UTF-8 text (byte 0xe9 at offset 16); save it as UTF-8" in capsys.readouterr().err


def test_render_rejects_bad_config_before_writing_anything(write_config, tmp_path, capsys):
    path = write_config(HEAD + "fps: 0\n" + ONE_SEGMENT, "bad.yaml")
    assert main(["render", str(path)]) == 2
    assert "fps: must be between 1 and 120, got 0" in capsys.readouterr().err
    assert not (tmp_path / "media").exists()


def test_alias_bomb_fails_fast(write_config):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write_config("\n".join(lines) + "\n")  # 9⁹ ≈ 387 million values once expanded
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="expands to over"):
        load_config(path)
    assert time.perf_counter() - started < 1.0, "an alias bomb must be refused before it is expanded"


def test_a_scene_that_picks_up_what_the_scene_before_does_not_leave_is_refused_by_check(write_config, monkeypatch,
                                                                                          capsys):
    from scenes.registry import scene_classes

    config = write_config(HEAD + "segments:\n  - id: intro\n    scene: title\n  - id: parts\n    scene: formula\n")
    assert main(["check", str(config)]) == 0  # as shipped, the title leaves the panel the formula picks up
    capsys.readouterr()
    monkeypatch.setattr(scene_classes()["title"], "leaves", ())
    assert main(["check", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "video.yaml:3: segments: parts cannot follow intro: formula picks up" in err
