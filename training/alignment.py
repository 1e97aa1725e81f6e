"""Label alignment between word pieces and character spans (the part that silently breaks models)."""

from __future__ import annotations

from movegraph.extractors.event_model import TAGS, to_marked

__all__ = ["IGNORE", "TAG_INDEX", "marked_arguments", "piece_tags", "to_marked"]

IGNORE = -100
TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}


def piece_tags(offsets: list[tuple[int, int]], spans: list[tuple[str, int, int]]) -> list[int]:
    """BIO tag ids for word pieces given (role, start, end) spans in the same character space.

    A piece belongs to a span when it lies inside it; the first such piece is B-, the rest I-.
    Special tokens (empty offsets) get IGNORE so they never count in the loss.
    """
    labels = []
    open_span: tuple[str, int, int] | None = None
    for a, b in offsets:
        if a == b:
            labels.append(IGNORE)
            continue
        span = next((s for s in spans if s[1] <= a and b <= s[2]), None)
        if span is None:
            labels.append(TAG_INDEX["O"])
        else:
            prefix = "I" if span == open_span else "B"
            labels.append(TAG_INDEX[f"{prefix}-{span[0]}"])
        open_span = span
    return labels


def marked_arguments(arguments, start: int, end: int, shift: int) -> list[tuple[str, int, int]]:
    """Argument spans moved into the marked sentence's character space."""
    return [(role, to_marked(a, start, end, shift), to_marked(b, start, end, shift)) for role, a, b in arguments]

