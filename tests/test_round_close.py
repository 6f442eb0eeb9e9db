"""年度监测 closed (结束报送): the command, refusals that leave the file as it was, what a closed round refuses and
still allows (the office's import, reviews), reopening, and what the board and v_reporting_progress say.

Values as in test_round.py: 市卫健委 (wj) leads 婴儿死亡率 (INFANT) and 妇女人均预期寿命 (LIFE) in 张家港市.
"""
from __future__ import annotations

import io
import re

import pytest
from conftest import one, rows
from openpyxl import load_workbook
from test_round import HEALTH, INFANT, LIFE, add_accounts, cheap_hashes, digest, last_batch, submit, write_csv  # noqa: F401

from planwatch import accounts, cli, saved, template
from planwatch import db as db_mod
from planwatch import round as round_mod

CLOSED = re.compile(r"2025 年度报送已于 \d{4}-\d\d-\d\d \d\d:\d\d 结束,如需补报请联系工委办公室")


@pytest.fixture
def db(fresh_db):
    add_accounts(fresh_db)
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "2099-03-31", "--db", str(fresh_db)]) == 0
    return fresh_db


def close(db, *extra) -> int:
    return cli.main(["round", "close", "--year", "2025", "--db", str(db), *extra])


def test_close_records_who_and_when_refusals_change_nothing_and_open_reopens(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0  # one pending value
    n_due = one(db, "SELECT sum(n_due) FROM v_reporting_progress WHERE year = 2025")[0]
    before = digest(db)
    for extra, message in (((), "须用 --as 指定管理员账号"), (("--as", "wj"), "账号“wj”是填报员,只有管理员可以结束年度监测"),
                           (("--as", "nobody"), "没有名为“nobody”的账号")):
        capsys.readouterr()
        assert close(db, *extra) == 2
        assert message in capsys.readouterr().err and digest(db) == before
    assert cli.main(["round", "close", "--year", "2024", "--as", "admin", "--db", str(db)]) == 2
    assert "没有 2024 年度监测,无法结束" in capsys.readouterr().err and digest(db) == before

    capsys.readouterr()
    assert close(db, "--as", "admin") == 0
    # every lead indicator but INFANT is 未报; INFANT is 待审核
    assert f"已结束 2025 年度监测(结束时:未报 {n_due - 1:,} 项、退回 0 项、待审核 1 项)" in capsys.readouterr().out
    closed_at, closed_by = one(db, "SELECT closed_at, closed_by FROM reporting_round WHERE year = 2025")
    assert closed_by == "admin" and closed_at is not None
    before = digest(db)
    assert close(db, "--as", "admin") == 2
    assert f"2025 年度监测已于 {closed_at:%Y-%m-%d %H:%M} 结束" in capsys.readouterr().err and digest(db) == before

    # reopening: open again clears the close and keeps who made it (v_reporting_progress.reopened)
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "2099-04-30", "--db", str(db)]) == 0
    assert one(db, "SELECT deadline::VARCHAR, closed_at, closed_by FROM reporting_round") == ("2099-04-30", None, "admin")
    assert one(db, "SELECT bool_and(reopened), count(closed_at) FROM v_reporting_progress WHERE year = 2025") == (True, 0)
    assert submit(db, [(LIFE, 2025, 86.8, "")], name="after_reopen.csv") == 0


def test_a_year_reopened_for_a_late_unit_stays_the_default_year(db):
    # while a round is open the pages default to the year before (a few approved values are not the year); once
    # closed, the year is the default, and opening it again for a late unit no longer sent everyone back a year
    office = write_csv(db, "office.csv", [(INFANT, 2024, 2.1), (INFANT, 2025, 2.0)])
    assert cli.main(["import", str(office), "--db", str(db)]) == 0  # the office's own import: approved at once
    with db_mod.open_reader(db) as reader:
        def defaults():
            con = reader.cursor()
            return (int(db_mod.run_query(con, "default_year").iloc[0, 0]),
                    int(con.execute(saved.DEFAULT_YEAR_SQL).fetchone()[0]))
        assert defaults() == (2024, 2024)  # the 2025 round is open
    assert close(db, "--as", "admin") == 0
    with db_mod.open_reader(db) as reader:
        assert defaults() == (2025, 2025)
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "2099-04-30", "--db", str(db)]) == 0
    with db_mod.open_reader(db) as reader:
        assert defaults() == (2025, 2025)


def test_open_needs_a_deadline(db, capsys):
    assert cli.main(["round", "open", "--year", "2026", "--db", str(db)]) == 2
    assert "须用 --deadline 给出报送截止日期" in capsys.readouterr().err


