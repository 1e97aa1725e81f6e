"""Hand-made word tables for place and actor normalisation (the gazetteers do not carry them).

Everything here is general-knowledge vocabulary (country aliases, demonyms, seat-of-power
metonyms, direction words); nothing is copied from any evaluation set.
"""

from __future__ import annotations

# Country names the ISO list spells differently from the news ("Russia" is "Russian Federation").
COUNTRY_ALIASES: dict[str, str] = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "united states": "US", "united states of america": "US", "the states": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "united kingdom": "GB",
    "russia": "RU", "russian federation": "RU", "soviet union": "RU", "ussr": "RU",
    "north korea": "KP", "dprk": "KP", "d.p.r.k.": "KP", "democratic people's republic of korea": "KP",
    "south korea": "KR", "republic of korea": "KR", "rok": "KR", "korea": "KR",
    "iran": "IR", "syria": "SY", "laos": "LA", "vietnam": "VN", "viet nam": "VN",
    "taiwan": "TW", "republic of china": "TW", "china": "CN", "people's republic of china": "CN",
    "prc": "CN", "mainland china": "CN", "burma": "MM", "myanmar": "MM",
    "ivory coast": "CI", "cote d'ivoire": "CI", "congo": "CD", "drc": "CD", "dr congo": "CD",
    "democratic republic of congo": "CD", "democratic republic of the congo": "CD", "zaire": "CD",
    "congo-brazzaville": "CG", "republic of the congo": "CG", "congo-kinshasa": "CD",
    "east timor": "TL", "timor-leste": "TL", "macedonia": "MK", "north macedonia": "MK",
    "ceylon": "LK", "holland": "NL", "the netherlands": "NL", "netherlands": "NL",
    "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "turkiye": "TR",
    "moldova": "MD", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "vatican": "VA",
    "palestine": "PS", "palestinian territories": "PS", "occupied palestinian territories": "PS",
    "west bank": "PS", "occupied west bank": "PS", "gaza": "PS", "brunei": "BN",
    "cape verde": "CV", "swaziland": "SZ", "eswatini": "SZ", "the gambia": "GM", "gambia": "GM",
    "the bahamas": "BS", "bahamas": "BS", "uae": "AE", "u.a.e.": "AE", "emirates": "AE",
    "saudi": "SA", "kingdom of bahrain": "BH", "the philippines": "PH", "philippines": "PH",
    "south sudan": "SS", "central african republic": "CF", "car": "CF",
    "bosnia": "BA", "bosnia and herzegovina": "BA", "bosnia-herzegovina": "BA",
    "kyrgyzstan": "KG", "kirghizia": "KG", "micronesia": "FM", "st. lucia": "LC",
    "yugoslavia": "RS", "serbia": "RS", "kosovo": "RS", "guam": "GU", "puerto rico": "PR",
    "greenland": "GL", "hong kong": "HK", "macau": "MO", "macao": "MO",
    "republic of ireland": "IE", "ireland": "IE", "eire": "IE",
}
# Codes that need a subdivision as well as the country (Kosovo: ISO has RS-KM, not a country code).
COUNTRY_SUBDIVISION: dict[str, str] = {"kosovo": "RS-KM", "gaza": "PS-GZA", "gaza strip": "PS-GZA"}

# Adjectives of a region whose last word is a country's demonym: "Central American migrants" are not American.
REGION_DEMONYMS: frozenset[str] = frozenset(
    {"central american", "south american", "latin american", "north american", "meso american",
     "central americans", "south americans", "latin americans", "north americans"})

