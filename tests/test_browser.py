"""Browser tests: Playwright drives Debian's chromium against `streamlit run` on a loopback port.

They need /usr/bin/chromium (scripts/test.sh installs it); without it they fail, never skip.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from conftest import one
from servers import streamlit_app

from planwatch.accounts import hash_password
from planwatch.paths import ROOT

EDITOR, PASSWORD = "clerk", "browser-test-pass"

CHROMIUM = "/usr/bin/chromium"
expect.set_options(timeout=30_000)  # a fresh session builds its first page in a few seconds on a busy machine
LAUNCH = dict(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    """`streamlit run app.py` on a private copy of the demo database."""
    db = tmp_path_factory.mktemp("browser") / "app.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_app(db, {"PLANWATCH_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)}"}) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run scripts/test.sh, which installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(**LAUNCH)
        yield b
        b.close()


def _open(browser, width: int, height: int, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    return context, pg


@pytest.fixture
def page(browser):
    context, pg = _open(browser, 1400, 1000)
    yield pg
    context.close()


def main(page):
    return page.locator("[data-testid='stMainBlockContainer']")


def filter_panel(page):
    """The sidebar's filter widgets (ui.filters), in the popover that its 更改筛选 button opens."""
    panel = page.locator("[data-testid='stPopoverBody']")
    if not panel.is_visible():
        page.locator("[data-testid='stSidebar']").get_by_role("button", name="更改筛选").click()
    expect(panel.get_by_role("combobox", name="规划类别")).to_be_visible()
    return panel


def test_overview_shows_attainment(server, page):
    url, _ = server
    page.goto(url + "/?year=2024")
    expect(main(page).locator("h1")).to_contain_text("截至2024年")
    expect(main(page).get_by_text("达标率", exact=True)).to_be_visible()
    expect(main(page).get_by_text("示例数据").first).to_be_visible()


def test_follow_a_warning_to_its_indicator(server, page):
    url, _ = server
    page.goto(url + "/?year=2024")
    link = main(page).locator("a[href*='indicator?id=']").first
    expect(link).to_be_visible()
    indicator_id = parse_qs(urlparse(link.get_attribute("href")).query)["id"][0]
    label = link.inner_text()
    link.click()
    page.wait_for_url("**/indicator?*")
    assert parse_qs(urlparse(page.url).query)["id"] == [indicator_id]
    indicator_name = label.split("·", 1)[1].split("(")[0].strip()
    expect(main(page).locator("h1")).to_have_text(indicator_name)
    expect(main(page).get_by_text("规划原文")).to_be_visible()


def test_indicator_search_in_its_popover_opens_another_indicator(server, page):
    """指标详情 mounts its search only when 查找其他指标 is clicked; a match chosen there opens that indicator."""
    url, _ = server
    page.goto(url + "/indicator?id=pingyang-women-k03&year=2024")
    expect(main(page).locator("h1")).to_have_text("高等教育毛入学率")
    assert page.get_by_role("combobox").count() == 0  # neither the sidebar's nor the page's selectbox is mounted
    main(page).get_by_role("button", name="查找其他指标").click()
    panel = page.locator("[data-testid='stPopoverBody']")
    panel.get_by_role("textbox", name="查找指标").fill("孕产妇死亡率 张家港")
    panel.get_by_role("textbox", name="查找指标").press("Enter")
    expect(panel.get_by_text("找到 1 项")).to_be_visible()
    panel.get_by_role("combobox").click()
    page.get_by_role("option", name="张家港市 · 妇女 · 孕产妇死亡率").click()
    expect(main(page).locator("h1")).to_have_text("孕产妇死亡率")
    assert parse_qs(urlparse(page.url).query)["id"] == ["zhangjiagang-women-k02"]


SELECTBOX_FETCHED = "performance.getEntriesByType('resource').some(r => r.name.includes('/Selectbox.'))"