def test_a_closed_round_refuses_the_units_submissions_and_drafts(db, capsys):
    wj = accounts.get(db, "wj")
    with db_mod.open_reader(db) as reader:
        grid = round_mod.unit_grid(reader.cursor(), HEALTH, 2025)
        book = load_workbook(io.BytesIO(template.workbook_bytes(reader.cursor(), 2025, unit=HEALTH)))
    grid.loc[grid["indicator_id"] == INFANT, "value_input"] = "2"
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    filled = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == INFANT)
    sheet.cell(filled, header.index("数值") + 1, 2.2)
    book.save(db.parent / "template.xlsx")
    assert close(db, "--as", "admin") == 0
    before = digest(db)

    capsys.readouterr()  # import --as: the CSV and the unit's template
    for path in (write_csv(db, "late.csv", [(INFANT, 2025, 2.0, "")]), db.parent / "template.xlsx"):
        assert cli.main(["import", str(path), "--db", str(db), "--as", "wj"]) == 2
        assert CLOSED.search(capsys.readouterr().err) and digest(db) == before
    with db_mod.open_reader(db) as reader:  # the online grid's 提交审核, and its 保存草稿
        con = reader.cursor()
        with pytest.raises(round_mod.RoundRefused, match=CLOSED):
            round_mod.store(con, db, round_mod.grid_checked(con, grid, 2025), wj)
    with pytest.raises(round_mod.RoundRefused, match=CLOSED):
        round_mod.save_draft(db, HEALTH, 2025, grid, by="wj")
    assert digest(db) == before
    assert one(db, "SELECT count(*) FROM import_batch WHERE source_kind <> '示例'") == (0,)

    # the office's direct import still counts at once: a correction after the round
    office = write_csv(db, "office.csv", [(INFANT, 2025, 3.0, "统计局年报")])
    assert cli.main(["import", str(office), "--db", str(db)]) == 0
    assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT]) == (3.0,)


def test_pending_submissions_are_reviewed_after_the_close(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")], name="one.csv") == 0
    first = last_batch(db)
    assert submit(db, [(LIFE, 2025, 86.8, "")], name="two.csv") == 0
    second = last_batch(db)
    assert close(db, "--as", "admin") == 0
    assert cli.main(["review", str(first), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert cli.main(["review", str(second), "--return", "请附来源", "--as", "tj", "--db", str(db)]) == 0
    assert rows(db, "SELECT batch_id, status FROM import_batch WHERE batch_id IN (?, ?) ORDER BY 1",
                [first, second]) == [(first, "已通过"), (second, "已退回")]
    assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT]) == (2.0,)


def board(db, query: str) -> list[tuple]:
    with db_mod.open_reader(db) as reader:
        return list(db_mod.run_query(reader.cursor(), query, year=2025, region="320582").itertuples(index=False))


def test_board_and_view_after_the_close(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    with db_mod.writing(db) as con:  # the deadline has passed
        con.execute("UPDATE reporting_round SET deadline = DATE '2020-01-01'")
        con.execute("UPDATE round_deadline SET deadline = DATE '2020-01-01', timely_deadline = DATE '2020-01-01'")
    columns = rows(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'v_reporting_progress' "
                       "ORDER BY column_index")
    assert [c for (c,) in columns][-5:] == ["unit_id", "region_code", "closed_at", "reopened", "timely_deadline"]  # new last
    health = "SELECT n_due, n_approved, n_missing, overdue, closed_at FROM v_reporting_progress WHERE unit_id = ?"
    n_due, n_approved, n_missing, overdue, closed_at = one(db, health, [HEALTH])
    assert (n_approved, n_missing, overdue, closed_at) == (1, n_due - 1, True, None)
    n_units = one(db, "SELECT count(*) FROM v_reporting_progress WHERE region_code = '320582' AND year = 2025")[0]
    states = {r[1]: r[8] for r in board(db, "round_board")}
    assert states["市卫健委"] == "逾期" and set(states.values()) == {"逾期"}  # every unit still owes
    totals = board(db, "round_board_totals")[0]
    assert (totals.逾期单位, totals.未报齐单位) == (n_units, n_units)

    assert close(db, "--as", "admin") == 0
    closed = one(db, "SELECT closed_at FROM reporting_round")[0]
    # the view: the same counts (未报 still counted, overdue as before), and when the round was closed
    assert one(db, health, [HEALTH]) == (n_due, 1, n_due - 1, True, closed)
    states = {r[1]: r[8] for r in board(db, "round_board")}
    assert set(states.values()) == {"未报齐"}  # no longer called 逾期
    totals = board(db, "round_board_totals")[0]
    assert (totals.未报, totals.逾期单位, totals.未报齐单位) == (
        one(db, "SELECT sum(n_missing) FROM v_reporting_progress WHERE region_code = '320582'")[0], 0, n_units)


def test_a_close_that_lands_after_the_check_still_refuses_the_submission(db):
    """The 填报员's submission is checked against the round again inside the write, under the writers' lock."""
    wj = accounts.get(db, "wj")
    with db_mod.open_reader(db) as reader:  # opened before the close: it still reads the round as open
        con = reader.cursor()
        grid = round_mod.unit_grid(con, HEALTH, 2025)
        grid.loc[grid["indicator_id"] == INFANT, "value_input"] = "2"
        checked = round_mod.grid_checked(con, grid, 2025)
        assert close(db, "--as", "admin") == 0
        before = digest(db)
        round_mod.refuse_unless_open(con, [2025])  # the check before the write passes on the older file …
        with pytest.raises(round_mod.RoundRefused, match=CLOSED):  # … the one inside the write refuses
            round_mod.store(con, db, checked, wj)
    assert digest(db) == before
    assert one(db, "SELECT count(*) FROM import_batch WHERE source_kind <> '示例'") == (0,)


def test_after_the_close_the_offices_import_with_as_counts_and_a_reviewers_is_refused(db, capsys):
    """import --as: an administrator's or importer's file is the office's import (approved as it lands, as on 数据填报,
    open round or closed); a 审核员's submission lands as 待审核 while the round is open and is refused once closed."""
    accounts.add(db, "office", "password1", "importer")
    capsys.readouterr()
    assert submit(db, [(LIFE, 2025, 86.8, "")], "tj", name="tj_open.csv") == 0
    assert f"已提交批次 {last_batch(db)},待审核" in capsys.readouterr().out
    assert close(db, "--as", "admin") == 0
    before = digest(db)

    capsys.readouterr()
    assert submit(db, [(INFANT, 2025, 2.0, "")], "tj", name="tj_closed.csv") == 2
    err = capsys.readouterr().err
    assert re.search(r"2025 年度报送已于 \d{4}-\d\d-\d\d \d\d:\d\d 结束,审核员不能再提交该年数值;如需补报,请管理员再次开启"
                     r"该年度\(监测管理,或 python -m planwatch round open --year 2025 --deadline YYYY-MM-DD\),"
                     r"或由办公室直接导入", err), err
    assert "Traceback" not in err and digest(db) == before

    for user, value in (("admin", 2.5), ("office", 3.0)):
        assert submit(db, [(INFANT, 2025, value, "统计局年报")], user, name=f"{user}.csv") == 0
        batch = last_batch(db)
        assert f"已导入批次 {batch}(办公室直接导入,已通过)" in capsys.readouterr().out
        assert one(db, "SELECT status, uploader, reviewed_by, review_note, submitted_by, unit_id FROM import_batch "
                       "WHERE batch_id = ?", [batch]) == ("已通过", user, user, "办公室直接导入,无需审核", None, None)
        assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT]) == (value,)


