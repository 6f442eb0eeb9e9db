"""The stored per-unit summary _unit_tally (queries/views/87_unit_tally.sql), which the 责任单位 scorecard sorts,
pages and counts its units by, on a small case counted by hand: a plan that names no units (平阳县妇女规划) gets two
units from the committee, one of them also listed twice for an indicator, and controlled red warnings."""
from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import rows

from planwatch import assignment, db, views

PLAN = "pingyang-women"  # names no responsible units; k01, k02: 健康, k04: 决策管理
K01, K02, K04 = (f"{PLAN}-k0{n}" for n in (1, 2, 4))
WOMEN, HEALTH = "330326:县妇联", "330326:县卫健局"


@pytest.fixture(scope="module")
def small_case(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("unit_tally") / "demo.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:  # 2024's warnings of the three, set by hand: k01 two red, k02 one yellow,
        con.execute("DELETE FROM _warning WHERE as_of_year = 2024 AND list_contains(?, indicator_id)",  # k04 one red
                    [[K01, K02, K04]])
        con.execute("INSERT INTO _warning BY NAME SELECT * FROM (VALUES (?, 2024, '红', '逆向变化'), "
                    "(?, 2024, '红', '波动较大'), (?, 2024, '黄', '预计未达标'), (?, 2024, '红', '逆向变化')) "
                    "AS w(indicator_id, as_of_year, level, kind)", [K01, K01, K02, K04])
    for indicator in (K01, K02, K04):
        assignment.assign(path, indicator, "县妇联", "牵头", by="测试")
    assignment.assign(path, K01, "县卫健局", "配合", by="测试")
    with duckdb.connect(str(path)) as con:  # 县妇联 listed a second time for k02 (as a plan may list a unit twice)
        con.execute("INSERT INTO indicator_unit (indicator_id, plan_id, unit_id, unit_as_written, position, role, "
                    "provenance) VALUES (?, ?, ?, '县妇联', 3, '未区分', '规划列明')", [K02, PLAN, WOMEN])
        views.refresh_indicators(con, [K02])
    return path


def test_the_summary_counts_each_units_indicators_once_per_plan_and_domain_with_their_red_warnings(small_case):
    assert rows(small_case, "SELECT domain, unit_id, n_indicators, n_red, region_code, plan_group FROM _unit_tally "
                            "WHERE plan_id = ? AND as_of_year = 2024 ORDER BY ALL", [PLAN]) == [
        ("健康", HEALTH, 1, 2, "330326", "妇女"),      # k01
        ("健康", WOMEN, 2, 2, "330326", "妇女"),       # k01 and k02 (listed twice, counted once): k01's two reds
        ("决策管理", WOMEN, 1, 1, "330326", "妇女"),   # k04: one red
    ]


@pytest.mark.parametrize("filters, expected", [
    ({}, [("县妇联", 3, 3, 3, 0, 3), ("县卫健局", 1, 2, 0, 1, 0)]),
    ({"domain": "健康"}, [("县妇联", 2, 2, 2, 0, 2), ("县卫健局", 1, 2, 0, 1, 0)]),
    ({"domain": "决策管理"}, [("县妇联", 1, 1, 1, 0, 1)]),
    ({"domain": "法律"}, []),
    ({"group": "儿童"}, []),
])
def test_the_scorecard_pages_and_counts_the_units_from_the_summary(small_case, filters, expected):
    params = {"year": 2024, "group": None, "region": "330326", "domain": None} | filters
    with db.open_reader(small_case) as reader:
        card = db.run_query(reader, "unit_scorecard", page_limit=None, page_offset=0, **params)
        first = db.run_query(reader, "unit_scorecard", page_limit=1, page_offset=0, **params)
    # (unit, 指标数, 红色预警, 牵头, 配合, 首位列名): most indicators first
    assert list(card[["责任单位", "指标数", "红色预警", "牵头", "配合", "首位列名"]].itertuples(index=False, name=None)) \
        == expected
    assert list(card["n_rows"]) == [len(expected)] * len(expected)
    assert list(first["责任单位"]) == [u for u, *_ in expected[:1]]
    assert list(first["n_rows"]) == [len(expected)] * len(expected[:1])
