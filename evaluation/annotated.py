"""Span-annotated articles (the training corpus format) as gold facts, so extractors can be scored on them.

The training corpus is real, redistributable text annotated against the same spec as the dev
set; scoring the rule-based extractor on it is a second, larger check that a change helps on
text it was not tuned on. (A trained model must be scored on its held-out split only.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from movegraph.schema import GoldArticle, InputFileNotFoundError, read_jsonl
from movegraph.schema.annotation import AnnotatedArticle, AnnotatedEvent, Span
from movegraph.schema.fact import GoldActor, GoldFact, GoldPlace, GoldTime


def _resolved(span: Span | None) -> dict[str, Any]:
    """The resolved values an annotator put beside a span (affiliation, country, value ...)."""
    return dict(span.model_extra or {}) if span is not None else {}


def gold_fact(event: AnnotatedEvent) -> GoldFact | None:
    """The fact one annotated event states; None when its destination has no country (spec 2: not scored)."""
    destination = _resolved(event.destination)
    if not destination.get("country"):
        return None
    mover = _resolved(event.mover)
    origin = _resolved(event.origin)
    quantity = _resolved(event.quantity).get("value")
    interval = event.time.interval if event.time is not None else None
    return GoldFact(
        mover=GoldActor(affiliation=mover.get("affiliation"), type=mover.get("type") or "other",
                        name=mover.get("name")),
        destination=GoldPlace(country=destination["country"], subdivision=destination.get("subdivision"),
                              locality=destination.get("locality")),
        factual=event.modality == "asserted",
        origin=GoldPlace(country=origin.get("country"), subdivision=origin.get("subdivision"),
                         locality=origin.get("locality")) if origin.get("country") else None,
        times=[GoldTime(start=interval.start, end=interval.end)] if interval is not None else [],
        quantities=[int(quantity)] if isinstance(quantity, int | float) else [],
        sources=[event.source.text] if event.source is not None and event.source.text else [],
        evidence=[event.trigger.text] if event.trigger.text else [],
    )


def gold_article(article: AnnotatedArticle) -> GoldArticle:
    """An annotated article as a gold article: one fact per event (the scorer collapses duplicates)."""
    facts = [fact for fact in (gold_fact(event) for event in article.events) if fact is not None]
    return GoldArticle(**article.model_dump(exclude={"events", "licence"}), facts=facts)


def read_gold(path: Path) -> list[GoldArticle]:
    """Gold articles from a gold-facts JSONL file, a span-annotated JSONL file, or a folder of the latter."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputFileNotFoundError(f"{path}: no *.jsonl files to evaluate on")
        return [gold_article(a) for f in files for a in read_jsonl(f, AnnotatedArticle).records]
    if _is_annotated(path):
        return [gold_article(a) for a in read_jsonl(path, AnnotatedArticle).records]
    return read_jsonl(path, GoldArticle).records


def _is_annotated(path: Path) -> bool:
    """True when the first record carries span `events` rather than `facts`."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False  # read_jsonl reports the bad line with its number
                return isinstance(first, dict) and "events" in first and "facts" not in first
    return False