def test_reopening_for_a_late_unit_does_not_make_everyone_on_time(db):
    # the deadline passed with nothing reported (everyone overdue, none on time); the office reopens the year with
    # a new deadline for a late unit, which then reports: it is not on time, nor is anyone else made so, and the
    # units still owing stay overdue. An extension given while the round is in time does move the deadline.
    from datetime import date
    with db_mod.writing(db) as con:  # (the round opened with a deadline that has now passed)
        con.execute("UPDATE reporting_round SET deadline = DATE '2024-03-31', opened_at = TIMESTAMP '2024-01-02'")
        con.execute("UPDATE round_deadline SET deadline = DATE '2024-03-31', timely_deadline = DATE '2024-03-31', "
                    "set_at = TIMESTAMP '2024-01-02'")
    before = one(db, "SELECT sum(n_on_time), bool_and(overdue) FROM v_reporting_progress WHERE year = 2025")
    assert before == (0, True)
    assert close(db, "--as", "admin") == 0
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "2099-04-30", "--db", str(db)]) == 0
    assert submit(db, [(LIFE, 2025, 86.8, "")], name="late.csv") == 0
    assert one(db, "SELECT sum(n_on_time), bool_and(overdue), any_value(timely_deadline)::VARCHAR, "
                   "any_value(deadline)::VARCHAR FROM v_reporting_progress WHERE year = 2025") == (
        0, True, "2024-03-31", "2099-04-30")
    with db_mod.open_reader(db) as reader:  # the rule itself
        con = reader.cursor()
        assert round_mod.timely_deadline(con, 2030, date(2031, 3, 31), date(2026, 1, 1)) == date(2031, 3, 31)  # new
        assert round_mod.timely_deadline(con, 2025, date(2099, 5, 31), date(2026, 1, 1)) == date(2024, 3, 31)  # late
    # a deadline already past when given (a slip, which the page warns of) is corrected by the next one
    assert cli.main(["round", "open", "--year", "2026", "--deadline", "2026-01-31", "--db", str(db)]) == 0
    assert cli.main(["round", "open", "--year", "2026", "--deadline", "2099-03-31", "--db", str(db)]) == 0
    assert one(db, "SELECT arg_max(timely_deadline, set_at)::VARCHAR FROM round_deadline WHERE year = 2026") == (
        "2099-03-31",)
    assert cli.main(["build", "--db", str(db)]) == 0  # a rebuild keeps every deadline given (round_deadline)
    assert one(db, "SELECT any_value(timely_deadline)::VARCHAR FROM v_reporting_progress WHERE year = 2025") == (
        "2024-03-31",)
    with db_mod.writing(db) as con:  # an open round still in time: an extension moves it
        con.execute("UPDATE round_deadline SET timely_deadline = DATE '2099-04-30', set_at = now()")
    with db_mod.open_reader(db) as reader:
        assert round_mod.timely_deadline(reader.cursor(), 2025, date(2099, 5, 31), date(2026, 1, 1)) == date(2099, 5, 31)
