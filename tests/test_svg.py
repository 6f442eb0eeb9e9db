"""planwatch.svg: server-drawn bars, line charts and table cells for st.html — escaped, in order, linked."""
from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from apptest import html_bars

from planwatch import charts, svg, ui


def _image(html_text: str) -> str:
    """The SVG document inside svg.Plot.render's data: URI."""
    return base64.b64decode(re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html_text)[1]).decode()


def test_stacked_bars_escape_text_keep_order_and_link_only_rows_with_an_href():
    rows = pd.DataFrame({"label": ["<b>甲</b> 10%(1/10)", "乙 & 丙 50%(2/4)", "其余 3 个地区 40%"],
                         "href": ["./warnings?year=2024&region=1", "./warnings?year=2024&region=2", None],
                         "已达标": [1, 2, 4], "进度滞后": [9, None, 6]})
    out = svg.stacked_bars(rows, ["已达标", "进度滞后"], {"已达标": "#009E73", "进度滞后": "#E69F00"}, "标题")
    assert "<b>" not in out and "&lt;b&gt;甲&lt;/b&gt;" in out and "乙 &amp; 丙" in out
    assert out.count("<a class='pw-bar-row'") == 2 and out.count("<div class='pw-bar-row'") == 1  # the rest: no link
    assert "href='./warnings?year=2024&amp;region=1'" in out
    assert out.index("甲") < out.index("乙") < out.index("其余")  # the frame's order
    assert "width:10.000%" in out and "width:90.000%" in out  # 1 of 10 met, 9 lagging
    assert "width:100.000%" in out and "nan" not in out  # a missing count is no segment, not "nan"


def test_plot_fits_the_axis_to_the_data_and_puts_chinese_text_outside_the_image():
    plot = svg.Plot((2020, 2025), (29.4, 30.6), y_title="数值(%)")
    plot.hline(30, "#009E73", label="目标 ≥30<%>")
    plot.line([(2020, 29.6), (2024, 30.2)], charts.LOCAL)
    plot.points([(2020, 29.6), (2024, 30.2)], charts.LOCAL, titles=["2020年:29.6%", "2024年:30.2%"])
    out = plot.render(alt="测试")
    image = _image(out)
    ticks = [float(t) for t in re.findall(r"text-anchor='end'>([-\d.]+)<", image)]
    assert min(ticks) >= 29.4 and max(ticks) <= 30.6 and 30 in ticks  # fitted, not from 0
    assert not re.search(r"[\u4e00-\u9fff]", image)  # an image cannot use the web font: no Chinese inside
    assert "目标 ≥30&lt;%&gt;" in out and "title='2024年:30.2%'" in out  # label and tooltip over the image
    assert image.count("<circle") == 2 and "<polyline" in image


def test_nice_ticks_and_numbers():
    assert svg.nice_ticks(29.6, 30.4) == [29.6, 29.8, 30.0, 30.2, 30.4]
    assert svg.nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert svg.fmt(-0.0) == "0" and svg.fmt(12.3456) == "12.35"


def test_links_and_chips_in_html_tables():
    frame = pd.DataFrame({"级别": [svg.chip("红", "#D55E00")], "详情": [svg.link("./indicator?id=a&year=2022", "查看 →")],
                          "来源网址": [svg.link("https://example.org/?a=<x>", "打开")], "原因": ["<img src=x>"]})
    out = ui.table_html(frame)
    assert "<span class='pw-chip' style='background:#D55E00'>红</span>" in out
    assert "<a href='./indicator?id=a&amp;year=2022'>查看 →</a>" in out  # the app's own link: same tab
    assert "target='_blank'" in out and "&lt;x&gt;" in out  # another site: a new tab, escaped
    assert "<img" not in out and "&lt;img src=x&gt;" in out


