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
# the web font the app serves (.streamlit/config.toml) first, then what Windows, macOS and Linux desktops have
FONT = "WenQuanYi Micro Hei Web, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"


def status_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_ORDER, range=list(STATUS_COLORS.values()))


def themed(chart: alt.Chart, size: int = 15) -> alt.Chart:
    # fit-x: stretch to the page width, but keep the plot height we set (legend and title come on top of it)
    return (chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
            .configure(font=FONT)
            .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=260)
            .configure_legend(labelFontSize=size, titleFontSize=size, orient="top", labelLimit=420)
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


def attainment_bars(bars: pd.DataFrame, title: str, legend: bool = True, bar: int = 26) -> alt.Chart:
    """Status mix per plan or region (rows of queries/attainment_bars.sql), the most lagging first, each bar
    labelled with its 达标率 and denominator; a click selects the bar's region and plan group (selection "pick")."""
    order = bars.sort_values("rank")["label"].drop_duplicates().tolist()
    colour = alt.Color("status:N", scale=status_scale(), title=None,
                       legend=alt.Legend(orient="bottom", columns=3, symbolSize=100, labelFontSize=13, columnPadding=8)
                       if legend else None)
    chart = alt.Chart(bars, title=title).mark_bar(cursor="pointer").encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelFontSize=14, labelLimit=240)),
        x=alt.X("n:Q", stack="normalize", title=None,
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1], labelFontSize=13)),
        color=colour,
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("label:N", title="达标率(已达标/已评估)"), alt.Tooltip("status:N", title="状态"),
                 alt.Tooltip("n:Q", title="指标数")],
    ).transform_calculate(status_order=f"indexof({STATUS_ORDER!r}, datum.status)")
    pick = alt.selection_point(name="pick", fields=["region", "plan_group"], on="click")
    return chart.add_params(pick).properties(height=bar * len(order))


LOCAL = "#0072B2"  # the place's own values, on every indicator chart
REFERENCE = "#8C8C8C"  # parent regions' published values: reference only, grey


def value_scale(ind: dict, series: pd.DataFrame, refs: pd.DataFrame, tolerance: float) -> alt.Scale:
    """A value axis fitted to what is drawn (29.6 → 30 is not a flat line on an axis from 0), never below zero
    when nothing drawn is negative."""
    values = [*series["value"].dropna(), *(refs["value"].dropna() if len(refs) else [])]
    for key in ("target_value", "baseline_value", "projected_value"):
        if ind.get(key) is not None and not pd.isna(ind[key]):
            values.append(float(ind[key]))
    if ind["target_op"] == "~" and ind.get("target_value") is not None and not pd.isna(ind["target_value"]):
        values += [ind["target_value"] * (1 - tolerance), ind["target_value"] * (1 + tolerance)]
    if not values:
        return alt.Scale(zero=False)
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.15, abs(hi) * 0.02, 0.1)
    return alt.Scale(domain=[lo - pad if lo < 0 else max(lo - pad, 0), hi + pad], zero=False, nice=False)


def indicator_chart(ind: dict, series: pd.DataFrame, refs: pd.DataFrame, tolerance: float) -> alt.LayerChart:
    """From the 2020 baseline to the target: target line (or band), straight path, the place's values (one colour),
    projection and the parent regions' published values (grey diamonds). `ind` is a row of
    queries/indicator_detail.sql. The value axis is fitted to the data."""
    unit = ind["unit"] or ""
    start = int(series["year"].min()) if len(series) else ind["target_year"] - 5
    x = alt.X("year:Q", title="年份", scale=alt.Scale(domain=[min(start, 2020), ind["target_year"]]),
              axis=alt.Axis(format="d", tickMinStep=1))
    y_title = f"数值({unit})" if unit else "数值"
    scale = value_scale(ind, series, refs, tolerance)

    def y(field: str) -> alt.Y:
        return alt.Y(field, title=y_title, scale=scale)

    layers = []
    target = ind["target_value"] if ind["target_op"] != "maintain" else ind["baseline_value"]
    if target is not None and not pd.isna(target):
        label = f"目标 {ind['target_label']}"
        if ind["target_op"] == "~":
            band = pd.DataFrame({"lo": [target * (1 - tolerance)], "hi": [target * (1 + tolerance)]})
            layers.append(alt.Chart(band).mark_rect(opacity=0.15, color=STATUS_COLORS["已达标"]).encode(
                y=y("lo:Q"), y2="hi:Q"))
        layers.append(alt.Chart(pd.DataFrame({"v": [target], "label": [label]})).mark_rule(
            color=STATUS_COLORS["已达标"], strokeWidth=3).encode(y=y("v:Q")))
        layers.append(alt.Chart(pd.DataFrame({"v": [target], "label": [label], "year": [ind["target_year"]]}))
                      .mark_text(align="right", dy=-10, fontSize=15, color=STATUS_COLORS["已达标"])
                      .encode(x=x, y=y("v:Q"), text="label:N"))
        measured = series.dropna(subset=["value"])
        if len(measured):
            first = measured.iloc[0]
            path = pd.DataFrame({"year": [first["year"], ind["target_year"]], "value": [first["value"], target],
                                 "series": ["达标路径(匀速)"] * 2})
            layers.append(alt.Chart(path).mark_line(strokeDash=[6, 4], color="#777777").encode(
                x=x, y=y("value:Q"), detail="series:N"))
    points = series.dropna(subset=["value"]).assign(
        series=lambda d: d["source_kind"].map({"示例": "示例数据", "填报": "填报值", "公开": "公开值"}).fillna(d["source_kind"]))
    if len(points):
        layers.append(alt.Chart(points).mark_line(point=alt.OverlayMarkDef(size=120, filled=True, color=LOCAL),
                                                  strokeWidth=3, color=LOCAL)
                      .encode(x=x, y=y("value:Q"),
                              tooltip=[alt.Tooltip("year:Q", title="年份", format="d"),
                                       alt.Tooltip("value:Q", title=f"数值({unit})"),
                                       alt.Tooltip("series:N", title="来源")]))
    if ind.get("projected_value") is not None and not pd.isna(ind["projected_value"]):
        proj = pd.DataFrame({"year": [ind["latest_year"], ind["target_year"]],
                             "value": [ind["latest_value"], ind["projected_value"]], "series": ["趋势外推"] * 2})
        layers.append(alt.Chart(proj).mark_line(strokeDash=[2, 3], strokeWidth=3, color="#444444",
                                                point=alt.OverlayMarkDef(shape="triangle-up", size=120))
                      .encode(x=x, y=y("value:Q"), tooltip=[alt.Tooltip("value:Q", title="外推值")]))
    if len(refs):
        layers.append(alt.Chart(refs).mark_point(shape="diamond", size=160, filled=True, color=REFERENCE).encode(
            x=x, y=y("value:Q"),
            tooltip=[alt.Tooltip("reference_region:N", title="上级地区(公开数据)"),
                     alt.Tooltip("year:Q", title="年份", format="d"), alt.Tooltip("value:Q", title="公开值"),
                     alt.Tooltip("url:N", title="来源")]))
    return alt.layer(*layers).properties(height=380)
