"""One call that connects, prepares the schema and writes: what `movegraph load` and the flow use."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from movegraph.graph.connection import open_driver
from movegraph.graph.writer import GraphWriter, WriteSummary, graph_counts
from movegraph.schema import Article, MovementEvent
from movegraph.settings import Settings


def load_events(settings: Settings, articles: Sequence[Article], events: Sequence[MovementEvent],
                progress: Callable[[int, int], None] | None = None) -> tuple[WriteSummary, dict[str, int]]:
    """Write articles and events to the configured Neo4j; returns the summary and the graph's totals."""
    with open_driver(settings) as driver:
        writer = GraphWriter(driver, settings.neo4j_database, settings.batch_size)
        writer.ensure_schema()
        summary = writer.write(articles, events, progress=progress)
        return summary, graph_counts(driver, settings.neo4j_database)
