"""Events -> graph rows: articles, actors, locations with their PART_OF parents, and one fact per edge.

Pure Python and testable without a server; spec section 6 defines a fact: all
events of an article with the same (mover key, country, subdivision, factual).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from movegraph.schema import MODALITIES, Actor, Article, MovementEvent, Place, text_hash


def _digest(*parts: object) -> str:
    return hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def location_key(place: Place, level: str) -> str:
    """Deterministic Location key: 'RU', 'RU-KRS', or 'RU-PRI/vladivostok' for a locality."""
    if level == "country":
        return str(place.country)
    if level == "subdivision":
        return str(place.subdivision)
    parent = place.subdivision or place.country
    return f"{parent}/{(place.locality or '').strip().lower()}"


def _place_id(place: Place) -> tuple[Any, ...]:
    return (place.country, place.country_name, place.subdivision, place.subdivision_name, place.locality,
            place.lat, place.lon, place.geonames_id)


def location_rows(place: Place) -> list[dict[str, Any]]:
    """The place's chain locality -> subdivision -> country as rows with their parent keys."""
    rows: list[dict[str, Any]] = [{"key": location_key(place, "country"), "parent": None,
                                   "props": {"level": "country", "country": place.country,
                                             "name": place.country_name or place.country}}]
    if place.subdivision:
        rows.append({"key": location_key(place, "subdivision"), "parent": place.country,
                     "props": {"level": "subdivision", "country": place.country, "subdivision": place.subdivision,
                               "name": place.subdivision_name or place.subdivision}})
    if place.locality:
        rows.append({"key": location_key(place, "locality"), "parent": place.subdivision or place.country,
                     "props": {"level": "locality", "country": place.country, "subdivision": place.subdivision,
                               "locality": place.locality, "name": place.locality, "lat": place.lat,
                               "lon": place.lon, "geonames_id": place.geonames_id}})
    return rows


def actor_row(actor: Actor) -> dict[str, Any]:
    """An Actor node row keyed by the actor key of spec section 5."""
    return {"key": actor.key, "affiliation": actor.affiliation, "type": actor.type,
            "name": actor.name or actor.key}


def article_row(article: Article) -> dict[str, Any]:
    """An Article node row (dates go to Neo4j as Date values); `text_hash` is set once its edges are in."""
    return {"id": article.id, "url": article.url, "title": article.title, "source": article.source,
            "published": article.published, "language": article.language, "text_hash": text_hash(article.text)}


@dataclass
class FactRow:
    """One MOVED_TO edge: a distinct fact of one article with every mention's provenance."""

    key: str
    article_id: str
    actor_key: str
    location_key: str
    events: list[MovementEvent] = field(default_factory=list)

    def to_param(self) -> dict[str, Any]:
        """Parameters for the edge write: attributes summed over mentions, parallel evidence lists."""
        events = sorted(self.events, key=_mention_order) if len(self.events) > 1 else self.events
        dest = events[0].destination
        assert dest is not None
        modalities = sorted({e.modality for e in events}, key=MODALITIES.index)
        start, end, time_texts = _time_hull(events)
        quantities = sorted({e.quantity for e in events if e.quantity is not None})
        return {
            "key": self.key, "actor_key": self.actor_key, "location_key": self.location_key,
            "props": {
                "key": self.key, "article_id": self.article_id, "factual": events[0].factual,
                "modality": modalities[0], "modalities": modalities,
                "country": dest.country, "subdivision": dest.subdivision,
                "localities": _localities(events),
                # dates go as Neo4j Date values, so Cypher needs no date() call
                "start": start, "end": end, "time_texts": time_texts,
                "quantity": quantities[-1] if quantities else None, "quantities": quantities,
                "sources": sorted({e.source for e in events if e.source}), "origins": _origins(events),
                "confidence": max(e.confidence for e in events),
                **_evidence_lists(events),
                "mentions": len(events),
            },
        }


def _time_hull(events: list[MovementEvent]) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The hull of the mentions' intervals, each end open (None) if any mention is open there; and their texts."""
    times = [e.time for e in events]
    starts = [t.start if t is not None else None for t in times]
    ends = [t.end if t is not None else None for t in times]
    texts = [t.text for t in times if t is not None and t.text]
    start = None if None in starts else min(d for d in starts if d is not None)
    end = None if None in ends else max(d for d in ends if d is not None)
    return start, end, texts