# Demonyms and country adjectives -> alpha-2 (plurals "Afghans", "Iraqis" are handled by stripping s).
DEMONYMS: dict[str, str] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "argentine": "AR", "argentinian": "AR", "armenian": "AM", "australian": "AU", "austrian": "AT",
    "azerbaijani": "AZ", "azeri": "AZ", "bahraini": "BH", "bangladeshi": "BD", "belarusian": "BY",
    "belarussian": "BY", "belgian": "BE", "beninese": "BJ", "bolivian": "BO", "bosnian": "BA",
    "bosnian serb": "BA", "bosnian croat": "BA",  # citizens of Bosnia and Herzegovina, not of Serbia or Croatia
    "brazilian": "BR", "british": "GB", "briton": "GB", "brit": "GB", "bulgarian": "BG",
    "burkinabe": "BF", "burmese": "MM", "burundian": "BI", "cambodian": "KH", "cameroonian": "CM",
    "canadian": "CA", "central african": "CF", "chadian": "TD", "chilean": "CL", "chinese": "CN",
    "colombian": "CO", "congolese": "CD", "croatian": "HR", "cuban": "CU", "cypriot": "CY",
    "czech": "CZ", "danish": "DK", "dane": "DK", "djiboutian": "DJ", "dominican": "DO",
    "dutch": "NL", "ecuadorian": "EC", "egyptian": "EG", "emirati": "AE", "eritrean": "ER",
    "estonian": "EE", "ethiopian": "ET", "finnish": "FI", "finn": "FI", "french": "FR",
    "gabonese": "GA", "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR",
    "guatemalan": "GT", "guinean": "GN", "guyanese": "GY", "haitian": "HT", "honduran": "HN",
    "hungarian": "HU", "icelandic": "IS", "indian": "IN", "indonesian": "ID", "iranian": "IR",
    "iraqi": "IQ", "irish": "IE", "israeli": "IL", "italian": "IT", "ivorian": "CI",
    "jamaican": "JM", "japanese": "JP", "jordanian": "JO", "kazakh": "KZ", "kazakhstani": "KZ",
    "kenyan": "KE", "kosovar": "RS", "kuwaiti": "KW", "kyrgyz": "KG", "lao": "LA", "laotian": "LA",
    "latvian": "LV", "lebanese": "LB", "liberian": "LR", "libyan": "LY", "lithuanian": "LT",
    "malagasy": "MG", "malawian": "MW", "malaysian": "MY", "malian": "ML", "maltese": "MT",
    "mauritanian": "MR", "mexican": "MX", "moldovan": "MD", "mongolian": "MN",
    "montenegrin": "ME", "moroccan": "MA", "mozambican": "MZ", "namibian": "NA", "nepali": "NP",
    "nepalese": "NP", "new zealand": "NZ", "nicaraguan": "NI", "nigerien": "NE", "nigerian": "NG",
    "north korean": "KP", "norwegian": "NO", "omani": "OM", "pakistani": "PK",
    "palestinian": "PS", "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE",
    "filipino": "PH", "philippine": "PH", "polish": "PL", "pole": "PL", "portuguese": "PT",
    "qatari": "QA", "romanian": "RO", "russian": "RU", "rwandan": "RW", "saudi": "SA",
    "saudi arabian": "SA", "senegalese": "SN", "serbian": "RS", "serb": "RS",
    "sierra leonean": "SL", "singaporean": "SG", "slovak": "SK", "slovenian": "SI",
    "somali": "SO", "somalian": "SO", "south african": "ZA", "south korean": "KR",
    "south sudanese": "SS", "spanish": "ES", "spaniard": "ES", "sri lankan": "LK",
    "sudanese": "SD", "swedish": "SE", "swede": "SE", "swiss": "CH", "syrian": "SY",
    "taiwanese": "TW", "tajik": "TJ", "tanzanian": "TZ", "thai": "TH", "togolese": "TG",
    "tunisian": "TN", "turkish": "TR", "turk": "TR", "turkmen": "TM", "ugandan": "UG",
    "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ", "venezuelan": "VE",
    "vietnamese": "VN", "yemeni": "YE", "zambian": "ZM", "zimbabwean": "ZW",
    "soviet": "RU", "u.s.": "US", "us": "US", "u.k.": "GB", "uk": "GB", "korean": "KR",
    "kiwi": "NZ", "aussie": "AU", "timorese": "TL", "east timorese": "TL",
}
# Readable adjective per country for actor labels ("North Korean military"); fallback is the name.
ADJECTIVE: dict[str, str] = {}
for _word, _code in DEMONYMS.items():
    if "." not in _word and len(_word) > 2:
        ADJECTIVE.setdefault(_code, " ".join(part.capitalize() for part in _word.split()))
ADJECTIVE.update({"US": "U.S.", "GB": "British", "KP": "North Korean", "KR": "South Korean",
                  "RU": "Russian", "ZA": "South African", "NZ": "New Zealand", "SA": "Saudi",
                  "PH": "Philippine", "CF": "Central African", "LK": "Sri Lankan", "SS": "South Sudanese",
                  "SL": "Sierra Leonean", "PL": "Polish", "SE": "Swedish", "DK": "Danish", "FI": "Finnish",
                  "ES": "Spanish", "TR": "Turkish", "RS": "Serbian", "TL": "East Timorese"})

