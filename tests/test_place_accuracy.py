"""Place-resolver accuracy on 200+ named place mentions of the training corpus (issue 4, spec section 4).

The table tests/data/places/train_place_cases.tsv is built by `movegraph.evaluation.place_accuracy
build` from shared/data/train (redistributable texts: US government works, Wikinews CC BY 2.5,
Wikipedia CC BY-SA 4.0); every row keeps its article id, url and licence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from movegraph.evaluation.place_accuracy import Accuracy, measure, names_a_place, read_cases
from movegraph.extractors.places import PlaceResolver

TABLE = Path(__file__).parent / "data" / "places" / "train_place_cases.tsv"


@pytest.fixture(scope="module")
def accuracy() -> Accuracy:
    """One run of the resolver over the whole table."""
    return measure(read_cases(TABLE), PlaceResolver())


def test_table_has_200_cases_with_provenance() -> None:
    cases = read_cases(TABLE)
    assert len(cases) >= 200
    assert len({c.text for c in cases}) == len(cases)
    for case in cases:
        assert case.article_id and case.url.startswith("http") and case.licence
        assert len(case.country) == 2 and (case.subdivision is None or case.subdivision.startswith(case.country))
        assert case.text in case.context


def test_accuracy_floor(accuracy: Accuracy) -> None:
    # Measured 0.803 exact / 0.825 country (docs/normalisation.md); a drop means a regression.
    assert accuracy.exact_rate >= 0.80
    assert accuracy.country_rate >= 0.82


@pytest.mark.parametrize(("text", "named"), [("Kursk", True), ("Russian territory", True), ("the area", False),
                                             ("their homes", False), ("the U.N. compound", True)])
def test_only_mentions_that_name_a_place_are_cases(text: str, named: bool) -> None:
    assert names_a_place(text) is named
