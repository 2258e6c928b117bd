"""Configs someone else wrote: outputs stay home, links are never followed, damage repairs itself.

Each case is one a careless or hostile user tried (issue 12); each must be refused in one line, or
survived, with nothing written where it should not be.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from riskvid.cli import main
from riskvid.files import atomic_path, folder_lock
from tests.helpers import TINY, render

pytestmark = pytest.mark.slow  # renders whole videos or waits on processes: the full suite only


def write(folder, text, name="video.yaml"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def refused(capsys, argv, *fragments, status=2):
    """Run riskvid; it must exit ``status`` with one error line (after any progress lines) holding ``fragments``."""
    assert main(argv) == status
    err = capsys.readouterr().err.strip()
    last = err.splitlines()[-1]
    assert "Traceback" not in err and last.startswith("error: ") and err.count("error: ") == 1, err
    for fragment in fragments:
        assert fragment in last, err
    return last


# Outputs go only where they may.


@pytest.mark.parametrize("output", ["/tmp/elsewhere", "../../../elsewhere", "../alice/media", "~/videos"])
def test_an_output_outside_the_configs_folder_is_refused_by_check(tmp_path, capsys, output):
    config = write(tmp_path / "bob", TINY + f"output: {json.dumps(output)}\n")
    refused(capsys, ["check", str(config)], "output")
    refused(capsys, ["render", str(config)], "output")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bob"] and not (tmp_path / "bob" / "media").exists()


def test_a_service_may_allow_another_root_explicitly(tmp_path, capsys):
    config = write(tmp_path / "configs", TINY + "output: ../media\n")
    refused(capsys, ["check", str(config)], "is outside")
    assert main(["check", str(config), "--root", str(tmp_path)]) == 0
    os.environ["RISKVID_ROOT"] = str(tmp_path)
    try:
        assert main(["check", str(config)]) == 0
    finally:
        del os.environ["RISKVID_ROOT"]


@pytest.mark.parametrize("folder", ["slides", "youtube", "segments", ".cache"])
def test_a_symlinked_folder_inside_the_output_is_refused_not_followed(own_copy, tmp_path, capsys, folder):
    root = own_copy.parent / "media" / "tiny"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    shutil.rmtree(root / folder)
    (root / folder).symlink_to(victim, target_is_directory=True)
    own_copy.write_text(own_copy.read_text().replace("epochs: 3", "epochs: 2"))  # something to write
    err = refused(capsys, ["render", str(own_copy), "--jobs", "1"], "is a symlink", status=1)
    assert folder in err
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"] and (victim / "keep.txt").read_text() == "mine"


def test_nothing_planted_under_a_temporary_name_is_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in (".manifest.json.part.json", ".manifest.json.tmp", "manifest.json.part"):
        (tmp_path / name).symlink_to(victim)
    with atomic_path(tmp_path / "manifest.json") as tmp:
        assert not tmp.is_symlink()
        tmp.write_text("{}")
    assert victim.read_text() == "keep me" and (tmp_path / "manifest.json").read_text() == "{}"


def test_a_lock_that_is_not_a_regular_file_is_refused_at_once(tmp_path, capsys):
    config = write(tmp_path, TINY)
    (tmp_path / "media" / "tiny").mkdir(parents=True)
    os.mkfifo(tmp_path / "media" / "tiny" / ".lock")
    refused(capsys, ["render", str(config)], ".lock is not a regular file", status=1)


def test_a_percent_or_tilde_in_the_output_path_or_tmpdir_does_not_reach_latex(tmp_path):
    folder = tmp_path / "100% ~cool"
    config = write(folder, TINY.replace("  - id: bars\n    scene: loss_bars\n    params:\n      epochs: 3\n", "")
                   + "output: 'out 50%'\n")
    tmp = tmp_path / "tmp 10%"
    tmp.mkdir()
    result = subprocess.run([sys.executable, "-m", "riskvid.cli", "render", str(config), "--no-publish"],
                            capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (folder / "out 50%" / "tiny" / "tiny.mp4").is_file()


# Check means it will render.


@pytest.mark.parametrize("bad, fragment", [
    ("title: '   '", "title: must contain a visible character"),
    ("resolution: 16x16", "resolution"),
    ("fps: 7", "fps: must divide 48000"),
    ("title: 'Learn 你好'", "no installed font can draw '你', '好'"),
])
def test_values_that_would_fail_later_are_refused_by_check(tmp_path, capsys, bad, fragment):
    key = bad.split(":")[0]
    lines = [line for line in TINY.lstrip().splitlines() if not line.startswith(f"{key}:")]
    config = write(tmp_path, "\n".join([*lines, bad]) + "\n")
    refused(capsys, ["check", str(config)], fragment)


def test_a_blank_segment_title_is_refused(tmp_path, capsys):
    config = write(tmp_path, TINY.replace("    scene: title\n", "    scene: title\n    title: ' '\n"))
    refused(capsys, ["check", str(config)], "segments[0].title: must contain a visible character")


def test_emoji_in_a_title_are_drawn_not_boxes(tmp_path):
    from manim import Text

    from scenes import theme

    text = Text("Learn 🚀", font=theme.font("body"))
    assert all(len(glyph.points) > 0 for glyph in text.submobjects)
    assert theme.undrawable("Learn 🚀") == []


# Budgets.


def test_a_config_at_the_schemas_maxima_is_refused_before_anything_runs(tmp_path, capsys):
    segments = "".join(f"  - {{id: s{i}, scene: loss_bars, params: {{epochs: 50}}}}\n" for i in range(40))
    config = write(tmp_path, f"id: huge\ntitle: Huge\nresolution: 7680x4320\nfps: 120\nsegments:\n{segments}")
    refused(capsys, ["check", str(config)], "over this run's cap of 3840x2160")
    refused(capsys, ["render", str(config), "--dry-run"], "over this run's cap")
    assert not (tmp_path / "media").exists()


def test_check_and_dry_run_say_what_a_config_will_cost(tiny_config, capsys):
    assert main(["check", str(tiny_config)]) == 0
    out = capsys.readouterr().out
    assert "cost:" in out and "min of video" in out and "frames at 128x72" in out and "GB on disk" in out
    assert main(["render", str(tiny_config), "--dry-run", "--max-minutes", "0.1"]) == 2
    assert "over this run's cap of 0.1" in capsys.readouterr().err
    assert not (tiny_config.parent / "media").exists()


def test_youtubes_limits_are_checked_before_publishing(own_copy, capsys):
    root = own_copy.parent / "media" / "tiny"
    before = {p: p.read_bytes() for p in (root / "youtube").iterdir()}
    own_copy.write_text(own_copy.read_text().replace("title: Tiny test video", "title: Tiny <b>video</b>"))
    refused(capsys, ["render", str(own_copy)], "YouTube does not allow '<' or '>'")
    assert {p: p.read_bytes() for p in (root / "youtube").iterdir()} == before


# Damaged state repairs itself.


@pytest.mark.parametrize("damage", ["[1, 2]", '{"key": 3, "seconds": "x"}', "not json"])
def test_a_cache_record_of_the_wrong_shape_is_a_miss(own_copy, capsys, damage):
    root = own_copy.parent / "media" / "tiny"
    for record in (root / ".cache").rglob("*.json"):
        record.write_text(damage)
    assert main(["render", str(own_copy), "--dry-run"]) == 0
    assert "render 01-title" in capsys.readouterr().out
    _, manifest = render(own_copy)
    assert {s["status"] for s in manifest["segments"]} == {"rendered"}


def test_garbage_npz_files_are_a_miss_not_unsafe_loading(own_copy):
    root = own_copy.parent / "media" / "tiny"
    for stored in (root / ".cache").rglob("*.np*"):
        stored.write_bytes(b"\x93NUMPY garbage, or a pickle: cos\nsystem\n(S'touch pwned'\ntR.")
    render(own_copy)
    assert not (own_copy.parent / "pwned").exists()
    assert (root / "contact-sheet.png").is_file() and (root / "slides" / "01-title.gif").is_file()


@pytest.mark.parametrize("change", ["delete", "truncate"])
def test_a_deleted_or_truncated_caption_file_is_caught_and_rewritten(own_copy, change):
    root = own_copy.parent / "media" / "tiny"
    captions = root / "segments" / "01-title.srt"
    original = captions.read_text()
    if change == "delete":
        captions.unlink()
    else:
        captions.write_text(original[:10])
    render(own_copy)
    assert captions.read_text() == original


def test_output_survives_an_ascii_only_terminal(tiny_config):
    result = subprocess.run([sys.executable, "-m", "riskvid.cli", "check", str(tiny_config)], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}, timeout=120)
    assert result.returncode == 0, result.stderr
    with folder_lock(tiny_config.parent / "media" / "tiny"):
        result = subprocess.run([sys.executable, "-m", "riskvid.cli", "render", str(tiny_config)],
                                capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=120)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