def popover_after_first_screen(page, url: str, shown: str, button: str):
    """Open `url`, wait until `shown` is on the page, check that no selectbox is mounted and none of its code was
    fetched, then open the popover of `button`; returns the popover's body."""
    page.goto(url)
    expect(main(page).get_by_text(shown).first).to_be_visible()
    assert page.get_by_role("combobox").count() == 0 and not page.evaluate(SELECTBOX_FETCHED)
    main(page).get_by_role("button", name=button).click()
    return page.locator("[data-testid='stPopoverBody']")


def test_units_other_unit_through_its_popover_kept_when_the_year_changes(server, page):
    """责任单位 mounts its unit choice (and fetches the selectbox's code) only when 查看其他单位 is clicked; the unit
    chosen there stays when the page reruns with the popover closed (another year chosen in the filters)."""
    url, _ = server
    panel = popover_after_first_screen(page, url + "/units?year=2024&region=张家港市", "单位详情 · 张家港市 · 市教育局",
                                       "查看其他单位")
    heading = main(page).locator("h3").filter(has_text="单位详情")
    panel.get_by_role("combobox").fill("市妇联")  # typed: the popover
    page.get_by_role("option", name="张家港市 · 市妇联(20 项指标)").press("Enter")  # may open off-screen
    expect(heading).to_contain_text("单位详情 · 张家港市 · 市妇联")
    page.keyboard.press("Escape")
    # the filters' popover, opened after that rerun, shows the filters in force (ui.keep_shown), not first options
    year = filter_panel(page).get_by_role("combobox", name="截至年份")
    expect(year).to_have_value("2024年")
    year.click()
    page.keyboard.type("2023")
    expect(page.get_by_role("option", name="2023年")).to_be_visible()
    page.keyboard.press("Enter")
    expect(main(page).locator("h1")).to_contain_text("截至2023年")
    expect(heading).to_contain_text("单位详情 · 张家港市 · 市妇联")
    assert parse_qs(urlparse(page.url).query)["region"] != ["江苏省"]  # the region was not reset either


def test_catalogue_plan_through_its_popover_goes_into_the_url(server, page, demo_db):
    """规划指标目录 mounts its plan choice only when 按规划查看 is clicked; the plan chosen there is in the URL."""
    n, title = one(demo_db, "SELECT count(*), any_value(p.title) FROM indicator JOIN plan p USING (plan_id) "
                            "WHERE plan_id = 'pingyang-women'")
    url, _ = server
    panel = popover_after_first_screen(page, url + "/catalogue", "项指标。", "按规划查看")
    panel.get_by_role("combobox").fill("平阳县妇女")
    page.get_by_role("option", name=title).press("Enter")
    expect(main(page).get_by_text(f"{title}:{n} 项指标。")).to_be_visible()
    assert parse_qs(urlparse(page.url).query)["plan"] == [title]


