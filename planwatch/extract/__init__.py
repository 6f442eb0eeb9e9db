"""Draft catalogue rows from a published plan document (规划导入): key-table rows and quantitative text targets.

`extract_lines(lines)` returns candidate rows in document order with the columns of COLUMNS; every row carries
its 1-based line and a verbatim quote from that line, so a reviewer (and the catalogue check) can verify it.
"""
from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from pathlib import Path

from planwatch.catalogue import change_asked
from planwatch.extract.reading import ReadError, read_lines, read_path
from planwatch.extract.suggest import Suggester
from planwatch.extract.table import find_tables
from planwatch.extract.targets import find_targets

COLUMNS = [
    "is_key", "key_no", "domain_raw", "domain", "name", "unit", "direction",
    "baseline_year", "baseline_value", "baseline_line", "baseline_quote",
    "target_op", "target_value", "target_text", "target_year", "source_line", "quote", "name_line",
    "responsible_units", "canonical_id", "canonical_name", "canonical_score", "confidence", "note",
]
# A review of the previous period (十三五) prints 2020 values: baselines, not targets.
REVIEW = re.compile(r"^\s*(?:\d+[.、.])?\s*[“\"]?十三五[”\"]?(?:时期|期间|以来)|统计监测显示")
BASELINE_MIN_SIMILARITY = 0.75
HEADING = re.compile(r"^\s*(?:[((][一二三四五六七八九十]+[))]|[一二三四五六七八九十]+、)\s*(?P<title>[^。,,]{2,24}?)[。.]?\s*$")
# The plan's heading words → the catalogue's canonical domain (data/domains.csv), most specific first.
DOMAIN_WORDS = [
    ("社会保障", "社会保障"), ("决策", "决策管理"), ("参与", "社会参与"), ("健康", "健康"), ("教育", "教育"),
    ("经济", "经济"), ("福利", "福利"), ("家庭", "家庭"), ("安全", "安全"), ("法律", "法律"), ("法治", "法律"),
    ("环境", "环境"), ("社会", "环境"),
]
# Words of a sentence that suggest its domain when the heading names none (重点实事项目, 总体目标): most frequent wins.
TOPIC_WORDS = {
    "健康": ("健康", "保健", "医院", "医疗", "卫生", "病床", "疾病", "筛查", "死亡率", "营养", "体质", "心理"),
    "教育": ("教育", "学校", "幼儿园", "学位", "教师", "入学", "入园", "课程", "研学"),
    "家庭": ("家庭", "家长", "家风", "托育", "婴幼儿照护", "亲子"),
    "福利": ("儿童之家", "困境儿童", "救助", "福利", "康复", "孤儿"),
    "安全": ("安全", "伤害", "溺水", "交通", "食品", "校园安全"),
    "社会保障": ("保险", "养老", "低保", "社会保障"),
    "经济": ("就业", "创业", "收入", "经济"),
    "决策管理": ("干部", "领导班子", "代表", "委员", "决策"),
    "法律": ("法律", "法治", "司法", "维权", "侵害"),
    "环境": ("环境", "生态", "文化", "媒体", "公园", "设施"),
}
DIRECTIONS = {">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "~": "keep", "=": "higher",
              "maintain": "higher", "qualitative": "qualitative"}
BOUNDS = (">=", ">", "<=", "<")  # targets that say themselves which way is better
__all__ = ["COLUMNS", "ReadError", "extract_file", "extract_lines", "read_lines", "write_csv"]


def domain_of(domain_raw: str) -> str:
    return next((d for word, d in DOMAIN_WORDS if word in domain_raw), "")


