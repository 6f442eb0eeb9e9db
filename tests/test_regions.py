"""The region hierarchy: every unit of China in `region`, roll-ups by level (hand-computed on a small synthetic
tree), descendant matching in the filters, and the parent-plan comparison."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

import duckdb
import pytest

from planwatch import db, views
from tests.conftest import one, rows

# province 900000 → cities 900100 (with its own plan) and 900200 → counties 900101, 900102 (in 900100), 900201
TREE = [("900000", "测试省", "省", None, 1, "900000", None), ("900100", "甲市", "市", "900000", 2, "900000", "900100"),
        ("900200", "乙市", "市", "900000", 2, "900000", "900200"),
        ("900101", "东区", "区", "900100", 3, "900000", "900100"), ("900102", "西县", "县", "900100", 3, "900000", "900100"),
        ("900201", "东区", "区", "900200", 3, "900000", "900200")]
# plan → region, and its indicators' (status, assessment) as of 2024
PLANS = {"p-city": ("900100", [("已达标", "已实现"), ("已达标", "已实现"), ("进度滞后", "基本实现"), ("无数据", None)]),
         "p-east": ("900101", [("已达标", "已实现"), ("逆向变化", "仍有差距"), ("定性", None)]),
         "p-west": ("900102", [("进展顺利", "基本实现"), ("不能判断", None)]),
         "p-yi": ("900201", [("已达标", "已实现"), ("已达标", "已实现"), ("进展顺利", "仍有差距")])}


@pytest.fixture(scope="module")
def tree_db(base_db, tmp_path_factory):
    """The built schema and views with the catalogue replaced by the synthetic tree and its statuses."""
    path = tmp_path_factory.mktemp("tree") / "tree.duckdb"
    shutil.copy(base_db, path)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM region; DELETE FROM plan; DELETE FROM indicator; DELETE FROM indicator_unit; "
                "DELETE FROM _status")
    for code, name, level, parent, rank, province, city in TREE:
        con.execute("INSERT INTO region BY NAME SELECT ? AS region_code, ? AS name, ? AS level, ? AS parent_code, "
                    "'测试省' AS province, false AS is_seed, ? AS level_rank, ? AS province_code, ? AS city_code",
                    [code, name, level, parent, rank, province, city])
    for plan_id, (region, statuses) in PLANS.items():
        con.execute("INSERT INTO plan (plan_id, region_code, plan_group, title) VALUES (?, ?, '儿童', ?)",
                    [plan_id, region, plan_id])
        for n, (status, assessment) in enumerate(statuses):
            iid = f"{plan_id}-k{n:02d}"
            con.execute("INSERT INTO indicator (indicator_id, plan_id, domain, name, unit, direction, target_op, "
                        "target_value, target_year, canonical_id) VALUES (?, ?, '健康', ?, '%', 'higher', '>=', ?, 2025, ?)",
                        [iid, plan_id, f"指标{n}", 90 + n, f"c{n}"])
            con.execute("INSERT INTO _status BY NAME SELECT ? AS indicator_id, 2024 AS as_of_year, ? AS status, "
                        "? AS assessment, 2024 AS latest_year, ? AS latest_value, ? AS judged_value, 2020 AS ref_year, "
                        "0.0 AS ref_value, 0.1 AS noise_tolerance, 0.1 AS reported_precision, "
                        # the catalogue's target, which _status copies (v_status_detail reads the copy)
                        "'%' AS unit, '>=' AS op, ? AS target_value, 2025 AS target_year",
                        [iid, status, assessment, float(n), float(n), 90 + n])
    for table, live, *_ in (*views.CATALOGUE, *views.SUMMARIES):  # stored from what was just replaced
        con.execute(f"CREATE OR REPLACE TABLE {table} AS FROM {live}")
    con.close()
    return path


def rollup(db) -> dict:
    got = rows(db, "SELECT region_code, n_plans, n_regions, n_indicators, n_assessed, n_met, n_no_data, n_qualitative, "
                   "n_undetermined, n_basic, attainment_rate, basic_rate FROM v_attainment_rollup "
                   "WHERE as_of_year = 2024 ORDER BY region_code")
    return {r[0]: r[1:] for r in got}


def test_rollup_counts_a_region_with_its_descendants(tree_db):
    assert rollup(tree_db) == {
        # plans, regions, indicators, assessed, met, no data, qualitative, undetermined, basic, 达标率, 基本实现率
        "900000": (4, 4, 12, 9, 5, 1, 1, 1, 2, round(5 / 9, 4), round(7 / 9, 4)),
        "900100": (3, 3, 9, 6, 3, 1, 1, 1, 2, 0.5, round(5 / 6, 4)),   # its own plan and two counties
        "900101": (1, 1, 3, 2, 1, 0, 1, 0, 0, 0.5, 0.5),
        "900102": (1, 1, 2, 1, 0, 0, 0, 1, 1, 0.0, 1.0),
        "900200": (1, 1, 3, 3, 2, 0, 0, 0, 0, round(2 / 3, 4), round(2 / 3, 4)),
        "900201": (1, 1, 3, 3, 2, 0, 0, 0, 0, round(2 / 3, 4), round(2 / 3, 4)),
    }


def test_a_county_rolls_up_as_v_attainment_counts_it(tree_db):
    by_region = one(tree_db, "SELECT n_assessed, n_met, attainment_rate, basic_rate FROM v_attainment_by_region "
                             "WHERE as_of_year = 2024 AND region = '西县'")
    assert by_region == one(tree_db, "SELECT n_assessed, n_met, attainment_rate, basic_rate FROM v_attainment_rollup "
                                     "WHERE as_of_year = 2024 AND region_code = '900102'")


def test_namesakes_stay_apart_in_v_attainment_by_region(tree_db):
    got = rows(tree_db, "SELECT region_code, n_indicators, n_met FROM v_attainment_by_region "
                        "WHERE as_of_year = 2024 AND region = '东区' ORDER BY region_code")
    assert got == [("900101", 3, 1), ("900201", 3, 2)]   # two 东区, in 甲市 and 乙市


@pytest.mark.parametrize("scope,plans", [("900000", ["p-city", "p-east", "p-west", "p-yi"]),
                                         ("900100", ["p-city", "p-east", "p-west"]), ("900200", ["p-yi"]),
                                         ("900101", ["p-east"]), (None, ["p-city", "p-east", "p-west", "p-yi"])])
def test_filters_match_a_region_and_its_descendants(tree_db, scope, plans):
    status = rows(tree_db, "SELECT DISTINCT plan_id FROM filtered_status(2024, NULL, ?, NULL, NULL) ORDER BY 1", [scope])
    indicator = rows(tree_db, "SELECT DISTINCT plan_id FROM filtered_indicator(NULL, ?, NULL, NULL) ORDER BY 1", [scope])
    assert [r[0] for r in status] == [r[0] for r in indicator] == plans


def test_filtered_rollup_stays_inside_the_chosen_region(tree_db):
    got = rows(tree_db, "SELECT region_code, n_indicators FROM filtered_rollup(2024, NULL, '900100', NULL, NULL) "
                        "ORDER BY region_code")
    assert got == [("900100", 9), ("900101", 3), ("900102", 2)]


def test_county_is_compared_with_its_citys_plan(tree_db):
    got = rows(tree_db, "SELECT indicator_id, parent_indicator_id, parent_region FROM v_parent_comparison "
                        "WHERE as_of_year = 2024 ORDER BY indicator_id")
    # the city plan has c0…c3; its counties share c0…c2 (乙市 has no plan of its own: 东区 of 乙市 has no parent row)
    assert got == [("p-east-k00", "p-city-k00", "甲市"), ("p-east-k01", "p-city-k01", "甲市"),
                   ("p-east-k02", "p-city-k02", "甲市"), ("p-west-k00", "p-city-k00", "甲市"),
                   ("p-west-k01", "p-city-k01", "甲市")]


def test_parent_line_for_the_indicator_page(tree_db):
    with db.open_reader(tree_db) as reader:
        got = db.run_query(reader, "parent_comparison", id="p-west-k01", year=2024)
        none = db.run_query(reader, "parent_comparison", id="p-yi-k00", year=2024)
    assert list(got.itertuples(index=False, name=None)) == [
        ("p-city-k01", "甲市", "900100", "上级规划(甲市):目标≥91%,最新1%(2024年),已达标")]
    assert none.empty


def test_region_table_holds_every_unit_with_its_parents(base_db):
    assert one(base_db, "SELECT count(*) FROM region")[0] > 3000
    assert one(base_db, "SELECT count(*) FROM v_region WHERE name = '鼓楼区'")[0] == 4
    assert one(base_db, "SELECT path, parent_name, has_plan FROM v_region WHERE region_code = '320582'") == (
        "江苏省 / 苏州市 / 张家港市", "苏州市", True)
    assert one(base_db, "SELECT count(*) FROM v_region WHERE parent_code IS NOT NULL AND parent_name IS NULL")[0] == 0
    seeds = rows(base_db, "SELECT name FROM v_region WHERE n_plans_within > 0 AND NOT has_plan ORDER BY region_code")
    assert [r[0] for r in seeds] == ["北京市", "江苏省", "苏州市", "浙江省", "温州市", "陕西省"]


@contextmanager
def serving(source, tmp_path, monkeypatch):
    """The app's pages served from a private copy of source, with no connection or data cached from before."""
    import streamlit as st

    from planwatch import ui

    target = tmp_path / "app.duckdb"
    shutil.copy(source, target)
    monkeypatch.setenv("PLANWATCH_DB", str(target))
    ui.connection.clear()
    st.cache_data.clear()
    try:
        yield target
    finally:
        ui.connection.clear()
        st.cache_data.clear()


