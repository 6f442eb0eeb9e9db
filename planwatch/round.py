"""年度监测: opening a reporting round, a unit's scope, drafts, and submissions for review.

The plans (咸阳 四、监测评估; 怀柔 五、监测评估; 张家港 4.完善监测评估) assign targets to responsible units; each year
the units report their indicators' values, the 监测组 (statistics bureau) checks them and reports to the 妇儿工委.
Here a 填报员 submits the unit's values (online grid, template or `import --as`), which land as 待审核; a 审核员
approves or returns them (planwatch/review.py). The office's direct import (数据填报, `import` without `--as` or as an
administrator or importer) is approved at once. A 管理员 closes the round (结束报送): the units and reviewers can no
longer submit, nor units save drafts, for that year; pending submissions can still be reviewed and the office can
still import directly. Opening the year again reopens it.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb

from planwatch import accounts, db, importer, versions

if TYPE_CHECKING:
    import pandas as pd

REASON_NEEDED = ("进度滞后", "逆向变化")
OFFICE = ("admin", "importer")  # the roles whose import is the office's: approved as it lands


class RoundRefused(Exception):
    pass


def open_round(db_path, year: int, deadline: date, by: str) -> None:
    """Open (or reopen with a new deadline, which also reopens a closed round) the reporting of year's values."""
    if not 2000 <= year <= 2100:
        raise RoundRefused(f"年份 {year} 不是有效的监测年份")
    if deadline.year < year:
        raise RoundRefused(f"截止日期 {deadline} 早于监测年份 {year} 年结束")
    # INSERT OR REPLACE keeps the columns it does not name: the close is cleared, its closer kept (a reopened round,
    # closed before, stays the pages' default year: v_reporting_progress.reopened, queries/default_year.sql)
    with db.writing(db_path) as con:
        timely = timely_deadline(con, year, deadline, date.today())
        con.execute("INSERT OR REPLACE INTO reporting_round (year, deadline, opened_by, opened_at, closed_at) "
                    "VALUES (?, ?, ?, now(), NULL)", [year, deadline, by])
        con.execute("INSERT INTO round_deadline VALUES (?, ?, ?, now(), ?)", [year, deadline, timely, by])


def timely_deadline(con, year: int, deadline: date, today: date) -> date:
    """The deadline timeliness (报送及时率, 逾期) is judged by once the round is given `deadline` today: the new one for
    a new round, an extension while the round is open and in time, or a correction of a deadline that was already
    past when it was set; otherwise (a reopening after the close or after the deadline, for a late unit) the one in
    force, or reopening would make every late unit on time."""
    row = con.execute("""
        SELECT r.closed_at, t.timely_deadline,
               -- the day that deadline was given (a row setting it as the deadline; before the table: the opening)
               coalesce((SELECT CAST(min(set_at) AS DATE) FROM round_deadline d
                         WHERE d.year = $year AND d.deadline = t.timely_deadline
                           AND d.timely_deadline = t.timely_deadline),
                        CAST(r.opened_at AS DATE))
        FROM reporting_round r JOIN _round_timely t USING (year) WHERE r.year = $year""", {"year": year}).fetchone()
    if row is None:
        return deadline
    closed_at, timely, set_on = row
    in_time = closed_at is None and (today <= timely or (set_on is not None and set_on > timely))
    return deadline if in_time else timely


def close_round(db_path, year: int, closer: accounts.Account) -> dict[str, int]:
    """End the reporting of year's values (管理员 only), recording who and when; returns what was still owed at
    that moment per the board (未报, 退回, 待审核 indicators)."""
    if closer.role != "admin":
        raise RoundRefused(f"账号“{accounts.shown(closer.name)}”是{closer.role_label},只有管理员可以结束年度监测")
    with db.writing(db_path) as con:  # a refusal inside discards the copy: the file stays as it was
        row = con.execute("SELECT closed_at FROM reporting_round WHERE year = ?", [year]).fetchone()
        if row is None:
            raise RoundRefused(f"没有 {year} 年度监测,无法结束")
        if row[0] is not None:
            raise RoundRefused(f"{year} 年度监测已于 {row[0]:%Y-%m-%d %H:%M} 结束(如需重新开启,请再次开启该年度)")
        owed = still_owed(con, year)
        con.execute("UPDATE reporting_round SET closed_at = now(), closed_by = ? WHERE year = ?", [closer.name, year])
    return owed


