"""Altair charts shared by the pages and the reports: one colour per status everywhere, large type for projectors."""
from __future__ import annotations

import altair as alt
import pandas as pd

from planwatch import svg

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
FONT = svg.FONT


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


# what the bars of all statuses measure, said beside their legend: a label's 达标率 counts the assessed only, the
# bar every indicator (无数据 and 定性 too), so 决策管理 67%(2/3) has a green third
BARS_NOTE = "条长为各状态指标占全部指标的比例,标签为达标率(已达标/已评估):"


def status_legend_html() -> str:
    """The status colours as HTML swatches that wrap on a phone (a Vega legend is cut off at 390 px), after what
    the bars measure (BARS_NOTE)."""
    return svg.legend(STATUS_COLORS, BARS_NOTE)


def attainment_bars_html(bars: pd.DataFrame, title: str, href, compact: bool = False) -> str:
    """Status mix per plan or region (rows of queries/attainment_bars.sql for one cut) as server-drawn HTML bars
    (svg.stacked_bars: no chart library for the browser to fetch), the most lagging first, each labelled with its
    达标率 and denominator. `href(region_code, plan_group)` gives a bar's link (to 预警清单 for it); the bar of the
    rest ("其余 N 个地区") has none. No legend: the page shows status_legend_html() once."""
    rows = []
    for (_, label), bar in bars.groupby(["rank", "label"], sort=True):
        code, group = bar["region_code"].iloc[0], bar["plan_group"].iloc[0]
        rows.append({"label": label, "href": href(code, group if pd.notna(group) else None) if pd.notna(code) else None,
                     **bar.groupby("status")["n"].sum().to_dict()})
    return svg.stacked_bars(pd.DataFrame(rows, columns=["label", "href", *STATUS_ORDER]), STATUS_ORDER, STATUS_COLORS,
                            title, compact=compact)


LOCAL = "#0072B2"  # the place's own values, on every indicator chart
REFERENCE = "#666666"  # parent regions' published values: reference only, grey
REFERENCE_LABEL = "上级地区公开数据"


def value_domain(ind: dict, series: pd.DataFrame, refs: pd.DataFrame, tolerance: float) -> tuple[float, float] | None:
    """A value range fitted to what is drawn (29.6 → 30 is not a flat line on an axis from 0), never below zero
    when nothing drawn is negative; None when nothing numeric is drawn."""
    values = [*series["value"].dropna(), *(refs["value"].dropna() if len(refs) else [])]
    for key in ("target_value", "baseline_value", "projected_value"):
        if ind.get(key) is not None and not pd.isna(ind[key]):
            values.append(float(ind[key]))
    if ind["target_op"] == "~" and ind.get("target_value") is not None and not pd.isna(ind["target_value"]):
        values += [ind["target_value"] * (1 - tolerance), ind["target_value"] * (1 + tolerance)]
    if not values:
        return None
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.15, abs(hi) * 0.02, 0.1)
    return (lo - pad if lo < 0 else max(lo - pad, 0), hi + pad)


def value_scale(ind: dict, series: pd.DataFrame, refs: pd.DataFrame, tolerance: float) -> alt.Scale:
    """The Altair value axis of value_domain."""
    domain = value_domain(ind, series, refs, tolerance)
    return alt.Scale(zero=False) if domain is None else alt.Scale(domain=list(domain), zero=False, nice=False)


def met_band(ind: dict, target: float, tolerance: float, domain) -> tuple[float, float]:
    """The values that meet a 左右 target within the drawn range `domain`: the band around it; for an indicator
    where more (less) is better (indicator_detail's better: pw_better in queries/views/00_macros.sql), everything
    from the band's lower edge up (upper edge down): 0.89 meets 0.85人左右."""
    lo, hi = target - abs(target) * tolerance, target + abs(target) * tolerance
    if ind.get("better") == 1:
        hi = max(hi, domain[1])
    elif ind.get("better") == -1:
        lo = min(lo, domain[0])
    return lo, hi


