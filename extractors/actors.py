"""Actor resolver: an actor mention -> `Actor` (affiliation, type, name), spec section 5.

Affiliation comes from nationality words in the mention (demonyms, country names, a capital
used as a possessive: "Pyongyang's soldiers"), ship prefixes ("USS"), named services ("Indian
Air Force"), seats of power ("the Kremlin") and a table of non-state groups. The type comes from
the head noun (HEAD_TYPES below). Named people get their fullest name from the context and
their country from the title words before the name ("Belarusian President Alexander Lukashenko").

Decisions: "the Pentagon" is the US *military* (it is the defence ministry and sends troops);
"the Kremlin" and "the White House" are governments; a bare country or capital as the actor
("North Korea sent ...", "Kyiv said") is that country's government (the extractor may re-type an
invading country as military). Several nationalities in one mention give no affiliation.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from movegraph.extractors import geo_data as gd
from movegraph.extractors.places import PlaceResolver, key
from movegraph.schema.event import Actor

log = logging.getLogger(__name__)

# Head nouns -> actor type. Plural and singular; multi-word heads are matched first.
HEAD_TYPES: dict[str, str] = {
    # military: state armed forces and armed groups, their units and vessels
    **dict.fromkeys((
        "troops", "troop", "soldiers", "soldier", "forces", "force", "army", "armies", "military",
        "militaries", "officers", "officer", "units", "unit", "battalion", "battalions", "brigade",
        "brigades", "division", "divisions", "regiment", "regiments", "platoon", "platoons",
        "squadron", "squadrons", "fleet", "fleets", "navy", "navies", "air force", "marines",
        "marine", "sailors", "sailor", "airmen", "airman", "paratroopers", "commandos", "infantry",
        "infantrymen", "mercenaries", "mercenary", "fighters", "militants", "militia", "militias",
        "militiamen", "rebels", "insurgents", "guerrillas", "jihadists", "peacekeepers",
        "peacekeeping force", "contingent", "contingents", "detachment", "warship", "warships",
        "destroyer", "destroyers", "frigate", "frigates", "carrier", "aircraft carrier", "submarine",
        "submarines", "cruiser", "corvette", "vessel", "vessels", "ship", "ships", "bombers",
        "fighter jets", "jets", "helicopters", "warplanes", "warplane", "fighter planes", "tanks", "convoy",
        "guardsmen", "national guard",
        "coast guard", "special forces", "reservists", "recruits", "conscripts", "servicemen",
        "service members", "servicemembers", "military personnel", "task force", "strike group",
        "reinforcements", "combat team", "corps", "personnel", "cadets", "gunmen", "raiders",
        "border police", "border guards", "border guard", "gendarmes", "gendarmerie", "paramilitaries",
        "police", "policemen", "police officers", "riot police", "police units",  # armed state forces (gold types)
    ), "military"),
    # government: officials and their missions
    **dict.fromkeys((
        "officials", "official", "delegation", "delegations", "delegates", "diplomats", "diplomat",
        "ministers", "minister", "envoy", "envoys", "ambassador", "ambassadors", "government",
        "administration", "cabinet", "leaders", "lawmakers", "senators", "legislators",
        "negotiators", "inspectors", "authorities", "embassy staff", "mission", "regime",
        "congressional delegation", "parliamentarians", "monitors", "observers", "mps", "members of parliament",
        "congressmen", "parliamentary delegation",
        "heads of state", "heads of government", "parliament", "legislature",
    ), "government"),
    # civilians: people moving on their own account
    **dict.fromkeys((
        "refugees", "refugee", "migrants", "migrant", "asylum seekers", "asylum-seekers", "residents",
        "civilians", "civilian", "evacuees", "people", "family", "families", "children", "women", "villagers",
        "displaced", "displaced people", "returnees", "immigrants", "emigrants", "deportees",
        "tourists", "pilgrims", "students", "nationals", "citizens", "passengers", "survivors",
        "inhabitants", "exiles", "defectors", "protesters", "crowds", "workers", "migrant workers",
        "expatriates", "expats", "settlers", "farmers", "fishermen", "orphans", "patients",
        "foreigners", "activists", "victims", "caravan", "caravans",
        # communities named by faith or people rather than by state ("Ethiopian Jews", "Sri Lankan Tamils")
        "jews", "muslims", "christians", "tamils", "kurds", "yazidis", "uyghurs", "uighurs", "rohingya", "roma",
        "hazaras",
    ), "civilians"),
    # organization: companies, agencies, aid groups
    **dict.fromkeys((
        "company", "companies", "firm", "firms", "contractors", "ngo", "ngos", "agency", "agencies",
        "aid workers", "aid groups", "charity", "charities", "relief workers", "journalists",
        "reporters", "volunteers", "doctors", "medics", "team", "teams",
    ), "organization"),
    # other: movers the spec does not type further
    **dict.fromkeys((
        "prisoners", "detainees", "hostages", "crew",
        "crews", "wave", "waves", "group", "groups", "batch", "others", "men",
    ), "other"),
}
PRONOUNS: dict[str, str] = {"they": "other", "them": "other", "we": "other", "us": "other",
                            "he": "person", "she": "person", "him": "person", "her": "person", "it": "other",
                            }

# Non-state groups: alias -> (canonical lower-case affiliation, default type).
ORGS: dict[str, tuple[str, str]] = {
    "wagner": ("wagner group", "military"), "wagner group": ("wagner group", "military"),
    "hamas": ("hamas", "military"), "hezbollah": ("hezbollah", "military"),
    "islamic state": ("islamic state", "military"), "isis": ("islamic state", "military"),
    "isil": ("islamic state", "military"), "daesh": ("islamic state", "military"),
    "al-shabab": ("al-shabab", "military"), "al-shabaab": ("al-shabab", "military"),
    "al shabab": ("al-shabab", "military"), "taliban": ("taliban", "military"),
    "pakistani taliban": ("pakistani taliban", "military"), "ttp": ("pakistani taliban", "military"),
    "tehrik-i-taliban pakistan": ("pakistani taliban", "military"),
    "tehreek-e-taliban": ("pakistani taliban", "military"),
    "boko haram": ("boko haram", "military"), "houthis": ("houthis", "military"),
    "houthi": ("houthis", "military"), "al-qaida": ("al-qaida", "military"),
    "al-qaeda": ("al-qaida", "military"), "al qaeda": ("al-qaida", "military"),
    "farc": ("farc", "military"), "pkk": ("pkk", "military"), "m23": ("m23", "military"),
    "rapid support forces": ("rapid support forces", "military"), "rsf": ("rapid support forces", "military"),
    "nato": ("nato", "military"), "united nations": ("united nations", "organization"),
    "u.n.": ("united nations", "organization"), "un": ("united nations", "organization"),
    "unhcr": ("unhcr", "organization"), "european union": ("european union", "government"),
    "eu": ("european union", "government"), "african union": ("african union", "military"),
    "red cross": ("red cross", "organization"), "icrc": ("red cross", "organization"),
    "doctors without borders": ("doctors without borders", "organization"),
    "msf": ("doctors without borders", "organization"), "iom": ("iom", "organization"),
    "voa": ("voa", "organization"), "v-o-a": ("voa", "organization"), "voice of america": ("voa", "organization"),
    # armed groups whose names hold a state's adjective or none (found in the training split's movers)
    "syrian democratic forces": ("syrian democratic forces", "military"),
    "sdf": ("syrian democratic forces", "military"), "ypg": ("ypg", "military"),
    "seleka": ("seleka", "military"), "ufdd": ("ufdd", "military"), "lurd": ("lurd", "military"),
    "islamic courts union": ("islamic courts union", "military"),
    "islamic courts": ("islamic courts union", "military"),
    "ecowas": ("ecowas", "military"), "interahamwe": ("interahamwe", "military"),
    "southern transitional council": ("southern transitional council", "military"),
    "tigray defense forces": ("tigray defense forces", "military"),
    "revolutionary united front": ("revolutionary united front", "military"),
    "los choneros": ("los choneros", "military"),
}
# Named services and seats of power: alias -> (country, type).
INSTITUTIONS: dict[str, tuple[str, str]] = {
    "kremlin": ("RU", "government"), "white house": ("US", "government"),
    "pentagon": ("US", "military"), "state department": ("US", "government"),
    "downing street": ("GB", "government"), "royal navy": ("GB", "military"),
    "royal air force": ("GB", "military"), "raf": ("GB", "military"),
    "people's liberation army": ("CN", "military"), "pla": ("CN", "military"),
    "idf": ("IL", "military"), "israel defense forces": ("IL", "military"),
    "bundeswehr": ("DE", "military"), "red army": ("RU", "military"),
    "irgc": ("IR", "military"), "revolutionary guards": ("IR", "military"),
    "korean people's army": ("KP", "military"), "kpa": ("KP", "military"),
    "jmsdf": ("JP", "military"), "japan maritime self-defense force": ("JP", "military"),
    "jgsdf": ("JP", "military"), "japan ground self-defense force": ("JP", "military"),
    "jasdf": ("JP", "military"), "japan air self-defense force": ("JP", "military"),
}
SHIP_PREFIXES: dict[str, str] = {"uss": "US", "usns": "US", "uscgc": "US", "hms": "GB", "hmas": "AU",
                                 "hmcs": "CA", "hmnzs": "NZ", "ins": "IN", "roks": "KR", "js": "JP",
                                 "fgs": "DE", "its": "IT", "tcg": "TR", "hnlms": "NL", "bns": "BD"}
# Prefixes of civilian ships' names ("MV Hondius"): a vessel of no navy, whatever the tagger takes it for
CIVILIAN_SHIP_PREFIXES: frozenset[str] = frozenset({"MV", "M/V", "RMS", "MT"})
# Title words before a person's name; lower-case ones also mark a name ("lawmaker Park Sun-won").
TITLES: tuple[str, ...] = (
    "president", "vice president", "prime minister", "deputy prime minister", "foreign minister",
    "defense minister", "defence minister", "minister", "secretary of state", "defense secretary",
    "defence secretary", "secretary", "house speaker", "speaker", "chancellor", "king", "queen", "prince", "princess",
    "pope",
    "emperor", "sheikh", "leader", "supreme leader", "ambassador", "envoy", "general", "gen.",
    "lt. gen.", "maj. gen.", "brig. gen.", "admiral", "adm.", "vice adm.", "rear adm.", "col.",
    "colonel", "lt. col.", "lt.", "maj.", "major", "capt.", "captain", "sgt.", "commander", "cmdr.",
    "mr.", "mrs.", "ms.", "dr.", "spokesman", "spokeswoman", "spokesperson", "lawmaker", "senator",
    "sen.", "rep.", "governor", "gov.", "mayor", "chairman", "director", "chief", "commissioner",
    "foreign secretary", "home secretary", "national security adviser", "coordinator", "premier",
    "crown prince", "field marshal", "marshal", "diplomat", "official", "first lady", "warlord",
    "secretary general", "secretary-general", "under secretary", "assistant secretary",
    # ranks before a service member's name ("Airman Kyle Williams" was the group "airman", "Pfc. John Doe" no one)
    "pvt.", "pfc.", "spc.", "cpl.", "lance cpl.", "staff sgt.", "sgt. 1st class", "master sgt.", "1st sgt.",
    "sgt. maj.", "command sgt. maj.", "tech. sgt.", "senior master sgt.", "chief master sgt.", "airman",
    "airman 1st class", "senior airman", "seaman", "petty officer", "petty officer 1st class",
    "petty officer 2nd class", "petty officer 3rd class", "chief petty officer", "senior chief petty officer",
    "master chief petty officer", "warrant officer", "chief warrant officer", "2nd lt.", "1st lt.", "lt. cmdr.",
    "ens.", "brig.",
    # offices named with "of" ("Deputy Secretary of Defense Bob Work"): "Secretary" alone took "of Defense Bob
    # Work" for a name, and the mention named no one
    *(f"{rank} of {office}" for rank in ("secretary", "deputy secretary", "minister", "deputy minister")
      for office in ("defense", "defence", "war", "the navy", "the army", "the air force", "homeland security",
                     "the treasury", "the interior", "national defense", "national defence", "foreign affairs")),
)
_CACHE_SIZE = 20_000  # resolved mentions kept (cleared when full; a few MB)
UN = "united nations"
_PEACEKEEPERS_RE = re.compile(r"\bpeacekeep", re.IGNORECASE)
_NAMES_UN_RE = re.compile(r"\bU\.?N\b|United Nations")
_COUNT_RE = re.compile(r"\d|\b(?:dozens?|hundreds?|thousands?|millions?|tens)\b", re.IGNORECASE)
_QUANTITY_RE = re.compile(
    r"^(?:(?:about|around|some|nearly|almost|approximately|roughly|up to|at least|more than|over|"
    r"fewer than|less than|an estimated|a further|another|an additional|additional|the|these|those|"
    r"this|that|its|their|his|her|our|a|an|all|many|several|dozens|hundreds|thousands|tens|"
    r"of|[\d,.]+|million|first|second|third|last|new|more|other|remaining)\s+)+",
    re.IGNORECASE,
)
_NAME_TOKEN = r"[A-Z][\w'\-.]*"
_DESCRIBED_DEMONYM = re.compile(r"(?P<words>[A-Za-z][a-z\-]*\s+(?:[a-z][\w\-]*\s+)*)(?P<demonym>[A-Z][\w\-]*s)")
# "Assistant to the President Michael K. Deaver": a title after "to the" is part of another office
_OFFICE_OF = re.compile(r"\b(?:to|of|for)\s+the\s+$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\n+|(?<=[a-z][.!?])\s+")
# "between 25,000 and 28,000 Iraqis", "500 to 600 soldiers": a range counts the same group as its low end.
_NUMBER_RANGE = re.compile(r"\b(?:between\s+)?(?P<low>\d[\d,.]*)\s*(?:and|to|or|-|–)\s*\d[\d,.]*\b", re.IGNORECASE)


_LISTED_NATIONALITIES = re.compile(
    r"^(?i:(?:the|some|about|around|nearly|more than|\d[\d,.]*|hundreds of|thousands of)\s+)*"
    r"(?P<list>[A-Z][\w'.-]*(?:\s*,\s*[A-Z][\w'.-]*)*,?\s+and\s+[A-Z][\w'.-]*)\s+(?P<head>[A-Za-z][\w' -]*)$")
_LISTED_NAME = r"(?:the\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}"
# "Troops from Ghana, Nigeria and Senegal", "delegations from France, Germany and Italy": one group per state
_LISTED_ORIGINS = re.compile(
    rf"^(?P<head>.+?)\s+from\s+(?P<list>{_LISTED_NAME}(?:\s*,\s*{_LISTED_NAME})*,?\s+and\s+{_LISTED_NAME})$")


# "a group of 180 Cubans", "two busloads of the migrants": a collective noun before who it holds.
# "large numbers of Congolese", "tens of thousands of Afghans": the people after "of" say who moved
_COUNTED_OF = re.compile(r"^.*?\b(?:numbers?|hundreds|thousands|millions|dozens|scores)\s+of\s+(?P<rest>.+)$",
                         re.IGNORECASE)
_COLLECTIVE_OF = re.compile(r"^.*?\b(?:group|groups|wave|waves|batch|busloads?|boatloads?)\s+of\s+(?P<rest>.+)$",
                            re.IGNORECASE)
# Aircraft that are a state's military when the phrase names the state ("two Russian planes").
NATIONAL_AIRCRAFT: frozenset[str] = frozenset({"plane", "planes", "aircraft", "airplanes", "helicopter", "jet"})
CIVIL_AIRCRAFT = re.compile(r"\b(?:air\s?lines?|airways|charter|commercial|civilian|passenger|cargo|private)\b",
                            re.IGNORECASE)

# Publishers that are a state's own government or armed forces: the people their releases name act for it.
_US_GOVERNMENT_SOURCE = re.compile(
    r"^(?:The White House|U\.S\.|US |DoD News|DVIDS|(?:\w+ )?National Guard|Joint Task Force|"
    r"Commander, Navy Region|Ronald Reagan Presidential Library)|\.mil\b")


def publisher_country(source: str | None) -> str | None:
    """The state whose government published the article ("U.S. Department of State" -> "US"), else None."""
    return "US" if source and _US_GOVERNMENT_SOURCE.search(source) else None


# Releases of a state's civilian offices; its other government sources are commands and services (armed forces).
_CIVILIAN_PUBLISHER = re.compile(r"White House|Department of State|Embassy|Consulate|Presidential Library|"
                                 r"^U\.S\. Department of Defense")


def publisher_actor(source: str | None) -> Actor | None:
    """Who "we" are in a government release: the publishing state's government (the White House, the State
    Department, an embassy, the Department of Defense) or its armed forces (a command, a service, DVIDS)."""
    country = publisher_country(source)
    if country is None or source is None:
        return None
    if _CIVILIAN_PUBLISHER.search(source):
        return state_government(country)
    return state_military(country)


def state_military(country: str) -> Actor:
    """A state's armed forces as an actor ("SY" -> the Syrian military)."""
    return Actor(affiliation=country, type="military", name=f"{gd.ADJECTIVE.get(country, country)} military")


