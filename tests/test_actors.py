"""ActorResolver: affiliation, type and name of movers and agents (spec section 5)."""

from __future__ import annotations

import pytest

from movegraph.extractors.actors import HEAD_TYPES, ActorResolver
from movegraph.extractors.places import PlaceResolver

CONTEXT = (
    "Belarusian President Alexander Lukashenko dismissed the reports. Russian President Vladimir Putin "
    "did not deny them. U.S. spokesman John Doyle said the troops moved by ship."
)


@pytest.fixture(scope="module")
def actors() -> ActorResolver:
    """One resolver for the module, sharing one PlaceResolver."""
    return ActorResolver(PlaceResolver())


@pytest.mark.parametrize(
    ("text", "affiliation", "kind", "name"),
    [
        ("About 2,000 North Korean troops", "KP", "military", "North Korean military"),
        ("Pyongyang's soldiers", "KP", "military", "North Korean military"),
        ("the Kremlin", "RU", "government", "Russian government"),
        ("the Pentagon", "US", "military", "U.S. military"),
        ("Kyiv's forces", "UA", "military", "Ukrainian military"),
        ("Ukrainian refugees", "UA", "civilians", "Ukrainian refugees"),
        ("migrants", None, "civilians", "migrants"),
        ("the Wagner group", "wagner group", "military", "Wagner Group"),
        ("Wagner mercenaries", "wagner group", "military", "Wagner Group"),
        ("a delegation", None, "government", "delegation"),
        ("the U.S. Navy", "US", "military", "U.S. military"),
        ("USS Rafael Peralta (DDG 115)", "US", "military", "U.S. military"),
        ("Indian Air Force", "IN", "military", "Indian military"),
        ("Kenyan troops", "KE", "military", "Kenyan military"),
        ("refugees from Syria", "SY", "civilians", "Syrian refugees"),
        ("Ivorians", "CI", "civilians", "Ivorian civilians"),
        ("Hamas fighters", "hamas", "military", "Hamas"),
        ("two Russian planes", "RU", "military", "Russian military"),  # a state's aircraft are its military
        ("U.S. aircraft", "US", "military", "U.S. military"),
        ("Russian warplanes", "RU", "military", "Russian military"),
        ("More than 40 Thai border police", "TH", "military", "Thai military"),  # border forces are military
        ("Kenyan police officers", "KE", "military", "Kenyan military"),  # police too, as the annotations type them
        ("French gendarmes", "FR", "military", "French military"),
        # a unit from a state's region belongs to that state
        ("Soldiers from Michigan's 1st Battalion, 125th Infantry Regiment", "US", "military", "U.S. military"),
        ("the Illinois Army National Guard", "US", "military", "U.S. military"),
        ("troops from Kharkiv", "UA", "military", "Ukrainian military"),
        ("National Guard troops", "US", "military", "U.S. military"),  # of no named state: the US one
        ("A group of 180 Cubans", "CU", "civilians", "Cuban civilians"),  # the members say who moved
        ("between 25,000 and 28,000 Iraqis", "IQ", "civilians", "Iraqi civilians"),  # a range of numbers
        ("500 to 600 Ethiopian soldiers", "ET", "military", "Ethiopian military"),
        # a ship named after its class or type description
        ("The Expeditionary Sea Base USS Hershel “Woody” Williams (ESB 4)", "US", "military", "U.S. military"),
        ("Royal Navy warship HMS Dragon", "GB", "military", "British military"),
        # armed groups whose name holds a state's adjective are the group, not the state
        ("the U.S.-backed Syrian Democratic Forces", "syrian democratic forces", "military",
         "Syrian Democratic Forces"),
        ("forces of the Islamic Courts Union", "islamic courts union", "military", "Islamic Courts Union"),
        ("Chad's parliament", "TD", "government", "Chadian government"),  # who votes to send troops sends them
        ("six Canadian MPs", "CA", "government", "Canadian government"),
        ("The deported Colombians", "CO", "civilians", "Colombian civilians"),  # a demonym after lower-case words
        ("Fellow Indians", "IN", "civilians", "Indian civilians"),  # members of parliament, like lawmakers
        ("A Pakistani parliamentary delegation", "PK", "government", "Pakistani government"),
        ("54 Pakistani Taliban militants", "pakistani taliban", "military", "Pakistani Taliban"),  # not the Taliban
    ],
)
def test_groups(actors: ActorResolver, text: str, affiliation: str | None, kind: str, name: str) -> None:
    actor = actors.resolve(text)
    assert actor is not None
    assert (actor.affiliation, actor.type, actor.name) == (affiliation, kind, name)
    assert actor.text is None and actor.start is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("the first wave", "other"), ("the soldiers", "military"), ("they", "other"), ("hundreds of troops", "military"),
     ("the refugees", "civilians"), ("1,687 people from 58 nations", "civilians"), ("the brigade", "military")],
)
def test_no_nationality_gives_no_affiliation(actors: ActorResolver, text: str, kind: str) -> None:
    actor = actors.resolve(text)
    assert actor is not None and actor.affiliation is None and actor.type == kind


