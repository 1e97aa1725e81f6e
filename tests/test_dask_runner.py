"""The extraction stage on several processes (a local Dask cluster, Prefect's process pool) gives the same
graph as the default runner."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from neo4j import Driver

from tests.fixtures.feeds.server import FIXTURES

REPO = Path(__file__).resolve().parents[1]

STORIES = [
    ("dask-1", "About 200 Dutch troops arrived in Lithuania on Friday for a NATO exercise, the Lithuanian army "
               "said. The soldiers will stay until the end of February, officials said."),
    ("dask-2", "Hundreds of Ukrainian refugees fled to Poland over the weekend, aid workers said on Monday."),
    ("dask-3", "The Canadian frigate HMCS Example sailed to Norway on Thursday to join a NATO maritime group, "
               "the Royal Canadian Navy said in a statement."),
    ("dask-4", "About 300 French troops arrived in Estonia on Tuesday for a winter exercise, and a second group "
               "of engineers is expected to travel to Latvia next month."),
]


def _snapshot(driver: Driver) -> list[tuple[object, ...]]:
    records, _, _ = driver.execute_query(
        "MATCH (a:Actor)-[m:MOVED_TO]->(l:Location) "
        "RETURN m.key AS key, a.key AS a, l.key AS l, m.modality AS mod, m.mentions AS n, m.sentences AS s "
        "ORDER BY key")
    return [tuple(json.dumps(v, default=str) for v in r.values()) for r in records]


@pytest.mark.parametrize("runner_name", ["dask", "process"])
def test_multi_process_runner_builds_the_same_graph(runner_name: str, cli_env: dict[str, str],
                                                    monkeypatch: pytest.MonkeyPatch, empty_graph: Driver,
                                                    tmp_path: Path) -> None:
    from prefect.task_runners import ProcessPoolTaskRunner
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask import DaskTaskRunner

    from movegraph.flows import extraction
    from movegraph.flows.ingest import ingest
    from movegraph.flows.runners import build_task_runner
    from movegraph.settings import load_settings

    for key, value in cli_env.items():
        if key.startswith("MOVEGRAPH_"):
            monkeypatch.setenv(key, value)
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps({"id": i, "text": t, "published": "2025-01-17"}) + "\n"
                                for i, t in STORIES))
    monkeypatch.setattr(extraction, "CHUNK_SIZE", 1)  # one task per article: spread over the workers
    assert FIXTURES.is_dir()

    with prefect_test_harness(server_startup_timeout=120):
        monkeypatch.setenv("MOVEGRAPH_TASK_RUNNER", "default")
        assert build_task_runner(load_settings()) is None
        default = ingest(str(articles))
        by_default = _snapshot(empty_graph)

        empty_graph.execute_query("MATCH (n) DETACH DELETE n")
        monkeypatch.setenv("MOVEGRAPH_TASK_RUNNER", runner_name)
        monkeypatch.setenv("MOVEGRAPH_DASK_WORKERS", "2")
        monkeypatch.setenv("MOVEGRAPH_PROCESS_WORKERS", "2")
        runner = build_task_runner(load_settings())
        if runner_name == "dask":
            assert isinstance(runner, DaskTaskRunner) and runner.cluster_kwargs["processes"] is True
        else:
            assert isinstance(runner, ProcessPoolTaskRunner)
        # Another extractor-version salt, new on every run: this run must really extract, reusing neither the
        # first run's cache nor a cache an earlier test session left under the same salt with older code.
        salt = f"{runner_name}-{uuid.uuid4().hex}"
        monkeypatch.setattr(extraction, "extractor_version", lambda *_: salt)
        on_runner = ingest(str(articles))

    assert default.events == on_runner.events > 0
    assert by_default and _snapshot(empty_graph) == by_default


def test_process_runner_takes_more_articles_than_a_subflow_parameter_can_hold(
        cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, empty_graph: Driver, tmp_path: Path) -> None:
    """Over 512 KB of real news on the process pool: every article extracted, nothing lost (the stage once ran
    as a subflow, and Prefect refuses a flow run whose parameters serialise over 512 KB)."""
    from prefect.testing.utilities import prefect_test_harness

    from movegraph.extractors.base import create_extractor
    from movegraph.extractors.pipeline import extract_all
    from movegraph.flows import extraction
    from movegraph.flows.ingest import ingest
    from movegraph.schema import Article
    from movegraph.schema.annotation import AnnotatedArticle

    for key, value in cli_env.items():
        if key.startswith("MOVEGRAPH_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("MOVEGRAPH_TASK_RUNNER", "process")
    monkeypatch.setenv("MOVEGRAPH_PROCESS_WORKERS", "2")
    # a salt new on every run: tmp_path's name repeats across sessions, and the persisted cache of an earlier
    # session (older extractor code, other events) would answer instead of the extractor
    salt = f"large-{uuid.uuid4().hex}"
    monkeypatch.setattr(extraction, "extractor_version", lambda *_: salt)
    articles, size = [], 0
    for part in sorted((REPO / "corpus" / "train").glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            row = AnnotatedArticle.model_validate_json(line)
            articles.append(Article(id=row.id, text=row.text, published=row.published))
            size += len(articles[-1].model_dump_json().encode())
        if size > 600_000:
            break
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
    expected = extract_all(create_extractor("rules"), articles)

    with prefect_test_harness(server_startup_timeout=120):
        summary = ingest(str(path))

    assert size > 524_288 and summary.articles == len(articles)
    assert summary.failed_articles == 0 and summary.events == len(expected.events) > 0
