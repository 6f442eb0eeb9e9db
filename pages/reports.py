"""年度报告: the annual review as slides, a PDF handout and a workbook; ?present=1 shows it screen by screen.

The as-of year and the region come from the sidebar (as in the command line's --as-of and --region); the files are
made when a download button is clicked. The presentation mode walks report.outline(), the order of the slides.
"""
import functools

import pandas as pd
import streamlit as st

from planwatch import charts, report, ui
from planwatch.report import content as report_content
from planwatch.report import render

f = ui.page_filters()


@st.cache_data(show_spinner="正在汇总年度报告的数据……", max_entries=32)
def gather(year: int, region: str | None, version: tuple) -> report.ReportContent:
    return report.gather(ui.connection(), year, region)


def make_file(content: report.ReportContent, fmt: str) -> bytes:
    """Called by a download button when clicked (on another thread: no Streamlit calls, no database)."""
    return report.render_content(content, fmt)


content = gather(f.year, f.region, ui.data_version())
sections = report.outline(content)


# ---------------------------------------------------------------------------------------------------------------
# Presentation mode: no sidebar, large type, one section per screen, 上一页 / 下一页 (← / → keys).

def present() -> None:
    st.html("""<style>
        section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
        [data-testid="stSidebarNav"], [data-testid="collapsedControl"] {display: none !important;}
        .stMainBlockContainer, .block-container {max-width: 100% !important; padding: 1.2rem 3rem 1rem !important;}
        .stMainBlockContainer h1 {font-size: 2.8rem !important; line-height: 1.25;}
        .stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.45rem !important; line-height: 1.6;}
        .stMainBlockContainer [data-testid="stTable"] td, .stMainBlockContainer [data-testid="stTable"] th
            {font-size: 1.1rem !important; line-height: 1.4;}
    </style>""")
    total = len(sections)
    if "present_slide" not in st.session_state:
        raw = st.query_params.get("slide", "1")
        st.session_state["present_slide"] = min(max(int(raw), 1), total) if raw.isdigit() else 1

    def go(step: int) -> None:
        st.session_state["present_slide"] = min(max(st.session_state["present_slide"] + step, 1), total)

    number = st.session_state["present_slide"]
    st.query_params["slide"] = str(number)
    section = sections[number - 1]

    top = st.columns([8, 2], vertical_alignment="center")
    top[0].title(section.title if section.kind != "title" else content.title)
    if content.has_demo:
        top[1].markdown("<div style='background:#C65A00;color:white;font-weight:bold;font-size:1.5rem;"
                        "text-align:center;border-radius:6px;padding:.3rem'>示例数据</div>", unsafe_allow_html=True)
    SCREENS[section.kind](section)

    nav = st.columns([2, 2, 6, 2], vertical_alignment="center")
    nav[0].button("上一页", icon=":material/arrow_back:", on_click=go, args=(-1,), disabled=number == 1,
                  shortcut="Left", width="stretch")
    nav[1].button("下一页", icon=":material/arrow_forward:", on_click=go, args=(1,), disabled=number == total,
                  shortcut="Right", width="stretch", type="primary")
    nav[2].caption(f"第 {number} / {total} 页 · {content.subtitle}"
                   + (" · 示例数据:演示监测值,非真实统计" if content.has_demo else "") + " · 键盘 ← → 翻页")
    nav[3].page_link("pages/reports.py", label="退出演示", icon=":material/close:", query_params=f.url())


def big_chart(chart, size: int = 22) -> None:
    # labels carry the 达标率 and its denominator: allow them more room than the pages' charts do
    themed = charts.themed(chart, size=size).configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=560)
    st.altair_chart(themed, width="stretch")


def screen_title(section) -> None:
    st.markdown(f"## {content.committee}")
    st.markdown(f"{content.subtitle} · 生成于{content.generated:%Y年%m月%d日}")
    st.markdown("\n".join(f"- {r.规划}({r.指标数}项指标)" for r in content.plans.itertuples()))
    if content.has_demo:
        st.warning(report_content.DEMO_NOTE, icon=":material/science:")


def screen_headline(section) -> None:
    h, counts = content.headline, content.warning_counts()
    left, right = st.columns([2, 3])
    left.markdown(f"<div style='font-size:7rem;font-weight:700;line-height:1.1;color:{charts.STATUS_COLORS['已达标']}'>"
                  f"{content.rate_text()}</div>", unsafe_allow_html=True)
    left.markdown(f"**达标率:已达标 {h['n_met']} ÷ 已评估 {h['n_assessed']}**")
    left.markdown(content.excluded_text())
    left.markdown(f"预警:红色 **{counts['红']}** 条、黄色 **{counts['黄']}** 条、未填报 **{counts['灰']}** 条。")
    with right:
        big_chart(render.headline_chart(content, width=None))


