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
