"""工委指定: the office assigns a responsible unit to an indicator whose plan names none, on the 指标分配 page.

Each decision is a row of the record table unit_assignment (who decided, when, on what basis); revoking keeps the
row. The decisions in force are also written into the catalogue's indicator_unit (provenance 工委指定), so every
page, view and the reporting scope see them at once; a build re-applies them after recreating the catalogue.
The curated counterpart for decisions taken outside the app is data/unit_assignments.csv.
"""
from __future__ import annotations

import duckdb

from planwatch import db, views

ROLES = ("牵头", "配合")


class AssignmentRefused(Exception):
    pass


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """Write the decisions in force into unit and indicator_unit (after the catalogue was loaded)."""
    con.execute("""
        INSERT INTO unit SELECT DISTINCT a.unit_id, p.region_code, a.unit_name
        FROM unit_assignment a JOIN indicator i USING (indicator_id) JOIN plan p USING (plan_id)
        WHERE a.revoked_at IS NULL AND a.unit_id NOT IN (SELECT unit_id FROM unit)""")
    con.execute("""
        INSERT INTO indicator_unit (indicator_id, plan_id, unit_id, unit_as_written, position, role, provenance,
                                    line, quote)
        SELECT a.indicator_id, i.plan_id, a.unit_id, a.unit_name, CASE a.role WHEN '牵头' THEN 1 ELSE 2 END,
               a.role, '工委指定', NULL,
               a.decided_by || ' ' || strftime(a.decided_at, '%Y-%m-%d') || coalesce(':' || a.basis, '')
        FROM unit_assignment a JOIN indicator i USING (indicator_id)
        WHERE a.revoked_at IS NULL""")


def assign(db_path, indicator_id: str, unit_name: str, role: str, by: str,
           basis: str | None = None) -> int:
    """Record a decision and put it in force; returns its id."""
    unit_name = (unit_name or "").strip()
    if role not in ROLES:
        raise AssignmentRefused(f"角色须为 {'或'.join(ROLES)}")
    if not unit_name:
        raise AssignmentRefused("请填写责任单位名称")
    with db.writing(db_path) as con:
        found = con.execute("SELECT p.region_code FROM indicator i JOIN plan p USING (plan_id) "
                            "WHERE i.indicator_id = ?", [indicator_id]).fetchone()
        if found is None:
            raise AssignmentRefused(f"未知指标编号“{indicator_id}”")
        alias = con.execute("SELECT name FROM unit_alias WHERE region_code = ? AND alias = ?",
                            [found[0], unit_name]).fetchone()
        unit_name = alias[0] if alias else unit_name
        unit_id = f"{found[0]}:{unit_name}"
        if con.execute("SELECT 1 FROM indicator_unit WHERE indicator_id = ? AND unit_id = ?",
                       [indicator_id, unit_id]).fetchone():
            raise AssignmentRefused(f"“{unit_name}”已是该指标的责任单位")
        new_id = con.execute("SELECT coalesce(max(assignment_id), 0) + 1 FROM unit_assignment").fetchone()[0]
        con.execute("INSERT INTO unit_assignment (assignment_id, indicator_id, unit_id, unit_name, role, decided_by, "
                    "decided_at, basis) VALUES (?, ?, ?, ?, ?, ?, now(), ?)",
                    [new_id, indicator_id, unit_id, unit_name, role, by, basis or None])
        _reapply(con)
    return new_id


def revoke(db_path, assignment_id: int, by: str) -> None:
    """Take a decision out of force; its row stays, with who revoked it and when."""
    with db.writing(db_path) as con:
        row = con.execute("SELECT revoked_at FROM unit_assignment WHERE assignment_id = ?", [assignment_id]).fetchone()
        if row is None or row[0] is not None:
            raise AssignmentRefused(f"没有有效的分配记录 {assignment_id}")
        con.execute("UPDATE unit_assignment SET revoked_at = now(), revoked_by = ? WHERE assignment_id = ?",
                    [by, assignment_id])
        _reapply(con)


def _reapply(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM indicator_unit WHERE provenance = '工委指定' AND line IS NULL "
                "AND unit_id || '|' || indicator_id IN (SELECT unit_id || '|' || indicator_id FROM unit_assignment)")
    apply(con)
    touched = con.execute("SELECT DISTINCT indicator_id FROM unit_assignment").fetchall()
    views.refresh_indicators(con, [r[0] for r in touched])  # v_indicator's responsible_units
