"""Workers on a Dask cluster: the client's side of ``riskvid render --scheduler tcp://HOST:PORT``.

The client connects to a running ``dask scheduler`` and sends it riskvid's tasks (timing passes,
segment renders and the voice's lines) as named functions (riskvid.cluster.remote.TASKS) with their jobs and the
client's environment; the scheduler hands them to the ``dask worker`` processes connected to it. What a task makes
comes back through Dask's own transfers, as bytes with their SHA-256 (riskvid.cluster.remote), and is written into
the run's work folder here, so it is installed exactly as a local render.

Faults are Dask's to handle where it can: a worker that dies mid-task loses it, and the scheduler
runs it again on another worker (up to ``distributed.scheduler.allowed-failures`` deaths per task,
then KilledWorker). When no worker is left for ``RISKVID_WORKER_WAIT`` seconds (default 20), the
run stops with one line; whatever finished is already installed and stays.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from riskvid.cluster.environment import Environment, current
from riskvid.cluster.workers import Describe, Workers, WorkFolder, failure, one_line
from riskvid.errors import InputError, RiskvidError, RunError

CONNECT_SECONDS = 10.0  # how long to try to reach the scheduler
WORKER_WAIT = 20.0  # how long a run waits with no worker at all before it stops
_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/]+:\d{1,5}$")


class NoWorkers(RunError):
    """No Dask worker was connected for longer than the run would wait."""


def scheduler_address(text: str) -> str:
    """``text`` as a scheduler address (``HOST:PORT`` means tcp://HOST:PORT); InputError if it is not one.

    >>> scheduler_address("10.0.0.5:8786"), scheduler_address("tls://render-1:8786")
    ('tcp://10.0.0.5:8786', 'tls://render-1:8786')
    """
    address = text.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    if not _ADDRESS.match(address):
        raise InputError(f"--scheduler: expected tcp://HOST:PORT or tls://HOST:PORT, got {text!r}")
    return address


def worker_wait() -> float:
    """Seconds a run waits with no worker connected: $RISKVID_WORKER_WAIT, else 20."""
    text = os.environ.get("RISKVID_WORKER_WAIT", "")
    try:
        return float(text) if text else WORKER_WAIT
    except ValueError:
        raise InputError(f"RISKVID_WORKER_WAIT: expected a number of seconds, got {text!r}") from None


class DaskWorkers(Workers):
    """The workers of the Dask cluster whose scheduler is at ``address``; connected on first use."""

    remote = True

    def __init__(self, address: str):
        self.address = scheduler_address(address)
        self._connecting = threading.Lock()  # the voice and the timing passes start from two threads
        self.where = f"the Dask cluster at {self.address}"
        self.wait = worker_wait()
        self._client: Any = None  # a distributed.Client, connected on first use (its methods are unannotated)
        self._environment: Environment | None = None
        self._futures: list[Any] = []  # distributed.Futures not yet done

    def close(self, abort: bool = False) -> None:
        """Cancel what is still queued or running (its results are never used) and disconnect."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if self._futures:
                client.cancel(self._futures, force=True)
        except Exception:  # noqa: BLE001 - leaving anyway: the scheduler drops a gone client's tasks itself
            pass
        finally:
            self._futures = []
            client.close(timeout=5)

    def run(self, function: Callable[..., Any], items: Iterable[Any], describe: Describe, work: WorkFolder,
            *args: Any, bring_back: Callable[[Any], str] | None = None) -> Iterator[tuple[Any, Any]]:
        from riskvid.cluster.remote import TASKS, TaskDone, run_task, unpack

        items = list(items)
        if not items:
            return
        if args or function.__name__ not in TASKS:
            raise ValueError(f"{function.__name__} with {args} is not a task riskvid sends to a cluster")
        client = self._connect()
        finished: queue.SimpleQueue[Any] = queue.SimpleQueue()  # the futures, as each is done
        pending: dict[str, tuple[Any, Any]] = {}  # future's key: (future, item)
        for rank, item in enumerate(items):
            label = re.sub(r"[^A-Za-z0-9_.-]+", "-", describe(item))[:60]
            future = client.submit(run_task, function.__name__, item, self._environment,
                                   bring_back(item) if bring_back else None,
                                   key=f"riskvid-{function.__name__}-{label}-{uuid.uuid4().hex[:12]}",
                                   pure=False, priority=len(items) - rank)  # the caller's order: longest first
            pending[future.key] = (future, item)
            future.add_done_callback(finished.put)
        self._futures.extend(future for future, _ in pending.values())
        alone_since = None
        while pending:
            try:
                done = finished.get(timeout=1.0)
            except queue.Empty:
                alone_since = self._check_workers(alone_since, len(pending), len(items))
                continue
            future, item = pending.pop(done.key)
            try:
                done_task: TaskDone = future.result()
            except Exception as error:  # noqa: BLE001 - a task's own error, or Dask's (KilledWorker, cancelled)
                raise self._failure(describe(item), error) from None
            finally:
                self._futures.remove(future)
                future.release()
            if bring_back:
                unpack(done_task.files, Path(work(item)) / bring_back(item))
            yield item, done_task.result

    def _connect(self) -> Any:
        """The client, connected to the scheduler and checked against every worker already there."""
        with self._connecting:
            return self._client if self._client is not None else self._connect_now()

    def _connect_now(self) -> Any:
        with warnings.catch_warnings():  # Dask warns of mismatched versions: riskvid checks far more, and stops
            warnings.simplefilter("ignore")
            from distributed import Client
            from distributed.security import Security

            logging.getLogger("distributed").setLevel(logging.CRITICAL)  # its log lines would break ours
            # from Dask's config: TLS certificates, if any
            security: Any = Security()  # type: ignore[no-untyped-call]  # distributed leaves it unannotated
            if self.address.startswith("tls://") and not (security.tls_ca_file and security.tls_client_cert):
                raise RunError(f"{self.address} is a TLS scheduler: give the client its certificate, key and CA "
                               "in Dask's config (distributed.comm.tls: ca-file, client.cert, client.key)")
            try:
                self._client = Client(  # type: ignore[no-untyped-call]  # distributed leaves it unannotated
                    self.address, timeout=CONNECT_SECONDS, set_as_default=False, security=security)
            except (OSError, TimeoutError) as error:
                raise RunError(f"cannot reach the Dask scheduler at {self.address}: {one_line(error)} "
                               "(is `dask scheduler` running, and this address the one it printed?)") from None
        self._environment = current()
        self._check_environments()
        return self._client

    def _check_environments(self) -> None:
        """Refuse the run if any connected worker's environment differs from this one (one line)."""
        from riskvid.cluster.remote import EnvironmentMismatch, check_worker

        answers = self._client.run(check_worker, self._environment, on_error="return")
        for address, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                raise RunError(f"worker {address}: cannot run riskvid's jobs ({type(answer).__name__}: "
                               f"{one_line(answer)}); start workers from the project's environment "
                               "after ./scripts/setup")
            if answer:
                raise EnvironmentMismatch(f"worker {address}: {answer}")

    def _check_workers(self, alone_since: float | None, left: int, total: int) -> float | None:
        """Stop the run once no worker has been connected for ``self.wait`` seconds; when that began."""
        if self._client.status not in ("running", "connecting"):
            raise RunError(f"lost the Dask scheduler at {self.address}: {left} of {total} tasks not done; "
                           "finished segments are kept, run again to continue")
        if self._client.nthreads():
            return None
        now = time.monotonic()
        if alone_since is None:
            return now
        if now - alone_since >= self.wait:
            raise NoWorkers(f"no Dask worker connected to {self.address} for {self.wait:g} s: {left} of {total} "
                            f"tasks not done; finished segments are kept (start workers: dask worker {self.address})")
        return alone_since

    def _failure(self, what: str, error: BaseException) -> RiskvidError:
        from distributed import KilledWorker

        if isinstance(error, KilledWorker):
            last = getattr(error.last_worker, "address", error.last_worker)
            return RunError(f"{what} failed: every worker that ran it died ({error.allowed_failures + 1} in a row, "
                            f"the last {last}); see the workers' logs")
        if type(error).__name__ == "CancelledError":
            return RunError(f"{what} was cancelled by the Dask scheduler at {self.address}; run again to continue")
        return failure(what, error)
