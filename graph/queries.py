"""Read-only Cypher the flows need: which articles are already loaded, and what a run added."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver

ARTICLE_TEXT_HASHES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.text_hash AS text_hash
"""

EDGES_OF_ARTICLES = """
MATCH (a:Actor)-[m:MOVED_TO]->(l:Location)
WHERE m.article_id IN $ids
RETURN a.name AS actor, a.key AS actor_key, l.name AS location, l.key AS location_key,
       m.modality AS modality, toString(m.start) AS start, toString(m.end) AS end,
       m.quantity AS quantity, m.article_id AS article_id
ORDER BY coalesce(m.end, m.start) DESC, actor, location
LIMIT $limit
"""

TOP_DESTINATIONS = """
MATCH (:Actor)-[m:MOVED_TO]->(l:Location)
WHERE m.article_id IN $ids
RETURN l.key AS location_key, l.name AS location, count(m) AS edges
ORDER BY edges DESC, location_key
LIMIT $limit
"""


def article_text_hashes(driver: Driver, ids: Sequence[str], database: str = "neo4j") -> dict[str, str | None]:
    """`text_hash` of each given article id that is already in the graph."""
    if not ids:
        return {}
    records, _, _ = driver.execute_query(ARTICLE_TEXT_HASHES, ids=list(ids), database_=database)
    return {r["id"]: r["text_hash"] for r in records}


def edges_of_articles(driver: Driver, ids: Sequence[str], limit: int = 50,
                      database: str = "neo4j") -> list[dict[str, Any]]:
    """MOVED_TO edges of the given articles, latest first."""
    if not ids:
        return []
    records, _, _ = driver.execute_query(EDGES_OF_ARTICLES, ids=list(ids), limit=limit, database_=database)
    return [dict(r) for r in records]


def top_destinations(driver: Driver, ids: Sequence[str], limit: int = 10,
                     database: str = "neo4j") -> list[dict[str, Any]]:
    """Locations that the given articles' edges point at most often."""
    if not ids:
        return []
    records, _, _ = driver.execute_query(TOP_DESTINATIONS, ids=list(ids), limit=limit, database_=database)
    return [dict(r) for r in records]
