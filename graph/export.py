"""The MOVED_TO edges as flat rows for CSV / Parquet export, filtered like `movegraph claims`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from neo4j import Driver

from movegraph.graph.claims import EdgeFilter, native_date

# Sentences of one edge are joined with this in the `evidence` column (one row per edge).
SENTENCE_SEPARATOR = "\n"
CLAIMANT_SEPARATOR = "; "

EXPORT_RETURN = """
OPTIONAL MATCH (art:Article {id: m.article_id})
RETURN m.key AS edge_key, a.key AS actor_key, a.name AS actor_name, l.key AS place_key, l.name AS place_name,
       m.country AS country, m.subdivision AS subdivision, m.start AS start, m.end AS end,
       m.modality AS modality, m.factual AS factual, m.quantity AS quantity, art.source AS source,
       m.sources AS claimants, m.article_id AS article_id, art.url AS article_url, m.sentences AS sentences,
       m.confidence AS confidence
ORDER BY coalesce(m.start, m.end), actor_key, place_key, edge_key
"""


@dataclass(frozen=True)
class EdgeRow:
    """One MOVED_TO edge as one export row; field order is the column order."""

    actor_key: str
    actor_name: str | None
    place_key: str
    place_name: str | None
    country: str | None
    subdivision: str | None
    start: dt.date | None
    end: dt.date | None
    modality: str
    factual: bool
    quantity: int | None
    source: str | None
    claimed_by: str
    article_id: str
    article_url: str | None
    evidence: str
    confidence: float | None
    edge_key: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EdgeRow))


def export_rows(driver: Driver, edges: EdgeFilter, database: str = "neo4j") -> Iterator[EdgeRow]:
    """Every selected MOVED_TO edge with its actor, place and article, in date order, streamed."""
    with driver.session(database=database) as session:
        for record in session.run(edges.match() + EXPORT_RETURN, edges.params()):
            yield _edge_row(dict(record))


def _edge_row(row: dict[str, Any]) -> EdgeRow:
    return EdgeRow(
        actor_key=row["actor_key"], actor_name=row["actor_name"], place_key=row["place_key"],
        place_name=row["place_name"], country=row["country"], subdivision=row["subdivision"],
        start=native_date(row["start"]), end=native_date(row["end"]), modality=row["modality"],
        factual=row["factual"], quantity=row["quantity"], source=row["source"],
        claimed_by=CLAIMANT_SEPARATOR.join(row["claimants"] or ()), article_id=row["article_id"],
        article_url=row["article_url"], evidence=SENTENCE_SEPARATOR.join(row["sentences"] or ()),
        confidence=row["confidence"], edge_key=row["edge_key"])
