"""Datelines: the "KYIV, Ukraine (AP) —" or "20th March 2023 – (Moscow)" lead of a news story.

A dateline glued to the first sentence breaks its parse (the city becomes the subject), so
the parser reads the text with the dateline blanked out. Blanking keeps every character
offset, so evidence offsets still point into the original text.
"""

from __future__ import annotations

import re

_DASH = r"[-–—]{1,2}|:"
_AGENCY = r"(?:\(\s*[A-Za-z][\w .,&/-]{0,30}\)\s*)"  # "(AP)", "(June 21, 2024)"
# "KYIV, Ukraine (AP) —", "PRZEMYSL, POLAND -", "WASHINGTON (Reuters) -", "LONDON:" (the city in capitals).
_CITY_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z'’.\-]{2,}(?: [A-Z'’.\-]+){0,3}(?:,\s*[A-Z0-9][A-Za-z0-9'’.\- ]{1,30}){0,3}\s*"
    + _AGENCY + r"?(?:" + _DASH + r")\s+"
)
# "20th March 2023 – (Moscow)", "March 20, 2023 -", "2023-03-20 —".
_DATE_DATELINE = re.compile(
    r"^\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"\s*(?:" + _DASH + r")\s*" + _AGENCY + r"?"
)
# Labels some pages put before the story: "STORY:", "BREAKING:".
_LABEL = re.compile(r"^\s*(?:STORY|BREAKING|UPDATE|EXCLUSIVE|WATCH|VIDEO)\s*:\s+")


def dateline_end(text: str) -> int:
    """Length of the dateline that opens `text` (0 when there is none)."""
    for pattern in (_LABEL, _DATE_DATELINE, _CITY_DATELINE):
        match = pattern.match(text)
        if match and _has_words_after(text, match.end()):
            return match.end()
    return 0


def blank_dateline(text: str) -> str:
    """`text` with its opening dateline replaced by spaces and a line break (same length, same offsets after it).

    The line break ends the blank as a line of its own: after a bare run of spaces spaCy's parser misread the
    first sentence ("... departed Naval Station Norfolk" with Norfolk as a second subject)."""
    end = dateline_end(text)
    return " " * (end - 1) + "\n" + text[end:] if end else text


def _has_words_after(text: str, end: int) -> bool:
    """A dateline is followed by the story itself, starting with a word."""
    rest = text[end:end + 40].lstrip()
    return bool(rest) and (rest[0].isalnum() or rest[0] in "\"“‘'")
