"""GraphWriter: idempotent, batched, parameterised writes of articles, actors, locations and MOVED_TO edges.

Every node is MERGEd on a deterministic key and every edge has one; an article's
edges are replaced whole under a lock on the article, so loading the same events
twice leaves the graph identical and reloading an article replaces its edges.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Session
from neo4j.exceptions import ClientError

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
# `IF NOT EXISTS` is checked when the statement runs, not when it commits: when two loads create the schema at
# once, both see no rule, both create it, and the later commit is refused with this (non-transient) code. The rule
# then exists, so running the statement again is a no-op.
SCHEMA_RACE = "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists"
SCHEMA_ATTEMPTS = 3
# Node, stale-edge and mark rows are small (an id, a few short strings): they go in batches of at least this
# many rows. Every write transaction costs about 15 ms here however small it is, so at 100k edges the 3 x 71
# batches of 500 article rows cost more than the rows themselves; edges (with their sentences) keep batch_size.
NODE_BATCH_ROWS = 5000

MERGE_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.url = row.url, a.title = row.title, a.source = row.source, a.language = row.language,
    a.published = row.published
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

# An article's edges are replaced whole: under a write lock on its Article node (the documented SET/REMOVE
# lock idiom) its old MOVED_TO edges are deleted and its new ones CREATEd, in one transaction. A second load of
# the same article waits for the lock and then replaces what the first committed, so nothing is duplicated;
# CREATE skips the per-edge MERGE lookup and lock on the relationship-key index that dominated the load.
# Properties are named one by one: `SET r = map` makes the planner add an Eager operator over the batch.
_EDGE_PROPERTIES = """
    key: row.key, article_id: row.props.article_id, factual: row.props.factual, modality: row.props.modality,
    modalities: row.props.modalities, country: row.props.country, subdivision: row.props.subdivision,
    localities: row.props.localities, start: row.props.start, end: row.props.end,
    time_texts: row.props.time_texts, quantity: row.props.quantity, quantities: row.props.quantities,
    sources: row.props.sources, origins: row.props.origins, confidence: row.props.confidence,
    mentions: row.props.mentions, event_ids: row.props.event_ids, sentences: row.props.sentences,
    sentence_starts: row.props.sentence_starts, sentence_ends: row.props.sentence_ends,
    triggers: row.props.triggers, trigger_starts: row.props.trigger_starts,
    trigger_ends: row.props.trigger_ends
