"""Dask worker plugins of the extraction stage (a module of its own: it imports distributed)."""

from __future__ import annotations

from distributed import Worker
from distributed.diagnostics.plugin import WorkerPlugin

from movegraph.extractors.base import without_torch


class TorchFreeWorker(WorkerPlugin):
    """The worker process keeps torch out (`without_torch`) before it runs a task, as the process pool's
    initializer does for its workers: thinc, under spaCy, would load it (~490 MiB) for an extractor that reads
    without it."""

    name = "movegraph-torch-free"

    def setup(self, worker: Worker) -> None:
        """Called by the worker once, when it starts."""
        without_torch()
