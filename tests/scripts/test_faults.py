"""Faults: a killed render loses nothing finished; renders are deterministic."""

import json
import os
import signal
import subprocess
import sys
import time

import av
import numpy as np
import psutil
import pytest

from riskvid.cli import main
from tests.helpers import in_session

pytestmark = pytest.mark.slow  # renders whole videos or waits on processes: the full suite only


def _frames(path):
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_two_cold_renders_give_identical_frames_and_keys(write_config, tmp_path):
    from tests.helpers import TINY

    manifests, videos = [], []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        config = tmp_path / name / "video.yaml"
        config.write_text(TINY.lstrip())
        assert main(["render", str(config), "--jobs", "2", "--no-publish"]) == 0
        root = tmp_path / name / "media" / "tiny"
        manifests.append(json.loads((root / "manifest.json").read_text()))
        videos.append(root / "tiny.mp4")
    assert [s["cache_key"] for s in manifests[0]["segments"]] == [s["cache_key"] for s in manifests[1]["segments"]]
    first, second = _frames(videos[0]), _frames(videos[1])
    assert len(first) == len(second) > 0
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_killed_render_keeps_finished_segments(write_config, tmp_path):
    from tests.helpers import TINY

    config = write_config(TINY + "  - id: outro\n    scene: outro\n")
    root = tmp_path / "media" / "tiny"
    process = subprocess.Popen(
        [sys.executable, "-m", "riskvid.cli", "render", str(config), "--jobs", "1", "--no-publish"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (root / ".cache" / "render" / "title" / "record.json").exists():
        assert process.poll() is None and time.monotonic() < deadline, "the first segment never finished"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = {record.parent.name for record in (root / ".cache" / "render").glob("*/record.json")}
    kept = {(r.parent.parent.name, r.parent.name) for r in (root / ".cache" / "beats").glob("*/*/record.json")}

    for clip in (root / "segments").glob("*.mp4"):  # nothing under a final name is truncated
        assert _frames(clip)
    assert main(["render", str(config), "--jobs", "2", "--no-publish"]) == 0
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["segments"][0]["status"] == "reused"
    # beats render longest first, across segments: whatever segment was finished is reused, the rest rendered
    assert {s["id"] for s in manifest["segments"] if s["status"] == "reused"} == finished
    assert all(s["status"] == "rendered" for s in manifest["segments"] if s["id"] not in finished)
    reused = {(s["id"], b["name"]) for s in manifest["segments"] for b in s["beats"] if b["status"] == "reused"}
    assert reused == kept  # every beat finished before the kill, and only those


def test_missing_latex_is_named_with_its_install_command(tiny_config, monkeypatch, capsys):
    import riskvid.pipeline.render

    real_which = riskvid.pipeline.render.shutil.which
    monkeypatch.setattr(riskvid.pipeline.render.shutil, "which",
                        lambda name: None if name == "latex" else real_which(name))
    assert main(["render", str(tiny_config)]) == 1
    err = capsys.readouterr().err
    assert "'latex' is not installed; run ./scripts/setup (or: sudo apt-get install texlive-latex-base)" in err
    assert "Traceback" not in err


def test_disk_full_is_a_clear_error_and_previous_outputs_survive(tiny_config, tmp_path):
    import resource

    assert main(["render", str(tiny_config), "--jobs", "2", "--no-publish"]) == 0
    root = tmp_path / "media" / "tiny"
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}
    tiny_config.write_text(tiny_config.read_text().replace("epochs: 3", "epochs: 4"))

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    result = subprocess.run(
        [sys.executable, "-m", "riskvid.cli", "render", str(tiny_config), "--no-publish"],
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]  # progress lines come before it
    assert last.startswith("error: ") and "File too large" in last, result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in before}
    assert after == before


def test_a_worker_killed_mid_render_is_a_one_line_error_not_a_wait_without_end(write_config, tmp_path):
    from tests.helpers import TINY

    config = write_config(TINY + "  - id: outro\n    scene: outro\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "riskvid.cli", "render", str(config), "--jobs", "2", "--no-publish"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (workers := [child for child in psutil.Process(process.pid).children()
                               if "spawn_main" in " ".join(child.cmdline())]):
            assert process.poll() is None and time.monotonic() < deadline, "no worker ever started"
            time.sleep(0.05)
        time.sleep(1.0)  # under way
        workers[0].kill()  # as the kernel's out-of-memory killer would
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 1
    assert err.strip().splitlines()[-1] == ("error: a worker process died (signal 9) with work under way (killed, or "
                                            "out of memory?); finished work is kept: run again"), err
    time.sleep(0.5)
    assert in_session(process.pid) == []
