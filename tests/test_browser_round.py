"""A whole reporting round in the browser (Playwright, Debian's chromium; fails without it, never skips).

The admin opens the 2025 round; the 市卫健委 filler submits two values, has a file with another unit's indicator
refused, and uploads the unit's template with one value; the reviewer approves
the online submission and returns the template with a reason; the board and the indicator page show the result;
the admin closes the round (结束报送) and the filler's page says so. Each step is saved at 1280×720 in docs/round/ (the walk-through in docs/round/README.md).
"""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import one
from openpyxl import load_workbook
from playwright.sync_api import expect
from servers import streamlit_app
from test_browser import browser  # noqa: F401  (the shared chromium fixture)

from planwatch import accounts, db, template
from planwatch.paths import ROOT

# the walk-through's screenshots: written to docs/round/ only when asked (PLANWATCH_ROUND_SHOTS=1), else to a
# temporary folder, so that a test run leaves the checkout as it was
SHOTS = ROOT / "docs" / "round" if os.environ.get("PLANWATCH_ROUND_SHOTS") else \
    Path(tempfile.gettempdir()) / "planwatch-round-shots"
PASSWORD = "password1"
NEWBORN, INFANT, LIFE = "zhangjiagang-children-k01", "zhangjiagang-children-k02", "zhangjiagang-women-k01"
EDU = "zhangjiagang-women-k03"  # 市教育局's


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("round_browser") / "app.duckdb"
    shutil.copy(demo_db, path)
    for name, role, region, unit in [("wj", "filler", "张家港市", "市卫健委"), ("tj", "reviewer", "张家港市", None),
                                     ("admin", "admin", None, None)]:
        accounts.add(path, name, PASSWORD, role, region, unit)
    with streamlit_app(path) as url:
        yield url, path


