"""A small, dependency-free English check: declared language first, else common-word frequency."""

from __future__ import annotations

import re

ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by it at from his her he she they are were be "
    "been has have had not but an or this which their its who said after over into than also will "
    "would more about up out other there one two all new when while during near".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 20
MIN_RATIO = 0.12


def declared_is_english(declared: str | None) -> bool | None:
    """True/False from a declared code such as 'en-GB' or 'fr'; None when nothing usable is declared."""
    if not declared or not declared.strip():
        return None
    return declared.strip().lower().replace("_", "-").split("-")[0] == "en"


def english_ratio(text: str) -> float:
    """Share of the words of `text` that are among the commonest English words."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return 0.0
    return sum(1 for w in words if w in ENGLISH_WORDS) / len(words)


def not_english_reason(text: str, declared: str | None = None) -> str | None:
    """Why `text` is not English (declared language or word statistics), or None if it is."""
    verdict = declared_is_english(declared)
    if verdict is False:
        return f"not English: declared language {declared!r}"
    words = WORD.findall(text)
    if len(words) >= MIN_WORDS and english_ratio(text) < MIN_RATIO:
        return f"not English: only {english_ratio(text):.0%} common English words"
    return None
