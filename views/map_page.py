"""The movement map page: one self-contained HTML file from a `MapSelection` (no Cypher here).

Drawn with Vega-Altair (Vega-Lite); `vl-convert-python` supplies the Vega, Vega-Lite and vega-embed
JavaScript as one inlined bundle and the country outlines come from `countryinfo` (see map_geo), so
the page loads nothing from the network: no tile server, no CDN. Above, the world map: one circle per
mark (actor, destination, modality) at the destination, area by number of articles, colour by
modality, a tapered line from each known origin (thin end) to the destination (thick end). Below, a
timeline per actor: a bar from a mark's first to last day and a dot per article. Hovering a mark shows
its evidence sentences and article links; clicking it jumps to its evidence block under the charts,
which holds every sentence and a link to every article.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from movegraph.graph.map_query import MapMark, MapSelection
from movegraph.schema.errors import InputError
from movegraph.schema.event import MODALITIES
from movegraph.views.map_geo import Point, country_outlines, locate

MODALITY_COLOURS = {"asserted": "#d7301f", "expected": "#f28e2b", "hypothetical": "#8856a7",
                    "negated": "#737373", "denied": "#2c7fb8"}
NO_MATCH = "no movements match"
OUTLINES = "country_outlines"
MAP_WIDTH, MAP_HEIGHT = 1100, 560
MIN_SPAN = (140.0, 70.0)  # degrees of longitude and latitude the map shows at least around the marks
TOOLTIP_SENTENCES = 3


class MapOutputError(InputError):
    """The page cannot be written where asked."""


@lru_cache(maxsize=1)
def _javascript() -> str:
    """Vega, Vega-Lite and vega-embed as one script (vl-convert ships them; no download)."""
    import vl_convert

    return vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits the snippet's default


def _clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dates(mark: MapMark) -> str:
    first, last = mark.first, mark.last
    if first is None:
        return "undated"
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat() if last else '…'}"


def _mark_rows(marks: list[MapMark]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Point]]:
    """Map points and origin->destination segments of the located marks, and the points used."""
    points, segments, used = [], [], []
    for i, mark in enumerate(marks):
        dest = locate(mark.destination)
        if dest is None:
            continue
        used.append(dest)
        sentences = [s for e in mark.evidence for s in e.sentences]
        urls = [e.url or e.article_id for e in mark.evidence]
        row = {"mark": i, "lon": dest.lon, "lat": dest.lat, "articles": mark.articles, "edges": mark.edges,
               "modality": mark.modality, "actor": mark.actor_name, "place": mark.destination.label,
               "dates": _dates(mark), "located by": dest.how,
               "from": ", ".join(o.label for o in mark.origins) or "not reported",
               "sources": ", ".join(mark.sources) or "not reported",
               "href": f"#mark-{i}"}
        row["evidence"] = " • ".join(_clip(x, 160) for x in sentences[:TOOLTIP_SENTENCES]) + (
            f" (+{len(sentences) - TOOLTIP_SENTENCES} more: click the mark)" if len(sentences) > TOOLTIP_SENTENCES
            else "")
        row["articles (links below)"] = " | ".join(urls[:3]) + (" …" if len(urls) > 3 else "")
        points.append(row)
        for origin in mark.origins:
            start = locate(origin)
            if start is None or (start.lat, start.lon) == (dest.lat, dest.lon):
                continue
            for step, (lon, lat, width) in enumerate(((start.lon, start.lat, 1.0), (dest.lon, dest.lat, 6.0))):
                segments.append({"segment": f"{i}:{origin.key}", "step": step, "lon": lon, "lat": lat,
                                 "width": width, "modality": mark.modality, "actor": mark.actor_name,
                                 "route": f"{origin.label} → {mark.destination.label}", "href": f"#mark-{i}"})
    return points, segments, used


def _timeline_rows(marks: list[MapMark]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spans (first..last day of a mark) and one dot per article edge, for the actors' timeline."""
    spans, dots = [], []
    for i, mark in enumerate(marks):
        if mark.first is not None:
            spans.append({"mark": i, "actor": mark.actor_name, "modality": mark.modality,
                          "first": mark.first.isoformat(), "last": (mark.last or mark.first).isoformat(),
                          "place": mark.destination.label, "href": f"#mark-{i}"})
        for evidence in mark.evidence:
            day = evidence.day
            if day is None:
                continue
            dots.append({"mark": i, "actor": mark.actor_name, "modality": mark.modality, "day": day.isoformat(),
                         "place": mark.destination.label, "article": evidence.title or evidence.article_id,
                         "url": evidence.url or "", "evidence": _clip(" ".join(evidence.sentences), 300),
                         "href": f"#mark-{i}"})
    return spans, dots


