"""The pure layer of the graph load (graph/rows.py): events -> rows, pinned without a server.

The expected values are written from spec section 6 (a fact is every event of an
article with the same mover key, country, subdivision and factual) and checked
against the code as it was before `FactRow.to_param` was split into steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from movegraph.graph.rows import GraphRows, build_rows
from movegraph.schema import MovementEvent, Place, TimeInterval
from tests.factories import TEXT, article, event

SENTENCE = "Some 400 Freedonian soldiers arrived in Lviv on Monday, officials said."
WARSAW = Place(country="PL", country_name="Poland", subdivision="PL-MZ", subdivision_name="Masovian Voivodeship",
               locality="Warsaw", lat=52.23, lon=21.01, geonames_id=756135)


def _key(*parts: object) -> str:
    """The edge key as spec section 6 defines a fact: article, mover key, country, subdivision, factual."""
    return hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def _events() -> dict[str, MovementEvent]:
    """Three facts of one article and one event without a destination."""
    lviv = event(confidence=0.9).model_copy(update={"origin": WARSAW})
    earlier = event(trigger=(5, 12), locality=None, quantity=300, source="ministry", confidence=0.7)
    earlier = earlier.model_copy(update={
        "sentence_start": None, "origin": Place(country="PL", country_name="Poland"),
        "time": TimeInterval(text="since Sunday", start=dt.date(2024, 3, 10), end=None)})
    expected = event(modality="expected", country="PL", subdivision=None, locality=None, quantity=None,
                     source=None, time=(None, None))
    negated = event(modality="negated", country="PL", subdivision=None, locality=None, trigger=(60, 66),
                    confidence=0.6)
    unplaced = event(trigger=(80, 87)).model_copy(update={"destination": None})
    person = event(affiliation="RU", actor_type="person", subdivision=None, locality=None, trigger=(90, 95),
                   quantity=None).model_copy(update={"time": None})
    return {"lviv": lviv, "earlier": earlier, "expected": expected, "negated": negated, "unplaced": unplaced,
            "person": person}


@pytest.fixture()
def events() -> dict[str, MovementEvent]:
    """The events of `_events`, by name."""
    return _events()


@pytest.fixture()
def rows(events: dict[str, MovementEvent]) -> GraphRows:
    """The rows of one article and its events, in the order the events were given."""
    return build_rows([article()], list(events.values()))


def test_article_row_carries_the_sha256_of_the_text(rows: GraphRows) -> None:
    assert rows.articles == [{
        "id": "test-1", "url": "https://example.org/test-1", "title": "Test article", "source": "Example News",
        "published": dt.date(2024, 3, 13), "language": "en",
        "text_hash": hashlib.sha256(TEXT.encode("utf-8")).hexdigest()}]


def test_actors_and_locations_are_deduplicated_in_first_seen_order(rows: GraphRows) -> None:
    assert rows.unplaced_events == 1
    assert rows.actors == [
        {"key": "UA/military", "affiliation": "UA", "type": "military", "name": "UA military"},
        {"key": "person:ru person", "affiliation": "RU", "type": "person", "name": "RU person"},
    ]
    assert rows.locations == [
        {"key": "UA", "parent": None, "props": {"level": "country", "country": "UA", "name": "Ukraine"}},
        {"key": "UA-46", "parent": "UA", "props": {"level": "subdivision", "country": "UA", "subdivision": "UA-46",
                                                   "name": "Lviv Oblast"}},
        {"key": "UA-46/lviv", "parent": "UA-46", "props": {
            "level": "locality", "country": "UA", "subdivision": "UA-46", "locality": "Lviv", "name": "Lviv",
            "lat": 49.84, "lon": 24.03, "geonames_id": 702550}},
        {"key": "PL", "parent": None, "props": {"level": "country", "country": "PL", "name": "Poland"}},
        {"key": "PL-MZ", "parent": "PL", "props": {"level": "subdivision", "country": "PL", "subdivision": "PL-MZ",
                                                   "name": "Masovian Voivodeship"}},
        {"key": "PL-MZ/warsaw", "parent": "PL-MZ", "props": {
            "level": "locality", "country": "PL", "subdivision": "PL-MZ", "locality": "Warsaw", "name": "Warsaw",
            "lat": 52.23, "lon": 21.01, "geonames_id": 756135}},
    ]


def test_facts_are_grouped_by_the_spec_tuple_and_target_the_place_all_mentions_agree_on(rows: GraphRows) -> None:
    assert [(f.key, f.actor_key, f.location_key, len(f.events)) for f in rows.facts] == [
        (_key("test-1", "UA/military", "PL", None, False), "UA/military", "PL", 2),
        (_key("test-1", "UA/military", "UA", "UA-46", True), "UA/military", "UA-46", 2),
        (_key("test-1", "person:ru person", "UA", None, True), "person:ru person", "UA", 1),
    ]
    by_article = rows.edges_by_article()
    assert [row["id"] for row in by_article] == ["test-1"]
    assert [(e["location_key"], e["actor_key"], e["key"]) for e in by_article[0]["edges"]] == sorted(
        (f.location_key, f.actor_key, f.key) for f in rows.facts)


def _evidence(*mentions: tuple[MovementEvent, int, int, int]) -> dict[str, Any]:
    """The parallel evidence lists of mentions given in text order as (event, sentence start, trigger start, end)."""
    return {
        "event_ids": [e.event_id for e, *_ in mentions],
        "sentences": [SENTENCE] * len(mentions),
        "sentence_starts": [s for _, s, _, _ in mentions],
        "sentence_ends": [len(SENTENCE)] * len(mentions),
        "trigger_starts": [t for _, _, t, _ in mentions],
        "trigger_ends": [t for _, _, _, t in mentions],
        "triggers": ["arrived"] * len(mentions),
        "mentions": len(mentions),
    }


def test_a_factual_edge_sums_its_mentions_in_text_order(rows: GraphRows, events: dict[str, MovementEvent]) -> None:
    key = _key("test-1", "UA/military", "UA", "UA-46", True)
    assert rows.facts[1].to_param() == {
        "key": key, "actor_key": "UA/military", "location_key": "UA-46",
        "props": {
            "key": key, "article_id": "test-1", "factual": True, "modality": "asserted", "modalities": ["asserted"],
            "country": "UA", "subdivision": "UA-46", "localities": ["Lviv"],
            "start": dt.date(2024, 3, 10), "end": None, "time_texts": ["since Sunday", "on Monday"],
            "quantity": 400, "quantities": [300, 400], "sources": ["ministry", "officials"],
            "origins": ["PL", "PL-MZ/warsaw"], "confidence": 0.9,
            **_evidence((events["earlier"], -1, 5, 12), (events["lviv"], 0, 29, 36)),
        },
    }


def test_a_non_factual_edge_lists_its_modalities_strongest_first(rows: GraphRows,
                                                                 events: dict[str, MovementEvent]) -> None:
    key = _key("test-1", "UA/military", "PL", None, False)
    assert rows.facts[0].to_param() == {
        "key": key, "actor_key": "UA/military", "location_key": "PL",
        "props": {
            "key": key, "article_id": "test-1", "factual": False, "modality": "expected",
            "modalities": ["expected", "negated"], "country": "PL", "subdivision": None, "localities": [],
            "start": None, "end": None, "time_texts": ["on Monday", "on Monday"],
            "quantity": 400, "quantities": [400], "sources": ["officials"], "origins": [], "confidence": 0.8,
            **_evidence((events["expected"], 0, 29, 36), (events["negated"], 0, 60, 66)),
        },
    }


def test_an_edge_without_a_time_is_open_at_both_ends(rows: GraphRows, events: dict[str, MovementEvent]) -> None:
    key = _key("test-1", "person:ru person", "UA", None, True)
    assert rows.facts[2].to_param() == {
        "key": key, "actor_key": "person:ru person", "location_key": "UA",
        "props": {
            "key": key, "article_id": "test-1", "factual": True, "modality": "asserted", "modalities": ["asserted"],
            "country": "UA", "subdivision": None, "localities": [], "start": None, "end": None, "time_texts": [],
            "quantity": None, "quantities": [], "sources": ["officials"], "origins": [], "confidence": 0.8,
            **_evidence((events["person"], 0, 90, 95)),
        },
    }


def test_the_order_of_the_input_events_does_not_change_the_params(events: dict[str, MovementEvent]) -> None:
    forward = build_rows([article()], list(events.values()))
    backward = build_rows([article()], list(reversed(events.values())))
    assert [f.to_param() for f in forward.facts] == [f.to_param() for f in backward.facts]


def test_events_of_an_article_not_being_loaded_are_refused(events: dict[str, MovementEvent]) -> None:
    with pytest.raises(ValueError, match="not being loaded"):
        build_rows([article("other")], [events["lviv"]])