def test_warnings_downloads_in_their_popover_give_every_row(server, page, demo_db):
    """预警清单 shows a page of rows and mounts its download buttons (and fetches their code) only when 下载全部 is
    clicked; the CSV holds every warning, not the page."""
    import pandas as pd

    n_all = one(demo_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024")[0]
    url, _ = server
    page.goto(url + "/warnings?year=2024")
    opener = main(page).get_by_role("button", name=f"下载全部 {n_all:,} 条")
    expect(opener).to_be_visible()
    fetched = "performance.getEntriesByType('resource').some(r => r.name.includes('/DownloadButton.'))"
    assert main(page).get_by_role("button", name="下载 CSV").count() == 0 and not page.evaluate(fetched)
    opener.click()
    with page.expect_download() as info:
        page.locator("[data-testid='stPopoverBody']").get_by_role("button", name="下载 CSV").click()
    assert info.value.suggested_filename == "预警清单_截至2024年.csv"
    assert len(pd.read_csv(info.value.path(), encoding="utf-8-sig")) == n_all


def test_filter_goes_into_the_url_and_survives_reload(server, page, demo_db):
    url, _ = server
    n_met, n_assessed = one(demo_db, "SELECT sum(n_met), sum(n_assessed) FROM v_attainment_by_plan "
                                     "WHERE as_of_year = 2024 AND plan_group = '儿童'")
    children = f"{n_met} / {n_assessed}"
    page.goto(url + "/?year=2024")
    expect(main(page).locator("h1")).to_contain_text("截至2024年")
    met = main(page).locator(".pw-metric").filter(has_text="已达标 / 已评估").locator(
        ".pw-metric-value")
    expect(met).not_to_have_text(children)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_contain_text("规划类别:全部")   # the filters in force, the widgets folded away
    filter_panel(page).get_by_role("combobox", name="规划类别").click()
    page.get_by_role("option", name="儿童").click()
    page.wait_for_url("**group=%E5%84%BF%E7%AB%A5*")
    expect(met).to_have_text(children)
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    expect(main(page).locator("h1")).to_contain_text("截至2024年")
    expect(met).to_have_text(children)
    expect(sidebar).to_contain_text("规划类别:儿童")
    expect(filter_panel(page).get_by_role("combobox", name="规划类别")).to_have_value("儿童")


def log_in(page, url: str):
    """Open a page that needs an account and log in as the editor; returns the page's main block."""
    page.goto(url)
    body = main(page)
    body.get_by_label("用户名").fill(EDITOR)
    body.get_by_label("密码").fill(PASSWORD)
    body.get_by_role("button", name="登录").click()
    expect(body.get_by_text("当前账号")).to_be_visible()
    return body


def test_login_upload_preview_confirm_and_undo(server, page, tmp_path):
    url, _ = server
    upload = tmp_path / "平阳县2024.csv"
    upload.write_text("指标编号,年份,数值,备注\npingyang-women-k04,2024,23.45,县人大报送\n", encoding="gbk")
    body = log_in(page, url + "/data_entry")
    body.get_by_role("tab", name="② 上传数据").click()
    body.locator("input[type='file']").set_input_files(str(upload))
    expect(body.get_by_text("检查通过:共 1 行")).to_be_visible()
    body.get_by_role("button", name="确认导入 1 行").click()
    expect(body.get_by_text("已导入批次")).to_be_visible()
    body.get_by_role("link", name="查看第一个指标的详情").click()
    page.wait_for_url("**/indicator?*")
    expect(body.locator("h1")).to_have_text("县级人大代表中女性比例")
    latest = body.locator(".pw-metric").filter(has_text="最新值(2024年)")
    expect(latest.locator(".pw-metric-value")).to_have_text("23.45%")
    page.locator(".pw-menu").get_by_role("link", name="数据填报").click()  # same session
    body.get_by_role("tab", name="③ 导入记录与撤销").click()
    body.get_by_role("button", name="撤销该批次").click()
    expect(body.get_by_text("已撤销批次")).to_be_visible()
    page.goto(url + "/indicator?id=pingyang-women-k04&year=2024")
    expect(body.locator("h1")).to_have_text("县级人大代表中女性比例")
    expect(body.locator(".pw-metric-value").get_by_text("23.45%", exact=True)).to_have_count(0)


def test_login_survives_a_reload_until_logout(server, page):
    url, _ = server
    body = log_in(page, url + "/data_entry")
    page.wait_for_function("document.cookie.includes('planwatch_login=')")  # set by the page's script
    cookie = next(c for c in page.context.cookies() if c["name"] == "planwatch_login")
    assert cookie["sameSite"] == "Strict" and 0 < cookie["expires"] - time.time() <= 12 * 3600 + 60
    page.reload()
    expect(body.get_by_text("当前账号:clerk(导入员)")).to_be_visible()
    other = page.context.new_page()  # a new tab of the same browser
    other.goto(url + "/data_entry")
    expect(main(other).get_by_text("当前账号:clerk(导入员)")).to_be_visible()
    body.get_by_role("button", name="退出登录").click()
    expect(body.get_by_role("button", name="登录")).to_be_visible()
    page.wait_for_function("!document.cookie.includes('planwatch_login=')")
    page.reload()
    expect(body.get_by_role("button", name="登录")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "planwatch_login"]
    # a copy of the cookie taken before the logout (another PC, a stolen cookie) no longer logs in either
    elsewhere = page.context.browser.new_context(viewport={"width": 1280, "height": 720})
    elsewhere.add_cookies([cookie])
    copy = elsewhere.new_page()
    copy.goto(url + "/data_entry")
    expect(main(copy).get_by_role("button", name="登录")).to_be_visible()
    expect(main(copy).get_by_text("当前账号:clerk(导入员)")).not_to_be_visible()
    elsewhere.close()


def test_explorer_runs_a_saved_query_and_downloads_its_csv(server, page, demo_db):
    import pandas as pd

    from planwatch import guard, saved

    query = next(q for q in saved.all_queries() if q.title == "红色预警最多的责任单位")
    sandbox = guard.Sandbox(demo_db)
    year = int(sandbox.run(saved.DEFAULT_YEAR_SQL).frame.iloc[0, 0])
    expected = sandbox.run(query.sql, saved.resolve(query, {}, year)).frame
    url, _ = server
    page.goto(url + "/explorer")
    expect(main(page).locator("h1")).to_have_text("数据探索")
    main(page).get_by_text(query.title, exact=True).click()
    expect(main(page).locator("h3")).to_have_text(query.title)
    page.wait_for_url("**saved=*")
    rows_metric = main(page).locator(".pw-metric").filter(has_text="行数")
    expect(rows_metric.locator(".pw-metric-value")).to_have_text(f"{len(expected):,}")
    with page.expect_download() as info:
        main(page).get_by_role("button", name="下载结果").click()
        page.locator("[data-testid='stPopoverBody']").get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename == f"{query.title}.csv"
    got = pd.read_csv(download.path(), encoding="utf-8-sig")
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected) > 0
    assert got[["地区", "责任单位", "红色预警指标数"]].values.tolist() == \
        expected[["地区", "责任单位", "红色预警指标数"]].values.tolist()


