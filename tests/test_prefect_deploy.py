"""prefect.yaml for real: a local Prefect server, `prefect deploy`, a process worker, and edges in Neo4j."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from neo4j import Driver

from movegraph.sources import article_id_for_url
from tests.conftest import REPO, SAMPLE_ARTICLES
from tests.fixtures.feeds.server import FeedServer

PREFECT = str(REPO / ".venv" / "bin" / "prefect") if (REPO / ".venv" / "bin" / "prefect").exists() else "prefect"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"prefect server not healthy after {timeout}s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One real `prefect server start` for this module, with its own PREFECT_HOME; scheduler off so
    the interval schedule of ingest-feeds does not start runs of its own during the test."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MOVEGRAPH_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="INFO")
    log = home / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, cwd=home)
    api = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(api, server, log)
        yield {**env, "PREFECT_API_URL": api}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _prefect(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run([PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _run_id(output: str) -> str:
    match = re.search(r"UUID:\s*([0-9a-f-]{36})", output)
    assert match, output
    return match.group(1)


def _state(env: dict[str, str], run_id: str) -> str:
    return json.loads(_prefect(env, "flow-run", "inspect", run_id, "--output", "json"))["state"]["type"]


def test_deploy_and_run_deployments_through_a_worker(prefect_env: dict[str, str], cli_env: dict[str, str],
                                                     empty_graph: Driver, tmp_path: Path) -> None:
    env = {**prefect_env, **{k: v for k, v in cli_env.items() if k.startswith("MOVEGRAPH_")}}
    _prefect(env, "work-pool", "create", "movegraph", "--type", "process")
    deployed = _prefect(env, "--no-prompt", "deploy", "--all")
    for name in ("ingest-feeds/ingest-feeds", "ingest/ingest-file", "rescore/rescore"):
        assert name in deployed, deployed
    feeds_deployment = _prefect(env, "deployment", "inspect", "ingest-feeds/ingest-feeds", "--output", "json")
    schedules = json.loads(feeds_deployment)["schedules"]
    assert schedules and schedules[0]["schedule"]["interval"] == 900

    with FeedServer() as feeds:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"state_dir": "state", "sources": [
            {"name": "wire", "kind": "feed", "url": f"{feeds.base}/world.rss", "timeout": 5}]}))
        file_run = _run_id(_prefect(env, "deployment", "run", "ingest/ingest-file",
                                    "--param", f"path={SAMPLE_ARTICLES}",
                                    "--param", f"rejects_path={tmp_path / 'sample.rejects.jsonl'}"))
        feeds_run = _run_id(_prefect(env, "deployment", "run", "ingest-feeds/ingest-feeds",
                                     "--param", f"sources_file={sources}"))
        _prefect(env, "worker", "start", "--pool", "movegraph", "--run-once", timeout=420)
        assert _state(env, file_run) == "COMPLETED"
        assert _state(env, feeds_run) == "COMPLETED"
        estonia = article_id_for_url(f"{feeds.base}/pages/estonia-troops.html")

    records, _, _ = empty_graph.execute_query(
        "MATCH (a:Actor)-[m:MOVED_TO]->(l:Location) RETURN m.article_id AS id, a.key AS a, l.key AS l")
    edges = {(r["id"], r["a"], r["l"]) for r in records}
    assert any(e[0] == "voi-428007" and e[1] == "KP/military" and e[2].startswith("RU") for e in edges), edges
    assert (estonia, "FR/military", "EE") in edges
    assert (tmp_path / "state" / "rejects.jsonl").is_file()
