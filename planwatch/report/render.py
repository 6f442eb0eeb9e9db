"""The report's charts: Altair charts built from planwatch.charts, rendered to PNG with vl-convert.

Chinese labels need a CJK font on every machine: the charts name the font the project ships
(planwatch/report/fonts, WenQuanYi Micro Hei) and vl-convert is told where it is, so nothing depends on the
system's fonts.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altair as alt
import pandas as pd

from planwatch import charts
from planwatch.report.content import ReportContent, Story

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"

WIDTH = 1180        # px of the plot at scale 1; on a 16:9 slide the picture is about 12 in wide
LABEL_SIZE = 26     # px at that width: about 18 pt on the slide, 9.5 pt in the A4 handout
_lock = threading.Lock()
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    with _lock:
        if not _fonts_registered:
            import vl_convert

            vl_convert.register_font_directory(str(FONT_DIR))
            _fonts_registered = True


def configured(chart: alt.TopLevelMixin, size: int = LABEL_SIZE, font: str = FONT_FAMILY) -> alt.TopLevelMixin:
    """Large type, the shipped CJK font, legend on top: for slides, the handout and the presentation mode."""
    return (chart.configure(font=font, background="white")
            .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=520, titlePadding=12)
            .configure_legend(labelFontSize=size, titleFontSize=size, orient="top", labelLimit=520,
                              symbolSize=size * 14, columnPadding=18)
            .configure_title(fontSize=size + 4, anchor="start")
            .configure_text(fontSize=size)
            .configure_view(stroke=None))


def png(chart: alt.TopLevelMixin, scale: float = 1.5) -> bytes:
    """PNG bytes of a configured chart; scale 1.5 makes the slide charts about 2300 px wide (sharp on a 1080p
    projector, about 330 dpi in the A4 handout)."""
    import vl_convert

    _register_fonts()
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=scale)


# ---------------------------------------------------------------------------------------------------------------
# Chart builders (unconfigured: the app themes them with planwatch.charts.themed, the files with configured()).

def status_chart(content: ReportContent, cut: str, width: int | None = WIDTH, max_height: int = 620) -> alt.Chart:
    """Status mix per plan, domain or region; each label carries its 达标率 and denominator."""
    rows = content.chart_rows(cut)
    frame = rows.melt(id_vars="label", value_vars=charts.STATUS_ORDER, var_name="status", value_name="n").rename(
        columns={"label": "category"})
    n = max(1, len(rows))
    chart = charts.status_bars(frame, "category", height_per_bar=int(min(80, max_height / n)))
    chart = chart.encode(x=alt.X("n:Q", stack="normalize", title="指标占比(标签:达标率 = 已达标/已评估)",
                                 axis=alt.Axis(format="%")))
    return chart.properties(width=width) if width else chart


def headline_chart(content: ReportContent, width: int | None = 760) -> alt.Chart:
    """Indicators per status, bars coloured as everywhere else, with the count at the end of each bar."""
    by_status = content.status_counts()
    counts = pd.DataFrame({"status": charts.STATUS_ORDER, "n": [by_status.get(s, 0) for s in charts.STATUS_ORDER]})
    counts["in_rate"] = counts["status"].map(lambda s: "计入分母" if s not in ("无数据", "定性") else "不计入分母")
    base = alt.Chart(counts).encode(y=alt.Y("status:N", sort=charts.STATUS_ORDER, title=None),
                                    x=alt.X("n:Q", title="指标数"))
    bars = base.mark_bar().encode(color=alt.Color("status:N", scale=charts.status_scale(), legend=None))
    text = base.mark_text(align="left", dx=8, fontSize=24).encode(text="n:Q")
    chart = alt.layer(bars, text).properties(height=420)
    return chart.properties(width=width) if width else chart


def story_chart(story: Story, tolerance: float, width: int | None = 820, label_size: int = 22) -> alt.LayerChart:
    """charts.indicator_chart with the value axis fitted to the data (not from zero), a larger target label, and
    no even-pace path when the start already met the target."""
    chart = charts.indicator_chart(story.ind, story.series, story.refs, tolerance).properties(height=470)
    if pd.isna(story.ind["progress"]):  # the start already met the target: no path toward a limit that is met
        chart.layer = [layer for layer in chart.layer
                       if not (isinstance(layer.mark, alt.MarkDef) and layer.mark.strokeDash == [6, 4])]
    for layer in chart.layer:
        y = layer.encoding.y if layer.encoding is not alt.Undefined else alt.Undefined
        if y is not alt.Undefined and isinstance(y, alt.Y):
            layer.encoding.y = y.scale(zero=False)
        if isinstance(layer.mark, alt.MarkDef) and layer.mark.type == "text":
            layer.mark.fontSize = label_size
    return chart.properties(width=width) if width else chart


def chart_pngs(content: ReportContent) -> dict[str, bytes]:
    """Every chart of the report as PNG, keyed as the outline's sections (story charts as story0, story1, ...)."""
    specs = {"headline": configured(headline_chart(content)),
             **{cut: configured(status_chart(content, cut)) for cut in ("plan", "domain", "region")},
             **{f"story{i}": configured(story_chart(story, content.tolerance), size=24)
                for i, story in enumerate(content.stories)}}
    _register_fonts()
    with ThreadPoolExecutor(max_workers=4) as pool:  # vl-convert renders in parallel: about 1.5x faster
        return dict(zip(specs, pool.map(png, specs.values())))
