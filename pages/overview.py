"""总览: at 1280×720 without scrolling — 达标率 with its denominator, the most urgent red warnings, and the plans and
regions sorted by what lags (the lowest 达标率 on top; a click on a bar opens 预警清单 for it); below, what changed since last year."""
import streamlit as st

from planwatch import charts, paging, ui

URGENT = 3  # red warnings listed above the fold, with the link to all of them
BARS = 6  # plans and regions with their own bar, the most lagging; the rest share one ("其余 2,842 个地区"): with
# the label beside each bar, both charts fit the first screen at 1280×720

f = ui.page_filters()
head = ui.query("headline", **f.params()).astype("float").iloc[0].fillna(0)
counts = ui.query("warning_counts", **f.params())
n_red, n_warnings = int(counts.loc[counts["level"] == "红", "n"].sum()), int(counts["n"].sum())
# the most urgent red ones (or any, when none is red): a page of URGENT rows from the database
first = ui.query("warnings_list", **f.params(), levels=["红"] if n_red else [], kinds=[], limit=URGENT)
st.title(f"总览 · 截至{f.year}年")
if head.n_demo:
    ui.demo_notice()

sep = " / " if head.n_assessed < 1e4 else "/"
ui.metrics([
    ("达标率", ui.rate(head.attainment_rate) if head.n_assessed else ui.MISSING,
     "已达标指标 ÷ 已评估指标(有数据的定量指标)"),
    ("基本实现率", ui.rate(head.basic_rate) if head.n_assessed else ui.MISSING,
     f"(已实现 {head.n_met:,.0f} + 基本实现 {head.n_basic:,.0f})÷ 已评估 {head.n_assessed:,.0f};"
     "基本实现:未达标,但在目标的容差内或按趋势可如期达到"),
    ("已达标 / 已评估", ui.count(head.n_met) + sep + ui.count(head.n_assessed),
     f"已达标 {head.n_met:,.0f} 项,已评估 {head.n_assessed:,.0f} 项;共 {head.n_indicators:,.0f} 项指标:"
     f"无数据 {head.n_no_data:,.0f} 项、定性 {head.n_qualitative:,.0f} 项不计入分母"),
    ("进度滞后", ui.count(head.n_lagging), f"{head.n_lagging:,.0f} 项指标"),
    ("逆向变化", ui.count(head.n_reversed), f"{head.n_reversed:,.0f} 项指标"),
    ("红色预警", ui.count(n_red), f"{n_red:,} 条:逆向变化、按趋势预计未达标且进度严重滞后、或到期未达标,且仍有差距")],
           widths=[1, 1, 1.5, 1, 1, 1])

left, right = st.columns([1, 1.35], gap="medium")
with left:
    st.subheader("最紧急的红色预警" if n_red else "预警")
    for w in first.itertuples():
        st.page_link("pages/indicator.py", label=f"{ui.LEVEL_MARKERS[w.级别]} **{ui.plain(w.地区)} · {ui.plain(w.指标)}**",
                     query_params={"id": w.indicator_id, **f.url()})
        st.caption(ui.plain(w.原因))
    if not n_warnings:
        st.success(f"截至{f.year}年,所选范围内没有预警。")
    st.page_link("pages/warnings.py", label=f"查看全部 {n_warnings:,} 条预警 →", query_params=f.url())
with right:
    bars = ui.query("attainment_bars", **f.params(), top=BARS)
    # drawn on the server as HTML (no chart library to fetch: Vega cost a new visitor about a quarter of a blank
    # page's load), legend and both charts in one element (no gaps between them); each bar links to 预警清单 for
    # its region (and plan group), keeping the other filters
    st.html(charts.status_legend_html() + "".join(
        charts.attainment_bars_html(bars[bars.cut == cut], title, lambda region, group: ui.page_url(
            "warnings", f, region=region, group=group or f.group), compact=True)
        for cut, title in (("plan", "各规划达标率(点击看预警)"), ("region", "各地区达标率(点击看预警)"))))

changed = ui.query("status_change_counts", **f.params()).iloc[0]
st.subheader(f"与{f.year - 1}年相比:{changed.n_changed:,} 项指标状态变化")
st.caption(f"好转 {changed.n_better:,} 项,变差或转为无数据 {changed.n_changed - changed.n_better:,} 项。")
# the table is drawn when asked: a data grid on the first screen would cost a new visitor about a third more time
if st.toggle("显示状态变化明细", key="show_changes"):
    changes = paging.fetch("status_changes", "changes_page", **f.params())
    st.dataframe(ui.with_detail_links(changes.frame, f), hide_index=True, width="stretch",
                 column_order=["地区", "规划", "指标", "上一年状态", "本年状态", "原因", ui.DETAIL],
                 column_config={ui.DETAIL: ui.detail_column()})
    paging.control(changes)
    ui.download_menu(paging.every_row("status_changes", {"indicator_id": "指标编号"}, ("change_rank",), **f.params()),
                     f"状态变化_截至{f.year}年", "状态变化", f"下载全部 {changes.total:,} 项状态变化")