def state_government(country: str) -> Actor:
    """A state's government as an actor ("US" -> the U.S. government)."""
    return Actor(affiliation=country, type="government", name=f"{gd.ADJECTIVE.get(country, country)} government")


def _plural_demonym(k: str) -> bool:
    """Whether a look-up key is a demonym's plural ("ivorians", "iraqis"): people, not their state."""
    return k.endswith("s") and (k[:-1] in gd.DEMONYMS or k[:-2] in gd.DEMONYMS)


def _civilians_of(cc: str) -> Actor:
    """The civilians of a state ("Ivorians", "40,000 Sudanese")."""
    return Actor(affiliation=cc, type="civilians", name=f"{gd.ADJECTIVE.get(cc, cc)} civilians")


def _ascii(text: str) -> str:
    """Lower-case ASCII form for table look-ups."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_UNSEEN = object()


class ActorResolver:
    """Resolves actor mentions to (affiliation, type, name); knows nothing of coreference."""

    def __init__(self, places: PlaceResolver | None = None) -> None:
        """Share a PlaceResolver (its country table) or build one."""
        self._places = places or PlaceResolver()
        self._cache: dict[tuple[str, str], Actor | None] = {}

    def actor_type(self, head_noun: str) -> str | None:
        """Head noun -> actor type ("troops" -> "military"); None if the noun names no actor."""
        k = _ascii(head_noun).strip()
        if k in HEAD_TYPES:
            return HEAD_TYPES[k]
        if k in PRONOUNS:
            return PRONOUNS[k]
        return None

    def resolve(self, text: str, context: str = "") -> Actor | None:
        """An actor mention -> Actor(affiliation, type, name); None if the text names no actor.

        Pure in (text, context), so answers are kept: an article asks about the same mentions
        several times (coreference passes), and the name patterns are costly to build.
        """
        cache_key = (text, context)
        known = self._cache.get(cache_key, _UNSEEN)  # one look-up: another thread may clear the cache meanwhile
        if known is not _UNSEEN:
            return known  # type: ignore[return-value]
        actor = self._resolve(text, context)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[cache_key] = actor
        return actor

    def _resolve(self, text: str, context: str) -> Actor | None:
        if not text or not text.strip():
            return None
        clean = _NUMBER_RANGE.sub(r"\g<low>", " ".join(text.replace("’", "'").split()).strip(" ,.;:\"()"))
        k = _ascii(clean)
        if k in PRONOUNS:
            return Actor(affiliation=None, type=PRONOUNS[k])  # type: ignore[arg-type]
        for resolver in (self._institution, self._ship, self._titled_org_member, self._org, self._person,
                         self._group, self._state):
            actor = resolver(clean, context)
            if actor is not None:
                return actor
        counted = _COUNTED_OF.match(clean)
        return self._counted_people(counted.group("rest"), context) if counted else None

    def _counted_people(self, text: str, context: str) -> Actor | None:
        """The people after "thousands of": "Congolese" there are civilians, not the Congolese government."""
        actor = self.resolve(text, context)
        if actor is not None and actor.type == "government" and key(text) in gd.DEMONYMS and actor.affiliation:
            return _civilians_of(actor.affiliation)
        return actor

    def split_nationalities(self, text: str) -> list[Actor]:
        """"French and Malian troops", "troops from Ghana, Nigeria and Senegal" -> one actor per listed
        nationality or state (spec: where the text lists the contributing states, one event per state); []
        unless every listed word resolves to its own state."""
        clean = " ".join(text.replace("’", "'").split()).strip(" ,.;:\"()")
        m = _LISTED_NATIONALITIES.match(clean)
        found = m or _LISTED_ORIGINS.match(clean)
        if found is None:
            return []
        words = [w for w in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", found.group("list")) if w]
        actors = ([self.resolve(f"{word} {found.group('head')}") for word in words] if m
                  else [self.resolve(f"{found.group('head')} from {word}") for word in words])
        if any(a is None or not a.affiliation for a in actors):
            return []
        if len({a.affiliation for a in actors if a is not None}) != len(actors):
            return []
        return [a for a in actors if a is not None]

    def role(self, text: str) -> tuple[str | None, str] | None:
        """A person named by role only: "the Austrian chancellor" -> ("AT", "chancellor"); else None.

        The extractor resolves it to the person the article named with that title earlier.
        """
        clean = " ".join(text.replace("’", "'").split()).strip(" ,.;:\"()")
        m = re.match(rf"^(?:the|a|an)?\s*(?P<pre>(?:[A-Z][\w.\-']*\s+){{0,2}}?)(?P<title>{_titles_re()})$",
                     clean, re.IGNORECASE)
        if not m or m.group("title").lower().rstrip(".") in _NOT_ROLES:
            return None
        pre = m.group("pre").strip()
        affiliation = (self._nationality(pre) or self._org_named(pre)) if pre else None
        if pre and affiliation is None:
            return None  # "the Defense Secretary" parsed oddly, or an unknown qualifier: no guess
        return affiliation, _role_word(m.group("title"))

    def title_of(self, text: str, before: str = "") -> tuple[str | None, str] | None:
        """The role a named mention gives its person: "Austrian Chancellor Karl Weber" -> ("AT", "chancellor");
        `before` is the sentence's text before the mention ("Assistant to " + "the President Michael K. Deaver"
        names another office)."""
        clean = " ".join(text.replace("’", "'").split())
        m = re.match(rf"^(?P<pre>.*?)\b(?P<title>{_titles_re()})\s+{_NAME_TOKEN}", clean, re.IGNORECASE)
        if not m or m.group("title").lower().rstrip(".") in _NOT_ROLES or _OFFICE_OF.search(f"{before}{m['pre']}"):
            return None
        return self._nationality(m.group("pre")) or self._org_named(m.group("pre")), _role_word(m.group("title"))

    # ---------------------------------------------------------------- kinds of mention

    def _institution(self, text: str, context: str) -> Actor | None:
        """"the Kremlin", "the Pentagon", "the Royal Navy", "the PLA"."""
        k = key(text)
        if k in INSTITUTIONS:
            cc, kind = INSTITUTIONS[k]
            return Actor(affiliation=cc, type=kind, name=self._label(cc, kind))  # type: ignore[arg-type]
        return None

    @staticmethod
    def _institution_named(text: str) -> str | None:
        """The country of a named service inside a group phrase ("People's Liberation Army-Navy ships",
        "IDF soldiers"); None if none or several are named. Only for military groups: "a Pentagon official"
        stays unkeyed, as a plural pronoun after it would take the official's key."""
        k = key(text)
        found = {cc for alias, (cc, _) in INSTITUTIONS.items()
                 if re.search(rf"(?<![\w']){re.escape(alias)}(?![\w'])", k)}
        return found.pop() if len(found) == 1 else None

    def ship(self, text: str) -> Actor | None:
        """A named ship ("USS Ross (DDG 71)") -> the navy of its prefix; None for anything else."""
        return self._ship(text, "")

    def _ship(self, text: str, context: str) -> Actor | None:
        """"USS Rafael Peralta (DDG 115)", "HMS Queen Elizabeth", "The Expeditionary Sea Base USS Hershel
        “Woody” Williams", "Royal Navy warship HMS Dragon": the navy of the prefix."""
        m = next((m for m in re.finditer(r"\b([A-Z]{2,5})\s+[A-Z]", text) if m.group(1).lower() in SHIP_PREFIXES),
                 None)
        if m:
            cc = SHIP_PREFIXES[m.group(1).lower()]
            return Actor(affiliation=cc, type="military", name=self._label(cc, "military"))
        return None

    def _titled_org_member(self, text: str, context: str) -> Actor | None:
        """"Wagner Group leader Yevgeny Prigozhin": a named person who acts for a non-state group."""
        m = re.match(rf"^(?P<pre>.*?)\b(?P<title>{_titles_re()})\s+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}})$",
                     text, re.IGNORECASE)
        org = self._org_named(m.group("pre")) if m and m.group("name")[:1].isupper() else None
        if m is None or org is None or self._head_type(m.group("name")):
            return None
        return Actor(affiliation=org, type="person", name=self._full_name(m.group("name"), context))

    def _org_named(self, text: str) -> str | None:
        """The canonical non-state group a phrase names ("Wagner Group" -> "wagner group"), if any."""
        found = _org_alias(key(text).split(), text)
        return ORGS[found[0]][0] if found else None

    def _org(self, text: str, context: str) -> Actor | None:
        """Non-state groups: "the Wagner group", "Wagner mercenaries", "Hamas fighters"."""
        words = key(_QUANTITY_RE.sub("", text)).split()
        found = _org_alias(words, text)
        if found is None:
            return None
        alias, rest = found
        org, default = ORGS[alias]
        kind = self._head_type(rest) or default
        return Actor(affiliation=org, type=kind, name=org.title() if kind != "person" else None)  # type: ignore[arg-type]

    def _person(self, text: str, context: str) -> Actor | None:
        """A named person: a title before a name, or a name the context gives a title.

        "President Lopez Obrador of Mexico": the country after "of" is the affiliation, not part of the name.
        """
        of_country = None
        for of in re.finditer(r"\s+of\s+(?:the\s+)?(?=[A-Z])", text):  # the first "of" that names a country
            place = text[of.end():]
            if re.fullmatch(r"[\w.'’ -]+", place) and self._places.country_code(place):
                text, of_country = text[:of.start()], self._places.country_code(place)
                break
        m = re.match(rf"^(?P<pre>.*?)\b(?P<title>{_titles_re()})\s+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}})$",
                     text, re.IGNORECASE)
        name: str | None = None
        prefix = ""
        if m and m.group("name")[:1].isupper() and not self._places.country_code(m.group("name")):
            name, prefix = m.group("name"), m.group("pre") + " " + m.group("title")
            if _ascii(m.group("title")) in REGNAL_TITLES:
                name = f"{m.group('title').title()} {name}"  # "Pope Benedict XVI" is the name he is known by
        elif (re.fullmatch(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}", text)
              and not self._places.country_code(text) and self._titled_in(text, context)):
            name = text
        if name is None or self._head_type(name) or key(name) in ORGS or _CONJOINED.search(name):
            return None  # "President Trump and President Mattarella" is two people
        full = self._full_name(name, context)
        affiliation = (self._nationality(prefix) or of_country or _title_country(prefix)
                       or self._context_affiliation(full, context))
        return Actor(affiliation=affiliation, type="person", name=full)

    def _group(self, text: str, context: str) -> Actor | None:
        """A group with a head noun: "About 2,000 North Korean troops", "Pyongyang's soldiers"."""
        kind = self._head_type(text)
        if kind is None:
            return self._national_aircraft(text)
        members = _COLLECTIVE_OF.match(text) if kind == "other" else None
        if members:  # "A group of 180 Cubans": the members say who moved
            inner = self.resolve(members.group("rest"))
            if inner is not None and inner.type != "other":
                return inner
        core, tail = _split_tail(text)
        affiliation = self._nationality(core)
        if affiliation is None and kind == "military":
            affiliation = self._institution_named(core)  # a service's ships and soldiers are its state's forces
        if affiliation is None and tail.lower().startswith("from ") and not _MIXED_ORIGIN.search(tail):
            first = re.split(r"\s+(?:across|to|into|via|through|on|in|at|by)\s+|,", tail[5:])[0]
            affiliation = self._nationality(first) or self._home_state(first)
        if kind == "military" and affiliation is None:
            service = re.search(r"\b(navy|air force|army|marines|coast guard|national guard)\b", text, re.IGNORECASE)
            affiliation = (self._nationality(text[:service.start()]) or self._home_state(text[:service.start()])
                           if service else None)
            if affiliation is None and service and service.group(1).lower() == "national guard":
                affiliation = "US"  # a National Guard of no named state: the US one
        if kind == "military" and affiliation is None and _PEACEKEEPERS_RE.search(text):
            affiliation = UN  # peacekeepers of no named state serve the UN (corpus convention; see `un_by_default`)
        name = self._label(affiliation, kind, text)
        return Actor(affiliation=affiliation, type=kind, name=name)  # type: ignore[arg-type]

    def _home_state(self, text: str) -> str | None:
        """The country of a region or town named as where a unit comes from ("Soldiers from Michigan's 1st
        Battalion", "troops from Texas", "the Michigan National Guard"); None unless it resolves below a country."""
        for m in re.finditer(r"\b([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}?)(?:['’]s\b|\s*$|\s+(?:National|Air|Army))",
                             text):
            place = self._places.resolve(m.group(1))
            if place is not None and place.subdivision:
                return place.country
        return None

    def _national_aircraft(self, text: str) -> Actor | None:
        """"two Russian planes", "U.S. aircraft": a state's aircraft are its military (corpus convention); a bare
        "the plane" stays a conveyance whose passengers move."""
        core, _ = _split_tail(text)
        words = re.findall(r"[a-z][a-z\-']*", key(core))
        if not words or words[-1] not in NATIONAL_AIRCRAFT or CIVIL_AIRCRAFT.search(core):
            return None
        affiliation = self._nationality(core)
        if affiliation is None:
            return None
        return Actor(affiliation=affiliation, type="military", name=self._label(affiliation, "military", text))

    def _state(self, text: str, context: str) -> Actor | None:
        """A bare country or capital as the actor ("North Korea", "Kyiv"): its government."""
        bare = _QUANTITY_RE.sub("", text)
        cc = self._places.country_code(bare)
        if cc is None:
            return self._described_nationals(bare)
        k = key(bare)
        plural = _plural_demonym(k)  # "Ivorians", "Iraqis"
        counted = k in gd.DEMONYMS and bool(_COUNT_RE.search(text))  # "40,000 Sudanese": people, not a state
        if plural or counted:
            return _civilians_of(cc)
        return state_government(cc)

    def _described_nationals(self, text: str) -> Actor | None:
        """People of a state named by a plural demonym after lower-case words ("deported Colombians", "fellow
        Indians"); not "ethnic Uzbeks", whose state is where they live, not the demonym's."""
        m = _DESCRIBED_DEMONYM.fullmatch(text)
        if m is None or "ethnic" in m.group("words").lower().split():
            return None
        cc = self._places.country_code(m.group("demonym"))
        return _civilians_of(cc) if cc is not None and _plural_demonym(key(m.group("demonym"))) else None

    # ---------------------------------------------------------------- helpers

    def _head_type(self, text: str) -> str | None:
        """Type of the last actor noun before any "from/in/at ..." tail ("refugees from Syria")."""
        core = re.split(r"\s+(?:from|in|at|who|that|which|based|stationed|on board|aboard)\s+", key(text))[0]
        words = re.findall(r"[a-z][a-z\-']*", core)
        for i in range(len(words) - 1, -1, -1):
            for size in (3, 2, 1):
                if i - size + 1 < 0:
                    continue
                phrase = " ".join(words[i - size + 1:i + 1])
                if phrase in HEAD_TYPES:
                    return HEAD_TYPES[phrase]
        return None

    def body(self, text: str) -> str | None:
        """The one state or non-state body a phrase before a name ties the person to ("Ukrainian", "VOA's")."""
        return self._nationality(text) or self._org_named(re.sub(r"['’]s\b", "", text))

    def nationality(self, text: str) -> str | None:
        """The one country a text's nationality words name ("Ukrainian refugee" -> UA); None if 0 or 2+."""
        return self._nationality(text)

    def _nationality(self, text: str) -> str | None:
        """The one country named by demonyms, country names or possessive capitals; None if 0 or 2+."""
        found: set[str] = set()
        cleaned = text.replace("’", "'")
        for m in re.finditer(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2})'s\b", cleaned):
            code = self._places.country_code(m.group(1))
            if code:
                found.add(code)
        cleaned = re.sub(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2})'s\b", " ", cleaned)
        tokens = re.findall(r"U\.S\.|U\.K\.|[A-Za-z][\w\-]*", cleaned)
        i = 0
        while i < len(tokens):
            for size in (3, 2, 1):
                phrase = " ".join(tokens[i:i + size])
                if len(tokens[i:i + size]) < size or not phrase[:1].isupper():
                    continue
                k = key(phrase)
                if k in gd.REGION_DEMONYMS:  # "Central American": a region's people, not the US's
                    i += size - 1
                    break
                code = gd.DEMONYMS.get(k) or gd.COUNTRY_ALIASES.get(k) or self._country_name(k)
                if code is None and k.endswith("s"):
                    code = gd.DEMONYMS.get(k[:-1])
                if code:
                    found.add(code)
                    i += size - 1
                    break
            i += 1
        return found.pop() if len(found) == 1 else None

    def _country_name(self, k: str) -> str | None:
        """A country's own name (not a demonym or capital), for nationality words."""
        return self._places._countries.get(k)  # noqa: SLF001 - shared table, read only

    def _titled_in(self, name: str, context: str) -> bool:
        """True when the context puts a title right before this name."""
        before = _titled_before_re()
        for m in _spaced_name_re(re.escape(name)).finditer(context):
            title = before.search(context, max(0, m.start() - _NAME_REACH), m.start())
            if title is not None and not (title.group(0).split()[0].lower() in _ADJECTIVE_TITLES
                                          and _ARTICLE_BEFORE.search(context, 0, title.start())):
                return True
        return False

    def _full_name(self, name: str, context: str) -> str:
        """The longest capitalised run in the context that ends with this name ("Putin" -> "Vladimir Putin")."""
        best = name
        for m in _name_run_re(name).finditer(context or ""):
            words = m.group(1).split()
            # the name starts after the last title or country word ("House of Representatives Speaker Nancy")
            cut = max((i + 1 for i, w in enumerate(words) if _ascii(w).rstrip("'s") in _TITLE_WORDS
                       or _ascii(w) in _TITLE_WORDS or self._places.country_code(w)), default=0)
            words = words[cut - 1:] if cut and _ascii(words[cut - 1]) in REGNAL_TITLES else words[cut:]
            candidate = " ".join(words + [name])
            if len(candidate) > len(best):
                best = candidate
        return best

    def _context_affiliation(self, name: str, context: str) -> str | None:
        """Country words right before the title and name in the context ("Belarusian President ...")."""
        surname = re.escape(name.split()[-1])
        before, listed = _country_title_before_re(), _country_plural_title_before_re()
        for occurrence in _spaced_name_re(surname).finditer(context or ""):
            start = max(0, occurrence.start() - _NAME_REACH)
            m = before.search(context, start, occurrence.start()) or listed.search(context, start, occurrence.start())
            code = self._nationality(m.group(1)) if m else None
            if code:
                return code
        for m in re.finditer(rf"\b{surname}\b", context or ""):  # "House of Representatives Speaker ... Pelosi"
            code = _title_country(context[max(0, m.start() - 60):m.start()])
            if code:
                return code
        return None

    def titled_people(self, headline: str) -> list[Actor]:
        """The people a headline names with a title ("Visit of Philippine President Gloria Macapagal-Arroyo"): the
        full names a story's later "President Arroyo" stands for. Headline case is cut at its function words."""
        people = []
        for m in _headline_titled_re().finditer(headline.replace("’", "'")):
            words = m.group(0).split()
            cut = next((i for i, w in enumerate(words) if i > 1 and w.lower() in _HEADLINE_STOPS), len(words))
            cut = next((i for i, w in enumerate(words[:cut]) if w.endswith("'s")), cut)  # "President Biden's Meeting"
            actor = self.resolve(" ".join(words[:cut]), context=headline)
            if actor is not None and actor.type == "person" and actor.name and len(actor.name.split()) > 1:
                people.append(actor)
        return people

    def titled_mentions(self, text: str) -> list[tuple[tuple[str | None, str], Actor]]:
        """The people a sentence names with a title and a full name, each with the role the title gives it
        ("Secretary of Defense Leon Panetta" -> (("US", "secretary of defense"), Leon Panetta)): whom a later
        "the secretary" means."""
        found = []
        for m in _headline_titled_re().finditer(text.replace("’", "'")):
            role, person = self.title_of(m.group(0), text[:m.start()]), self.resolve(m.group(0), context=text)
            if role is not None and person is not None and person.type == "person" and person.name \
                    and len(person.name.split()) > 1:
                found.append(((role[0] or person.affiliation, role[1]), person))
        return found

    def stated_affiliation(self, name: str, text: str) -> str | None:
        """The state an article ties a named person to anywhere in `text` (its title and body): "Philippine
        President Gloria Macapagal-Arroyo", "Prime Minister Nawaz Sharif of Pakistan", "Adm. Cecil Haney,
        commander of U.S. Pacific Fleet"."""
        surname = name.split()[-1].split("-")[-1]
        if len(surname) < 3 or surname not in text:
            return None
        of_country, barrel = _of_country_re(surname), _double_barrel_re(surname)
        # line by line, sentence by sentence: "... and Thailand\nPresident Reagan" is no Thai president
        for line in _SENTENCE_BREAK.split(text.replace("’", "'")):
            if surname not in line:
                continue
            line = barrel.sub("", line)  # "Gloria Macapagal-Arroyo" names Arroyo
            code = self._context_affiliation(surname, line) or next(
                (cc for m in of_country.finditer(line)  # "Adm. Cecil Haney, commander of U.S. Pacific Fleet"
                 if (cc := self._places.country_code(m.group(1)) or self._nationality(m.group(1)))), None)
            if code:
                return code
        return None

    def _label(self, affiliation: str | None, kind: str, text: str = "") -> str | None:
        """A readable group label: "North Korean military", "Ukrainian refugees", "migrants"."""
        if affiliation and affiliation.isupper() and len(affiliation) == 2:
            adjective = gd.ADJECTIVE.get(affiliation, affiliation)
            if kind in ("military", "government"):
                return f"{adjective} {kind}"
            head = self._head_word(text) or kind
            return f"{adjective} {head}"
        if affiliation:
            return affiliation.title()
        return self._head_word(text) or None

    def _head_word(self, text: str) -> str | None:
        """The actor noun of a mention in lower case ("refugees"), if any."""
        words = re.findall(r"[a-z][a-z\-']*", key(text))
        for word in reversed(words):
            if word in HEAD_TYPES:
                return word
        return None


