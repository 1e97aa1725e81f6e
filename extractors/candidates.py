"""The pre-filter of the trained extractor: tokens that may be movement triggers.

Only these candidates reach the encoder, so the model reads a few marked
sentences per article instead of every sentence; the lexicon is the rule
lexicon plus every trigger lemma of the training corpus (saved with the model).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from movegraph.extractors.triggers import (
    MOTION_NOUNS,
    MOTION_VERBS,
    PARTICLES,
    SENDING_VERBS,
    Trigger,
    TriggerKind,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

BASE_LEXICON: frozenset[str] = MOTION_VERBS | SENDING_VERBS | MOTION_NOUNS
CANDIDATE_POS: frozenset[str] = frozenset({"VERB", "NOUN", "PROPN", "AUX", "ADJ"})


def lexicon_with(extra_lemmas: Iterable[str]) -> frozenset[str]:
    """The base lexicon widened with lemmas seen as triggers in training data."""
    return BASE_LEXICON | {lemma.lower() for lemma in extra_lemmas if lemma.strip()}


def is_candidate(token: Token, lexicon: frozenset[str]) -> bool:
    """True when the token's lemma (or form) is a possible trigger in a content-word role."""
    if token.pos_ not in CANDIDATE_POS:
        return False
    return token.lemma_.lower() in lexicon or token.lower_ in lexicon


def candidate_triggers(sentence: Span, lexicon: frozenset[str]) -> list[Trigger]:
    """Every candidate trigger of a sentence, phrasal verbs extended by their particle."""
    found = []
    for token in sentence:
        if not is_candidate(token, lexicon):
            continue
        kind: TriggerKind = "verb" if token.pos_ in ("VERB", "AUX") else "noun"
        end = token.idx + len(token.text)
        particle = _particle(token)
        if particle is not None:
            end = max(end, particle.idx + len(particle.text))
        found.append(Trigger(token=token, start=token.idx, end=end, kind=kind))
    return found


def _particle(token: Token) -> Token | None:
    allowed = PARTICLES.get(token.lemma_.lower())
    if not allowed:
        return None
    return next((c for c in token.children if c.dep_ in ("prt", "prep", "advmod") and c.lower_ in allowed), None)
