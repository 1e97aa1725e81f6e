"""Which Prefect task runner the extraction stage uses: the default thread pool, a process pool, or Dask."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from movegraph.extractors.base import without_torch
from movegraph.settings import Settings


def build_task_runner(settings: Settings, torch_free: bool = False) -> Any | None:
    """Prefect's ProcessPoolTaskRunner for 'process' (extraction is CPU-bound Python: threads share one core);
    a DaskTaskRunner for 'dask' (an existing scheduler at `dask_address`, else a local multi-process cluster
    of `dask_workers` workers); None means Prefect's default runner. With `torch_free` (the extractor reads
    without torch, see `without_torch`) the workers this starts cannot import torch; a scheduler's workers
    started elsewhere are theirs to configure."""
    if settings.task_runner == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=settings.process_workers or usable_cores(),
                                     initializer=without_torch if torch_free else None)
    if settings.task_runner != "dask":
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    workers = settings.dask_workers
    cluster: dict[str, Any] = {"n_workers": workers, "processes": True, "threads_per_worker": 1,
                               "dashboard_address": None}
    if torch_free:
        from movegraph.flows.dask_workers import TorchFreeWorker  # imports distributed: only for Dask

        cluster["plugins"] = {TorchFreeWorker()}  # LocalCluster hands it to each worker it starts
    return DaskTaskRunner(cluster_kwargs=cluster)


def starts_its_workers(settings: Settings) -> bool:
    """Whether the task runner the settings name starts the worker processes that extract (a process pool, a
    local Dask cluster), so that they can be started without torch."""
    return settings.task_runner == "process" or (settings.task_runner == "dask" and not settings.dask_address)


def threads_per_worker(settings: Settings) -> int | None:
    """CPU threads each extraction worker's model may use: the usable cores shared among the runner's processes.
    A process per core that also runs a thread per core oversubscribes the cores: on 2 cores, 2 processes of
    the trained extractor read 1.84 articles/s with 2 threads each and 2.99 with 1 (one process alone: 1.90).
    None for the thread runner (one process) and for a Dask scheduler elsewhere (its cores are unknown here)."""
    if settings.task_runner == "process":
        workers = settings.process_workers or usable_cores()
    elif settings.task_runner == "dask" and not settings.dask_address:
        workers = settings.dask_workers
    else:
        return None
    return max(1, usable_cores() // workers)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), not every core of the machine."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def workers_share_api() -> Iterator[None]:
    """Inside a flow run with no Prefect API configured, give worker processes started or fed here the API of
    the flow's temporary server. Without it each worker of a process pool starts a temporary server of its own
    (Prefect's ephemeral mode is per process): a server process and its start-up per worker, on the same cores."""
    from prefect.context import FlowRunContext
    from prefect.settings import PREFECT_API_URL, temporary_settings

    context = FlowRunContext.get()
    if PREFECT_API_URL.value() or context is None or context.client is None:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: str(context.client.api_url).rstrip("/")}):
        yield
