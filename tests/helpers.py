"""Helpers several test files share: the CLI in a subprocess and a headless Debian chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage")


def run_movegraph(*args: str, env: dict[str, str] | None = None,
                  timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """The console script's module in a subprocess, the way a user runs it."""
    return subprocess.run([sys.executable, "-m", "movegraph.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


def headless_chromium(*flags: str) -> Iterator[object]:
    """A headless chromium (selenium, Debian's chromedriver) with a fresh profile, or a skip saying what is missing."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Debian chromium and chromium-driver are not installed "
                    "(apt-get update && apt-get install -y chromium chromium-driver, or `make browser`)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="movegraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, *flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
