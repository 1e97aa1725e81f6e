"""Which Prefect task runner the extraction stage uses: the default thread pool, or Dask (prefect-dask)."""

from __future__ import annotations

from typing import Any

from movegraph.settings import Settings


def build_task_runner(settings: Settings) -> Any | None:
    """A DaskTaskRunner when configured (an existing scheduler at `dask_address`, else a local
    multi-process cluster of `dask_workers` workers); None means Prefect's default runner."""
    if settings.task_runner != "dask":
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    workers = settings.dask_workers
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1,
                                          "dashboard_address": None})