def topic_of(text: str) -> str:
    counts = {d: sum(text.count(w) for w in words) for d, words in TOPIC_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else ""


def plan_titles(lines: list[str]) -> list[tuple[int, int]]:
    """(line, target year) for each plan title: a short line naming a plan and its period (十四五 → 2025)."""
    marks = []
    for no, line in enumerate(lines, start=1):
        text = line.strip()
        if len(text) > 60 or "规划" not in text or text.startswith(("《", ">", "关于")) or "通知" in text:
            continue
        years = [int(y) for y in re.findall(r"20\d\d", text)]
        if years and max(years) >= 2025:
            marks.append((no, max(years)))
        elif "十四五" in text:
            marks.append((no, 2025))
    return marks


def plan_sections(lines: list[str]) -> list[dict]:
    """The plans a document holds, one per distinct title: {title, first, last, group, target_year} (1-based lines)."""
    marks = [(no, y) for no, y in plan_titles(lines)
             if not re.search(r"主要指标|目标表|指标表|印发|。", lines[no - 1])]
    out: list[dict] = []
    for no, year in marks:
        title = lines[no - 1].strip()
        if out and out[-1]["title"] == title:
            continue
        if out:
            out[-1]["last"] = no - 1
        group = "儿童" if "儿童" in title and "妇女" not in title else "妇女"
        out.append({"title": title, "first": no, "last": len(lines), "group": group, "target_year": year})
    return out


# candidate targets of one document (the seed plans: 42–148): past it, the file is no plan, and each candidate costs
# a name match against the catalogue
MAX_TARGETS = 3000


def _too_many(found: str) -> ReadError:
    return ReadError(f"{found},超过 {MAX_TARGETS:,} 条上限(一份规划一般有几十到两三百条);请确认上传的是一份规划文件")


def extract_lines(lines: list[str], suggester: Suggester | None = None) -> list[dict]:
    marks = plan_titles(lines)

    def year_at(line_no: int) -> int:
        before = [y for no, y in marks if no <= line_no]
        return before[-1] if before else (marks[0][1] if marks else 2025)

    table_rows, table_lines = find_tables(lines, year_at)
    if len(table_rows) > MAX_TARGETS:  # (a key table counts too: a Word table of 10,000 rows took 16 s and 420 MB)
        raise _too_many(f"重点指标表有 {len(table_rows):,} 行指标")
    sections, heading, rows, reviewed = [], "", [], []
    for no, line in enumerate(lines, start=1):
        m = HEADING.match(line) if no not in table_lines else None
        if m:
            heading = m["title"].strip()
            sections.append((no, heading))
            continue
        if no in table_lines or not line.strip():
            continue
        if REVIEW.search(line):
            reviewed += [hit | {"source_line": no} for hit in find_targets(line, 2020)]
            continue
        if len(rows) + len(table_rows) > MAX_TARGETS:
            raise _too_many(f"到第{no}行已提取 {len(rows) + len(table_rows):,} 条候选目标")
        for hit in find_targets(line, year_at(no)):
            hit.pop("sentence", None)
            rows.append(hit | {"is_key": 0, "key_no": "", "domain_raw": heading, "source_line": no, "name_line": no,
                               "baseline_year": "", "baseline_value": "", "baseline_line": "", "baseline_quote": ""})
    for row in table_rows:
        row["domain_raw"] = _section_for(row, sections, lines)
    rows = sorted(table_rows + rows, key=lambda r: (r["source_line"], -r["is_key"]))
    _attach_baselines(rows, reviewed)
    _mark_restatements(rows)
    suggester = suggester or Suggester.from_catalogue()
    topics: dict[int, str] = {}  # per line, not per target: a line of thousands of targets was read thousands of times
    for row in rows:
        line_no = row["source_line"]
        if line_no not in topics:
            topics[line_no] = topic_of(lines[line_no - 1])
        row["domain"] = domain_of(row["domain_raw"]) or topics[line_no]
        row.update(suggester.suggest(row["name"], row["unit"]))
        # the way the target itself says is better: a floor or ceiling, or the change a 保持 target asks for
        printed = DIRECTIONS[row["target_op"]] if row["target_op"] in BOUNDS else \
            (change_asked(row["target_text"]) or "") if row["target_op"] == "maintain" else ""
        suggested = row.pop("canonical_direction")
        if printed and suggested in ("higher", "lower") and suggested != printed:
            # a floor or ceiling says which way is better: a suggestion going the other way is another measure
            # (城镇调查失业人员中女性的比例 ≤46% is no 城镇单位就业人员中女性比例), not to be taken
            row["note"] = (row.get("note") or "") + f"通用指标建议“{row['canonical_name']}”与原文目标方向相反,未采用"
            row.update(canonical_id="", canonical_name="", canonical_score="")
            suggested = ""
        if not row["unit"] and row["canonical_id"] and row["target_op"] != "qualitative":
            row["unit"] = suggester.canonical[row["canonical_id"]]["unit"]   # 新生儿死亡率( : unit cut off
            row["note"] = (row.get("note") or "") + "单位未印出,取自建议的通用指标"
        row["direction"] = printed or suggested or DIRECTIONS[row["target_op"]]
        if row["target_op"] == "qualitative":
            row["direction"] = "qualitative"
    return [{c: row.get(c, "") for c in COLUMNS} for row in rows]


def _section_for(row: dict, sections: list[tuple[int, str]], lines: list[str]) -> str:
    """The text section that deals with a key-table measure: the most of its name's character pairs after the table."""
    pairs = {row["name"][i:i + 2] for i in range(len(row["name"]) - 1)}
    best, best_score = "", 0
    after = [(no, h) for no, h in sections if no > row["source_line"]]
    for k, (no, heading) in enumerate(after):
        end = after[k + 1][0] if k + 1 < len(after) else len(lines)
        if "序号" in (line.strip() for line in lines[no:end]):
            break  # the next plan's table: its sections belong to another plan
        text = "".join(lines[no:end])
        score = sum(p in text for p in pairs) / max(len(pairs), 1) + 0.5 * (domain_of(heading) != "")
        if score > best_score:
            best, best_score = heading, score
    return best


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def _attach_baselines(rows: list[dict], reviewed: list[dict]) -> None:
    """A 2020 value from the review of the previous period, given to the target most like it (one each)."""
    pairs = []
    for i, row in enumerate(rows):
        if row["baseline_value"] or row["target_op"] == "qualitative":
            continue
        for j, hit in enumerate(reviewed):
            if hit["source_line"] > row["source_line"] or (hit["unit"] and row["unit"] and hit["unit"] != row["unit"]):
                continue
            score = _similar(hit["name"], row["name"])
            if score >= BASELINE_MIN_SIMILARITY:
                pairs.append((-score, i, j))
    taken_rows, taken_hits = set(), set()
    for _, i, j in sorted(pairs):
        if i in taken_rows or j in taken_hits:
            continue
        taken_rows.add(i)
        taken_hits.add(j)
        hit = reviewed[j]
        rows[i].update(baseline_year=2020, baseline_value=hit["target_value"], baseline_line=hit["source_line"],
                       baseline_quote=hit["quote"])


def _mark_restatements(rows: list[dict]) -> None:
    """A text target that repeats a key-table row (same value, similar name) is noted as such."""
    keys = [r for r in rows if r["is_key"]]
    for row in rows:
        if row["is_key"] or not row["target_value"]:
            continue
        for key in keys:
            if key["target_value"] == row["target_value"] and _similar(key["name"], row["name"]) >= 0.7:
                row["note"] = f"重述重点指标表第{key['key_no']}项(第{key['source_line']}行)"
                row["confidence"] = min(row["confidence"], 0.5)
                break


def extract_file(path: Path) -> list[dict]:
    return extract_lines(read_path(path))


def write_csv(rows: list[dict], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
