"""Datelines are blanked for the parser without moving any offset."""

from __future__ import annotations

import pytest

from movegraph.extractors.datelines import blank_dateline, dateline_end


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("KYIV, Ukraine (AP) — Polish soldiers arrived in Lviv.", "Polish soldiers"),
        ("RIGA, LATVIA - Dutch troops arrived on Monday.", "Dutch troops"),
        ("NEW YORK, March 3 (Reuters) - The ship docked.", "The ship"),
        ("12th May 2023 – (Berlin) The chancellor flew to Paris.", "The chancellor"),
        ("STORY: People crossed into Poland.", "People crossed"),
        ("KIEL, GERMANY (June 21, 2024) – The dock ship USS New York arrived in Kiel.", "The dock ship"),  # DVIDS
    ],
)
def test_dateline_is_blanked_and_offsets_kept(text: str, story: str) -> None:
    blanked = blank_dateline(text)
    assert len(blanked) == len(text)
    assert blanked.lstrip().startswith(story)
    assert blanked[dateline_end(text):] == text[dateline_end(text):]


@pytest.mark.parametrize(
    "text",
    ["US - China talks resumed in Geneva.", "NATO troops - about 300 - arrived.", "The U.S. - led coalition left.",
     "Troops arrived in Riga on Monday."],
)
def test_ordinary_openings_are_left_alone(text: str) -> None:
    assert blank_dateline(text) == text