def test_mixed_nationalities_give_no_affiliation(actors: ActorResolver) -> None:
    actor = actors.resolve("Malaysian, New Zealand and Portuguese forces")
    assert actor is not None and (actor.affiliation, actor.type) == (None, "military")


@pytest.mark.parametrize(
    ("text", "affiliation", "name"),
    [
        ("President Vladimir Putin", "RU", "Vladimir Putin"),
        ("Putin", "RU", "Vladimir Putin"),
        ("Belarusian President Alexander Lukashenko", "BY", "Alexander Lukashenko"),
        ("Lukashenko", "BY", "Alexander Lukashenko"),
        ("Doyle", "US", "John Doyle"),
        ("Afghan President Hamid Karzai", "AF", "Hamid Karzai"),
        ("President Hu Jintao of the People's Republic of China", "CN", "Hu Jintao"),  # the first "of" a country
        ("King Abdullah II of Jordan", "JO", "Abdullah II"),
    ],
)
def test_people(actors: ActorResolver, text: str, affiliation: str, name: str) -> None:
    actor = actors.resolve(text, CONTEXT)
    assert actor is not None
    assert (actor.affiliation, actor.type, actor.name) == (affiliation, "person", name)
    assert actor.key == f"person:{name.lower()}"


@pytest.mark.parametrize(
    ("text", "affiliation", "name"),
    [
        ("The Deputy Secretary of Defense Bob Work", "US", "Bob Work"),  # DoD release, 2014
        ("Secretary of War Pete Hegseth", "US", "Pete Hegseth"),
        ("Secretary of the Navy Ray Mabus", "US", "Ray Mabus"),
        ("Polish Minister of National Defense Tomasz Siemoniak", "PL", "Tomasz Siemoniak"),
    ],
)
def test_an_office_named_with_of_is_a_title(actors: ActorResolver, text: str, affiliation: str, name: str) -> None:
    """"Secretary of Defense" is one title: read as "Secretary" it left "of Defense Bob Work" as the name."""
    actor = actors.resolve(text)
    assert actor is not None and (actor.affiliation, actor.type, actor.name) == (affiliation, "person", name)


@pytest.mark.parametrize(("text", "context"), [
    ("President Trump and President Mattarella", ""),  # two people: each conjunct is its own mover
    ("State", "The President will host Hu Jintao at the White House for an official State visit."),
])
def test_not_one_person(actors: ActorResolver, text: str, context: str) -> None:
    """Neither two titled names joined by "and" nor a word after "an official" is one person's name."""
    actor = actors.resolve(text, context)
    assert actor is None or actor.type != "person"


def test_a_name_after_official_is_still_a_person(actors: ActorResolver) -> None:
    actor = actors.resolve("Kirby", "said Pentagon official Kirby on Monday.")
    assert actor is not None and (actor.type, actor.name) == ("person", "Kirby")


@pytest.mark.parametrize(("text", "name"), [
    ("Airman Kyle Williams", "Kyle Williams"),  # was the group "airman"
    ("Senior Airman Kyle Williams", "Kyle Williams"),
    ("Pfc. John Doe", "John Doe"),  # was no one
    ("Petty Officer 2nd Class Jane Roe", "Jane Roe"),
    ("Secretary General Ban Ki-moon", "Ban Ki-moon"),  # was "General Ban Ki-moon"
])
def test_ranks_and_offices_are_no_part_of_the_name(actors: ActorResolver, text: str, name: str) -> None:
    actor = actors.resolve(text)
    assert actor is not None and (actor.type, actor.name) == ("person", name)


