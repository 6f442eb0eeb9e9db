"""Read and check the curated plan catalogue in data/ (see docs/catalogue.md).

Every problem is reported with its file, 1-based row and column so that a curator can fix it; the build
refuses to run while any problem remains, so a bad row never reaches the database.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from planwatch.paths import DATA_DIR, seeds_dir

INDICATOR_COLUMNS = [
    "indicator_id", "is_key", "domain_raw", "domain", "name", "unit", "direction",
    "baseline_year", "baseline_value", "baseline_line", "baseline_quote",
    "target_op", "target_value", "target_text", "target_year", "target_line", "target_quote",
    "name_line", "canonical_id", "note",
]
UNIT_COLUMNS = ["indicator_id", "unit_as_written", "position", "role", "line", "quote"]
ASSIGNMENT_COLUMNS = ["indicator_id", "unit_name", "role", "decided_by", "note"]
DIRECTIONS = {"higher", "lower", "keep", "qualitative"}
NUMERIC_OPS = {">=", "<=", ">", "<", "=", "~"}
TARGET_OPS = NUMERIC_OPS | {"maintain", "qualitative"}
MAX_FIGURE = 1e12  # no plan prints a larger figure: a 400-digit one became ∞ ("≥inf人")
MIN_FIGURE = 0.005  # nor a smaller one but 0: pages print two decimals (pw_num)
# A 保持 target whose words ask for a change (持续提升, 持续下降; not 不下降): the method judges it as improve
# (pw_improves in queries/views/00_macros.sql holds the same words), and its direction must be the change's.
RISE_WORDS, FALL_WORDS = ("提升", "提高", "增加", "增长", "上升", "有升"), ("下降", "降低", "减少")
NEGATED = re.compile("不(?:" + "|".join(RISE_WORDS + FALL_WORDS) + ")")
ROLES = {"牵头", "配合", "未区分"}
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")  # ASCII digits only (\d would take ٩٥ or １２)
IMPORTED_PREFIX = "plans/"  # source_file of a plan published by 规划导入: its stored document under data/
RATIO = re.compile(r"^([0-9]+(?:\.[0-9]+)?):([0-9]+(?:\.[0-9]+)?)$")  # a printed ratio target such as 3:2 (女:男厕位)


def change_asked(text: str) -> str | None:
    """higher or lower when a 保持 target's words ask for a rise or a fall, else None."""
    text = NEGATED.sub("", text or "")
    if any(w in text for w in FALL_WORDS):
        return "lower"
    return "higher" if any(w in text for w in RISE_WORDS) else None


class CatalogueError(Exception):
    """The catalogue has problems; str() lists every one of them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("数据目录有误,构建已停止,原数据库未改动:\n" + "\n".join(problems))


@dataclass
class Catalogue:
    tables: dict[str, list[dict]] = field(default_factory=dict)


def read_csv(path: Path) -> list[dict]:
    """The rows of a catalogue file; a row with more fields than its header is refused (CatalogueError): text with
    an ASCII comma must be quoted, or csv would drop what follows it (data/thresholds.csv lost half its sentences)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    extra = [n for n, row in enumerate(rows, start=2) if None in row]
    if extra:
        raise CatalogueError([f"{path.name} 第{extra[0]}行:字段比表头多(含英文逗号的文字请加英文双引号)"])
    return rows


