"""A predicted movement event (gold-format.md, "Predicted events"; spec section 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

Modality = Literal["asserted", "expected", "hypothetical", "negated", "denied"]
# The modalities in the order of the spec, asserted first: an edge's `modality` is the first of its mentions'.
MODALITIES: tuple[Modality, ...] = get_args(Modality)


_MODALITY_RANK: dict[str, int] = {modality: rank for rank, modality in enumerate(MODALITIES)}


def modality_rank(modality: str) -> int:
    """Sort key of a modality in the spec's order (asserted first); an unknown one sorts last."""
    return _MODALITY_RANK.get(modality, len(MODALITIES))

ActorType = Literal["military", "government", "person", "civilians", "organization", "other"]


def actor_key(affiliation: str | None, type: str, name: str | None) -> str:
    """The actor key of spec section 5: `person:vladimir putin` for named people, else `KP/military`.

    Predicted movers and gold movers both take it, so they compare by the same rule.
    """
    if type == "person" and name:
        return f"person:{name.strip().lower()}"
    return f"{affiliation or 'unknown'}/{type}"


class FactKey(NamedTuple):
    """The tuple of spec section 6: (mover key, destination country, subdivision, factual)."""

    mover: str
    country: str
    subdivision: str | None
    factual: bool


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TextSpan(_Model):
    """A piece of the article text with character offsets into `text` (null when implicit)."""

    text: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Actor(TextSpan):
    """Who moved (or who sent them); keyed by (affiliation, type) or, for people, by name."""

    affiliation: str | None = None
    type: ActorType = "other"
    name: str | None = None

    @property
    def key(self) -> str:
        """Deterministic actor key: `KP/military` for groups, `person:vladimir putin` for people."""
        return actor_key(self.affiliation, self.type, self.name)

    @property
    def state(self) -> str | None:
        """The ISO 3166-1 alpha-2 code of the state the actor acts for; None for a non-state group ("wagner
        group") or no affiliation (spec section 5)."""
        return self.affiliation if self.affiliation is not None and len(self.affiliation) == 2 else None


class Place(TextSpan):
    """A place resolved to ISO 3166 codes and, for localities, coordinates (spec section 4)."""

    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    country_name: str | None = None
    subdivision: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    subdivision_name: str | None = None
    locality: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geonames_id: int | None = None
    qualifier: str | None = None

    @model_validator(mode="after")
    def _subdivision_in_country(self) -> Place:
        if self.subdivision and self.country and not self.subdivision.startswith(self.country + "-"):
            raise ValueError(f"subdivision {self.subdivision} is not in country {self.country}")
        return self

    @property
    def resolved(self) -> bool:
        """A place with a country can become a graph node; one without cannot."""
        return self.country is not None


class TimeInterval(_Model):
    """An inclusive interval of calendar dates; either end may be open (spec section 3)."""

    text: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    span_start: int | None = Field(default=None, ge=0)
    span_end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TimeInterval:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"time interval ends ({self.end}) before it starts ({self.start})")
        return self


class Quantity(_Model):
    """How many movers, with the text it came from."""

    value: int = Field(ge=0)
    approximate: bool = False


class Evidence(_Model):
    """Where an event was read: article, sentence and character offsets into the article text."""

    article_id: str
    sentence: str
    sentence_start: int | None = None
    sentence_end: int | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


class MovementEvent(_Model):
    """One movement mention as `extract` writes it; unknown values are null, never omitted."""

    article_id: str = Field(min_length=1)
    event_id: str = ""
    trigger: TextSpan
    mover: Actor
    destination: Place | None = None
    origin: Place | None = None
    via: Place | None = None
    vehicle: TextSpan | None = None
    agent: Actor | None = None
    quantity: int | None = Field(default=None, ge=0)
    approximate: bool | None = None
    time: TimeInterval | None = None
    modality: Modality = "asserted"
    factual: bool = True
    source: str | None = None
    sentence: str = ""
    sentence_start: int | None = Field(default=None, ge=0)
    sentence_end: int | None = Field(default=None, ge=0)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _consistent(self) -> MovementEvent:
        if self.factual != (self.modality == "asserted"):
            raise ValueError(
                f"factual={self.factual} contradicts modality={self.modality!r}: "
                "factual is true for asserted events only"
            )
        if not self.event_id:
            self.event_id = self.stable_id()
        return self

    def stable_id(self) -> str:
        """A hash of article, trigger offsets, mover and destination: same input, same id."""
        dest = self.destination
        parts = [
            self.article_id,
            str(self.trigger.start),
            str(self.trigger.end),
            self.mover.key,
            dest.country or "" if dest else "",
            (dest.subdivision or "") if dest else "",
            (dest.locality or "") if dest else "",
        ]
        return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]

    @property
    def evidence(self) -> Evidence:
        """The provenance of this event, as stored on its graph edge."""
        return Evidence(
            article_id=self.article_id,
            sentence=self.sentence,
            sentence_start=self.sentence_start,
            sentence_end=self.sentence_end,
            trigger_start=self.trigger.start,
            trigger_end=self.trigger.end,
        )

    def fact_key(self) -> FactKey | None:
        """The spec section 6 tuple, or None when the destination has no country (no edge)."""
        if self.destination is None or self.destination.country is None:
            return None
        return FactKey(self.mover.key, self.destination.country, self.destination.subdivision, self.factual)