_TITLE_WORDS: frozenset[str] = frozenset(w for t in TITLES for w in t.split())
# Titles that are part of the name the person is known by (spec section 5: "the full name as best known"):
# a pope's key is "person:pope benedict xvi", as the annotations have it.
REGNAL_TITLES: frozenset[str] = frozenset({"pope"})
# "people from 58 nations": a mix of nationalities, so no affiliation (spec section 5).
_MIXED_ORIGIN = re.compile(r"^from\s+(?:\S+\s+)?(?:countries|nations|nationalities)\b", re.IGNORECASE)
_TAIL_RE = re.compile(r"\s+(?=(?:from|in|at|across|to|into|via|aboard|on board|who|that|which)\s)", re.IGNORECASE)


def _split_tail(text: str) -> tuple[str, str]:
    """The mention before its first trailing phrase, and that phrase: ("refugees", "from Syria")."""
    parts = _TAIL_RE.split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (text, "")
# Courtesy titles name no role that a later "the ..." mention could use.
_NOT_ROLES: frozenset[str] = frozenset({"mr", "mrs", "ms", "dr", "official", "diplomat"})
_CONJOINED = re.compile(r"\s(?:and|or|&)\s", re.IGNORECASE)
# Titles that are also adjectives: after an article they describe a thing ("an official State visit"), not a person
_ADJECTIVE_TITLES: frozenset[str] = frozenset({"official"})
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|the)\s+$", re.IGNORECASE)
# Titles that name the same role: "the Wagner chief" is the "Wagner Group leader" named before.
_ROLE_SYNONYMS: dict[str, str] = {"chief": "leader", "head": "leader", "boss": "leader", "founder": "leader"}


