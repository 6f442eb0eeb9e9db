"""Pages at many regions (issue 17, item 4): long lists paged in the database, no selectbox with thousands of options,
no chart with a bar per region, indicators found by search. Run on `planwatch synth --regions 40`."""
from __future__ import annotations

import pytest
from apptest import html_bars, html_tables, open_page, texts, use_database
from conftest import one

from planwatch import cli, db, guard, paging, report, ui

REGIONS = 40
MAX_OPTIONS = 100  # the most options a selectbox in a page's main area may hold


@pytest.fixture(scope="module", autouse=True)
def wide_db(tmp_path_factory):
    source = tmp_path_factory.mktemp("wide_source") / "wide.duckdb"
    assert cli.main(["synth", "--db", str(source), "--regions", str(REGIONS)]) == 0
    path = use_database(source, tmp_path_factory.mktemp("wide_app"))
    ui.connection.clear()  # the app caches one database per process: serve this module's copy
    yield path
    ui.connection.clear()


def main_options(at) -> int:
    return max((len(s.options) for s in at.main.selectbox), default=0)


@pytest.mark.parametrize("page", ["overview", "warnings", "indicator", "domains", "units", "catalogue", "progress",
                                  "reports", "explorer"])
def test_pages_send_no_long_lists(wide_db, page):
    at = open_page(page, year="2024")
    at.toggle(key="show_changes").set_value(True).run() if page == "overview" else None
    assert not at.exception, at.exception
    assert main_options(at) <= MAX_OPTIONS
    most = guard.SHOW_ROWS if page == "explorer" else paging.PAGE_SIZE  # the explorer shows a result's first rows
    assert all(len(table.value) <= most for table in at.dataframe)
    assert all(len(table) <= most for table in html_tables(at))
    # 总览: the most lagging and one bar for the rest; elsewhere a bar per domain or status, never one per region
    assert all(len(bars) <= (8 + 1 if page == "overview" else 20) for bars in html_bars(at))
    for chart in at.get("vega_lite_chart"):
        assert chart.proto.spec.count('"label"') <= 2 * (paging.PAGE_SIZE + 1)  # data rows, not one per region


def test_warnings_page_two_shows_the_next_rows(wide_db):
    n_all = one(wide_db, "SELECT count(*) FROM v_warning WHERE as_of_year = 2024")[0]
    assert n_all > 2 * paging.PAGE_SIZE  # the fixture must need paging
    at = open_page("warnings", year="2024")
    at.segmented_control(key="warning_view").set_value("表格(可按列排序)").run()  # the grid view: ids and 紧迫度 as columns
    first = at.dataframe[0].value
    size = len(html_tables(open_page("warnings", year="2024"))[0])  # the first view: the same page as HTML
    assert len(first) == size == 25  # pages/warnings.py ROWS
    assert f"共 {n_all:,} 条" in texts(at)
    [pages] = at.get("pagination")
    at.session_state[pages.key] = 2
    at.run()
    second = at.dataframe[0].value
    assert len(second) == size
    assert set(second["indicator_id"] + second["类型"]).isdisjoint(first["indicator_id"] + first["类型"])
    assert f"第 {size + 1}–{2 * size} 条" in texts(at)
    urgency = list(first["紧迫度"]) + list(second["紧迫度"])
    assert urgency == sorted(urgency, reverse=True)  # page 2 continues the order of page 1


def test_indicator_search_finds_and_opens_an_indicator(wide_db):
    wanted, region = one(wide_db, "SELECT indicator_id, region FROM v_indicator WHERE name = '孕产妇死亡率' "
                                  "AND indicator_id LIKE 'synth-%' ORDER BY indicator_id LIMIT 1")
    at = open_page("indicator", year="2024")
    shown = at.title[0].value
    at.text_input(key="find").input(f"{region} 孕产妇死亡率").run()
    pick = at.main.selectbox[0]
    # the indicator on screen stays chosen (first), then the matches
    assert at.title[0].value == shown and pick.index == 0
    matches = pick.options[1:]
    assert f"{region} · 妇女 · 孕产妇死亡率" in matches and f"找到 {len(matches)} 项" in pick.label
    assert all(region in label and "孕产妇死亡率" in label for label in matches)
    pick.set_value(wanted).run()
    assert at.query_params["id"] == wanted
    assert at.title[0].value == "孕产妇死亡率"
    assert region in texts(at)


