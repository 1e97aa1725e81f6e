"""Claims against denials: per actor and place, which articles assert, expect, hypothesise, negate or deny a move.

Also holds `EdgeFilter`, the actor / place (with PART_OF) / date-window selection of
MOVED_TO edges that `movegraph claims` and `movegraph export` share. Every value goes
to Neo4j as a query parameter; only fixed Cypher fragments are chosen in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from movegraph.schema.event import modality_rank


@dataclass(frozen=True)
class EdgeFilter:
    """Which MOVED_TO edges a view reads: by actor key, place key (itself or any place PART_OF it), date window.

    An edge is inside the window when its interval [start, end] overlaps [since, until]
    (an open end counts as its other end); an edge with no date at all is left out once
    a window is given.
    """

    actor: str | None = None
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def match(self) -> str:
        """Cypher that binds `a` (Actor), `m` (MOVED_TO), `l` (its Location) and `p` (the place asked for, or l)."""
        actor = "(a:Actor {key: $actor})" if self.actor is not None else "(a:Actor)"
        if self.place is not None:
            lines = ["MATCH (p:Location {key: $place})",
                     f"MATCH {actor}-[m:MOVED_TO]->(l:Location)-[:PART_OF*0..]->(p)"]
        else:
            lines = [f"MATCH {actor}-[m:MOVED_TO]->(l:Location)"]
        conditions = []
        if self.since is not None:
            conditions.append("coalesce(m.end, m.start) >= $since")
        if self.until is not None:
            conditions.append("coalesce(m.start, m.end) <= $until")
        if conditions:
            lines.append("WHERE " + " AND ".join(conditions))
        # two PART_OF paths to the same place must not count an edge twice
        lines.append("WITH DISTINCT a, m, l, " + ("p" if self.place is not None else "l AS p"))
        return "\n".join(lines)

    def params(self) -> dict[str, Any]:
        """The query parameters of `match()`; dates go as Neo4j Date values."""
        return {"actor": self.actor, "place": self.place, "since": self.since, "until": self.until}


UNKNOWN_KEYS = """
RETURN CASE WHEN $actor IS NULL OR EXISTS { MATCH (:Actor {key: $actor}) } THEN null ELSE $actor END AS actor,
       CASE WHEN $place IS NULL OR EXISTS { MATCH (:Location {key: $place}) } THEN null ELSE $place END AS place
"""


def unknown_keys(driver: Driver, edges: EdgeFilter, database: str = "neo4j") -> dict[str, str]:
    """The filter's actor / place keys that name no node in the graph, so a typo is not reported as 'no claims'."""
    records, _, _ = driver.execute_query(UNKNOWN_KEYS, actor=edges.actor, place=edges.place, database_=database)
    return {name: value for name, value in dict(records[0]).items() if value is not None}


CLAIMS_RETURN = """
OPTIONAL MATCH (art:Article {id: m.article_id})
WITH a, p, l, m, art ORDER BY coalesce(m.start, m.end), m.article_id, l.key
RETURN a.key AS actor_key, a.name AS actor_name, p.key AS place_key, p.name AS place_name,
       m.modality AS modality, count(DISTINCT m.article_id) AS articles,
       [s IN collect(DISTINCT art.source) WHERE s IS NOT NULL] AS sources,
       min(coalesce(m.start, m.end)) AS first, max(coalesce(m.end, m.start)) AS last,
       collect({edge_key: m.key, article_id: m.article_id, url: art.url, title: art.title, source: art.source,
                place_key: l.key, start: m.start, end: m.end, claimants: m.sources,
                sentences: m.sentences}) AS evidence
ORDER BY actor_key, place_key, modality
"""


@dataclass(frozen=True)
class ClaimEvidence:
    """One MOVED_TO edge behind a claim: its article, the exact place it names, and its sentences."""

    edge_key: str
    article_id: str
    url: str | None
    title: str | None
    source: str | None
    place_key: str
    start: dt.date | None
    end: dt.date | None
    claimants: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ModalityClaims:
    """The articles of one modality for an (actor, place): how many, their outlets (sorted), dates and evidence."""

    modality: str
    articles: int
    sources: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None
    evidence: tuple[ClaimEvidence, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """Distinct article ids, in date order."""
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))


@dataclass(frozen=True)
class Claims:
    """Every article's claim about one actor moving into one place (or any place inside it), by modality."""

    actor_key: str
    actor_name: str | None
    place_key: str
    place_name: str | None
    by_modality: dict[str, ModalityClaims] = field(default_factory=dict)

    def articles(self, modality: str) -> int:
        """How many distinct articles carry this modality (0 when none)."""
        found = self.by_modality.get(modality)
        return found.articles if found else 0

    @property
    def total_articles(self) -> int:
        """Distinct articles over every modality."""
        return len({aid for c in self.by_modality.values() for aid in c.article_ids})

    @property
    def first(self) -> dt.date | None:
        """Earliest date of any claim."""
        return min((c.first for c in self.by_modality.values() if c.first), default=None)

    @property
    def last(self) -> dt.date | None:
        """Latest date of any claim."""
        return max((c.last for c in self.by_modality.values() if c.last), default=None)


def claims(driver: Driver, edges: EdgeFilter, database: str = "neo4j") -> list[Claims]:
    """Claims per (actor, place), modalities in spec order; the place is the one asked for, else each edge's own."""
    records, _, _ = driver.execute_query(edges.match() + CLAIMS_RETURN, edges.params(), database_=database)
    grouped: dict[tuple[str, str], Claims] = {}
    for record in records:
        row = dict(record)
        key = (row["actor_key"], row["place_key"])
        if key not in grouped:
            grouped[key] = Claims(row["actor_key"], row["actor_name"], row["place_key"], row["place_name"])
        grouped[key].by_modality[row["modality"]] = _modality_claims(row)
    for found in grouped.values():
        ordered = sorted(found.by_modality.items(), key=lambda kv: modality_rank(kv[0]))
        found.by_modality.clear()
        found.by_modality.update(ordered)
    return list(grouped.values())


def _modality_claims(row: dict[str, Any]) -> ModalityClaims:
    return ModalityClaims(modality=row["modality"], articles=row["articles"], sources=tuple(sorted(row["sources"])),
                          first=native_date(row["first"]), last=native_date(row["last"]),
                          evidence=tuple(_evidence(e) for e in row["evidence"]))


def _evidence(item: dict[str, Any]) -> ClaimEvidence:
    return ClaimEvidence(edge_key=item["edge_key"], article_id=item["article_id"], url=item["url"],
                         title=item["title"], source=item["source"], place_key=item["place_key"],
                         start=native_date(item["start"]), end=native_date(item["end"]),
                         claimants=_strings(item["claimants"]), sentences=_strings(item["sentences"]))


def _strings(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


def native_date(value: Any) -> dt.date | None:
    """A Neo4j Date (or None) as a Python date."""
    if value is None or isinstance(value, dt.date):
        return value
    return value.to_native()
