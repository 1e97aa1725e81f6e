"""Running an extractor over many articles with progress and per-article error isolation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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


def extract_all(extractor: Extractor, articles: Sequence[Article],
                progress: Callable[[int, int], None] | None = None) -> ExtractionResult:
    """Extract every article; one article's failure is recorded and never stops the batch."""
    result = ExtractionResult()
    for done, article in enumerate(articles, start=1):
        try:
            result.events.extend(extractor.extract(article))
        except Exception as exc:  # noqa: BLE001 - isolate bad input; the reason is kept, not lost
            log.error("extraction failed for article %r: %s: %s", article.id, type(exc).__name__, exc)
            result.failed[article.id] = f"{type(exc).__name__}: {exc}"
        if progress:
            progress(done, len(articles))
    return result
