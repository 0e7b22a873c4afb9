"""The report site in a real browser: headless Chromium opens the index from disk (file://),
a search filters the table, a column sorts, a council link leads to its page, and the browser logs
no error. Never skipped: without /usr/bin/chromium it fails and says how to install it (.ci/run
installs Debian's chromium and chromium-driver)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reports_data import workbook

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(
            "the browser test needs Chromium: apt-get update && apt-get install -y "
            "chromium chromium-driver (.ci/run does this)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]


def _visible_councils(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#councils tbody tr")
    return [r.find_element(By.CSS_SELECTOR, "th a").text for r in rows if r.is_displayed()]


def test_search_sort_and_follow_a_council_in_chromium(cli, tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    assert cli("compute", workbook(tmp_path / "data.xlsx"), "--format", "csv").exit_code == 0
    site = tmp_path / "site"
    r = cli("report", "--output", site)
    assert r.exit_code == 0, r.stderr

    browser.get((site / "index.html").as_uri())
    assert browser.title.startswith("Councils 2023-24")
    everyone = ["Dorset Council", "Kent County Council", "Somerset Council", "Transport for London"]
    assert sorted(_visible_councils(browser)) == everyone
    count = browser.find_element(By.ID, "count")
    assert count.text == "Showing 4 of 4 councils."

    box = browser.find_element(By.ID, "filter")
    box.send_keys("somer")
    assert _visible_councils(browser) == ["Somerset Council"]
    assert count.text == "Showing 1 of 4 councils."
    box.clear()
    box.send_keys("COUNCIL kent")  # every word must match, in any case
    assert _visible_councils(browser) == ["Kent County Council"]
    box.clear()
    box.send_keys(" ")  # clear() sends no input event; a blank search shows everyone
    assert sorted(_visible_councils(browser)) == everyone
    Select(browser.find_element(By.ID, "group-filter")).select_by_value("unitary")
    assert sorted(_visible_councils(browser)) == ["Dorset Council", "Somerset Council"]
    Select(browser.find_element(By.ID, "group-filter")).select_by_value("")

    # sort by uphold rate: 2023-24 Kent 90, Somerset 80, Dorset 50, TfL 50 (n/a never first)
    header = browser.find_element(
        By.XPATH, "//table[@id='councils']//th[.//button[normalize-space()='Uphold rate']]"
    )
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _visible_councils(browser)[-2:] == ["Somerset Council", "Kent County Council"]
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert _visible_councils(browser)[:2] == ["Kent County Council", "Somerset Council"]

    browser.save_screenshot(str(tmp_path / "index.png"))
    box.send_keys("somerset")
    browser.find_element(By.LINK_TEXT, "Somerset Council").click()
    assert browser.current_url.endswith("/councils/somerset-council.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Somerset Council"
    chart = browser.find_element(By.CSS_SELECTOR, "figure img")
    assert chart.get_attribute("alt").startswith("Bar charts of Somerset Council")
    # the SVG chart loaded from disk (naturalWidth is 0 for a broken image)
    assert browser.execute_script("return arguments[0].naturalWidth", chart) > 300
    browser.save_screenshot(str(tmp_path / "council.png"))
    assert (tmp_path / "index.png").stat().st_size > 10_000
    assert (tmp_path / "council.png").stat().st_size > 10_000

    browser.find_element(By.LINK_TEXT, "Unitary councils").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Unitary councils, 2023-24"
    browser.save_screenshot(str(tmp_path / "group.png"))
    assert _errors(browser) == []
