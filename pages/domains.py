"""领域: per domain, the status mix and the spread of progress; pick a domain (or click its bar) to list its indicators."""
import altair as alt
import pandas as pd
import streamlit as st

from planwatch import charts, ui


# Charts are built once per data and filters (Altair's validation is most of a rerun's time); the page draws the
# cached Vega-Lite specs.
@st.cache_data(show_spinner=False, max_entries=64)
def mix_spec(mix: pd.DataFrame) -> dict:
    """Status mix per domain; clicking a bar selects its domain (selection "pick")."""
    bars = charts.status_bars(mix, "category", "各领域指标状态(点击某一领域查看其指标)", height_per_bar=40)
    return charts.themed(bars.add_params(alt.selection_point(name="pick", fields=["category"])), size=16).to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def spread_spec(shown: pd.DataFrame, domains: list[str]) -> dict:
    """Strip plot of 进度比 per domain (jittered within the domain's row), with the median and reference lines."""
    row = 56  # pixels per domain; the points of a domain spread over the middle of its row
    y = alt.Y("领域:N", sort=domains, title=None, scale=alt.Scale(type="band", paddingInner=0, paddingOuter=0))
    points = alt.Chart(shown).mark_point(size=90, filled=True, opacity=0.75, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("进度比_图:Q", title="进度比(已完成的目标进程 ÷ 时间进度;1 = 与时间进度持平)",
                scale=alt.Scale(domain=[-1, 2], nice=False), axis=alt.Axis(values=[-1, -0.5, 0, 0.5, 1, 1.5, 2])),
        y=y,
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[row * 0.2, row * 0.8])),
        color=alt.Color("状态:N", scale=charts.status_scale(), title="状态"),
        shape=alt.Shape("超出图幅:N", scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]),
                        legend=None),
        tooltip=["地区", "规划", "指标", "状态", "最新值", "目标", alt.Tooltip("进度比:Q", format=".2f")],
    )
    median = alt.Chart(shown).mark_tick(color="black", thickness=3, size=30).encode(
        x=alt.X("median(进度比_图):Q"), y=y,
        tooltip=[alt.Tooltip("median(进度比):Q", title="中位数", format=".2f")])
    marks = alt.Chart({"values": [{"x": 0, "label": "基线水平"}, {"x": 1, "label": "与时间进度持平"}]})
    rules = marks.mark_rule(strokeDash=[6, 4], color="#555").encode(x="x:Q")
    labels = marks.mark_text(align="center", baseline="bottom", fontSize=15, color="#333").encode(
        x="x:Q", y=alt.value(-4), text="label:N")
    spread = alt.layer(rules, points, median, labels,
                       title="各领域指标进度分布(黑色短线为中位数,菱形为超出图幅的值)")
    return charts.themed(spread.properties(height=row * len(domains)), size=16).to_dict()


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
st.vega_lite_chart(mix_spec(mix), width="stretch", key="domain_mix", on_select=_open_clicked_domain,
                   selection_mode="pick")
shown = frame[frame["进度比_图"].notna()]
st.vega_lite_chart(spread_spec(shown, domains), width="stretch")
st.caption(f"进度比只对有数据、可计算进度的定量指标给出(共 {len(shown)} 项);无数据和定性指标见状态构成图。")

counts = frame["领域"].value_counts()
if st.session_state.get(PICK) not in domains:  # first visit, or the filters left the open domain empty
    st.session_state[PICK] = f.domain if f.domain in domains else domains[0]
domain = st.segmented_control("查看领域的指标", domains, required=True, key=PICK,
                              format_func=lambda d: f"{d}({counts[d]})")
indicators = frame[frame["领域"] == domain]
tally = mix[mix.category == domain].set_index("status")["n"].reindex(charts.STATUS_ORDER, fill_value=0)
assessed = int(tally[["已达标", "进展顺利", "进度滞后", "逆向变化"]].sum())
rate = "—" if assessed == 0 else f"{tally['已达标'] / assessed:.0%}"
basic = "—" if assessed == 0 else f"{(tally['已达标'] + mix[mix.category == domain]['n_basic'].sum()) / assessed:.0%}"
st.subheader(f"{domain}领域:{len(indicators)} 项指标")
st.caption(f"达标率 {rate}(已达标 {tally['已达标']} / 已评估 {assessed}),基本实现率 {basic}(已实现 + 基本实现);无数据 {tally['无数据']} 项,"
           f"定性 {tally['定性']} 项不计入分母。按状态排序,逆向变化在前。")
st.dataframe(indicators.assign(详情=indicators["indicator_id"].map(ui.indicator_link)), hide_index=True,
             width="stretch", height=min(38 + 35 * len(indicators), 560), key="domain_table",
             column_order=["地区", "规划", "指标", "状态", "最新值", "目标", "原因", "详情"],
             column_config={"详情": st.column_config.LinkColumn("详情", display_text="查看 →"),
                            "目标": st.column_config.TextColumn(width="medium"),
                            "原因": st.column_config.TextColumn(width="large")})
