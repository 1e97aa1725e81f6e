"""Which Prefect task runner the extraction stage uses: the default thread pool, or Dask (prefect-dask)."""

from __future__ import annotations

import os
from typing import Any

from movegraph.settings import Settings


def _setting(settings: Settings, name: str, default: str | None) -> str | None:
    # Read from Settings once it has the field; until then from its MOVEGRAPH_ environment variable.
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(f"MOVEGRAPH_{name.upper()}", default)
    return None if value is None else str(value)


def task_runner_name(settings: Settings) -> str:
    """'default' or 'dask' (setting `task_runner`, env MOVEGRAPH_TASK_RUNNER)."""
    name = (_setting(settings, "task_runner", "default") or "default").strip().lower()
    if name not in ("default", "dask"):
        raise ValueError(f"unknown task runner {name!r}; use 'default' or 'dask'")
    return name


def build_task_runner(settings: Settings) -> Any | None:
    """A DaskTaskRunner when configured (an existing scheduler at `dask_address`, else a local
    multi-process cluster of `dask_workers` workers); None means Prefect's default runner."""
    if task_runner_name(settings) != "dask":
        return None
    from prefect_dask import DaskTaskRunner

    address = _setting(settings, "dask_address", None)
    if address:
        return DaskTaskRunner(address=address)
    workers = int(_setting(settings, "dask_workers", "2") or 2)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1,
                                          "dashboard_address": None})
