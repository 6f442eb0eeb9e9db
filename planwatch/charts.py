"""Altair charts shared by the pages and the reports: one colour per status everywhere, large type for projectors."""
from __future__ import annotations

import altair as alt
import pandas as pd

# Okabe–Ito palette (colour-blind safe); the order is the order of the legend.
STATUS_COLORS = {
    "已达标": "#009E73",
    "进展顺利": "#56B4E9",
    "进度滞后": "#E69F00",
    "逆向变化": "#D55E00",
    "无数据": "#BBBBBB",
    "定性": "#CC79A7",
}
STATUS_ORDER = list(STATUS_COLORS)
LEVEL_COLORS = {"红": "#D55E00", "黄": "#E69F00", "灰": "#999999"}
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def status_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_ORDER, range=list(STATUS_COLORS.values()))


def themed(chart: alt.Chart, size: int = 15) -> alt.Chart:
    # fit-x: stretch to the page width, but keep the plot height we set (legend and title come on top of it)
    return (chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
            .configure(font=FONT)
            .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=260)
            .configure_legend(labelFontSize=size, titleFontSize=size, orient="top")
            .configure_title(fontSize=size + 4, anchor="start"))


def status_bars(counts: pd.DataFrame, category: str, title: str = "", height_per_bar: int = 34) -> alt.Chart:
    """Stacked horizontal bars: one bar per category, segments = indicators per status (columns category, status, n)."""
    order = counts[category].drop_duplicates().tolist()
    base = alt.Chart(counts, title=title).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X("n:Q", stack="normalize", title="指标占比", axis=alt.Axis(format="%")),
        color=alt.Color("status:N", scale=status_scale(), title="状态"),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip(f"{category}:N", title="类别"), alt.Tooltip("status:N", title="状态"),
                 alt.Tooltip("n:Q", title="指标数")],
    ).transform_calculate(status_order=f"indexof({STATUS_ORDER!r}, datum.status)")
    return base.mark_bar().properties(height=max(80, height_per_bar * len(order)))
