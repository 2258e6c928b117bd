"""The one place that starts worker processes.

Workers are spawned (not forked), started on first use and kept for the whole run, so each
imports manim once and serves every stage: timing passes, segment renders, review sheets. They
ignore Ctrl-C: the main process decides. When a run stops early (an error, Ctrl-C, SIGTERM) the
workers are terminated at once: no process is left behind, and what they were writing lies in
the run's work folder, never under a final name.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import sys
from typing import Any, Callable, Iterable, Iterator

from riskvid.errors import RiskvidError, RunError


class Workers:
    """A pool of ``count`` worker processes for one run; use it as a context manager."""

    def __init__(self, count: int):
        self.count = max(1, count)
        self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(abort=kind is not None)

    def close(self, abort: bool = False) -> None:
        """Let the workers finish and exit, or (``abort``) terminate them now."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if abort:
            pool.terminate()
        else:
            pool.close()
        pool.join()
        del pool
        gc.collect()
        _stop_resource_tracker()

    def run(self, function: Callable, items: Iterable, describe: Callable[[Any], str] = str,
            *args: Any) -> Iterator[tuple[Any, Any]]:
        """Run ``function(item, *args)`` for every item; yield (item, result) as each finishes.

        A failure raises RunError naming the item (``describe(item)``) and the error; results
        already yielded stay valid. The caller's ``with`` block then terminates the workers.
        """
        items = list(items)
        if not items:
            return
        if self._pool is None:
            # A terminated pool's queue semaphores are unlinked by multiprocessing's resource tracker
            # at exit, with a warning that they "leaked": they did not, and nothing is left behind.
            # The tracker process takes its warning filters from this process's -W options.
            if _QUIET_TRACKER not in sys.warnoptions:
                sys.warnoptions.append(_QUIET_TRACKER)
            self._pool = multiprocessing.get_context("spawn").Pool(self.count, initializer=_ignore_interrupts)
        finished: queue.SimpleQueue = queue.SimpleQueue()
        for index, item in enumerate(items):
            self._pool.apply_async(
                function, (item, *args),
                callback=lambda result, index=index: finished.put((index, True, result)),
                error_callback=lambda error, index=index: finished.put((index, False, error)),
            )
        for _ in items:
            index, ok, value = finished.get()
            if not ok:
                if isinstance(value, RiskvidError):
                    raise value
                raise RunError(f"{describe(items[index])} failed: {_one_line(value)}") from value
            yield items[index], value


_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"


def _stop_resource_tracker() -> None:
    """Let multiprocessing's resource tracker (started for the pool's semaphores) finish and reap it,
    so it never outlives the run as a stray or defunct process. It starts again if a pool needs it."""
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    if getattr(tracker, "_pid", None) is None:
        return
    os.close(tracker._fd)
    os.waitpid(tracker._pid, 0)
    tracker._fd = tracker._pid = None


def _ignore_interrupts() -> None:
    """Worker start-up: Ctrl-C reaches the whole process group; only the main process acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
