"""The one place that starts workers: a local process pool, or a Dask cluster (riskvid.cluster).

Both run the same tasks through one interface (``Workers.run``): a task is one of riskvid's own
functions called as ``function(item, work_folder, *args)``, where ``work_folder`` is where it may
write. Locally that is the run's work folder itself; on a cluster it is a private folder on the
worker, and what the task leaves in its ``bring_back`` sub-folder is copied back into the run's
work folder before the item is handed to the caller. Either way the caller then finds the same
files in the same place, and installs them under their final names as it always does.

Local workers are spawned (not forked), started on first use and kept for the whole run, so each
imports manim once and serves every stage: timing passes, segment renders, review sheets. They
ignore Ctrl-C: the main process decides. When a run stops early (an error, Ctrl-C, SIGTERM) the
workers are terminated at once: no process is left behind, and what they were writing lies in
the run's work folder, never under a final name.
"""

from __future__ import annotations

import abc
import contextlib
import gc
import importlib
import multiprocessing
import multiprocessing.pool
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from riskvid.errors import RiskvidError, RunError

Describe = Callable[[Any], str]  # how an error names an item, e.g. "segment 'bars' (loss_bars)"
WorkFolder = Callable[[Any], Path]  # the folder of the run an item's task may write in


class Workers(abc.ABC):
    """Workers for one run; use it as a context manager (leaving it stops them)."""

    where: str = ""  # how progress names them
    remote: bool = False  # on other machines: what a task needs must travel to them, and its files back

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(abort=kind is not None)

    def start(self, prepare: str | None = None) -> None:  # noqa: B027 (optional: workers may start on first use)
        """Start the workers now, each importing module ``prepare`` (what its tasks need), so they are ready
        when the first task comes; by default they start then."""

    def finish(self) -> None:  # noqa: B027 (optional: workers that cost nothing idle may stay until close)
        """No more tasks will come: let the workers exit now, while the run goes on; ``close`` then waits less."""

    @abc.abstractmethod
    def close(self, abort: bool = False) -> None:
        """Let the workers finish, or (``abort``) stop what they are doing now."""

    @abc.abstractmethod
    def run(self, function: Callable[..., Any], items: Iterable[Any], describe: Describe, work: WorkFolder,
            *args: Any, bring_back: Callable[[Any], str] | None = None) -> Iterator[tuple[Any, Any]]:
        """Run ``function(item, str(folder), *args)`` for every item; yield (item, result) as each finishes.

        ``work(item)`` is the run's folder the task may write in; ``bring_back(item)`` (if given)
        names the sub-folder of it that holds the task's files when the item is yielded, wherever
        the task ran. A failure raises RunError naming the item (``describe(item)``) and the error;
        results already yielded stay valid. The caller's ``with`` block then stops the workers.
        """


class LocalWorkers(Workers):
    """A pool of ``count`` worker processes on this machine."""

    def __init__(self, count: int):
        self.count = max(1, count)
        self.where = f"{self.count} local processes"
        self._pool: multiprocessing.pool.Pool | None = None
        self._started: list[Any] = []  # the pool's worker processes as it started them
        self._used = False  # a task was given to the pool

    def start(self, prepare: str | None = None) -> None:
        """Spawn the pool now (once); each worker imports ``prepare`` as it starts."""
        if self._pool is not None:
            return
        # A terminated pool's queue semaphores are unlinked by multiprocessing's resource tracker
        # at exit, with a warning that they "leaked": they did not, and nothing is left behind.
        # The tracker process takes its warning filters from this process's -W options.
        if _QUIET_TRACKER not in sys.warnoptions:
            sys.warnoptions.append(_QUIET_TRACKER)
        with _signals_deferred():  # a signal mid-spawn would cut a child's start-up data (a stray traceback)
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.count, initializer=_start_worker, initargs=(prepare, context.Lock()))
        self._started = _processes(self._pool)

    def finish(self) -> None:
        """Let the workers exit once their tasks are done (each takes a moment to shut manim down)."""
        if self._pool is not None and self._used:
            self._pool.close()

    def close(self, abort: bool = False) -> None:
        """Let the workers finish and exit, or (``abort``, or no task ever ran) terminate them now."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if abort or not self._used:
            _terminate(pool)
        else:
            pool.close()
        pool.join()
        del pool
        gc.collect()
        _stop_resource_tracker()

    def run(self, function: Callable[..., Any], items: Iterable[Any], describe: Describe, work: WorkFolder,
            *args: Any, bring_back: Callable[[Any], str] | None = None) -> Iterator[tuple[Any, Any]]:
        items = list(items)
        if not items:
            return
        self.start()
        assert self._pool is not None
        self._used = True
        finished: queue.SimpleQueue[tuple[int, bool, Any]] = queue.SimpleQueue()  # (index, succeeded, value)

        def settled(index: int, ok: bool) -> Callable[[Any], None]:
            return lambda value: finished.put((index, ok, value))

        for index, item in enumerate(items):
            self._pool.apply_async(function, (item, str(work(item)), *args), callback=settled(index, True),
                                   error_callback=settled(index, False))
        for _ in items:
            index, ok, value = self._next(finished)
            if not ok:
                raise failure(describe(items[index]), value)
            yield items[index], value

    def _next(self, finished: queue.SimpleQueue[tuple[int, bool, Any]]) -> tuple[int, bool, Any]:
        """The next task to finish. A pool silently replaces a worker that dies, and the task it held never
        finishes: a worker gone (killed, out of memory, crashed) is a RunError, not a wait without end."""
        while True:
            with contextlib.suppress(queue.Empty):
                return finished.get(timeout=0.5)
            for process in self._started:
                if (code := process.exitcode) is not None:
                    how = f" (signal {-code})" if code < 0 else f" (exit status {code})"
                    raise RunError(f"a worker process died{how} with work under way (killed, or out of memory?); "
                                   "finished work is kept: run again")


def failure(what: str, error: BaseException) -> RiskvidError:
    """The one-line error for a task that raised ``error``: riskvid's own errors as they are."""
    if isinstance(error, RiskvidError):
        return error
    failed = RunError(f"{what} failed: {one_line(error)}")
    failed.__cause__ = error
    return failed


