"""The 年度报告 page's presentation mode (?present=1): no sidebar, large type, one section of report.outline() per
screen, in the order of the slides. Every screen fits a 1280×720 window without scrolling: the navigation sits in
the title row, charts have a fixed height, tables hold the slides' rows (at most 8 warnings), and each screen
says how many it leaves out.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from planwatch import charts, integers
from planwatch.report import render
from planwatch.report.content import (DEMO_NOTE, UNIT_COLUMNS, ReportContent, Section, as_percent, method_points,
                                      warning_cells)

CSS = """<style>
    section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stSidebarNav"], [data-testid="collapsedControl"] {display: none !important;}
    .stMainBlockContainer, .block-container {max-width: 100% !important; padding: .8rem 2.5rem .4rem !important;}
    .stMainBlockContainer h1 {font-size: 2.3rem !important; line-height: 1.2; padding: .2rem 0 !important;}
    .stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.3rem !important; line-height: 1.5;}
    .stMainBlockContainer [data-testid="stTable"] td, .stMainBlockContainer [data-testid="stTable"] th
        {font-size: 1.15rem !important; line-height: 1.3; padding: .3rem .5rem !important;}
    .stMainBlockContainer [data-testid="stCaptionContainer"] p {font-size: 1rem !important;}
</style>"""
CHART_HEIGHT = 430   # px: with the title row, a 1280×720 screen has about 560 px for a screen's content


def show(content: ReportContent, sections: list[Section], exit_params: dict) -> None:
    st.html(CSS)
    total = len(sections)
    if "present_slide" not in st.session_state:
        asked = integers.whole_number(st.query_params.get("slide", "1"))
        st.session_state["present_slide"] = min(max(asked, 1), total) if asked is not None else 1

    def go(step: int) -> None:
        st.session_state["present_slide"] = min(max(st.session_state["present_slide"] + step, 1), total)

    number = st.session_state["present_slide"]
    st.query_params["slide"] = str(number)
    section = sections[number - 1]

    top = st.columns([6, 1.7, 1.7, 1.3], vertical_alignment="center")
    top[0].title(section.title if section.kind != "title" else content.title)
    top[1].button("上一页", icon=":material/arrow_back:", on_click=go, args=(-1,), disabled=number == 1,
                  shortcut="Left", width="stretch")
    top[2].button("下一页", icon=":material/arrow_forward:", on_click=go, args=(1,), disabled=number == total,
                  shortcut="Right", width="stretch", type="primary")
    if content.has_demo:
        top[3].markdown("<div style='background:#C65A00;color:white;font-weight:bold;font-size:1.3rem;"
                        "text-align:center;border-radius:6px;padding:.25rem'>示例数据</div>", unsafe_allow_html=True)
    line = st.columns([8, 1.3], vertical_alignment="center")
    line[0].caption(f"第 {number} / {total} 页 · {content.subtitle}"
                    + (" · 示例数据:演示监测值,非真实统计" if content.has_demo else "") + " · 键盘 ← → 翻页")
    line[1].page_link("pages/reports.py", label="退出演示", icon=":material/close:", query_params=exit_params)
    SCREENS[section.kind](content, section)


def _chart(chart, size: int = 20, height: int = CHART_HEIGHT) -> None:
    # labels carry the 达标率 and its denominator: allow them more room than the pages' charts do
    themed = (charts.themed(chart.properties(height=height), size=size)
              .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=560))
    st.altair_chart(themed, width="stretch")


def _title(c: ReportContent, section: Section) -> None:
    st.markdown(f"## {c.committee}")
    st.markdown(f"{c.subtitle} · 生成于{c.generated:%Y年%m月%d日}")
    st.markdown("\n".join(f"- {line}" for line in c.plan_lines()))
    if c.has_demo:
        st.warning(DEMO_NOTE, icon=":material/science:")


def _headline(c: ReportContent, section: Section) -> None:
    h, counts = c.headline, c.warning_counts()
    left, right = st.columns([2, 3])
    left.markdown(f"<div style='font-size:6rem;font-weight:700;line-height:1.1;color:{charts.STATUS_COLORS['已达标']}'>"
                  f"{c.rate_text()}</div>", unsafe_allow_html=True)
    left.markdown(f"**达标率:已达标 {h['n_met']} ÷ 已评估 {h['n_assessed']}**")
    left.markdown(c.excluded_text())
    left.markdown(f"预警:红色 **{counts['红']}** 条、黄色 **{counts['黄']}** 条、未填报 **{counts['灰']}** 条。")
    with right:
        _chart(render.headline_chart(c, width=None), height=380)


def _cut(c: ReportContent, section: Section) -> None:
    n = len(c.cut(section.kind))
    _chart(render.status_chart(c, section.kind, width=None, max_height=CHART_HEIGHT),
           height=min(CHART_HEIGHT, 60 + 42 * n))


def _warnings(c: ReportContent, section: Section) -> None:
    counts = c.warning_counts()
    last = section.first + len(section.rows) - 1
    st.markdown(f"红色 **{counts['红']}** 条、黄色 **{counts['黄']}** 条,按紧急程度排列"
                + (f";本页为第 {section.first}–{last} 条" if len(section.rows) else "")
                + (f";另有 {section.not_shown} 条未在演示中列出" if section.not_shown else "")
                + f";未填报 {counts['灰']} 条。完整清单见报告与 Excel 工作簿。")
    if section.rows.empty:
        st.markdown(f"截至{c.year}年,{c.scope}没有红色或黄色预警。")
        return
    rows = pd.DataFrame([warning_cells(r) for _, r in section.rows.iterrows()])
    style = {lv: f"background-color: {col}; color: white; font-weight: bold" for lv, col in charts.LEVEL_COLORS.items()}
    st.table(rows.style.map(lambda v: style.get(v, ""), subset=["级别"]), hide_index=True)


def _units(c: ReportContent, section: Section) -> None:
    lines = c.unlisted_lines() if section.first == 1 else []
    if section.rows is not None and not section.rows.empty:
        st.table(as_percent(section.rows)[list(UNIT_COLUMNS)], hide_index=True)
    else:
        lines = lines or [f"{c.scope}的规划未列明指标的责任单位,没有计分卡。"]
    if section.not_shown:
        lines.append(f"另有 {section.not_shown} 个单位,见报告与 Excel 工作簿。")
    if lines:
        st.caption("  \n".join(lines))


def _story(c: ReportContent, section: Section) -> None:
    story = section.story
    left, right = st.columns([3, 1.3])
    with left:
        st.markdown(f"**{story.title}**")
        _chart(render.story_chart(story, c.tolerance, width=None), size=18, height=360)
    with right:
        st.markdown("\n".join(f"- {k}:**{v}**" for k, v in story.facts()))
        st.markdown(story.ind["reason"])


def _method(c: ReportContent, section: Section) -> None:
    st.markdown("\n".join(f"- {p}" for p in method_points(c)))


SCREENS = {"title": _title, "headline": _headline, "plan": _cut, "domain": _cut, "region": _cut,
           "warnings": _warnings, "units": _units, "story": _story, "method": _method}
