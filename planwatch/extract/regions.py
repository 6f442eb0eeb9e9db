"""Every county- and city-level unit of China with its adcode, from the adcode table that the cpca package ships
(cpca, MIT licence: resources/adcodes.csv, 12-digit codes with names and coordinates). Nothing is typed by hand;
the package is only read as data (its matcher is not imported)."""
from __future__ import annotations

import csv
import importlib.util
import io
from functools import lru_cache
from pathlib import Path


def _adcode_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("缺少 cpca 包(地区代码表),请运行 pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}   # grouping rows, not units


def _level(code: str, name: str) -> str:
    if code[2:] == "0000":
        return "省"
    if code[4:] == "00":
        return "市"
    if name.endswith("区"):
        return "区"
    return "县级市" if name.endswith("市") else "县"


@lru_cache(maxsize=1)
def all_units() -> dict[str, dict]:
    """adcode (6 digits) → {region_code, name, level, parent_code, province, longitude, latitude} for every unit."""
    text = _adcode_file().read_text(encoding="utf-8")
    units = {}
    for r in csv.DictReader(io.StringIO(text)):
        code = r["adcode"][:6]
        if r["name"] in PLACEHOLDERS:
            continue
        units[code] = {"region_code": code, "name": r["name"], "level": _level(code, r["name"]),
                       "longitude": r["longitude"], "latitude": r["latitude"]}
    for code, u in units.items():
        province = units.get(code[:2] + "0000", {}).get("name", "")
        city = code[:4] + "00"
        u["province"] = province
        u["parent_code"] = "" if u["level"] == "省" else (city if u["level"] not in ("市",) and city in units
                                                          else code[:2] + "0000")
    return units


def choices() -> list[tuple[str, str]]:
    """(label, adcode) for every county- and city-level unit, e.g. ('浙江省 温州市 平阳县(330326)', '330326')."""
    units = all_units()
    out = []
    for code, u in sorted(units.items()):
        if u["level"] == "省":
            continue
        city = units.get(u["parent_code"], {}) if u["level"] != "市" else {}
        parts = [u["province"], city.get("name", "") if city.get("level") == "市" else "", u["name"]]
        out.append((" ".join(p for p in parts if p) + f"({code})", code))
    return out


def chain(code: str) -> list[dict]:
    """The unit and its parents up to the province, province first (rows for data/regions.csv)."""
    units = all_units()
    if code not in units:
        raise KeyError(code)
    out, current = [], units[code]
    while current:
        out.insert(0, current)
        current = units.get(current["parent_code"]) if current["parent_code"] else None
    return out