def test_person_affiliation_from_title_words_not_a_table(actors: ActorResolver) -> None:
    context = "Kenyan Defence Minister Aden Duale flew to Mogadishu on Monday."
    actor = actors.resolve("Aden Duale", context)
    assert actor is not None and (actor.affiliation, actor.type, actor.name) == ("KE", "person", "Aden Duale")


def test_titled_person_without_country_has_no_affiliation(actors: ActorResolver) -> None:
    # DVIDS (public domain): "said Col. Anthony Keller commander of the 1st Stryker Brigade"
    actor = actors.resolve("Col. Anthony Keller")
    assert actor is not None and (actor.affiliation, actor.type, actor.name) == (None, "person", "Anthony Keller")


def test_bare_country_is_its_government(actors: ActorResolver) -> None:
    actor = actors.resolve("North Korea")
    assert actor is not None and (actor.affiliation, actor.type) == ("KP", "government")


@pytest.mark.parametrize("text", ["the battlefield", "weapons", "", "$2,000 per month",
                                  "the plane", "a Turkish Airlines plane", "a chartered Russian passenger plane",
                                  "INS agents"])  # a ship prefix needs a name after it
def test_non_actors_are_none(actors: ActorResolver, text: str) -> None:
    assert actors.resolve(text) is None


@pytest.mark.parametrize(
    ("noun", "kind"),
    [("troops", "military"), ("refugees", "civilians"), ("delegation", "government"), ("migrants", "civilians"),
     ("mercenaries", "military"), ("companies", "organization"), ("Troops", "military"), ("table", None)],
)
def test_actor_type(actors: ActorResolver, noun: str, kind: str | None) -> None:
    assert actors.actor_type(noun) == kind


def test_head_noun_table_uses_only_schema_types() -> None:
    assert set(HEAD_TYPES.values()) <= {"military", "government", "person", "civilians", "organization", "other"}


@pytest.mark.parametrize(
    ("text", "role"),
    [("The Austrian chancellor", ("AT", "chancellor")), ("the president", (None, "president")),
     ("the U.S. defense secretary", ("US", "defense secretary")), ("the soldiers", None), ("the official", None)],
)
def test_role_mentions(actors: ActorResolver, text: str, role: tuple | None) -> None:
    assert actors.role(text) == role


@pytest.mark.parametrize(
    ("text", "role"),
    [("Austrian Chancellor Karl Weber", ("AT", "chancellor")),
     ("Finnish President Alexander Stubb", ("FI", "president")),
     ("Mr. Stubb", None), ("Karl Weber", None)],
)
def test_title_of_named_mentions(actors: ActorResolver, text: str, role: tuple | None) -> None:
    assert actors.title_of(text) == role


@pytest.mark.parametrize(
    ("text", "affiliation", "kind"),
    [("the Kremlin", "RU", "government"), ("the Pentagon", "US", "military"),
     ("Pyongyang's soldiers", "KP", "military"), ("Kyiv's forces", "UA", "military"),
     ("Moscow's troops", "RU", "military"), ("Wagner Group fighters", "wagner group", "military"),
     ("Ukrainian evacuees", "UA", "civilians"), ("Turkish officials", "TR", "government"),
     ("a Japanese delegation", "JP", "government"), ("U.S. Marines", "US", "military"),
     ("the Russian fleet", "RU", "military"), ("Syrian residents", "SY", "civilians")],
)
def test_affiliation_from_metonyms_and_type_from_head_noun(actors: ActorResolver, text: str, affiliation: str,
                                                           kind: str) -> None:
    actor = actors.resolve(text)
    assert actor is not None and (actor.affiliation, actor.type) == (affiliation, kind)


@pytest.mark.parametrize(
    ("text", "affiliation"),
    [("nearly 200 people from 14 countries across the Red Sea from Port Sudan", None),
     ("refugees from Syria", "SY"), ("Ukrainian refugees from Kharkiv", "UA"), ("troops in Kursk", None)],
)
def test_nationality_only_from_the_mention_or_its_from_phrase(actors: ActorResolver, text: str,
                                                               affiliation: str | None) -> None:
    actor = actors.resolve(text)
    assert actor is not None and actor.affiliation == affiliation


