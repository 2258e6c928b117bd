"""Where tasks run: a pool of local processes (``workers``) or a Dask cluster (``dask_client``, its worker side in
``remote``), both behind one ``Workers`` interface; ``environment`` is what a machine renders with."""

from __future__ import annotations

from riskvid.cluster.workers import LocalWorkers, Workers

__all__ = ["LocalWorkers", "Workers", "open_workers"]


def open_workers(jobs: int, scheduler: str | None = None) -> Workers:
    """Workers for a run: the Dask cluster at ``scheduler`` if given, else a pool of ``jobs`` local processes."""
    if scheduler:
        from riskvid.cluster.dask_client import DaskWorkers

        return DaskWorkers(scheduler)
    return LocalWorkers(jobs)