def next_deadline(today: date) -> date:
    """The usual deadline (31 March, when the year's statistics are out) that is still ahead."""
    this_year = date(today.year, 3, 31)
    return this_year if this_year >= today else date(today.year + 1, 3, 31)


def past_deadline_note(deadline: date, today: date) -> str:
    """What a deadline already past means ("" when it is ahead)."""
    return (f"注意:截止日期 {deadline:%Y-%m-%d} 已过,尚未报齐的单位立即显示为逾期;如非有意,"
            "请再次开启该年度并改正截止日期。" if deadline < today else "")


def still_owed(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    """The round's indicators still 未报, 退回 and 待审核 across every region and unit."""
    return owed_in(db.run_query(con, "round_board_totals", year=year, region=None))


def owed_in(totals: pd.DataFrame) -> dict[str, int]:
    """未报, 退回 and 待审核 from the board's totals (queries/round_board_totals.sql)."""
    return {label: int(totals[label].fillna(0).iloc[0]) for label in ("未报", "退回", "待审核")}


def owed_text(owed: dict[str, int]) -> str:
    return "、".join(f"{label} {n:,} 项" for label, n in owed.items())


def close_warning(year: int, owed: dict[str, int]) -> str:
    """What closing the round means, with what is still owed: the confirmation the 年度监测 page asks for."""
    return (f"结束后,各单位不能再提交 {year} 年数值,也不能保存草稿(办公室仍可直接导入,待审核的提交仍可审核;"
            f"再次开启该年度即重新开放)。按报送进度,全部地区目前仍有:{owed_text(owed)}。")


def closed_at(con: duckdb.DuckDBPyConnection, year: int) -> datetime | None:
    """When the year's round was closed (None: open, or no such round)."""
    row = con.execute("SELECT closed_at FROM reporting_round WHERE year = ?", [year]).fetchone()
    return row[0] if row else None


def closed_message(year: int, when: datetime, role: str = "filler") -> str:
    """Why a 填报员's (or a 审核员's) values for a closed year are refused, and what can still be done."""
    closed = f"{year} 年度报送已于 {when:%Y-%m-%d %H:%M} 结束,"
    if role == "filler":
        return closed + "如需补报请联系工委办公室"
    return (closed + f"审核员不能再提交该年数值;如需补报,请管理员再次开启该年度(监测管理,或 python -m planwatch "
            f"round open --year {year} --deadline YYYY-MM-DD),或由办公室直接导入")


def refuse_unless_open(con: duckdb.DuckDBPyConnection, years, role: str = "filler") -> None:
    """A 填报员 or 审核员 submits (and a 填报员 saves) values only for a year whose round is open: not for a closed
    one, nor for a year no round was opened for (the office still may import any year of a plan)."""
    for year in sorted({int(y) for y in years}):
        row = con.execute("SELECT closed_at FROM reporting_round WHERE year = ?", [year]).fetchone()
        if row is None:
            raise RoundRefused(f"{year} 年度监测尚未开启,不能提交该年数值;各单位只报送已开启年度的数值,"
                               "往年数值的修订请联系工委办公室")
        if row[0] is not None:
            raise RoundRefused(closed_message(year, row[0], role))


def rounds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM reporting_round ORDER BY year DESC").df()


def round_of(rounds: pd.DataFrame, year: int) -> tuple[date, datetime | None]:
    """A round's deadline and when it was closed (None while open), from `rounds`."""
    import pandas as pd  # imported here: the round commands need no pandas

    row = rounds.set_index("year").loc[year]
    return row["deadline"], (row["closed_at"] if pd.notna(row["closed_at"]) else None)


def round_label(rounds: pd.DataFrame, year: int) -> str:
    """How the year selectors name a round: 2025年度监测, or 2025年度监测(已结束)."""
    return f"{year}年度监测" + ("(已结束)" if round_of(rounds, year)[1] is not None else "")


def scope(con: duckdb.DuckDBPyConnection, account: accounts.Account) -> set[str] | None:
    """The indicator ids an account may submit (None: every indicator, for the office)."""
    if account.role == "filler":
        return {r[0] for r in con.execute("SELECT indicator_id FROM _unit_scope WHERE unit_id = ?",
                                          [account.unit]).fetchall()}
    if account.role == "reviewer" and account.region:
        return {r[0] for r in con.execute("SELECT indicator_id FROM v_indicator WHERE region_code = ?",
                                          [account.region]).fetchall()}
    return None


def scope_label(con: duckdb.DuckDBPyConnection, account: accounts.Account) -> str:
    """Where an account works, as people say it: 张家港市 · 市卫健委 (or 全部地区)."""
    row = con.execute("SELECT r.name, u.name FROM region r LEFT JOIN unit u ON u.unit_id = $unit "
                      "WHERE r.region_code = $region", {"region": account.region, "unit": account.unit}).fetchone()
    return " · ".join(p for p in (row or ()) if p) or "全部地区"


def scope_problems(con: duckdb.DuckDBPyConnection, checked: importer.Checked, account: accounts.Account
                   ) -> tuple[list[str], importer.Checked]:
    """The rows outside the account's scope, each named with its indicator, and the file's rows inside it."""
    allowed = scope(con, account)
    if allowed is None:
        return [], checked
    names = dict(con.execute("SELECT indicator_id, name FROM indicator").fetchall())
    whose = scope_label(con, account).split(" · ")[-1]
    problems = [f"第{row_no}行: 指标“{iid}”({names.get(iid, '')})不属于{whose}的填报范围"
                for row_no, iid, *_ in checked.records if iid not in allowed]
    return problems, dataclasses.replace(checked, records=[r for r in checked.records if r[1] in allowed])


def already_accepted(con: duckdb.DuckDBPyConnection, checksum: str) -> int | None:
    """The batch that already holds this very file (same checksum, pending or approved), if any."""
    row = con.execute("SELECT max(batch_id) FROM _batch WHERE checksum = ? AND state IN ('待审核', '已通过')",
                      [checksum]).fetchone()
    return row[0]


def check_submission(con: duckdb.DuckDBPyConnection, checked: importer.Checked, account: accounts.Account) -> None:
    """What a unit's (or a 审核员's) submission must pass before it is stored: an open round for its years, the
    account's scope, and 原因说明 / 整改措施 for values that would lag or reverse. The upload's 检查 runs it too, so
    a file said to pass is not refused at 提交. Raises RoundRefused or ImportRefused."""
    problems = submission_problems(con, checked, account)
    if problems:
        raise importer.ImportRefused(problems)


def submission_problems(con: duckdb.DuckDBPyConnection, checked: importer.Checked, account: accounts.Account | None
                        ) -> list[str]:
    """Every row outside the account's scope, and the missing 原因说明 / 整改措施 of the rows inside it, in one list
    (one round for the clerk, not one per kind of problem); a closed round raises RoundRefused first. account None:
    the reasons only (the online grid holds the unit's own indicators of an open round)."""
    outside, inside = [], checked
    if account is not None:
        refuse_unless_open(con, checked.column("year"), account.role)
        outside, inside = scope_problems(con, checked, account)
    from planwatch import review

    rows = inside.rows  # a new DataFrame on each access: made once here
    lacking = reason_problems(rows, review.preview_rows(con, rows)) if len(rows) else []
    return outside + lacking + (missing_reason_columns(checked) if lacking else [])


def check_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, account: accounts.Account
               ) -> importer.Checked:
    """A unit's file checked as 提交 will check it (importer.check, then check_submission), all in one round: a
    file refused for some values also names its other rows outside the scope or lacking 原因说明 / 整改措施."""
    try:
        checked = importer.check(con, data, file_name)
    except importer.ImportRefused as refused:
        raise with_submission_problems(con, refused, account) from None
    check_submission(con, checked, account)
    return checked