# Offices that only one country's news names so (US spelling "defense"; Britain has a "Defence Secretary").
_TITLE_COUNTRIES: dict[str, str] = {
    "house speaker": "US", "speaker of the house": "US", "house of representatives speaker": "US",
    "secretary of state": "US", "defense secretary": "US", "secretary of defense": "US",
    "treasury secretary": "US", "secretary of the treasury": "US", "commerce secretary": "US",
    "homeland security secretary": "US", "national security adviser": "US", "national security advisor": "US",
    "secretary of war": "US", "secretary of the navy": "US", "secretary of the army": "US",
    "secretary of the air force": "US",
    "pope": "VA",  # the Holy See's head of state, whatever his nationality
}


def _org_alias(words: list[str], text: str) -> tuple[str, str] | None:
    """The longest group alias among `words` and the words left around it; "UN"/"EU" only in capitals."""
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            alias = " ".join(words[i:i + size])
            if alias in ORGS and (alias not in ("un", "eu") or re.search(r"\b(UN|EU)\b", text)):
                return alias, " ".join(words[:i] + words[i + size:])
    return None


def _title_country(prefix: str) -> str | None:
    """The country an office belongs to when its title says so by itself ("Secretary of State Rice")."""
    lowered = " ".join(prefix.lower().split())
    return next((cc for title, cc in _TITLE_COUNTRIES.items() if title in lowered), None)


