"""The report site in a real browser: headless Chromium opens the index from disk (file://),
a search finds councils by any name the command line accepts, a column sorts, the year switch
changes year, a council is followed across its change of type, a CSV is downloaded and read
back, and the browser logs no error. Never skipped: without /usr/bin/chromium it fails and says
how to install it (.ci/run installs Debian's chromium and chromium-driver)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site_data import site_workbook

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
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
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


def _search(driver: Any, text: str) -> list[str]:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "filter")
    box.clear()
    box.send_keys(text or " ")  # clear() sends no input event; a blank search shows everyone
    return sorted(_visible_councils(driver))


@pytest.fixture
def site(cli, tmp_path: Path) -> Path:
    # reports_data's two years and three councils whose names a search must tell apart
    book = site_workbook(tmp_path / "data.xlsx")
    assert cli("compute", book, "--format", "csv").exit_code == 0
    out = tmp_path / "site"
    r = cli("report", "--output", out)
    assert r.exit_code == 0, r.stderr
    return out


def test_search_sort_and_follow_a_council_in_chromium(site, tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get((site / "index.html").as_uri())
    assert browser.title.startswith("Councils 2023-24")
    everyone = [
        "Dorset Council",
        "Hull City Council",
        "Kent County Council",
        "Solihull Metropolitan Borough Council",
        "Somerset Council",
        "Southampton City Council",
        "Transport for London",
    ]
    assert sorted(_visible_councils(browser)) == everyone
    count = browser.find_element(By.ID, "count")
    assert count.text == "Showing 7 of 7 councils."

    assert _search(browser, "somer") == ["Somerset Council"]
    assert count.text == "Showing 1 of 7 councils."
    assert _search(browser, "COUNCIL kent") == ["Kent County Council"]  # every word, any case
    # names the command line accepts: the register's names, short names and aliases
    assert _search(browser, "Hull") == ["Hull City Council"]  # never Solihull
    assert _search(browser, "Kingston upon Hull") == ["Hull City Council"]
    assert _search(browser, "Southampton UA") == ["Southampton City Council"]
    assert _search(browser, "Somerset County Council") == ["Somerset Council"]  # its predecessor
    assert _search(browser, "E06000045") == ["Southampton City Council"]
    assert _search(browser, "") == everyone
    Select(browser.find_element(By.ID, "group-filter")).select_by_value("unitary")
    assert _visible_councils(browser) == [
        "Dorset Council",
        "Hull City Council",
        "Somerset Council",
        "Southampton City Council",
    ]
    Select(browser.find_element(By.ID, "group-filter")).select_by_value("")

    # sort by uphold rate: 2023-24 Hull 100, Solihull 100, Kent 90, Somerset 80, Dorset 50,
    # TfL 50, Southampton 0 (n/a never first)
    header = browser.find_element(
        By.XPATH, "//table[@id='councils']//th[.//button[normalize-space()='Uphold rate']]"
    )
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _visible_councils(browser)[:1] == ["Southampton City Council"]
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert _visible_councils(browser)[2:4] == ["Kent County Council", "Somerset Council"]
    assert _errors(browser) == []
    shots = [tmp_path / "index.png"]
    browser.save_screenshot(str(shots[-1]))

    # the year switch: 2022-23 has Somerset County Council and Kent
    browser.find_element(By.LINK_TEXT, "2022-23").click()
    assert browser.current_url.endswith("/years/2022-23.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.endswith("2022-23")
    assert sorted(_visible_councils(browser)) == ["Kent County Council", "Somerset County Council"]
    # Somerset County Council's page is Somerset Council's: both years, each with its group
    browser.find_element(By.LINK_TEXT, "Somerset County Council").click()
    assert browser.current_url.endswith("/councils/somerset-council.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Somerset Council"
    chart = browser.find_element(By.CSS_SELECTOR, "#uphold + figure svg")
    assert chart.get_attribute("role") == "img"
    assert chart.size["width"] > 300 and chart.size["height"] > 150  # drawn, not collapsed
    table = browser.find_element(By.XPATH, "//table[caption[contains(., 'uphold rate by year')]]")
    years = [r.text.split()[:3] for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert years == [["2022-23", "County", "councils"], ["2023-24", "Unitary", "councils"]]
    shots.append(tmp_path / "council.png")
    browser.save_screenshot(str(shots[-1]))
    table.find_element(By.LINK_TEXT, "County councils").click()
    assert browser.current_url.endswith("/groups/county-2022-23.html")
    browser.back()
    table = browser.find_element(By.XPATH, "//table[caption[contains(., 'uphold rate by year')]]")
    table.find_element(By.LINK_TEXT, "Unitary councils").click()
    assert browser.current_url.endswith("/groups/unitary-2023-24.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Unitary councils, 2023-24"
    funnel = browser.find_element(By.CSS_SELECTOR, "#funnel-uphold svg")
    assert funnel.size["width"] > 300 and funnel.size["height"] > 200
    shots.append(tmp_path / "group.png")
    browser.save_screenshot(str(shots[-1]))
    assert all(s.stat().st_size > 10_000 for s in shots)  # a page was drawn, not a blank one
    assert _errors(browser) == []


def test_a_table_downloads_as_csv_and_reads_back(site, tmp_path, browser):
    import csv
    import io
    import time

    from selenium.webdriver.common.by import By

    browser.get((site / "councils" / "somerset-council.html").as_uri())
    link = browser.find_element(By.XPATH, "//h2[@id='uphold']/following::a[text()='CSV'][1]")
    assert link.get_attribute("download") is not None
    link.click()
    target = tmp_path / "downloads" / "somerset-council-by-year.csv"
    for _ in range(100):  # the download is written in the background
        if target.exists():
            break
        time.sleep(0.1)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    # 2022-23 Somerset County Council 6 of 10 (60%); 2023-24 Somerset Council 8 of 10 (80%)
    assert [(r["year"], r["council"], r["upheld"], r["investigations"]) for r in rows] == [
        ("2022-23", "Somerset County Council", "6", "10"),
        ("2023-24", "Somerset Council", "8", "10"),
    ]
    assert [float(r["uphold_rate"]) for r in rows] == [60.0, 80.0]
    assert _errors(browser) == []
