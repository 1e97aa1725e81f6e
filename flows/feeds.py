"""The `ingest-feeds` flow: every source of a YAML sources file -> new or changed articles -> graph.

Per source a cursor makes runs incremental; an article already in the graph
with the same text hash is skipped, one whose text changed has its edges
replaced. Failures of a feed or page are rejects with reasons, not a failed run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger

from movegraph.flows.extraction import run_extraction
from movegraph.flows.report import RunReport, run_markdown
from movegraph.flows.tasks import collect, graph_report, known_text_hashes, load_graph, publish
from movegraph.graph.target import Neo4jTarget
from movegraph.schema import Article, Reject, text_hash, write_rejects
from movegraph.settings import Settings, load_settings
from movegraph.sources.collect import Collected
from movegraph.sources.config import SourcesFile, load_sources_file
from movegraph.sources.cursor import CursorStore


@dataclass(frozen=True)
class FeedsSummary:
    """What one ingest-feeds run did."""

    sources: int
    fetched: int
    new: int
    changed: int
    skipped: int
    rejected: int
    events: int
    edges_written: int
    rejects_path: str
    graph: dict[str, int] = field(default_factory=dict)


@dataclass
class Triage:
    """The run's articles sorted against the graph."""

    new: list[Article] = field(default_factory=list)
    changed: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)


def unique_articles(batches: list[Collected]) -> list[Article]:
    """Articles of every source, the first of each id kept (a story in two feeds is loaded once)."""
    seen: dict[str, Article] = {}
    for batch in batches:
        for article in batch.articles:
            seen.setdefault(article.id, article)
    return list(seen.values())


def triage(articles: list[Article], known: dict[str, str | None]) -> Triage:
    """New (not in the graph), changed (text hash differs) or unchanged (skipped)."""
    out = Triage()
    for article in articles:
        if article.id not in known:
            out.new.append(article)
        elif known[article.id] != text_hash(article.text):
            out.changed.append(article)
        else:
            out.unchanged.append(article)
    return out


def extraction_rejects(articles: list[Article], failed: dict[str, str]) -> list[Reject]:
    """The articles whose extraction failed, each under its URL (or id) with the reason."""
    return [Reject(input=a.url or a.id, stage="extract", article_id=a.id,
                   reason=f"extraction failed: {failed[a.id]}") for a in articles if a.id in failed]


def _paths(config: SourcesFile, settings: Settings, state_dir: str | None,
           rejects_path: str | None) -> tuple[Path, Path]:
    state = Path(state_dir) if state_dir else (config.state_dir or settings.data_dir / "sources")
    rejects = Path(rejects_path) if rejects_path else (config.rejects or state / "rejects.jsonl")
    return state, rejects


@flow(name="ingest-feeds", log_prints=False)
def ingest_feeds(sources_file: str, rejects_path: str | None = None, state_dir: str | None = None,
                 extractor: str | None = None) -> FeedsSummary:
    """Poll every enabled source of `sources_file` and load what is new or changed."""
    logger = get_run_logger()
    settings = load_settings()
    config = load_sources_file(sources_file)
    state, rejects_file = _paths(config, settings, state_dir, rejects_path)
    cursors = CursorStore(state)
    target = settings.neo4j_target()
    specs = [s for s in config.sources if s.enabled]
    futures = [collect.submit(spec, cursors.load(spec.name)) for spec in specs]
    batches: list[Collected] = [f.result() for f in futures]
    rejects: list[Reject] = [r for b in batches for r in b.rejects]

    articles = unique_articles(batches)
    sorted_ = triage(articles, known_text_hashes(target, [a.id for a in articles]) if articles else {})
    todo = sorted_.new + sorted_.changed
    result = run_extraction(todo, extractor or settings.extractor, settings)
    rejects += extraction_rejects(todo, result.failed)
    loadable = [a for a in todo if a.id not in result.failed]
    loaded = (load_graph(target, loadable, result.events, settings.batch_size, settings.write_workers)
              if loadable else None)

    for batch in batches:  # only now: a failed load leaves every cursor where it was
        cursors.save(batch.source, batch.cursor)
    write_rejects(rejects, rejects_file)
    summary = FeedsSummary(
        sources=len(specs), fetched=sum(b.fetched for b in batches), new=len(sorted_.new),
        changed=len(sorted_.changed), skipped=len(sorted_.unchanged) + sum(b.unchanged for b in batches),
        rejected=len(rejects), events=len(result.events), edges_written=loaded.written.facts if loaded else 0,
        rejects_path=str(rejects_file), graph=loaded.graph.model_dump() if loaded else {})
    logger.info("ingest-feeds summary: %s", asdict(summary))
    _publish_run(target, summary, rejects, [a.id for a in loadable])
    return summary


def _publish_run(target: Neo4jTarget, summary: FeedsSummary, rejects: list[Reject], article_ids: list[str]) -> None:
    counts = {k: v for k, v in asdict(summary).items() if k not in ("graph", "rejects_path")}
    report = graph_report(target, article_ids) if article_ids else RunReport()
    publish("ingest-feeds", run_markdown("ingest-feeds run", counts, rejects, report),
            f"{summary.new} new, {summary.changed} changed, {summary.skipped} skipped, {summary.rejected} rejected")