def _evidence_lists(events: list[MovementEvent]) -> dict[str, list[Any]]:
    """Where each mention was read, as parallel lists (Neo4j lists must be null-free: -1 marks an unknown offset)."""
    return {
        "event_ids": [e.event_id for e in events],
        "sentences": [e.sentence for e in events],
        "sentence_starts": [_offset(e.sentence_start) for e in events],
        "sentence_ends": [_offset(e.sentence_end) for e in events],
        "trigger_starts": [_offset(e.trigger.start) for e in events],
        "trigger_ends": [_offset(e.trigger.end) for e in events],
        "triggers": [e.trigger.text or "" for e in events],
    }


def _offset(value: int | None) -> int:
    return -1 if value is None else value


def _localities(events: list[MovementEvent]) -> list[str]:
    """The distinct destination localities the mentions name, sorted."""
    return sorted({e.destination.locality for e in events if e.destination is not None and e.destination.locality})


def _origins(events: list[MovementEvent]) -> list[str]:
    """The distinct origin Location keys of the mentions (those with a country), sorted."""
    origins = [e.origin for e in events if e.origin is not None and e.origin.country]
    return sorted({location_key(origin, _level(origin)) for origin in origins})


def _mention_order(event: MovementEvent) -> tuple[int, str]:
    return (event.trigger.start or 0, event.event_id)


def _place_major(fact: FactRow) -> tuple[str, str, str]:
    """Edges ordered by place: concurrent loads then take node locks in a similar order (fewer deadlocks)."""
    return (fact.location_key, fact.actor_key, fact.key)


def _level(place: Place) -> str:
    if place.locality:
        return "locality"
    return "subdivision" if place.subdivision else "country"


def target_key(events: list[MovementEvent]) -> str:
    """The most specific Location every mention of a fact agrees on: locality, else region, else country."""
    places = [e.destination for e in events if e.destination is not None]
    localities = {location_key(p, "locality") for p in places if p.locality}
    if len(localities) == 1 and all(p.locality for p in places):
        return localities.pop()
    first = places[0]
    return location_key(first, "subdivision" if first.subdivision else "country")


@dataclass
class GraphRows:
    """Everything one load writes, deduplicated by key."""

    articles: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    facts: list[FactRow]
    unplaced_events: int

    def edges_by_article(self) -> list[dict[str, Any]]:
        """Every loaded article (by id) with all its edge parameters, place-major: the unit the writer replaces
        whole, so an article without facts comes with no edges (any it had are removed)."""
        edges: dict[str, list[FactRow]] = {row["id"]: [] for row in self.articles}
        for fact in self.facts:
            edges.setdefault(fact.article_id, []).append(fact)
        return [{"id": aid, "edges": [f.to_param() for f in sorted(facts, key=_place_major)]}
                for aid, facts in sorted(edges.items())]

    def reported_by_article(self) -> list[dict[str, Any]]:
        """For each loaded article, the actor and location keys its edges join: its REPORTS links."""
        actors: dict[str, set[str]] = {row["id"]: set() for row in self.articles}
        locations: dict[str, set[str]] = {row["id"]: set() for row in self.articles}
        for fact in self.facts:
            actors.setdefault(fact.article_id, set()).add(fact.actor_key)
            locations.setdefault(fact.article_id, set()).add(fact.location_key)
        return [{"id": aid, "actors": sorted(actors[aid]), "locations": sorted(locations.get(aid, set()))}
                for aid in sorted(actors)]


def build_rows(articles: Iterable[Article], events: Iterable[MovementEvent]) -> GraphRows:
    """Collapse events into facts (spec section 6) and collect the nodes they need."""
    article_rows = {a.id: article_row(a) for a in articles}
    actors: dict[str, dict[str, Any]] = {}
    locations: dict[str, dict[str, Any]] = {}
    grouped: dict[tuple[str, str, str, str | None, bool], list[MovementEvent]] = defaultdict(list)
    unplaced = 0
    seen_places: set[tuple[Any, ...]] = set()
    for event in events:
        fact = event.fact_key()
        if fact is None:
            unplaced += 1
            continue
        grouped[(event.article_id, *fact)].append(event)
        if fact.mover not in actors:
            actors[fact.mover] = actor_row(event.mover)
        for place in (event.destination, event.origin):
            if place is not None and place.country:
                place_id = _place_id(place)
                if place_id not in seen_places:
                    seen_places.add(place_id)
                    for row in location_rows(place):
                        locations.setdefault(row["key"], row)
    facts = [FactRow(_digest(*group), group[0], group[1], target_key(evs), evs)
             for group, evs in sorted(grouped.items(), key=lambda kv: str(kv[0]))]
    missing = {f.article_id for f in facts} - set(article_rows)
    if missing:
        raise ValueError(f"events refer to articles that are not being loaded: {sorted(missing)[:5]}")
    return GraphRows(list(article_rows.values()), list(actors.values()), list(locations.values()), facts, unplaced)