class _Checker:
    """Collects problems as '<file> 第N行 <column>: <problem>' (N counts the header as row 1)."""

    def __init__(self, seeds: Path | None, data_dir: Path = DATA_DIR):
        self.problems: list[str] = []
        self.seed_lines: dict[str, list[str]] = {}
        self.seeds = seeds if seeds and seeds.is_dir() else None
        self.data_dir = data_dir

    def fail(self, path: Path, row_no: int | None, column: str | None, message: str) -> None:
        where = path.relative_to(DATA_DIR.parent) if path.is_relative_to(DATA_DIR.parent) else path
        loc = f"{where}" + (f" 第{row_no}行" if row_no else "") + (f" {column}列" if column else "")
        self.problems.append(f"{loc}: {message}")

    def columns(self, path: Path, rows: list[dict], expected: list[str]) -> bool:
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        missing = [c for c in expected if c not in header]
        if missing:
            self.fail(path, 1, None, f"缺少列 {', '.join(missing)}")
        return not missing

    def line_text(self, source_file: str, line: int) -> str | None:
        """The line of the plan's document: a seed (when present) or, for an imported plan, the document stored
        with it under data/plans/<plan_id>/ (always present, so imported quotes are always checked)."""
        imported = source_file.startswith(IMPORTED_PREFIX)
        if self.seeds is None and not imported:
            return None
        if source_file not in self.seed_lines:
            p = (self.data_dir if imported else self.seeds) / source_file
            self.seed_lines[source_file] = p.read_text(encoding="utf-8").split("\n") if p.exists() else []
        lines = self.seed_lines[source_file]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def quote(self, path, row_no, column, source_file, line_value, quote, figure=None):
        """A quote must sit on its stated line and, when a figure is given, contain it."""
        if not quote:
            self.fail(path, row_no, column, "缺少原文引用")
            return
        if not NUMBER.match(str(line_value or "")) or int(line_value) < 1:
            self.fail(path, row_no, column, f"行号“{line_value}”不是正整数")
            return
        if figure and not _quote_has(quote, figure):
            self.fail(path, row_no, column, f"引用“{quote}”中没有数值 {figure}")
        text = self.line_text(source_file, int(line_value))
        if text is not None and quote not in text:
            self.fail(path, row_no, column, f"引用“{quote}”不在 {source_file} 第{line_value}行")


def _quote_has(quote: str, figure: str) -> bool:
    """The figure is printed in the quote: as written, in Chinese numerals (一所 for 1, 一半 for 50) or as 一X一Y."""
    if figure in quote:
        return True
    from planwatch.extract.numbers import figures
    from planwatch.extract.targets import ONE_PER_UNIT

    if figure == "1" and ONE_PER_UNIT.search(quote):
        return True   # 一区镇(街道)一普惠: one in every unit
    try:
        wanted = _float(figure)
    except ValueError:
        return False
    return any(not RATIO.match(f.value) and abs(float(f.value) - wanted) < 1e-9 for f in figures(quote) if f.chinese)


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _usable(value: str) -> bool:
    """A printed figure the method can compute with: below MAX_FIGURE, a ratio's second term not 0."""
    try:
        return abs(_float(value)) < MAX_FIGURE
    except ZeroDivisionError:
        return False


def _float(value: str | None) -> float | None:
    """A printed figure as a number; a ratio a:b becomes a/b (the printed form stays in target_text)."""
    if value in (None, ""):
        return None
    ratio = RATIO.match(value)
    return float(ratio[1]) / float(ratio[2]) if ratio else float(value)


