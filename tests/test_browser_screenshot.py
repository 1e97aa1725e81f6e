"""The Neo4j Browser as an analyst sees it: the sample loaded, the movegraph style applied, a query run.

Headless Debian chromium driven by selenium through Debian's chromedriver (no browser
download). Skips with the reason when /usr/bin/chromium or chromedriver is absent
(`apt-get install -y chromium chromium-driver`). The PNG stays in test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from movegraph.extractors.base import create_extractor
from movegraph.extractors.pipeline import extract_all
from movegraph.graph.load import load_events
from movegraph.graph.server import configured_password
from movegraph.schema import Article, read_jsonl
from movegraph.settings import Settings
from tests.conftest import REPO, SAMPLE_ARTICLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"
BROWSER_DIR = REPO / "browser"
QUERY = "MATCH p = (:Actor)-[:MOVED_TO]->(:Location) RETURN p"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def _ready_queries() -> list[str]:
    text = (BROWSER_DIR / "queries.cypher").read_text()
    blocks = [b.strip() for b in text.split(";")]
    return [b for b in blocks if any(line and not line.startswith("//") for line in b.splitlines())]


@pytest.fixture()
def sample_loaded(neo4j_settings: Settings, empty_graph: Driver) -> Driver:
    """The sample article extracted with the rules extractor and loaded."""
    articles = read_jsonl(SAMPLE_ARTICLES, Article).records
    result = extract_all(create_extractor("rules"), articles)
    load_events(neo4j_settings, articles, result.events)
    return empty_graph


def test_ready_queries_run_on_the_sample(sample_loaded: Driver) -> None:
    records, _, _ = sample_loaded.execute_query("MATCH ()-[m:MOVED_TO]->() RETURN m.key AS k LIMIT 1")
    params = {"region": "RU-KRS", "from": dt.date(2024, 1, 1), "to": dt.date(2024, 12, 31),
              "actor": "KP/military", "edge": records[0]["k"]}
    queries = _ready_queries()
    assert len(queries) == 6
    rows = [sample_loaded.execute_query(q, params)[0] for q in queries]
    assert rows[1] and rows[2] and rows[3] and rows[4] and rows[5]  # timeline, evidence, modality, sources, graph


@pytest.fixture()
def chrome() -> Iterator[object]:
    """A headless chromium with a fresh profile, or a skip saying what is missing."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Debian chromium and chromium-driver are not installed "
                    "(apt-get update && apt-get install -y chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="movegraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


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


def test_browser_shows_the_styled_graph(chrome: object, sample_loaded: Driver, neo4j_settings: Settings) -> None:
    from selenium.webdriver.common.by import By

    driver = chrome
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "browser-graph.png"
    driver.get(f"http://127.0.0.1:{neo4j_settings.neo4j_http_port}/browser/")
    url = _wait(lambda: _interactable(driver.find_element(By.CSS_SELECTOR, "[data-testid='boltaddress']")),
                "the login form")
    url.clear()
    url.send_keys(f"neo4j://127.0.0.1:{neo4j_settings.neo4j_bolt_port}")
    driver.find_element(By.CSS_SELECTOR, "[data-testid='username']").send_keys(neo4j_settings.neo4j_user)
    driver.find_element(By.CSS_SELECTOR, "[data-testid='password']").send_keys(
        configured_password(neo4j_settings))
    driver.find_element(By.CSS_SELECTOR, "[data-testid='connect']").click()
    _wait(lambda: not driver.find_elements(By.CSS_SELECTOR, "[data-testid='connect']")
          and "Getting started" in driver.find_element(By.TAG_NAME, "body").text, "the login")
    # The README's way: `:style` followed by the file's text (one line here, for the editor).
    _run_command(driver, ":style " + " ".join((BROWSER_DIR / "movegraph.grass").read_text().split()))
    _wait(lambda: "relationship.MOVED_TO" in driver.find_element(By.TAG_NAME, "body").text
          or "MOVED_TO" in driver.find_element(By.TAG_NAME, "body").text, "the style frame", timeout=20)
    assert "InvalidGrassError" not in driver.find_element(By.TAG_NAME, "body").text
    time.sleep(1)
    _run_command(driver, ":clear")  # only the graph frame in the picture
    time.sleep(1)
    _run_command(driver, QUERY)
    nodes = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "svg g.node"), "graph nodes")
    time.sleep(3)  # let the force layout settle before the picture
    driver.save_screenshot(str(shot))
    body = driver.find_element(By.TAG_NAME, "body").text
    assert len(nodes) >= 2
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid='frameError'], [data-testid='errorBanner']")
    assert "Neo.ClientError" not in body and "ServiceUnavailable" not in body
    assert any(c.get_attribute("fill") == "#D9534F" for c in driver.find_elements(By.CSS_SELECTOR, "svg g.node circle"))
    assert shot.stat().st_size > 20_000
