"""One call that connects, prepares the schema and writes: what `movegraph load` and the flow use."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from movegraph.graph.connection import open_driver
from movegraph.graph.target import Neo4jTarget
from movegraph.graph.writer import GraphWriter, WriteSummary, graph_counts
from movegraph.schema import Article, MovementEvent


class GraphCounts(BaseModel):
    """Node and edge totals of the whole graph, by label and type."""

    model_config = ConfigDict(frozen=True)

    articles: int
    actors: int
    locations: int
    moved_to: int
    part_of: int
    reports: int


class LoadResult(BaseModel):
    """What one load wrote and the graph's totals after it, named so callers need not unpack a tuple."""

    model_config = ConfigDict(frozen=True)

    written: WriteSummary
    graph: GraphCounts


def load_events(target: Neo4jTarget, articles: Sequence[Article], events: Sequence[MovementEvent],
                batch_size: int = 500, progress: Callable[[int, int], None] | None = None,
                workers: int = 1) -> LoadResult:
    """Write articles and events to `target` in batches of `batch_size` edges, `workers` sessions writing edges
    at once; returns what was written and the graph's totals."""
    with open_driver(target) as driver:
        writer = GraphWriter(driver, target.database, batch_size, workers)
        writer.ensure_schema()
        written = writer.write(articles, events, progress=progress)
        totals = GraphCounts.model_validate(graph_counts(driver, target.database))
        return LoadResult(written=written, graph=totals)