def _check_indicator(chk: _Checker, path: Path, row_no: int, r: dict, plan: dict, domains, canon) -> None:
    fail = lambda col, msg: chk.fail(path, row_no, col, msg)  # noqa: E731
    iid = r["indicator_id"]
    if not re.fullmatch(re.escape(plan["plan_id"]) + r"-[kt]\d{2,3}[a-z]?", iid):
        fail("indicator_id", f"编号“{iid}”应为 {plan['plan_id']}-kNN 或 -tNN")
    if r["is_key"] not in ("0", "1"):
        fail("is_key", f"应为 0 或 1,实为“{r['is_key']}”")
    if r["domain"] not in domains:
        fail("domain", f"未知领域“{r['domain']}”(可用:{'、'.join(domains)})")
    if not r["name"]:
        fail("name", "指标名称为空")
    if r["direction"] not in DIRECTIONS:
        fail("direction", f"未知方向“{r['direction']}”")
    if r["canonical_id"] and r["canonical_id"] not in canon:
        fail("canonical_id", f"未知通用指标“{r['canonical_id']}”")
    elif r["canonical_id"]:
        c = canon[r["canonical_id"]]
        if (r["unit"], r["direction"]) != (c["unit"], c["direction"]):
            fail("canonical_id", f"与通用指标“{c['canonical_id']}”的单位或方向不一致(本行 {r['unit'] or '无'}/"
                                 f"{r['direction']},通用指标 {c['unit'] or '无'}/{c['direction']})")
    op, tv = r["target_op"], r["target_value"]
    if op not in TARGET_OPS:
        fail("target_op", f"未知目标类型“{op}”")
    elif op in NUMERIC_OPS and not (NUMBER.match(tv) or RATIO.match(tv)):
        fail("target_value", f"目标类型 {op} 需要数值目标,实为“{tv}”")
    elif op not in NUMERIC_OPS and tv:
        fail("target_value", f"目标类型 {op} 不应有数值目标“{tv}”")
    elif op in NUMERIC_OPS and not _usable(tv):
        fail("target_value", f"目标值“{tv[:30]}”过大或无效(应小于 {MAX_FIGURE:,.0f},比例的后项不为0)")
    elif op in NUMERIC_OPS and 0 < abs(_float(tv)) < MIN_FIGURE:
        # every page prints two decimals: 0.00001毫克/升 would read "≤0", and its values 0
        fail("target_value", f"目标值“{tv}”小于 0.005,页面按两位小数显示为0;请改用更小的单位(如微克/升)后重新填写")
    asked = change_asked(r["target_text"]) if op == "maintain" else None
    if asked and r["direction"] != asked:
        fail("direction", f"目标“{r['target_text']}”要求{'下降' if asked == 'lower' else '上升'},方向应为 {asked},"
                          f"实为 {r['direction']}")
    if (op == "qualitative") != (r["direction"] == "qualitative"):
        fail("direction", "定性目标与方向 qualitative 必须同时出现")
    ty = r["target_year"]
    if not NUMBER.match(ty) or not int(plan["period_start"]) <= int(ty) <= int(plan["period_end"]):
        fail("target_year", f"目标年“{ty}”不在规划期 {plan['period_start']}–{plan['period_end']} 内")
    chk.quote(path, row_no, "target_quote", plan["source_file"], r["target_line"], r["target_quote"], tv or None)
    if not NUMBER.match(r["name_line"] or ""):
        fail("name_line", f"行号“{r['name_line']}”不是正整数")
    by, bv = r["baseline_year"], r["baseline_value"]
    if by or bv:
        if not (NUMBER.match(by or "") and NUMBER.match(bv or "")):
            fail("baseline_value", f"基线年份与基线值须同时为数字(“{by}”,“{bv}”)")
        else:
            chk.quote(path, row_no, "baseline_quote", plan["source_file"], r["baseline_line"], r["baseline_quote"], bv)