# Seats of power used as metonyms: mention -> (country, place as (subdivision, locality)).
SEATS: dict[str, tuple[str, str | None, str | None]] = {
    "kremlin": ("RU", "RU-MOW", "Moscow"),
    "white house": ("US", "US-DC", "Washington"),
    "oval office": ("US", "US-DC", "Washington"),
    "capitol hill": ("US", "US-DC", "Washington"),
    "pentagon": ("US", "US-VA", "Arlington"),
    "downing street": ("GB", "GB-ENG", "London"),
    "whitehall": ("GB", "GB-ENG", "London"),
    "elysee": ("FR", "FR-IDF", "Paris"),
    "elysee palace": ("FR", "FR-IDF", "Paris"),
    "zhongnanhai": ("CN", "CN-BJ", "Beijing"),
    "nato": ("BE", "BE-BRU", "Brussels"),  # as a destination: its headquarters
    "nato headquarters": ("BE", "BE-BRU", "Brussels"),
    "blue house": ("KR", "KR-11", "Seoul"),
}

# Loose regions: a direction word before a country ("western Russia") or after a possessive
# ("Russia's far east"). Sorted longest first when compiled.
DIRECTIONS: tuple[str, ...] = (
    "far east", "far eastern", "far north", "far west", "far south", "far western", "far northern",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west",
    "north-eastern", "north-western", "south-eastern", "south-western", "mid", "upper", "lower",
    "inner", "interior", "heart of", "outskirts of", "border region", "border regions",
    "border area", "border areas", "frontier", "coast", "coastal", "northern part",
    "southern part", "eastern part", "western part", "central part", "south of", "north of",
    "east of", "west of", "part of",
)

# Words that name no place by themselves: the caller resolves these from context.
NON_PLACES: frozenset[str] = frozenset({
    "battlefield", "the battlefield", "area", "the area", "home", "there", "here", "region",
    "the region", "country", "the country", "city", "the city", "town", "the town", "front",
    "the front", "front line", "the front line", "frontline", "the frontlines", "the front lines",
    "border", "the border", "base", "the base", "abroad", "overseas", "it", "this", "that",
    "the capital", "the province", "the village", "the camp", "the site", "the sea", "the zone",
    "their homes", "their home", "homes", "home country", "their country", "his country",
    "the scene", "the location", "that location", "this location", "the field", "the theater",
    "europe", "asia", "africa", "the middle east", "middle east", "north america",
    "south america", "latin america", "oceania", "the mediterranean", "the pacific",
    "the atlantic", "the indian ocean", "the arctic", "antarctica", "the gulf", "the persian gulf",
    "the black sea", "the red sea", "the baltic", "the baltic sea", "the south china sea",
})

# Region words after a name: "Kursk region", "Kherson Oblast"; they force the region reading.
REGION_WORDS: tuple[str, ...] = (
    "region", "oblast", "province", "krai", "kray", "governorate", "state", "prefecture",
    "county", "district", "territory", "republic", "autonomous region", "area", "regions", "department",
)
# Locality words before "of": "the town of Gori", "the port of Bari".
LOCALITY_WORDS: tuple[str, ...] = (
    "city", "town", "village", "port", "port city", "coastal town", "coastal city", "capital",
    "border town", "border city", "rebel town", "district", "island", "harbor", "harbour",
    "strategic town", "key town", "frontline town", "front-line town", "eastern town",
    "western town", "northern town", "southern town", "eastern city", "western city",
    "northern city", "southern city", "border crossing",
)

