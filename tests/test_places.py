"""PlaceResolver: countries, loose regions, first-level subdivisions, cities (spec section 4)."""

from __future__ import annotations

import pytest

from movegraph.extractors.places import PlaceResolver
from movegraph.schema.event import Place


@pytest.fixture(scope="module")
def places() -> PlaceResolver:
    """One resolver for the module: loading the gazetteers is the slow part."""
    return PlaceResolver()


def codes(place: Place | None) -> tuple[str | None, str | None, str | None]:
    """(country, subdivision, locality) of a resolved place."""
    assert place is not None
    return place.country, place.subdivision, place.locality


@pytest.mark.parametrize(
    ("text", "country", "qualifier"),
    [
        ("Russia", "RU", None),
        ("western Russia", "RU", "western"),
        ("Russia's far east", "RU", "far east"),
        ("eastern Russia", "RU", "eastern"),
        ("near the Ukrainian border", "UA", "near the Ukrainian border"),
        ("Taiwan", "TW", None),
        ("the United States", "US", None),
        ("the U.S.", "US", None),
        ("Burma", "MM", None),
        ("Ivory Coast", "CI", None),
        ("the Democratic Republic of the Congo", "CD", None),
        ("the Republic of Korea", "KR", None),
        ("northern Syria", "SY", "northern"),
        ("Russian territory", "RU", None),
    ],
)
def test_countries_and_loose_regions(places: PlaceResolver, text: str, country: str, qualifier: str | None) -> None:
    place = places.resolve(text)
    assert place is not None
    assert (place.country, place.subdivision, place.qualifier) == (country, None, qualifier)
    assert place.text is None and place.start is None and place.end is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia's western Kursk region", ("RU", "RU-KRS", None)),
        ("Kursk Oblast", ("RU", "RU-KRS", None)),
        ("Kursk", ("RU", "RU-KRS", "Kursk")),
        ("Primorye", ("RU", "RU-PRI", None)),
        ("the Wonsan region of North Korea", ("KP", "KP-07", None)),
        ("Kabul", ("AF", "AF-KAB", "Kabul")),
        ("Dover", ("GB", "GB-ENG", "Dover")),
        ("Banda Aceh", ("ID", "ID-AC", "Banda Aceh")),
        ("Erbil", ("IQ", "IQ-AR", "Erbil")),
        ("Irbil", ("IQ", "IQ-AR", "Erbil")),
        ("Lampedusa", ("IT", "IT-82", "Lampedusa")),
        ("Kherson", ("UA", "UA-65", "Kherson")),
        ("Kherson Oblast", ("UA", "UA-65", None)),
        ("Sicily", ("IT", "IT-82", None)),
        ("Crimea", ("UA", "UA-43", None)),
        ("Belgorod region", ("RU", "RU-BEL", None)),
        ("Moscow", ("RU", "RU-MOW", "Moscow")),
        ("the Russian capital", ("RU", "RU-MOW", "Moscow")),
        ("Naples, Italy", ("IT", "IT-72", "Naples")),
        ("Riga, Latvia", ("LV", "LV-RIX", "Riga")),
        ("Kosovo", ("RS", "RS-KM", None)),
        ("Hawaii", ("US", "US-HI", None)),
    ],
)
def test_subdivisions_and_cities(places: PlaceResolver, text: str, expected: tuple) -> None:
    assert codes(places.resolve(text)) == expected


def test_western_kursk_keeps_qualifier(places: PlaceResolver) -> None:
    place = places.resolve("Russia's western Kursk region")
    assert place is not None and place.qualifier == "western"
    assert place.subdivision_name  # the ISO name of RU-KRS


@pytest.mark.parametrize("text", ["Vladivostok", "Vladivostok, Russia"])
def test_city_gives_region_country_and_coordinates(places: PlaceResolver, text: str) -> None:
    place = places.resolve(text)
    assert codes(place) == ("RU", "RU-PRI", "Vladivostok")
    assert place is not None and place.geonames_id == 2013348
    assert place.lat == pytest.approx(43.1, abs=0.1) and place.lon == pytest.approx(131.9, abs=0.1)


def test_taipei_is_taiwan(places: PlaceResolver) -> None:
    place = places.resolve("Taipei")
    assert place is not None and place.country == "TW" and place.locality == "Taipei"


def test_washington_capital_unless_state_context(places: PlaceResolver) -> None:
    assert codes(places.resolve("Washington"))[:2] == ("US", "US-DC")
    state = places.resolve("Washington", "Soldiers left Joint Base Lewis-McChord in Washington state.")
    assert codes(state)[:2] == ("US", "US-WA")


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("Russian tanks rolled toward Tbilisi as fighting spread in the Caucasus.", ("GE", None)),
        ("The brigade returned to Fort Stewart near Savannah, in the U.S. state.", ("US", "US-GA")),
        ("", ("GE", None)),
    ],
)
def test_georgia_by_context(places: PlaceResolver, context: str, expected: tuple) -> None:
    assert codes(places.resolve("Georgia", context))[:2] == expected


def test_donbas_is_ukraine_with_qualifier(places: PlaceResolver) -> None:
    place = places.resolve("the Donbas")
    assert place is not None and (place.country, place.subdivision, place.qualifier) == ("UA", None, "Donbas")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fort Hood, Texas", ("US", "US-TX", "Fort Hood")),
        ("Joint Base Andrews, Md.", ("US", "US-MD", "Joint Base Andrews")),
        ("the capital, Lome", ("TG", "TG-M", "Lome")),
        ("the Georgian town of Gori", ("GE", "GE-SK", "Gori")),
        ("Liberia's capital, Monrovia", ("LR", "LR-MO", "Monrovia")),
        ("Pituffik Space Base in Greenland", ("GL", None, "Pituffik Space Base")),
        ("the White House", ("US", "US-DC", "Washington")),
        ("Cuba's Pinar del Rio Province", ("CU", "CU-01", None)),
    ],
)
def test_phrasings_from_training_corpus(places: PlaceResolver, text: str, expected: tuple) -> None:
    # Phrasings as in shared/data/train (public domain US government works and Wikinews).
    assert codes(places.resolve(text)) == expected


@pytest.mark.parametrize("text", ["the battlefield", "the area", "home", "there", "", "the Black Sea", "Europe"])
def test_implicit_or_non_country_places_are_none(places: PlaceResolver, text: str) -> None:
    assert places.resolve(text) is None


def test_ambiguous_city_prefers_country_named_in_context(places: PlaceResolver) -> None:
    assert codes(places.resolve("Dover"))[:2] == ("GB", "GB-ENG")  # most populous Dover
    assert codes(places.resolve("Dover", "Airmen landed at the base in Delaware, United States."))[0] == "US"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Ukrainian", "UA"), ("Pyongyang", "KP"), ("North Korean", "KP"), ("Russia's", "RU"), ("Kyiv", "UA"),
     ("Belarusian", "BY"), ("Afghans", "AF"), ("Russian Federation", "RU"), ("U.S.", "US"), ("Narnia", None)],
)
def test_country_code(places: PlaceResolver, name: str, code: str | None) -> None:
    assert places.country_code(name) == code