def _target(ind: dict):
    """The value the target line is drawn at (a 保持 target: the baseline), or None."""
    target = ind["target_value"] if ind["target_op"] != "maintain" else ind["baseline_value"]
    return None if target is None or pd.isna(target) else float(target)


SOURCE_NAMES = {"示例": "示例数据", "填报": "填报值", "公开": "公开值"}


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
    target = _target(ind)
    if target is not None:
        label = f"目标 {ind['target_label']}"
        if ind["target_op"] == "~":
            lo, hi = met_band(ind, target, tolerance, value_domain(ind, series, refs, tolerance) or (target, target))
            band = pd.DataFrame({"lo": [lo], "hi": [hi]})
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
        series=lambda d: d["source_kind"].map(SOURCE_NAMES).fillna(d["source_kind"]))
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


def indicator_chart_svg(ind: dict, series: pd.DataFrame, refs: pd.DataFrame, tolerance: float) -> str:
    """indicator_chart drawn on the server as SVG (svg.Plot; no chart library for the browser to fetch): the
    target line (or band), the straight path, the place's values in one colour, the projection and the parent
    regions' published values as grey diamonds; the value axis fitted to the data; a tooltip on every point."""
    unit = ind["unit"] or ""
    start = int(series["year"].min()) if len(series) else ind["target_year"] - 5
    domain = value_domain(ind, series, refs, tolerance) or (0, 1)
    plot = svg.Plot((min(start, 2020), ind["target_year"]), domain, y_title=f"数值({unit})" if unit else "数值")
    target = _target(ind)
    measured = series.dropna(subset=["value"])
    if target is not None:
        label = f"目标 {ind['target_label']}"
        if ind["target_op"] == "~":
            plot.band(*met_band(ind, target, tolerance, domain), STATUS_COLORS["已达标"])
        plot.hline(target, STATUS_COLORS["已达标"], label=label)
        if len(measured):
            first = measured.iloc[0]
            plot.line([(first["year"], first["value"]), (ind["target_year"], target)], "#777777", width=2,
                      dash="6 4")
    if len(measured):
        points = list(zip(measured["year"], measured["value"]))
        plot.line(points, LOCAL)
        plot.points(points, LOCAL, titles=[
            f"{y:.0f}年:{svg.fmt(v)}{unit}({SOURCE_NAMES.get(k, k)})"
            for y, v, k in zip(measured["year"], measured["value"], measured["source_kind"])])
    if ind.get("projected_value") is not None and not pd.isna(ind["projected_value"]):
        projection = [(ind["latest_year"], ind["latest_value"]), (ind["target_year"], ind["projected_value"])]
        tip = f"趋势外推:{ind['target_year']}年约 {svg.fmt(ind['projected_value'])}{unit}"
        plot.line(projection, "#444444", dash="2 3")
        plot.points(projection[1:], "#444444", titles=[tip], shape="triangle")
    if len(refs):
        plot.points(list(zip(refs["year"], refs["value"])), REFERENCE, shape="diamond", titles=[
            f"{r}(上级地区公开数据){y:.0f}年:{svg.fmt(v)}" for r, y, v in
            zip(refs["reference_region"], refs["year"], refs["value"])])
    return plot.render(alt=f"{ind['name']}:历年数值与目标")