def _role_word(title: str) -> str:
    """A title in lower case, with synonyms of "leader" folded together."""
    lowered = title.lower()
    return _ROLE_SYNONYMS.get(lowered, lowered)


@lru_cache(maxsize=1)
def _titles_re() -> str:
    """Alternation of the titles, longest first, escaped."""
    return "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))


_HEADLINE_STOPS: frozenset[str] = frozenset({"of", "to", "the", "in", "at", "and", "for", "on", "with", "visit",
                                             "visits", "arrives", "meets", "will", "says", "departs", "leaves",
                                             "travels", "returns", "heads", "lands", "begins", "wraps", "tours"})


@lru_cache(maxsize=1)
def _headline_titled_re() -> re.Pattern[str]:
    """A country word or two, a title, then up to four capitalised words (a name, perhaps with headline words)."""
    return re.compile(rf"(?:{_NAME_TOKEN}\s+){{0,2}}\b(?i:{_titles_re()})\s+{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}")


# The patterns below hold a name, so each name compiles its own; `re`'s own cache (512 patterns) was flooded
# by them, which made them, and every pattern around them, compile again and again (about a fifth of the rules'
# time on bench articles). Cached by name, each compiles once per process.
@lru_cache(maxsize=8192)
def _of_country_re(surname: str) -> re.Pattern[str]:
    """This surname, perhaps a title after a comma, then "of" and the words of a state ("Sharif of Pakistan",
    "Hu Jintao, President of the People's Republic of China")."""
    return re.compile(rf"\b{re.escape(surname)}(?:,\s+(?i:{_titles_re()}))?\s+of\s+(?:the\s+)?"
                      rf"({_NAME_TOKEN}(?:\s+(?:of\s+(?:the\s+)?)?{_NAME_TOKEN}){{0,3}})")


