"""Running an extractor over many articles with progress and per-article error isolation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from movegraph.extractors.base import Extractor
from movegraph.schema import Article, MovementEvent, Reject

log = logging.getLogger(__name__)


@dataclass
class ExtractionResult:
    """Events of every article that went through, and the articles that failed with why."""

    events: list[MovementEvent] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def rejects(self, path: str) -> list[Reject]:
        """The failed articles of `path` as rejects, so none is lost silently."""
        return [Reject(input=path, stage="extract", article_id=aid, reason=f"extraction failed: {why}")
                for aid, why in self.failed.items()]


@runtime_checkable
class BatchExtractor(Protocol):
    """An extractor that also reads several articles at once (a shared parse and model pass)."""

    def extract_batch(self, articles: Sequence[Article]) -> list[list[MovementEvent] | Exception]:
        """The events of each article in order, or the exception that article raised."""
        ...


BATCH_SIZE = 16  # articles per `extract_batch` call: batching gains little beyond this and holds their Docs


def extract_all(extractor: Extractor, articles: Sequence[Article],
                progress: Callable[[int, int], None] | None = None) -> ExtractionResult:
    """Extract every article; one article's failure is recorded and never stops the batch.

    An extractor with `extract_batch` gets the articles BATCH_SIZE at a time; when a whole batch fails (its
    shared parse or model pass raised), its articles are extracted one by one, so the failure is isolated.
    """
    result = ExtractionResult()
    done = 0
    size = BATCH_SIZE if isinstance(extractor, BatchExtractor) else 1
    for first in range(0, len(articles), size):
        batch = articles[first:first + size]
        outcomes = _batch_outcomes(extractor, batch) if size > 1 else None
        for index, article in enumerate(batch):
            outcome = outcomes[index] if outcomes is not None else _one_outcome(extractor, article)
            if isinstance(outcome, Exception):
                log.error("extraction failed for article %r: %s: %s", article.id, type(outcome).__name__, outcome)
                result.failed[article.id] = f"{type(outcome).__name__}: {outcome}"
            else:
                result.events.extend(outcome)
            done += 1
            if progress:
                progress(done, len(articles))
    return result


def _batch_outcomes(extractor: Extractor, batch: Sequence[Article]) -> list[list[MovementEvent] | Exception] | None:
    """The batch's outcomes, or None when the batch as a whole failed (then each article goes alone)."""
    assert isinstance(extractor, BatchExtractor)
    try:
        return extractor.extract_batch(batch)
    except Exception as exc:  # noqa: BLE001 - retried article by article, where each failure is kept
        log.warning("batch of %d articles failed (%s: %s); extracting them one by one", len(batch),
                    type(exc).__name__, exc)
        return None


def _one_outcome(extractor: Extractor, article: Article) -> list[MovementEvent] | Exception:
    try:
        return extractor.extract(article)
    except Exception as exc:  # noqa: BLE001 - isolate bad input; the reason is kept, not lost
        return exc
