"""指标详情: one indicator from its 2020 baseline to its target — chart, status and reason, units, the plan's words."""
import streamlit as st

from planwatch import charts, explain, round_ui, ui

f = ui.page_filters()
choices = ui.query("indicator_choices")
labels = dict(zip(choices["indicator_id"], choices["label"]))
wanted = st.query_params.get("id")
if wanted is not None and wanted not in labels:
    st.warning(f"网址参数 id={wanted} 不是已知的指标编号,已显示第一个指标。")
    wanted = None
indicator_id = st.selectbox("指标", list(labels), index=list(labels).index(wanted) if wanted else 0,
                            format_func=labels.get, key=f"indicator_pick_{wanted}")
st.query_params["id"] = indicator_id

ind = ui.query("indicator_detail", id=indicator_id, year=f.year).iloc[0].to_dict()
series = ui.query("indicator_series", id=indicator_id, year=f.year)
refs = ui.query("indicator_reference", id=indicator_id)
thresholds = ui.query("method_thresholds").set_index("key")["value"]

st.title(ind["name"])
st.caption(f"{ind['region']} · {ind['plan_title']} · {ind['domain']}领域(规划原标题:{ind['domain_raw']})"
           f" · 指标编号 {indicator_id}")
if (series["source_kind"] == "示例").any():
    ui.demo_notice()

color = charts.STATUS_COLORS.get(ind["status"], "#999999")
st.markdown(f"### <span style='color:{color}'>●</span> 截至{f.year}年:{ind['status']} · {ind['assessment']}",
            unsafe_allow_html=True)
st.markdown(f"**原因**:{ind['reason']}")
st.caption(f"**判定依据**(可按“方法说明”逐项复算):{explain.line(ind, thresholds)}")

cols = st.columns(4)
baseline = "—" if ind["baseline_value"] is None or ind["baseline_value"] != ind["baseline_value"] \
    else f"{ind['baseline_value']:g}{ind['unit'] or ''}({ind['baseline_year']:.0f}年)"
cols[0].metric("基线", baseline)
cols[1].metric(f"目标({ind['target_year']}年)", ind["target_label"])
latest = "—" if ind["latest_year"] != ind["latest_year"] or ind["latest_year"] is None \
    else f"{ind['latest_value']:g}{ind['unit'] or ''}({ind['latest_year']:.0f}年)"
cols[2].metric("最新值", latest)
progress = ind["progress"]
cols[3].metric("目标进程 / 时间进度",
               "—" if progress is None or progress != progress
               else f"{progress:.0%} / {ind['expected_progress']:.0%}")

st.altair_chart(charts.themed(charts.indicator_chart(ind, series, refs, float(thresholds["approx_tolerance"]))),
                width="stretch")
st.caption("实线与圆点:监测值;灰色虚线:从起点匀速达到目标的路径;点线与三角:按最小二乘直线趋势外推到目标年;"
           "绿色横线/色带:目标;菱形:上级地区公开发布值(仅作参照,不是本地数值)。")

warnings = ui.query("indicator_warnings", id=indicator_id, year=f.year)
if len(warnings):
    st.subheader("预警")
    st.dataframe(warnings, hide_index=True, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("规划原文")
    st.markdown(f"> {ind['quote']}")
    st.caption(f"来源:{ind['source_file']} 第{ind['source_line']}行"
               + (f";基线见第{ind['baseline_line']:.0f}行“{ind['baseline_quote']}”"
                  if ind["baseline_quote"] else "")
               + (f";发文:{ind['issuing_document']}" if ind["issuing_document"] else ""))
    if ind["note"]:
        st.caption(f"整理说明:{ind['note']}")
    st.subheader("责任单位")
    st.write(ind["responsible_units"] or "规划未列明责任单位")
with right:
    st.subheader("监测值")
    st.dataframe(series.rename(columns={"year": "年份", "value": "数值", "value_text": "文字报告",
                                        "source_kind": "来源", "batch_id": "批次", "note": "备注"}),
                 hide_index=True, width="stretch")
    if len(refs):
        st.subheader("上级地区公开数据(参照)")
        st.dataframe(refs.rename(columns={"reference_region": "上级地区", "published_indicator": "公开指标",
                                          "year": "年份", "value": "数值", "unit": "单位", "url": "来源网址",
                                          "snippet": "原文", "definition_match": "口径匹配"}),
                     hide_index=True, width="stretch",
                     column_config={"来源网址": st.column_config.LinkColumn("来源网址")})

round_ui.revisions(indicator_id)
