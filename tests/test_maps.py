"""The SVG map's labels (planwatch.maps.place_labels): they never overlap each other or another place's dot, stay
inside the map, and the most lagging places are labelled first."""
import random
import re

import pandas as pd
import pytest

from planwatch import maps


def boxes(points, texts, spots):
    """The label boxes (x0, y0, x1, y1) as place_labels reckons them, from its (x, y, anchor) answers."""
    height = maps.SVG_LABEL_SIZE + 4
    out = {}
    for i, spot in enumerate(spots):
        if spot is None:
            continue
        x, y, anchor = spot
        width = maps.text_width(texts[i])
        x0 = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        out[i] = (x0, y - height / 2, x0 + width, y + height / 2)
    return out


def test_one_place_is_labelled_beside_its_dot_facing_the_centre():
    # west of the centre: the label starts 13 units right of the dot's centre (dot radius 9 + 4), level with it
    [(x, y, anchor)] = maps.place_labels([(100.0, 200.0)], ["乐清市 63%"], [0], [True])
    assert (x, y, anchor) == (113.0, 200.0, "start")
    [(x, y, anchor)] = maps.place_labels([(400.0, 200.0)], ["乐清市 63%"], [0], [False])
    assert (x, y, anchor) == (387.0, 200.0, "end")
    # text widths: a Chinese character is the font size (17), a digit or % 0.6 of it
    assert maps.text_width("乐清市 63%") == pytest.approx(3 * 17 + 4 * 0.6 * 17)   # the space counts as a digit


def test_the_first_in_order_takes_the_spot_and_the_next_moves():
    points = [(200.0, 200.0), (200.0, 240.0)]   # one above the other, 40 units apart
    texts = ["甲县 50%", "乙县 60%"]
    first, second = maps.place_labels(points, texts, [1, 0], [True, True])
    assert second == (213.0, 240.0, "start")     # 乙县 is placed first: its level spot
    assert first is not None and first[1] != 240.0 or first[0] != 213.0
    placed = boxes(points, texts, [first, second])
    assert not maps._overlap(placed[0], placed[1])


def test_random_maps_never_overlap_and_stay_inside():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 40)
        points = [(rng.uniform(20, 440), rng.uniform(20, 380)) for _ in range(n)]
        texts = [f"{'某' * rng.randint(2, 8)}区 {rng.randint(0, 100)}%" for _ in range(n)]
        order = rng.sample(range(n), n)
        spots = maps.place_labels(points, texts, order, [x < maps.SVG_WIDTH / 2 for x, _ in points])
        placed = boxes(points, texts, spots)
        items = sorted(placed.items())
        for i, (a, box) in enumerate(items):
            assert 0 <= box[0] and box[2] <= maps.SVG_WIDTH and 0 <= box[1] and box[3] <= maps.SVG_HEIGHT
            assert not any(maps._overlap(box, other) for _, other in items[i + 1:])
            r = maps.SVG_DOT
            own = (points[a][0] - r, points[a][1] - r, points[a][0] + r, points[a][1] + r)
            for j, (x, y) in enumerate(points):   # no dot but its own, or one its own dot covers
                dot = (x - r, y - r, x + r, y + r)
                assert not maps._overlap(box, dot) or maps._overlap(dot, own), (a, j)
                # and nearer its own dot than any other, by a dot's radius
                assert maps._overlap(dot, own) or maps._distance(box, (x, y)) > maps._distance(box, points[a]) + r
        assert n > 1 or placed   # a place alone on the map always finds a spot


def test_region_svg_labels_the_lagging_places_first():
    # 30 places in a tight cluster: not all fit, and the lowest rate is labelled
    rng = random.Random(3)
    n = 30
    table = pd.DataFrame({"地区": [f"地区{i}" for i in range(n)], "地区代码": [f"9{i:05d}" for i in range(n)],
                          "达标率": [0.3 + i / 100 for i in range(n)], "已达标": [1] * n, "已评估": [2] * n,
                          "has_children": [False] * n,
                          "longitude": [120 + rng.uniform(0, 0.4) for _ in range(n)],
                          "latitude": [30 + rng.uniform(0, 0.4) for _ in range(n)]})
    svg = maps.region_svg(table, None, {c: "x" for c in table["地区代码"]})
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert 3 <= len(labels) < n
    assert "地区0 30%" in labels   # the lowest rate first (地区1 and 地区2 lie inside the cluster: no spot is theirs)
    assert svg.count("<circle ") == n     # every place keeps its dot and tooltip


