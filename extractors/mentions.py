"""Candidate mentions of a sentence: the tokens the role linker may pick as mover, destination, origin or agent.

A mention is the head token of a noun phrase (names, nouns, pronouns) or one of
the place adverbs "there", "here", "home" and "abroad". The rule extractor builds the whole
phrase from its head, so the linker only has to pick heads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


MENTION_POS: frozenset[str] = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
PLACE_ADVERBS: frozenset[str] = frozenset({"there", "here", "home", "abroad"})
# Inner parts of a phrase: the phrase's head stands for them.
INNER_DEPS: frozenset[str] = frozenset({"compound", "nummod", "quantmod", "amod", "det", "case"})


def is_mention_head(token: Token) -> bool:
    """True for a token that heads a phrase able to name an actor or a place."""
    if token.lower_ in PLACE_ADVERBS:
        return True
    if token.pos_ not in MENTION_POS or token.dep_ in INNER_DEPS:
        return False
    if not any(ch.isalnum() for ch in token.text):
        return False  # the "-" of "al-Assad", which the small parser sometimes tags PROPN
    return not (token.pos_ == "NUM" and token.dep_ != "nsubj")  # "2,000 arrived"; other numbers are no actors


def candidate_mentions(sentence: Span, exclude: Token | None = None) -> list[Token]:
    """Mention heads of `sentence` in order, without the trigger token itself."""
    return [t for t in sentence if is_mention_head(t) and t != exclude]


def picked_role(probs: dict[str, float], threshold: float) -> str:
    """The role the linker gives a mention: its most probable one, if that reaches `threshold`, else "none"."""
    if not probs:
        return "none"
    best = max(probs, key=probs.__getitem__)
    return best if probs[best] >= threshold else "none"


def with_conjuncts(token: Token) -> list[Token]:
    """`token` and the nouns coordinated after it ("Biden and Zelensky", "equipment and personnel")."""
    return [token, *(c for c in token.conjuncts if c.i > token.i and c.pos_ in ("NOUN", "PROPN", "PRON"))]


def mention_heads(span: Span, candidates: list[Token]) -> list[Token]:
    """The candidates that stand for an annotated span: its head (see `mention_head`) and the head's conjuncts
    inside the span, so "equipment and personnel" teaches both as the mover."""
    head = mention_head(span, candidates)
    if head is None:
        return []
    return [t for t in with_conjuncts(head) if t in candidates and span.start <= t.i < span.end]


def mention_head(span: Span, candidates: list[Token]) -> Token | None:
    """The candidate that stands for an annotated span: its syntactic root, else its last candidate."""
    if span.root in candidates:
        return span.root
    inside = [t for t in candidates if span.start <= t.i < span.end]
    return inside[-1] if inside else None
