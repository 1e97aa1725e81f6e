"""The trained extractor: the fine-tuned event model decides triggers, modality and confidence.

Candidates come from the pre-filter lexicon saved with the model, so the
encoder reads only sentences that can hold a movement. Roles come from the
parse rules of the rule extractor; where they find no mover, the model's
argument tags give one. Normalisation of places, actors and times is shared.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from movegraph.extractors.base import register_extractor
from movegraph.extractors.calibration import IDENTITY, ConfidenceMap
from movegraph.extractors.candidates import candidate_triggers
from movegraph.extractors.nlp import DEFAULT_MODEL
from movegraph.extractors.rules import RuleBasedExtractor, heuristic_confidence
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

    def __init__(self, model_path: str | None = None, model: str = DEFAULT_MODEL,
                 event_model: EventModel | None = None, calibration: ConfidenceMap | None = None,
                 use_argument_head: bool = True) -> None:
        """Load spaCy, the gazetteers and the event model (a local folder or hub id, or one already loaded).

        `calibration` defaults to the fact-level map fitted when the model was trained.
        """
        from movegraph.extractors.event_model import EventModel
        from movegraph.settings import load_settings

        if event_model is None:
            event_model = EventModel.load(model_path or load_settings().event_model)
        fitted = ConfidenceMap.from_dict(event_model.config.confidence_map) if event_model.config.confidence_map else IDENTITY
        super().__init__(model, calibration=calibration if calibration is not None else fitted)
        self.event_model = event_model
        self.use_argument_head = use_argument_head
        self._lexicon = frozenset(self.event_model.config.lexicon)
        self._threshold = self.event_model.config.event_threshold
        self._predictions: dict[tuple[int, int], Prediction] = {}
        self._candidates: dict[int, list[Trigger]] = {}  # sentence start token -> its candidates

    def extract(self, article: Article) -> list[MovementEvent]:
        """Events of one article; the model's readings are kept for this article only."""
        self._predictions.clear()
        self._candidates.clear()
        return super().extract(article)

    def prepare(self, doc: Doc) -> None:
        """Read every pre-filter candidate of the article in one batched pass of the encoder."""
        items, owners = [], []
        for sentence in doc.sents:
            candidates = candidate_triggers(sentence, self._lexicon)
            self._candidates[sentence.start] = candidates
            base = sentence.start_char
            items.extend((sentence.text, c.start - base, c.end - base) for c in candidates)
            owners.extend(candidates)
        for candidate, prediction in zip(owners, self.event_model.predict(items)):
            self._predictions[(candidate.start, candidate.end)] = prediction

    def triggers(self, sentence: Span) -> list[Trigger]:
        """Candidates of the pre-filter that the model reads as movement events."""
        candidates = self._candidates.get(sentence.start, [])
        return [c for c in candidates if self._prediction(c).p_event >= self._threshold]

    def modality(self, trigger: Trigger, mover: Token | None) -> str:
        """The most probable of the five modalities for this trigger."""
        probs = self._prediction(trigger).modality_probs
        return max(probs, key=probs.__getitem__)

    def argument_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """Heads of the spans the model tags as `role` for this trigger, when the parse rules found none."""
        if not self.use_argument_head:
            return []
        base = sentence.start_char
        heads = []
        for name, start, end in self._prediction(trigger).arguments:
            span = sentence.doc.char_span(base + start, base + end, alignment_mode="expand") if name == role else None
            if span is not None and len(span) and span.root.i != trigger.token.i:
                heads.append(span.root)
        return heads

    def confidence(self, trigger: Trigger, mover: Actor, place: Place | None) -> float:
        """The probability that the event's fact is right: the model's event probability times the
        rule score of its roles (explicit place, known affiliation), through the fitted map."""
        raw = self._prediction(trigger).p_event * heuristic_confidence(trigger, mover, place)
        return self.calibration.apply(raw)

    def _prediction(self, trigger: Trigger) -> Prediction:
        return self._predictions[(trigger.start, trigger.end)]
