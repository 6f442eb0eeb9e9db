"""In a real browser, a download whose file fails to be made reruns the page where it was (same page, same URL
parameters) and says so in Chinese beside the buttons (streamlit_compat.report_download_failures: the rerun from
Streamlit's deferred-file handler is what AppTest cannot show). The server's Excel maker is broken on purpose by
a sitecustomize module on its PYTHONPATH."""
from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright
from servers import streamlit_app

from planwatch.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
BROKEN = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from planwatch import downloads

def broken(*args, **kwargs):
    raise ValueError("forced: the Excel maker fails")

downloads.xlsx_bytes = broken
"""


@pytest.fixture(scope="module")
def broken_server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    (folder / "sitecustomize.py").write_text(BROKEN, encoding="utf-8")
    db = folder / "app.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_app(db, {"PYTHONPATH": str(folder)}) as url:
        yield url


def test_a_failed_excel_download_is_said_in_chinese_on_the_same_page(broken_server):
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run scripts/test.sh, which installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        page.set_default_timeout(60_000)
        page.goto(broken_server + "/warnings?year=2023")
        main = page.locator("[data-testid='stMainBlockContainer']")
        expect(main.locator("h1")).to_contain_text("预警清单", timeout=60_000)
        main.get_by_role("button", name="下载全部").click()
        page.locator("[data-testid='stPopoverBody']").get_by_role("button", name="下载 Excel").click()
        alert = main.locator("[data-testid='stAlert']").filter(has_text="未能生成")
        expect(alert).to_have_text("error未能生成“预警清单_截至2023年.xlsx”:程序出错(详情已记入服务器日志),"
                                   "请稍后再试或联系管理员。", timeout=30_000)
        expect(main.locator("h1")).to_contain_text("截至2023年")  # the same page and year after the rerun
        assert "year=2023" in page.url and "Traceback" not in main.inner_text()
        browser.close()
