"""Reviewing submissions (审核): approve or return with a reason, and preview the statuses a submission would cause.

A submission is an import batch in state 待审核; it never counts until approved (v_observation reads 已通过 batches
only). Approving recomputes the progress method in the same transaction; returning keeps the batch with the
reason, and the unit's corrected values arrive as a new batch.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from planwatch import accounts, db, importer, versions, views

if TYPE_CHECKING:
    import pandas as pd

_scratch_names = itertools.count(1)


class ReviewRefused(Exception):
    pass


# values of a batch that a newer approved batch (an office import since) already replaced: approved, they count not
SUPERSEDED = """
    SELECT o.indicator_id, o.year, max(n.batch_id) AS superseded_by
    FROM observation o
    JOIN observation n ON n.indicator_id = o.indicator_id AND n.year = o.year AND n.batch_id > o.batch_id
    JOIN import_batch b ON b.batch_id = n.batch_id AND b.status = '已通过' AND b.undone_at IS NULL
    WHERE o.batch_id = ?
    GROUP BY ALL"""


def review(db_path, batch_id: int, reviewer: accounts.Account, approve: bool, note: str | None = None) -> int:
    """Approve (the values count from now on) or return with a reason (required) one pending batch. Returns how
    many of its values a newer approved batch had already replaced (they are kept, and do not count)."""
    note = (note or "").strip() or None
    if not approve and not note:
        raise ReviewRefused("退回时请写明原因")
    if reviewer.role not in ("reviewer", "admin"):
        raise ReviewRefused(f"账号“{accounts.shown(reviewer.name)}”是{reviewer.role_label},不是审核员,不能审核")
    with db.writing(db_path) as con:
        row = con.execute("SELECT b.state, b.submitted_by, r.name FROM _batch b LEFT JOIN unit u USING (unit_id) "
                          "LEFT JOIN region r USING (region_code) WHERE b.batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise ReviewRefused(f"没有编号为 {batch_id} 的批次")
        if row[0] != "待审核":
            raise ReviewRefused(f"批次 {batch_id} 的状态是{row[0]},只有待审核的批次可以审核")
        if row[1] == reviewer.name:
            raise ReviewRefused(f"批次 {batch_id} 是账号“{accounts.shown(reviewer.name)}”本人提交的,须由其他审核员审核")
        outside = _outside_region(con, batch_id, reviewer)
        if outside:
            region = con.execute("SELECT name FROM region WHERE region_code = ?", [reviewer.region]).fetchone()[0]
            raise ReviewRefused(f"批次 {batch_id} 含{region}以外的指标(如“{outside}”),"
                                f"审核员“{accounts.shown(reviewer.name)}”只审核{region}的提交")
        con.execute("UPDATE import_batch SET status = ?, reviewed_by = ?, reviewed_at = now(), review_note = ? "
                    "WHERE batch_id = ?", ["已通过" if approve else "已退回", reviewer.name, note, batch_id])
        if approve:
            views.refresh(con, importer.indicators_of(con, batch_id), own_copy=True)
        versions.touched(con, batch_id)
        return len(con.execute(SUPERSEDED, [batch_id]).fetchall()) if approve else 0


def approved_text(batch_id: int, superseded: int) -> str:
    """What an approval says: its values count, but those a newer batch already replaced."""
    return f"批次 {batch_id} 已通过,数值已计入" + (
        f";其中 {superseded} 项此后已有更新批次的数值(如办公室直接导入),以更新的为准,本批次的不计入" if superseded else "")


def _outside_region(con, batch_id: int, reviewer: accounts.Account) -> str | None:
    if reviewer.region is None:
        return None
    row = con.execute("SELECT o.indicator_id FROM observation o JOIN v_indicator i USING (indicator_id) "
                      "WHERE o.batch_id = ? AND i.region_code <> ? LIMIT 1", [batch_id, reviewer.region]).fetchone()
    return row[0] if row else None


@contextmanager
def _scratch(con: duckdb.DuckDBPyConnection, indicators: list[str]):
    """A cursor on an in-memory database with these indicators' rows of every table that has an indicator_id and
    every other table whole, with the views; dropped afterwards: the file is never written. An indicator's
    statuses depend only on its own rows and on the as-of years, so they are those the whole database gives for
    every year up to its latest value (the years asked about)."""
    cur = con.cursor()
    source = cur.execute("SELECT current_database()").fetchone()[0]
    name = f"pw_scratch_{next(_scratch_names)}"
    cur.execute(f"ATTACH ':memory:' AS {name}")
    try:
        cur.execute(f'COPY FROM DATABASE "{source}" TO {name} (SCHEMA)')  # tables (empty), views, macros
        per_indicator = {r[0] for r in cur.execute(
            "SELECT DISTINCT table_name FROM duckdb_columns() WHERE database_name = ? AND column_name = 'indicator_id'",
            [name]).fetchall()}
        for (table,) in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [name]).fetchall():
            cur.execute(f'INSERT INTO {name}.{table} SELECT * FROM "{source}".{table}'
                        + (" WHERE list_contains($ids, indicator_id)" if table in per_indicator else ""),
                        {"ids": indicators} if table in per_indicator else None)
        cur.execute(f"USE {name}")
        yield cur
    finally:
        cur.execute(f"USE \"{source}\"")
        cur.execute(f"DETACH {name}")
        cur.close()


STATUS_SQL = """
    SELECT k.indicator_id, k.year, s.status, s.reason
    FROM keys k LEFT JOIN v_status s ON s.indicator_id = k.indicator_id AND s.as_of_year = k.year"""


def preview_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """What approving a batch would change: per value the old → new value and the status before → after."""
    keys = con.execute("SELECT DISTINCT indicator_id, year FROM observation WHERE batch_id = ?", [batch_id]).df()
    return _compare(con, keys, lambda cur: cur.execute(
        "UPDATE import_batch SET status = '已通过', undone_at = NULL WHERE batch_id = ?", [batch_id]),
        extra=con.execute(f"""
            -- 原值: the value counted now (a newer batch may have replaced the one this batch was submitted over)
            SELECT h.indicator_id, h.year, i.name, i.unit, c.value AS old_value, h.value AS new_value,
                   c.value_text AS old_text, h.value_text AS new_text, h.note, h.reason, h.measures, s.superseded_by,
                   h.numerator, h.denominator
            FROM v_value_history h JOIN v_indicator i USING (indicator_id)
            LEFT JOIN v_observation c USING (indicator_id, year)
            LEFT JOIN ({SUPERSEDED}) s USING (indicator_id, year)
            WHERE h.batch_id = ?""", [batch_id, batch_id]).df())


def preview_rows(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """The status each (indicator_id, year) in `rows` (with value, value_text) would have if they counted, with the
    indicator's name and unit and the value counted now (old_value) beside the new one, as a batch's preview has."""
    keys = rows[["indicator_id", "year"]].drop_duplicates()
    incoming = rows[["indicator_id", "year", "value", "value_text"]]  # (read by DuckDB here and in add)
    named = con.cursor().execute("""
        SELECT k.indicator_id, k.year, i.name, i.unit, coalesce(pw_as_entered(c.value), c.value_text) AS old_value,
               coalesce(pw_as_entered(CAST(n.value AS DOUBLE)), n.value_text) AS new_value
        FROM keys k JOIN v_indicator i USING (indicator_id)
        LEFT JOIN v_observation c USING (indicator_id, year)
        LEFT JOIN incoming n USING (indicator_id, year)""").df()

    def add(cur, incoming=incoming):  # noqa: ARG001  (read by DuckDB, which looks in this frame)
        cur.execute("INSERT INTO import_batch (batch_id, source_kind, created_at, status) "
                    "SELECT coalesce(max(batch_id), 0) + 1, '填报', now(), '已通过' FROM import_batch")
        cur.execute("INSERT INTO observation BY NAME SELECT (SELECT max(batch_id) FROM import_batch) AS batch_id, "
                    "indicator_id, CAST(year AS INTEGER) AS year, CAST(value AS DOUBLE) AS value, "
                    "CAST(value_text AS VARCHAR) AS value_text FROM incoming")
    return _compare(con, keys, add, named)


def _compare(con, keys: pd.DataFrame, change, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    before = con.cursor().execute(STATUS_SQL).df()
    with _scratch(con, sorted(set(keys["indicator_id"]))) as cur:
        change(cur)
        views.refresh(cur, keys["indicator_id"])
        after = cur.execute(STATUS_SQL).df()
    out = before.rename(columns={"status": "old_status", "reason": "old_reason"}).merge(
        after.rename(columns={"status": "new_status", "reason": "new_reason"}), on=["indicator_id", "year"])
    if extra is not None:
        out = extra.merge(out, on=["indicator_id", "year"], how="left")
    return out