def test_indicator_link_opens_directly(wide_db):
    wanted, region, name = one(wide_db, "SELECT indicator_id, region, name FROM v_indicator "
                                        "WHERE indicator_id LIKE 'synth-%' ORDER BY indicator_id DESC LIMIT 1")
    at = open_page("indicator", id=wanted, year="2024")
    assert at.title[0].value == name
    assert region in texts(at)
    assert len(at.main.selectbox[0].options) <= MAX_OPTIONS + 1


def test_overview_bars_show_the_most_lagging_and_sum_up_the_rest(wide_db):
    at = open_page(year="2024")
    n_regions = one(wide_db, "SELECT count(DISTINCT region) FROM v_indicator")[0]
    plans, regions = ({bar["label"] for bar in bars} for bars in html_bars(at))
    assert len(plans) == len(regions) == 6 + 1  # the six most lagging and one bar for the rest
    assert any(label.startswith(f"其余 {n_regions - 6} 个地区 ") for label in regions)


# --- the summaries the pages count from (queries/views/83_tally.sql) ----------------------------------------------

def test_summaries_count_what_the_views_hold(wide_db):
    # per as-of year, plan, domain and status: the indicators, 基本实现, 已实现 or 基本实现, and demonstration values;
    # per as-of year, plan, domain, level and kind: the warnings (a write keeps them current: test_incremental.py)
    with db.open_reader(wide_db) as reader:
        cur = reader.cursor()
        assert cur.execute("""
            SELECT count(*) FROM (
                (SELECT as_of_year, plan_id, domain, status, region_code, plan_group, count(*) AS n,
                        count(*) FILTER (WHERE assessment = '基本实现') AS n_basic,
                        count(*) FILTER (WHERE assessment IN ('已实现', '基本实现')) AS n_achieved,
                        count(*) FILTER (WHERE latest_source_kind = '示例') AS n_demo
                 FROM v_status_detail GROUP BY ALL)
                EXCEPT ALL FROM _tally)""").fetchone() == (0,)
        assert cur.execute("SELECT sum(n) FROM _tally").fetchone() == cur.execute("SELECT count(*) FROM v_status").fetchone()
        assert cur.execute("""
            SELECT count(*) FROM (
                (SELECT w.as_of_year, d.plan_id, d.domain, d.region_code, d.plan_group, w.level, w.kind, count(*) AS n
                 FROM v_warning w JOIN v_status_detail d USING (indicator_id, as_of_year) GROUP BY ALL)
                EXCEPT ALL FROM _warning_tally)""").fetchone() == (0,)
        assert cur.execute("SELECT sum(n) FROM _warning_tally").fetchone() == \
            cur.execute("SELECT count(*) FROM v_warning").fetchone()


@pytest.mark.parametrize("filters", [{}, {"group": "儿童"}, {"domain": "健康"}, {"region": "province"},
                                     {"region": "county", "group": "妇女"}, {"unit": "some"}])
def test_counts_from_the_summaries_equal_counts_of_the_rows(wide_db, filters):
    with db.open_reader(wide_db) as reader:
        cur = reader.cursor()
        county, province, unit = cur.execute(
            "SELECT min(p.region_code), min(r.province_code), (SELECT min(unit_id) FROM indicator_unit "
            "WHERE indicator_id IS NOT NULL) FROM plan p JOIN region r USING (region_code)").fetchone()
        params = {"year": 2024, "group": None, "region": None, "domain": None, "unit": None} | filters
        params |= {k: {"province": province, "county": county, "some": unit}.get(v, v) for k, v in filters.items()}
        rows = "FROM v_warning w JOIN filtered_status($year, $group, $region, $domain, $unit) f USING (indicator_id, as_of_year)"
        assert list(db.run_query(reader, "warning_counts", **params).itertuples(index=False, name=None)) == \
            cur.execute(f"SELECT w.level, w.kind, count(*) {rows} GROUP BY ALL ORDER BY ALL", params).fetchall()
        head = db.run_query(reader, "headline", **params).iloc[0]
        n, met, assessed, basic = cur.execute(
            "SELECT count(*), count_if(status = '已达标'), count_if(status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), "
            "count_if(assessment = '基本实现') FROM filtered_status($year, $group, $region, $domain, $unit)", params).fetchone()
        assert (head.n_indicators, head.n_met, head.n_assessed, head.n_basic) == (n, met, assessed, basic)
        assert n > 0


