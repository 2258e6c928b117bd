"""Rendering on a Dask cluster: a scheduler and workers on loopback, faults, a mixed cluster, several configs.

The cluster is real: ``dask scheduler`` and ``dask worker`` processes started here from this
environment, each in a session of its own so that a worker can be killed whole and every process
is gone when the module ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest

from riskvid.cli import main
from scenes.registry import scene_classes
from tests.helpers import NARRATED, ROOT, TINY, in_session

pytestmark = pytest.mark.slow  # renders whole videos or waits on processes: the full suite only

START_SECONDS = 60  # the most a scheduler or worker may take to start on a busy machine


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def write(folder: Path, text: str, name: str = "video.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.lstrip(), encoding="utf-8")
    return folder / name


def render_command(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "riskvid.cli", "render", str(config), "--no-publish", *extra]


class Cluster:
    """A scheduler on 127.0.0.1 and named workers, each process in its own session; ``close`` kills them all."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: dict[str, subprocess.Popen] = {}
        self.address = ""
        self.client = None
        self.started = 0

    def _start(self, name: str, argv: list[str], pythonpath: str | None = None) -> subprocess.Popen:
        env = dict(os.environ)
        env.pop("RISKVID_SCHEDULER", None)
        env["DASK_TEMPORARY_DIRECTORY"] = str(self.folder)  # the scheduler's scratch too: nothing left in /tmp
        if pythonpath is not None:
            env["PYTHONPATH"] = pythonpath
        with open(self.folder / f"{name}.log", "wb") as log:  # the child keeps its own handle
            process = subprocess.Popen([sys.executable, "-m", "dask", *argv], start_new_session=True,
                                       cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                       env=env)  # code from PYTHONPATH
        self.processes[name] = process
        return process

    def start_scheduler(self) -> str:
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"])
        deadline = time.monotonic() + START_SECONDS
        while not (found := re.search(r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)", self.log("scheduler"))):
            assert self.processes["scheduler"].poll() is None and time.monotonic() < deadline, self.log("scheduler")
            time.sleep(0.1)
        self.address = found.group(1)
        from distributed import Client

        self.client = Client(self.address, timeout=START_SECONDS, set_as_default=False)
        return self.address

    def start_workers(self, count: int, pythonpath: str | None = None) -> list[str]:
        """Start ``count`` workers and wait until the scheduler has them; their names."""
        names = []
        for _ in range(count):
            self.started += 1
            name = f"worker{self.started}"
            self._start(name, ["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--name", name,
                               "--no-dashboard", "--local-directory", str(self.folder / name)], pythonpath)
            names.append(name)
        deadline = time.monotonic() + START_SECONDS
        while not set(names) <= set(self.workers()):
            for name in names:
                assert self.processes[name].poll() is None, self.log(name)
            assert time.monotonic() < deadline, "the workers never joined"
            time.sleep(0.1)
        return names

    def ensure(self, count: int) -> None:
        """Have at least ``count`` live workers (of this environment)."""
        live = len(self.workers())
        if live < count:
            self.start_workers(count - live)

    def workers(self) -> dict[str, str]:
        """{name: address} of the workers the scheduler has now."""
        return {info["name"]: address for address, info in self.client.scheduler_info()["workers"].items()}

    def wait_for_render(self, process: subprocess.Popen, segment: str, deadline: float = 180) -> str:
        """The name of the worker on which ``segment``'s render is under way (the run must be going)."""
        limit = time.monotonic() + deadline
        while True:
            names = {address: name for name, address in self.workers().items()}
            for address, keys in self.client.processing().items():
                if any("render_segment" in str(key) and f"-{segment}-" in str(key) for key in keys):
                    return names[address]
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < limit, f"{segment} never started rendering"
            time.sleep(0.05)

    def kill(self, name: str) -> None:
        """SIGKILL a worker and everything it started (its nanny and its worker process)."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        for name in list(self.processes):
            self.kill(name)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers on loopback, for this module; every process is killed at the end."""
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        cluster.start_scheduler()
        cluster.start_workers(2)
        yield cluster
    finally:
        cluster.close()


# Without a cluster: the worker's checks, the bytes' journey, the command line.


def test_a_worker_refuses_a_job_whose_params_are_out_of_bounds_or_that_is_not_riskvids(tiny_config):
    from riskvid.cluster.environment import current
    from riskvid.cluster.remote import JobRefused, run_task
    from riskvid.config.load import load_config
    from riskvid.config.model import Frame
    from riskvid.pipeline.encoder import EncoderSettings
    from riskvid.pipeline.plan import BeatJob, TimingJob, beat_key, plan_segments
    from riskvid.pipeline.voice import LineRequest, VoiceJob
    from scenes.base import BeatTiming
    from scenes.registry import scene_classes

    plans = plan_segments(load_config(tiny_config))
    bad = dataclasses.replace(plans[1], params_json=json.dumps({**json.loads(plans[1].params_json), "epochs": 0}))
    refused = r"^worker this process: refused segment 'bars': params of loss_bars: .*epochs"
    with pytest.raises(JobRefused, match=refused):
        run_task("natural_beats", bad, current(), None)
    with pytest.raises(JobRefused, match="unknown scene"):
        run_task("natural_beats", dataclasses.replace(plans[0], scene="evil"), current(), None)
    with pytest.raises(JobRefused, match="refused an unknown task 'system'"):
        run_task("system", plans[0], current(), None)
    with pytest.raises(JobRefused, match="a str is not a job"):
        run_task("natural_beats", "rm -rf /", current(), None)
    frame, timing, encoder = Frame(256, 144, 15), BeatTiming(15), EncoderSettings()
    name = scene_classes()[plans[1].scene].beats[0]
    beat = BeatJob(plans[1], name, 0, frame, timing, encoder, beat_key(plans[1], name, frame, timing, encoder),
                   "../" * 8 + "tmp/x")  # names a file in the worker's cache
    with pytest.raises(JobRefused, match="refused segment 'bars': its replay key is not the one this worker computes"):
        run_task("render_segment_beat", beat, current(), "beat")
    with pytest.raises(JobRefused, match="refused segment 'bars': its replay key is not the one this worker computes"):
        run_task("timing_task", TimingJob(plans[1], frame, "0" * 32), current(), None)
    line = LineRequest("title.ask_question.1", "Hello.", "Hello.")
    with pytest.raises(JobRefused, match=r"refused a voice job: rate 9 is out of bounds"):
        run_task("speak_job", VoiceJob(9, (line,)), current(), "voice")
    with pytest.raises(JobRefused, match=r"refused a voice job: line 'x': expected text of 1 to 2000 characters"):
        run_task("speak_job", VoiceJob(1.0, (LineRequest("x", "", "x" * 3000),)), current(), "voice")


def test_a_worker_whose_code_differs_names_the_file_in_one_line():
    from riskvid.cluster.environment import Environment, current
    from riskvid.cluster.remote import EnvironmentMismatch, check_worker, run_task

    mine = current()
    assert {"riskvid/cluster/remote.py", "scenes/base.py", "riskmath/__init__.py"} <= set(mine.code)
    assert "distributed" in mine.packages and mine.system["python"].startswith("CPython 3.")
    other = Environment({**mine.code, "scenes/segments/pixels/scene.py": "0" * 64}, mine.packages, mine.system)
    assert check_worker(other) == "scenes/segments/pixels/scene.py differs from the client's"
    with pytest.raises(EnvironmentMismatch,
                       match=r"^worker this process: scenes/segments/pixels/scene.py differs from the client's$"):
        run_task("natural_beats", None, other, None)
    older = Environment(mine.code, {**mine.packages, "numpy": "1.0"}, mine.system)
    assert check_worker(older) == f"numpy {mine.packages['numpy']} differs from the client's 1.0"
    assert check_worker(mine) is None


def test_bytes_from_a_worker_land_only_inside_the_job_folder_and_only_intact(tmp_path):
    from riskvid.cluster.remote import pack, unpack
    from riskvid.errors import RunError

    source = tmp_path / "source"
    (source / "posters").mkdir(parents=True)
    (source / "video.mp4").write_bytes(b"\0" * 1000)
    (source / "posters" / "a.png").write_bytes(b"png")
    files = pack(source)
    unpack(files, tmp_path / "work" / "01-title")
    assert (tmp_path / "work" / "01-title" / "posters" / "a.png").read_bytes() == b"png"
    for name in ("../escape", "/etc/passwd", "a/../../b"):
        with pytest.raises(RunError, match="outside its job's folder"):
            unpack({name: files["video.mp4"]}, tmp_path / "work" / "x")
    sha, _ = files["video.mp4"]
    with pytest.raises(RunError, match="arrived damaged"):
        unpack({"video.mp4": (sha, b"\1" * 1000)}, tmp_path / "work" / "y")
    assert not (tmp_path / "escape").exists()


def test_a_bad_scheduler_address_or_an_unreachable_scheduler_is_one_line(tiny_config, capsys, monkeypatch):
    import riskvid.cluster.dask_client

    assert main(["render", str(tiny_config), "--scheduler", "not an address"]) == 2
    assert capsys.readouterr().err.strip() == ("error: --scheduler: expected tcp://HOST:PORT or tls://HOST:PORT, "
                                               "got 'not an address'")
    monkeypatch.setenv("RISKVID_SCHEDULER", "tcp://127.0.0.1:1")  # the environment's scheduler, as --scheduler
    monkeypatch.setattr(riskvid.cluster.dask_client, "CONNECT_SECONDS", 1.0)
    assert main(["render", str(tiny_config), "--no-publish"]) == 1
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:1") and "Traceback" not in err


def test_a_segment_that_kills_every_worker_it_meets_stops_the_run_in_one_line():
    from types import SimpleNamespace

    from distributed import KilledWorker

    from riskvid.cluster.dask_client import DaskWorkers

    error = KilledWorker("riskvid-render_segment-x", SimpleNamespace(address="tcp://10.0.0.7:40213"), 3)
    failed = DaskWorkers("tcp://127.0.0.1:8786")._failure("segment 'bars' (loss_bars)", error)
    assert str(failed) == ("segment 'bars' (loss_bars) failed: every worker that ran it died (4 in a row, the last "
                           "tcp://10.0.0.7:40213); see the workers' logs")
    assert failed.exit_status == 1


def test_the_lock_pins_every_dependency_to_one_version():
    import tomllib

    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[re.sub(r"[-_.]+", "-", name).lower()] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()
        assert name in locked, f"{name} is not in requirements.lock"
    assert {"distributed", "dask", "manim", "pip"} <= set(locked)


def test_progress_counts_off_a_terminal_and_draws_its_bar_in_ascii_where_that_is_all_there_is():
    from riskvid.progress import Progress

    lines = []
    progress = Progress(lines.append, bar=False)
    progress.expect(2)
    progress("reused   tiny/01-title")
    progress.done("rendered tiny/02-bars in 1.0 s")
    assert lines == ["reused   tiny/01-title", "rendered tiny/02-bars in 1.0 s (1/2)"]

    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="ascii", errors="strict", write_through=True)
    with Progress(lines.append, terminal, bar=True) as bar:
        bar.expect(2, "render")
        bar.done("rendered vidéo/01-title in 1.0 s → done")
        bar.done("rendered tiny/02-bars in 1.0 s")
    text = raw.getvalue().decode("ascii")
    assert "rendered vid?o/01-title in 1.0 s ? done" in text and "rendered tiny/02-bars" in text