def test_explorer_parameters_in_their_popover_go_into_the_url(server, page):
    """数据探索 mounts a saved query's parameter inputs (and fetches the selectbox's code) only when 查询参数 is
    clicked; the values in force are written beside it, and a value chosen there goes into the URL."""
    url, _ = server
    panel = popover_after_first_screen(page, url + "/explorer?saved=各领域达标率&p_year=2023", "参数:截至年份 2023",
                                       "查询参数")
    expect(main(page).locator("h3")).to_have_text("各领域达标率")
    year = panel.get_by_role("combobox", name="截至年份")
    expect(year).to_have_value("2023")
    year.click()
    page.keyboard.type("2024")
    expect(page.get_by_role("option", name="2024")).to_be_visible()
    page.keyboard.press("Enter")
    expect(main(page).get_by_text("参数:截至年份 2024")).to_be_visible()
    page.wait_for_url("**p_year=2024*")


# ---- issue 15: what a leader sees at 1280×720, links, Chinese only, the served font ---------------------------

@pytest.fixture
def small(browser):
    """A 1280×720 window: what fits there is "above the fold"."""
    context, pg = _open(browser, 1280, 720)
    yield pg
    context.close()


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_overview_shows_attainment_and_a_red_warning_above_the_fold(server, small):
    url, _ = server
    small.goto(url + "/?year=2024")
    rate = main(small).locator(".pw-metric").filter(has_text="达标率").first
    expect(rate).to_be_visible()
    red = main(small).locator("a[href*='indicator?id=']").first
    expect(red).to_be_visible()
    bar = main(small).locator("a.pw-bar-row").first  # the most lagging plan, drawn on the server as HTML
    expect(bar).to_be_visible()
    assert _in_view(small, rate) and _in_view(small, red) and _in_view(small, bar)  # no scrolling needed
    # …and the regions' chart to its last bar, and the link to every warning (they were a scroll away)
    last = main(small).locator(".pw-bars").last.locator(".pw-bar-row").last
    every = main(small).get_by_text("查看全部", exact=False)
    assert main(small).locator(".pw-bars").count() == 2 and _in_view(small, last) and _in_view(small, every.first)
    assert "year=2024" in red.get_attribute("href")