def test_named_leader_of_a_group_is_a_person_of_that_group(actors: ActorResolver) -> None:
    person = actors.resolve("Wagner Group leader Yevgeny Prigozhin")
    assert person is not None
    assert (person.affiliation, person.type, person.name) == ("wagner group", "person", "Yevgeny Prigozhin")
    assert actors.title_of("Wagner Group leader Yevgeny Prigozhin") == ("wagner group", "leader")
    assert actors.role("the Wagner chief") == ("wagner group", "leader")  # chief, head, boss: the same role


def test_counted_demonym_is_people_not_a_state(actors: ActorResolver) -> None:
    people = actors.resolve("40,000 Sudanese")
    assert people is not None and (people.affiliation, people.type) == ("SD", "civilians")
    state = actors.resolve("Sudanese")
    assert state is not None and state.type == "government"
    for text, country in (("large numbers of Congolese", "CD"), ("tens of thousands of Afghans", "AF")):
        counted = actors.resolve(text)
        assert counted is not None and (counted.affiliation, counted.type) == (country, "civilians"), text
    soldiers = actors.resolve("hundreds of Russian soldiers")
    assert soldiers is not None and (soldiers.affiliation, soldiers.type) == ("RU", "military")


@pytest.mark.parametrize(("text", "affiliation"), [
    ("some 8,000 Ethiopian Jews", "ET"), ("492 Sri Lankan Tamils", "LK"), ("Nearly 700 foreigners", None),
    ("more than 740,000 Rohingya", None), ("two Kenyan activists", "KE"), ("the caravan", None),
    ("the Syrian family", "SY"),
])
def test_communities_and_travellers_are_civilians(actors: ActorResolver, text: str, affiliation: str | None) -> None:
    people = actors.resolve(text)
    assert people is not None and (people.affiliation, people.type) == (affiliation, "civilians")


@pytest.mark.parametrize(("text", "affiliation"), [
    ("Three People's Liberation Army-Navy ships", "CN"), ("IDF soldiers", "IL"), ("Royal Navy sailors", "GB"),
])
def test_a_named_service_gives_its_ships_and_soldiers_a_state(actors: ActorResolver, text: str,
                                                              affiliation: str) -> None:
    forces = actors.resolve(text)
    assert forces is not None and (forces.affiliation, forces.type) == (affiliation, "military")


def test_a_service_named_beside_an_official_keys_no_state(actors: ActorResolver) -> None:
    official = actors.resolve("a senior Pentagon official")
    assert official is not None and official.type == "government" and official.affiliation is None


@pytest.mark.parametrize(
    ("text", "country"),
    [("House Speaker Nancy Pelosi", "US"), ("Secretary of State Condoleezza Rice", "US"),
     ("Defence Secretary John Healey", None),  # the British spelling names no country by itself
     ("Pope Leo XIV", "VA")],  # the Holy See's, whatever the pope's own nationality
)
def test_offices_of_one_country_give_their_holder_its_affiliation(actors: ActorResolver, text: str,
                                                                  country: str | None) -> None:
    person = actors.resolve(text)
    assert person is not None and person.type == "person" and person.affiliation == country


@pytest.mark.parametrize("text, expected", [
    ("French and Malian troops", [("FR", "military"), ("ML", "military")]),
    ("About 800 Rwandan, Burundian and Chadian troops", [("RW", "military"), ("BI", "military"), ("TD", "military")]),
    ("Estonian and NATO troops", [("EE", "military"), ("nato", "military")]),
    ("French and French troops", []),  # one state listed twice: not a list of contributors
    ("men and women refugees", []),  # no nationalities
    ("French troops", []),  # nothing listed
    ("thousands of Romanian and Bulgarian Roma", [("RO", "civilians"), ("BG", "civilians")]),  # a capitalised head
])
def test_listed_nationalities_give_one_actor_each(actors: ActorResolver, text: str,
                                                  expected: list[tuple[str, str]]) -> None:
    assert [(a.affiliation, a.type) for a in actors.split_nationalities(text)] == expected


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("Arroyo", "Visit of Philippine President Gloria Macapagal-Arroyo\nThe President will receive President Arroyo.",
     "PH"),
    ("Sergio Mattarella", "Trump will welcome President Sergio Mattarella of the Italian Republic on October 16.",
     "IT"),
    ("Hu Jintao", "The President will host Hu Jintao, President of the People’s Republic of China, on January 19.",
     "CN"),
    # a country ending one line is not the nationality of a title opening the next
    ("Reagan", "the President's Visits to the Philippines, Indonesia, and Thailand\nPresident Reagan regrets.", None),
])
def test_the_state_an_article_ties_a_person_to(actors: ActorResolver, name: str, text: str,
                                               expected: str | None) -> None:
    assert actors.stated_affiliation(name, text) == expected