def screen_cut(section) -> None:
    big_chart(render.status_chart(content, section.kind, width=None, max_height=460))


def screen_warnings(section) -> None:
    counts = content.warning_counts()
    st.markdown(f"红色 **{counts['红']}** 条、黄色 **{counts['黄']}** 条(红色在前);未填报 {counts['灰']} 条见 PDF 报告与"
                " Excel 工作簿。")
    if section.rows.empty:
        st.markdown(f"截至{content.year}年,{content.scope}没有红色或黄色预警。")
        return
    rows = pd.DataFrame([report_content.warning_cells(r) for _, r in section.rows.iterrows()])
    style = {lv: f"background-color: {c}; color: white; font-weight: bold" for lv, c in charts.LEVEL_COLORS.items()}
    st.table(rows.style.map(lambda v: style.get(v, ""), subset=["级别"]), hide_index=True)


def screen_units(section) -> None:
    if section.rows is None or section.rows.empty:
        st.markdown(f"{content.scope}的规划未列明指标的责任单位,没有计分卡。")
        return
    rows = section.rows.assign(达标率=section.rows["达标率"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"))
    st.table(rows[list(report_content.UNIT_COLUMNS)], hide_index=True)


def screen_story(section) -> None:
    story = section.story
    left, right = st.columns([3, 1.3])
    with left:
        st.markdown(f"**{story.title}**")
        big_chart(render.story_chart(story, content.tolerance, width=None), size=20)
    with right:
        st.markdown("\n".join(f"- {k}:**{v}**" for k, v in story.facts()))
        st.markdown(story.ind["reason"])


def screen_method(section) -> None:
    st.markdown("\n".join(f"- {p}" for p in report_content.method_points(content)))


SCREENS = {"title": screen_title, "headline": screen_headline, "plan": screen_cut, "domain": screen_cut,
           "region": screen_cut, "warnings": screen_warnings, "units": screen_units, "story": screen_story,
           "method": screen_method}

if st.query_params.get("present") == "1":
    present()
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
# The page: what the report holds and the three downloads.

st.title(f"年度报告 · 截至{f.year}年")
if content.has_demo:
    ui.demo_notice()
st.caption(f"报告范围:{content.scope}(截至年份和地区在侧栏选择;规划类别、领域和责任单位筛选不用于年度报告,"
           "报告总是包含所选地区的全部规划)。命令行:python -m planwatch report --format pptx|pdf|xlsx "
           "--out 文件 [--as-of 年份] [--region 地区]")

h, counts = content.headline, content.warning_counts()
cols = st.columns(4)
cols[0].metric("达标率", content.rate_text(), help="已达标 ÷ 已评估(有数据的定量指标)")
cols[1].metric("已达标 / 已评估", f"{h['n_met']} / {h['n_assessed']}")
cols[2].metric("红色预警", counts["红"])
cols[3].metric("幻灯片", len(sections), help="预警清单和计分卡较长时分成多页")

st.subheader("下载")
buttons = st.container(horizontal=True)
for fmt, icon, help_text in (
        ("pptx", ":material/slideshow:", "16:9 演示文稿,大字号,图表清晰,适合投影;中文字体为微软雅黑"),
        ("pdf", ":material/picture_as_pdf:", "A4 打印版:标题、表格和图表,含全部预警和责任单位计分卡"),
        ("xlsx", ":material/table_view:", "Excel 工作簿:指标状态、预警、按规划、按领域、按地区、按责任单位,首行冻结并带筛选")):
    buttons.download_button(f"下载{report.LABELS[fmt]}", functools.partial(make_file, content, fmt),
                            file_name=report.file_name(content, fmt), mime=report.MIME[fmt], on_click="ignore",
                            icon=icon, help=help_text + "。点击后生成,需要几秒钟。", key=f"download_{fmt}")
st.page_link("pages/reports.py", label="进入演示模式(隐藏侧栏、大字号、逐页翻看,键盘 ← → 翻页)",
             icon=":material/co_present:", query_params={**f.url(), "present": "1"})

st.subheader("幻灯片顺序")
st.dataframe(pd.DataFrame({"页": range(1, len(sections) + 1), "内容": [s.title for s in sections]}),
             hide_index=True, width="stretch", height=min(38 + 35 * len(sections), 420))
