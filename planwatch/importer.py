"""Importing annual monitoring values (数据填报): read, validate all-or-nothing, preview, commit, undo.

A file is checked completely before anything is written; every problem is reported with its row and column in
Chinese. An accepted file becomes one import batch, written in one transaction under a write lock, so a crash
or a second upload at the same time can never leave half a file in the database.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from planwatch import db, views

MAX_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 200
COLUMN_ALIASES = {
    "indicator_id": "indicator_id", "指标编号": "indicator_id", "指标id": "indicator_id",
    "year": "year", "年份": "year", "年度": "year",
    "value": "value", "数值": "value", "值": "value", "填报值": "value",
    "note": "note", "备注": "note", "说明": "note",
}
REQUIRED = {"indicator_id": "指标编号", "year": "年份", "value": "数值"}
LABELS = REQUIRED | {"note": "备注"}
FORMULA_START = ("=", "+", "-", "@")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class ImportRefused(Exception):
    """The file was refused; .problems lists every reason (row and column named)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = f"\n……另有 {len(problems) - MAX_PROBLEMS} 处问题" if len(problems) > MAX_PROBLEMS else ""
        super().__init__("文件未导入,数据库未改动。请修改以下问题后重新上传:\n" + "\n".join(shown) + more)


@dataclass
class Checked:
    """A validated file, ready to preview and commit."""
    file_name: str
    checksum: str
    rows: pd.DataFrame  # row_no, indicator_id, year, value, value_text, note
    notices: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Header, data rows (sheet row number, cells) and formula problems of the first sheet that has a header."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    sheets = [book["填报"]] if "填报" in book.sheetnames else book.worksheets
    for sheet in sheets:
        rows = list(sheet.iter_rows())
        for index, row in enumerate(rows):
            header = [_cell(c.value) for c in row]
            if not any(COLUMN_ALIASES.get(h.lower()) == "indicator_id" for h in header):
                continue
            body, formulas = [], []
            for r in rows[index + 1:]:
                cells = []
                for col, c in enumerate(r):
                    if c.data_type == "f":
                        name = header[col] if col < len(header) else c.column_letter
                        formulas.append(f"第{c.row}行 {name}列: 单元格是公式“{c.value}”,请改为直接填写数值")
                        cells.append("")
                    else:
                        cells.append(_cell(c.value))
                body.append((r[0].row, cells))
            return header, body, formulas
    return [], [], []


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(["文件无法按 UTF-8 或 GBK 编码读取,不是可识别的表格文件(请上传 xlsx 或 CSV)"])
    try:
        table = [(n, [_cell(c) for c in row]) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as exc:
        raise ImportRefused([f"不是有效的 CSV 表格:{exc}"]) from exc
    table = [(n, row) for n, row in table if any(row)]
    if not table:
        return [], []
    return table[0][1], table[1:]


def read(data: bytes, file_name: str) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Header, rows and structural problems of an uploaded file (xlsx or CSV), whatever its extension says."""
    if len(data) == 0:
        raise ImportRefused(["文件为空(0字节)"])
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"文件大小 {len(data) / 1024 / 1024:.1f}MB,超过 {MAX_BYTES // 1024 // 1024}MB 上限"])
    if data[:2] == b"PK":
        try:
            return _read_xlsx(data)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ImportRefused([f"“{file_name}”不是有效的 xlsx 文件:{exc}"]) from exc
    if b"\x00" in data[:4096]:
        raise ImportRefused([f"“{file_name}”不是表格文件(二进制内容),请上传 xlsx 或 CSV"])
    header, rows = _read_csv(data)
    return header, rows, []


def check(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str) -> Checked:
    """Validate a whole file against the catalogue; raise ImportRefused listing every problem."""
    header, rows, problems = read(data, file_name)
    if not header:
        raise ImportRefused(["文件中没有表头和数据行(空表)"])
    columns = {}
    for index, name in enumerate(header):
        key = COLUMN_ALIASES.get(name.lower())
        if key and key not in columns:
            columns[key] = index
    missing = [f"{label}({key})" for key, label in REQUIRED.items() if key not in columns]
    if missing:
        raise ImportRefused([f"第1行(表头): 缺少必需的列 {'、'.join(missing)};现有列:{'、'.join(h for h in header if h)}"])
    if not rows:
        raise ImportRefused(["只有表头,没有数据行"])

    catalogue = {r[0]: r[1:] for r in con.execute(
        "SELECT i.indicator_id, i.target_op, i.unit, p.period_start, p.period_end "
        "FROM indicator i JOIN plan p USING (plan_id)").fetchall()}
    seen: dict[tuple[str, int], int] = {}
    accepted, skipped = [], 0
    for row_no, cells in rows:
        get = lambda key: cells[columns[key]] if key in columns and columns[key] < len(cells) else ""  # noqa: E731
        if not get("value"):  # a template row the unit does not report this time
            skipped += 1
            continue
        where = lambda key: f"第{row_no}行 {LABELS[key]}列"  # noqa: E731
        for key in columns:
            text = get(key)
            if text.startswith(FORMULA_START) and not NUMBER.match(text):
                problems.append(f"{where(key)}: “{text}”以 {text[0]} 开头,可能是公式,不予接受")
        iid, year_text, value_text, note = get("indicator_id"), get("year"), get("value"), get("note")
        known = catalogue.get(iid)
        if not iid:
            problems.append(f"{where('indicator_id')}: 指标编号为空")
        elif known is None:
            problems.append(f"{where('indicator_id')}: 未知指标编号“{iid}”(请使用模板中的编号)")
        year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
        if year is None:
            problems.append(f"{where('year')}: 年份“{year_text}”不是四位年份")
        elif known and not known[2] <= year <= known[3]:
            problems.append(f"{where('year')}: {year}年不在规划期 {known[2]}–{known[3]} 年内")
        value, text_value = None, None
        number_text = value_text.replace(",", "").removesuffix("%")
        if known and known[0] == "qualitative":
            text_value = value_text
        elif not NUMBER.match(number_text):
            if not value_text.startswith(FORMULA_START):
                problems.append(f"{where('value')}: “{value_text}”不是数字")
        else:
            value = float(number_text)
            if value < 0:
                problems.append(f"{where('value')}: {value_text} 为负数,比率和人数不能为负")
            elif known and known[1] == "%" and value > 100:
                problems.append(f"{where('value')}: {value_text} 超过100%(单位为%)")
        if iid and year is not None:
            if (iid, year) in seen:
                problems.append(f"第{row_no}行: 指标“{iid}”{year}年与第{seen[(iid, year)]}行重复")
            else:
                seen[(iid, year)] = row_no
        accepted.append((row_no, iid, year, value, text_value, note or None))
    if not accepted and not problems:
        problems.append(f"文件中没有填写任何数值({skipped} 行数值为空)")
    if problems:
        raise ImportRefused(problems)
    frame = pd.DataFrame(accepted, columns=["row_no", "indicator_id", "year", "value", "value_text", "note"])
    notices = [f"跳过 {skipped} 行未填写数值的行(不报送,不计为问题)"] if skipped else []
    return Checked(file_name, hashlib.sha256(data).hexdigest(), frame, notices)


def preview(con: duckdb.DuckDBPyConnection, checked: Checked) -> pd.DataFrame:
    """What committing would change: one row per file row with the current value and 新增 / 修改 / 不变."""
    incoming = checked.rows  # noqa: F841  (read by DuckDB)
    return con.execute("""
        SELECT f.row_no, f.indicator_id, i.name, f.year, o.value AS old_value, f.value AS new_value,
               o.value_text AS old_text, f.value_text AS new_text, o.source_kind AS old_source,
               CASE WHEN o.indicator_id IS NULL THEN '新增'
                    WHEN o.value IS NOT DISTINCT FROM f.value AND o.value_text IS NOT DISTINCT FROM f.value_text
                    THEN '不变' ELSE '修改' END AS change
        FROM incoming f
        JOIN indicator i USING (indicator_id)
        LEFT JOIN v_observation o ON o.indicator_id = f.indicator_id AND o.year = f.year
        ORDER BY f.row_no""").df()


def commit(con: duckdb.DuckDBPyConnection, db_path, checked: Checked, uploader: str,
           source_kind: str = "填报", **review) -> int:
    """Store a checked file as one batch in one transaction; returns the new batch id. `review` sets the batch's
    review columns (status, submitted_by, unit_id, round_year; planwatch/review.py); without them it is 已通过."""
    incoming = checked.rows  # noqa: F841  (read by DuckDB)
    fields = {"source_kind": source_kind, "file_name": checked.file_name, "checksum": checked.checksum,
              "uploader": uploader, "row_count": len(checked.rows), **review}
    with db.write_lock(db_path), db.transaction(con):
        batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchone()[0]
        con.execute(f"INSERT INTO import_batch (batch_id, created_at, {', '.join(fields)}) "
                    f"VALUES (?, now(), {', '.join('?' * len(fields))})", [batch_id, *fields.values()])
        con.execute("INSERT INTO observation BY NAME SELECT ? AS batch_id, * FROM incoming", [batch_id])
        views.refresh(con)
    return batch_id


class UndoRefused(Exception):
    pass


def undo(con: duckdb.DuckDBPyConnection, db_path, batch_id: int, by: str) -> None:
    """Take a batch out: it stays recorded (undone_at set), and the values it replaced come back."""
    with db.write_lock(db_path):
        row = con.execute("SELECT source_kind, undone_at FROM import_batch WHERE batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有编号为 {batch_id} 的导入批次")
        if row[0] == "示例":
            raise UndoRefused(f"批次 {batch_id} 是示例数据,由构建生成;请用 build --no-demo 去除")
        if row[1] is not None:
            raise UndoRefused(f"批次 {batch_id} 已于 {row[1]:%Y-%m-%d %H:%M} 撤销")
        with db.transaction(con):
            con.execute("UPDATE import_batch SET undone_at = now(), undone_by = ? WHERE batch_id = ?", [by, batch_id])
            views.refresh(con)


def batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, oldest first."""
    return con.execute(db.query_text("import_batches")).df()


def load_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused([f"无法读取文件 {path}:{exc.strerror}"]) from exc
