"""Trigger lexicon: movement verbs and nouns are found; politics, presence and goods are not."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from movegraph.extractors.nlp import load_pipeline
from movegraph.extractors.triggers import find_triggers, is_goods


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _triggers(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    return [t.text for sent in doc.sents for t in find_triggers(sent)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("About 400 Canadian soldiers moved to eastern Latvia last week.", ["moved"]),
        ("The delegation arrived in Nairobi on Monday.", ["arrived"]),
        ("Thousands of residents fled the city after the flood.", ["fled"]),
        ("The battalion pulled back from the river overnight.", ["pulled back"]),
        ("Their deployment to the border began in March.", ["deployment"]),
        ("Russia's invasion of Ukraine began on Thursday.", ["invasion"]),
    ],
)
def test_movement_triggers_are_found(nlp: Language, text: str, expected: list[str]) -> None:
    assert _triggers(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The committee moved to a vote on the budget.",
        "The council moved to ban night flights.",
        "Finland joined NATO in 2023.",
        "The two sides reached an agreement on Friday.",
        "About 3,000 soldiers are stationed in Poland.",
        "The brigade is based at a camp near Riga.",
        "The troops remain deployed in the north.",
        "Artillery shells were the main topic of the meeting.",
        # an invasion that dates or frames the story names a war (spec 1)
        "The allies met in light of Russia's invasion of Ukraine.",
        "It has been seven months since President Putin's February invasion of Ukraine.",
        "Prices rose after the invasion.",
    ],
)
def test_non_movements_have_no_trigger(nlp: Language, text: str) -> None:
    assert _triggers(nlp, text) == []


def test_trigger_offsets_point_into_the_text(nlp: Language) -> None:
    doc = nlp("Officials said the convoy will head to the capital.")
    [trigger] = find_triggers(next(iter(doc.sents)))
    assert doc.text[trigger.start : trigger.end] == trigger.text == "head"


@pytest.mark.parametrize(("word", "goods"), [("weapons", True), ("shells", True), ("aid", True), ("troops", False)])
def test_goods_are_not_movers(nlp: Language, word: str, goods: bool) -> None:
    token: Token = nlp(f"The {word} were sent.")[1]
    assert is_goods(token) is goods
