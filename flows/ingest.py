"""The `ingest` Prefect flow: read articles -> extract movement events -> load them into Neo4j.

Thin typed tasks over plain functions of schema/, extractors/ and graph/; runs
locally without a Prefect server (Prefect starts a temporary one in-process).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task

from movegraph.extractors.base import create_extractor
from movegraph.extractors.pipeline import ExtractionResult, extract_all
from movegraph.graph.load import load_events
from movegraph.graph.writer import WriteSummary
from movegraph.schema import Article, MovementEvent, read_jsonl
from movegraph.schema.jsonl import Reject, write_rejects
from movegraph.settings import load_settings


@dataclass(frozen=True)
class IngestSummary:
    """What one flow run did, for the CLI and for artifacts."""

    articles: int
    rejected_lines: int
    failed_articles: int
    events: int
    edges_written: int
    graph: dict[str, int]


def _progress(label: str, every: int = 25):
    logger = get_run_logger()

    def report(done: int, total: int) -> None:
        if done == total or done % every == 0:
            logger.info("%s: %d/%d (%.0f%%)", label, done, total, 100.0 * done / max(total, 1))

    return report


@task(name="read-articles")
def read_articles(path: str, rejects_path: str | None) -> tuple[list[Article], int]:
    """Validated articles of a JSONL file; bad lines go to the rejects file."""
    report = read_jsonl(Path(path), Article, rejects_path)
    if report.rejects:
        get_run_logger().warning("%d line(s) of %s rejected%s", len(report.rejects), path,
                                 f"; see {rejects_path}" if rejects_path else "")
    return report.records, len(report.rejects)


@task(name="extract-events")
def extract_events(articles: list[Article], extractor_name: str) -> ExtractionResult:
    """Run the configured extractor over every article."""
    extractor = create_extractor(extractor_name)
    return extract_all(extractor, articles, progress=_progress("extracted articles"))


@task(name="load-graph", retries=3, retry_delay_seconds=[2, 10, 30])
def load_graph(articles: list[Article], events: list[MovementEvent]) -> tuple[WriteSummary, dict[str, int]]:
    """Write to Neo4j; retried with backoff on transient failures (the writes are idempotent)."""
    return load_events(load_settings(), articles, events, progress=_progress("written edges", every=500))


@task(name="record-failed-articles")
def record_failed_articles(path: str, failed: dict[str, str], rejects_path: str | None) -> None:
    """Articles whose extraction failed are kept in the rejects file with the reason, never lost."""
    logger = get_run_logger()
    for article_id, reason in failed.items():
        logger.error("article %r of %s not loaded: %s", article_id, path, reason)
    if rejects_path:
        write_rejects([Reject(path, 0, f"article {aid!r}: extraction failed: {why}", aid)
                       for aid, why in failed.items()], rejects_path)


@flow(name="ingest", log_prints=False)
def ingest(path: str, extractor: str | None = None, rejects_path: str | None = None) -> IngestSummary:
    """Read a JSONL file of articles, extract their movement events and load them into Neo4j."""
    logger = get_run_logger()
    settings = load_settings()
    articles, rejected = read_articles(path, rejects_path)
    result = extract_events(articles, extractor or settings.extractor)
    if result.failed:
        record_failed_articles(path, result.failed, rejects_path)
    loadable = [a for a in articles if a.id not in result.failed]
    written, graph = load_graph(loadable, result.events)
    summary = IngestSummary(articles=len(loadable), rejected_lines=rejected, failed_articles=len(result.failed),
                            events=len(result.events), edges_written=written.facts, graph=graph)
    logger.info("ingest summary: %s", asdict(summary))
    return summary