def test_the_report_page_summary_matches_the_whole_report(wide_db):
    # the 年度报告 page shows a summary (report.summarise) instead of gathering every indicator: the same headline,
    # warnings by level and slides as the report made from the whole content
    with db.open_reader(wide_db) as reader:
        province = reader.cursor().execute("SELECT min(province_code) FROM region r JOIN plan p USING (region_code)"
                                           ).fetchone()[0]
        for region in (None, province):
            summary = report.summarise(reader, 2024, region, "midterm")
            content = report.gather(reader, 2024, region, "midterm")
            sections = report.outline(content)
            assert [(s.kind, s.title, s.not_shown, s.first) for s in summary.sections] == \
                [(s.kind, s.title, s.not_shown, s.first) for s in sections]
            assert summary.headline == content.headline and summary.warnings == content.warning_counts()
            assert (summary.scope, summary.has_demo, summary.rate_text()) == (content.scope, content.has_demo,
                                                                               content.rate_text())
            assert report.file_name(summary, "pdf") == report.file_name(content, "pdf")
    assert sum(s.kind == "warnings" for s in sections) > 1 and sections[-2].kind == "story"  # a case that can differ


def _filters(reader, filters: dict, unit: bool = True) -> dict:
    """The sidebar's filters with "province" as the province of the first unit listed (all: None)."""
    province = reader.cursor().execute("SELECT min(r.province_code) FROM indicator_unit JOIN unit USING (unit_id) "
                                       "JOIN region r USING (region_code)").fetchone()[0]
    params = {"year": 2024, "group": None, "region": None, "domain": None} | ({"unit": None} if unit else {}) | filters
    return params | ({"region": province} if filters.get("region") else {})


@pytest.mark.parametrize("filters", [{}, {"group": "妇女", "domain": "健康"}, {"region": "province"}])
def test_unit_count_is_the_scorecards_length(wide_db, filters):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, filters, unit=False)
        n = db.run_query(reader, "unit_count", **params).iloc[0, 0]
        whole = db.run_query(reader, "unit_scorecard", page_limit=None, page_offset=0, **params)
        assert n == len(whole) > 0 and (whole["n_rows"] == n).all()


# --- lists that choose their page themselves (paging: $page_limit, $page_offset and n_rows) -----------------------
SELF_PAGED = {  # query: (its extra parameters, the columns naming a row)
    "unit_scorecard": ({}, ["unit_id"]),
    "domain_indicators": ({"domain": "健康"}, ["indicator_id"]),
    "catalogue_indicators": ({"plan": None, "search": None}, ["indicator_id"]),
    "units_unlisted": ({}, ["plan_id"]),
    "catalogue_plans": ({}, ["plan_id"]),
    "status_changes": ({}, ["indicator_id"]),
}


