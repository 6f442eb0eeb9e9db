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