def test_a_click_on_a_plan_bar_opens_its_warnings(server, small):
    url, db = server
    small.goto(url + "/?year=2024")
    bar = main(small).locator("a.pw-bar-row").first
    expect(bar).to_be_visible()
    label = bar.locator(".pw-bar-label").inner_text()
    small.evaluate("window.sameSession = true")  # gone if the click reloaded the app (a new session)
    bar.click()
    small.wait_for_url("**/warnings?*")
    expect(main(small).locator("h1")).to_contain_text("预警清单")
    assert small.evaluate("window.sameSession === true"), "the click reloaded the whole app"
    params = parse_qs(urlparse(small.url).query)
    assert params["region"] and params["group"], small.url
    expect(main(small).locator("h1")).to_contain_text("预警清单")
    expect(main(small).locator("h1")).to_contain_text("截至2024年")
    sidebar = small.locator("[data-testid='stSidebar']")
    # the region's province first, then the region itself in the cascade (the URL names it by name or code)
    name, province, rank = one(db, "SELECT name, province, level_rank FROM region WHERE ? IN (name, region_code)",
                               [params["region"][0]])
    expect(sidebar).to_contain_text(f"地区:{province} › ")
    expect(sidebar).to_contain_text(f" › {name}\n")
    assert label.startswith(f"{name} {params['group'][0]} ")  # the bar's plan: its region and group
    # the list's first 详情 link (HTML) opens the indicator in the same session, keeping year and region
    link = main(small).locator("a[href^='./indicator?']").first
    expect(link).to_be_visible()
    linked = parse_qs(urlparse(link.get_attribute("href")).query)
    assert linked["year"] == ["2024"] and linked["region"] == params["region"] and linked["id"]
    link.click()
    small.wait_for_url("**/indicator?*")
    expect(main(small).get_by_text("规划原文")).to_be_visible()
    expect(main(small).locator(".pw-plot img, .pw-table").first).to_be_visible()
    expect(sidebar).to_contain_text(f"地区:{province} › ")
    assert small.evaluate("window.sameSession === true"), "the click reloaded the whole app"


def test_no_deploy_button_menu_or_english_page_not_found(server, small):
    url, _ = server
    for path in ("overview", "warnings", "domains", "regions", "units", "indicator", "catalogue", "method",
                 "explorer", "reports", "login", "progress", "unit_entry", "review", "data_entry", "plan_import",
                 "round_admin", "accounts"):  # every page's url_path (a page needing a login shows the form)
        small.goto(f"{url}/{path}?year=2024")
        expect(main(small).locator("h1").first).to_be_visible()
        assert small.get_by_text("Page not found").count() == 0, path
        assert small.locator("[data-testid='stMainMenu'], [data-testid='stAppDeployButton']").count() == 0
        small.wait_for_function("document.documentElement.lang === 'zh-CN'", timeout=10_000)


