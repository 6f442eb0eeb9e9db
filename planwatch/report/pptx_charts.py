"""Native PowerPoint charts (python-pptx's chart API) for the deck: the office can relabel and restyle them, and
their text is as large on the projector as the slides' (18 pt).

The numbers are the same as the PNG charts of render.py: status mix per plan, domain or region with each label
carrying its 达标率, indicators per status, and an indicator's path from its start to the target.
"""
from __future__ import annotations

import pandas as pd
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Pt

from planwatch import charts
from planwatch.report.content import ReportContent, Story

CHART_PT = 18


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _text(chart, latin: str, east_asia: str, ea_attrs: dict, size: float = CHART_PT) -> None:
    """All text of a chart at size, with the deck's Latin and East Asian fonts (a:ea, which python-pptx lacks)."""
    chart.font.size = Pt(size)
    chart.font.name = latin
    rpr = chart.font._rPr
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": east_asia, **ea_attrs})
    rpr.find(qn("a:latin")).addnext(ea)


def _legend(chart, position=XL_LEGEND_POSITION.TOP) -> None:
    chart.has_legend = True
    chart.legend.position = position
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)


def status_mix(slide, content: ReportContent, cut: str, box: tuple, fonts: tuple) -> object:
    """100% stacked bars: the status mix of each plan (domain, region); labels carry 达标率 (已达标/已评估)."""
    rows = content.chart_rows(cut)
    data = CategoryChartData(number_format="0")
    data.categories = list(rows["label"])
    for status in charts.STATUS_ORDER:
        data.add_series(status, [int(v) for v in rows[status]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, *box, data).chart
    _text(chart, *fonts)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 45, 100
    for series, status in zip(plot.series, charts.STATUS_ORDER):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(charts.STATUS_COLORS[status])
    chart.category_axis.reverse_order = True          # first plan (domain, region) on top
    chart.category_axis.format.line.fill.background()
    value = chart.value_axis
    value.tick_labels.number_format, value.tick_labels.number_format_is_linked = "0%", False
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = _rgb("#DDDDDD")
    _legend(chart)
    return chart


def status_counts(slide, content: ReportContent, box: tuple, fonts: tuple) -> object:
    """Indicators per status, one bar each in the status colours, the count at the end of the bar."""
    by_status = content.status_counts()
    counts = [by_status.get(s, 0) for s in charts.STATUS_ORDER]
    data = CategoryChartData(number_format="0")
    data.categories = charts.STATUS_ORDER
    data.add_series("指标数", counts)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    _text(chart, *fonts)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(CHART_PT)
    for point, status in zip(plot.series[0].points, charts.STATUS_ORDER):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(charts.STATUS_COLORS[status])
    chart.category_axis.reverse_order = True
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.visible = False
    return chart


def _line(series, color: str, width: float, dash=None, marker=XL_MARKER_STYLE.NONE, marker_size: int = 9) -> None:
    series.smooth = False
    series.format.line.color.rgb = _rgb(color)
    series.format.line.width = Pt(width)
    if dash is not None:
        series.format.line.dash_style = dash
    series.marker.style = marker
    if marker != XL_MARKER_STYLE.NONE:
        series.marker.size = marker_size
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(color)
        series.marker.format.line.color.rgb = _rgb(color)


def story_path(slide, story: Story, box: tuple, fonts: tuple) -> object:
    """The indicator from its start to the target year: values, the even-pace path (only when the start did not
    already meet the target: never a path toward a limit that is met), the trend to the target year, the target."""
    ind = story.ind
    measured = story.series.dropna(subset=["value"])
    target_year = int(ind["target_year"])
    target = ind["baseline_value"] if ind["target_op"] == "maintain" else ind["target_value"]
    has_target = target is not None and not pd.isna(target)
    first_year = int(min(measured["year"].min(), target_year - 1)) if len(measured) else target_year - 5
    data = XyChartData()
    styles = []
    values = data.add_series(f"监测值({ind['unit']})" if ind["unit"] else "监测值")
    for y, v in zip(measured["year"], measured["value"]):
        values.add_data_point(int(y), float(v))
    styles.append((charts.STATUS_COLORS["进展顺利"], 3.5, None, XL_MARKER_STYLE.CIRCLE))
    if has_target and len(measured) and not pd.isna(ind["progress"]):
        path = data.add_series("达标路径(匀速)")
        path.add_data_point(int(measured["year"].iloc[0]), float(measured["value"].iloc[0]))
        path.add_data_point(target_year, float(target))
        styles.append(("#777777", 2.25, MSO_LINE_DASH_STYLE.DASH, XL_MARKER_STYLE.NONE))
    if not pd.isna(ind["projected_value"]) and not pd.isna(ind["latest_year"]):
        trend = data.add_series("趋势外推")
        trend.add_data_point(int(ind["latest_year"]), float(ind["latest_value"]))
        trend.add_data_point(target_year, float(ind["projected_value"]))
        styles.append(("#444444", 2.5, MSO_LINE_DASH_STYLE.ROUND_DOT, XL_MARKER_STYLE.TRIANGLE))
    if has_target:
        goal = data.add_series(f"目标 {ind['target_label']}")
        goal.add_data_point(first_year, float(target))
        goal.add_data_point(target_year, float(target))
        styles.append((charts.STATUS_COLORS["已达标"], 3.0, None, XL_MARKER_STYLE.NONE))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES, *box, data).chart
    _text(chart, *fonts)
    for series, style in zip(chart.plots[0].series, styles):
        _line(series, *style)
    x = chart.category_axis
    x.minimum_scale, x.maximum_scale, x.major_unit = first_year, target_year, 1
    x.tick_labels.number_format, x.tick_labels.number_format_is_linked = "0", False
    x.has_major_gridlines = False
    shown = [float(v) for v in measured["value"]] + [float(v) for v in (target, ind["projected_value"])
                                                     if v is not None and not pd.isna(v)]
    if shown:
        lo, hi = min(shown), max(shown)
        pad = max((hi - lo) * 0.15, abs(hi) * 0.02, 0.1)
        y = chart.value_axis
        floor = max(0.0, lo - pad) if lo >= 0 else lo - pad   # a share or a rate never goes below 0
        y.minimum_scale, y.maximum_scale = floor, hi + pad
        y.tick_labels.number_format, y.tick_labels.number_format_is_linked = "0.##", False
        y.major_gridlines.format.line.color.rgb = _rgb("#DDDDDD")
    _legend(chart, XL_LEGEND_POSITION.BOTTOM)
    return chart