@lru_cache(maxsize=8192)
def _double_barrel_re(surname: str) -> re.Pattern[str]:
    """The first part of a double-barrelled name that ends with this surname ("Macapagal-" of "Macapagal-Arroyo")."""
    return re.compile(rf"\b[\w']+-(?={re.escape(surname)}\b)")


# The title patterns below end where a name starts and are searched only in the text just before each of its
# occurrences: one compiled pattern for every name (compiling the titles' alternation anew for each name the
# articles mention took about a tenth of the trained extractor's time).
_COUNTRY_WORDS = r"([A-Z][\w.\-']*(?:\s+[A-Z][\w.\-']*)?)"  # one or two capitalised words: "U.S.", "South Korean"
_NAME_REACH = 300  # characters before a name searched for its title: far more than a title and three name words


@lru_cache(maxsize=8192)
def _spaced_name_re(escaped: str) -> re.Pattern[str]:
    """This (escaped) name after whitespace, ending a word, in any case: where a title pattern may end."""
    return re.compile(rf"(?<=\s){escaped}\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _titled_before_re() -> re.Pattern[str]:
    """A title and up to two name words, up to the end of the searched text ("President Vladimir " Putin)."""
    return re.compile(rf"\b(?:{_titles_re()})\s+(?:{_NAME_TOKEN}\s+){{0,2}}\Z", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _name_run_re(name: str) -> re.Pattern[str]:
    """One to three capitalised words before this name."""
    return re.compile(rf"((?:{_NAME_TOKEN}\s+){{1,3}}){re.escape(name)}\b")


@lru_cache(maxsize=1)
def _country_title_before_re() -> re.Pattern[str]:
    """Capitalised words (a country word), a title and name words, up to the end of the searched text."""
    return re.compile(rf"{_COUNTRY_WORDS}\s+(?:{_titles_re()})\s+"
                      rf"(?:{_NAME_TOKEN}\s+){{0,3}}\Z", re.IGNORECASE)


# Plural titles before a list of names: "U.S. envoys Jared Kushner and Steve Witkoff" are both American
PLURAL_TITLES: tuple[str, ...] = ("envoys", "officials", "ministers", "diplomats", "senators", "lawmakers", "leaders",
                                  "ambassadors", "generals", "presidents", "negotiators")


@lru_cache(maxsize=1)
def _country_plural_title_before_re() -> re.Pattern[str]:
    """A country word and a plural title before names joined by commas and "and", up to the end of the searched
    text (the later name's first words): the nationality the whole list shares."""
    names = rf"(?:{_NAME_TOKEN}\s+){{0,3}}{_NAME_TOKEN}"
    return re.compile(rf"{_COUNTRY_WORDS}\s+(?:{'|'.join(PLURAL_TITLES)})\s+"
                      rf"(?:{names}(?:,\s+|,?\s+and\s+))*(?:{_NAME_TOKEN}\s+){{0,2}}\Z")


def un_by_default(actor: Actor, text: str) -> bool:
    """True for peacekeepers `ActorResolver` gave the UN only because their phrase `text` names no state (and no
    UN either): a state that sends them may still claim them ("Uganda will send its peacekeeping troops")."""
    return (actor.type == "military" and actor.affiliation == UN and bool(_PEACEKEEPERS_RE.search(text))
            and not _NAMES_UN_RE.search(text))
