"""The batched path (the trained extractor's `extract_batch`: one spaCy `pipe` and one model pass over several
articles) finds exactly the events of `extract` article by article, on real news of the committed corpus; in
`extract_all` a bad article of a batch fails alone."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.tokens import Doc

from movegraph.extractors.base import create_extractor
from movegraph.extractors.pipeline import BATCH_SIZE, BatchExtractor, extract_all
from movegraph.schema import Article, MovementEvent
from movegraph.schema.annotation import AnnotatedArticle

REPO = Path(__file__).resolve().parents[1]
CORPUS_PART = REPO / "corpus" / "train" / "part-voa-conflict.jsonl"
ARTICLES = 12


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Real news of the committed corpus, as plain articles."""
    rows = [AnnotatedArticle.model_validate_json(line) for line in CORPUS_PART.read_text().splitlines()[:ARTICLES]]
    return [Article(id=r.id, text=r.text, title=r.title, published=r.published) for r in rows]


def test_rules_together_equals_one_by_one(articles: list[Article]) -> None:
    extractor = create_extractor("rules")
    assert not isinstance(extractor, BatchExtractor)  # nothing to pool for the rule reader: article by article
    one_by_one = [extractor.extract(a) for a in articles]
    assert sum(bool(events) for events in one_by_one) >= 3, "too few articles with events to compare"
    assert extractor.extract_together(articles) == one_by_one  # type: ignore[attr-defined]


def test_trained_batch_equals_one_by_one(articles: list[Article], eager_model: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    extractor = create_extractor("trained", model_path=str(eager_model))
    assert isinstance(extractor, BatchExtractor)
    one_by_one = [extractor.extract(a) for a in articles]
    assert sum(len(events) for events in one_by_one) >= 20, "too few events to compare"
    assert extractor.extract_batch(articles) == one_by_one


class _BatchedRules:
    """The rule extractor offered to `extract_all` in batches, as the trained extractor is (no model needed)."""

    name = "rules-batched"
    version = "test"

    def __init__(self) -> None:
        self.rules = create_extractor("rules")
        self.batches: list[int] = []

    def extract(self, article: Article) -> list[MovementEvent]:
        return self.rules.extract(article)

    def extract_batch(self, articles: Sequence[Article]) -> list[list[MovementEvent] | Exception]:
        self.batches.append(len(articles))
        return self.rules.extract_together(articles)  # type: ignore[attr-defined, no-any-return]


def test_extract_all_batches_and_isolates_a_bad_article(articles: list[Article]) -> None:
    extractor = _BatchedRules()
    too_long = Article(id="too-long", text="Troops arrived in Riga. " * 50_000)  # over spaCy's max_length
    batch = [*articles[:3], too_long, *articles[3:]]
    result = extract_all(extractor, [*batch, *articles[:BATCH_SIZE - len(batch) + 2]])
    assert extractor.batches == [BATCH_SIZE, 2]  # the first batch failed as a whole, then went one by one
    assert list(result.failed) == ["too-long"]
    assert result.events == [e for a in [*batch, *articles[:BATCH_SIZE - len(batch) + 2]] if a is not too_long
                             for e in extractor.extract(a)]


def _docs_alive(texts: set[str]) -> int:
    """spaCy Docs of these texts that Python still holds (the cycle collector is off in the caller)."""
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Doc) and obj.text in texts)


def test_trained_frees_each_doc_once_read(articles: list[Article], eager_model: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A read article's Doc goes when its events are returned, without waiting for the cycle collector: the
    model's readings on it hold its tokens (a worker's memory grew by 185 MiB over 400 articles)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    extractor = create_extractor("trained", model_path=str(eager_model))
    texts = {a.text for a in articles[:4]}
    gc.collect()
    gc.disable()
    try:
        events = [extractor.extract(a) for a in articles[:4]]
        batched = extractor.extract_batch(articles[:4])  # type: ignore[attr-defined]
        alive = _docs_alive(texts)
    finally:
        gc.enable()
    assert sum(len(e) for e in events) >= 3, "too few events: the articles were not read"
    assert batched == events
    assert alive == 0
