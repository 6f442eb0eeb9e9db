"""Incremental refresh (issue 17): an import, review or undo recomputes only the indicators it touched, and the
materialised tables then hold exactly what a full refresh of the same data gives.

The writes go through the product's own entry points (importer.commit / undo, review.review); after each, a copy
of the file is fully refreshed and compared table by table (EXCEPT ALL both ways: zero rows).
"""
from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import one, rows

from planwatch import accounts, assignment, db, importer, review, synth, views

TABLES = [table for table, *_ in (*views.CATALOGUE, *views.MATERIALISED, *views.SUMMARIES)]
REVIEWER = accounts.Account("审核员甲", "admin")
RATE_SCALE = {"%": 100, "‰": 1000, "1/10万": 100_000}


def differences(path: Path) -> dict[str, int]:
    """Rows of each materialised table that differ from a full refresh of the same data (both directions)."""
    full = path.with_name("full-refresh.duckdb")
    shutil.copy(path, full)
    with duckdb.connect(str(full)) as con:
        views.refresh(con, catalogue=True)  # the stored catalogue too: unit assignments change it
        con.execute(f"ATTACH {db.sql_string(path)} AS written (READ_ONLY)")
        return {t: con.execute(f"SELECT (SELECT count(*) FROM (FROM {t} EXCEPT ALL FROM written.{t})) "
                               f"+ (SELECT count(*) FROM (FROM written.{t} EXCEPT ALL FROM {t}))").fetchone()[0]
                for t in TABLES}


def catalogue(path: Path) -> list[tuple]:
    with db.open_reader(path) as reader:
        return reader.cursor().execute(
            "SELECT i.indicator_id, i.target_op, i.unit, coalesce(i.baseline_value, i.target_value, 10), "
            "p.period_start, p.period_end FROM indicator i JOIN plan p USING (plan_id) ORDER BY 1").fetchall()


def csv_rows(rng: random.Random, indicators: list[tuple], path: Path) -> bytes:
    """A file of random values: new and revised years, sometimes a year after every other (a new latest as-of
    year), texts for qualitative targets, events and population (分子, 分母) for rates."""
    with db.open_reader(path) as reader:
        reported = reader.cursor().execute("SELECT indicator_id, year FROM v_observation").fetchall()
    lines = ["indicator_id,year,value,分子,分母"]
    for iid, op, unit, level, start, end in rng.sample(indicators, rng.randint(1, 12)):
        revised = [y for i, y in reported if i == iid]
        year = rng.choice(revised) if revised and rng.random() < 0.4 else rng.randint(start, min(end, 2025))
        if end > 2026 and rng.random() < 0.1:
            year = rng.randint(2027, end)
        if op == "qualitative":
            lines.append(f"{iid},{year},{rng.choice(['已落实', '部分落实', '正在推进'])},,")
        elif unit in RATE_SCALE and rng.random() < 0.5:
            population = rng.choice([200, 1500, 30000])
            events = min(population, round(level / RATE_SCALE[unit] * population * rng.uniform(0.5, 1.5)))
            lines.append(f"{iid},{year},{events / population * RATE_SCALE[unit]:.2f},{events},{population}")
        else:
            value = round(level * rng.uniform(0.7, 1.3), rng.choice([0, 1, 2]))
            lines.append(f"{iid},{year},{min(value, 100) if unit == '%' else value},,")
    return ("\n".join(lines) + "\n").encode()


def random_write(rng: random.Random, path: Path, indicators: list[tuple], n: int) -> str:
    """One write: a direct import, a submission then approved or returned, or the undo of an earlier batch."""
    with db.open_reader(path) as reader:
        cur = reader.cursor()
        undoable = [r[0] for r in cur.execute("SELECT batch_id FROM import_batch WHERE source_kind <> '示例' "
                                              "AND undone_at IS NULL ORDER BY 1").fetchall()]
        checked = importer.check(reader.cursor(), csv_rows(rng, indicators, path), f"file{n}.csv")
    kind = rng.choice(["import", "import", "submit", "undo"] if undoable else ["import", "submit"])
    if kind == "undo":
        importer.undo(path, rng.choice(undoable), by="测试")
        return kind
    if kind == "import":
        importer.commit(path, checked, uploader="测试")
        return kind
    batch = importer.commit(path, checked, uploader="测试", status="待审核", submitted_by="填报员")
    approve = rng.random() < 0.7
    review.review(path, batch, REVIEWER, approve=approve, note=None if approve else "数值有误")
    return "approve" if approve else "return"