def with_submission_problems(con: duckdb.DuckDBPyConnection, refused: importer.ImportRefused,
                             account: accounts.Account | None) -> importer.ImportRefused:
    """The refusal, with what 提交 would also refuse in the rows that passed (refused.passed) added."""
    if refused.passed is None:
        return refused
    try:
        more = submission_problems(con, refused.passed, account)
    except RoundRefused as closed:
        more = [str(closed)]
    return importer.ImportRefused(refused.problems + more) if more else refused


def store(con: duckdb.DuckDBPyConnection, db_path, checked: importer.Checked, account: accounts.Account | None,
          uploader: str = "命令行", resubmit: bool = False) -> int:
    """Store a checked file: as the office's direct import (account None, or an administrator's or importer's:
    approved at once, recorded as such) or as a 填报员's or 审核员's submission (scope-checked whole, 待审核;
    refused for a year whose round is not open). A file already accepted needs resubmit=True."""
    office = account is None or account.role in OFFICE
    if not office:
        check_submission(con, checked, account)

    def refuse_twice(con_or_writer):  # the very file already pending or approved, unless resubmitted knowingly
        earlier = None if resubmit else already_accepted(con_or_writer, checked.checksum)
        if earlier is not None:
            raise importer.ImportRefused([f"同一文件(校验和相同)已作为批次 {earlier} 导入;如确需再次提交,"
                                          "请确认重新提交(命令行加 --resubmit)"])
    refuse_twice(con)
    if office:
        by = account.name if account else uploader
        # again under the writers' lock: the same file imported at the same moment lands once
        return importer.commit(db_path, checked, uploader=by, status="已通过", reviewed_by=by, guard=refuse_twice,
                               reviewed_at=datetime.now(), review_note="办公室直接导入,无需审核")
    years = set(checked.column("year"))

    def guard(writer):  # again under the writers' lock: a close, or the same file, landed since the checks above
        refuse_unless_open(writer, years, account.role)
        refuse_twice(writer)
    return importer.commit(db_path, checked, uploader=account.name, status="待审核", guard=guard,
                           submitted_by=account.name, unit_id=account.unit if account.role == "filler" else None,
                           round_year=next(iter(years)) if len(years) == 1 else None)


