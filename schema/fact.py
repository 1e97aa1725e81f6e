"""Gold facts (gold-format.md, "Gold facts"): the distinct facts of spec section 6."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from movegraph.schema.article import Article
from movegraph.schema.event import ActorType, actor_key


class GoldActor(BaseModel):
    """A gold mover: affiliation, type and readable name."""

    model_config = ConfigDict(extra="ignore")
    affiliation: str | None = None
    type: ActorType = "other"
    name: str | None = None

    @property
    def key(self) -> str:
        """The gold mover's key, by the same rule as a predicted `Actor.key`."""
        return actor_key(self.affiliation, self.type, self.name)


class GoldPlace(BaseModel):
    """A gold destination or origin."""

    model_config = ConfigDict(extra="ignore")
    country: str | None = None
    subdivision: str | None = None
    locality: str | None = None


class GoldTime(BaseModel):
    """One acceptable interval of a gold fact."""

    model_config = ConfigDict(extra="ignore")
    start: dt.date | None = None
    end: dt.date | None = None


class GoldFact(BaseModel):
    """One distinct fact of an article with every acceptable attribute value."""

    model_config = ConfigDict(extra="ignore")
    mover: GoldActor
    destination: GoldPlace
    factual: bool
    origin: GoldPlace | None = None
    times: list[GoldTime] = Field(default_factory=list)
    quantities: list[int] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    optional: bool = False


class GoldArticle(Article):
    """An article plus its gold facts."""

    facts: list[GoldFact] = Field(default_factory=list)

