"""Publish a reviewed draft (规划导入) as a catalogue plan: files under data/ in the catalogue's own format.

A published plan is data/plans/<plan_id>/indicators.csv and units.csv, its document as read
(data/plans/<plan_id>/source.txt, so every quote is checked against it by every build), a row in data/plans.csv
and its region (with parents) in data/regions.csv. The whole catalogue is checked after writing; on any problem
every file is put back as it was and the problems are raised. A rebuild reads data/, so published plans stay.
"""
from __future__ import annotations

import csv
import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planwatch import build, catalogue, db
from planwatch.catalogue import IMPORTED_PREFIX, INDICATOR_COLUMNS, NUMBER, RATIO, TARGET_OPS, UNIT_COLUMNS
from planwatch.extract import DIRECTIONS
from planwatch.extract import regions as region_table
from planwatch.paths import DATA_DIR, default_db

GROUP_IDS = {"妇女": "women", "儿童": "children"}
LOG = logging.getLogger(__name__)
PLAN_COLUMNS = ["plan_id", "region_code", "plan_group", "title", "period_start", "period_end", "target_year",
                "issuing_document", "source_file", "title_line", "title_quote"]
REGION_COLUMNS = ["region_code", "name", "level", "parent_code", "province", "longitude", "latitude", "is_seed"]


