"""Read the MOVED_TO edges that `movegraph map` draws: one mark per actor, destination and modality.

All Cypher of the map lives here, parameterised; the page itself is built in `movegraph.views.map_page`
from the typed result (`MapSelection`), without touching the graph.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import Driver
from pydantic import BaseModel, Field

from movegraph.graph.claims import EdgeFilter, unknown_keys
from movegraph.schema.errors import InputError
from movegraph.schema.event import modality_rank

# Edges of the selection (`EdgeFilter.match()`: actor, region with PART_OF, date window, the rule of
# `movegraph claims` and `movegraph export`), grouped into marks (actor, destination, modality).
MARK_RETURN = """
OPTIONAL MATCH (art:Article {id: m.article_id})
WITH a, l, m, art ORDER BY coalesce(m.start, m.end, art.published), m.article_id, m.key
RETURN a.key AS actor_key, coalesce(a.name, a.key) AS actor_name,
       l {.key, .level, .name, .country, .subdivision, .locality, .lat, .lon} AS destination,
       m.modality AS modality,
       count(DISTINCT m.article_id) AS articles,
       collect({edge_key: m.key, article_id: m.article_id, url: art.url, title: art.title, source: art.source,
                published: art.published, start: m.start, end: m.end, quantity: m.quantity,
                origins: coalesce(m.origins, []), sentences: coalesce(m.sentences, [])}) AS evidence
ORDER BY actor_key, destination.key, modality
"""

# The origin places the edges name (keys from `m.origins`), with what locates them.
LOCATIONS = """
UNWIND $keys AS key
MATCH (l:Location {key: key})
RETURN l {.key, .level, .name, .country, .subdivision, .locality, .lat, .lon} AS place
ORDER BY place.key
"""

REGION_NAME = """
MATCH (r:Location {key: $region}) RETURN coalesce(r.name, r.key) AS name
"""


class MapQueryError(InputError):
    """A selection the graph cannot answer: an unknown actor or region key, or a reversed window."""


class MapPlace(BaseModel):
    """A Location node as the map needs it; lat/lon are set on localities only."""

    key: str
    level: str | None = None
    name: str | None = None
    country: str | None = None
    subdivision: str | None = None
    locality: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def label(self) -> str:
        """The English name, else the key."""
        return self.name or self.key


class MapEvidence(BaseModel):
    """One MOVED_TO edge of a mark: its article and the sentences it was read from."""

    edge_key: str
    article_id: str
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    quantity: int | None = None
    origins: list[str] = Field(default_factory=list)
    sentences: list[str] = Field(default_factory=list)

    @property
    def day(self) -> dt.date | None:
        """The day the timeline puts the edge on: its start, else its end, else the article's date."""
        return self.start or self.end or self.published


class MapMark(BaseModel):
    """One mark on the map: an actor's edges into one place with one modality."""

    actor_key: str
    actor_name: str
    destination: MapPlace
    modality: str
    articles: int
    evidence: list[MapEvidence]
    origins: list[MapPlace] = Field(default_factory=list)

    @property
    def edges(self) -> int:
        """How many MOVED_TO edges the mark stands for (one per article and fact)."""
        return len(self.evidence)

    @property
    def first(self) -> dt.date | None:
        """The earliest day of its edges (start, else end), None when no edge is dated."""
        days = [d for e in self.evidence for d in (e.start or e.end,) if d is not None]
        return min(days) if days else None

    @property
    def last(self) -> dt.date | None:
        """The latest day of its edges (end, else start), None when no edge is dated."""
        days = [d for e in self.evidence for d in (e.end or e.start,) if d is not None]
        return max(days) if days else None

    @property
    def sources(self) -> list[str]:
        """The outlets of its articles, sorted."""
        return sorted({e.source for e in self.evidence if e.source})


class MapSelection(BaseModel):
    """What `movegraph map` was asked for and the marks that match."""

    actor: str | None = None
    region: str | None = None
    region_name: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    marks: list[MapMark] = Field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    """A Neo4j Date (or None) as a datetime.date."""
    if value is None or isinstance(value, dt.date):
        return value
    return value.to_native()


def map_marks(driver: Driver, *, actor: str | None = None, region: str | None = None,
              since: dt.date | None = None, until: dt.date | None = None,
              database: str = "neo4j") -> MapSelection:
    """The marks of the map for an actor key, a region key (itself and all PART_OF it) and a date window.

    Raises MapQueryError naming the value for an unknown actor or region key or since > until.
    """
    if since and until and since > until:
        raise MapQueryError(f"--since {since} is after --until {until}")
    edges = EdgeFilter(actor=actor, place=region, since=since, until=until)
    unknown = unknown_keys(driver, edges, database)
    if "actor" in unknown:
        raise MapQueryError(f"unknown actor {actor!r}: no Actor with that key in the graph")
    if "place" in unknown:
        raise MapQueryError(f"unknown region {region!r}: no Location with that key in the graph")
    region_name = None
    if region is not None:
        region_name = driver.execute_query(REGION_NAME, region=region, database_=database).records[0]["name"]
    records, _, _ = driver.execute_query(edges.match() + "\n" + MARK_RETURN, edges.params(), database_=database)
    rows = [dict(r) for r in records]
    origin_keys = sorted({k for row in rows for e in row["evidence"] for k in e["origins"]})
    places: dict[str, MapPlace] = {}
    if origin_keys:
        found, _, _ = driver.execute_query(LOCATIONS, keys=origin_keys, database_=database)
        places = {r["place"]["key"]: MapPlace(**r["place"]) for r in found}
    marks = []
    for row in rows:
        evidence = [MapEvidence(**{**e, "published": _date(e["published"]), "start": _date(e["start"]),
                                   "end": _date(e["end"])}) for e in row["evidence"]]
        keys = sorted({k for e in evidence for k in e.origins})
        marks.append(MapMark(actor_key=row["actor_key"], actor_name=row["actor_name"],
                             destination=MapPlace(**row["destination"]), modality=row["modality"],
                             articles=row["articles"], evidence=evidence,
                             origins=[places.get(k) or MapPlace(key=k) for k in keys]))
    marks.sort(key=lambda m: (m.actor_key, m.destination.key, modality_rank(m.modality)))
    return MapSelection(actor=actor, region=region, region_name=region_name, since=since, until=until, marks=marks)