@pytest.mark.parametrize(("headline", "expected"), [
    ("Statement on the visit of Philippine President Gloria Macapagal-Arroyo to the White House",
     [("Gloria Macapagal-Arroyo", "PH")]),
    ("Press Call on President Biden’s Upcoming Meeting with President López Obrador of Mexico",
     [("López Obrador", None)]),  # headline case is cut at "of" and at a possessive
    ("PM Kishida to travel to UK on first overseas trip", []),  # a surname alone completes nothing
    ("Secretary Clinton Departs for Middle East, Europe", []),  # a headline verb is no part of the name
    ("Defense Secretary Leon Panetta Arrives in Kabul", [("Leon Panetta", "US")]),
])
def test_the_people_a_headline_names_with_a_title(actors: ActorResolver, headline: str,
                                                  expected: list[tuple[str, str | None]]) -> None:
    assert [(a.name, a.affiliation) for a in actors.titled_people(headline)] == expected


def test_a_state_near_a_title_is_no_person(actors: ActorResolver) -> None:
    actor = actors.resolve("Russia", context="The president asked Russia to send troops to Osh.")
    assert actor is not None and (actor.affiliation, actor.type) == ("RU", "government")


def test_ethnic_groups_are_not_the_demonyms_state(actors: ActorResolver) -> None:
    assert actors.resolve("ethnic Uzbeks") is None  # citizens of Kyrgyzstan in the story, not of Uzbekistan


def test_bosnian_serbs_and_croats_are_bosnia_s(actors: ActorResolver) -> None:
    assert actors.nationality("Bosnian Serb separatist leader") == "BA"
    assert actors.nationality("Bosnian Croat") == "BA"
    assert actors.nationality("Serb") == "RS"


def test_a_country_and_a_plural_title_give_every_listed_name_its_state(actors: ActorResolver) -> None:
    text = "Russian officials Ivan Petrov, Sergei Ivanov and Oleg Sidorov flew to Minsk."
    assert [actors.stated_affiliation(n, text) for n in ("Ivan Petrov", "Sergei Ivanov", "Oleg Sidorov")] == [
        "RU"] * 3
    text = "U.S. President Joe Biden and French President Emmanuel Macron traveled to Kyiv."
    assert [actors.stated_affiliation(n, text) for n in ("Joe Biden", "Emmanuel Macron")] == ["US", "FR"]
    assert actors.stated_affiliation("Oleg Sidorov", "Russian officials met Oleg Sidorov in Minsk.") is None


def test_the_body_before_a_name_is_a_state_or_a_non_state_body(actors: ActorResolver) -> None:
    assert actors.body("V-O-A's ") == "voa"
    assert actors.body("Ukrainian refugee ") == "UA"
    assert actors.body("the tired ") is None


def test_a_title_of_a_national_body_after_the_name_gives_its_state(actors: ActorResolver) -> None:
    text = "Adm. Cecil Haney, commander of U.S. Pacific Fleet, said the visit mattered."
    assert actors.stated_affiliation("Cecil Haney", text) == "US"
    assert actors.stated_affiliation("John Smith", "John Smith, director of Human Rights Watch, spoke.") is None


def test_a_group_from_listed_states_splits_into_one_per_state(actors: ActorResolver) -> None:
    split = actors.split_nationalities("Troops from Ghana, Ivory Coast, Nigeria, and Sierra Leone")
    assert [a.affiliation for a in split] == ["GH", "CI", "NG", "SL"]
    assert actors.split_nationalities("Refugees from Syria") == []
