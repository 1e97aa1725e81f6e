"""The `ingest` Prefect flow: read a JSONL file of articles -> extract movement events -> load them into Neo4j.

Thin typed tasks over plain functions of schema/, extractors/ and graph/; runs
locally without a Prefect server (Prefect starts a temporary one in-process).
Extraction is the cached, chunked stage of `movegraph.flows.extraction`, on
the task runner the settings name; each run publishes a Markdown artifact.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task

from movegraph.extractors.pipeline import ExtractionResult
from movegraph.flows.extraction import run_extraction
from movegraph.flows.report import RunReport, run_markdown
from movegraph.flows.tasks import graph_report, load_graph, publish
from movegraph.schema import Article, Reject, read_jsonl, write_rejects
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


@task(name="read-articles")
def read_articles(path: str, rejects_path: str | None) -> tuple[list[Article], list[Reject]]:
    """Validated articles of a JSONL file; bad lines go to the rejects file."""
    report = read_jsonl(Path(path), Article, rejects_path)
    records, duplicates = first_of_each_id(report.records, path)
    if duplicates and rejects_path:
        write_rejects(duplicates, rejects_path)
    rejects = list(report.rejects) + duplicates
    if rejects:
        get_run_logger().warning("%d line(s) of %s rejected%s", len(rejects), path,
                                 f"; see {rejects_path}" if rejects_path else "")
    return records, rejects


def first_of_each_id(articles: list[Article], path: str) -> tuple[list[Article], list[Reject]]:
    """Keep the first article of each id; a later one with another text is rejected, an identical one dropped."""
    first: dict[str, Article] = {}
    rejects = []
    for article in articles:
        seen = first.setdefault(article.id, article)
        if seen is not article and seen.text != article.text:
            rejects.append(Reject(input=path, stage="duplicate-id", article_id=article.id,
                                  reason=f"duplicate article id {article.id!r}: an earlier line has this id "
                                         "with a different text; the first one is kept"))
    return list(first.values()), rejects


@task(name="record-failed-articles")
def record_failed_articles(path: str, result: ExtractionResult, rejects_path: str | None) -> list[Reject]:
    """Articles whose extraction failed are kept in the rejects file with the reason, never lost."""
    logger = get_run_logger()
    for article_id, reason in result.failed.items():
        logger.error("article %r of %s not loaded: %s", article_id, path, reason)
    failed = result.rejects(path)
    if rejects_path:
        write_rejects(failed, rejects_path)
    return failed


@flow(name="ingest", log_prints=False)
def ingest(path: str, extractor: str | None = None, rejects_path: str | None = None) -> IngestSummary:
    """Read a JSONL file of articles, extract their movement events and load them into Neo4j."""
    logger = get_run_logger()
    settings = load_settings()
    articles, bad_lines = read_articles(path, rejects_path)
    result = run_extraction(articles, extractor or settings.extractor, settings)
    failed = record_failed_articles(path, result, rejects_path) if result.failed else []
    loadable = [a for a in articles if a.id not in result.failed]
    target = settings.neo4j_target()
    loaded = load_graph(target, loadable, result.events, settings.batch_size, settings.write_workers)
    summary = IngestSummary(articles=len(loadable), rejected_lines=len(bad_lines),
                            failed_articles=len(result.failed), events=len(result.events),
                            edges_written=loaded.written.facts, graph=loaded.graph.model_dump())
    logger.info("ingest summary: %s", asdict(summary))
    rejects = bad_lines + failed
    report = graph_report(target, [a.id for a in loadable]) if loadable else RunReport()
    counts = {k: v for k, v in asdict(summary).items() if k != "graph"}
    publish("ingest-file", run_markdown(f"ingest {Path(path).name}", counts, rejects, report),
            f"{summary.articles} articles, {summary.edges_written} edges")
    return summary
