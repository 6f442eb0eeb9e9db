"""总览: how the plans stand as of the chosen year — 达标率 with its denominator, status mix, newest warnings."""
import streamlit as st

from planwatch import charts, ui

f = ui.page_filters()
head = ui.query("headline", **f.params()).astype("float").iloc[0].fillna(0)
st.title(f"规划实施监测总览 · 截至{f.year}年")
if head.n_demo:
    ui.demo_notice()

rate = "—" if head.n_assessed == 0 else f"{head.attainment_rate:.0%}"
cols = st.columns(6)
cols[0].metric("达标率", rate, help="已达标指标 ÷ 已评估指标(有数据的定量指标)")
cols[5].metric("基本实现率", "—" if head.n_assessed == 0 else f"{head.basic_rate:.0%}",
               help="(已实现 + 基本实现)÷ 已评估;基本实现:未达标,但在目标的容差内或按趋势可如期达到")
cols[1].metric("已达标", f"{head.n_met:.0f} / {head.n_assessed:.0f}", help="分母为已评估指标数")
cols[2].metric("进展顺利", int(head.n_on_track))
cols[3].metric("进度滞后", int(head.n_lagging))
cols[4].metric("逆向变化", int(head.n_reversed))
st.caption(f"共 {head.n_indicators:.0f} 项指标:已评估 {head.n_assessed:.0f} 项,无数据 {head.n_no_data:.0f} 项,"
           f"定性目标 {head.n_qualitative:.0f} 项(不计入达标率分母)。")

mix = ui.query("status_mix", **f.params())
for cut, title in (("plan", "各规划指标状态"), ("region", "各地区指标状态")):
    st.altair_chart(charts.themed(charts.status_bars(mix[mix.cut == cut], "category", title)), width="stretch")

warnings = ui.query("warnings_list", **f.params())
st.subheader(f"最新预警(共 {len(warnings)} 条,红色 {int((warnings['级别'] == '红').sum())} 条)")
for w in warnings.head(8).itertuples():
    marker = {"红": ":red[●]", "黄": ":orange[●]"}.get(w.级别, ":gray[●]")
    st.page_link("pages/indicator.py", label=f"{marker} **{w.地区} · {w.指标}**({w.类型}):{w.原因}",
                 query_params={"id": w.indicator_id, **f.url()})
st.page_link("pages/warnings.py", label="查看全部预警 →", query_params=f.url())

changes = ui.query("status_changes", **f.params())
st.subheader(f"与{f.year - 1}年相比:{len(changes)} 项指标状态变化")
st.dataframe(changes.drop(columns=["变化"]).assign(详情=lambda d: d["indicator_id"].map(ui.indicator_link)),
             hide_index=True, width="stretch",
             column_order=["地区", "规划", "指标", "上一年状态", "本年状态", "原因", "详情"],
             column_config={"详情": st.column_config.LinkColumn("详情", display_text="查看 →")})
