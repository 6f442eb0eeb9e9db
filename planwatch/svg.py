"""Charts drawn on the server as HTML and SVG, for st.html: no chart library for the browser to fetch.

A Vega-Lite chart costs a new visitor about a quarter of a blank page's load time (bench/element_cost.py: the
browser fetches and runs Vega before it can draw); these helpers return one escaped HTML string that the page
passes to st.html. Every text from data is escaped here; tooltips are title attributes. (st.html drops <svg>:
Streamlit sanitizes its HTML with DOMPurify's HTML profile; Plot therefore draws an SVG *image*.)

    from planwatch import svg
    st.html(svg.stacked_bars(rows, segments=["已达标", "进展顺利", ...], colours=charts.STATUS_COLORS))

- `stacked_bars(rows, segments, colours)`: one horizontal bar per row of `rows` (columns `label`, optional `href`
  and `title`, and one count column per segment), in the frame's order, each bar the share of its segments
  (100% wide), the label above it; a row with an `href` is a link (the whole row). Fits any width (a phone too).
  It carries its own <style> (BARS_CSS), so it needs nothing else on the page.
- `Plot(x_domain, y_domain)`: a line chart (years across, values up) with bands, lines, points and their
  tooltips; see its docstring. charts.indicator_chart_svg is an example.
- `legend(colours)`: the colour swatches, wrapping on a phone.
- Table cells for ui.table_html / ui.static_table: `link(href, text)` (the app's own "./page?..." links open in
  the same session) and `chip(text, colour)`; both are `Markup` (escaped here, put in as they are).
"""
from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import pandas as pd

# the app's theme font (.streamlit/config.toml): Streamlit's Latin font, the Chinese fonts of Windows, macOS and Linux
# desktops, and last the web font the app serves, downloaded only by a PC that has none of them
FONT = ("Source Sans, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, "
        "WenQuanYi Micro Hei Web, sans-serif")


