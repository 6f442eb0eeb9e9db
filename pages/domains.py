"""领域: per domain, the status mix and the spread of progress; pick a domain (or click its bar) to list its indicators."""
import streamlit as st

from planwatch import charts, paging, svg, ui

SPREAD = 200  # indicators drawn per domain in the progress spread (more are sampled; the median counts them all)
ROWS = 50  # indicators a page: a long HTML table with its reasons costs the browser seconds to lay out

f = ui.page_filters()
# The page compares domains, so the sidebar's domain filter only chooses which domain is opened below.
scope = {**f.params(), "domain": None}
mix = ui.query("status_mix", **scope, cut="domain")  # not the plans' and regions' (at national scale 45,000 rows)
st.title(f"各领域进展 · 截至{f.year}年")
notice = st.container()  # 示例数据, said once the opened domain's rows are known
if mix.empty:
    st.info("没有符合筛选条件的指标。")
    st.stop()
counts = mix.groupby("category", sort=False)["n"].sum()
domains = counts.index.tolist()
st.caption("图表按侧栏的规划类别、地区、责任单位筛选比较全部领域;侧栏的“领域”筛选只决定下方默认打开的领域。")

PICK = f"domain_pick_{f.domain}"  # a new default when the sidebar domain changes
wide = mix.pivot_table(index="category", columns="status", values="n", aggfunc="sum", sort=False, fill_value=0)
bars = wide.reindex(columns=charts.STATUS_ORDER, fill_value=0).reindex(domains).reset_index()
assessed = bars[["已达标", "进展顺利", "进度滞后", "逆向变化"]].sum(axis=1)
bars["label"] = [f"{d} {ui.rate(m / n if n else None)}({m}/{n})" for d, m, n in zip(domains, bars["已达标"], assessed)]
bars["href"] = [ui.page_url("domains", f, domain=d) for d in domains]  # opens the domain's indicators below
st.html(svg.stacked_bars(bars, charts.STATUS_ORDER, charts.STATUS_COLORS, "各领域指标状态(点击某一领域查看其指标)"))
st.html(charts.status_legend_html())
# the spread is drawn when asked: a Vega chart on the first screen costs a new visitor about a quarter of a blank page
if st.toggle("显示各领域进度比分布", key="domain_spread", help="每项指标的进度比(从基线到目标已走过的比例)和各领域中位数"):
    spread = ui.query("domain_spread", year=f.year, group=f.group, region=f.region, unit=f.unit, per_domain=SPREAD)
    st.vega_lite_chart(ui.chart_spec(charts.progress_spread, spread, domains, size=16), width="stretch")
    n_plotted = int(spread.drop_duplicates("领域")["n_plotted"].sum())
    st.caption(f"进度比只对有数据、可计算进度的定量指标给出(共 {n_plotted:,} 项"
               + (f";每个领域至多画 {SPREAD} 项,按指标编号固定抽取,中位数按全部指标计算" if n_plotted > len(spread) else "")
               + ");无数据和定性指标见状态构成图。")

if st.session_state.get(PICK) not in domains:  # first visit, or the filters left the open domain empty
    st.session_state[PICK] = f.domain if f.domain in domains else domains[0]
domain = st.segmented_control("查看领域的指标", domains, required=True, key=PICK,
                              format_func=lambda d: f"{d}({counts[d]:,})")
indicators = paging.fetch("domain_indicators", "domain_page", ROWS, total=int(counts[domain]),
                          **{**scope, "domain": domain})
with notice:
    ui.demo_notice(indicators.frame)
tally = mix[mix.category == domain].set_index("status")["n"].reindex(charts.STATUS_ORDER, fill_value=0)
assessed = int(tally[["已达标", "进展顺利", "进度滞后", "逆向变化"]].sum())
rate = ui.rate(tally["已达标"] / assessed if assessed else None)
basic = ui.rate((tally["已达标"] + mix[mix.category == domain]["n_basic"].sum()) / assessed if assessed else None)
st.subheader(f"{domain}领域:{indicators.total:,} 项指标")
st.caption(f"达标率 {rate}(已达标 {tally['已达标']} / 已评估 {assessed}),基本实现率 {basic}(已实现 + 基本实现);"
           f"无数据 {tally['无数据']} 项,定性 {tally['定性']} 项不计入分母。按状态排序,逆向变化在前。")
ui.static_table(ui.as_links(ui.with_detail_links(indicators.frame, f))[
    ["地区", "规划", "指标", "状态", "最新值", "目标", ui.DETAIL, "原因"]])
paging.control(indicators)
ui.download_menu(paging.every_row("domain_indicators", {"indicator_id": "指标编号", "latest_source_kind": "数据来源"},
                                  **{**scope, "domain": domain}), f"{domain}领域指标_截至{f.year}年", f"{domain}领域指标",
                 f"下载{domain}领域全部 {indicators.total:,} 项指标")