def test_every_province_city_and_county_has_its_outline_once():
    """data/boundaries.geojson (scripts/boundaries.py): one feature a line, valid GeoJSON as a whole, every province
    and nearly every city and county of the region table outlined, each code once, the whole file a few MB."""
    import json

    from planwatch.extract.regions import all_units
    from planwatch.paths import DATA_DIR

    path = DATA_DIR / "boundaries.geojson"
    whole = json.loads(path.read_text(encoding="utf-8"))
    codes = [f["properties"]["region_code"] for f in whole["features"]]
    assert len(codes) == len(set(codes)) == len(maps._outline_lines())
    units = all_units()
    by_level = {level: {c for c, u in units.items() if u["level"] == level} for level in ("省", "市", "县")}
    assert by_level["省"] - {"710000", "810000", "820000"} <= set(codes)   # Taiwan, Hong Kong, Macao: no plans here
    assert len(by_level["市"] & set(codes)) > 0.95 * len(by_level["市"])
    assert len(by_level["县"] & set(codes)) > 0.9 * len(by_level["县"])
    assert path.stat().st_size < 6_000_000
    polygons = maps.outline("510000")   # 四川省, simplified for the national map: a few hundred points
    assert polygons == next(f["geometry"]["coordinates"] for f in whole["features"]
                            if f["properties"]["region_code"] == "510000")
    assert 50 < sum(len(ring) for polygon in polygons for ring in polygon) < 1000
    assert maps.outline("999999") is None


def test_a_region_beside_its_own_children_is_a_dot_not_its_outline():
    """成都市 with its districts: the (本级) row (its own plans, its own code) would cover them with its outline."""
    table = pd.DataFrame({"地区": ["成都市(本级)", "锦江区", "青羊区"], "地区代码": ["510100", "510104", "510105"],
                          "达标率": [0.5, 0.6, 0.7], "已达标": [1] * 3, "已评估": [2] * 3,
                          "has_children": [False] * 3, "longitude": [104.07, 104.08, 104.06],
                          "latitude": [30.67, 30.66, 30.68]})
    svg = maps.region_svg(table, "510100", {c: "x" for c in table["地区代码"]})
    shapes = dict(re.findall(r"data-region='(\d+)'><title>[^<]*</title><(path|circle) ", svg))
    assert shapes == {"510100": "circle", "510104": "path", "510105": "path"}
    assert svg.index("<circle ") > svg.rindex("<path ")   # the dot is drawn over its districts' outlines
    alone = maps.region_svg(table.iloc[:1], "510100", {"510100": "x"})   # a region shown alone: its outline
    assert "<path " in alone and "<circle " not in alone


def test_places_without_coordinates_never_put_nan_into_the_map():
    """cpca lists a few codes without a point (清江浦区 320812 has an outline; 999998 here has neither): the first
    takes its outline's middle, the second is left off the map (the bars still list it), and the other places keep
    their labels; a map of such places alone says so."""
    import json

    table = pd.DataFrame({"地区": ["无坐标", "清江浦区", "淮阴区", "洪泽区"],
                          "地区代码": ["999998", "320812", "320804", "320813"],
                          "达标率": [0.1, 0.2, 0.6, 0.7], "已达标": [1] * 4, "已评估": [2] * 4,
                          "has_children": [False] * 4, "longitude": [None, None, 119.03, 118.87],
                          "latitude": [None, None, 33.63, 33.29]})
    links = {c: "x" for c in table["地区代码"]}
    svg = maps.region_svg(table, "320800", links)
    assert not re.search(r"\bnan\b", svg, re.I) and "data-region='999998'" not in svg
    assert "data-region='320812'><title>清江浦区" in svg and len(re.findall(r"<text ", svg)) >= 2
    deck = json.loads(maps.region_map(table, "320800").to_json())
    assert "NaN" not in json.dumps(deck) and len([d for d in deck["layers"] if d["id"] == "dots"][0]["data"]) == 3
    alone = maps.region_svg(table.iloc[:1], None, links)
    assert "没有坐标和边界" in alone and not re.search(r"\bnan\b", alone, re.I)
    assert "NaN" not in maps.region_map(table.iloc[:1], None).to_json()


def test_a_rate_is_coloured_in_the_bin_its_label_reads():
    # 常州市 read "60%" and was coloured 40–60% beside 徐州市, also "60%", in 60–80%
    from planwatch import maps

    assert maps.ramp_colour(0.596) == maps.ramp_colour(0.6045) == maps.ramp_colour(0.6)
    assert maps.ramp_colour(0.594) == maps.ramp_colour(0.5)