def esc(value) -> str:
    """Text or an attribute value, escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


class Markup:
    """HTML made here, already escaped: ui.table_html puts such a cell in as it is (every other cell is escaped).
    Not a str, so that a DataFrame column of them stays an object column (pandas 3 makes a list of str a string
    column, which would lose the type)."""

    def __init__(self, html_text: str):
        self.html = html_text

    def __str__(self) -> str:
        return self.html

    def __eq__(self, other) -> bool:
        return isinstance(other, Markup) and other.html == self.html

    def __hash__(self) -> int:
        return hash(self.html)


def link(href: str, text: str) -> Markup:
    """A link cell: the app's own relative URL (ui.page_url, ui.indicator_link) opens in the same session
    (ui.PAGE_SETUP); any other URL opens in a new tab."""
    target = "" if href.startswith("./") else " target='_blank' rel='noopener noreferrer'"
    return Markup(f"<a href='{esc(href)}'{target}>{esc(text)}</a>")


def chip(text: str, colour: str) -> Markup:
    """A coloured label (a warning's 级别, a status), readable in grey print too (the text is written out)."""
    return Markup(f"<span class='pw-chip' style='background:{esc(colour)}'>{esc(text)}</span>")


def legend(colours: dict[str, str], caption: str = "",
           swatch: str = "width:.9em;height:.9em;vertical-align:-.05em") -> str:
    """Colour swatches with their names (a Vega legend is cut off at 390 px; these wrap), after a `caption`;
    `swatch`: the CSS of each colour box (its size, a border)."""
    item = ('<span style="white-space:nowrap;margin-right:.8em"><span style="display:inline-block;{};'
            'background:{};margin-right:.3em"></span>{}</span>')
    return ("<div style='font-size:.85rem;line-height:1.8'>" + (f"{esc(caption)} " if caption else "") + "".join(
        item.format(esc(swatch), esc(colour), esc(name)) for name, colour in colours.items()) + "</div>")


def _given(value) -> bool:
    """A value that is there: not None, NaN or empty."""
    return value is not None and value == value and value != ""


def _count(row: dict, segment: str) -> int:
    return int(row[segment]) if _given(row.get(segment)) else 0


def _share(n: float, total: float) -> str:
    return f"{100 * n / total:.3f}%" if total else "0%"


def stacked_bars(rows: pd.DataFrame, segments: Sequence[str], colours: dict[str, str], title: str = "",
                 ticks: Sequence[float] = (0, 0.25, 0.5, 0.75, 1), compact: bool = False) -> str:
    """Horizontal 100% bars as HTML: per row its `label` above a bar of its `segments` (counts), in the given
    order (compact: the label beside the bar, one line a row, so that two charts fit a screen). A row's `href`
    (optional column) makes the row a link; its `title` (optional) is the tooltip of the row, otherwise each
    segment's tooltip names the label, segment and count. Axis ticks as percentages below."""
    kind = "pw-bars pw-compact" if compact else "pw-bars"
    parts = [f"<style>{BARS_CSS}</style><div class='{kind}' style='font-family:{esc(FONT)}'>"]
    if title:
        parts.append(f"<div class='pw-bars-title'>{esc(title)}</div>")
    for row in rows.to_dict("records"):
        total = sum(_count(row, s) for s in segments)
        bar = "".join(
            f"<span style='width:{_share(_count(row, s), total)};background:{esc(colours[s])}' "
            f"title='{esc(row['label'])}:{esc(s)} {_count(row, s)} 项'></span>"
            for s in segments if _count(row, s))
        inner = (f"<span class='pw-bar-label'>{esc(row['label'])}</span>"
                 f"<span class='pw-bar'>{bar}</span>")
        href = row.get("href")
        tip = f" title='{esc(row['title'])}'" if _given(row.get("title")) else ""
        if _given(href):
            parts.append(f"<a class='pw-bar-row' href='{esc(href)}' target='_self'{tip}>{inner}</a>")
        else:
            parts.append(f"<div class='pw-bar-row'{tip}>{inner}</div>")
    axis = "".join(f"<span style='left:{100 * t:g}%'>{100 * t:g}%</span>" for t in ticks)
    parts.append(f"<div class='pw-bar-axis'>{axis}</div></div>")
    return "".join(parts)


# the CSS of stacked_bars (sent with each chart: a few hundred bytes)
BARS_CSS = """
.pw-bars { margin: 0 0 0.75rem 0; }
.pw-bars-title { font-size: 1.05rem; font-weight: 600; margin-bottom: 0.25rem; }
.pw-bar-row { display: block; padding: 0.15rem 0.25rem; border-radius: 0.25rem; color: inherit !important;
              text-decoration: none !important; }
a.pw-bar-row:hover { background: rgba(49, 51, 63, 0.06); }
a.pw-bar-row:hover .pw-bar-label { text-decoration: underline; }
.pw-bar-label { display: block; font-size: 0.875rem; line-height: 1.3; }
.pw-bar { display: flex; height: 0.9rem; background: #f0f2f6; border-radius: 2px; overflow: hidden; }
.pw-bar > span { display: block; height: 100%; }
.pw-bar-axis { position: relative; height: 1.1rem; margin: 0 0.25rem; font-size: 0.75rem;
               color: rgba(49, 51, 63, 0.6); border-top: 1px solid rgba(49, 51, 63, 0.2); }
.pw-bar-axis > span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.pw-bar-axis > span:first-child { transform: none; }
.pw-bar-axis > span:last-child { transform: translateX(-100%); }
.pw-compact .pw-bar-row { display: grid; grid-template-columns: 46% 1fr; column-gap: 0.5rem; align-items: center;
                          padding: 0.1rem 0.25rem; }
.pw-compact .pw-bar-label { overflow-wrap: anywhere; }  /* a long name wraps: its rate is never cut off */
.pw-compact .pw-bar-axis { margin-left: calc(46% + 0.75rem); }
"""


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    return ticks


def fmt(value: float) -> str:
    """A tick or value label: at most 4 significant digits, never "-0"."""
    text = f"{value:.4g}"
    return "0" if text in ("-0", "-0.0") else text


class Plot:
    """A line chart with numeric axes (years across, values up), drawn layer by layer:

        plot = svg.Plot((2020, 2025), (28.5, 31), y_title="数值(%)")
        plot.band(29, 31, "#009E73")                          # a horizontal band (a tolerance)
        plot.hline(30, "#009E73", label="目标 ≥30%")          # a target line with its label
        plot.line([(2020, 29.6), (2024, 30.2)], "#0072B2", dash="")
        plot.points([(2024, 30.2)], "#0072B2", titles=["2024年:30.2%"], shape="circle")  # or diamond, triangle
        st.html(plot.render())

    st.html keeps no <svg> (Streamlit sanitizes it with DOMPurify's HTML profile), so the marks, grid and numeric
    tick labels are an SVG image (a data: URI; an image cannot use the page's web font, so it holds no Chinese),
    and the Chinese text (axis title, line labels) and the tooltips (title attributes on a hover target per point)
    are HTML laid over it in percentages of its size. It scales to the column's width (at most `width` pixels)."""

    def __init__(self, x_domain: tuple[float, float], y_domain: tuple[float, float], width: int = 760,
                 height: int = 320, y_title: str = "", font_size: int = 14):
        self.x0, self.x1 = x_domain if x_domain[1] > x_domain[0] else (x_domain[0] - 1, x_domain[0] + 1)
        self.y0, self.y1 = y_domain if y_domain[1] > y_domain[0] else (y_domain[0] - 1, y_domain[0] + 1)
        self.width, self.height, self.font, self.y_title = width, height, font_size, y_title
        self.left, self.right, self.top, self.bottom = 56, 20, 24, 32
        self.marks: list[str] = []     # SVG
        self.overlay: list[str] = []   # HTML over the image

    def x(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * (self.width - self.left - self.right)

    def y(self, value: float) -> float:
        return self.top + (self.y1 - value) / (self.y1 - self.y0) * (self.height - self.top - self.bottom)

    def _at(self, x: float, y: float) -> str:
        """CSS position of an SVG point over the image, in percentages (the image keeps its aspect ratio)."""
        return f"left:{100 * x / self.width:.2f}%;top:{100 * y / self.height:.2f}%"

    def band(self, lo: float, hi: float, colour: str, opacity: float = 0.15) -> None:
        top, bottom = self.y(min(max(hi, self.y0), self.y1)), self.y(min(max(lo, self.y0), self.y1))
        self.marks.append(f"<rect x='{self.left}' y='{top:.1f}' width='{self.width - self.left - self.right}' "
                          f"height='{max(bottom - top, 0):.1f}' fill='{esc(colour)}' fill-opacity='{opacity}'/>")

    def hline(self, value: float, colour: str, width: float = 3, label: str = "") -> None:
        y = self.y(value)
        self.marks.append(f"<line x1='{self.left}' x2='{self.width - self.right}' y1='{y:.1f}' y2='{y:.1f}' "
                          f"stroke='{esc(colour)}' stroke-width='{width}'/>")
        if label:
            self.overlay.append(f"<span class='pw-plot-label' style='right:{100 * self.right / self.width:.2f}%;"
                                f"top:{100 * y / self.height:.2f}%;color:{esc(colour)}'>{esc(label)}</span>")

    def line(self, points: Sequence[tuple[float, float]], colour: str, width: float = 3, dash: str = "") -> None:
        if len(points) < 2:
            return
        path = " ".join(f"{self.x(x):.1f},{self.y(y):.1f}" for x, y in points)
        dashed = f" stroke-dasharray='{esc(dash)}'" if dash else ""
        self.marks.append(f"<polyline points='{path}' fill='none' stroke='{esc(colour)}' stroke-width='{width}'"
                          f"{dashed}/>")

    def points(self, points: Sequence[tuple[float, float]], colour: str, titles: Sequence[str] = (),
               shape: str = "circle", size: float = 6) -> None:
        """Marks at the points; each title is the tooltip of its point (an HTML hover target over it)."""
        for i, (x, y) in enumerate(points):
            cx, cy = self.x(x), self.y(y)
            if shape == "diamond":
                d = size * 1.4
                self.marks.append(f"<polygon points='{cx:.1f},{cy - d:.1f} {cx + d:.1f},{cy:.1f} {cx:.1f},"
                                  f"{cy + d:.1f} {cx - d:.1f},{cy:.1f}' fill='{esc(colour)}'/>")
            elif shape == "triangle":
                d = size * 1.3
                self.marks.append(f"<polygon points='{cx:.1f},{cy - d:.1f} {cx + d:.1f},{cy + d * 0.8:.1f} "
                                  f"{cx - d:.1f},{cy + d * 0.8:.1f}' fill='{esc(colour)}'/>")
            else:
                self.marks.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{size}' fill='{esc(colour)}'/>")
            if i < len(titles) and titles[i]:
                self.overlay.append(f"<span class='pw-plot-tip' style='{self._at(cx, cy)}' "
                                    f"title='{esc(titles[i])}'></span>")

    def svg(self) -> str:
        """The marks, grid and tick labels as an SVG document (numbers only: no font needed beyond digits)."""
        grid, labels = [], []
        for t in nice_ticks(self.y0, self.y1):
            if self.y0 <= t <= self.y1:
                y = self.y(t)
                grid.append(f"<line x1='{self.left}' x2='{self.width - self.right}' y1='{y:.1f}' y2='{y:.1f}' "
                            "stroke='#e6e6e6'/>")
                labels.append(f"<text x='{self.left - 6}' y='{y + 4:.1f}' text-anchor='end'>{fmt(t)}</text>")
        step = max(1, math.ceil((self.x1 - self.x0) / 10))
        for year in range(math.ceil(self.x0), math.floor(self.x1) + 1, step):
            labels.append(f"<text x='{self.x(year):.1f}' y='{self.height - self.bottom + 20}' "
                          f"text-anchor='middle'>{year}</text>")
        axis = (f"<line x1='{self.left}' x2='{self.width - self.right}' y1='{self.height - self.bottom}' "
                f"y2='{self.height - self.bottom}' stroke='#888'/>")
        return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {self.width} {self.height}' "
                f"width='{self.width}' height='{self.height}' font-family='DejaVu Sans, Arial, sans-serif' "
                f"font-size='{self.font}' fill='#555'>" + "".join(grid) + axis + "".join(labels)
                + "".join(self.marks) + "</svg>")

    def render(self, alt: str = "") -> str:
        """The chart as HTML for st.html: the SVG image with the Chinese text and tooltips over it."""
        image = base64.b64encode(self.svg().encode("utf-8")).decode("ascii")
        return (f"<style>{PLOT_CSS}</style><div class='pw-plot' style='max-width:{self.width}px;font-family:"
                f"{esc(FONT)}'><div class='pw-plot-title'>{esc(self.y_title)}</div><div class='pw-plot-area'>"
                f"<img src='data:image/svg+xml;base64,{image}' alt='{esc(alt)}'>" + "".join(self.overlay)
                + "</div></div>")


PLOT_CSS = """
.pw-plot-title { font-size: 0.875rem; color: rgba(49, 51, 63, 0.7); }
.pw-plot-area { position: relative; }
.pw-plot-area img { display: block; width: 100%; height: auto; }
.pw-plot-label { position: absolute; transform: translateY(-120%); font-size: 0.95rem; font-weight: 600;
                 white-space: nowrap; background: rgba(255, 255, 255, 0.75); padding: 0 0.2rem; }
.pw-plot-tip { position: absolute; width: 18px; height: 18px; margin: -9px 0 0 -9px; border-radius: 50%;
               cursor: help; }
.pw-plot-tip:hover { outline: 2px solid rgba(49, 51, 63, 0.5); }
"""


def metrics(items: Sequence[tuple], widths: Sequence[float] | None = None) -> str:
    """A row of figures, each (label, figure) or (label, figure, what it counts), drawn as st.metric draws them but
    as HTML: a page whose figures are these fetches none of st.metric's JavaScript (seven files, about a tenth of a
    blank page's load, bench/element_cost.py). The explanation shows on hover over the ⓘ after the label and is read
    out by screen readers; `widths` are the columns' relative widths; on a phone the figures stay three to a row."""
    columns = f" style='grid-template-columns:{' '.join(f'{w:g}fr' for w in widths)}'" if widths else ""
    cells = "".join(
        f"<div class='pw-metric'><div class='pw-metric-label'><span>{esc(label)}</span>"
        + (f"<span class='pw-metric-help' title='{esc(note[0])}' aria-label='{esc(note[0])}'>ⓘ</span>"
           if note and note[0] else "")
        + f"</div><div class='pw-metric-value' style='{_fitted(value)}'>{esc(value)}</div></div>"
        for label, value, *note in items)
    return f"<style>{METRICS_CSS}</style><div class='pw-metrics'{columns}>{cells}</div>"


def _fitted(value: str) -> str:
    """A figure's font size: the usual size, or smaller when the figure would not fit its column on one line (27,804
    broke into "27,8" and "04"; 318 毫秒 into two lines): 95% of the column's width (cqi) over the text's width in em
    (a Chinese character 1, a digit or Latin letter about 0.55, a space 0.3)."""
    width = sum(1.0 if ord(ch) > 0x2E7F else 0.3 if ch == " " else 0.6 for ch in value) or 1
    return f"font-size:min(var(--pw-metric-size),{95 / width:.1f}cqi)"


METRICS_CSS = """
.pw-metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: 1rem; }
.pw-metric { min-width: 0; container-type: inline-size; }
.pw-metric-label { font-size: 0.875rem; color: rgb(49, 51, 63); }
.pw-metric-help { margin-left: 0.3rem; color: rgba(49, 51, 63, 0.6); cursor: help; }
.pw-metric-value { --pw-metric-size: 2.25rem; line-height: 1.5; white-space: nowrap; }
@media (max-width: 640px) {
  .pw-metrics { grid-template-columns: repeat(3, minmax(0, 1fr)) !important; gap: 0.75rem; }
  .pw-metric-value { --pw-metric-size: 1.5rem; }
  .pw-metric-label { font-size: 0.8rem; }
}
"""