def replay(path: Path, seed: int, writes: int) -> tuple[list[str], bool]:
    """(the kinds of write done, whether one of them brought a new latest as-of year)"""
    rng = random.Random(seed)
    indicators = catalogue(path)
    done, new_year = [], False
    for n in range(writes):
        done.append(random_write(rng, path, indicators, n))
        assert differences(path) == dict.fromkeys(TABLES, 0), f"after write {n + 1} ({done})"
        new_year |= one(path, "SELECT max(as_of_year) FROM _status")[0] > date.today().year
    return done, new_year


def test_incremental_equals_full_on_the_demo_database(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    done, new_year = replay(path, seed=17, writes=14)
    # every kind of write was exercised, both ways of refreshing, and the inputs that need their own code
    assert {"import", "approve", "return", "undo"} <= set(done) and new_year
    assert one(path, "SELECT count(*) FROM observation WHERE numerator IS NOT NULL")[0] > 0
    assert one(path, "SELECT count(*) FROM observation WHERE value_text IS NOT NULL AND batch_id > 0")[0] > 0


def test_incremental_equals_full_on_a_synthetic_database(tmp_path):
    path = tmp_path / "synth.duckdb"
    synth.synth(path, 3, seed=5)
    replay(path, seed=3, writes=8)


# --- the id filter is really applied ----------------------------------------------------------------------------

TOUCHED = "pingyang-women-k03"     # 2021–2025 plan
UNTOUCHED = "huairou-children-t20"
LATE = "xianyang-women-t17"        # 2021–2030 plan: a 2027 value is a new latest as-of year


def tamper(path: Path, *indicators: str) -> None:
    """Overwrite these indicators' rows with what no refresh writes (keys and years kept)."""
    with duckdb.connect(str(path)) as con:
        for table, column in (("_status", "latest_text"), ("_warning", "reason")):  # (_status stores no reason)
            con.execute(f"UPDATE {table} SET {column} = '篡改' WHERE list_contains(?, indicator_id)", [list(indicators)])


def tampered(path: Path, indicator: str) -> bool:
    return one(path, "SELECT bool_and(latest_text = '篡改') FROM _status WHERE indicator_id = ?", [indicator])[0]


def import_csv(path: Path, text: str) -> None:
    with db.open_reader(path) as reader:
        checked = importer.check(reader.cursor(), text.encode(), "values.csv")
    importer.commit(path, checked, uploader="测试")


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def test_an_import_recomputes_only_the_indicators_it_holds(demo_copy):
    tamper(demo_copy, TOUCHED, UNTOUCHED)
    import_csv(demo_copy, f"indicator_id,year,value\n{TOUCHED},2023,61\n")
    assert not tampered(demo_copy, TOUCHED)   # recomputed
    assert tampered(demo_copy, UNTOUCHED)     # left alone: the refresh never read or wrote its rows
    assert one(demo_copy, "SELECT latest_value FROM v_status WHERE indicator_id = ? AND as_of_year = 2023",
               [TOUCHED]) == (61.0,)


def test_undo_and_review_recompute_only_their_batch(demo_copy):
    import_csv(demo_copy, f"indicator_id,year,value\n{TOUCHED},2023,61\n")
    batch = one(demo_copy, "SELECT max(batch_id) FROM import_batch")[0]
    tamper(demo_copy, TOUCHED, UNTOUCHED)
    importer.undo(demo_copy, batch, by="测试")
    assert not tampered(demo_copy, TOUCHED) and tampered(demo_copy, UNTOUCHED)

    with db.open_reader(demo_copy) as reader:
        checked = importer.check(reader.cursor(), f"indicator_id,year,value\n{TOUCHED},2024,66\n".encode(), "u.csv")
    batch = importer.commit(demo_copy, checked, uploader="测试", status="待审核", submitted_by="填报员")
    tamper(demo_copy, TOUCHED)
    review.review(demo_copy, batch, REVIEWER, approve=True)
    assert not tampered(demo_copy, TOUCHED) and tampered(demo_copy, UNTOUCHED)


def test_a_new_latest_year_refreshes_every_indicator(demo_copy):
    # The as-of years run to max(this year, the latest year observed): a 2027 value gives every indicator a 2027
    # row, so the refresh falls back to the whole method (the tampered rows of an untouched indicator come back).
    tamper(demo_copy, UNTOUCHED)
    import_csv(demo_copy, f"indicator_id,year,value\n{LATE},2027,45\n")
    assert not tampered(demo_copy, UNTOUCHED)
    assert one(demo_copy, "SELECT count(*) FROM v_status WHERE indicator_id = ? AND as_of_year = 2027",
               [UNTOUCHED]) == (1,)
    assert differences(demo_copy) == dict.fromkeys(TABLES, 0)
    # and its undo takes the year away again, for every indicator
    importer.undo(demo_copy, one(demo_copy, "SELECT max(batch_id) FROM import_batch")[0], by="测试")
    assert one(demo_copy, "SELECT max(as_of_year) FROM v_status") == (date.today().year,)
    assert differences(demo_copy) == dict.fromkeys(TABLES, 0)


def test_unit_assignments_keep_the_stored_catalogue_current(demo_copy):
    # v_indicator reads the stored _indicator: a unit the committee assigns (or revokes) shows in responsible_units
    # at once, and the stored rows equal what the whole catalogue recomputed gives
    target = one(demo_copy, "SELECT min(indicator_id) FROM v_indicator WHERE responsible_units IS NULL")[0]
    decision = assignment.assign(demo_copy, target, "县妇联", "牵头", by="测试")
    assert one(demo_copy, "SELECT responsible_units FROM v_indicator WHERE indicator_id = ?", [target]) == ("县妇联",)
    assert differences(demo_copy) == dict.fromkeys(TABLES, 0)
    assignment.revoke(demo_copy, decision, by="测试")
    assert one(demo_copy, "SELECT responsible_units FROM v_indicator WHERE indicator_id = ?", [target]) == (None,)
    assert differences(demo_copy) == dict.fromkeys(TABLES, 0)


def random_assignment(rng: random.Random, path: Path, indicators: list[str]) -> str:
    """One unit decision on 指标分配: a unit assigned to an indicator (whose plan may name others for it), or an
    earlier decision revoked."""
    with db.open_reader(path) as reader:
        in_force = [r[0] for r in reader.cursor().execute(
            "SELECT assignment_id FROM unit_assignment WHERE revoked_at IS NULL ORDER BY 1").fetchall()]
    if in_force and rng.random() < 0.3:
        assignment.revoke(path, rng.choice(in_force), by="测试")
        return "revoke"
    try:
        assignment.assign(path, rng.choice(indicators), rng.choice(["县妇联", "县教育局", "县卫健局"]),
                          rng.choice(assignment.ROLES), by="测试")
    except assignment.AssignmentRefused:  # that unit is already listed for the indicator: nothing written
        return "refused"
    return "assign"


def test_unit_assignments_among_writes_keep_the_unit_summary_equal_to_a_full_refresh(demo_copy):
    # _unit_tally counts by unit: an import or undo changes its red warnings, an assignment or revocation its units
    rng = random.Random(29)
    indicators = catalogue(demo_copy)
    plans = ["pingyang-women", "huairou-children", "zhangjiagang-women"]
    choices = [r[0] for r in rows(demo_copy, "SELECT indicator_id FROM indicator WHERE list_contains(?, plan_id) "
                                             "ORDER BY 1", [plans])]
    done = []
    for n in range(10):
        done.append(random_write(rng, demo_copy, indicators, n) if n % 2 else
                    random_assignment(rng, demo_copy, choices))
        assert differences(demo_copy) == dict.fromkeys(TABLES, 0), f"after write {n + 1} ({done})"
    assert {"assign", "revoke"} <= set(done)
    assert one(demo_copy, "SELECT count(*) FROM _unit_tally t JOIN unit_assignment a USING (unit_id) "
                          "WHERE a.revoked_at IS NULL")[0] > 0