def load(data_dir: Path = DATA_DIR, seeds: Path | None = None) -> Catalogue:
    """Read every catalogue file, check it, and return rows ready for the database (or raise CatalogueError)."""
    chk = _Checker(seeds if seeds is not None else seeds_dir(), data_dir)
    cat = Catalogue()

    def table(name: str) -> list[dict]:
        return read_csv(data_dir / name)

    regions = _regions(chk, data_dir / "regions.csv", table("regions.csv"))
    domains = [d["domain"] for d in table("domains.csv")]
    canon = {c["canonical_id"]: c for c in table("canonical_indicators.csv")}
    plans = table("plans.csv")
    aliases = table("unit_aliases.csv")
    region_codes = {r["region_code"] for r in regions}
    alias_map = {(a["region_code"], a["alias"]): a["name"] for a in aliases}

    indicators, units, links = [], {}, []
    seen: dict[str, str] = {}
    for plan_no, plan in enumerate(plans, start=2):
        if plan["region_code"] not in region_codes:
            chk.fail(data_dir / "plans.csv", plan_no, "region_code", f"未知地区代码“{plan['region_code']}”")
        chk.quote(data_dir / "plans.csv", plan_no, "title_quote", plan["source_file"], plan["title_line"],
                  plan["title_quote"])
        folder = data_dir / "plans" / plan["plan_id"]
        ind_path, unit_path = folder / "indicators.csv", folder / "units.csv"
        if not ind_path.exists():
            chk.fail(ind_path, None, None, "文件不存在")
            continue
        rows = table(f"plans/{plan['plan_id']}/indicators.csv")
        if not chk.columns(ind_path, rows, INDICATOR_COLUMNS):
            continue
        for row_no, r in enumerate(rows, start=2):
            iid = r["indicator_id"]
            if iid in seen:
                chk.fail(ind_path, row_no, "indicator_id", f"编号“{iid}”重复(已见于 {seen[iid]})")
            seen[iid] = f"{ind_path.name} 第{row_no}行"
            _check_indicator(chk, ind_path, row_no, r, plan, domains, canon)
            indicators.append(r | {"plan_id": plan["plan_id"]})
        plan_ids = {r["indicator_id"] for r in rows}
        unit_rows = table(f"plans/{plan['plan_id']}/units.csv") if unit_path.exists() else []
        if unit_path.exists() and not chk.columns(unit_path, unit_rows, UNIT_COLUMNS):
            continue
        for row_no, u in enumerate(unit_rows, start=2):
            if u["indicator_id"] and u["indicator_id"] not in plan_ids:
                chk.fail(unit_path, row_no, "indicator_id", f"本规划无指标“{u['indicator_id']}”")
            if u["role"] not in ROLES:
                chk.fail(unit_path, row_no, "role", f"未知角色“{u['role']}”")
            if not NUMBER.match(u["position"] or ""):
                chk.fail(unit_path, row_no, "position", f"位次“{u['position']}”不是整数")
            chk.quote(unit_path, row_no, "quote", plan["source_file"], u["line"], u["quote"])
            if u["unit_as_written"] not in u["quote"]:
                chk.fail(unit_path, row_no, "quote", f"引用中没有单位名“{u['unit_as_written']}”")
            name = alias_map.get((plan["region_code"], u["unit_as_written"]), u["unit_as_written"])
            unit_id = f"{plan['region_code']}:{name}"
            units[unit_id] = {"unit_id": unit_id, "region_code": plan["region_code"], "name": name}
            links.append({"indicator_id": u["indicator_id"] or None, "plan_id": plan["plan_id"], "unit_id": unit_id,
                          "unit_as_written": u["unit_as_written"], "position": u["position"], "role": u["role"],
                          "provenance": "规划列明", "line": u["line"], "quote": u["quote"]})

    _assignments(chk, data_dir / "unit_assignments.csv", table("unit_assignments.csv"),
                 {r["indicator_id"]: r["plan_id"] for r in indicators}, {p["plan_id"]: p for p in plans},
                 alias_map, units, links)
    if chk.problems:
        raise CatalogueError(chk.problems)
    cat.tables = {
        "region": regions,
        "domain": table("domains.csv"),
        "canonical_indicator": list(canon.values()),
        "plan": plans,
        "indicator": [_typed_indicator(r) for r in indicators],
        "unit": sorted(units.values(), key=lambda u: u["unit_id"]),
        "unit_alias": aliases,
        "indicator_unit": links,
        "reference_value": table("reference/public_values.csv"),
        "reference_link": table("reference/links.csv"),
        "method_threshold": table("thresholds.csv"),
    }
    return cat


REGION_COLUMNS = ["region_code", "name", "level", "parent_code", "province", "longitude", "latitude", "is_seed"]
LEVEL_RANKS = {"省": 1, "市": 2, "县": 3, "区": 3, "县级市": 3}


