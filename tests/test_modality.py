"""Modality from the sentence: asserted, expected, hypothetical, negated, denied."""

from __future__ import annotations

import pytest
from spacy.language import Language

from movegraph.extractors.modality import classify
from movegraph.extractors.nlp import load_pipeline
from movegraph.extractors.triggers import find_triggers


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _modality(nlp: Language, text: str) -> str:
    doc = nlp(text)
    [trigger] = [t for sent in doc.sents for t in find_triggers(sent)]
    return classify(trigger.token)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("About 500 Dutch troops arrived in Lithuania on Tuesday.", "asserted"),
        ("The minister traveled to Oslo last week.", "asserted"),
        ("The minister will travel to Oslo next week.", "expected"),
        ("Up to 1,000 soldiers are expected to be deployed to Estonia by June.", "expected"),
        ("The government plans to send a delegation to Nairobi.", "expected"),
        ("The ship is scheduled to arrive in Lisbon on Friday.", "expected"),
        ("These units could travel to the front within days.", "hypothetical"),
        ("If the troops are deployed to Moldova, the talks will end.", "hypothetical"),
        ("Hundreds of migrants tried to cross into Spain.", "hypothetical"),
        ("The soldiers did not enter the town.", "negated"),
        ("The troops have not been deployed to the front.", "negated"),
        ("Border guards prevented the migrants from crossing into Hungary.", "negated"),
        ("The president denied reports that his troops had entered Georgia.", "denied"),
        ("The ministry dismissed claims that soldiers were sent to Syria.", "denied"),
        ("Officials could not confirm that the convoy reached Aleppo.", "denied"),
        ("The former president, who fled to Minsk in April, denied any role in the riots.", "asserted"),
    ],
)
def test_modality(nlp: Language, text: str, expected: str) -> None:
    assert _modality(nlp, text) == expected