def _extent(points: list[dict[str, Any]], segments: list[dict[str, Any]], world: bool = False) -> dict[str, Any]:
    """What the projection fits: the marks and origins with a margin, at least MIN_SPAN degrees wide.

    Corner points of the box (a MultiPoint, so no polygon winding can turn it inside out); with no
    marks, with `world`, or with marks all over the globe, the whole world.
    """
    lons = [p["lon"] for p in points + segments]
    lats = [p["lat"] for p in points + segments]
    if world or not lons:
        west, east, south, north = -180.0, 180.0, -60.0, 85.0
    else:
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        grow_lon = max(MIN_SPAN[0] - (east - west), 0) / 2 + 5
        grow_lat = max(MIN_SPAN[1] - (north - south), 0) / 2 + 4
        west, east = max(west - grow_lon, -180.0), min(east + grow_lon, 180.0)
        south, north = max(south - grow_lat, -60.0), min(north + grow_lat, 85.0)
    corners = [[lon, lat] for lon in (west, (west + east) / 2, east) for lat in (south, (south + north) / 2, north)]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}


def build_spec(selection: MapSelection, world: bool = False) -> dict[str, Any]:
    """The Vega-Lite spec of the page's charts, country outlines included."""
    spec = build_chart(selection, world).to_dict()
    spec.setdefault("datasets", {})[OUTLINES] = country_outlines()["features"]
    return spec


def build_chart(selection: MapSelection, world: bool = False) -> Any:
    """The Vega-Altair chart: the world map with marks and origin lines, the timeline below.

    The map fits the marks and their origins (at least MIN_SPAN degrees around them); `world` shows the
    whole world instead.
    """
    import altair as alt

    marks = selection.marks
    points, segments, _ = _mark_rows(marks)
    spans, dots = _timeline_rows(marks)
    colour = alt.Color("modality:N", title="modality",
                       scale=alt.Scale(domain=list(MODALITIES), range=[MODALITY_COLOURS[m] for m in MODALITIES]))
    faded = alt.value(0.85)

    # the outlines go into the spec's top-level `datasets` after validation (see build_spec): copying
    # 200 kB of polygons through Altair's validation would take seconds
    outlines = alt.Chart(alt.Data(name=OUTLINES), name="countries").mark_geoshape(
        fill="#f3f1ec", stroke="#9a9a9a", strokeWidth=0.4, clip=True)
    sphere = alt.Chart(alt.SphereGenerator(sphere=True), name="sphere").mark_geoshape(
        fill="#dfeaf5", stroke="#b8c7d6", clip=True)
    layers = [sphere, outlines]
    if segments:
        layers.append(alt.Chart(alt.Data(values=segments), name="routes").mark_trail(opacity=0.7, clip=True).encode(
            longitude="lon:Q", latitude="lat:Q", detail="segment:N", order="step:O",
            size=alt.Size("width:Q", scale=None, legend=None), color=colour, opacity=faded,
            href="href:N", tooltip=[alt.Tooltip("actor:N"), alt.Tooltip("route:N"), alt.Tooltip("modality:N")]))
    if points:
        tooltip = [alt.Tooltip(k, type="nominal" if k not in ("articles", "edges") else "quantitative")
                   for k in points[0] if k not in ("mark", "lon", "lat", "href")]
        layers.append(alt.Chart(alt.Data(values=points), name="destinations").mark_circle(
            stroke="white", strokeWidth=1, cursor="pointer", clip=True).encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("articles:Q", title="articles", scale=alt.Scale(range=[80, 1400], zero=False),
                          legend=alt.Legend(format="d", tickMinStep=1)),
            color=colour, opacity=faded, order=alt.Order("articles:Q", sort="descending"),
            href="href:N", tooltip=tooltip))
    world_map = alt.layer(*layers).project(type="equalEarth", fit=_extent(points, segments, world)).properties(
        width=MAP_WIDTH, height=MAP_HEIGHT,
        title=alt.Title("Where they moved", subtitle="circle area: articles · colour: modality · "
                        "line: from origin (thin) to destination (thick)"))
    if not dots and not spans:
        return world_map.configure_view(stroke=None)
    actors = sorted({d["actor"] for d in dots} | {s["actor"] for s in spans})
    y = alt.Y("actor:N", title=None, sort=actors)
    timeline_layers = []
    if spans:
        timeline_layers.append(alt.Chart(alt.Data(values=spans), name="spans").mark_bar(
            height=6, cornerRadius=3, opacity=0.45).encode(
            x=alt.X("first:T", title="day"), x2="last:T", y=y, color=colour, href="href:N",
            tooltip=["actor:N", "place:N", "modality:N", alt.Tooltip("first:T"), alt.Tooltip("last:T")]))
    timeline_layers.append(alt.Chart(alt.Data(values=dots), name="events").mark_circle(
        size=90, stroke="white", strokeWidth=1, cursor="pointer").encode(
        x=alt.X("day:T", title="day"), y=y, color=colour, opacity=faded, href="href:N",
        tooltip=["actor:N", "place:N", "modality:N", alt.Tooltip("day:T"), "article:N", "url:N", "evidence:N"]))
    timeline = alt.layer(*timeline_layers).properties(
        width=MAP_WIDTH, height=max(60, 34 * len(actors)),
        title=alt.Title("Timeline per actor", subtitle="bar: first to last day of a mark · dot: one article"))
    return alt.vconcat(world_map, timeline, spacing=30).configure_view(stroke=None).resolve_scale(color="shared")


