"""`movegraph map` on a small graph with known marks: the query's marks, the CLI's errors, and the page
rendered in headless Chromium with the network off (screenshot in test-artifacts/map.png)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from movegraph.graph.map_query import MapPlace, MapQueryError, map_marks
from movegraph.graph.writer import GraphWriter
from movegraph.schema import Article, MovementEvent, Place
from movegraph.settings import Settings
from movegraph.views.map_geo import HOW_COUNTRY, HOW_PLACE, HOW_REGION, locate
from tests import factories as f
from tests.conftest import REPO
from tests.helpers import headless_chromium
from tests.helpers import run_movegraph as movegraph

ARTIFACTS = REPO / "test-artifacts"
# The network is off for the browser: every host resolves to nothing and every request goes to a dead proxy.
NO_NETWORK = ("--window-size=1400,1500", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
              "--host-resolver-rules=MAP * ~NOTFOUND")
D = dt.date.fromisoformat
UA, RU, KP = "UA/military", "RU/military", "KP/military"
KURSK = Place(text="Kursk region", country="RU", country_name="Russia", subdivision="RU-KRS",
              subdivision_name="Kursk Oblast")
MOSCOW = Place(text="Moscow", country="RU", country_name="Russia", subdivision="RU-MOW", subdivision_name="Moscow",
               locality="Moscow", lat=55.75, lon=37.62, geonames_id=524901)
POLAND = Place(text="Poland", country="PL", country_name="Poland")
NORTH_KOREA = Place(text="North Korea", country="KP", country_name="North Korea")
KURSK_SENTENCE = "North Korean troops were deployed to the Kursk region, the ministry said."


def _event(article_id: str, modality: str, day: str, *, affiliation: str = "UA", destination: Place | None = None,
           origin: Place | None = None, sentence: str | None = None) -> MovementEvent:
    event = f.event(article_id, affiliation=affiliation, modality=modality, time=(day, day),
                    **({"sentence": sentence} if sentence else {}))
    update: dict[str, object] = {"origin": origin}
    if destination is not None:
        update["destination"] = destination
    return event.model_copy(update=update)


def known_graph() -> tuple[list[Article], list[MovementEvent]]:
    """Five marks: UA into Lviv asserted by 3 articles (one from Poland) and denied by 1, UA expected into Poland,
    KP into the Kursk region from North Korea (2 articles), RU expected into the Kursk region from Moscow."""
    articles = [f.article(f"m{i}") for i in range(1, 9)]
    events = [
        _event("m1", "asserted", "2024-03-01", origin=POLAND),
        _event("m2", "asserted", "2024-03-05"),
        _event("m3", "asserted", "2024-03-11"),
        _event("m4", "denied", "2024-03-04"),
        _event("m5", "expected", "2024-03-20", destination=POLAND),
        _event("m6", "asserted", "2024-10-20", affiliation="KP", destination=KURSK, origin=NORTH_KOREA,
               sentence=KURSK_SENTENCE),
        _event("m7", "asserted", "2024-11-02", affiliation="KP", destination=KURSK, origin=NORTH_KOREA),
        _event("m8", "expected", "2024-08-15", affiliation="RU", destination=KURSK, origin=MOSCOW),
    ]
    return articles, events


@pytest.fixture()
def graph(empty_graph: Driver, neo4j_settings: Settings) -> Driver:
    """The known graph written by the real writer."""
    GraphWriter(empty_graph, database=neo4j_settings.neo4j_database).write(*known_graph())
    return empty_graph



# -- the query ---------------------------------------------------------------------
def test_map_marks_count_articles_modalities_origins_and_places(graph: Driver, neo4j_settings: Settings) -> None:
    selection = map_marks(graph, database=neo4j_settings.neo4j_database)
    summary = [(m.actor_key, m.destination.key, m.modality, m.articles, m.edges, [o.key for o in m.origins])
               for m in selection.marks]
    assert summary == [
        (KP, "RU-KRS", "asserted", 2, 2, ["KP"]),
        (RU, "RU-KRS", "expected", 1, 1, ["RU-MOW/moscow"]),
        (UA, "PL", "expected", 1, 1, []),
        (UA, "UA-46/lviv", "asserted", 3, 3, ["PL"]),
        (UA, "UA-46/lviv", "denied", 1, 1, []),
    ]
    kp, ru, _, lviv, _ = selection.marks
    # places as the graph holds them: names in English, coordinates on localities only
    assert (lviv.destination.name, lviv.destination.level, lviv.destination.lat, lviv.destination.lon) == (
        "Lviv", "locality", 49.84, 24.03)
    assert (kp.destination.name, kp.destination.level, kp.destination.lat) == ("Kursk Oblast", "subdivision", None)
    assert (ru.origins[0].name, ru.origins[0].lat, ru.origins[0].lon) == ("Moscow", 55.75, 37.62)
    assert (lviv.first, lviv.last, kp.first, kp.last) == (D("2024-03-01"), D("2024-03-11"), D("2024-10-20"),
                                                            D("2024-11-02"))
    assert [e.article_id for e in kp.evidence] == ["m6", "m7"]
    assert kp.evidence[0].sentences == [KURSK_SENTENCE]
    assert kp.evidence[0].url == "https://example.org/m6" and kp.evidence[0].title == "Test article"
    assert lviv.sources == ["Example News"]
    # where each is drawn: a locality at its own point, a region at its largest city, a country at its centre
    here = locate(lviv.destination)
    assert (here.lat, here.lon, here.how) == (49.84, 24.03, HOW_PLACE)
    kursk = locate(kp.destination)
    assert kursk.how == HOW_REGION and 51.0 < kursk.lat < 52.5 and 35.5 < kursk.lon < 37.0  # Kursk city
    korea = locate(kp.origins[0])
    assert korea.how == HOW_COUNTRY and 37.5 < korea.lat < 43.0 and 124.0 < korea.lon < 131.0
    assert locate(MapPlace(key="XX")) is None


def test_map_marks_filter_by_actor_region_and_window(graph: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database

    def keys(**kwargs: object) -> list[tuple[str, str, str]]:
        return [(m.actor_key, m.destination.key, m.modality) for m in map_marks(graph, database=db, **kwargs).marks]

    assert keys(actor=UA) == [(UA, "PL", "expected"), (UA, "UA-46/lviv", "asserted"), (UA, "UA-46/lviv", "denied")]
    assert keys(region="RU") == [(KP, "RU-KRS", "asserted"), (RU, "RU-KRS", "expected")]  # PART_OF the country
    assert keys(region="UA-46", actor=UA) == [(UA, "UA-46/lviv", "asserted"), (UA, "UA-46/lviv", "denied")]
    assert keys(since=D("2024-03-05"), until=D("2024-03-31")) == [
        (UA, "PL", "expected"), (UA, "UA-46/lviv", "asserted")]
    window = map_marks(graph, since=D("2024-03-05"), until=D("2024-03-31"), database=db)
    assert [e.article_id for e in window.marks[1].evidence] == ["m2", "m3"]  # m1 (March 1st) is outside
    assert map_marks(graph, region="RU-KRS", database=db).region_name == "Kursk Oblast"
    assert keys(since=D("2030-01-01")) == []
    with pytest.raises(MapQueryError, match="unknown region 'XX-YY'"):
        map_marks(graph, region="XX-YY", database=db)
    with pytest.raises(MapQueryError, match="unknown actor 'ZZ/military'"):
        map_marks(graph, actor="ZZ/military", database=db)
    with pytest.raises(MapQueryError, match="after"):
        map_marks(graph, since=D("2024-05-01"), until=D("2024-04-01"), database=db)


# -- the command -------------------------------------------------------------------
def test_map_command_errors_are_one_line_and_an_empty_selection_says_so(graph: Driver, cli_env: dict[str, str],
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    for args, named in ((["--region", "XX-YY"], "'XX-YY'"), (["--actor", "ZZ/military"], "'ZZ/military'"),
                        (["--since", "2024-02-30"], "'2024-02-30'"),
                        (["--output", str(tmp_path / "missing" / "map.html")], "missing")):
        done = movegraph("map", "--output", str(out), *args, env=cli_env)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("movegraph") and "error" in lines[0] and named in lines[0], \
            done.stderr
    assert not out.exists() and not (tmp_path / "missing").exists()
    done = movegraph("map", "--since", "2030-01-01", "--output", str(out), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "no movements match" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert "no movements match" in page and 'id="nomatch"' in page


# -- the page in a browser ---------------------------------------------------------
@pytest.fixture()
def chrome() -> Iterator[object]:
    """A headless chromium with a fresh profile and no network, or a skip saying what is missing."""
    yield from headless_chromium(*NO_NETWORK)


def _wait(predicate: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _remote_loads(page: str) -> list[str]:
    """Everything in the HTML that would make a browser fetch from a network address."""
    loads = re.findall(r"<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//",
                       page, flags=re.I)
    loads += re.findall(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", page, flags=re.I)
    loads += re.findall(r"@import|url\(\s*[\"']?(?:https?:)?//", page, flags=re.I)
    return loads


def test_map_page_renders_offline_in_headless_chromium(chrome: object, graph: Driver, cli_env: dict[str, str],
                                                       tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    out = tmp_path / "map.html"
    done = movegraph("map", "--output", str(out), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "5 marks" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert _remote_loads(page) == []  # script, data and style are all in the page
    driver = chrome
    driver.get(out.as_uri())
    state = _wait(lambda: driver.execute_script(
        "return document.body.getAttribute('data-rendered') || document.body.getAttribute('data-render-error')"),
        "the charts")
    assert state == "true", state
    svg = driver.find_elements(By.CSS_SELECTOR, "#vis svg")
    assert svg
    countries = driver.find_elements(By.CSS_SELECTOR, "g[class*='countries'] > path")
    marks = driver.find_elements(By.CSS_SELECTOR, "g[class*='destinations'] > path")
    routes = driver.find_elements(By.CSS_SELECTOR, "g.mark-trail[class*='routes'] > path")
    dots = driver.find_elements(By.CSS_SELECTOR, "g[class*='events'] > path")
    assert len(countries) > 150  # the world's outlines
    assert len(marks) == 5  # one per actor, destination and modality
    assert len(routes) == 3  # from Poland, North Korea and Moscow
    assert len(dots) == 8  # one per article on the timeline
    colours = {m.get_attribute("fill") for m in marks}
    assert {"#d7301f", "#f28e2b", "#2c7fb8"} <= colours  # asserted, expected, denied
    body = driver.find_element(By.TAG_NAME, "body").text
    assert KURSK_SENTENCE in body and "Kursk Oblast" in body and "Timeline per actor" in svg[0].text
    assert driver.find_elements(By.CSS_SELECTOR, "#evidence a[href='https://example.org/m6']")
    # hovering the Kursk mark shows its evidence sentence (off its centre: RU's smaller mark sits on top there)
    kursk = next(m for m in marks if m.get_attribute("aria-label") and "Kursk Oblast" in m.get_attribute("aria-label")
                 and "asserted" in m.get_attribute("aria-label"))
    ActionChains(driver).move_to_element_with_offset(kursk, -kursk.size["width"] // 3, 0).perform()
    tooltip = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#vg-tooltip-element.visible"), "the tooltip", 10)
    assert "North Korean troops were deployed" in tooltip[0].text
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "map.png"
    driver.save_screenshot(str(shot))  # with the hovered mark's evidence showing
    assert shot.stat().st_size > 50_000
    # nothing came from the network
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [u for u in fetched if not u.startswith(("file:", "data:", "blob:"))] == []