_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
TERMINATE_GRACE = 20.0  # seconds a terminated worker has to exit (it takes well under 1 s) before it is killed


def _stop_resource_tracker() -> None:
    """Let multiprocessing's resource tracker (started for the pool's semaphores) finish and reap it,
    so it never outlives the run as a stray or defunct process. It starts again if a pool needs it."""
    from multiprocessing import resource_tracker

    tracker: Any = resource_tracker._resource_tracker  # its _fd and _pid are private: not in typeshed
    if getattr(tracker, "_pid", None) is None:
        return
    os.close(tracker._fd)
    os.waitpid(tracker._pid, 0)
    tracker._fd = tracker._pid = None


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM that arrive inside the block act once it ends (in the main thread; elsewhere, as ever)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda got, _frame: caught.append(got))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for got in caught:
            signal.raise_signal(got)


def _start_worker(prepare: str | None = None, one_at_a_time: Any = None) -> None:
    """Worker start-up: Ctrl-C reaches the whole process group; only the main process acts on it.
    SIGTERM (the pool terminated) ends the tools the worker started, then the worker. Then the
    module ``prepare`` is imported (a failure there is left for the task that needs it to report), by one
    worker at a time (holding the lock ``one_at_a_time``): the first is ready sooner, and the voice
    speaking meanwhile is slowed less."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_on_sigterm()
    if prepare is not None:
        with one_at_a_time or contextlib.nullcontext(), contextlib.suppress(Exception):
            importlib.import_module(prepare)


def _exit_on_sigterm() -> None:
    """Exit on SIGTERM (with this process's children) even when the main thread is blocked in C.

    Python runs a signal's handler in the main thread, between bytecodes. A signal that lands just
    before the main thread blocks (an idle worker waiting for the pool's task-queue lock, which the
    terminating pool holds) is never acted on: the pool then waits for that worker for ever. The C
    handler also writes the signal's number to the wakeup pipe, from any thread, at once; a thread
    reading it exits the process whatever the main thread is doing."""
    read, write = os.pipe()
    os.set_blocking(write, False)
    signal.signal(signal.SIGTERM, _exit_with_children)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    threading.Thread(target=_exit_when_signalled, args=(read,), name="sigterm", daemon=True).start()


def _exit_when_signalled(read: int) -> None:
    """Wait for SIGTERM's number on the wakeup pipe ``read``; then exit as its handler does."""
    while woken := os.read(read, 64):
        if signal.SIGTERM in woken:
            _exit_with_children(signal.SIGTERM, None)


def _processes(pool: multiprocessing.pool.Pool) -> list[Any]:
    """The pool's worker processes now (multiprocessing.Process; it replaces one that dies): not public API."""
    return list(vars(pool)["_pool"])


def _terminate(pool: multiprocessing.pool.Pool) -> None:
    """``pool.terminate()``, and the workers still alive after TERMINATE_GRACE killed: it never waits for ever."""
    last_resort = threading.Timer(TERMINATE_GRACE, _kill_workers, args=(pool,))
    last_resort.start()
    try:
        pool.terminate()
    finally:
        last_resort.cancel()
        last_resort.join()  # it holds the pool: gone before close collects it


def _kill_workers(pool: multiprocessing.pool.Pool) -> None:
    """Kill the pool's workers still alive."""
    for process in _processes(pool):
        if process.exitcode is None:
            process.kill()


def _exit_with_children(signum: int, frame: object) -> None:
    """Kill and reap this process's children (manim's latex and dvisvgm), then exit: a child left
    running would be orphaned, and an orphan's parent may never reap it (a zombie in a container)."""
    children = _children()
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    os._exit(128 + signum)


def _children() -> list[int]:
    """The process ids whose parent is this process (read from /proc: Linux)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # it ended while it was read
            if int(stat[stat.rindex(")") + 2:].split()[1]) == me:
                found.append(int(entry.name))
    return found


def one_line(error: BaseException) -> str:
    """An error's message on one line of at most 300 characters (its type's name if it has none)."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
