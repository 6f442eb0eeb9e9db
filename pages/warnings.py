"""预警清单: every warning for the as-of year under the sidebar filters, red first — filter, open, download."""
import streamlit as st

from planwatch import charts, paging, svg, ui

LEVEL_HELP = {
    "红": "逆向变化、按趋势预计未达标且进度严重滞后、或目标年已到仍未达标,且仍有差距",
    "黄": "按趋势预计未达标(进度尚未严重滞后);逆向变化、预计或到期未达标,但基本实现(差距在容差内);"
          "或最近两次变化方向相反且幅度较大",
    "灰": "截至年份当年未填报监测数据",
}
KINDS = ("逆向变化", "到期未达标", "预计未达标", "波动较大", "未填报")
ROWS = 25  # a page of the list: each row's reason is a sentence, and the browser lays out every row before it shows
# the page (50 rows: about 0.2 of a blank page's main-thread CPU more, measured at load 10; 200: as long as the rest)
LIST, GRID = "列表", "表格(可按列排序)"
COLUMNS = ["级别", ui.DETAIL, "地区", "指标", "原因", "类型", "规划", "责任单位", "状态", "领域", "数据来源"]

f = ui.page_filters()
counts = ui.query("warning_counts", **f.params())
st.title(f"预警清单 · 截至{f.year}年")
notice = st.container()  # 示例数据, said above the numbers once the rows are known

by_level = counts.groupby("level")["n"].sum()
by_kind = counts.groupby("kind")["n"].sum()
total = int(counts["n"].sum())
ui.metrics([("预警总数", f"{total:,}", "侧栏筛选范围内的全部预警;一项指标可有多条预警"),
            *((f"{level}色预警", f"{int(by_level.get(level, 0)):,}", LEVEL_HELP[level]) for level in LEVEL_HELP)])
if not total:
    st.success(f"截至{f.year}年,所选范围内没有预警。")
    st.stop()

# Pills, not multiselects: a multiselect made every new visitor fetch its JavaScript before the list could show.
# Plain option labels: a bound widget keeps its labels in the URL (?level=红&kind=逆向变化); none chosen = all.
left, right = st.columns([1, 2])
levels = left.pills("级别", list(LEVEL_HELP), selection_mode="multi", key="level", bind="query-params",
                    help="不选即全部级别;可多选")
kinds = right.pills("类型", list(KINDS), selection_mode="multi", key="kind", bind="query-params",
                    help="不选即全部类型;可多选。各类型条数:" + ",".join(f"{k} {int(by_kind.get(k, 0))}" for k in KINDS))
chosen = {**f.params(), "levels": list(levels), "kinds": list(kinds)}
picked = counts[(counts["level"].isin(levels) | (not levels)) & (counts["kind"].isin(kinds) | (not kinds))]["n"].sum()
rows = paging.fetch("warnings_list", "warning_page", size=ROWS, total=int(picked), **chosen)  # a page, not all
shown = ui.with_detail_links(rows.frame, f)
with notice:
    ui.demo_notice(shown, "数据来源")

st.subheader(f"显示 {rows.total:,} 条(共 {total:,} 条)")
if shown.empty:
    st.info("所选级别和类型下没有预警,请调整上方筛选。")
    st.stop()

# The list as an HTML table first (no data grid to fetch: it cost a new visitor about 40% of a blank page's
# load); the grid, for sorting by a column and opening a row with a click, only when asked. The choice is a
# segmented control: the same code as the pills above, where a toggle was one more kind of widget to fetch.
if st.segmented_control("视图", [LIST, GRID], default=LIST, key="warning_view", label_visibility="collapsed") == GRID:
    event = st.dataframe(  # the level as a coloured chip (column_config, not a pandas Styler: no per-cell CSS)
        ui.as_chips(ui.shown(shown), "级别"),
        hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 600), key="warning_table",
        on_select="rerun", selection_mode="single-row", column_order=COLUMNS,
        column_config={ui.DETAIL: ui.detail_column(),
                       "级别": ui.chip_column(charts.LEVEL_COLORS, width=60),
                       "原因": st.column_config.TextColumn(width="large"),
                       "责任单位": st.column_config.TextColumn(help="规划原文所列的责任单位;“规划未列明”表示规划没有写")})
    st.caption("按紧迫度排列,最紧急的在前;选中一行(行首方框)即打开该指标的详情页。")
    if event.selection.rows:
        st.switch_page("pages/indicator.py",
                       query_params={"id": shown.loc[event.selection.rows[0], "indicator_id"], **f.url()})
else:
    table = ui.as_links(ui.shown(shown)[COLUMNS]).assign(
        级别=lambda t: [svg.chip(level, charts.LEVEL_COLORS[level]) for level in t["级别"]])
    ui.static_table(table, wide=True)
    st.caption(f"按紧迫度排列,最紧急的在前;点“查看 →”打开该指标的详情页;“{GRID}”可按列排序。")
paging.control(rows)

ui.download_menu(paging.every_row("warnings_list", rename={"indicator_id": "指标编号"}, **chosen),
                 f"预警清单_截至{f.year}年", "预警清单", f"下载全部 {rows.total:,} 条")
