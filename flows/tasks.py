"""Thin Prefect tasks shared by the flows: fetch with retries, graph look-ups and loads with retries.

The tasks read no settings: the flow reads them once and passes each task what it needs (a Neo4j target,
a batch size).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from movegraph.flows.report import RunReport
from movegraph.graph.connection import GraphConnectionError, open_driver
from movegraph.graph.load import LoadResult, load_events
from movegraph.graph.queries import article_text_hashes, edges_of_articles, top_destinations
from movegraph.graph.target import Neo4jTarget
from movegraph.schema import Article, MovementEvent
from movegraph.sources.collect import Collected, collect_source
from movegraph.sources.config import SourceSpec
from movegraph.sources.fetch import Document, FetchError, fetch_url

TRANSIENT_GRAPH_ERRORS = (ServiceUnavailable, SessionExpired, TransientError, GraphConnectionError, OSError)


def _raised(state: Any) -> BaseException | None:
    try:
        state.result()
    except BaseException as exc:  # noqa: BLE001 - we only classify it
        return exc
    return None


def transient_fetch(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a fetch only on timeouts, network errors and 5xx/429."""
    exc = _raised(state)
    return isinstance(exc, FetchError) and exc.transient


def transient_graph(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a graph call only when Neo4j is unreachable or the error is transient (never a wrong password)."""
    exc = _raised(state)
    return isinstance(exc, TRANSIENT_GRAPH_ERRORS) and getattr(exc, "transient", True)


@task(name="fetch-url", retries=2, retry_delay_seconds=[1, 4], retry_jitter_factor=0.5,
      retry_condition_fn=transient_fetch)
def fetch_document(url: str, timeout: float, etag: str | None, last_modified: str | None) -> Document:
    """GET one URL; retried with backoff on transient network errors."""
    return fetch_url(url, timeout=timeout, etag=etag, last_modified=last_modified)


def _retrying_fetch(url: str, timeout: float, etag: str | None, last_modified: str | None) -> Document:
    return fetch_document(url, timeout, etag, last_modified)


@task(name="collect-source", task_run_name="collect-{spec.name}")
def collect(spec: SourceSpec, cursor: dict[str, Any]) -> Collected:
    """Read one source from its cursor; its failures come back as rejects, never as a failed run."""
    return collect_source(spec, cursor, fetch=_retrying_fetch)


@task(name="known-articles", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=transient_graph)
def known_text_hashes(target: Neo4jTarget, ids: list[str]) -> dict[str, str | None]:
    """Text hashes of the articles already in the graph."""
    with open_driver(target) as driver:
        return article_text_hashes(driver, ids, target.database)


def progress_logger(label: str, every: int = 25) -> Callable[[int, int], None]:
    """A progress callback that logs every `every` items and at the end."""
    logger = get_run_logger()

    def report(done: int, total: int) -> None:
        if done == total or done % every == 0:
            logger.info("%s: %d/%d (%.0f%%)", label, done, total, 100.0 * done / max(total, 1))

    return report


@task(name="load-graph", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=transient_graph)
def load_graph(target: Neo4jTarget, articles: list[Article], events: list[MovementEvent],
               batch_size: int = 500, workers: int = 1) -> LoadResult:
    """Write to Neo4j; retried with backoff on transient failures (the writes are idempotent)."""
    return load_events(target, articles, events, batch_size=batch_size,
                       progress=progress_logger("written edges", every=500), workers=workers)


@task(name="run-report", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=transient_graph)
def graph_report(target: Neo4jTarget, article_ids: list[str]) -> RunReport:
    """New edges and top destinations of this run's articles, for the artifact."""
    with open_driver(target) as driver:
        return RunReport(edges=edges_of_articles(driver, article_ids, database=target.database),
                         destinations=top_destinations(driver, article_ids, database=target.database))


def publish(key: str, markdown: str, description: str) -> None:
    """Attach a Markdown artifact to the current flow run (logged, never fatal)."""
    try:
        create_markdown_artifact(markdown=markdown, key=key, description=description)
    except Exception as exc:  # noqa: BLE001 - a report must never fail the ingestion it reports on
        get_run_logger().warning("could not publish artifact %s: %s", key, exc)
