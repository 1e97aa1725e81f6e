"""The trained extractor: the fine-tuned event model decides triggers, modality and confidence.

Candidates come from the pre-filter lexicon saved with the model, so the
encoder reads only sentences that can hold a movement; the roles and the
normalisation of places, actors and times are those of the rule extractor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from movegraph.extractors.base import register_extractor
from movegraph.extractors.candidates import candidate_triggers
from movegraph.extractors.nlp import DEFAULT_MODEL
from movegraph.extractors.rules import RuleBasedExtractor
from movegraph.extractors.triggers import Trigger
from movegraph.schema import Actor, Article, MovementEvent, Place

if TYPE_CHECKING:
    from movegraph.extractors.event_model import EventModel, Prediction

log = logging.getLogger(__name__)


@register_extractor("trained")
class TrainedExtractor(RuleBasedExtractor):
    """Rule roles and normalisation; trigger, modality and confidence from the event model."""

    name = "trained"
    version = "0.1.0"

    def __init__(self, model_path: str | None = None, model: str = DEFAULT_MODEL) -> None:
        """Load spaCy, the gazetteers and the event model (a local folder or hub id)."""
        from movegraph.extractors.event_model import EventModel
        from movegraph.settings import load_settings

        super().__init__(model)
        self.event_model: EventModel = EventModel.load(model_path or load_settings().event_model)
        self._lexicon = frozenset(self.event_model.config.lexicon)
        self._threshold = self.event_model.config.event_threshold
        self._predictions: dict[tuple[int, int], Prediction] = {}

    def extract(self, article: Article) -> list[MovementEvent]:
        """Events of one article; the model's readings are kept for this article only."""
        self._predictions.clear()
        return super().extract(article)

    def triggers(self, sentence: Span) -> list[Trigger]:
        """Candidates of the pre-filter that the model reads as movement events."""
        candidates = candidate_triggers(sentence, self._lexicon)
        if not candidates:
            return []
        base = sentence.start_char
        predictions = self.event_model.predict([(sentence.text, c.start - base, c.end - base) for c in candidates])
        kept = []
        for candidate, prediction in zip(candidates, predictions):
            if prediction.p_event >= self._threshold:
                self._predictions[(candidate.start, candidate.end)] = prediction
                kept.append(candidate)
        return kept

    def modality(self, trigger: Trigger, mover: Token | None) -> str:
        """The most probable of the five modalities for this trigger."""
        probs = self._prediction(trigger).modality_probs
        return max(probs, key=probs.__getitem__)

    def confidence(self, trigger: Trigger, mover: Actor, place: Place | None) -> float:
        """The calibrated probability that the trigger is a movement event."""
        return round(min(1.0, max(0.0, self._prediction(trigger).p_event)), 4)

    def _prediction(self, trigger: Trigger) -> Prediction:
        return self._predictions[(trigger.start, trigger.end)]