def _cells(frame) -> list[list]:
    """The values row by row, a missing one as None (an all-empty column of a page is of another dtype)."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


@pytest.mark.parametrize("name", SELF_PAGED)
@pytest.mark.parametrize("filters", [{}, {"group": "儿童"}, {"region": "province"}])
def test_a_page_chosen_by_the_query_is_that_slice_of_the_whole_list(wide_db, name, filters):
    extra, ids = SELF_PAGED[name]
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, filters, unit=name not in ("unit_scorecard", "units_unlisted")) | extra
        if name.startswith("catalogue_"):  # what the plans say: no as-of year
            params.pop("year")
        whole = db.run_query(reader, name, page_limit=None, page_offset=0, **params)
        assert len(whole) > (12 if not filters else 0) and (whole["n_rows"] == len(whole)).all()
        assert not whole.duplicated(ids).any()
        for offset in sorted({0, 5, max(len(whole) - 3, 0)}):
            page = db.run_query(reader, name, page_limit=5, page_offset=offset, **params)
            assert list(page.columns) == list(whole.columns)
            assert _cells(page) == _cells(whole.iloc[offset:offset + 5])
        assert db.run_query(reader, name, page_limit=5, page_offset=len(whole), **params).empty


def test_domain_indicators_lists_the_domains_indicators_most_urgent_first(wide_db):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, {"domain": "健康"})
        whole = db.run_query(reader, "domain_indicators", page_limit=None, page_offset=0, **params)
        expected = reader.cursor().execute("""
            SELECT indicator_id FROM filtered_status($year, $group, $region, $domain, $unit)
            ORDER BY list_position(['逆向变化', '进度滞后', '进展顺利', '已达标', '无数据'], status) NULLS LAST,
                     region_code, indicator_id""", params).fetchall()
        assert list(whole["indicator_id"]) == [i for (i,) in expected]


def test_the_scorecards_first_page_holds_the_units_with_most_red_warnings(wide_db):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, {}, unit=False)
        whole = db.run_query(reader, "unit_scorecard", page_limit=None, page_offset=0, **params)
        page = db.run_query(reader, "unit_scorecard", page_limit=7, page_offset=0, **params)
        # ordered by most red warnings, then most indicators, region code, name: counted by hand from the links
        counts = reader.cursor().execute("""
            SELECT f.region_code, u.unit_id, count(DISTINCT f.indicator_id) AS n,
                   (SELECT count(*) FROM v_warning w WHERE w.as_of_year = $year AND w.level = '红'
                      AND w.indicator_id IN (SELECT iu2.indicator_id FROM indicator_unit iu2 JOIN v_indicator i2
                                             USING (indicator_id) WHERE iu2.unit_id = u.unit_id
                                             AND i2.region_code = f.region_code)) AS red, u.name
            FROM filtered_status($year, $group, $region, $domain, NULL) f
            JOIN indicator_unit iu USING (indicator_id) JOIN unit u USING (unit_id)
            GROUP BY ALL ORDER BY red DESC, n DESC, f.region_code, u.name LIMIT 7""", params).fetchall()
        assert list(page["unit_id"]) == [u for _, u, _, _, _ in counts] == list(whole["unit_id"][:7])
        assert list(page["指标数"]) == [n for _, _, n, _, _ in counts]
        assert list(page["红色预警"]) == [red for _, _, _, red, _ in counts]


def test_domain_spread_samples_a_fixed_subset_and_counts_every_indicator(wide_db):
    with db.open_reader(wide_db) as reader:
        params = {"year": 2024, "group": None, "region": None, "unit": None, "per_domain": 4}
        spread = db.run_query(reader, "domain_spread", **params)
        expected = reader.cursor().execute("""
            SELECT domain, indicator_id, median(least(greatest(ratio, -1), 2)) OVER (PARTITION BY domain),
                   count(*) OVER (PARTITION BY domain)
            FROM filtered_status($year, $group, $region, NULL, $unit) WHERE ratio IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY domain ORDER BY hash(indicator_id), indicator_id) <= $per_domain
            ORDER BY domain, indicator_id""", params).fetchall()
        assert list(spread[["领域", "indicator_id", "median_ratio", "n_plotted"]].itertuples(index=False, name=None)) \
            == expected
        assert spread.groupby("领域").size().max() == 4 and spread["n_plotted"].max() > 4


def test_default_year_is_the_latest_year_with_an_approved_value(wide_db):
    with db.open_reader(wide_db) as reader:
        latest = reader.cursor().execute("SELECT max(year) FROM v_observation "
                                         "WHERE year <= year(current_date)").fetchone()[0]
        assert db.run_query(reader, "default_year").iloc[0, 0] == latest == 2025


def test_unit_options_lists_few_units_and_only_counts_many(wide_db):
    with db.open_reader(wide_db) as reader:
        every = db.run_query(reader, "unit_options", region=None, unit=None, most=None)
        n = len(every)
        assert n > 100 and (every["n_units"] == n).all() and every["value"].is_unique
        chosen = every["value"].iloc[7]
        counted = db.run_query(reader, "unit_options", region=None, unit=None, most=100)
        assert counted["value"].isna().all() and list(counted["n_units"]) == [n]  # too many: the count alone
        kept = db.run_query(reader, "unit_options", region=None, unit=chosen, most=100)
        assert list(kept["value"]) == [chosen] and list(kept["label"]) == [every["label"].iloc[7]]
        county = chosen.split(":")[0]
        few = db.run_query(reader, "unit_options", region=county, unit=None, most=100)
        assert 0 < len(few) <= 100 and chosen in set(few["value"]) and (few["n_units"] == len(few)).all()
        assert db.run_query(reader, "unit_options", region=None, unit="nobody", most=0)["value"].isna().all()


# --- the pages' heaviest queries, made cheaper at national scale: the rows the views give ---------------------------

@pytest.mark.parametrize("filters", [{}, {"group": "妇女"}, {"region": "province"}])
def test_status_changes_are_the_status_changes_with_v_status_reasons(wide_db, filters):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, filters)
        whole = db.run_query(reader, "status_changes", page_limit=None, page_offset=0, **params)
        rank = "coalesce(list_position(['逆向变化', '进度滞后', '进展顺利', '已达标'], {}.status), 0)"
        expected = reader.cursor().execute(f"""
            SELECT f.indicator_id, b.status, f.status, f.reason, {rank.format('f')} - {rank.format('b')} AS change_rank
            FROM filtered_status($year, $group, $region, $domain, $unit) f
            JOIN v_status b ON b.indicator_id = f.indicator_id AND b.as_of_year = f.as_of_year - 1
            WHERE b.status <> f.status
            ORDER BY change_rank, f.region, f.indicator_id""", params).fetchall()
        assert len(expected) > 0
        assert list(whole[["indicator_id", "上一年状态", "本年状态", "原因", "change_rank"]]
                    .itertuples(index=False, name=None)) == expected


@pytest.mark.parametrize("filters", [{"domain": "健康"}, {"domain": "教育", "group": "儿童", "region": "province"}])
def test_domain_indicators_rows_say_what_v_status_detail_says(wide_db, filters):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, filters)
        page = db.run_query(reader, "domain_indicators", page_limit=50, page_offset=3, **params)
        expected = reader.cursor().execute("""
            SELECT indicator_id, domain, region, plan_group, name, status, target_label, reason, ratio + 0.0,
                   latest_source_kind,
                   CASE WHEN latest_year IS NULL THEN coalesce(latest_text, '—')
                        ELSE pw_val(latest_value, unit) || '(' || latest_year || '年)' END
            FROM filtered_status($year, $group, $region, $domain, $unit)
            WHERE list_contains($ids, indicator_id)""", params | {"ids": list(page["indicator_id"])}).fetchall()
        assert len(page) > 3 and len(expected) == len(page)
        got = page[["indicator_id", "领域", "地区", "规划", "指标", "状态", "目标", "原因", "进度比", "latest_source_kind",
                    "最新值"]]
        assert sorted(_cells(got), key=str) == sorted(([None if v != v else v for v in row] for row in expected), key=str)


def test_warnings_list_pages_follow_one_order_without_repeats(wide_db):
    with db.open_reader(wide_db) as reader:
        filters = _filters(reader, {})
        params = filters | {"levels": [], "kinds": []}
        whole = db.run_query(reader, "warnings_list", **params)
        keys = ["紧迫度", "地区", "indicator_id"]
        assert whole.duplicated(keys).any()  # ties on the sort keys: the fixture can show a row on two pages
        kind_order = {"逆向变化": 1, "预计未达标": 2, "到期未达标": 2, "波动较大": 3, "未填报": 4}
        ordered = whole.assign(k=whole["类型"].map(kind_order)).sort_values(
            [*keys, "k"], ascending=[False, True, True, True], kind="stable").drop(columns="k")
        assert _cells(whole) == _cells(ordered)  # v_warning's order among an indicator's warnings of equal urgency
        expected = reader.cursor().execute("""
            SELECT w.indicator_id, w.kind, w.reason, w.urgency FROM v_warning w
            JOIN filtered_status($year, $group, $region, $domain, $unit) f USING (indicator_id, as_of_year)
            ORDER BY ALL""", filters).fetchall()
        assert sorted(whole[["indicator_id", "类型", "原因", "紧迫度"]].itertuples(index=False, name=None)) == expected
        pages = [db.run_query(reader, "warnings_list", limit=25, offset=start, **params)
                 for start in range(0, len(whole), 25)]
        assert [row for page in pages for row in _cells(page)] == _cells(whole)


@pytest.mark.parametrize("words", ["", "  死亡率 ", "妇女 WOMEN", "synth-"])
def test_indicator_search_finds_the_indicators_holding_every_word(wide_db, words):
    with db.open_reader(wide_db) as reader:
        catalogue = reader.cursor().execute(
            "SELECT indicator_id, region, plan_group, name, plan_title, region_code FROM v_indicator").fetchall()
        found = db.run_query(reader, "indicator_search", words=words, group=None, region=None, domain=None, n=30)
    wanted = words.lower().split()
    matches = sorted((code, group, i, f"{region} · {group} · {name}") for i, region, group, name, title, code in catalogue
                     if all(w in " ".join([region, group, name, title or "", i]).lower() for w in wanted))
    assert len(matches) > 0
    assert list(found.itertuples(index=False, name=None)) == [(i, label) for _, _, i, label in matches[:30]]


def test_parent_comparison_is_v_parent_comparison_for_the_indicator(wide_db):
    with db.open_reader(wide_db) as reader:
        cur = reader.cursor()
        pairs = cur.execute("""
            (SELECT indicator_id, as_of_year FROM v_parent_comparison ORDER BY hash(indicator_id, as_of_year) LIMIT 8)
            UNION ALL (SELECT indicator_id, 2024 FROM v_indicator WHERE canonical_id IS NULL LIMIT 1)
            UNION ALL (SELECT indicator_id, 2024 FROM v_indicator WHERE indicator_id NOT IN
                       (SELECT indicator_id FROM v_parent_comparison) AND canonical_id IS NOT NULL LIMIT 1)""").fetchall()
        assert len(pairs) == 10
        for indicator, year in pairs:
            got = db.run_query(reader, "parent_comparison", id=indicator, year=year)
            expected = cur.execute("SELECT parent_indicator_id, parent_region, parent_region_code, parent_status, "
                                   "parent_latest_year FROM v_parent_comparison WHERE indicator_id = ? AND as_of_year = ?",
                                   [indicator, year]).fetchall()
            assert [tuple(r[:3]) for r in expected] == list(got[["parent_indicator_id", "parent_region",
                                                                  "parent_region_code"]].itertuples(index=False, name=None))
            assert all(f",{status}" in line for (*_, status, _), line in zip(expected, got["line"]))


def test_the_unlisted_plans_notice_counts_the_whole_list_not_the_page(wide_db):
    with db.open_reader(wide_db) as reader:
        params = _filters(reader, {}, unit=False)
        whole = db.run_query(reader, "units_unlisted", page_limit=None, page_offset=0, **params)
        n_none = int((whole["说明"] == "规划未列明责任单位").sum())
        assert n_none > 3  # the fixture must need more than a page of three
        page = db.run_query(reader, "units_unlisted", page_limit=3, page_offset=0, **params)
    assert (page["n_none"] == n_none).all() and (whole["n_none"] == n_none).all()
    at = open_page("units", year=params["year"])  # the notice names five and counts them all
    assert n_none > 5 and any(f"其中 {n_none:,} 个规划完全未列明责任单位(" in w.value.replace("\\", "")
                                  for w in at.warning)  # (Markdown's escapes removed)


def test_the_reports_warnings_are_the_years_warnings_most_urgent_first(wide_db):
    with db.open_reader(wide_db) as reader:
        year = int(reader.cursor().execute("SELECT max(as_of_year) FROM _status").fetchone()[0]) - 1
        listed = db.run_query(reader, "report_warnings", year=year, region=None, levels=[], most=None)
        expected = reader.cursor().execute(
            "SELECT indicator_id, level, kind, reason, urgency FROM v_warning WHERE as_of_year = ? "
            "ORDER BY urgency DESC, indicator_id", [year]).fetchall()
    assert sorted(map(tuple, listed[["indicator_id", "级别", "类型", "原因", "urgency"]].values.tolist())) == sorted(expected)
    urgency = listed["urgency"].tolist()
    assert urgency == sorted(urgency, reverse=True) and len(listed) > 100
    kinds = ["逆向变化", "到期未达标", "预计未达标", "波动较大", "未填报"]
    for _, same in listed.groupby(["urgency", "indicator_id"], sort=False):
        assert [kinds.index(k) for k in same["类型"]] == sorted(kinds.index(k) for k in same["类型"])


def test_a_link_opens_its_page_of_a_list(wide_db):
    """?warning_page=N (the list's key) opens page N, and the page buttons keep the page shown in the URL; a number
    the list does not have opens page 1, without an error; another list (other parameters) starts at page 1."""
    size = 25   # pages/warnings.py ROWS
    at = open_page("warnings", year="2024", warning_page="3")
    assert f"第 {2 * size + 1}–{3 * size} 条" in texts(at)
    assert at.query_params["warning_page"] in ("3", ["3"])
    for bad in ("0", "-3", "abc", "99999999999999", "2.5", "", "3; DROP TABLE x"):
        at = open_page("warnings", year="2024", warning_page=bad)
        assert f"第 1–{size} 条" in texts(at), bad
    # 领域: another domain is another list, which starts at page 1 (and the URL says so)
    rows = 50   # pages/domains.py ROWS
    at = open_page("domains", year="2024", domain_page="2")
    assert f"第 {rows + 1}–{2 * rows} 条" in texts(at)
    pick = at.segmented_control(key="domain_pick_None")   # pages/domains.py PICK, no domain filter
    other = next(label.split("(")[0] for label in pick.options if not label.startswith(pick.value))  # 教育(1,2…)
    pick.set_value(other).run()
    assert not at.exception and f"第 1–{rows} 条" in texts(at)


def test_data_entry_template_chooser_offers_no_long_lists(wide_db, monkeypatch):
    """数据填报's template: its plans and units are those of the sidebar's region, at most ui.MAX_UNIT_OPTIONS each;
    for the whole country (more plans than that) the button asks for a region first; for one county it is offered."""
    from planwatch import accounts
    monkeypatch.setenv("PLANWATCH_EDITORS", f"妇儿工委办:{accounts.hash_password('review-2024')}")
    monkeypatch.setattr(ui, "MAX_UNIT_OPTIONS", 20)  # 40 regions: 89 plans, more than 20
    county, n_plans = one(wide_db, "SELECT region_code, count(*) FROM plan WHERE plan_id LIKE 'synth-%' "
                                   "GROUP BY ALL ORDER BY 1 LIMIT 1")
    for region in (None, county):
        at = open_page("data_entry", **({"region": county} if region else {}))
        at.text_input[0].input("妇儿工委办")
        at.text_input[1].input("review-2024")
        at.button[0].click().run()
        assert not at.exception and main_options(at) <= 21
        [button] = at.get("download_button")
        plans = next(s for s in at.selectbox if s.label == "规划")
        if region is None:   # the whole country
            assert button.proto.disabled and "请先在侧栏选择地区(共 89 个规划" in button.proto.label
            assert plans.options == ["全部"]
        else:
            assert len(plans.options) == n_plans + 1   # 全部 and the county's plans
            assert not button.proto.disabled and button.proto.deferred_file_id


def test_explorer_typed_region_says_when_it_is_unknown_or_shared(wide_db):
    """Above 100 regions with plans 数据探索's 地区 is typed: a name or a code, covering the regions below it; a name
    shared by several regions (普陀区 of 上海 and of 舟山) is said to cover them all, an unknown one is named."""
    n_regions = one(wide_db, "SELECT count(*) FROM v_region WHERE n_plans_within > 0")[0]
    assert n_regions > 100   # the typed input, not a selectbox
    shared = open_page("explorer", saved="从未填报的指标", p_region="普陀区")
    assert not shared.exception and "“普陀区”对应 2 个地区(上海市 / 普陀区、浙江省 / 舟山市 / 普陀区)" in texts(shared)
    unknown = open_page("explorer", saved="从未填报的指标", p_region="没有这个地区")
    assert "没有名称或代码为“没有这个地区”的地区。" in texts(unknown)
    assert "对应" not in texts(open_page("explorer", saved="从未填报的指标", p_region="310107"))