class PublishRefused(Exception):
    """The draft cannot be published; .problems lists each one in Chinese with its row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("未发布:\n" + "\n".join(problems))


@dataclass
class PlanInfo:
    region_code: str
    group: str            # 妇女 | 儿童
    title: str
    period_start: int
    period_end: int
    issuing_document: str = ""


def plan_id_for(info: PlanInfo) -> str:
    return f"r{info.region_code}-{GROUP_IDS.get(info.group, 'x')}"


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN from an edited table
        return ""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def indicator_rows(plan_id: str, draft: list[dict], lines: list[str], info: PlanInfo,
                   data_dir: Path) -> tuple[list, list, list]:
    """Catalogue rows (indicators, units) from the reviewed draft, and the problems found on the way."""
    problems, indicators, units = [], [], []
    text_no, seen_keys = 0, set()
    domains = [d["domain"] for d in catalogue.read_csv(data_dir / "domains.csv")]
    for n, d in enumerate(draft, start=1):
        row = {c: _text(d.get(c)) for c in set(d) | {"key_no"}}
        where = f"第{n}条(原文第{row.get('source_line') or '?'}行“{row.get('name', '')[:20]}”)"
        line = int(row["source_line"]) if NUMBER.match(row.get("source_line", "")) else 0
        if not 0 < line <= len(lines):
            problems.append(f"{where}:原文行号“{row.get('source_line', '')}”不在文件的 1–{len(lines)} 行内")
            continue
        if not row.get("name"):
            problems.append(f"{where}:指标名称为空")
            continue
        if not row.get("quote") or row["quote"] not in lines[line - 1]:
            problems.append(f"{where}:原文引用“{row.get('quote', '')[:30]}”不在原文第{line}行(引用须逐字摘自该行)")
            continue
        op, value = row.get("target_op", ""), row.get("target_value", "")
        if op not in TARGET_OPS:
            problems.append(f"{where}:目标类型“{op}”无效(可用:{' '.join(sorted(TARGET_OPS))})")
            continue
        if value and not (NUMBER.match(value) or RATIO.match(value)):
            problems.append(f"{where}:目标值“{value}”不是数字")
            continue
        if row.get("domain") not in domains:
            problems.append(f"{where}:请选择领域(可用:{'、'.join(domains)})")
            continue
        if row.get("baseline_value") and not (row.get("baseline_quote") and NUMBER.match(row.get("baseline_line", ""))
                                              and NUMBER.match(row.get("baseline_year", ""))):
            # (every figure is traced to a line of the document: a baseline typed into the grid has none)
            problems.append(f"{where}:2020年基线“{row['baseline_value'][:20]}”没有原文出处(基线须摘自原文某一行,"
                            "系统只为原文印有基线的指标提取);请清空该格")
            continue
        key = row.get("is_key") in ("1", "True", "true") and re.fullmatch(r"\d{2}[a-z]?", row.get("key_no", ""))
        if key and row["key_no"] not in seen_keys:
            seen_keys.add(row["key_no"])
            iid = f"{plan_id}-k{row['key_no']}"
        else:
            text_no += 1
            iid = f"{plan_id}-t{text_no:02d}"
        # (a numeric target has a numeric direction: one left at qualitative after the target changed is the op's;
        # a 保持 target asking for a change, the change's: 孕产妇死亡率持续下降 is lower)
        text = row.get("target_text", "") or row.get("quote", "")
        direction = "qualitative" if op == "qualitative" else (
            row.get("direction") if row.get("direction") in ("higher", "lower", "keep")
            else (catalogue.change_asked(text) if op == "maintain" else None) or DIRECTIONS[op])
        baseline = row.get("baseline_value", "")
        indicators.append({
            "indicator_id": iid, "is_key": "1" if key else "0", "domain_raw": row.get("domain_raw", ""),
            "domain": row["domain"], "name": row.get("name", ""), "unit": row.get("unit", ""), "direction": direction,
            "baseline_year": row.get("baseline_year", "") if baseline else "", "baseline_value": baseline,
            "baseline_line": row.get("baseline_line", "") if baseline else "",
            "baseline_quote": row.get("baseline_quote", "") if baseline else "",
            "target_op": op, "target_value": value if op not in ("maintain", "qualitative") else "",
            "target_text": text,
            "target_year": row.get("target_year", "") or str(info.period_end),
            "target_line": str(line), "target_quote": row.get("quote", ""),
            "name_line": row.get("name_line", "") or str(line), "canonical_id": row.get("canonical_id", ""),
            "note": row.get("note", ""),
        })
        for pos, unit in enumerate(u for u in re.split(r"[、,,;;]", row.get("responsible_units", "")) if u.strip()):
            unit = unit.strip()
            if unit not in lines[line - 1]:
                problems.append(f"{where}:责任单位“{unit}”不在原文第{line}行")
                continue
            units.append({"indicator_id": iid, "unit_as_written": unit, "position": str(pos + 1), "role": "未区分",
                          "line": str(line), "quote": unit})
    return indicators, units, problems


def _title_line(lines: list[str], title: str) -> tuple[int, str]:
    for no, line in enumerate(lines, start=1):
        if title and title in line:
            return no, title
    for no, line in enumerate(lines, start=1):
        if "规划" in line and len(line.strip()) <= 80:
            return no, line.strip()
    no = next((i for i, line in enumerate(lines, start=1) if line.strip()), 1)
    return no, lines[no - 1].strip()[:60]


def _csv_text(rows: list[dict], columns: list[str], newline: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# the catalogue's columns as the 规划导入 grid heads them (pages/plan_import.py)
GRID_LABELS = {"name": "指标名称", "unit": "单位", "target_op": "目标类型", "target_value": "目标值", "direction": "方向",
               "target_year": "目标年", "baseline_value": "2020年基线", "baseline_quote": "2020年基线", "domain": "领域",
               "canonical_id": "通用指标(建议)", "target_quote": "原文引用", "target_text": "原文引用",
               "responsible_units": "责任单位"}


def _as_draft_row(problem: str, plan_id: str) -> str:
    """A catalogue problem of the plan's own indicators.csv as the reviewer sees it: its draft row (第n条; the
    file's row n + 1, below its header) and the grid's column, not a path on the server and a file's column."""
    problem = re.sub(rf"\S*plans/{re.escape(plan_id)}/indicators\.csv 第(\d+)行",
                     lambda m: f"第{int(m[1]) - 1}条", problem)
    return re.sub(r"(第\d+条) (\w+)列", lambda m: f"{m[1]} {GRID_LABELS.get(m[2], m[2])}列", problem)


@contextmanager
def _restore_on_error(paths: list[Path], folder: Path):
    """Put every file back as it was (or remove it, and the plan's folder if it is left empty) when the block fails."""
    saved = {p: p.read_bytes() if p.exists() else None for p in paths}
    try:
        yield
    except BaseException:
        for p, data in saved.items():
            if data is None:
                p.unlink(missing_ok=True)
            else:
                p.write_bytes(data)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise


