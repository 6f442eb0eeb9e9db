"""Every page, run through app.py with AppTest on the demo database, asserting on what it shows."""
from __future__ import annotations

import pytest
from apptest import open_page, texts, use_database
from conftest import one


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    return use_database(demo_db, tmp_path_factory.mktemp("app"))


def test_overview_headline_matches_the_views(app_db):
    at = open_page(year="2024")
    n_met, n_assessed, rate = one(app_db, "SELECT sum(n_met), sum(n_assessed), round(sum(n_met) / sum(n_assessed), 2) "
                                          "FROM v_attainment_by_plan WHERE as_of_year = 2024")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["达标率"] == f"{rate:.0%}"
    assert metrics["已达标"] == f"{n_met} / {n_assessed}"
    assert "示例数据" in texts(at)
    assert "截至2024年" in at.title[0].value


def test_overview_filter_by_group_and_region(app_db):
    at = open_page(year="2024", group="儿童", region="乐清市")
    n_met, n_assessed = one(app_db, "SELECT n_met, n_assessed FROM v_attainment_by_plan "
                                    "WHERE as_of_year = 2024 AND plan_id = 'yueqing-children'")
    assert {m.label: m.value for m in at.metric}["已达标"] == f"{n_met} / {n_assessed}"


@pytest.mark.parametrize("query,notice", [
    ({"year": "abc"}, "网址参数 year=abc 无效"),
    ({"region": "火星市"}, "网址参数 region=火星市 无效"),
    ({"group": "男性", "year": "1999"}, "网址参数 group=男性 无效"),
])
def test_bad_url_parameter_gives_notice_and_default(app_db, query, notice):
    at = open_page(**query)
    assert notice in texts(at)
    assert at.title[0].value.startswith("规划实施监测总览")


def test_method_page_shows_thresholds_in_force(app_db):
    at = open_page("method")
    shown = texts(at)
    assert "{{" not in shown
    assert "R ≥ 0.95" in shown and "R < 0.6" in shown
    assert "差15个百分点" in shown  # the worked example with real 平阳县 figures
    assert len(at.dataframe[0].value) == one(app_db, "SELECT count(*) FROM method_threshold")[0]


def test_indicator_page_shows_plan_sentence_and_status(app_db):
    at = open_page("indicator", id="zhangjiagang-women-k02", year="2024")
    shown = texts(at)
    assert at.title[0].value == "孕产妇死亡率"
    status, reason = one(app_db, "SELECT status, reason FROM v_status WHERE indicator_id = 'zhangjiagang-women-k02' "
                                 "AND as_of_year = 2024")
    assert f"截至2024年:{status}" in shown and reason in shown
    assert "004_089270d5eef34d70.txt 第" in shown
    assert "市卫健委" in shown
    assert len(at.get("vega_lite_chart")) == 1


def test_indicator_page_unknown_id_gives_notice(app_db):
    at = open_page("indicator", id="no-such-indicator")
    assert "id=no-such-indicator 不是已知的指标编号" in texts(at)


# --- 预警清单 -------------------------------------------------------------------------------------------------------

def test_warnings_page_lists_every_warning_red_first(app_db):
    at = open_page("warnings", year="2024")
    n_all, n_red = one(app_db, "SELECT count(*), count(*) FILTER (WHERE level = '红') FROM v_warning "
                               "WHERE as_of_year = 2024")
    table = at.dataframe[0].value
    assert len(table) == n_all
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["预警总数"] == str(n_all) and metrics["红色预警"] == str(n_red)
    assert (table["级别"].head(n_red) == "红").all()
    assert "示例数据" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"]