def test_indicator_page_links_the_parent_plan(tree_db, tmp_path, monkeypatch):
    from tests.apptest import open_page, unescape

    with serving(tree_db, tmp_path, monkeypatch):
        at = open_page("indicator", id="p-west-k01", year="2024")
        [link] = [link.proto for link in at.get("page_link") if "上级规划" in link.proto.label]
        assert unescape(link.label) == "上级规划(甲市):目标≥91%,最新1%(2024年),已达标"
        assert "id=p-city-k01" in link.query_string
        at = open_page("indicator", id="p-yi-k00", year="2024")   # 乙市 has no plan: no line
        assert not [link for link in at.get("page_link") if "上级规划" in link.proto.label]


@pytest.fixture(scope="module")
def synth60(tmp_path_factory):
    from planwatch import synth

    path = tmp_path_factory.mktemp("synth60") / "synth60.duckdb"
    synth.synth(path, 60)
    return path


def _marks(chart) -> int:
    import pyarrow as pa
    return max([len(pa.ipc.open_stream(d.data.data).read_all()) for d in chart.proto.datasets] or [0])


def test_regions_page_at_synth_scale_keeps_lists_and_charts_short(synth60, tmp_path, monkeypatch):
    from tests.apptest import html_tables, open_page

    n_provinces = one(synth60, "SELECT count(*) FROM v_region WHERE level_rank = 1 AND n_plans_within > 0")[0]
    assert n_provinces > 10 and one(synth60, "SELECT count(*) FROM unit")[0] > 1000
    with serving(synth60, tmp_path, monkeypatch):
        for params in ({}, {"region": "320000"}, {"region": "320500"}):
            at = open_page("regions", year="2024", **params)
            sizes = {s.key: len(s.options) for s in at.selectbox}
            assert max(sizes.values(), default=0) <= 100, (params, sizes)
            assert all(_marks(c) <= 100 for c in at.get("vega_lite_chart")), params
            assert sum(e.proto.body.count("pw-bar-row'") for e in at.get("html")) <= 100, params
            assert sum(len(m.value) for m in at.markdown if "pw-map" in m.value) < 200_000   # the SVG map
            at.toggle(key="region_deck").set_value(True).run()   # and the interactive map, when asked for
            assert sum(len(d.proto.json) for d in at.get("deck_gl_json_chart")) < 200_000
        at = open_page("regions", year="2024")
        assert len(html_tables(at)[0]) == n_provinces   # 全国: one row per province, not per county
        expected = rows(synth60, "SELECT region, n_met, n_assessed FROM v_attainment_rollup "
                                 "WHERE as_of_year = 2024 AND level_rank = 1")
        table = html_tables(at)[0].set_index("地区")
        assert all((table.loc[r, "已达标"], table.loc[r, "已评估"]) == (str(m), str(a)) for r, m, a in expected)
        # the sidebar (drawn by app.py, on 总览): a province list, no county list, no unit list before a region
        for params, n_units in (({}, 1), ({"region": "320000"}, None)):
            sidebar = {s.key: s.options for s in open_page(None, year="2024", **params).selectbox}
            assert len(sidebar["filter_region_1"]) == n_provinces + 1 and "filter_region_3" not in sidebar
            assert len(sidebar["filter_unit"]) == n_units if n_units else 1 < len(sidebar["filter_unit"]) <= 100


