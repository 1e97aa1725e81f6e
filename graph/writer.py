"""GraphWriter: idempotent, batched, parameterised writes of articles, actors, locations and MOVED_TO edges.

Every node and edge is MERGEd on a deterministic key, so loading the same events
twice leaves the graph identical; reloading an article replaces its edges.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction

from movegraph.graph.rows import GraphRows, build_rows
from movegraph.schema import Article, MovementEvent

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_STATEMENTS = (
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT actor_key IF NOT EXISTS FOR (n:Actor) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT location_key IF NOT EXISTS FOR (n:Location) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT moved_to_key IF NOT EXISTS FOR ()-[r:MOVED_TO]-() REQUIRE r.key IS UNIQUE",
    "CREATE INDEX moved_to_article IF NOT EXISTS FOR ()-[r:MOVED_TO]-() ON (r.article_id)",
    "CREATE INDEX moved_to_end IF NOT EXISTS FOR ()-[r:MOVED_TO]-() ON (r.end)",
    "CREATE INDEX location_country IF NOT EXISTS FOR (n:Location) ON (n.country)",
    "CREATE INDEX actor_affiliation IF NOT EXISTS FOR (n:Actor) ON (n.affiliation)",
)

MERGE_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.url = row.url, a.title = row.title, a.source = row.source, a.language = row.language,
    a.published = CASE WHEN row.published IS NULL THEN null ELSE date(row.published) END,
    a.text_hash = row.text_hash
"""

MERGE_ACTORS = """
UNWIND $rows AS row
MERGE (a:Actor {key: row.key})
ON CREATE SET a.name = row.name
SET a.affiliation = row.affiliation, a.type = row.type
"""

MERGE_LOCATIONS = """
UNWIND $rows AS row
MERGE (l:Location {key: row.key})
SET l += row.props
WITH l, row WHERE row.parent IS NOT NULL
MERGE (p:Location {key: row.parent})
MERGE (l)-[:PART_OF]->(p)
"""

REMOVE_STALE_EDGES = """
UNWIND $rows AS row
MATCH ()-[r:MOVED_TO {article_id: row.id}]->()
WHERE NOT r.key IN row.keys
DELETE r
"""

MERGE_EDGES = """
UNWIND $rows AS row
MATCH (a:Actor {key: row.actor_key})
MATCH (l:Location {key: row.location_key})
MERGE (a)-[r:MOVED_TO {key: row.key}]->(l)
SET r += row.props,
    r.start = CASE WHEN row.props.start IS NULL THEN null ELSE date(row.props.start) END,
    r.end = CASE WHEN row.props.end IS NULL THEN null ELSE date(row.props.end) END
"""


@dataclass(frozen=True)
class WriteSummary:
    """What one load wrote."""

    articles: int
    events: int
    facts: int
    actors: int
    locations: int
    unplaced_events: int


def batched(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


class GraphWriter:
    """Writes extraction results into Neo4j; owns every Cypher statement of the load."""

    def __init__(self, driver: Driver, database: str = "neo4j", batch_size: int = 500) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to run any number of times."""
        for statement in SCHEMA_STATEMENTS:
            self.driver.execute_query(statement, database_=self.database)

    def write(self, articles: Sequence[Article], events: Sequence[MovementEvent],
              progress: Callable[[int, int], None] | None = None) -> WriteSummary:
        """Load articles and their events: nodes first, then each article's edges, replacing older ones."""
        rows = build_rows(articles, events)
        self._run_batches(MERGE_ARTICLES, rows.articles)
        self._run_batches(MERGE_ACTORS, rows.actors)
        self._run_batches(MERGE_LOCATIONS, rows.locations)
        self._run_batches(REMOVE_STALE_EDGES, rows.fact_keys_by_article())
        edges = [fact.to_param() for fact in rows.facts]
        done = 0
        for batch in batched(edges, self.batch_size):
            self._run(MERGE_EDGES, list(batch))
            done += len(batch)
            if progress:
                progress(done, len(edges))
        return self._summary(rows, len(events))

    def _run_batches(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        for batch in batched(rows, self.batch_size):
            self._run(query, list(batch))

    def _run(self, query: str, rows: list[dict[str, Any]]) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(query, rows=rows).consume()

        with self.driver.session(database=self.database) as session:
            session.execute_write(work)

    @staticmethod
    def _summary(rows: GraphRows, events: int) -> WriteSummary:
        return WriteSummary(articles=len(rows.articles), events=events, facts=len(rows.facts),
                            actors=len(rows.actors), locations=len(rows.locations),
                            unplaced_events=rows.unplaced_events)


def graph_counts(driver: Driver, database: str = "neo4j") -> dict[str, int]:
    """Node and edge counts by label/type, for summaries and tests."""
    query = """
    CALL () { MATCH (n:Article) RETURN count(n) AS articles }
    CALL () { MATCH (n:Actor) RETURN count(n) AS actors }
    CALL () { MATCH (n:Location) RETURN count(n) AS locations }
    CALL () { MATCH ()-[r:MOVED_TO]->() RETURN count(r) AS moved_to }
    CALL () { MATCH ()-[r:PART_OF]->() RETURN count(r) AS part_of }
    RETURN articles, actors, locations, moved_to, part_of
    """
    records, _, _ = driver.execute_query(query, database_=database)
    return dict(records[0])
