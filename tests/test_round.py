"""年度监测: scope, review states, what counts, the board's counts, history, drafts and reasons, assignments.

Accounts are made with planwatch/accounts.py (cheap bcrypt rounds in tests). Values are hand-picked for 张家港市's plans:
市卫健委 leads 婴儿死亡率 (children-k02: 2020 baseline 1.75‰, target ≤4‰ by 2025) and 妇女人均预期寿命 (women-k01:
baseline 85.7 岁, 保持); 市教育局 leads 女性劳动年龄人口平均受教育年限 (women-k03).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest
from conftest import one, rows
from openpyxl import load_workbook

from planwatch import accounts, assignment, build, cli, db as db_mod, importer, review, template
from planwatch import round as round_mod
from planwatch.paths import DATA_DIR
from planwatch.report import content as report_content

INFANT = "zhangjiagang-children-k02"
LIFE = "zhangjiagang-women-k01"  # 妇女人均预期寿命 持续提升 from 85.7: met by a rise of more than 0.1岁
EDU = "zhangjiagang-women-k03"
HEALTH = "320582:市卫健委"
# what pending values must not change (the reasons' projected figures are left out: a recomputation of the trend
# may differ in the last float bits, whatever was imported)
PUBLIC = {"v_observation": "*", "v_status": "indicator_id, as_of_year, latest_year, latest_value, status",
          "v_warning": "indicator_id, as_of_year, level, kind",
          "v_attainment_by_plan": "plan_id, as_of_year, n_met, n_assessed, n_no_data",
          "v_attainment_by_unit": "unit, as_of_year, n_met, n_assessed, n_no_data"}


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 4)


def add_accounts(db: Path, rounds: tuple[int, ...] = (2025,)) -> Path:
    for name, role, region, unit in [("wj", "filler", "张家港市", "市卫健委"), ("jy", "filler", "张家港市", "市教育局"),
                                     ("tj", "reviewer", "张家港市", None), ("py", "reviewer", "平阳县", None),
                                     ("admin", "admin", None, None)]:
        accounts.add(db, name, "password1", role, region, unit)
    for year in rounds:  # units report only for an open round's year
        round_mod.open_round(db, year, dt.date(2099, 3, 31), "admin")
    return db


@pytest.fixture
def db(fresh_db) -> Path:
    return add_accounts(fresh_db)


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def write_csv(db: Path, name: str, lines: list[tuple]) -> Path:
    path = db.parent / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("indicator_id", "year", "value", "note", "原因说明", "整改措施"),
                                  *((*line, "", "")[:6] for line in lines)])
    return path


def submit(db: Path, lines: list[tuple], user: str = "wj", name: str = "values.csv", *extra) -> int:
    return cli.main(["import", str(write_csv(db, name, lines)), "--db", str(db), "--as", user, *extra])


def last_batch(db: Path) -> int:
    return one(db, "SELECT max(batch_id) FROM import_batch")[0]


def public_views(db: Path) -> dict:
    with db_mod.open_reader(db) as reader:
        return {v: reader.cursor().execute(f"SELECT {cols} FROM {v} ORDER BY ALL").df().to_csv()
                for v, cols in PUBLIC.items()}


def report_tables(db: Path) -> str:
    """The tables behind the 年度报告 (slides, PDF and workbook share them) for 张家港市 in 2024."""
    with db_mod.open_reader(db) as reader:
        content = report_content.gather(reader.cursor(), 2024, "张家港市")
    return str(content.headline) + content.attainment.to_csv() + content.units.drop(columns="报送及时率").to_csv()


def test_filler_cannot_submit_another_units_indicator(db, capsys):
    before = digest(db)
    code = submit(db, [(INFANT, 2025, 2.0, ""), (EDU, 2025, 11.5, "")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"第3行: 指标“{EDU}”(女性劳动年龄人口平均受教育年限)不属于市卫健委的填报范围" in err
    assert "数据库未改动" in err and digest(db) == before


def test_unknown_account_and_foreign_region_reviewer_are_refused(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")], user="nobody") == 2
    assert "没有名为“nobody”的账号" in capsys.readouterr().err
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0
    batch = last_batch(db)
    before = digest(db)
    assert cli.main(["review", str(batch), "--approve", "--as", "py", "--db", str(db)]) == 2
    assert "含平阳县以外的指标" in capsys.readouterr().err and digest(db) == before
    assert cli.main(["review", str(batch), "--approve", "--as", "wj", "--db", str(db)]) == 2
    assert "不是审核员" in capsys.readouterr().err


def test_units_report_only_for_an_open_rounds_year(db, capsys):
    before = digest(db)
    assert submit(db, [(INFANT, 2023, 2.0, "")]) == 2  # only the 2025 round is open
    assert "2023 年度监测尚未开启,不能提交该年数值" in capsys.readouterr().err and digest(db) == before
    assert cli.main(["import", str(write_csv(db, "office.csv", [(INFANT, 2023, 2.0, "")])), "--db", str(db)]) == 0


def test_a_reviewer_may_not_approve_their_own_submission(db, capsys):
    # a 审核员 importing under their own name lands as 待审核 (the CLI's --as); someone else must review it
    assert submit(db, [(INFANT, 2025, 2.0, "")], user="tj") == 0
    batch = last_batch(db)
    assert cli.main(["review", str(batch), "--approve", "--as", "tj", "--db", str(db)]) == 2
    assert "本人提交的,须由其他审核员审核" in capsys.readouterr().err
    assert one(db, "SELECT status FROM import_batch WHERE batch_id = ?", [batch]) == ("待审核",)
    assert cli.main(["review", str(batch), "--approve", "--as", "admin", "--db", str(db)]) == 0


def test_pending_values_count_nowhere_until_approved(demo_db, tmp_path, capsys):
    db = tmp_path / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    add_accounts(db, rounds=(2024, 2025))
    before, report_before = public_views(db), report_tables(db)
    assert submit(db, [(INFANT, 2024, 5.0, "", "口径调整", "加强救治"), (LIFE, 2024, 86.8, "")]) == 0
    assert public_views(db) == before  # pending: every public view and the report as they were
    assert report_tables(db) == report_before
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert one(db, "SELECT value, source_kind FROM v_observation WHERE indicator_id = ? AND year = 2024",
               [INFANT]) == (5.0, "填报")
    # 5‰ is over the 4‰ ceiling: breached
    assert one(db, "SELECT status FROM v_status WHERE indicator_id = ? AND as_of_year = 2024", [INFANT])[0] == "逆向变化"
    assert public_views(db) != before and report_tables(db) != report_before


def test_approval_makes_values_count_and_changes_status(db, capsys):
    status = "SELECT status FROM v_status WHERE indicator_id = ? AND as_of_year = 2025"
    assert one(db, status, [INFANT])[0] == "无数据"
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0
    batch = last_batch(db)
    assert one(db, status, [INFANT])[0] == "无数据"
    before = digest(db)
    with db_mod.open_reader(db) as reader:
        preview = review.preview_batch(reader.cursor(), batch)
    assert digest(db) == before  # the preview never writes the file
    row = preview.iloc[0]
    assert (row.indicator_id, row.new_value, row.old_status, row.new_status) == (INFANT, 2.0, "无数据", "已达标")
    assert cli.main(["review", str(batch), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert one(db, status, [INFANT])[0] == "已达标"
    assert one(db, "SELECT status, reviewed_by FROM import_batch WHERE batch_id = ?", [batch]) == ("已通过", "tj")


def test_return_with_reason_then_resubmission(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0
    first = last_batch(db)
    assert cli.main(["review", str(first), "--return", "  ", "--as", "tj", "--db", str(db)]) == 2
    assert "退回时请写明原因" in capsys.readouterr().err
    assert cli.main(["review", str(first), "--return", "口径应为千分率", "--as", "tj", "--db", str(db)]) == 0
    assert one(db, "SELECT count(*) FROM v_observation WHERE year = 2025")[0] == 0
    assert cli.main(["review", str(first), "--approve", "--as", "tj", "--db", str(db)]) == 2
    assert "状态是已退回" in capsys.readouterr().err
    assert submit(db, [(INFANT, 2025, 2.1, "更正")], name="corrected.csv") == 0
    second = last_batch(db)
    assert cli.main(["review", str(second), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT])[0] == 2.1
    history = rows(db, "SELECT batch_id, value, status, review_note, entered_by, unit FROM v_value_history "
                             "WHERE indicator_id = ? ORDER BY batch_id", [INFANT])
    assert history == [(first, 2.0, "已退回", "口径应为千分率", "wj", "市卫健委"), (second, 2.1, "已通过", None, "wj", "市卫健委")]


def test_history_records_the_value_replaced_and_undo(db, capsys):
    office = write_csv(db, "office.csv", [(INFANT, 2025, 3.0, "统计局年报")])
    assert cli.main(["import", str(office), "--db", str(db)]) == 0  # the office: approved at once
    office_batch = last_batch(db)
    assert one(db, "SELECT status, reviewed_by, review_note FROM import_batch WHERE batch_id = ?",
               [office_batch]) == ("已通过", "命令行", "办公室直接导入,无需审核")
    assert submit(db, [(INFANT, 2025, 2.5, "")]) == 0
    unit_batch = last_batch(db)
    history = "SELECT value, status, replaced_value, replaced_batch_id FROM v_value_history WHERE batch_id = ?"
    assert one(db, history, [unit_batch]) == (2.5, "待审核", 3.0, office_batch)
    assert cli.main(["review", str(unit_batch), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert cli.main(["undo", str(unit_batch), "--by", "办公室张三", "--db", str(db)]) == 0
    assert one(db, history, [unit_batch]) == (2.5, "已撤销", 3.0, office_batch)
    # who took it out, and when (修订记录 showed 已撤销 beside the reviewer's name only)
    assert one(db, "SELECT undone_by, undone_at IS NOT NULL FROM v_value_history WHERE batch_id = ?", [unit_batch]) == (
        "办公室张三", True)
    with db_mod.open_reader(db) as reader:
        revisions = db_mod.run_query(reader.cursor(), "indicator_revisions", id=INFANT, office=True)
    assert revisions.loc[revisions["批次"] == unit_batch, "撤销"].iloc[0].startswith("办公室张三 20")
    assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT])[0] == 3.0


def test_same_file_again_needs_a_confirmed_resubmission(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 0
    before = digest(db)
    assert submit(db, [(INFANT, 2025, 2.0, "")]) == 2
    assert "同一文件(校验和相同)已作为批次" in capsys.readouterr().err and digest(db) == before
    assert submit(db, [(INFANT, 2025, 2.0, "")], "wj", "values.csv", "--resubmit") == 0


def test_batches_show_status_oldest_first_with_control_characters_escaped(db, capsys):
    assert submit(db, [(INFANT, 2025, 2.0, "")], name="a\tb.csv") == 0
    assert submit(db, [(LIFE, 2025, 86.8, "")], name="second.csv") == 0
    assert cli.main(["review", "2", "--return", "请核实", "--as", "tj", "--db", str(db)]) == 0
    capsys.readouterr()
    assert cli.main(["batches", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["1", "2"]
    assert all(len(line.split("\t")) == 7 for line in lines)  # the tab in the file name is not a field break
    assert lines[0].endswith("待审核") and lines[1].endswith("已退回")


def test_board_counts(db, capsys):
    """市卫健委 leads every 张家港 indicator where the plan lists it first (counted here from units.csv)."""
    leads = set()
    for path in DATA_DIR.glob("plans/zhangjiagang-*/units.csv"):
        with path.open(encoding="utf-8") as fh:
            leads |= {r["indicator_id"] for r in csv.DictReader(fh)
                      if r["indicator_id"] and r["position"] == "1" and r["unit_as_written"] == "市卫健委"}
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "2099-03-31", "--db", str(db)]) == 0
    assert submit(db, [(INFANT, 2025, 2.0, "")], name="one.csv") == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert submit(db, [(LIFE, 2025, 86.8, "")], name="two.csv") == 0
    assert cli.main(["review", str(last_batch(db)), "--return", "请附来源", "--as", "tj", "--db", str(db)]) == 0
    other = next(i for i in sorted(leads) if i not in (INFANT, LIFE) and "-k" in i)
    unit = one(db, "SELECT unit FROM v_indicator WHERE indicator_id = ?", [other])[0]
    assert submit(db, [(other, 2025, 50 if unit == "%" else 5, "", "原因", "措施")], name="three.csv") == 0
    got = one(db, "SELECT n_due, n_submitted, n_approved, n_returned, n_missing, overdue, n_pending "
                        "FROM v_reporting_progress WHERE unit_id = ? AND year = 2025", [HEALTH])
    assert got == (len(leads), 2, 1, 1, len(leads) - 3, False, 1)
    # on time: the two submitted now; the returned one, never corrected, is not (it had counted: 3 > n_submitted)
    assert one(db, "SELECT n_on_time FROM v_reporting_progress WHERE unit_id = ?", [HEALTH]) == (2,)
    assert one(db, "SELECT region, region_code FROM v_reporting_progress WHERE unit_id = ?", [HEALTH]) == \
        ("张家港市", HEALTH.split(":")[0])
    with db_mod.writing(db) as con:  # once the deadline has passed, the unit is overdue
        con.execute("UPDATE reporting_round SET deadline = DATE '2020-01-01'")
        con.execute("UPDATE round_deadline SET deadline = DATE '2020-01-01', timely_deadline = DATE '2020-01-01'")
    assert one(db, "SELECT overdue, n_on_time FROM v_reporting_progress WHERE unit_id = ?", [HEALTH]) == (True, 0)


def test_blank_template_rows_are_skipped_and_counted(db, capsys):
    with db_mod.open_reader(db) as reader:
        data = template.workbook_bytes(reader.cursor(), 2025, unit=HEALTH)
    book = load_workbook(io.BytesIO(data))
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    filled = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == INFANT)
    sheet.cell(filled, header.index("数值") + 1, 2.2)
    n_rows = sheet.max_row - 1
    path = db.parent / "template.xlsx"
    book.save(path)
    assert cli.main(["import", str(path), "--db", str(db), "--as", "wj"]) == 0
    out = capsys.readouterr().out
    assert "1 行" in out and f"跳过 {n_rows - 1} 行未填写的空行" in out
    assert one(db, "SELECT count(*), max(value) FROM observation WHERE batch_id = ?",
               [last_batch(db)]) == (1, 2.2)


def test_grid_requires_reasons_for_lagging_or_reversed_values(db):
    account = accounts.get(db, "wj")

    def grid_store(grid):
        with db_mod.open_reader(db) as reader:
            con = reader.cursor()
            return round_mod.store(con, db, round_mod.grid_checked(con, grid, 2025), account)
    with db_mod.open_reader(db) as reader:
        con = reader.cursor()
        grid = round_mod.unit_grid(con, HEALTH, 2025)
        assert INFANT in set(grid["indicator_id"]) and EDU not in set(grid["indicator_id"])
        at = grid.index[grid["indicator_id"] == INFANT][0]
        grid.loc[at, "value_input"] = "五"
        with pytest.raises(importer.ImportRefused, match=re.escape(f"第{at + 1}行(婴儿死亡率) 本年数值: “五”不是数字")):
            round_mod.grid_checked(con, grid, 2025)
    grid.loc[at, "value_input"] = "5"  # over the 4‰ ceiling: 逆向变化
    with pytest.raises(importer.ImportRefused) as refused:
        grid_store(grid)
    assert f"第{at + 1}行 指标“婴儿死亡率”({INFANT}): 按新数值将为逆向变化,请填写原因说明和整改措施" in str(refused.value)
    grid.loc[at, "reason"] = "统计口径调整"
    with pytest.raises(importer.ImportRefused, match="请填写整改措施"):
        grid_store(grid)
    grid.loc[at, "measures"] = "加强新生儿救治"
    assert round_mod.save_draft(db, HEALTH, 2025, grid, by="wj") == 1
    with db_mod.open_reader(db) as reader:
        assert round_mod.unit_grid(reader.cursor(), HEALTH, 2025).loc[at, "reason"] == "统计口径调整"
    batch = grid_store(grid)
    assert one(db, "SELECT value, reason, measures, row_no FROM observation WHERE batch_id = ?", [batch]) == (
        5.0, "统计口径调整", "加强新生儿救治", at + 1)


def test_assignment_puts_an_indicator_in_a_units_scope_and_survives_a_build(db):
    target = "xianyang-women-t01"  # 孕产妇死亡率: the plan names no unit
    xy = accounts.Account("x", "filler", "610400", "610400:市卫健委")

    def in_scope() -> bool:
        with db_mod.open_reader(db) as reader:
            return target in round_mod.scope(reader.cursor(), xy)
    with pytest.raises(assignment.AssignmentRefused, match="角色须为"):
        assignment.assign(db, target, "市卫健委", "主办", by="admin")
    new_id = assignment.assign(db, target, "市卫健委", "牵头", by="admin", basis="2025年第1次主任会议")
    assert one(db, "SELECT responsible_units FROM v_indicator WHERE indicator_id = ?", [target]) == ("市卫健委",)
    build.build(db, with_demo=False)
    assert rows(db, "SELECT provenance, role FROM indicator_unit WHERE indicator_id = ?", [target]) == [("工委指定", "牵头")]
    assert in_scope()
    assignment.revoke(db, new_id, by="admin")
    assert not in_scope()
    assert rows(db, "SELECT decided_by, revoked_by FROM unit_assignment") == [("admin", "admin")]


def test_round_open_refuses_a_bad_deadline(db, capsys):
    before = digest(db)
    assert cli.main(["round", "open", "--year", "2025", "--deadline", "31.3.2026", "--db", str(db)]) == 2
    assert "不是有效的日期(格式 YYYY-MM-DD" in capsys.readouterr().err and digest(db) == before


def test_a_file_without_the_reason_columns_still_needs_reasons_and_says_how_to_add_them(db, capsys):
    """round.store checks 原因说明 and 整改措施 for every submission (grid, template, any file): a file without those
    columns is refused like one with them left empty, and the message says to add the columns."""
    bare = db.parent / "bare.csv"
    bare.write_text(f"indicator_id,year,value\n{INFANT},2025,5\n", encoding="utf-8")  # over the 4‰ ceiling: 逆向变化
    before = digest(db)
    capsys.readouterr()
    assert cli.main(["import", str(bare), "--db", str(db), "--as", "wj"]) == 2
    err = capsys.readouterr().err
    assert f"第2行 指标“婴儿死亡率”({INFANT}): 按新数值将为逆向变化,请填写原因说明和整改措施" in err
    assert "文件中没有“原因说明”“整改措施”列,请加上这两列(或下载本单位填报模板)后填写" in err
    assert digest(db) == before
    # with the columns present but one left empty: only what is missing is named, no hint about columns
    assert submit(db, [(INFANT, 2025, 5.0, "", "统计口径调整")]) == 2
    err = capsys.readouterr().err
    assert "请填写整改措施" in err and "列,请加上" not in err and digest(db) == before
    assert submit(db, [(INFANT, 2025, 5.0, "", "统计口径调整", "加强新生儿救治")]) == 0


def test_a_file_with_a_bad_value_also_names_the_missing_reasons_of_its_other_rows(db, capsys):
    # one round, not two: the clerk fixed "五" and only then learned that 婴儿死亡率 5 (over the 4‰ ceiling) needs
    # 原因说明 and 整改措施. The row with the problem of its own is not judged (its value is unknown).
    other = "zhangjiagang-children-k01"
    bad = db.parent / "bad.csv"
    bad.write_text(f"indicator_id,year,value\n{INFANT},2025,5\n{other},2025,五\n", encoding="utf-8")
    before = digest(db)
    capsys.readouterr()
    assert cli.main(["import", str(bad), "--db", str(db), "--as", "wj"]) == 2
    err = capsys.readouterr().err
    assert "第3行 数值列: “五”不是数字" in err
    assert f"第2行 指标“婴儿死亡率”({INFANT}): 按新数值将为逆向变化,请填写原因说明和整改措施" in err
    assert "文件中没有“原因说明”“整改措施”列" in err and digest(db) == before
    # the online grid says both at once too
    with db_mod.open_reader(db) as reader:
        con = reader.cursor()
        grid = round_mod.unit_grid(con, HEALTH, 2025)
        at = grid.index[grid["indicator_id"] == INFANT][0]
        grid.loc[at, "value_input"] = "5"
        grid.loc[grid.index[grid["indicator_id"] != INFANT][0], "value_input"] = "五"
        with pytest.raises(importer.ImportRefused) as refused:
            round_mod.grid_checked(con, grid, 2025)
    assert "不是数字" in str(refused.value)
    assert f"第{at + 1}行 指标“婴儿死亡率”({INFANT}): 按新数值将为逆向变化,请填写原因说明和整改措施" in str(refused.value)

def test_a_refused_files_other_rows_are_checked_for_scope_before_reasons(db, capsys):
    # a row of another unit beside a bad value was asked for 原因说明 (previewed as if it were the unit's); it is
    # named as outside the scope, as 提交 would name it, and nothing is judged
    other = "pingyang-women-k03"  # 平阳县: not 市卫健委 of 张家港市's
    bad = db.parent / "outside.csv"
    bad.write_text(f"indicator_id,year,value\n{other},2025,40\n{INFANT},2025,五\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["import", str(bad), "--db", str(db), "--as", "wj"]) == 2
    err = capsys.readouterr().err
    assert "第3行 数值列: “五”不是数字" in err and f"第2行: 指标“{other}”" in err and "不属于" in err
    assert "请填写原因说明" not in err

def test_a_file_with_another_units_row_also_names_its_own_rows_missing_reasons(db, capsys):
    # the scope refusal came alone; the missing 原因说明 of 婴儿死亡率 5 (over the 4‰ ceiling) only after the clerk
    # had removed the other unit's row: both at once now
    other = "pingyang-women-k03"
    mixed = db.parent / "mixed.csv"
    mixed.write_text(f"indicator_id,year,value\n{other},2025,40\n{INFANT},2025,5\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["import", str(mixed), "--db", str(db), "--as", "wj"]) == 2
    err = capsys.readouterr().err
    assert f"第2行: 指标“{other}”" in err and "不属于" in err
    assert f"第3行 指标“婴儿死亡率”({INFANT}): 按新数值将为逆向变化,请填写原因说明和整改措施" in err

def test_the_default_deadline_is_ahead_and_a_past_one_is_pointed_out():
    assert round_mod.next_deadline(dt.date(2026, 12, 2)) == dt.date(2027, 3, 31)
    assert round_mod.next_deadline(dt.date(2026, 2, 1)) == dt.date(2026, 3, 31)
    assert "已过,尚未报齐的单位立即显示为逾期" in round_mod.past_deadline_note(dt.date(2026, 3, 31), dt.date(2026, 12, 2))
    assert round_mod.past_deadline_note(dt.date(2027, 3, 31), dt.date(2026, 12, 2)) == ""


def test_reports_quote_only_approved_explanations(db, capsys):
    # A unit's 原因说明 / 整改措施 reach the report (存在的主要问题, 对策建议, the workbook) only once approved: a
    # returned or pending submission's words are not the unit's (a review found a returned batch quoted, under
    # another unit's name).
    def quoted() -> tuple:
        with db_mod.open_reader(db) as reader:
            rows = db_mod.run_query(reader.cursor(), "report_warnings", year=2025, region="320582", levels=[],
                                    most=None)
        return tuple(rows.loc[rows["指标"] == "婴儿死亡率", ["原因说明", "整改措施"]].drop_duplicates().iloc[0])
    assert submit(db, [(INFANT, 2025, 5, "", "口径调整", "加强救治")]) == 0
    pending = last_batch(db)
    assert all(v is None or v != v for v in quoted())  # pending: not quoted (None, or NaN from pandas)
    assert cli.main(["review", str(pending), "--return", "请核实", "--as", "tj", "--db", str(db)]) == 0
    assert all(v is None or v != v for v in quoted())  # returned: not quoted
    assert submit(db, [(INFANT, 2025, 5, "", "统计口径调整", "加强新生儿救治")], "wj", "again.csv") == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert quoted() == ("统计口径调整", "加强新生儿救治")


def test_pages_default_to_the_last_year_whose_reporting_is_over(db, capsys):
    # The office's 2024 value is in; 2025's round is open: a first approved 2025 value (of one unit) must not turn
    # every page to 截至2025年, with hundreds of 未填报 for units that are not late. Once the round is closed, 2025.
    def default_year() -> int:
        with db_mod.open_reader(db) as reader:
            return int(db_mod.run_query(reader.cursor(), "default_year").iloc[0, 0])
    assert submit(db, [(INFANT, 2024, 2.0)], "admin", "office.csv") == 0
    assert submit(db, [(INFANT, 2025, 2.0)]) == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert default_year() == 2024
    round_mod.close_round(db, 2025, accounts.get(db, "admin"))
    assert default_year() == 2025


def test_approving_a_value_a_newer_office_import_replaced_says_it_does_not_count(db, capsys):
    # A unit submits 2.0; the office imports 2.5 directly (approved); the reviewer then approves the unit's batch:
    # the newer 2.5 stays counted, so the approval must not say the 2.0 counts, and the preview shows 原值 2.5.
    assert submit(db, [(INFANT, 2025, 2.0)]) == 0
    unit_batch = last_batch(db)
    assert submit(db, [(INFANT, 2025, 2.5)], "admin", "office.csv") == 0
    office_batch = last_batch(db)
    with db_mod.open_reader(db) as reader:
        preview = review.preview_batch(reader.cursor(), unit_batch)
    row = preview.iloc[0]
    assert (row["old_value"], row["new_value"], row["superseded_by"]) == (2.5, 2.0, office_batch)
    capsys.readouterr()
    assert cli.main(["review", str(unit_batch), "--approve", "--as", "tj", "--db", str(db)]) == 0
    assert "其中 1 项此后已有更新批次的数值" in capsys.readouterr().out
    assert one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT]) == (2.5,)


def test_a_saved_query_defaults_to_the_pages_year(db, capsys):
    # the command line's saved queries took the round's year while the pages showed the year before
    from planwatch import guard, saved

    assert submit(db, [(INFANT, 2024, 2.0)], "admin", "office.csv") == 0
    assert submit(db, [(INFANT, 2025, 2.0)]) == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    sandbox = guard.Sandbox(db, size=1)
    try:
        assert int(sandbox.run(saved.DEFAULT_YEAR_SQL).frame.iloc[0, 0]) == 2024
    finally:
        sandbox.close()
    with db_mod.open_reader(db) as reader:
        assert int(db_mod.run_query(reader.cursor(), "default_year").iloc[0, 0]) == 2024


def test_the_board_says_where_each_unit_stands_before_the_deadline(db):
    # 报送情况 was empty for every unit until the deadline: now 报送中 (something sent) or 未开始 (nothing)
    submit(db, [(INFANT, 2025, 2.0)])
    with db_mod.open_reader(db) as reader:
        board = db_mod.run_query(reader.cursor(), "round_board", year=2025, region=None)
    state = dict(zip(board["责任单位"], board["报送情况"]))
    assert state["市卫健委"] == "报送中" and state["市教育局"] == "未开始" and "" not in state.values()


def test_the_reviewer_sees_the_counts_a_rate_was_reported_with(db):
    # 分子/分母 were stored but shown neither on 审核 nor in v_value_history: 2‰ from 30 deaths in 15,000 births
    path = db.parent / "counts.csv"
    path.write_text(f"indicator_id,year,value,分子,分母\n{INFANT},2025,2,30,15000\n", encoding="utf-8")
    assert cli.main(["import", str(path), "--db", str(db), "--as", "wj"]) == 0
    batch = last_batch(db)
    assert one(db, "SELECT numerator, denominator FROM v_value_history WHERE batch_id = ?", [batch]) == (30.0, 15000.0)
    with db_mod.open_reader(db) as reader:
        preview = review.preview_batch(reader.cursor(), batch)
    assert preview[["numerator", "denominator"]].values.tolist() == [[30.0, 15000.0]]


def test_a_units_grid_names_who_sent_a_value_another_unit_submitted(db, capsys):
    # 0-6岁儿童眼保健和视力检查覆盖率 (≥98%) lists 市卫健委 and 市教育局: 教育局 sends 96 (returned), then 卫健委
    # sends 98.5 (approved).
    # 教育局's grid showed "98.5(已通过)" as if it were its own; it names the sender, and a return of another unit's
    # value says whose it was
    shared = "zhangjiagang-children-k04"
    education = "320582:市教育局"
    assert submit(db, [(shared, 2025, 96, "", "筛查未全覆盖", "扩大筛查")], user="jy") == 0
    returned = last_batch(db)
    assert cli.main(["review", str(returned), "--return", "口径有误", "--as", "tj", "--db", str(db)]) == 0
    with db_mod.open_reader(db) as reader:
        own = round_mod.unit_grid(reader.cursor(), education, 2025).set_index("indicator_id").loc[shared]
        theirs = round_mod.unit_grid(reader.cursor(), HEALTH, 2025).set_index("indicator_id").loc[shared]
    assert (own["reported"], own["submitted_by"]) == ("96(已退回)", None)
    assert (theirs["reported"], theirs["submitted_by"]) == ("96(已退回,市教育局报送)", "市教育局")
    assert submit(db, [(shared, 2025, 98.5, "")], name="health.csv") == 0
    assert cli.main(["review", str(last_batch(db)), "--approve", "--as", "tj", "--db", str(db)]) == 0
    with db_mod.open_reader(db) as reader:
        own = round_mod.unit_grid(reader.cursor(), education, 2025).set_index("indicator_id").loc[shared]
    assert (own["state"], own["reported"]) == ("已通过", "98.5(已通过,市卫健委报送)")