def test_region_children_shows_a_citys_own_plans_beside_its_counties(tree_db):
    """甲市 has its own plan (p-city) and two counties: 地区 lists 东区, 西县 and 甲市(本级), which counts p-city alone
    (4 indicators: 已达标 ×2, 进度滞后 — 3 assessed — and 无数据; one 基本实现); the three add up to 甲市's roll-up."""
    with duckdb.connect(str(tree_db), read_only=True) as con:
        got = db.run_query(con, "region_children", year=2024, group=None, region="900100", domain=None, unit=None)
    table = got.set_index("地区")[["地区代码", "指标总数", "已评估", "已达标", "无数据", "达标率", "基本实现率", "规划数",
                                  "has_children"]]
    assert table.loc["甲市(本级)"].tolist() == ["900100", 4, 3, 2, 1, round(2 / 3, 4), 1.0, 1, False]
    assert sorted(table.index) == sorted(["东区", "西县", "甲市(本级)"])
    assert table["指标总数"].sum() == 9 and table["已达标"].sum() == 3   # 甲市's roll-up (test above)
    # 乙市 has no plan of its own: no (本级) row; a county shows itself
    with duckdb.connect(str(tree_db), read_only=True) as con:
        assert db.run_query(con, "region_children", year=2024, group=None, region="900200", domain=None,
                            unit=None)["地区"].tolist() == ["东区"]
        assert db.run_query(con, "region_children", year=2024, group=None, region="900101", domain=None,
                            unit=None)["地区"].tolist() == ["东区"]
