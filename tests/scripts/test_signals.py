"""Stopping a run: SIGTERM or SIGINT to the main process stops its workers at once, keeps what finished."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import TINY, in_session

pytestmark = pytest.mark.slow  # renders whole videos or waits on processes: the full suite only

CONFIG = TINY + "  - id: outro\n    scene: outro\n"


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_main_process_stops_everything_and_keeps_finished_segments(tmp_path, signal_number):
    config = tmp_path / "video.yaml"
    config.write_text(CONFIG.lstrip())
    root = tmp_path / "media" / "tiny"
    process = subprocess.Popen(
        [sys.executable, "-m", "riskvid.cli", "render", str(config), "--jobs", "2", "--no-publish"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 180
    while not list((root / ".cache" / "beats").glob("*/*/record.json")):
        assert process.poll() is None and time.monotonic() < deadline, "no beat ever finished"
        time.sleep(0.05)
    os.kill(process.pid, signal_number)  # the main process alone, as a service manager would
    started = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 10, "the run took too long to stop"
    assert process.returncode == 128 + signal_number
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"stopped ({signal.Signals(signal_number).name})") and "Traceback" not in err
    time.sleep(0.5)
    assert in_session(process.pid) == [], "worker processes were left behind"
    assert not (root / ".work").exists() and not list(root.rglob("*.part*"))

    finished = {(p.parent.parent.name, p.parent.name) for p in (root / ".cache" / "beats").glob("*/*/record.json")}
    result = subprocess.run([sys.executable, "-m", "riskvid.cli", "render", str(config), "--jobs", "2",
                             "--no-publish"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "manifest.json").read_text())
    reused = {(s["id"], b["name"]) for s in manifest["segments"] for b in s["beats"] if b["status"] == "reused"}
    assert finished and finished <= reused  # every beat finished before the signal is kept


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_the_voice_speaks_stops_it_at_once(tmp_path, signal_number):
    lines = ", ".join(f'"Line {n}: a sentence long enough to keep the voice busy for a while."' for n in range(40))
    config = tmp_path / "video.yaml"
    config.write_text(CONFIG.lstrip().replace("engine: none", "engine: piper")
                      .replace("    scene: title\n",
                               f"    scene: title\n    narration:\n      ask_question: [{lines}]\n"))
    process = subprocess.Popen(
        [sys.executable, "-m", "riskvid.cli", "render", str(config), "--jobs", "2", "--no-publish"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not any("piper_speak" in command for command in in_session(process.pid)):
        assert process.poll() is None and time.monotonic() < deadline, "the voice never started"
        time.sleep(0.05)
    os.kill(process.pid, signal_number)
    started = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 5, "the voice kept the run from stopping"
    assert process.returncode == 128 + signal_number and "Traceback" not in err
    time.sleep(0.5)
    assert in_session(process.pid) == [], "Piper or a worker was left behind"
    root = tmp_path / "media" / "tiny"
    assert not (root / ".work").exists()
    voice = root / ".cache" / "voice"
    assert not voice.exists() or all(path.suffix in (".wav", ".json") for path in voice.iterdir())
