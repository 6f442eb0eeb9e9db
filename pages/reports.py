"""年度报告: the 统计监测报告 (Word), slides, a PDF handout and a workbook; ?present=1 shows it screen by screen.

The as-of year and the region come from the sidebar (as in the command line's --as-of and --region); the files are
made when a download button is clicked. The presentation mode (planwatch/report/present.py) walks
report.outline(), the order of the slides.
"""
import functools

import pandas as pd
import streamlit as st

from planwatch import report, ui
from planwatch.report import present

f = ui.page_filters()


# The page shows a summary (the headline, the warnings by level, the slides); the whole content (every indicator,
# warning and value: minutes and a few hundred megabytes for a national report) is gathered only for the
# presentation mode and the files, once per data version (report.gathered).
@st.cache_resource(show_spinner="正在汇总年度报告的数据……", max_entries=8)
def summary(year: int, region: str | None, mode: str, version: tuple) -> report.ReportSummary:
    return report.summarise(ui.connection(), year, region, mode)


def make_file(database, key: tuple, fmt: str) -> bytes:
    """Called by a download button when clicked (on another thread: no Streamlit calls)."""
    return report.render_content(report.gathered(database, *key)[0], fmt)


mode = st.query_params.get("mode", "annual")
mode = mode if mode in report.MODES else "annual"
key = (f.year, f.region, mode, ui.region_version(f.region))  # a write elsewhere keeps this region's report

content = summary(*key)
refused = content.too_big()  # a national scope: files and presentation region by region
if st.query_params.get("present") == "1" and not refused:
    with st.spinner("正在汇总年度报告的数据……"):
        whole, slides = report.gathered(ui.connection(), *key)
    present.show(whole, slides, exit_params={**f.url(), "mode": mode})
    st.stop()
sections = content.sections

st.title(f"年度报告 · 截至{f.year}年")
if content.has_demo:
    ui.demo_notice()
st.caption(f"报告范围:{content.scope}(截至年份和地区在侧栏选择;规划类别、领域和责任单位筛选不用于年度报告,"
           "报告总是包含所选地区的全部规划)。")  # (the command line is the README's, not the leader's)

h, counts = content.headline, content.warnings
ui.metrics([("达标率", content.rate_text(), "已达标 ÷ 已评估(有数据的定量指标)"),
            ("已达标 / 已评估", f"{ui.count(h['n_met'])} / {ui.count(h['n_assessed'])}",
             f"已达标 {h['n_met']:,.0f} 项,已评估 {h['n_assessed']:,.0f} 项"),
            ("红色预警", ui.count(counts["红"]), f"{counts['红']:,.0f} 条"),
            ("幻灯片", len(sections), "预警清单和计分卡较长时分成多页")])

st.subheader("下载")
chosen = st.segmented_control("报告类型", list(report.MODES), default=mode, key="report_mode",
                              format_func=report.MODES.get, help="Word 报告和幻灯片的标题与开头随类型变化")
if chosen and chosen != mode:
    st.query_params["mode"] = chosen
    st.rerun()
FILES = (
    ("docx", ":material/description:", "可编辑的统计监测报告:总体情况、分领域情况、存在的主要问题、对策建议和附表;"
                                       "公文字体,标题可在导航窗格中跳转,标有【待补充】之处请补充完善"),
    ("pptx", ":material/slideshow:", "16:9 演示文稿,18 磅以上字号,图表可在 PowerPoint/WPS 中编辑,备注中有讲稿"),
    ("pdf", ":material/picture_as_pdf:", "A4 打印版:标题、表格和图表,含预警清单和责任单位计分卡"
                                         f"(超过 {report.content.MAX_LISTED:,} 行时列出最需关注的 "
                                         f"{report.content.MAX_LISTED:,} 行,全部见 Excel 工作簿)"),
    ("xlsx", ":material/table_view:", "Excel 工作簿:指标状态、预警、按规划、按领域、按地区、按责任单位,首行冻结并带筛选"))
if refused:
    st.info(refused, icon=":material/info:")
else:
    buttons = st.container(horizontal=True)
    for fmt, icon, help_text in FILES:
        buttons.download_button(f"下载{report.LABELS[fmt]}", functools.partial(make_file, ui.connection(), key, fmt),
                                file_name=report.file_name(content, fmt), mime=report.MIME[fmt], on_click="ignore",
                                icon=icon, help=help_text + "。点击后生成,需要几秒钟。", key=f"download_{fmt}")
    st.page_link("pages/reports.py", label="进入演示模式(隐藏侧栏、大字号、逐页翻看,键盘 ← → 翻页)",
                 icon=":material/co_present:", query_params={**f.url(), "mode": mode, "present": "1"})

st.subheader("幻灯片顺序")
st.dataframe(pd.DataFrame({"页": range(1, len(sections) + 1), "内容": [s.title for s in sections]}),
             hide_index=True, width="stretch", height=min(38 + 35 * len(sections), 420))