def session(browser, url: str, path: str, name: str):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN").new_page()
    page.set_default_timeout(60_000)
    page.goto(url + path)
    body = page.locator("[data-testid='stMainBlockContainer']")
    body.get_by_label("用户名").fill(name)
    body.get_by_label("密码").fill(PASSWORD)
    body.get_by_role("button", name="登录").click()
    expect(body.get_by_text(f"当前账号:{name}")).to_be_visible()
    return page, body


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def idle(page) -> None:
    """Wait until the script run triggered by the last action has finished (the 'running' indicator is gone)."""
    page.wait_for_timeout(1000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(1000)


def test_a_whole_round(server, browser, tmp_path):  # noqa: F811
    url, path = server
    # 1. the admin opens the round
    page, body = session(browser, url, "/round_admin", "admin")
    body.get_by_role("button", name="开启年度监测").click()
    expect(body.get_by_text("已开启 2025 年度监测,截止日期")).to_be_visible()
    shot(page, "01_admin_opens_round")

    # 2. the filler submits two values (typing into the online grid's canvas proved unreliable in headless Chromium;
    # the grid's checks and its save path have AppTests in test_round_pages.py)
    page, body = session(browser, url, "/unit_entry", "wj")
    expect(body.get_by_text("张家港市 · 市卫健委 · 报送 2025 年数值")).to_be_visible()
    expect(body.get_by_test_id("stDataFrame").first).to_be_visible()  # the online grid of the unit's indicators
    body.get_by_role("tab", name="② 模板上传").click()
    idle(page)
    with page.expect_download() as info:   # the unit's template, made when the button is clicked
        body.get_by_role("button", name="下载本单位填报模板(xlsx)").click()
    ids = [r[0] for r in load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["填报"].iter_rows(min_row=2, values_only=True)]
    assert NEWBORN in ids and INFANT in ids and EDU not in ids
    two = tmp_path / "市卫健委_两项.csv"
    two.write_text(f"指标编号,年份,数值\n{NEWBORN},2025,2.5\n{INFANT},2025,2\n", encoding="utf-8")
    # the file box speaks Chinese: Streamlit's "Upload" and "5MB per file • …" are hidden, Chinese drawn instead
    zone = body.get_by_test_id("stFileUploaderDropzone")
    for selector, words in (("button p", "选择文件"), ("[data-testid='stFileUploaderDropzoneInstructions'] span",
                                                     "或将文件拖到此处")):
        element = zone.locator(selector).first
        assert element.evaluate("e => getComputedStyle(e).fontSize") == "0px"
        assert element.evaluate("e => getComputedStyle(e, '::after').content") == f'"{words}"'
    body.locator("input[type='file']").set_input_files(str(two))
    expect(body.get_by_text("检查通过:2 项")).to_be_visible()
    body.get_by_role("button", name="提交审核").last.click()
    expect(body.get_by_text("已提交批次")).to_be_visible()
    shot(page, "03_filler_submitted")
    assert one(path, "SELECT count(*) FROM v_observation WHERE year = 2025") == (0,)  # pending counts nowhere

    # 3. a file with another unit's indicator is refused whole; the unit's template with one value is accepted
    body.get_by_role("tab", name="② 模板上传").click()
    idle(page)
    foreign = tmp_path / "教育局的指标.csv"
    foreign.write_text(f"指标编号,年份,数值\n{INFANT},2025,2\n{EDU},2025,11.5\n", encoding="utf-8")
    body.locator("input[type='file']").set_input_files(str(foreign))
    expect(body.get_by_text(f"第3行: 指标“{EDU}”")).to_be_visible()
    shot(page, "04_filler_foreign_indicator_refused")
    # what 提交 would refuse is refused at the check, before a 检查通过 and a button: a year without an open round,
    # a value that reverses without 原因说明 and 整改措施
    for name, line, refusal in (("往年.csv", f"{INFANT},2024,2", "2024 年度监测尚未开启"),
                                ("无原因.csv", f"{INFANT},2025,5", "请填写原因说明和整改措施")):
        (tmp_path / name).write_text(f"指标编号,年份,数值\n{line}\n", encoding="utf-8")
        body.locator("input[type='file']").set_input_files(str(tmp_path / name))
        expect(body.get_by_text(refusal).first).to_be_visible()
        expect(body.get_by_text("检查通过")).to_have_count(0)
    with db.open_reader(path) as reader:
        book = load_workbook(io.BytesIO(template.workbook_bytes(reader.cursor(), 2025, unit="320582:市卫健委")))
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == LIFE)
    sheet.cell(row, header.index("数值") + 1, 86.8)
    filled = tmp_path / "市卫健委_2025.xlsx"
    book.save(filled)
    body.locator("input[type='file']").set_input_files(str(filled))
    expect(body.get_by_text("检查通过:1 项")).to_be_visible()
    shot(page, "05_filler_template_checked")
    body.get_by_role("button", name="提交审核").last.click()
    expect(body.get_by_text("已提交批次")).to_be_visible()
    body.get_by_role("tab", name="② 模板上传").click()
    idle(page)
    expect(body.locator("[data-testid='stFileUploaderFile']")).to_have_count(0)  # the upload box was emptied
    online, uploaded = one(path, "SELECT min(batch_id), max(batch_id) FROM import_batch WHERE status = '待审核'")

    # 4. the reviewer approves the online submission and returns the template with a reason
    page, body = session(browser, url, "/review", "tj")
    expect(body.get_by_text("待审核 2 批")).to_be_visible()
    expect(body.get_by_text("通过后:2 项数值计入")).to_be_visible()
    shot(page, "06_reviewer_sees_old_new_and_statuses")
    body.get_by_role("button", name="审核通过").click()
    expect(body.get_by_text(f"批次 {online} 已通过,数值已计入")).to_be_visible()
    expect(body.get_by_text("通过后:1 项数值计入")).to_be_visible()  # the template is next
    idle(page)
    body.get_by_label("审核意见(退回时必填,将告知填报单位)").fill("预期寿命请附统计年鉴出处后重报")
    body.get_by_role("button", name="退回").click()
    expect(body.get_by_text(f"批次 {uploaded} 已退回")).to_be_visible()
    shot(page, "07_reviewer_returned_template")
    assert one(path, "SELECT status FROM import_batch WHERE batch_id = ?", [uploaded]) == ("已退回",)

    # 5. the board and the indicator page show the result
    page.goto(url + "/progress?region=张家港市")
    body = page.locator("[data-testid='stMainBlockContainer']")
    expect(body.get_by_text("催报清单", exact=True)).to_be_visible()
    values = body.locator(".pw-metric-value")  # 应报 已提交 已通过 待审核 退回 未报 逾期单位 (ui.metrics)
    for index, expected in ((1, "2"), (2, "2"), (3, "0"), (4, "1")):
        expect(values.nth(index)).to_have_text(expected)
    assert one(path, "SELECT n_approved, n_returned FROM v_reporting_progress WHERE unit = '市卫健委' "
                     "AND year = 2025") == (2, 1)
    shot(page, "08_board")
    page.goto(url + f"/indicator?id={NEWBORN}&year=2025")
    body = page.locator("[data-testid='stMainBlockContainer']")
    expect(body.get_by_role("heading", name="修订记录")).to_be_attached()
    body.get_by_role("heading", name="修订记录").scroll_into_view_if_needed()
    expect(body.get_by_role("heading", name="修订记录")).to_be_visible()
    page.wait_for_timeout(3000)  # the chart above draws late and pushes the section down
    body.get_by_role("heading", name="修订记录").scroll_into_view_if_needed()
    shot(page, "09_indicator_revisions")
    assert one(path, "SELECT value, status, entered_by, reviewed_by FROM v_value_history WHERE indicator_id = ?",
               [NEWBORN]) == (2.5, "已通过", "wj", "tj")

    # 6. the admin closes the round after its confirmation; the filler can no longer submit
    page, body = session(browser, url, "/round_admin", "admin")
    expect(body.get_by_text("按报送进度,全部地区目前仍有:")).to_be_visible()
    body.get_by_text("确认结束 2025 年度报送").click()
    idle(page)
    body.get_by_role("button", name="结束报送").scroll_into_view_if_needed()
    shot(page, "10_admin_closes_round")
    body.get_by_role("button", name="结束报送").click()
    expect(body.get_by_text("已结束 2025 年度报送(结束时:")).to_be_visible()
    assert one(path, "SELECT closed_by FROM reporting_round WHERE year = 2025") == ("admin",)
    page, body = session(browser, url, "/unit_entry", "wj")
    expect(body.get_by_text("如需补报请联系工委办公室")).to_be_visible()
    expect(body.get_by_role("button", name="提交审核")).to_be_disabled()
    shot(page, "11_filler_round_closed")
    page.goto(url + "/progress?region=张家港市")
    body = page.locator("[data-testid='stMainBlockContainer']")
    expect(body.get_by_text("本年度报送已结束(")).to_be_visible()
    expect(body.locator(".pw-metric-label").nth(6)).to_have_text("未报齐单位")
    shot(page, "12_board_closed")


def test_a_write_kept_waiting_by_another_is_said_not_a_traceback(demo_db, browser, tmp_path):  # noqa: F811
    # Another writer holds the lock past the wait (0.5 s here, 60 s in use): the page's write (here 开启年度监测;
    # any page's, through app.py) says so in Chinese and writes nothing.
    path = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, path)
    accounts.add(path, "admin", PASSWORD, "admin", None, None)
    with streamlit_app(path, env={"PLANWATCH_LOCK_WAIT": "0.5"}) as url:
        page, body = session(browser, url, "/round_admin", "admin")
        with db.write_lock(path):
            body.get_by_role("button", name="开启年度监测").click()
            expect(body.get_by_text("另一项写入(构建、导入或审核)仍在进行").first).to_be_visible()
        assert "数据库未改动" in body.inner_text() and "Traceback" not in page.inner_text("body")
        page.context.close()
    assert one(path, "SELECT count(*) FROM reporting_round") == (0,)