def test_warnings_level_and_kind_filters_reduce_rows(app_db):
    at = open_page("warnings", year="2024")
    at.multiselect(key="level").set_value(["黄"]).run()
    n_yellow = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND level = '黄'")[0]
    assert len(at.dataframe[0].value) == n_yellow
    assert f"显示 {n_yellow} 条" in texts(at)
    at.multiselect(key="level").set_value([]).run()
    at.multiselect(key="kind").set_value(["未填报"]).run()
    n_missing = one(app_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024 AND kind = '未填报'")[0]
    assert set(at.dataframe[0].value["级别"]) == {"灰"} and len(at.dataframe[0].value) == n_missing


def test_warnings_follow_sidebar_region(app_db):
    at = open_page("warnings", year="2024", region="张家港市")
    n = one(app_db, "SELECT count(*) FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                    "WHERE as_of_year = 2024 AND i.region = '张家港市'")[0]
    assert len(at.dataframe[0].value) == n
    assert set(at.dataframe[0].value["地区"]) == {"张家港市"}


def test_warnings_row_click_opens_indicator_page(app_db):
    at = open_page("warnings", year="2024")
    first = at.dataframe[0].value.iloc[0]
    at.session_state["warning_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.query_params["id"] == first["indicator_id"]
    assert at.title[0].value == first["指标"]  # now on the indicator's detail page


# --- 责任单位 -------------------------------------------------------------------------------------------------------

def test_units_scorecard_matches_attainment_by_unit(app_db):
    at = open_page("units", year="2024", region="张家港市")
    card = at.dataframe[0].value.set_index("责任单位")
    n, n_met, n_assessed = one(app_db, "SELECT n_indicators, n_met, n_assessed FROM v_attainment_by_unit "
                                       "WHERE as_of_year = 2024 AND region = '张家港市' AND unit = '市卫健委'")
    row = card.loc["市卫健委"]
    assert (row["指标数"], row["已达标"], row["已评估"]) == (n, n_met, n_assessed)
    assert row["已达标/已评估"] == f"{n_met}/{n_assessed}"
    assert set(card["地区"]) == {"张家港市"}
    assert len(card) == one(app_db, "SELECT count(*) FROM v_attainment_by_unit "
                                    "WHERE as_of_year = 2024 AND region = '张家港市'")[0]
    assert "规划未列明" not in texts(at)  # 张家港市 names a unit for every indicator


def test_units_group_filter_counts_only_that_group(app_db):
    at = open_page("units", year="2024", region="张家港市", group="妇女")
    card = at.dataframe[0].value.set_index("责任单位")
    n = one(app_db, "SELECT count(DISTINCT iu.indicator_id) FROM indicator_unit iu JOIN unit u USING (unit_id) "
                    "WHERE iu.plan_id = 'zhangjiagang-women' AND u.name = '市卫健委'")[0]
    assert card.loc["市卫健委", "指标数"] == n


def test_units_page_shows_unit_indicators_and_plans_without_units(app_db):
    at = open_page("units", year="2024", unit="320582:市卫健委")
    assert at.selectbox(key="unit_pick_320582:市卫健委").value == "320582:市卫健委"
    detail = at.dataframe[1].value
    n = one(app_db, "SELECT count(DISTINCT indicator_id) FROM indicator_unit WHERE unit_id = '320582:市卫健委'")[0]
    assert len(detail) == n and {m.label: m.value for m in at.metric}["负责指标"] == str(n)
    assert "孕产妇死亡率" in set(detail["指标"])
    assert set(detail["来源"]) == {"规划列明"} and "(责任单位:市卫健委)" in set(detail["原文"])
    shown = texts(at)
    assert "规划未列明责任单位" in shown
    for plan in ("咸阳市妇女发展规划", "怀柔区", "平阳县妇女发展"):
        assert plan in shown
    unlisted = at.dataframe[2].value.set_index("plan_id")
    assert unlisted.loc["yueqing-children", "说明"] == "部分指标未列明责任单位"
    assert "zhangjiagang-women" not in unlisted.index


# --- 规划指标目录 ----------------------------------------------------------------------------------------------------

def test_catalogue_lists_nine_plans_with_counts(app_db):
    at = open_page("catalogue")
    plans = at.dataframe[0].value.set_index("plan_id")
    assert len(plans) == 9
    n_key, n_text, n_base = one(app_db, "SELECT count(*) FILTER (WHERE is_key), count(*) FILTER (WHERE NOT is_key), "
                                        "count(baseline_value) FROM indicator WHERE plan_id = 'pingyang-women'")
    assert tuple(plans.loc["pingyang-women", ["重点表指标", "文字目标", "有基线"]]) == (n_key, n_text, n_base)
    assert plans.loc["zhangjiagang-women", "印发文号"] == "张政办〔2021〕131号"
    assert len(at.dataframe[1].value) == one(app_db, "SELECT count(*) FROM indicator")[0]
    assert {m.label: m.value for m in at.metric}["指标数"] == str(one(app_db, "SELECT count(*) FROM indicator")[0])


def test_catalogue_search_finds_the_plans_promise_and_where_it_says_so(app_db):
    at = open_page("catalogue", region="张家港市")
    at.text_input(key="q").input("孕产妇死亡率").run()
    found = at.dataframe[1].value
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
    assert len(at.dataframe[1].value) == n
    at.selectbox(key="plan").set_value("xianyang-women").run()
    assert set(at.dataframe[1].value["规划"]) == {"咸阳市妇女发展规划(2021-2030年)"}