def _description(selection: MapSelection) -> str:
    parts = []
    if selection.actor:
        parts.append(f"actor {selection.actor}")
    if selection.region:
        name = f"{selection.region_name} ({selection.region})" if selection.region_name else selection.region
        parts.append(f"in {name} or any place inside it")
    if selection.since or selection.until:
        parts.append(f"from {selection.since or 'the start'} to {selection.until or 'the end'}")
    return ", ".join(parts) if parts else "all movements in the graph"


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return (json.dumps(value, ensure_ascii=False, default=str)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _evidence_html(selection: MapSelection, located: set[int]) -> str:
    e = html.escape
    blocks = []
    for i, mark in enumerate(selection.marks):
        origins = ", ".join(e(o.label) for o in mark.origins) or "not reported"
        where = "" if i in located else " <em>(not on the map: no point known for this place)</em>"
        items = []
        for ev in mark.evidence:
            title = e(ev.title or ev.article_id)
            link = (f'<a href="{e(ev.url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
                    if ev.url else title)
            meta = " · ".join(x for x in (e(ev.source or ""), f"published {ev.published}" if ev.published else "",
                                          f"moved {ev.start or '…'} – {ev.end or '…'}" if (ev.start or ev.end)
                                          else "undated", f"quantity {ev.quantity}" if ev.quantity else "") if x)
            sentences = "".join(f"<li>{e(s)}</li>" for s in ev.sentences)
            items.append(f'<li class="article">{link} <span class="meta">{meta}</span>'
                         f'<ul class="sentences">{sentences}</ul></li>')
        blocks.append(
            f'<section class="mark" id="mark-{i}" data-modality="{e(mark.modality)}">'
            f'<h3><span class="swatch" style="background:{MODALITY_COLOURS.get(mark.modality, "#999")}"></span>'
            f'{e(mark.actor_name)} → {e(mark.destination.label)} <small>({e(mark.modality)}, '
            f'{mark.articles} article{"s" if mark.articles != 1 else ""}, {e(_dates(mark))})</small>{where}</h3>'
            f'<p class="meta">actor key {e(mark.actor_key)} · place key {e(mark.destination.key)} · '
            f'from {origins}</p><ol>{"".join(items)}</ol></section>')
    return "\n".join(blocks)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 18px 28px; color: #222; }}
h1 {{ font-size: 1.4em; margin: 0 0 4px; }}
p.summary {{ margin: 0 0 12px; color: #444; }}
.nomatch {{ font-size: 1.2em; padding: 12px 16px; background: #fff4e5; border: 1px solid #f0c36d; }}
section.mark {{ border-top: 1px solid #ddd; padding: 6px 0; }}
section.mark:target {{ background: #fffbd6; }}
section.mark h3 {{ font-size: 1em; margin: 6px 0 2px; }}
.swatch {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; }}
.meta {{ color: #666; font-size: 0.88em; }}
ul.sentences li {{ font-style: italic; }}
#vis {{ width: 100%; }}
</style>
<script>
{javascript}
</script>
</head>
<body>
<h1>movegraph movement map</h1>
<p class="summary">{summary}</p>
{nomatch}
<div id="vis"></div>
<h2>Evidence</h2>
<p class="meta">One block per mark (actor, destination, modality): every article and the sentences the movement
was read from. Clicking a mark on the map or the timeline jumps here.</p>
<div id="evidence">
{evidence}
</div>
<p class="meta">Country outlines: countryinfo (MIT), geometry from world.geo.json, derived from Natural Earth
(public domain). Generated by movegraph on {generated}.</p>
<script>
const spec = {spec};
vegaEmbed("#vis", spec, {{renderer: "svg", actions: false, loader: {{target: "_self"}}}})
  .then(function () {{ document.body.setAttribute("data-rendered", "true"); }})
  .catch(function (err) {{ document.body.setAttribute("data-render-error", String(err)); console.error(err); }});
</script>
</body>
</html>
"""


def build_page(selection: MapSelection, generated: dt.datetime | None = None, world: bool = False) -> str:
    """The whole HTML page as a string."""
    generated = generated or dt.datetime.now().replace(microsecond=0)
    marks = selection.marks
    points, _, used = _mark_rows(marks)
    located = {p["mark"] for p in points}
    articles = len({e.article_id for m in marks for e in m.evidence})
    edges = sum(m.edges for m in marks)
    actors = len({m.actor_key for m in marks})
    description = _description(selection)
    if marks:
        hows = sorted({p.how for p in used})
        summary = (f"{html.escape(description)}: {len(marks)} marks from {edges} MOVED_TO edges in {articles} "
                   f"articles, {actors} actor{'s' if actors != 1 else ''}. "
                   f"Marks stand at {html.escape('; '.join(hows)) or 'no known point'}.")
        if len(located) < len(marks):
            summary += f" {len(marks) - len(located)} mark(s) have no known point and are listed below only."
        nomatch = ""
    else:
        summary = html.escape(description) + ("" if description.endswith("…") else ".")
        nomatch = f'<p class="nomatch" id="nomatch">{NO_MATCH} this selection.</p>'
    spec = build_spec(selection, world)
    return PAGE.format(title=html.escape(f"movegraph map: {description}"), summary=summary, nomatch=nomatch,
                       javascript=_javascript().replace("</script", "<\\/script"), spec=_script_json(spec),
                       evidence=_evidence_html(selection, located), generated=generated.isoformat(sep=" "))


def check_output(path: Path) -> None:
    """Refuse an output whose folder is missing or that cannot be written, naming it."""
    if path.is_dir():
        raise MapOutputError(f"output {str(path)!r} is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise MapOutputError(f"output {str(path)!r}: folder {str(folder)!r} does not exist")
    existed = path.exists()
    try:
        with path.open("a", encoding="utf-8"):
            pass
        if not existed:
            path.unlink()
    except OSError as exc:
        raise MapOutputError(f"output {str(path)!r} cannot be written: {exc.strerror or exc}") from None


def write_page(selection: MapSelection, output: Path, world: bool = False) -> Path:
    """Build the page and write it to `output` (checked first); returns the path."""
    check_output(output)
    text = build_page(selection, world=world)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise MapOutputError(f"output {str(output)!r} cannot be written: {exc.strerror or exc}") from None
    return output
