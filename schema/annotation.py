"""Span-annotated training articles (gold-format.md, "Span annotations (training corpus)")."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from movegraph.schema.article import Article
from movegraph.schema.event import Modality, TimeInterval


class Span(BaseModel):
    """A marked piece of text; `start`/`end` are null for implicit arguments ("sent there")."""

    model_config = ConfigDict(extra="allow")
    start: int | None = None
    end: int | None = None
    text: str | None = None


class AnnotatedTime(Span):
    """A time expression with its resolved interval."""

    interval: TimeInterval | None = None


class AnnotatedEvent(BaseModel):
    """One event per trigger mention, with its argument spans and resolved values."""

    model_config = ConfigDict(extra="ignore")
    trigger: Span
    mover: Span | None = None
    destination: Span | None = None
    origin: Span | None = None
    agent: Span | None = None
    vehicle: Span | None = None
    quantity: Span | None = None
    time: AnnotatedTime | None = None
    modality: Modality = "asserted"
    source: Span | None = None


class AnnotatedArticle(Article):
    """An article with `licence` and its span-level events; offsets must match the text."""

    licence: str | None = None
    events: list[AnnotatedEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _offsets_match_text(self) -> AnnotatedArticle:
        for n, event in enumerate(self.events):
            for role in ("trigger", "mover", "destination", "origin", "agent", "vehicle", "quantity", "time", "source"):
                span = getattr(event, role)
                if span is None or span.start is None or span.end is None or span.text is None:
                    continue
                if self.text[span.start:span.end] != span.text:
                    raise ValueError(f"event {n} {role}: text[{span.start}:{span.end}] is "
                                     f"{self.text[span.start:span.end]!r}, not {span.text!r}")
        return self
