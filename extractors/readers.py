"""Event readers: the component that decides which words are movement events, their modality, the role
links and each fact's confidence. The rule reader and the learned reader (extractors/trained.py) are
alternatives of one interface; the extractor around them (extractors/rules.py) finds roles and keys.

A reader keeps nothing per article on itself: what it reads in `prepare` goes on the Doc, so one reader
serves many threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from movegraph.extractors.calibration import ConfidenceMap, rules_calibration
from movegraph.extractors.modality import classify
from movegraph.extractors.triggers import Trigger, find_triggers
from movegraph.schema import Actor, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@runtime_checkable
class EventReader(Protocol):
    """Triggers, modality, role links and fact confidence of one parsed article."""

    version: str
    link_first: bool  # try the linked mover before the parse rules' mover

    def prepare(self, doc: Doc) -> None:
        """Work done once per parsed article before its sentences are read; results go on the Doc."""
        ...

    def prepare_many(self, docs: Sequence[Doc]) -> None:
        """`prepare` for several parsed articles at once (a learned reader batches them); results go on each Doc."""
        ...

    def release(self, doc: Doc) -> None:
        """Drop what `prepare` put on the Doc once its article is read, so the Doc is freed at once."""
        ...

    def triggers(self, sentence: Span) -> list[Trigger]:
        """The movement triggers of one sentence."""
        ...

    def modality(self, trigger: Trigger, mover: Token | None) -> str:
        """The modality of one trigger in its sentence."""
        ...

    def linked_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """Mention heads linked to the trigger in `role` (MOVER, DESTINATION, ...), most probable first."""
        ...

    def argument_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """Heads of `role` arguments found besides the parse rules, asked for movers only."""
        ...

    def confidence(self, trigger: Trigger, mover: Actor, place: Place | None) -> float:
        """The probability that the event's fact is right."""
        ...


class RuleReader:
    """The rule reader: lexicon triggers, cue-word modality, no role links, a calibrated heuristic score."""

    version = "0.1.0"
    link_first = False

    def __init__(self, calibration: ConfidenceMap | None = None, calibration_file: str | Path | None = None) -> None:
        """`calibration` defaults to the map in `calibration_file` when that exists (the user's, written by
        `movegraph calibrate`), else to the packaged map fitted on the training corpus."""
        self.calibration = calibration if calibration is not None else rules_calibration(calibration_file)

    def prepare(self, doc: Doc) -> None:
        """Nothing to read ahead: every rule looks at one sentence."""

    def prepare_many(self, docs: Sequence[Doc]) -> None:
        """Nothing to read ahead (see `prepare`)."""
        for doc in docs:
            self.prepare(doc)

    def release(self, doc: Doc) -> None:
        """Nothing was put on the Doc."""

    def triggers(self, sentence: Span) -> list[Trigger]:
        """The lexicon and its rules."""
        return find_triggers(sentence)

    def modality(self, trigger: Trigger, mover: Token | None) -> str:
        """Cue-word rules."""
        return classify(trigger.token, mover)

    def linked_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """None: the rules have no role linker."""
        return []

    def argument_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        """None: the rules have no argument tagger (destinations from a tagger cost more precision than they
        gained, docs/normalisation.md)."""
        return []

    def confidence(self, trigger: Trigger, mover: Actor, place: Place | None) -> float:
        """The heuristic score through the calibration map."""
        return self.calibration.apply(heuristic_confidence(trigger, mover, place))


def heuristic_confidence(trigger: Trigger, mover: Actor, place: Place | None) -> float:
    """A heuristic score: explicit, resolved arguments and verb triggers score higher."""
    score = 0.5
    if place is not None and place.country:
        score += 0.2 if place.start is not None else 0.05
    if mover.affiliation or mover.type == "person":
        score += 0.15
    if mover.start is None:
        score -= 0.1
    if trigger.kind == "noun":
        score -= 0.1
    return round(min(max(score, 0.05), 0.95), 2)