# --- the online grid: drafts and their submission ---------------------------------------------------------------

GRID_COLUMNS = ["indicator_id", "year", "value_input", "note", "reason", "measures"]


def unit_grid(con: duckdb.DuckDBPyConnection, unit_id: str, year: int) -> pd.DataFrame:
    """The unit's indicators for year with baseline, last values, target and unit, and the saved draft."""
    return db.run_query(con, "round_grid", unit=unit_id, year=year)


def save_draft(db_path, unit_id: str, year: int, grid: pd.DataFrame, by: str) -> int:
    """Replace the unit's draft for year by the filled rows of the grid; returns how many rows were kept. Refused
    once the year's round is closed."""
    filled = _filled(grid)  # noqa: F841  (read by DuckDB)
    with db.writing(db_path) as con:
        refuse_unless_open(con, [year])
        con.execute("DELETE FROM draft_value WHERE unit_id = ? AND year = ?", [unit_id, year])
        con.execute("INSERT INTO draft_value BY NAME SELECT ? AS unit_id, indicator_id, CAST(? AS INTEGER) AS year, "
                    "value_input, note, reason, measures, ? AS saved_by, now() AS saved_at FROM filled",
                    [unit_id, year, by])
        versions.touched_unit(con, unit_id)
    return len(filled)


