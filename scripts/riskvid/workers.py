"""The one place that starts worker processes.

Workers are spawned (not forked), started on first use and kept for the whole run, so each
imports manim once and serves every stage: timing passes, segment renders, stills.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator

from riskvid.errors import RiskvidError, RunError


class Workers:
    """A pool of ``count`` worker processes for one run; use it as a context manager."""

    def __init__(self, count: int):
        self.count = max(1, count)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(cancel=exc[0] is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (dropping queued work when ``cancel``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def run(self, function: Callable, items: Iterable, describe: Callable[[Any], str] = str,
            *args: Any) -> Iterator[tuple[Any, Any]]:
        """Run ``function(item, *args)`` for every item; yield (item, result) as each finishes.

        The first failure cancels what has not started and raises RunError naming the item
        (``describe(item)``) and the error; results already yielded stay valid.
        """
        items = list(items)
        if not items:
            return
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=context)
        pending: dict[Future, Any] = {self._pool.submit(function, item, *args): item for item in items}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item = pending.pop(future)
                    try:
                        result = future.result()
                    except RiskvidError:
                        raise
                    except Exception as error:
                        raise RunError(f"{describe(item)} failed: {_one_line(error)}") from error
                    yield item, result
        finally:
            for future in pending:
                future.cancel()


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
