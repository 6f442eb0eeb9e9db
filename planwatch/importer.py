"""Importing annual monitoring values (数据填报): read, validate all-or-nothing, preview, commit, undo.

A file is checked completely before anything is written; every problem is reported with its row and column in
Chinese. An accepted file becomes one import batch, written by db.writing (one writer at a time, on a copy renamed into
place), so a crash or a second upload at the same time can never leave half a file in the database. Reading within
bounds is planwatch.upload_read (xlsx via planwatch.xlsx_read), the checks planwatch.upload_check; their entry points
are re-exported here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import duckdb

from planwatch import db, versions, views
from planwatch.upload_check import Checked, check  # noqa: F401  (re-exported: the importer's API)
from planwatch.upload_read import MAX_BYTES, MAX_PROBLEMS, ImportRefused, load_file, read  # noqa: F401

if TYPE_CHECKING:
    import pandas as pd

# one row per file row with the current value and 新增 / 修改 / 不变; reads `incoming` (Checked.incoming) and $ids.
# 不变 only when every field a row stores is the same (the value, and its note, 分子/分母, 原因说明 and 整改措施:
# a note alone replaced is a change); the current row's 原因说明 and 整改措施 are read from observation
STORED = ("value", "value_text", "note", "numerator", "denominator", "reason", "measures")
PREVIEW = """
    WITH incoming AS ({incoming}),
    -- the current values of these indicators only: the id list reaches the scan of observation
    current AS (SELECT v.*, ob.reason, ob.measures
                FROM (SELECT * FROM v_observation WHERE list_contains($ids, indicator_id)) v
                JOIN (SELECT batch_id, indicator_id, year, reason, measures FROM observation
                      WHERE list_contains($ids, indicator_id)) ob USING (batch_id, indicator_id, year))
    SELECT f.row_no, f.indicator_id, i.name, f.year, o.value AS old_value, f.value AS new_value,
           o.value_text AS old_text, f.value_text AS new_text, o.source_kind AS old_source,
           CASE WHEN o.indicator_id IS NULL THEN '新增'
                WHEN {same} THEN '不变' ELSE '修改' END AS change,
           o.note AS old_note, f.note AS new_note
    FROM incoming f
    JOIN indicator i USING (indicator_id)
    LEFT JOIN current o ON o.indicator_id = f.indicator_id AND o.year = f.year"""


def preview(con: duckdb.DuckDBPyConnection, checked: Checked) -> pd.DataFrame:
    """What committing would change: one row per file row with the current value and 新增 / 修改 / 不变, and the
    current and new note (old_note, new_note)."""
    sql, params = _preview_query(checked)
    return con.execute(f"{sql} ORDER BY f.row_no", params).df()


def change_counts(con: duckdb.DuckDBPyConnection, checked: Checked) -> dict[str, int]:
    """How many rows committing would add (新增), change (修改) and leave (不变), the most frequent first: preview's
    summary without building its frame (the command line needs no pandas)."""
    sql, params = _preview_query(checked)
    return dict(con.execute(f"SELECT change, count(*) FROM ({sql}) GROUP BY change "
                            "ORDER BY count(*) DESC, min(row_no)", params).fetchall())


def _preview_query(checked: Checked) -> tuple[str, dict]:
    incoming, params = checked.incoming()
    same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM f.{c}" for c in STORED)
    return PREVIEW.format(incoming=incoming, same=same), params | {"ids": sorted(set(checked.column("indicator_id")))}


def commit(db_path, checked: Checked, uploader: str, source_kind: str = "填报",
           guard: Callable[[duckdb.DuckDBPyConnection], None] | None = None, **review) -> int:
    """Store a checked file as one batch, with the method recomputed, in one write; returns the new batch id.
    `review` sets the batch's review columns (status, submitted_by, unit_id, round_year, reviewed_by …;
    planwatch/round.py); without them it is 已通过. `guard`, when given, runs first inside the write, on the file
    as it is under the writers' lock, and refuses by raising (a check made before the lock can be overtaken)."""
    incoming, params = checked.incoming()
    fields = {"source_kind": source_kind, "file_name": checked.file_name, "checksum": checked.checksum,
              "uploader": uploader, "row_count": len(checked.records), **review}
    with db.writing(db_path) as con:
        if guard is not None:
            guard(con)
        batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchone()[0]
        con.execute(f"INSERT INTO import_batch (batch_id, created_at, {', '.join(fields)}) "
                    f"VALUES (?, now(), {', '.join('?' * len(fields))})", [batch_id, *fields.values()])
        con.execute("INSERT INTO observation (batch_id, row_no, indicator_id, year, value, value_text, note, "
                    "numerator, denominator, reason, measures) SELECT $batch_id, row_no, indicator_id, year, value, "
                    f"value_text, note, numerator, denominator, reason, measures FROM ({incoming})",
                    params | {"batch_id": batch_id})
        views.refresh(con, indicators_of(con, batch_id), own_copy=True)
        versions.touched(con, batch_id)
    return batch_id


class UndoRefused(Exception):
    pass


def undo(db_path, batch_id: int, by: str) -> None:
    """Take a batch out: it stays recorded (undone_at set), and the values it replaced come back."""
    with db.writing(db_path) as con:
        row = con.execute("SELECT source_kind, undone_at FROM import_batch WHERE batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有编号为 {batch_id} 的导入批次")
        if row[0] == "示例":
            raise UndoRefused(f"批次 {batch_id} 是示例数据,由构建生成;请用 build --no-demo 去除")
        if row[1] is not None:
            raise UndoRefused(f"批次 {batch_id} 已于 {row[1]:%Y-%m-%d %H:%M} 撤销")
        con.execute("UPDATE import_batch SET undone_at = now(), undone_by = ? WHERE batch_id = ?", [by, batch_id])
        views.refresh(con, indicators_of(con, batch_id), own_copy=True)
        versions.touched(con, batch_id)


def indicators_of(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[str]:
    """The indicators a batch holds values of: what importing, approving or undoing it changes."""
    return [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observation WHERE batch_id = ?",
                                      [batch_id]).fetchall()]


def batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, oldest first."""
    return db.run_query(con, "import_batches")

