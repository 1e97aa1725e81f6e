"""Worker processes of the extraction stage report to the flow's own Prefect API, never to servers of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import flow, task


@task
def api_url_in_worker() -> str | None:
    """The Prefect API this task's process talks to (a task of this module: the workers import it by name)."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


@task
def spacy_loads_torch() -> bool:
    """Whether importing spaCy in this worker loaded torch (thinc imports it whenever it can)."""
    import sys

    import spacy  # noqa: F401

    return sys.modules.get("torch") is not None


@flow
def torch_in_worker_flow(torch_free: bool, runner_name: str = "process") -> bool:
    """Whether a worker of the extraction stage's runner (a process pool or a local Dask cluster) loads torch
    along with spaCy."""
    from movegraph.flows.runners import build_task_runner, workers_share_api
    from movegraph.settings import load_settings

    settings = load_settings(task_runner=runner_name, process_workers=1, dask_workers=1, dask_address=None)
    with build_task_runner(settings, torch_free) as runner, workers_share_api():
        return runner.submit(spacy_loads_torch, {}).result()


@flow
def worker_api_flow(share: bool) -> tuple[str | None, str]:
    """The API URL a process-pool worker sees, and the flow's own."""
    from prefect.context import FlowRunContext
    from prefect.task_runners import ProcessPoolTaskRunner

    from movegraph.flows.runners import workers_share_api

    flow_api = str(FlowRunContext.get().client.api_url).rstrip("/")
    with ProcessPoolTaskRunner(max_workers=1) as runner:
        if not share:
            return runner.submit(api_url_in_worker, {}).result(), flow_api
        with workers_share_api():
            return runner.submit(api_url_in_worker, {}).result(), flow_api


@pytest.fixture
def no_prefect_api(tmp_path: Path) -> Iterator[None]:
    """No API configured, as on a fresh machine: Prefect runs a flow on a temporary server of its own."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_HOME,
        PREFECT_LOGGING_TO_API_ENABLED,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    with temporary_settings(updates={PREFECT_HOME: tmp_path / "prefect",
                                     PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 120,
                                     PREFECT_LOGGING_TO_API_ENABLED: False},
                            restore_defaults={PREFECT_API_URL}):
        yield
    from prefect.server.api.server import SubprocessASGIServer

    SubprocessASGIServer().stop()  # now, while logging still has somewhere to write (else at exit)


def test_process_workers_use_the_flows_temporary_server(no_prefect_api: None) -> None:
    unshared, flow_api = worker_api_flow(share=False)
    shared, _ = worker_api_flow(share=True)
    assert unshared is None  # what Prefect does by itself: the worker would start a server of its own
    assert flow_api.startswith("http://127.0.0.1:")
    assert shared == flow_api


def test_nothing_changes_outside_a_flow_run(no_prefect_api: None) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from movegraph.flows.runners import workers_share_api

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:1/api"}), workers_share_api():
        assert PREFECT_API_URL.value() == "http://127.0.0.1:1/api"


def test_workers_of_an_extractor_that_reads_without_torch_never_load_it(no_prefect_api: None) -> None:
    pytest.importorskip("torch")  # installed (make setup): thinc loads it unless the worker keeps it out
    assert torch_in_worker_flow(torch_free=False)
    assert not torch_in_worker_flow(torch_free=True)


def test_local_dask_workers_of_an_extractor_that_reads_without_torch_never_load_it(no_prefect_api: None) -> None:
    pytest.importorskip("torch")
    assert torch_in_worker_flow(torch_free=False, runner_name="dask")
    assert not torch_in_worker_flow(torch_free=True, runner_name="dask")


def test_only_runners_that_start_their_workers_can_keep_torch_out() -> None:
    from movegraph.flows.runners import starts_its_workers
    from movegraph.settings import load_settings

    assert starts_its_workers(load_settings(task_runner="process"))
    assert starts_its_workers(load_settings(task_runner="dask", dask_address=None))
    assert not starts_its_workers(load_settings(task_runner="dask", dask_address="tcp://10.0.0.5:8786"))
    assert not starts_its_workers(load_settings(task_runner="default"))
