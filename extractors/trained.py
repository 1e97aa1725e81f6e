"""The trained extractor: the learned event reader (`ModelReader`) inside the rule extractor's roles.

`ModelReader` reads every pre-filter candidate of an article with the fine-tuned
event model (candidates come from the lexicon saved with the model, so the
encoder reads only sentences that can hold a movement): it decides triggers,
modality and confidence, and its role linker gives the mover where the parse
rules find none (or before them, `link_first`: better on no evaluation set, see
the README) and the destination where they find no place; the model's argument
tags are the last fallback. Keys and normalisation of places, actors and times
are the rule extractor's, which `TrainedExtractor` composes with the reader.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from movegraph.extractors.base import register_extractor
from movegraph.extractors.calibration import IDENTITY, ConfidenceMap
from movegraph.extractors.candidates import candidate_triggers
from movegraph.extractors.mentions import candidate_mentions, picked_role
from movegraph.extractors.nlp import DEFAULT_MODEL, read_sentences
from movegraph.extractors.readers import heuristic_confidence
from movegraph.extractors.rules import RuleBasedExtractor
from movegraph.extractors.screen import CandidateScreen
from movegraph.extractors.triggers import Trigger
from movegraph.schema import Actor, Article, InputError, MovementEvent, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from movegraph.extractors.event_model import EventModel, EventModelConfig, Prediction

log = logging.getLogger(__name__)

READINGS_KEY = "movegraph.event_readings"  # where an article's model readings live on its Doc


@dataclass
class ModelReadings:
    """The event model's readings of one article: kept on that article's Doc, never on the shared extractor,
    so one extractor serves many threads (as spaCy keeps per-text state on the Doc)."""

    candidates: dict[int, list[Trigger]] = field(default_factory=dict)  # sentence start token -> candidates
    predictions: dict[tuple[int, int], Prediction] = field(default_factory=dict)  # (start, end) -> reading
    screened: set[tuple[int, int]] = field(default_factory=set)  # (start, end) of candidates the screen dropped


def model_fingerprint(config: EventModelConfig) -> str:
    """A short hash of the model's saved config (corpus hash, metrics, threshold): differs after any retraining."""
    text = json.dumps(asdict(config), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def reader_version(config: EventModelConfig, runtime: str) -> str:
    """The learned reader's version: the model's fingerprint (cache keys see a retrain) and, off torch, the
    runtime (int8 reads differ a little: cached events must not mix runtimes)."""
    version = f"{TrainedExtractor.version}+model-{model_fingerprint(config)}"
    return version if runtime == "torch" else f"{version}+{runtime}"


def screened_out(classes: Sequence[str]) -> Prediction:
    """The reading of a candidate the screen drops: no event, no arguments, no links."""
    from movegraph.extractors.event_model import Prediction

    return Prediction(label=classes[0], p_event=0.0, modality_probs=dict.fromkeys(classes[1:], 0.0), arguments=[])


def readings_of(doc: Doc) -> ModelReadings:
    """The readings `ModelReader.prepare` stored on this Doc (empty for a Doc it never saw)."""
    readings = doc.user_data.get(READINGS_KEY)
    return readings if isinstance(readings, ModelReadings) else ModelReadings()


class ModelReader:
    """The learned event reader: the event model decides triggers, modality, role links and confidence."""

    def __init__(self, event_model: EventModel, calibration: ConfidenceMap | None = None,
                 use_argument_head: bool = True, use_role_linker: bool = True, link_first: bool = False,
                 link_threshold: float | None = None) -> None:
        """`calibration` defaults to the fact-level map fitted when the model was trained."""
        saved = event_model.config.confidence_map
        fitted = ConfidenceMap.from_dict(saved) if saved else IDENTITY
        self.calibration = calibration if calibration is not None else fitted
        self.event_model = event_model
        self.version = reader_version(event_model.config, event_model.runtime)
        self.use_argument_head = use_argument_head
        self.use_role_linker = use_role_linker and bool(event_model.config.links)
        self.link_first = link_first
        self.link_threshold = event_model.config.link_threshold if link_threshold is None else link_threshold
        self._lexicon = frozenset(event_model.config.lexicon)
        self._screen = CandidateScreen.from_dict(event_model.config.screen)
        self._threshold = event_model.config.event_threshold
        self._screened_out = screened_out(event_model.config.classes)

    def prepare(self, doc: Doc) -> None:
        """Read every pre-filter candidate of the article in one batched pass; the readings go on the Doc."""
        self.prepare_many([doc])

    def prepare_many(self, docs: Sequence[Doc]) -> None:
        """Read the pre-filter candidates of several articles in one encoder pass (fuller batches of similar
        lengths than article by article); each article's readings go on its own Doc. Candidates the model's
        screen drops are read as no event without the encoder."""
        from movegraph.extractors.event_model import MarkedItem  # torch loads only when a model is used

        items, owners = [], []
        for doc in docs:
            readings = ModelReadings()
            for sentence in read_sentences(doc):  # headings: no candidates (the rules skip them too)
                candidates = candidate_triggers(sentence, self._lexicon)
                readings.candidates[sentence.start] = candidates
                base = sentence.start_char
                for c in candidates:
                    if self._screen is not None and not self._screen.keeps(c.token):
                        readings.screened.add((c.start, c.end))
                        readings.predictions[(c.start, c.end)] = self._screened_out
                        continue
                    mentions = tuple((t.idx - base, t.idx + len(t.text) - base)
                                     for t in candidate_mentions(sentence, exclude=c.token))
                    items.append(MarkedItem(sentence.text, c.start - base, c.end - base, mentions))
                    owners.append((readings, c))
            doc.user_data[READINGS_KEY] = readings
        for (readings, candidate), prediction in zip(owners, self.event_model.predict(items), strict=True):
            readings.predictions[(candidate.start, candidate.end)] = prediction

    def release(self, doc: Doc) -> None:
        """Take the readings off a read Doc: their candidates hold its tokens, and a token holds its Doc, so a
        Doc that kept them would wait for Python's cycle collector, not be freed when the article is done (a
        worker's RSS grew from 465 to 650 MiB over 400 articles; 519 with this)."""
        doc.user_data.pop(READINGS_KEY, None)

    def triggers(self, sentence: Span) -> list[Trigger]:
        """Candidates of the pre-filter (and of the screen) that the model reads as movement events."""
        readings = readings_of(sentence.doc)
        candidates = readings.candidates.get(sentence.start, [])
        return [c for c in candidates
                if (c.start, c.end) not in readings.screened and self._prediction(c).p_event >= self._threshold]

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

    def linked_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """Mentions the role linker gives `role` for this trigger (most probable role, above the model's
        link threshold), most probable first."""
        if not self.use_role_linker:
            return []
        base, links = sentence.start_char, self._prediction(trigger).links
        scored = []
        for (start, end), probs in links.items():
            if picked_role(probs, self.link_threshold) == role:
                span = sentence.doc.char_span(base + start, base + end)
                if span is not None and len(span):
                    scored.append((probs[role], span.root))
        return [token for _, token in sorted(scored, key=lambda pair: -pair[0])]

    def confidence(self, trigger: Trigger, mover: Actor, place: Place | None) -> float:
        """The probability that the event's fact is right: the model's event probability times the
        rule score of its roles (explicit place, known affiliation), through the fitted map."""
        raw = self._prediction(trigger).p_event * heuristic_confidence(trigger, mover, place)
        return self.calibration.apply(raw)

    def _prediction(self, trigger: Trigger) -> Prediction:
        return readings_of(trigger.token.doc).predictions[(trigger.start, trigger.end)]


@register_extractor("trained")
class TrainedExtractor:
    """The parse rules' roles, keys and normalisation around the learned event reader (composition, so the
    rule and learned readers stay alternatives of one interface)."""

    name = "trained"
    version = "0.1.0"

    def __init__(self, model_path: str | None = None, model: str = DEFAULT_MODEL,
                 event_model: EventModel | None = None, calibration: ConfidenceMap | None = None,
                 use_argument_head: bool = True, use_role_linker: bool = True, link_first: bool = False,
                 link_threshold: float | None = None, runtime: str = "torch", threads: int | None = None) -> None:
        """Load spaCy, the gazetteers and the event model: `model_path` (a local folder or hub id; the CLI
        and the flows pass the one the settings name) or `event_model`, one already loaded. `runtime` runs the
        model's network on torch, or on ONNX Runtime (CPU) as "onnx" (fp32) or "onnx-int8"; `threads` caps its
        CPU threads (see `EventModel.load`; it changes speed, not what is read)."""
        from movegraph.extractors.event_model import EventModel, ModelNotFoundError

        if event_model is None:
            if not model_path:
                raise ModelNotFoundError("the trained extractor needs a model: give model_path (a folder or hub id) "
                                         "or an event_model")
            event_model = EventModel.load(model_path, runtime=runtime, threads=threads)
        self.reader = ModelReader(event_model, calibration, use_argument_head, use_role_linker, link_first,
                                  link_threshold)
        self.version = self.reader.version
        self._extractor = RuleBasedExtractor(model, reader=self.reader)

    @classmethod
    def version_for(cls, model_path: str | None = None, event_model: EventModel | None = None,
                    runtime: str = "torch", **_: object) -> str:
        """The version an extractor built with these options reports, from the model's saved config alone
        (no weights, no spaCy), so a flow's parent process need not load what its workers load."""
        from movegraph.extractors.event_model import RUNTIMES, ModelNotFoundError, load_config, resolve_model_dir

        if event_model is not None:
            return reader_version(event_model.config, event_model.runtime)
        if not model_path:
            raise ModelNotFoundError("the trained extractor needs a model: give model_path (a folder or hub id) "
                                     "or an event_model")
        if runtime not in RUNTIMES:
            raise InputError(f"unknown event model runtime {runtime!r}; one of: {', '.join(RUNTIMES)}")
        return reader_version(load_config(resolve_model_dir(model_path)), runtime)

    @classmethod
    def needs_torch(cls, model_path: str | None = None, event_model: EventModel | None = None,
                    runtime: str = "torch", **_: object) -> bool:
        """True for the torch runtime, and for an ONNX runtime whose model is not exported yet (the export
        runs the torch network once); False once the ONNX file is there."""
        if event_model is not None:
            return event_model.runtime == "torch"
        if runtime == "torch" or not model_path:
            return True
        from movegraph.extractors.onnx_runtime import onnx_exported

        return not onnx_exported(model_path)

    def extract(self, article: Article) -> list[MovementEvent]:
        """Every movement event of `article`, offsets into `article.text`."""
        return self._extractor.extract(article)

    def extract_batch(self, articles: Sequence[Article]) -> list[list[MovementEvent] | Exception]:
        """The events of each article, or its exception: parsed together and read by the event model in one
        pass (see `RuleBasedExtractor.extract_together`): 12-22% less CPU than article by article in bench/extract
        (two runs on the shared 2-core machine, load 2-5)."""
        return self._extractor.extract_together(articles)