def test_pages_render_with_the_served_font_without_system_cjk_fonts(server, browser, tmp_path):
    """Chromium with fontconfig limited to DejaVu (no CJK font at all): Chinese comes from the app's web font."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    screenshots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    env = screenshots.no_cjk_fonts_env(str(tmp_path))
    assert "DroidSansFallback" not in subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    url, _ = server
    b = browser.browser_type.launch(**LAUNCH, env=env)  # a second Chromium, seeing only DejaVu fonts
    try:
        pg = b.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        pg.set_default_timeout(60_000)
        for path in ("/?year=2024", "/indicator?id=pingyang-women-k03&year=2024"):
            pg.goto(url + path)
            expect(pg.locator("[data-testid='stMainBlockContainer'] h1")).to_be_visible()
            # the face loads once text is laid out in it, which may be after the heading first shows: wait for it
            faces = """() => [...document.fonts].map(f => f.family.replaceAll('"', '') + ':' + f.status)"""
            try:
                pg.wait_for_function(f"({faces})().includes('WenQuanYi Micro Hei Web:loaded')", timeout=60_000)
            except PlaywrightTimeout:
                pytest.fail(f"the served font never loaded on {path}: {pg.evaluate(faces)}")
            family = pg.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
            assert "WenQuanYi Micro Hei Web" in family.replace('"', ""), family
            # a CJK glyph drawn with the served font differs from the same text drawn with no CJK font (tofu)
            same = pg.evaluate("""() => { const c = document.createElement('canvas').getContext('2d');
                const w = f => { c.font = f; return c.measureText('达标率预警清单').width; };
                return [w("32px 'WenQuanYi Micro Hei Web'"), w("32px 'DejaVu Sans'")]; }""")
            assert same[0] != same[1], same
    finally:
        b.close()


def test_phone_width_shows_the_whole_legend_warning_lines_and_links(server, browser):
    url, _ = server
    context, pg = _open(browser, 390, 844, is_mobile=True, has_touch=True)
    pg.goto(url + "/?year=2024")
    link = main(pg).locator("a[href*='indicator?id=']").first
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    caption = main(pg).locator("[data-testid='stCaptionContainer']").first
    assert caption.bounding_box()["x"] + caption.bounding_box()["width"] <= 390  # reasons wrap, not cut
    context.close()


def test_every_presentation_screen_fits_1280_by_720(server, browser, demo_db, tmp_path):
    """年度报告 presentation mode: each screen (one per slide) without vertical scrolling, navigation in view."""
    from planwatch import db, report

    with db.open_reader(demo_db) as con:
        sections = report.outline(report.gather(con, 2024))
    content_of = {"warnings": "[data-testid='stTable']", "units": "[data-testid='stTable']",
                  **dict.fromkeys(("headline", "plan", "domain", "region", "story"),
                                  "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")}
    url, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    overflow = """() => Math.max(...[document.scrollingElement,
        ...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer'], section.main")]
        .filter(Boolean).map(e => e.scrollHeight - e.clientHeight))"""
    try:
        for number, section in enumerate(sections, start=1):
            title = section.title
            pg.goto(url + f"/reports?year=2024&present=1&slide={number}")
            expect(main(pg).locator("h1").first).to_have_text(title)
            expect(pg.locator("[data-testid='stSidebar']")).to_be_hidden()  # the presentation style is applied
            if section.kind in content_of:  # the screen's table or chart is drawn
                expect(main(pg).locator(content_of[section.kind]).first).to_be_visible()
            pg.wait_for_timeout(1500)  # charts lay themselves out
            pg.screenshot(path=str(tmp_path / f"screen{number:02d}.png"))
            assert pg.evaluate(overflow) <= 2, f"screen {number} ({title}) scrolls"
            expect(main(pg).get_by_role("button", name="下一页")).to_be_in_viewport()
            expect(main(pg).get_by_role("button", name="上一页")).to_be_in_viewport()
    finally:
        context.close()


# ---- issue 15 leftovers: the sidebar menu per role, the phone's metrics --------------------------------------

MENU_READING = ["总览", "预警清单", "领域", "地区", "责任单位", "指标详情", "数据探索", "年度报告", "规划指标目录", "方法说明"]
MENU_WORK = {None: ["登录"], "filler": ["单位填报", "报送进度"], "reviewer": ["审核", "报送进度"],
             "importer": ["数据填报", "规划导入", "报送进度"],
             "admin": ["审核", "数据填报", "规划导入", "监测管理", "账号管理", "报送进度"]}


def test_each_role_sees_its_pages_in_chinese_with_the_filters_above_the_fold(server, browser, tmp_path):
    """1280×720, per role: the sidebar lists every page of the role (no English "View N more"), and the filters'
    heading and first filter are in view without scrolling. Screenshots: tmp_path/menu_<role>.png."""
    from planwatch import accounts

    url, db = server
    logins = {"importer": EDITOR}
    for role, region, unit in [("filler", "张家港市", "团市委"), ("reviewer", "张家港市", None), ("admin", None, None)]:
        logins[role] = f"browser-{role}"
        if accounts.get(db, logins[role]) is None:
            accounts.add(db, logins[role], PASSWORD, role, region, unit)
    for role, work in MENU_WORK.items():
        context, pg = _open(browser, 1280, 720)
        if role:
            pg.goto(url + "/login")
            main(pg).get_by_label("用户名").fill(logins[role])
            main(pg).get_by_label("密码").fill(PASSWORD)
            main(pg).get_by_role("button", name="登录").click()
            expect(main(pg).get_by_text("当前账号")).to_be_visible()
            for title in work:  # the entry page lists the role's pages too
                expect(main(pg).get_by_role("link", name=title, exact=True)).to_be_visible()
        pg.goto(url + "/?year=2024")
        expect(main(pg).locator("h1")).to_contain_text("总览")
        menu = pg.locator(".pw-menu")
        expect(menu.get_by_role("link").last).to_contain_text(work[-1])
        titles = [t.split("\n")[-1].strip() for t in menu.get_by_role("link").all_inner_texts()]
        assert titles == MENU_READING + work, (role, titles)
        sidebar = pg.locator("[data-testid='stSidebar']")
        text = sidebar.inner_text()  # (an icon name such as "expand_more" is text too)
        assert "View" not in text and not re.search(r"\bmore\b", text), role
        assert _in_view(pg, sidebar.get_by_text("筛选", exact=True)), role
        assert _in_view(pg, sidebar.get_by_role("button", name="更改筛选")), role
        pg.screenshot(path=str(tmp_path / f"menu_{role or 'visitor'}.png"))
        context.close()



def test_the_menu_opens_every_page_in_the_same_session_marked_with_the_filters_kept(server, small):
    """The menu (HTML links, navigation.menu_html): each link opens its page in this session (no reload), marks it,
    keeps the sidebar filters and never shows "Page not found"; the back button returns to the page before."""
    url, _ = server
    small.goto(url + "/warnings?year=2023&group=%E5%84%BF%E7%AB%A5")
    expect(main(small).locator("h1")).to_contain_text("截至2023年")
    small.evaluate("window.sameSession = true")  # gone if a click reloaded the app (a new session)
    menu, sidebar = small.locator(".pw-menu"), small.locator("[data-testid='stSidebar']")
    marked = menu.locator("a[aria-current='page']")
    expect(marked).to_have_text("预警清单")
    for title in [*MENU_READING, "登录"]:
        menu.get_by_role("link", name=title, exact=True).click()
        expect(marked).to_have_text(title)
        expect(main(small).locator("h1").first).to_be_visible()
        expect(sidebar).to_contain_text("规划类别:儿童")
        expect(sidebar).to_contain_text("截至年份:2023年")
        assert small.get_by_text("Page not found").count() == 0, title
    assert urlparse(small.url).path.endswith("/login")
    small.go_back()
    small.wait_for_url("**/method*")
    expect(marked).to_have_text("方法说明")
    expect(main(small).locator("h1")).to_have_text("方法说明")
    assert small.evaluate("window.sameSession === true"), "a menu click reloaded the whole app"
    expect(filter_panel(small).get_by_role("combobox", name="截至年份")).to_have_value("2023年")


def test_the_first_screen_fetches_no_filter_widget_until_the_filters_are_opened(server, small):
    """总览 (no selectbox of its own): the sidebar says which filters are in force and mounts their selectboxes,
    and so fetches their JavaScript, only when 更改筛选 is clicked (ui.filters)."""
    url, _ = server
    small.goto(url + "/?year=2024")
    expect(main(small).get_by_text("达标率", exact=True)).to_be_visible()
    sidebar = small.locator("[data-testid='stSidebar']")
    expect(sidebar).to_contain_text("截至年份:2024年")
    fetched = "performance.getEntriesByType('resource').some(r => r.name.includes('/Selectbox.'))"
    assert small.get_by_role("combobox").count() == 0 and not small.evaluate(fetched)
    expect(filter_panel(small).get_by_role("combobox", name="截至年份")).to_have_value("2024年")
    assert small.evaluate(fetched)

@pytest.mark.parametrize("path, n", [("/?year=2024", 6), ("/warnings?year=2024", 4)])
def test_phone_metrics_sit_three_to_a_row(server, browser, tmp_path, path, n):
    """390×844: the metric row wraps three to a row with smaller figures (it used to stack into one tall column)."""
    url, _ = server
    context, pg = _open(browser, 390, 844, is_mobile=True, has_touch=True)
    pg.goto(url + path)
    metrics = main(pg).locator(".pw-metric")
    expect(metrics.nth(n - 1)).to_be_visible()
    for _ in range(40):  # the layout settles once fonts and the sidebar are in: look again for up to 10 s
        pg.wait_for_timeout(250)
        boxes = [metrics.nth(i).bounding_box() for i in range(n)]
        rows = sorted({round(b["y"]) for b in boxes})
        if len(rows) == -(-n // 3):
            break
    assert len(rows) == -(-n // 3), rows  # ceil(n / 3) rows
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), boxes
    assert max(b["y"] + b["height"] for b in boxes) - boxes[0]["y"] < 80 * len(rows), boxes
    pg.screenshot(path=str(tmp_path / "phone_metrics.png"))
    context.close()



def test_phone_menu_click_opens_the_page_and_closes_the_sidebar(server, browser):
    """390 px: the sidebar covers the page, so a click in the menu also closes it (as Streamlit's own menu did)."""
    url, _ = server
    context, pg = _open(browser, 390, 844, is_mobile=True, has_touch=True)
    pg.goto(url + "/?year=2024")
    expect(main(pg).locator(".pw-metric").first).to_be_visible()
    pg.locator("[data-testid='stExpandSidebarButton']").click()
    link = pg.locator(".pw-menu").get_by_role("link", name="预警清单")
    expect(link).to_be_in_viewport()
    link.click()
    pg.wait_for_url("**/warnings*")
    expect(main(pg).locator("h1")).to_contain_text("预警清单 · 截至2024年")  # the session keeps its filters
    expect(link).not_to_be_in_viewport()
    context.close()


# ---- issue 15 item 6: pages drawn without chart, grid or map libraries -----------------------------------------

def test_regions_svg_map_draws_a_linked_shape_per_region_and_drills_down(server, small):
    """地区's map is SVG in Markdown (st.html's sanitiser drops SVG): the browser draws it, no map library is
    fetched, and a click on a region opens its level, keeping the year."""
    url, _ = server
    small.goto(url + "/regions?year=2024&region=330300")
    shapes = main(small).locator("svg.pw-map a path")
    expect(shapes).to_have_count(2)   # 平阳县 and 乐清市, the counties of 温州市, with their boundaries
    box = shapes.first.bounding_box()
    assert box["width"] > 20 and box["height"] > 20
    assert small.locator("[data-testid='stDeckGlJsonChart']").count() == 0
    scripts = small.evaluate("performance.getEntriesByType('resource').map(r => r.name).join(' ')")
    assert "deck" not in scripts.lower()
    small.evaluate("window.samePage = true")
    target = main(small).locator("svg.pw-map a[data-region='330326']")
    assert parse_qs(urlparse(target.get_attribute("href")).query)["year"] == ["2024"]  # the link keeps the year
    target.locator("path").click()
    small.wait_for_url("**region=330326*")
    expect(main(small).locator("h1")).to_contain_text("平阳县")
    # the year holds (the script then drops year=2024 from the address: it is the default year)
    expect(small.locator("[data-testid='stSidebar']")).to_contain_text("截至年份:2024年")
    assert small.evaluate("window.samePage === true")   # opened in this session (ui.PAGE_SETUP), not reloaded
    # the table below: the region rows as text, links keep year and region
    link = main(small).locator(".pw-table a").first
    expect(small.locator("table.pw-table").first).to_be_visible()
    assert link.count() == 0 or "year=2024" in link.get_attribute("href")


def test_a_figure_stays_on_one_line_in_its_column(page):
    # 27,804 broke into "27,8" and "04" (read as 27.8), and 318 毫秒 or 4823 / 7761 into two lines, in narrow
    # columns: a figure shrinks to fit its column instead (svg.metrics, drawn in a 520 px row of four)
    from planwatch import svg

    figures = [("行数", "27,804"), ("用时", "318 毫秒"), ("已达标 / 已评估", "4823 / 7761"), ("达标率", "62%")]
    page.set_content(f"<div style='width:520px;font-family:sans-serif'>{svg.metrics(figures)}</div>")
    sizes = []
    for value in page.locator(".pw-metric-value").all():
        fits = value.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && "
                              "e.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).fontSize)")
        assert fits, value.inner_text()
        sizes.append(value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert sizes[-1] == 36  # a short figure keeps the full size (2.25rem)
