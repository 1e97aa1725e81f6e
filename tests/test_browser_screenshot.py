"""The Neo4j Browser as an analyst sees it: the sample loaded, the movegraph style applied, a query run.

Headless Debian chromium driven by selenium through Debian's chromedriver (no browser
download). Skips with the reason when /usr/bin/chromium or chromedriver is absent
(`apt-get install -y chromium chromium-driver`). The PNG stays in test-artifacts/.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator

import pytest
from neo4j import Driver

from movegraph.extractors.base import create_extractor
from movegraph.extractors.pipeline import extract_all
from movegraph.graph.browser_assets import guide_html, ready_queries
from movegraph.graph.load import load_events
from movegraph.schema import Article, read_jsonl
from movegraph.settings import Settings
from tests.conftest import REPO, SAMPLE_ARTICLES
from tests.helpers import headless_chromium

ARTIFACTS = REPO / "test-artifacts"
BROWSER_DIR = REPO / "browser"
QUERY = "MATCH p = (:Actor)-[:MOVED_TO]->(:Location) RETURN p"


@pytest.fixture()
def sample_loaded(neo4j_settings: Settings, empty_graph: Driver) -> Driver:
    """The sample article extracted with the rules extractor and loaded."""
    articles = read_jsonl(SAMPLE_ARTICLES, Article).records
    result = extract_all(create_extractor("rules"), articles)
    load_events(neo4j_settings.neo4j_target(), articles, result.events)
    return empty_graph


def test_ready_queries_run_on_the_sample(sample_loaded: Driver) -> None:
    records, _, _ = sample_loaded.execute_query("MATCH ()-[m:MOVED_TO]->() RETURN m.key AS k LIMIT 1")
    params = {"region": "RU-KRS", "from": "2024-01-01", "to": "2024-12-31",
              "actor": "KP/military", "edge": records[0]["k"]}
    queries = ready_queries((BROWSER_DIR / "queries.cypher").read_text())
    assert len(queries) == 8
    rows = [sample_loaded.execute_query(q.cypher, params)[0] for q in queries]
    assert rows[1] and rows[2] and rows[3] and rows[4] and rows[5]  # timeline, evidence, modality, sources, graph


def test_guide_has_a_slide_per_ready_query_with_its_cypher_clickable() -> None:
    text = (BROWSER_DIR / "queries.cypher").read_text()
    page = guide_html(text)
    queries = ready_queries(text)
    assert page.count("<slide") == len(queries) + 1  # the parameters slide, then one per query
    assert page.count('class="code runnable"') == len(queries) + 1
    assert ":params {region: &#x27;RU-KRS&#x27;, from: &#x27;2024-10-01&#x27;" in page
    for query in queries:
        assert html.escape(query.cypher) in page and html.escape(query.title) in page
    assert [q.title.split(":")[0] for q in queries][-2:] == ["Claims against denials", "Top destinations this week"]


@pytest.fixture()
def chrome() -> Iterator[object]:
    """A headless chromium with a fresh profile, or a skip saying what is missing."""
    yield from headless_chromium("--window-size=1400,1000")


def _wait(predicate: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - the page is still rendering
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _interactable(element: object) -> object | None:
    """The element once it is shown and enabled: the form renders before it accepts input."""
    return element if element.is_displayed() and element.is_enabled() else None


def _run_command(driver: object, command: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    editor = _wait(lambda: driver.find_element(By.CSS_SELECTOR, "#monaco-main-editor textarea, "
                                               ".monaco-editor textarea"), "the editor")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(command)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def _login(driver: object, settings: Settings) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"http://127.0.0.1:{settings.neo4j_http_port}/browser/")
    url = _wait(lambda: _interactable(driver.find_element(By.CSS_SELECTOR, "[data-testid='boltaddress']")),
                "the login form")
    url.clear()
    url.send_keys(f"neo4j://127.0.0.1:{settings.neo4j_bolt_port}")
    driver.find_element(By.CSS_SELECTOR, "[data-testid='username']").send_keys(settings.neo4j_user)
    password = settings.neo4j_target().resolved_password()
    driver.find_element(By.CSS_SELECTOR, "[data-testid='password']").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "[data-testid='connect']").click()


def _guide_block(driver: object, fragment: str) -> object:
    """The guide's clickable block whose text holds `fragment`, paging through the slides to reach it."""
    from selenium.webdriver.common.by import By

    for _ in range(12):
        blocks = [b for b in driver.find_elements(By.CSS_SELECTOR, "pre.runnable")
                  if b.is_displayed() and fragment in b.text]
        if blocks:
            return blocks[0]
        buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, "[data-testid='nextSlide']") if b.is_displayed()]
        if not buttons:
            break
        driver.execute_script("arguments[0].click();", buttons[0])
        time.sleep(0.5)
    driver.save_screenshot(str(ARTIFACTS / "guide-debug.png"))
    raise AssertionError(f"no guide slide holds {fragment!r}")


def _run_editor(driver: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    editor = driver.find_element(By.CSS_SELECTOR, "#monaco-main-editor textarea, .monaco-editor textarea")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def test_browser_shows_style_and_guide_on_connect(chrome: object, sample_loaded: Driver,
                                                  neo4j_settings: Settings) -> None:
    """No `:style` typed: the server's post-connect command applies the style and opens the guide."""
    from selenium.webdriver.common.by import By

    driver = chrome
    ARTIFACTS.mkdir(exist_ok=True)
    _login(driver, neo4j_settings)
    body = lambda: driver.find_element(By.TAG_NAME, "body").text  # noqa: E731
    _wait(lambda: "Click a grey block" in body(), "the movegraph guide")
    _wait(lambda: "node.Actor" in body(), "the movegraph style frame", timeout=20)
    assert "InvalidGrassError" not in body() and "CouldNotFetchRemoteGuideError" not in body()
    assert "analytics" not in body().lower()  # no product-analytics consent banner
    driver.save_screenshot(str(ARTIFACTS / "browser-guide.png"))
    _guide_block(driver, ":params").click()  # the guide's parameters block, then a graph query of the guide
    _run_editor(driver)
    _wait(lambda: '"region": "RU-KRS"' in body(), "the parameters")
    _guide_block(driver, "RETURN p LIMIT").click()  # the guide's whole-graph query, run from its slide
    _run_editor(driver)
    nodes = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "svg g.node"), "graph nodes")
    time.sleep(3)  # let the force layout settle before the picture
    shot = ARTIFACTS / "browser-graph.png"
    driver.save_screenshot(str(shot))
    assert len(nodes) >= 2
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid='frameError'], [data-testid='errorBanner']")
    assert "Neo.ClientError" not in body() and "ServiceUnavailable" not in body()
    fills = {c.get_attribute("fill") for c in driver.find_elements(By.CSS_SELECTOR, "svg g.node circle")}
    assert {"#D9534F", "#4C8EDA"} <= fills  # actors red, places blue: the movegraph style, applied on connect
    captions = " ".join(t.text for t in driver.find_elements(By.CSS_SELECTOR, "svg g.node text"))
    assert "Russia" in captions or "Kursk" in captions  # places captioned by their English name
    assert shot.stat().st_size > 20_000