def region_comparison(compare: pd.DataFrame, name: str, unit: str | None, year: int, region: str | None) -> alt.LayerChart:
    """One canonical indicator across places (rows of queries/canonical_comparison.sql): one row per place (latest
    value coloured by status, its own target as a tick) and per parent region (grey diamond)."""
    rows = compare["行"].drop_duplicates().tolist()
    bold = f"indexof(datum.value, {region!r}) == 0 ? 'bold' : 'normal'" if region else "'normal'"
    y = alt.Y("行:N", sort=rows, title=None, axis=alt.Axis(labelLimit=360, labelFontWeight=alt.ExprRef(bold)))
    # the values and targets with some room, never below zero (no measure here is negative)
    lo, hi = compare[["value", "target_value"]].min().min(), compare[["value", "target_value"]].max().max()
    pad = max((hi - lo) * 0.1, abs(hi) * 0.02, 0.1)
    scale = alt.Scale(zero=False) if pd.isna(lo) else alt.Scale(domain=[max(lo - pad, 0), hi + pad], nice=False)
    x = alt.X("value:Q", title=f"{name}({unit})" if unit else name, scale=scale)
    kinds = [*STATUS_ORDER, REFERENCE_LABEL]
    measured = alt.Chart(compare[compare["value"].notna()]).encode(
        x=x, y=y, tooltip=["行", "数值", "目标", "状态", "说明"])
    dots = measured.mark_point(size=300, filled=True, opacity=1).encode(
        color=alt.Color("状态:N", title="状态", scale=alt.Scale(
            domain=kinds, range=[*STATUS_COLORS.values(), REFERENCE])),
        shape=alt.Shape("类别:N", legend=None, scale=alt.Scale(domain=["规划监测值", REFERENCE_LABEL],
                                                             range=["circle", "diamond"])))
    values = measured.mark_text(align="left", dx=14, fontSize=15).encode(text="数值:N")
    targets = alt.Chart(compare[compare["target_value"].notna()]).encode(
        x=alt.X("target_value:Q", scale=scale), y=y, tooltip=[alt.Tooltip("行:N", title="地区"), "目标"]
    ).transform_calculate(target_text="'目标' + datum['目标']")
    ticks = targets.mark_tick(color="black", thickness=3, size=36)
    target_text = targets.mark_text(dy=-24, fontSize=14, color="#333333").encode(text="target_text:N")
    title = alt.TitleParams(f"{name}:各地区截至{year}年的最新值", subtitleFontSize=15, subtitleColor="#444444",
                            subtitle="圆点为各地区规划监测值(颜色表示状态),黑色竖线为各自规划目标,灰色菱形为上级地区公开数据")
    chart = alt.layer(ticks, target_text, dots, values, title=title).properties(height=max(160, 72 * len(rows)))
    return chart


def progress_spread(shown: pd.DataFrame, domains: list[str]) -> alt.LayerChart:
    """Strip plot of 进度比 per domain (jittered within the domain's row), with the median and reference lines
    (rows of queries/domain_spread.sql: at most a few hundred points per domain, the median over all)."""
    row = 56  # pixels per domain; the points of a domain spread over the middle of its row
    y = alt.Y("领域:N", sort=domains, title=None, scale=alt.Scale(type="band", paddingInner=0, paddingOuter=0))
    points = alt.Chart(shown).mark_point(size=90, filled=True, opacity=0.75, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("ratio_plotted:Q", title="进度比(已完成的目标进程 ÷ 时间进度;1 = 与时间进度持平)",
                scale=alt.Scale(domain=[-1, 2], nice=False), axis=alt.Axis(values=[-1, -0.5, 0, 0.5, 1, 1.5, 2])),
        y=y,
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[row * 0.2, row * 0.8])),
        color=alt.Color("状态:N", scale=status_scale(), title="状态"),
        shape=alt.Shape("off_scale:N", scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]),
                        legend=None),
        tooltip=["地区", "规划", "指标", "状态", "最新值", "目标", alt.Tooltip("进度比:Q", format=".2f")],
    )
    median = alt.Chart(shown).mark_tick(color="black", thickness=3, size=30).encode(
        x=alt.X("min(median_ratio):Q"), y=y,  # each domain's median over all its indicators (one value per domain)
        tooltip=[alt.Tooltip("min(median_ratio):Q", title="中位数", format=".2f")])
    marks = alt.Chart({"values": [{"x": 0, "label": "基线水平"}, {"x": 1, "label": "与时间进度持平"}]})
    rules = marks.mark_rule(strokeDash=[6, 4], color="#555").encode(x="x:Q")
    labels = marks.mark_text(align="center", baseline="bottom", fontSize=15, color="#333").encode(
        x="x:Q", y=alt.value(-4), text="label:N")
    spread = alt.layer(rules, points, median, labels,
                       title="各领域指标进度分布(黑色短线为中位数,菱形为超出图幅的值)")
    return spread.properties(height=row * len(domains))