"""

REPLACE_EDGES = """
UNWIND $rows AS art
MATCH (article:Article {id: art.id})
SET article._movegraph_lock = true
WITH article, art
CALL (art) {
  MATCH ()-[old:MOVED_TO {article_id: art.id}]->()
  DELETE old
}
CALL (art) {
  UNWIND art.edges AS row
  MATCH (a:Actor {key: row.actor_key})
  MATCH (l:Location {key: row.location_key})
  CREATE (a)-[r:MOVED_TO {""" + _EDGE_PROPERTIES + """}]->(l)
}
REMOVE article._movegraph_lock
"""

# (:Article)-[:REPORTS]->(:Actor|:Location) for each actor and place its edges join, so expanding a
# node in the Browser reaches the articles behind its movements; links the article no longer makes go.
SYNC_REPORTS = """
UNWIND $rows AS row
MATCH (art:Article {id: row.id})
CALL (art, row) {
  MATCH (art)-[old:REPORTS]->(n)
  WHERE NOT ((n:Actor AND n.key IN row.actors) OR (n:Location AND n.key IN row.locations))
  DELETE old
}
CALL (art, row) {
  UNWIND row.actors AS key
  MATCH (a:Actor {key: key})
  MERGE (art)-[:REPORTS]->(a)
}
CALL (art, row) {
  UNWIND row.locations AS key
  MATCH (l:Location {key: key})
  MERGE (art)-[:REPORTS]->(l)
}
"""

# Written last: an Article whose text_hash equals its text's hash has every edge of that text in the graph.
MARK_LOADED = """
UNWIND $rows AS row
MATCH (a:Article {id: row.id})
SET a.text_hash = row.text_hash
"""


@contextlib.contextmanager
def _collector_quiet() -> Iterator[Callable[[], None]]:
    """Keep Python's cyclic garbage collector off the load's rows; call the yielded function once they are built.

    Rows are dicts and lists without cycles (reference counting frees them), yet building 100k of them
    made the collector run full passes over every live event and row again and again, and so did the
    driver's per-batch objects during the writes: 4.4 s of a 31 s load of 100k edges (gc callbacks).
    So the collector is paused while the rows are built; then everything alive is frozen out of its
    sight (gc.freeze) and it runs again for what the writes allocate; the end of the load unfreezes.
    Where another part of the process already froze objects, the load leaves freezing alone.
    """
    enabled = gc.isenabled()
    gc.disable()
    froze = False

    def rows_built() -> None:
        nonlocal froze
        if gc.get_freeze_count() == 0:
            gc.freeze()
            froze = True
        if enabled:
            gc.enable()

    try:
        yield rows_built
    finally:
        if froze:
            gc.unfreeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class WriteSummary:
    """What one load wrote."""

    articles: int
    events: int
    facts: int
    actors: int
    locations: int
    unplaced_events: int


def edge_groups(by_article: Sequence[dict[str, Any]], max_edges: int,
                max_articles: int = NODE_BATCH_ROWS) -> Iterator[list[dict[str, Any]]]:
    """Consecutive articles whose edges add up to at most `max_edges` (an article with more goes alone), and at
    most `max_articles` of them: one transaction each, since an article's edges are replaced in the
    transaction that locks it."""
    group: list[dict[str, Any]] = []
    edges = 0
    for article in by_article:
        size = len(article["edges"])
        if group and (edges + size > max_edges or len(group) >= max_articles):
            yield group
            group, edges = [], 0
        group.append(article)
        edges += size
    if group:
        yield group


def batched(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


class GraphWriter:
    """Writes extraction results into Neo4j; owns every Cypher statement of the load."""

    def __init__(self, driver: Driver, database: str = "neo4j", batch_size: int = 500, workers: int = 1) -> None:
        """`workers` sessions write the articles' edges at once (see `_in_parallel`); 1 writes them in order."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.workers = workers

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to run any number of times, also by several loads at once."""
        for statement in SCHEMA_STATEMENTS:
            for attempt in range(1, SCHEMA_ATTEMPTS + 1):
                try:
                    self.driver.execute_query(statement, database_=self.database)
                    break
                except ClientError as exc:
                    if exc.code != SCHEMA_RACE or attempt == SCHEMA_ATTEMPTS:
                        raise
                    log.debug("schema rule created by a concurrent load; checking again: %s", statement)

    def write(self, articles: Sequence[Article], events: Sequence[MovementEvent],
              progress: Callable[[int, int], None] | None = None) -> WriteSummary:
        """Load articles and their events: nodes, then each article's edges (older ones replaced), then links
        and marks.

        Each batch is its own transaction, retried by the driver on transient errors
        (deadlocks, leader changes); every statement is idempotent, so a load cut
        anywhere is completed by running it again.
        """
        with _collector_quiet() as rows_built, self.driver.session(database=self.database) as session:
            rows = build_rows(articles, events)
            # Nodes in key order: two loads at once lock shared nodes in the same order (waits, not deadlocks).
            articles_by_id = sorted(rows.articles, key=_by("id"))
            by_article = rows.edges_by_article()
            reported = rows.reported_by_article()
            rows_built()
            self._run_batches(session, MERGE_ARTICLES, articles_by_id)
            self._run_batches(session, MERGE_ACTORS, sorted(rows.actors, key=_by("key")))
            self._run_batches(session, MERGE_LOCATIONS, sorted(rows.locations, key=_by("key")))
            total, written = len(rows.facts), 0

            def edges_written(group: list[dict[str, Any]]) -> None:
                nonlocal written
                written += sum(len(article["edges"]) for article in group)
                if progress:
                    progress(written, total)

            self._in_parallel(session, REPLACE_EDGES, list(edge_groups(by_article, self.batch_size)), edges_written)
            self._run_batches(session, SYNC_REPORTS, reported)
            marks = [{"id": row["id"], "text_hash": row["text_hash"]} for row in articles_by_id]
            self._run_batches(session, MARK_LOADED, marks)
        return self._summary(rows, len(events))

    def _in_parallel(self, session: Session, query: str, batches: list[list[dict[str, Any]]],
                     done: Callable[[list[dict[str, Any]]], None] | None = None) -> None:
        """Run `query` once per batch, each in its own transaction. With `workers` > 1, that many sessions take
        the batches in turn at once: batches hold disjoint articles, and the server runs each transaction on a
        core of its own (one session leaves the second core idle). A deadlock on a shared Actor or Location is
        a transient error the driver retries. `done` is called after each batch, one call at a time."""
        lock = threading.Lock()

        def run_part(part: list[list[dict[str, Any]]], own: Session) -> None:
            for batch in part:
                self._run(own, query, batch)
                if done is not None:
                    with lock:
                        done(batch)

        workers = min(self.workers, len(batches))
        if workers <= 1:
            run_part(batches, session)
            return

        def in_own_session(part: list[list[dict[str, Any]]]) -> None:
            with self.driver.session(database=self.database) as own:
                run_part(part, own)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="movegraph-writer") as pool:
            futures = [pool.submit(in_own_session, batches[first::workers]) for first in range(workers)]
            for future in futures:
                future.result()  # the first failure is raised once every part has stopped

    def _run_batches(self, session: Session, query: str, rows: Sequence[dict[str, Any]]) -> None:
        for batch in batched(rows, max(self.batch_size, NODE_BATCH_ROWS)):
            self._run(session, query, list(batch))

    @staticmethod
    def _run(session: Session, query: str, rows: list[dict[str, Any]]) -> None:
        session.execute_write(_consume, query, rows)

    @staticmethod
    def _summary(rows: GraphRows, events: int) -> WriteSummary:
        return WriteSummary(articles=len(rows.articles), events=events, facts=len(rows.facts),
                            actors=len(rows.actors), locations=len(rows.locations),
                            unplaced_events=rows.unplaced_events)


def _by(field: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: str(row[field])


class RowBatch(list[dict[str, Any]]):
    """The rows of one batch, sent as they are; only their repr is short.

    The driver formats every RUN's parameters for its debug log before it checks the log level
    (neo4j 6.4 `Bolt5x5.run`): for a batch of edges with their sentences that repr cost more than
    packing the batch (0.4 s per 20k edges). The packer sends a list subclass like a list.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _consume(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
    """One batch in one managed transaction (the driver retries it on transient errors)."""
    tx.run(query, rows=RowBatch(rows)).consume()


def graph_counts(driver: Driver, database: str = "neo4j") -> dict[str, int]:
    """Node and edge counts by label/type, for summaries and tests."""
    query = """
    CALL () { MATCH (n:Article) RETURN count(n) AS articles }
    CALL () { MATCH (n:Actor) RETURN count(n) AS actors }
    CALL () { MATCH (n:Location) RETURN count(n) AS locations }
    CALL () { MATCH ()-[r:MOVED_TO]->() RETURN count(r) AS moved_to }
    CALL () { MATCH ()-[r:PART_OF]->() RETURN count(r) AS part_of }
    CALL () { MATCH ()-[r:REPORTS]->() RETURN count(r) AS reports }
    RETURN articles, actors, locations, moved_to, part_of, reports
    """
    records, _, _ = driver.execute_query(query, database_=database)
    return dict(records[0])
