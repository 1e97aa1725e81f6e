"""Numbers of movers: "about 2,000" -> Quantity(2000, approximate=True); "thousands" -> None."""

from __future__ import annotations

import re

from movegraph.schema import Quantity

APPROXIMATE_MARKERS: tuple[str, ...] = (
    "about", "around", "approximately", "roughly", "some", "nearly", "almost", "up to",
    "more than", "over", "at least", "an estimated", "estimated", "close to", "as many as",
    "upwards of", "fewer than", "less than", "under",
)
UNITS: dict[str, int] = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000}
WORDS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90, "a": 1, "an": 1})
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_MARKER = re.compile(r"\b(?:" + "|".join(re.escape(m) for m in APPROXIMATE_MARKERS) + r")\b", re.I)


def parse_quantity(text: str) -> Quantity | None:
    """Parse a count phrase; None for vague plurals ("thousands", "dozens") or non-numbers."""
    words = re.findall(r"[\w.,]+(?:-\w+)?", text.lower())
    words = [w for i, w in enumerate(words) if w not in ("a", "an") or words[i + 1 : i + 2] in ([u] for u in UNITS)]
    value = _parse_words(words)
    if value is None:
        return None
    return Quantity(value=value, approximate=bool(_MARKER.search(text)))


def parse_number(token_text: str) -> int | None:
    """Parse one number token: "2,000", "1.5", "twenty-five", "seven"."""
    text = token_text.lower().strip()
    if _NUMBER.match(text):
        return int(float(text.replace(",", "")))
    if "-" in text:
        parts = [WORDS.get(p) for p in text.split("-")]
        return sum(parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    return WORDS.get(text)


def _parse_words(words: list[str]) -> int | None:
    """Combine number words and digits: ["1.5", "million"] -> 1500000; ["two", "hundred"] -> 200."""
    total: float | None = None
    for word in words:
        if word in UNITS:
            if total is None:
                return None
            total *= UNITS[word]
            continue
        number = _parse_float(word)
        if number is None:
            if total is not None:
                break
            continue
        if total is not None:
            break
        total = number
    if total is None:
        return None
    return int(total)


def _parse_float(word: str) -> float | None:
    """A digit string with commas or decimals, or a number word."""
    if _NUMBER.match(word):
        return float(word.replace(",", ""))
    value = parse_number(word)
    return float(value) if value is not None else None

