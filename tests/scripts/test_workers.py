"""Local workers stop when told, whatever their main thread is doing: a run that stops early never waits on them."""

import os
import signal
import time
from pathlib import Path

import pytest

from riskvid.cluster import workers as workers_module
from riskvid.cluster.workers import LocalWorkers


def mask_sigterm_then_wait(item, folder):
    """Item 2 leaves its worker's main thread blocked, unable to act on SIGTERM: as when the signal lands
    just before it blocks on the pool's task-queue lock (the race that once hung a terminate for ever)."""
    if item == 2:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        _wait(folder)
    return item


def ignore_sigterm_then_wait(item, folder):
    """Item 2 leaves its worker deaf to SIGTERM altogether, and blocked."""
    if item == 2:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _wait(folder)
    return item


def _wait(folder):
    (Path(folder) / "waiting.pid").write_text(str(os.getpid()))
    time.sleep(600)


def _abort_while_one_waits(task, tmp_path) -> tuple[float, int | None]:
    """Stop the pool as a failed run does while item 2 waits; (seconds close took, the waiting worker's exit code)."""
    pool = LocalWorkers(2)
    results = pool.run(task, [1, 2], str, lambda item: tmp_path)
    assert next(results) == (1, 1)
    deadline = time.monotonic() + 60
    while not (tmp_path / "waiting.pid").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid = int((tmp_path / "waiting.pid").read_text())
    waiting = next(process for process in vars(pool._pool)["_pool"] if process.pid == pid)
    started = time.monotonic()
    pool.close(abort=True)
    return time.monotonic() - started, waiting.exitcode


@pytest.mark.slow
def test_a_worker_whose_main_thread_cannot_take_sigterm_still_exits_at_once(tmp_path):
    seconds, exit_code = _abort_while_one_waits(mask_sigterm_then_wait, tmp_path)
    assert seconds < 5 < workers_module.TERMINATE_GRACE
    assert exit_code == 128 + signal.SIGTERM


@pytest.mark.slow
def test_a_worker_deaf_to_sigterm_is_killed_after_the_grace(tmp_path, monkeypatch):
    monkeypatch.setattr(workers_module, "TERMINATE_GRACE", 1.0)
    seconds, exit_code = _abort_while_one_waits(ignore_sigterm_then_wait, tmp_path)
    assert 1.0 <= seconds < 5
    assert exit_code == -signal.SIGKILL
