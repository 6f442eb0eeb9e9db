"""领域: per domain, the status mix and the spread of progress; pick a domain (or click its bar) to list its indicators."""
import streamlit as st

from planwatch import charts, ui

f = ui.page_filters()
# The page compares domains, so the sidebar's domain filter only chooses which domain is opened below.
scope = {**f.params(), "domain": None}
frame = ui.query("domain_indicators", year=f.year, group=f.group, region=f.region, unit=f.unit)
st.title(f"各领域进展 · 截至{f.year}年")
ui.demo_notice(frame)
if frame.empty:
    st.info("没有符合筛选条件的指标。")
    st.stop()
domains = frame["领域"].drop_duplicates().tolist()
st.caption("图表按侧栏的规划类别、地区、责任单位筛选比较全部领域;侧栏的“领域”筛选只决定下方默认打开的领域。")

PICK = f"domain_pick_{f.domain}"  # a new default when the sidebar domain changes


def _open_clicked_domain() -> None:
    picked = st.session_state["domain_mix"]["selection"]["pick"]
    if picked:
        st.session_state[PICK] = picked[0]["category"]


mix = ui.query("status_mix", **scope)
mix = mix[mix.cut == "domain"]
st.vega_lite_chart(ui.chart_spec(charts.domain_mix, mix, size=16), width="stretch", key="domain_mix", on_select=_open_clicked_domain,
                   selection_mode="pick")
shown = frame[frame["ratio_plotted"].notna()]
st.vega_lite_chart(ui.chart_spec(charts.progress_spread, shown, domains, size=16), width="stretch")
st.caption(f"进度比只对有数据、可计算进度的定量指标给出(共 {len(shown)} 项);无数据和定性指标见状态构成图。")

counts = frame["领域"].value_counts()
if st.session_state.get(PICK) not in domains:  # first visit, or the filters left the open domain empty
    st.session_state[PICK] = f.domain if f.domain in domains else domains[0]
domain = st.segmented_control("查看领域的指标", domains, required=True, key=PICK,
                              format_func=lambda d: f"{d}({counts[d]})")
indicators = frame[frame["领域"] == domain]
tally = mix[mix.category == domain].set_index("status")["n"].reindex(charts.STATUS_ORDER, fill_value=0)
assessed = int(tally[["已达标", "进展顺利", "进度滞后", "逆向变化"]].sum())
rate = ui.rate(tally["已达标"] / assessed if assessed else None)
basic = ui.rate((tally["已达标"] + mix[mix.category == domain]["n_basic"].sum()) / assessed if assessed else None)
st.subheader(f"{domain}领域:{len(indicators)} 项指标")
st.caption(f"达标率 {rate}(已达标 {tally['已达标']} / 已评估 {assessed}),基本实现率 {basic}(已实现 + 基本实现);"
           f"无数据 {tally['无数据']} 项,定性 {tally['定性']} 项不计入分母。按状态排序,逆向变化在前。")
st.dataframe(ui.with_detail_links(indicators, f), hide_index=True,
             width="stretch", height=min(38 + 35 * len(indicators), 560), key="domain_table",
             column_order=["地区", "规划", "指标", "状态", "最新值", "目标", ui.DETAIL, "原因"],
             column_config={ui.DETAIL: ui.detail_column(),
                            "目标": st.column_config.TextColumn(width="medium"),
                            "原因": st.column_config.TextColumn(width="large")})