def publish(lines: list[str], draft: list[dict], info: PlanInfo, data_dir: Path | None = None,
            db_path: Path | None = None) -> str:
    """Write the plan into data_dir (default data/), check the whole catalogue and, given db_path, rebuild that
    database from it; returns the plan id (or raises PublishRefused). Every file written is put back as it was,
    and the database left as it was, when anything fails (a value the build cannot take included)."""
    data_dir = data_dir or DATA_DIR
    problems = []
    if info.group not in GROUP_IDS:
        problems.append(f"规划类别应为 妇女 或 儿童,实为“{info.group}”")
    if not 2000 <= info.period_start < info.period_end <= 2050:
        problems.append(f"规划期“{info.period_start}–{info.period_end}”无效")
    try:
        chain = region_table.chain(info.region_code)
    except KeyError:
        chain = []
        problems.append(f"未知地区代码“{info.region_code}”")
    plans = catalogue.read_csv(data_dir / "plans.csv")
    # one plan of a group per region and period (a seed plan too); the next period's is another plan
    same = next((p for p in plans if p["region_code"] == info.region_code and p["plan_group"] == info.group
                 and int(p["period_start"]) <= info.period_end and info.period_start <= int(p["period_end"])), None)
    if same:
        problems.append(f"该地区{same['period_start']}–{same['period_end']}年的{info.group}规划已发布(编号 "
                        f"{same['plan_id']}),与所选规划期重叠;如需更新,请先删除 data/plans/{same['plan_id']}/")
    plan_id = plan_id_for(info)
    if any(p["plan_id"] == plan_id for p in plans):  # the region's plan of an earlier period holds the plain id
        plan_id = f"{plan_id}-{info.period_end}"
    if not draft:
        problems.append("草稿中没有指标")
    indicators, units, row_problems = indicator_rows(plan_id, draft, lines, info, data_dir)
    if problems or row_problems:
        raise PublishRefused(problems + row_problems)
    folder = data_dir / "plans" / plan_id
    title_line, title_quote = _title_line(lines, info.title)
    plan_row = {"plan_id": plan_id, "region_code": info.region_code, "plan_group": info.group, "title": info.title,
                "period_start": str(info.period_start), "period_end": str(info.period_end),
                "target_year": str(info.period_end), "issuing_document": info.issuing_document,
                "source_file": f"{IMPORTED_PREFIX}{plan_id}/source.txt", "title_line": str(title_line),
                "title_quote": title_quote}
    regions = catalogue.read_csv(data_dir / "regions.csv")
    known = {r["region_code"]: r for r in regions}
    for unit in chain:
        if unit["region_code"] not in known:
            regions.append({c: unit.get(c, "") for c in REGION_COLUMNS} | {"is_seed": "0"})
            known[unit["region_code"]] = regions[-1]
    known[info.region_code]["is_seed"] = "1"
    files = [folder / "indicators.csv", folder / "units.csv", folder / "source.txt",
             data_dir / "plans.csv", data_dir / "regions.csv"]
    with db.write_lock(db_path or default_db()), _restore_on_error(files, folder):   # one writer at a time
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.txt").write_text("\n".join(lines), encoding="utf-8")
        (folder / "indicators.csv").write_text(_csv_text(indicators, INDICATOR_COLUMNS), encoding="utf-8")
        (folder / "units.csv").write_text(_csv_text(units, UNIT_COLUMNS), encoding="utf-8")
        (data_dir / "plans.csv").write_text(_csv_text(plans + [plan_row], PLAN_COLUMNS), encoding="utf-8")
        (data_dir / "regions.csv").write_text(_csv_text(regions, REGION_COLUMNS), encoding="utf-8")
        try:  # the whole catalogue checked once: by itself, or as the rebuild's first step
            catalogue.load(data_dir) if db_path is None else _rebuild(Path(db_path), data_dir, plan_id)
        except catalogue.CatalogueError as exc:
            raise PublishRefused([_as_draft_row(p, plan_id) for p in exc.problems]) from None
    return plan_id


def _rebuild(db_path: Path, data_dir: Path, plan_id: str) -> None:
    """Rebuild the database from data_dir (the caller holds the writers' lock and puts data/ back on failure);
    CatalogueError passes through, any other failure is a PublishRefused."""
    try:
        build.rebuild_locked(db_path, data_dir)
    except build.BuildError as exc:  # (its message is Chinese)
        raise PublishRefused([f"发布后重建数据库失败,已撤销发布:{str(exc)[:200]}"]) from exc
    except catalogue.CatalogueError:
        raise
    except Exception as exc:  # noqa: BLE001 (any failure: the files go back, the database was not replaced)
        LOG.exception("rebuild after publishing %s failed", plan_id)  # (the details, in English, in the log)
        raise PublishRefused(["发布后重建数据库失败(内部错误,详情已记入服务器日志),已撤销发布;数据目录和数据库"
                              "均未改动"]) from exc