def test_two_configs_in_one_local_run_land_in_their_own_folders(tmp_path, capsys):
    title_only = TINY.replace("  - id: bars\n    scene: loss_bars\n    params:\n      epochs: 3\n", "")
    one = write(tmp_path / "one", title_only)
    two = write(tmp_path / "two", title_only.replace("id: tiny", "id: other").replace("title: Tiny", "title: Other"))
    assert main(["render", str(one), str(two), "--jobs", "2", "--no-publish"]) == 0
    err = capsys.readouterr().err
    for folder, video in ((tmp_path / "one", "tiny"), (tmp_path / "two", "other")):
        manifest = json.loads((folder / "media" / video / "manifest.json").read_text())
        assert [s["status"] for s in manifest["segments"]] == ["rendered"]
        assert (folder / "media" / video / f"{video}.mp4").stat().st_size > 0
        assert not (folder / "media" / video / ".work").exists()
    # One title, one key: rendered once, installed in both folders.
    for beat in ("ask_question", "glimpse_formula", "promise"):
        assert f"rendered other/01-title {beat} (the same picture as tiny/01-title)" in err, err
    assert err.count("timed ") == 1


# On a cluster.


def test_two_configs_on_the_cluster_are_one_set_of_tasks_each_into_its_own_folder(cluster, tmp_path):
    cluster.ensure(2)
    one = write(tmp_path / "one", TINY)
    two = write(tmp_path / "two", TINY.replace("id: tiny", "id: other").replace("epochs: 3", "epochs: 2"))
    result = subprocess.run([sys.executable, "-m", "riskvid.cli", "render", str(one), str(two), "--no-publish",
                             "--scheduler", cluster.address], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for folder, video, _epochs in ((tmp_path / "one", "tiny", 3), (tmp_path / "two", "other", 2)):
        root = folder / "media" / video
        manifest = json.loads((root / "manifest.json").read_text())
        assert [s["id"] for s in manifest["segments"]] == ["title", "bars"]
        assert [s["status"] for s in manifest["segments"]] == ["rendered", "rendered"]
        assert manifest["video"]["frames"] == sum(s["frames"] for s in manifest["segments"])
        assert len(frames(root / f"{video}.mp4")) == manifest["video"]["frames"]
        record = json.loads((root / ".cache" / "render" / "bars" / "record.json").read_text())
        assert record["key"] == manifest["segments"][1]["cache_key"]
    lines = result.stderr.splitlines()
    assert any(line.startswith("rendered other/02-bars") for line in lines), lines
    # 3 timing passes, the title's beats once (both titles are one picture), and each video's bars beats
    tasks = 3 + len(scene_classes()["title"].beats) + 2 * len(scene_classes()["loss_bars"].beats)
    assert any(line.endswith(f"({tasks}/{tasks})") for line in lines), lines
    assert "rendered other/01-title promise (the same picture as tiny/01-title)" in result.stderr


def test_a_worker_killed_mid_render_loses_nothing_and_the_frames_equal_a_local_render(cluster, tmp_path, built):
    cluster.ensure(2)
    config = write(tmp_path, NARRATED)
    process = subprocess.Popen(render_command(config, "--scheduler", cluster.address), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        victim = cluster.wait_for_render(process, "bars")
        time.sleep(0.2)
        cluster.kill(victim)  # the segment is lost with it: Dask runs it again on the other worker
        _, err = process.communicate(timeout=300)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    root = tmp_path / "media" / "tiny"
    manifest = json.loads((root / "manifest.json").read_text())
    assert [s["status"] for s in manifest["segments"]] == ["rendered", "rendered"]
    local_config, local_root, local_manifest = built  # the same config rendered by the local pool
    assert [s["cache_key"] for s in manifest["segments"]] == [s["cache_key"] for s in local_manifest["segments"]]
    here, there = frames(root / "tiny.mp4"), frames(local_root / "tiny.mp4")
    assert len(here) == len(there) > 0 and all(np.array_equal(a, b) for a, b in zip(here, there))
    assert not (root / ".work").exists() and not list(root.rglob("*.part*"))


def test_a_worker_with_different_code_refuses_the_run_in_one_line(cluster, tmp_path):
    cluster.ensure(1)
    copy = tmp_path / "code"
    shutil.copytree(ROOT / "scripts" / "riskvid", copy / "scripts" / "riskvid",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for package in ("scenes", "riskmath"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "scenes" / "segments" / "loss_bars" / "scene.py", "a") as changed:
        changed.write("\n# a change\n")
    [odd] = cluster.start_workers(1, pythonpath=f"{copy / 'scripts'}{os.pathsep}{copy}")
    address = cluster.workers()[odd]
    config = write(tmp_path / "video", TINY)
    try:
        result = subprocess.run(render_command(config, "--scheduler", cluster.address), capture_output=True,
                                text=True, timeout=120)
    finally:
        cluster.kill(odd)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"error: worker {address}: scenes/segments/loss_bars/scene.py differs from the client's"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "video" / "media" / "tiny" / ".cache" / "render").exists(), "nothing was rendered"


def test_a_signal_to_the_client_stops_it_at_once_and_the_next_run_reuses_what_finished(cluster, tmp_path):
    cluster.ensure(2)
    config = write(tmp_path, TINY + "  - id: outro\n    scene: outro\n")
    root = tmp_path / "media" / "tiny"
    process = subprocess.Popen(render_command(config, "--scheduler", cluster.address), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while not list((root / ".cache" / "beats").glob("*/*/record.json")):
            assert process.poll() is None and time.monotonic() < deadline, "no beat ever finished"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGTERM)
        started = time.monotonic()
        _, err = process.communicate(timeout=30)
        assert time.monotonic() - started < 10, "the client took too long to stop"
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines()[-1].startswith("stopped (SIGTERM)") and "Traceback" not in err, err
    assert in_session(process.pid) == [], "the client left a process behind"
    assert not (root / ".work").exists() and not list(root.rglob("*.part*"))

    finished = _finished_beats(root)
    result = subprocess.run(render_command(config, "--scheduler", cluster.address), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert finished and finished <= _reused_beats(root)


def _finished_beats(root):
    """(segment, beat) of every beat whose picture is installed."""
    return {(p.parent.parent.name, p.parent.name) for p in (root / ".cache" / "beats").glob("*/*/record.json")}


def _reused_beats(root):
    """(segment, beat) of every beat the last run reused."""
    manifest = json.loads((root / "manifest.json").read_text())
    return {(s["id"], b["name"]) for s in manifest["segments"] for b in s["beats"] if b["status"] == "reused"}


def test_with_no_worker_left_the_run_stops_in_one_line_and_keeps_finished_segments(cluster, tmp_path):
    cluster.ensure(2)
    config = write(tmp_path, TINY + "  - id: outro\n    scene: outro\n")
    root = tmp_path / "media" / "tiny"
    process = subprocess.Popen(render_command(config, "--scheduler", cluster.address), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "RISKVID_WORKER_WAIT": "2"})
    try:
        deadline = time.monotonic() + 180
        while not list((root / ".cache" / "beats").glob("*/*/record.json")):
            assert process.poll() is None and time.monotonic() < deadline, "no beat ever finished"
            time.sleep(0.02)
        for name in list(cluster.workers()):
            cluster.kill(name)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 1, err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"error: no Dask worker connected to {cluster.address} for 2 s: ") and "Traceback" not in err
    assert "finished segments are kept" in last
    finished = _finished_beats(root)
    beats = sum(len(scene_classes()[scene].beats) for scene in ("title", "loss_bars", "outro"))
    assert finished and len(finished) < beats
    assert not (root / ".work").exists() and not list(root.rglob("*.part*"))

    assert main(["render", str(config), "--jobs", "2", "--no-publish"]) == 0  # here, by the local pool
    assert finished <= _reused_beats(root)


def test_the_voice_is_synthesised_on_a_worker_and_is_the_same_voice_as_here(cluster, tmp_path, monkeypatch):
    from riskvid.config.load import load_config
    from riskvid.config.model import VoiceSettings
    from riskvid.narration import line_requests
    from riskvid.pipeline import voice
    from riskvid.pipeline.voice import piper

    cluster.ensure(2)
    config = write(tmp_path, NARRATED.replace("engine: none", "engine: piper"))
    requests = line_requests(load_config(config))
    voice.speak(VoiceSettings(), requests, tmp_path / "here", tmp_path)  # the same lines, said here
    monkeypatch.setattr(piper, "run_piper", lambda *_, **__: pytest.fail("the client ran Piper itself"))
    assert main(["render", str(config), "--no-publish", "--scheduler", cluster.address]) == 0
    root = tmp_path / "media" / "tiny"
    said = {path.name: path.read_bytes() for path in (root / ".cache" / "voice").iterdir()}
    here = {path.name: path.read_bytes() for path in (tmp_path / "here" / "voice").iterdir()}
    assert said == here and len(said) == 2 * len(requests)  # a clip and its record a line, byte for byte
    manifest = json.loads((root / "manifest.json").read_text())
    said = [line["id"] for beat in manifest["segments"][0]["beats"] for line in beat["lines"]]
    assert said == [r.id for r in requests]
    assert not (root / ".work").exists()