def _filled(grid: pd.DataFrame) -> pd.DataFrame:
    frame = grid.reindex(columns=GRID_COLUMNS).astype(object).where(grid.reindex(columns=GRID_COLUMNS).notna(), "")
    frame = frame.map(lambda v: str(v).strip())
    return frame[(frame["value_input"] != "") | (frame["note"] != "") | (frame["reason"] != "")
                 | (frame["measures"] != "")]


def grid_checked(con: duckdb.DuckDBPyConnection, grid: pd.DataFrame, year: int) -> importer.Checked:
    """Validate the grid's values like an uploaded file (the same rules); problems name the grid's row (1 = first
    indicator) and the indicator. The rows carry the unit's 原因说明 (reason) and 整改措施 (measures)."""
    frame = grid.reindex(columns=GRID_COLUMNS).astype(object).where(grid.reindex(columns=GRID_COLUMNS).notna(), "")
    frame = frame.reset_index(drop=True).map(lambda v: str(v).strip())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_id", "year", "value", "note", "原因说明", "整改措施"])
    for r in frame.itertuples():
        writer.writerow([r.indicator_id, year, r.value_input, r.note, r.reason, r.measures])
    names = dict(con.execute("SELECT indicator_id, name FROM indicator").fetchall())
    try:
        checked = importer.check(con, out.getvalue().encode("utf-8"), f"在线填报_{year}.csv")
    except importer.ImportRefused as refused:
        def grid_row(match: re.Match) -> str:  # file row n is grid row n - 1 (the file has a header)
            row = int(match[1]) - 1
            return f"第{row}行({names.get(frame.loc[row - 1, 'indicator_id'], '')})" if row <= len(frame) else match[0]
        passed = refused.passed
        if passed is not None:
            passed.records = [(row_no - 1, *rest) for row_no, *rest in passed.records]
        raise with_submission_problems(con, importer.ImportRefused(
            [re.sub(r"第(\d+)行", grid_row, p, count=1).replace("数值列", "本年数值") for p in refused.problems],
            passed), None) from None
    checked.records = [(row_no - 1, *rest) for row_no, *rest in checked.records]
    return checked


def reason_problems(rows: pd.DataFrame, statuses: pd.DataFrame) -> list[str]:
    """Values that would make their indicator lag or reverse, without the unit's 原因说明 and 整改措施."""
    merged = rows.merge(statuses[["indicator_id", "year", "name", "new_status"]], on=["indicator_id", "year"])
    problems = []
    for r in merged.itertuples():
        if r.new_status in REASON_NEEDED:
            lacking = [label for label, col in (("原因说明", "reason"), ("整改措施", "measures"))
                       if not isinstance(getattr(r, col, None), str) or not getattr(r, col).strip()]
            if lacking:
                problems.append(f"第{r.row_no}行 指标“{r.name}”({r.indicator_id}): 按新数值将为{r.new_status},"
                                f"请填写{'和'.join(lacking)}")
    return problems


def missing_reason_columns(checked: importer.Checked) -> list[str]:
    """How to give 原因说明 and 整改措施 when the file has no column for them (the grid and templates have both)."""
    missing = [f"“{label}”" for key, label in (("reason", "原因说明"), ("measures", "整改措施"))
               if key not in checked.header]
    if not missing:
        return []
    return [f"文件中没有{''.join(missing)}列,请加上{'这两列' if len(missing) == 2 else '该列'}(或下载本单位填报模板)后填写"]


def clear_draft(db_path, unit_id: str, year: int) -> None:
    with db.writing(db_path) as con:
        con.execute("DELETE FROM draft_value WHERE unit_id = ? AND year = ?", [unit_id, year])
        versions.touched_unit(con, unit_id)
