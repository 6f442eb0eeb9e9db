"""Pages at many regions (issue 17, item 4): long lists paged in the database, no selectbox with thousands of options,
no chart with a bar per region, indicators found by search. Run on the seed plans cloned for 40 more regions."""
from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from apptest import open_page, texts, use_database
from conftest import one

from planwatch import paging, ui, views

EXTRA_REGIONS = 40
MAX_OPTIONS = 100  # the most options a selectbox in a page's main area may hold


def clone_regions(path, n: int) -> None:
    """Copy the seed regions' plans, indicators, units and demonstration values for n more county regions
    (F00000 测试0县 …), values nudged per region so that statuses differ."""
    with duckdb.connect(str(path)) as con:
        con.execute("""
            CREATE TEMP TABLE fake AS
            SELECT 'F' || lpad(i::VARCHAR, 5, '0') AS code, '测试' || i || '县' AS name,
                   ['110116', '320582', '330326', '610400'][i % 4 + 1] AS src, i FROM range(?) t(i)""", [n])
        con.execute("""
            INSERT INTO region SELECT f.code, f.name, '县', r.parent_code, r.province, r.longitude, r.latitude, FALSE
                FROM fake f JOIN region r ON r.region_code = f.src;
            INSERT INTO plan SELECT f.code || '-' || p.plan_id, f.code, p.plan_group, f.name || p.plan_group || '规划',
                p.period_start, p.period_end, p.target_year, p.issuing_document, p.source_file, p.title_line,
                p.title_quote FROM fake f JOIN plan p ON p.region_code = f.src;
            INSERT INTO indicator SELECT f.code || '-' || i.indicator_id, f.code || '-' || i.plan_id,
                i.* EXCLUDE (indicator_id, plan_id)
                FROM fake f JOIN plan p ON p.region_code = f.src JOIN indicator i USING (plan_id);
            INSERT INTO unit SELECT f.code || ':' || u.name, f.code, u.name FROM fake f JOIN unit u ON u.region_code = f.src;
            INSERT INTO indicator_unit SELECT f.code || '-' || iu.indicator_id, f.code || '-' || iu.plan_id,
                f.code || ':' || u.name, iu.* EXCLUDE (indicator_id, plan_id, unit_id)
                FROM fake f JOIN plan p ON p.region_code = f.src JOIN indicator_unit iu USING (plan_id)
                JOIN unit u USING (unit_id);
            INSERT INTO observation SELECT o.batch_id, o.row_no, f.code || '-' || o.indicator_id, o.year,
                o.value * (1 + ((hash(f.code || o.indicator_id || o.year) % 200)::DOUBLE - 100) / 1500), o.value_text, o.note,
                o.numerator, o.denominator, o.reason, o.measures
                FROM fake f JOIN plan p ON p.region_code = f.src JOIN indicator i USING (plan_id)
                JOIN observation o ON o.indicator_id = i.indicator_id AND o.batch_id = 0;""")
        views.refresh(con)


@pytest.fixture(scope="module", autouse=True)
def wide_db(demo_db, tmp_path_factory):
    source = tmp_path_factory.mktemp("wide_source") / "wide.duckdb"
    shutil.copy(demo_db, source)
    clone_regions(source, EXTRA_REGIONS)
    path = use_database(source, tmp_path_factory.mktemp("wide_app"))
    ui.connection.clear()  # the app caches one database per process: serve this module's copy
    yield path
    ui.connection.clear()


def chart_rows(chart) -> pd.DataFrame:
    """The largest dataset a Vega-Lite chart element carries (Arrow IPC)."""
    return max((pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets), key=len)


def main_options(at) -> int:
    return max((len(s.options) for s in at.main.selectbox), default=0)


@pytest.mark.parametrize("page", ["overview", "warnings", "indicator", "domains", "units", "catalogue"])
def test_pages_send_no_long_lists(wide_db, page):
    at = open_page(page, year="2024")
    at.toggle(key="show_changes").set_value(True).run() if page == "overview" else None
    assert not at.exception, at.exception
    assert main_options(at) <= MAX_OPTIONS
    assert all(len(table.value) <= paging.PAGE_SIZE for table in at.dataframe)
    for chart in at.get("vega_lite_chart"):
        assert chart.proto.spec.count('"label"') <= 2 * (paging.PAGE_SIZE + 1)  # data rows, not one per region


def test_warnings_page_two_shows_the_next_rows(wide_db):
    n_all = one(wide_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024")[0]
    assert n_all > 2 * paging.PAGE_SIZE  # the fixture must need paging
    at = open_page("warnings", year="2024")
    first = at.dataframe[0].value
    assert len(first) == paging.PAGE_SIZE
    assert f"共 {n_all:,} 条" in texts(at)
    [pages] = at.get("pagination")
    at.session_state[pages.key] = 2
    at.run()
    second = at.dataframe[0].value
    assert len(second) == paging.PAGE_SIZE
    assert set(second["indicator_id"] + second["类型"]).isdisjoint(first["indicator_id"] + first["类型"])
    assert f"第 {paging.PAGE_SIZE + 1}–{2 * paging.PAGE_SIZE} 条" in texts(at)
    urgency = list(first["紧迫度"]) + list(second["紧迫度"])
    assert urgency == sorted(urgency, reverse=True)  # page 2 continues the order of page 1


def test_indicator_search_finds_and_opens_an_indicator(wide_db):
    at = open_page("indicator", year="2024")
    shown = at.title[0].value
    at.text_input(key="find").input("测试7县 孕产妇死亡率").run()
    pick = at.main.selectbox[0]
    # the indicator on screen stays chosen (first), then the matches
    assert at.title[0].value == shown and pick.index == 0 and "找到 1 项" in pick.label
    assert pick.options[1:] == ["测试7县 · 妇女 · 孕产妇死亡率"]
    pick.set_value("F00007-xianyang-women-t01").run()  # 测试7县 has 咸阳市's plans
    assert at.query_params["id"] == "F00007-xianyang-women-t01"
    assert at.title[0].value == "孕产妇死亡率"
    assert "测试7县" in texts(at)


def test_indicator_link_opens_directly(wide_db):
    at = open_page("indicator", id="F00001-zhangjiagang-women-k02", year="2024")
    assert at.title[0].value == "孕产妇死亡率"
    assert "测试1县" in texts(at)
    assert len(at.main.selectbox[0].options) <= MAX_OPTIONS + 1


def test_overview_bars_show_the_most_lagging_and_sum_up_the_rest(wide_db):
    at = open_page(year="2024")
    n_regions = one(wide_db, "SELECT count(DISTINCT region) FROM v_indicator")[0]
    plans, regions = (set(chart_rows(chart)["label"]) for chart in at.get("vega_lite_chart"))
    assert len(plans) == len(regions) == 8 + 1  # the eight most lagging and one bar for the rest
    assert any(label.startswith(f"其余 {n_regions - 8} 个地区 ") for label in regions)