@pytest.mark.parametrize("group", [None, "儿童"])
def test_attainment_bars_link_each_bar_to_its_warnings(group):
    bars = pd.DataFrame({"cut": ["plan"] * 3, "category": ["a"] * 2 + ["其余"], "region": ["甲县", "甲县", None],
                         "plan_group": ["妇女", "妇女", None], "status": ["已达标", "进度滞后", "已达标"],
                         "n": [1, 3, 5], "rate": [0.25, 0.25, 1.0], "rank": [1, 1, 2],
                         "label": ["甲县 妇女 25%(1/4)"] * 2 + ["其余 2 个规划 100%"],
                         "region_code": ["330326", "330326", None]})
    f = ui.Filters(year=2022, group=group, domain="健康")
    out = charts.attainment_bars_html(bars, "各规划达标率", lambda code, g: ui.page_url("warnings", f, region=code,
                                                                                  group=g or f.group))

    [[first, rest]] = html_bars(out)
    assert first["label"] == "甲县 妇女 25%(1/4)" and rest["href"] is None
    assert parse_qs(urlparse(first["href"]).query) == {"year": ["2022"], "group": ["妇女"], "region": ["330326"],
                                                        "domain": ["健康"]}
    assert sorted(first["segments"]) == ["甲县 妇女 25%(1/4):已达标 1 项", "甲县 妇女 25%(1/4):进度滞后 3 项"]


def test_html_drawings_name_the_theme_font_with_the_web_font_last():
    import tomllib

    from planwatch.paths import ROOT

    theme = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))["theme"]
    assert svg.FONT == theme["font"]
    families = [f.strip() for f in svg.FONT.split(",")]
    assert families[0] == "Source Sans" and families[-2:] == ["WenQuanYi Micro Hei Web", "sans-serif"]
    assert {face["family"] for face in theme["fontFaces"]} == {"WenQuanYi Micro Hei Web"}


def test_metrics_escape_every_text_keep_order_and_explain_on_hover():
    html_text = svg.metrics([("达标率", "35%", "已达标 ÷ 已评估"), ("<b>红色</b>预警", "9'6"), ("空", "")],
                            widths=[1, 1.5, 1])
    labels = re.findall(r"<div class='pw-metric-label'><span>(.*?)</span>", html_text)
    assert labels == ["达标率", "&lt;b&gt;红色&lt;/b&gt;预警", "空"]  # in order, escaped
    assert re.findall(r"<div class='pw-metric-value'[^>]*>(.*?)</div>", html_text) == ["35%", "9&#x27;6", ""]
    assert html_text.count("ⓘ") == 1 and "title='已达标 ÷ 已评估'" in html_text  # only where there is a note
    assert "grid-template-columns:1fr 1.5fr 1fr" in html_text and "<b>" not in html_text


def test_counts_in_wan_from_ten_thousand():
    from planwatch import ui

    assert [ui.count(n) for n in (0, 86, 9_999, 10_000, 86_952, 99_400, 99_950, 224_310, 1_234_567)] == [
        "0", "86", "9,999", "1万", "8.7万", "9.9万", "10万", "22万", "123万"]


def test_a_region_name_several_regions_bear_is_named_with_their_cities():
    import pandas as pd

    from planwatch import ui

    tree = pd.DataFrame({"name": ["江苏省", "南京市", "鼓楼区", "福建省", "福州市", "鼓楼区", "平阳县"],
                         "parent_code": [None, "320000", "320100", None, "350000", "350100", None]},
                        index=["320000", "320100", "320106", "350000", "350100", "350102", "330326"])
    assert ui._ambiguous_region("鼓楼区", tree) == "对应 2 个地区(南京市鼓楼区(320106)、福州市鼓楼区(350102)),请用地区代码"
    assert ui._ambiguous_region("平阳县", tree) is None and ui.resolve_region("平阳县", tree) == "330326"
    assert ui.resolve_region("鼓楼区", tree) is None


@pytest.mark.parametrize("better, band", [(0, (83.3, 86.7)), (1, (83.3, 95.0)), (-1, (60.0, 86.7))])
def test_the_band_of_a_left_right_target_shows_every_value_that_meets_it(better, band):
    # 85左右 with 2%: 83.3–86.7; where more is better, everything from 83.3 up meets it (0.89 meets 0.85人左右)
    ind = {"better": better}  # (indicator_detail's: keep, higher, lower)
    assert tuple(round(v, 1) for v in charts.met_band(ind, 85.0, 0.02, (60.0, 95.0))) == band
