"""Many viewers, real processes: two `streamlit run` processes over one synthetic database, four viewers (Chromium)
loading 总览 at once while a command-line import lands; every load completes without an error, each app then
serves the new value, and the import changed the version of its county only (planwatch.versions). The figures at scale (1, 4 and 8 viewers, 2,850 regions) are bench/viewers.py's."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import ExitStack

from playwright.async_api import async_playwright, expect

from conftest import one, rows
from servers import streamlit_app
from test_browser import LAUNCH

from planwatch import db, versions
from planwatch.paths import ROOT

VIEWERS = 4


async def overview(browser, url: str) -> int:
    """Load 总览 in a fresh context until its title shows; returns the number of error boxes on the page."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = await context.new_page()
    await page.goto(url + "/?year=2025", timeout=60_000)
    await expect(page.get_by_role("heading", name="总览 · 截至2025年")).to_be_visible(timeout=45_000)
    await expect(page.get_by_text("达标率").first).to_be_visible(timeout=45_000)
    errors = await page.locator("[data-testid='stException']").count()
    await context.close()
    return errors


async def shows(browser, url: str, indicator: str, text: str) -> None:
    page = await browser.new_page()
    await page.goto(url + f"/indicator?id={indicator}&year=2025", timeout=60_000)
    await expect(page.get_by_text(text).first).to_be_visible(timeout=30_000)
    await page.close()


def test_four_viewers_on_two_apps_while_an_import_lands(tmp_path):
    path = tmp_path / "synth.duckdb"
    subprocess.run([sys.executable, "-m", "planwatch", "synth", "--db", str(path), "--regions", "2"], cwd=ROOT,
                   check=True, capture_output=True)
    indicator = one(path, "SELECT min(indicator_id) FROM v_indicator WHERE plan_id LIKE 'synth-%' AND unit = '%' "
                          "AND target_value IS NOT NULL")[0]
    csv_path = tmp_path / "values.csv"
    csv_path.write_text(f"indicator_id,year,value,note\n{indicator},2025,12.34,\n", encoding="utf-8")
    before = db.identity(path)

    async def run(urls: list[str]) -> tuple[list[int], int]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(**LAUNCH)
            importing = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(path), cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            *errors, code = await asyncio.gather(*(overview(browser, urls[i % 2]) for i in range(VIEWERS)),
                                                 importing.wait())
            await asyncio.gather(*(shows(browser, url, indicator, "12.34") for url in urls))
            await browser.close()
        return errors, code

    with ExitStack() as stack:
        urls = [stack.enter_context(streamlit_app(path)) for _ in range(2)]
        errors, code = asyncio.run(run(urls))
    assert code == 0 and db.identity(path) != before
    assert errors == [0] * VIEWERS
    stamps = dict(rows(path, "SELECT region_code, version FROM _region_version"))
    county = one(path, "SELECT region_code FROM v_indicator WHERE indicator_id = ?", [indicator])[0]
    assert set(stamps) == {versions.EVERY, county} and stamps[county] > stamps[versions.EVERY]