def _regions(chk: _Checker, path: Path, overrides: list[dict]) -> list[dict]:
    """Every province, city and county-level unit of China (cpca's adcode table, planwatch.extract.regions), with
    data/regions.csv on top: its non-empty fields override cpca's (seed flags, curated coordinates), and a code cpca
    lacks is added. Each row also gets its level rank (1 省, 2 市, 3 县级) and its province's and city's codes, so a
    query can match a region with all its descendants without recursion."""
    from planwatch.extract.regions import all_units

    units = {code: {**u, "is_seed": False} for code, u in all_units().items()}
    if overrides and not chk.columns(path, overrides, REGION_COLUMNS):
        return []
    for row_no, r in enumerate(overrides, start=2):
        if not re.fullmatch(r"\d{6}", r["region_code"]):
            chk.fail(path, row_no, "region_code", f"地区代码“{r['region_code']}”应为6位数字")
            continue
        if r["level"] and r["level"] not in LEVEL_RANKS:
            chk.fail(path, row_no, "level", f"未知层级“{r['level']}”(可用:{'、'.join(LEVEL_RANKS)})")
        for col in ("longitude", "latitude"):
            if r[col] and not NUMBER.match(r[col]):
                chk.fail(path, row_no, col, f"坐标“{r[col]}”不是数字")
        base = units.setdefault(r["region_code"], {c: "" for c in REGION_COLUMNS})
        base.update({k: v for k, v in r.items() if k in REGION_COLUMNS and v not in ("", None)})
        base["is_seed"] = r["is_seed"] == "1"
    rows = []
    for code, u in sorted(units.items()):
        if u["parent_code"] and u["parent_code"] not in units:
            chk.fail(path, None, "parent_code", f"地区“{u['name']}”({code})的上级代码“{u['parent_code']}”不存在")
            continue
        chain = [u]
        while chain[-1]["parent_code"] and len(chain) < 4:
            chain.append(units[chain[-1]["parent_code"]])
        by_rank = {LEVEL_RANKS.get(c["level"]): c["region_code"] for c in chain}
        rows.append({**u, "parent_code": u["parent_code"] or None, "province": u["province"] or None,
                     "longitude": _float(u["longitude"] or None), "latitude": _float(u["latitude"] or None),
                     "level_rank": LEVEL_RANKS.get(u["level"]), "province_code": by_rank.get(1),
                     "city_code": by_rank.get(2)})
    return rows


def _assignments(chk, path, rows, plan_of, plans, alias_map, units, links) -> None:
    """Units the committee assigns to indicators whose plan names none (provenance 工委指定, no plan quote)."""
    if rows and not chk.columns(path, rows, ASSIGNMENT_COLUMNS):
        return
    for row_no, a in enumerate(rows, start=2):
        if a["indicator_id"] not in plan_of:
            chk.fail(path, row_no, "indicator_id", f"未知指标编号“{a['indicator_id']}”")
            continue
        if a["role"] not in ROLES:
            chk.fail(path, row_no, "role", f"未知角色“{a['role']}”")
        if not a["unit_name"] or not a["decided_by"]:
            chk.fail(path, row_no, "decided_by", "须写明单位名称和指定依据(会议或文件)")
        plan = plans[plan_of[a["indicator_id"]]]
        name = alias_map.get((plan["region_code"], a["unit_name"]), a["unit_name"])
        unit_id = f"{plan['region_code']}:{name}"
        units[unit_id] = {"unit_id": unit_id, "region_code": plan["region_code"], "name": name}
        links.append({"indicator_id": a["indicator_id"], "plan_id": plan["plan_id"], "unit_id": unit_id,
                      "unit_as_written": a["unit_name"], "position": 1, "role": a["role"], "provenance": "工委指定",
                      "line": None, "quote": a["decided_by"]})


def _typed_indicator(r: dict) -> dict:
    typed = dict(r)
    typed["is_key"] = r["is_key"] == "1"
    for col in ("baseline_year", "baseline_line", "target_year", "target_line", "name_line"):
        typed[col] = _int(r[col])
    for col in ("baseline_value", "target_value"):
        typed[col] = _float(r[col])
    for col in ("canonical_id", "note", "unit", "baseline_quote"):
        typed[col] = r[col] or None
    return typed
