"""指标详情: one indicator's story — status and why, baseline → latest → target, the chart (or the yearly text reports
of a qualitative target), warnings, the plan's own sentence with its plan and line, the units."""
import html

import streamlit as st

from planwatch import charts, explain, round_ui, ui

MATCHES = 50  # search results offered at once: at national scale there are hundreds of thousands of indicators

f = ui.page_filters()
wanted = st.query_params.get("id")
detail = ui.query("indicator_detail", id=wanted or "", year=f.year)
if wanted is not None and detail.empty:
    st.warning(ui.plain(f"网址参数 id={ui.shorten(wanted)} 不是已知的指标编号,已显示第一个指标。"))
    wanted = None
# The search and the choice in a popover, which the browser mounts only when opened: a selectbox on the first screen
# made every new visitor fetch its JavaScript before the indicator's story could show.
choose = st.popover("查找其他指标", icon=":material/search:")
words = choose.text_input("查找指标", key="find", placeholder="名称、地区或规划,如:孕产妇死亡率 咸阳",
                          help="在侧栏所选类别、地区和领域内,按指标名称、地区、规划标题或指标编号查找;多个词用空格分开")
found = ui.query("indicator_search", words=words or "", group=f.group, region=f.region, domain=f.domain,
                 n=MATCHES + 1)
labels = dict(zip(found["indicator_id"][:MATCHES], found["label"][:MATCHES]))
if wanted is not None:  # the linked indicator stays on offer, first
    row = detail.iloc[0]
    labels = {wanted: f"{row['region']} · {row['plan_group']} · {row['name']}", **labels}
if not labels:
    st.info(ui.plain(f"没有名称、地区或规划含“{ui.shorten(words)}”的指标,请换个词或放宽侧栏筛选。"))
    st.stop()
shown = f"显示前 {MATCHES} 项,输入更多词可缩小范围" if len(found) > MATCHES else f"找到 {len(found)} 项"
indicator_id = choose.selectbox(f"指标({shown})", list(labels), format_func=labels.get,
                                key=f"indicator_pick_{wanted}")
st.query_params["id"] = indicator_id

if indicator_id != wanted:
    detail = ui.query("indicator_detail", id=indicator_id, year=f.year)
ind = detail.iloc[0].to_dict()
series = ui.query("indicator_series", id=indicator_id, year=f.year)
refs = ui.query("indicator_reference", id=indicator_id)
thresholds = ui.query("method_thresholds").set_index("key")["value"]
tolerance = float(thresholds["approx_tolerance"])
unit = ind["unit"] if isinstance(ind["unit"], str) else ""

st.title(ind["name"])
st.caption(ui.plain(f"{ind['region']} · {ind['plan_title']} · {ind['domain']}领域(规划原标题:{ind['domain_raw']})"
                    f" · 指标编号 {indicator_id}"))
if (series["source_kind"] == "示例").any():
    ui.demo_notice()
colour = charts.STATUS_COLORS.get(ind["status"], "#999999")
called = " · ".join(dict.fromkeys(  # 无数据, 定性 and 不能判断 are the assessment too: said once
    str(v) for v in (ind["status"], ind["assessment"]) if not ui.is_missing(v))) or ui.MISSING
st.html(f"<h4 style='font-size:1.25rem;font-weight:600;margin:0'><span style='color:{colour}'>●</span> "  # not Markdown
        f"截至{f.year}年:{html.escape(called)}</h4>")
st.markdown(f"**原因**:{ui.plain(ind['reason'])}")
st.caption(f"**判定依据**(可按“方法说明”逐项复算):{ui.plain(explain.line(ind, thresholds))}")

year_of = lambda y: "" if ui.is_missing(y) else f"({y:.0f}年)"  # noqa: E731
ui.metrics([(f"基线{year_of(ind['baseline_year'])}", ui.number(ind["baseline_value"], unit)),
            (f"目标({ind['target_year']}年)", ind["target_label"]),
            (f"最新值{year_of(ind['latest_year'])}", ui.number(ind["latest_value"], unit)),
            ("目标进程 / 时间进度", f"{ui.progress(ind['progress'])} / {ui.rate(ind['expected_progress'])}",
             "目标进程:从基线到目标已走过的比例;时间进度:规划期已过去的比例")],
           widths=[1, 1, 1, 1.5])  # the last holds "已超目标 / 75%": not cut at 1280 px
for parent in ui.query("parent_comparison", id=indicator_id, year=f.year).itertuples():  # at most one row
    st.page_link("pages/indicator.py", label=ui.plain(parent.line), icon=":material/account_tree:",
                 query_params={"id": parent.parent_indicator_id, **f.url()})

if ind["direction"] == "qualitative":
    st.subheader("各年文字报告")
    reports = series[series["value_text"].notna()]
    if reports.empty:
        st.info("定性目标没有数值,只记录各年的文字报告;截至所选年份尚无报告。")
    else:
        ui.static_table(reports.rename(columns=ui.SERIES_COLUMNS)[["年份", "文字报告", "来源", "备注"]])
else:
    st.html(charts.indicator_chart_svg(ind, series, refs, tolerance))  # SVG: no chart library to fetch
    st.caption("蓝色实线与圆点:本地监测值;灰色虚线:从起点匀速达到目标的路径;点线与三角:按最小二乘直线趋势外推到目标年;"
               "绿色横线/色带:目标;灰色菱形:上级地区公开发布值(仅作参照,不是本地数值)。纵轴按数据范围缩放,不从 0 开始;"
               "鼠标停在点上可看数值。")

warnings = ui.query("indicator_warnings", id=indicator_id, year=f.year)
if len(warnings):
    st.subheader("预警")
    ui.static_table(warnings)

left, right = st.columns(2)
with left:
    st.subheader("规划原文")
    st.markdown(f"> {ui.plain(ind['plan_sentence'])}")
    st.caption(ui.plain(f"出处:{ind['source_label']}" + (f";发文:{ind['issuing_document']}"
                                                          if ind["issuing_document"] else "")))
    if ind["note"]:
        st.caption(ui.plain(f"整理说明:{ui.curator_note(ind['note'])}"))
    st.subheader("责任单位")
    st.markdown(ui.plain(ind["responsible_units"] or "规划未列明责任单位"))
with right:
    st.subheader("监测值")
    ui.static_table(series.rename(columns=ui.SERIES_COLUMNS))
    if len(refs):
        st.subheader("上级地区公开数据(参照)")
        ui.static_table(ui.as_links(ui.shown(refs.rename(columns={
            "reference_region": "上级地区", "published_indicator": "公开指标", "year": "年份", "value": "数值",
            "unit": "单位", "url": "来源网址", "snippet": "原文", "definition_match": "口径匹配"})), "来源网址", "打开"))

round_ui.revisions(indicator_id)