# Region names that are not ISO names nor GeoNames admin1 names, with the decision documented.
REGION_ALIASES: dict[str, tuple[str, str | None, str | None]] = {
    # name -> (country, subdivision or None, qualifier)
    "primorye": ("RU", "RU-PRI", None),
    "primorsky krai": ("RU", "RU-PRI", None),
    "primorsky": ("RU", "RU-PRI", None),
    "maritime province": ("RU", "RU-PRI", None),
    "khabarovsk krai": ("RU", "RU-KHA", None),
    "kamchatka": ("RU", "RU-KAM", None),
    "chukotka": ("RU", "RU-CHU", None),
    "yakutia": ("RU", "RU-SA", None),
    "chechnya": ("RU", "RU-CE", None),
    "dagestan": ("RU", "RU-DA", None),
    "siberia": ("RU", None, "Siberia"),
    "crimea": ("UA", "UA-43", None),
    "crimean peninsula": ("UA", "UA-43", None),
    "zaporizhzhia": ("UA", "UA-23", None),
    "zaporizhia": ("UA", "UA-23", None),
    "zaporozhye": ("UA", "UA-23", None),
    "luhansk": ("UA", "UA-09", None),
    "lugansk": ("UA", "UA-09", None),
    "donetsk": ("UA", "UA-14", None),
    "kharkiv": ("UA", "UA-63", None),
    "kherson": ("UA", "UA-65", None),
    # The Donbas spans two first-level regions (Donetsk UA-14, Luhansk UA-09): naming either
    # would be wrong half the time, so it resolves to the country with the name as qualifier.
    "donbas": ("UA", None, "Donbas"),
    "donbass": ("UA", None, "Donbas"),
    "sicily": ("IT", "IT-82", None),
    "sardinia": ("IT", "IT-88", None),
    "kashmir": ("IN", None, "Kashmir"),
    "darfur": ("SD", None, "Darfur"),
    "kurdistan region": ("IQ", None, "Kurdistan region"),
    "iraqi kurdistan": ("IQ", None, "Iraqi Kurdistan"),
    "south ossetia": ("GE", None, "South Ossetia"),
    "abkhazia": ("GE", "GE-AB", None),
    "nagorno-karabakh": ("AZ", None, "Nagorno-Karabakh"),
    "golan heights": ("SY", None, "Golan Heights"),
    "okinawa": ("JP", "JP-47", None),
    "hawaii": ("US", "US-HI", None),
    "alaska": ("US", "US-AK", None),
    "kosovo": ("RS", "RS-KM", None),
    "aceh": ("ID", "ID-AC", None),
    "england": ("GB", "GB-ENG", None),
    "scotland": ("GB", "GB-SCT", None),
    "wales": ("GB", "GB-WLS", None),
    "northern ireland": ("GB", "GB-NIR", None),
    "kent": ("GB", "GB-ENG", None),
    # The Gaza Strip spans five governorates (PS-GZA is only Gaza City's): the country, named as qualifier.
    "gaza strip": ("PS", None, "Gaza Strip"),
    "gaza": ("PS", None, "Gaza Strip"),
    "west bank": ("PS", None, "West Bank"),
    "sabah": ("MY", "MY-12", None),
}

# US state abbreviations of the AP Stylebook, as datelines and news copy write them after a city
# ("Louisville, Ky.", "Joint Base Andrews, Md."); AP spells out Alaska, Hawaii, Idaho, Iowa, Maine,
# Ohio, Texas and Utah. "Kans.", "Tex." are older forms still seen; "D.C." is the federal district.
# The only table of them: `places.py` reads them alone ("Ky.") and after a comma, with or without
# the final full stop there ("Louisville, Ky").
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "ala.": "AL", "ariz.": "AZ", "ark.": "AR", "calif.": "CA", "colo.": "CO", "conn.": "CT",
    "del.": "DE", "fla.": "FL", "ga.": "GA", "ill.": "IL", "ind.": "IN", "kan.": "KS",
    "kans.": "KS", "ky.": "KY", "la.": "LA", "md.": "MD", "mass.": "MA", "mich.": "MI",
    "minn.": "MN", "miss.": "MS", "mo.": "MO", "mont.": "MT", "neb.": "NE", "nev.": "NV",
    "n.h.": "NH", "n.j.": "NJ", "n.m.": "NM", "n.y.": "NY", "n.c.": "NC", "n.d.": "ND",
    "okla.": "OK", "ore.": "OR", "pa.": "PA", "r.i.": "RI", "s.c.": "SC", "s.d.": "SD",
    "tenn.": "TN", "tex.": "TX", "va.": "VA", "vt.": "VT", "wash.": "WA", "wis.": "WI",
    "w.va.": "WV", "wyo.": "WY", "d.c.": "DC",
}

# Words of first-level region names that say nothing by themselves ("Central", "North-West",
# "Capital Region", "Littoral"): a context that uses them names no region (see `PlaceResolver._scope`).
GENERIC_REGION_WORDS: frozenset[str] = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "north-west", "north-east", "south-west", "south-east", "northwest",
    "northeast", "southwest", "southeast", "nord", "sud", "est", "ouest", "centre-nord",
    "centre-sud", "centre-est", "oriental", "occidental", "littoral", "plateau", "lakes", "bay",
    "gulf", "delta", "midlands", "capital", "region", "province", "district", "territory",
    "upper", "lower", "coast", "coastal", "islands", "highlands", "river", "mid",
})
