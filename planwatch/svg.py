"""Charts drawn on the server as HTML and SVG, for st.html: no chart library for the browser to fetch.

A Vega-Lite chart costs a new visitor about a quarter of a blank page's load time (bench/element_cost.py: the
browser fetches and runs Vega before it can draw); these helpers return one escaped HTML string that the page
passes to st.html. Every text from data is escaped here; tooltips are <title> (SVG) or title attributes (HTML).

    from planwatch import svg
    st.html(svg.stacked_bars(rows, segments=["已达标", "进展顺利", ...], colours=charts.STATUS_COLORS))

- `stacked_bars(rows, segments, colours)`: one horizontal bar per row of `rows` (columns `label`, optional `href`
  and `title`, and one count column per segment), in the frame's order, each bar the share of its segments
  (100% wide), the label above it; a row with an `href` is a link (the whole row). Fits any width (a phone too).
  It carries its own <style> (BARS_CSS), so it needs nothing else on the page.
- `legend(colours)`: the colour swatches, wrapping on a phone.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd

FONT = "WenQuanYi Micro Hei Web, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"


def esc(value) -> str:
    """Text or an attribute value, escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def legend(colours: dict[str, str]) -> str:
    """Colour swatches with their names (a Vega legend is cut off at 390 px; these wrap)."""
    swatch = ('<span style="white-space:nowrap;margin-right:.8em"><span style="display:inline-block;width:.9em;'
              'height:.9em;background:{};vertical-align:-.05em;margin-right:.3em"></span>{}</span>')
    return "<div style='font-size:.85rem;line-height:1.8'>" + "".join(
        swatch.format(esc(colour), esc(name)) for name, colour in colours.items()) + "</div>"


def _given(value) -> bool:
    """A value that is there: not None, NaN or empty."""
    return value is not None and value == value and value != ""


def _count(row: dict, segment: str) -> int:
    return int(row[segment]) if _given(row.get(segment)) else 0


def _share(n: float, total: float) -> str:
    return f"{100 * n / total:.3f}%" if total else "0%"


def stacked_bars(rows: pd.DataFrame, segments: Sequence[str], colours: dict[str, str], title: str = "",
                 ticks: Sequence[float] = (0, 0.25, 0.5, 0.75, 1)) -> str:
    """Horizontal 100% bars as HTML: per row its `label` above a bar of its `segments` (counts), in the given
    order. A row's `href` (optional column) makes the row a link; its `title` (optional) is the tooltip of the
    row, otherwise each segment's tooltip names the label, segment and count. Axis ticks as percentages below."""
    parts = [f"<style>{BARS_CSS}</style><div class='pw-bars' style='font-family:{esc(FONT)}'>"]
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
