"""数据填报: every refusal names its row and column and leaves the database as it was; good files land; the
template round-trips; undo restores; concurrent imports both land; a killed import leaves no trace."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import one
from openpyxl import load_workbook

from planwatch import cli, importer, template
from planwatch.paths import ROOT

K03 = "pingyang-women-k03"  # 高等教育毛入学率 (%), 2021–2025


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def run_import(db: Path, data: bytes, name: str, capsys) -> tuple[int, str]:
    path = db.parent / name
    path.write_bytes(data)
    code = cli.main(["import", str(path), "--db", str(db)])
    return code, capsys.readouterr().err


REFUSALS = [
    ("empty.csv", b"", "文件为空"),
    ("garbage.csv", b"\x00\x01\x02binary\x00\xff", "不是表格文件"),
    ("words.csv", "这不是表格\n只是几行字\n".encode(), "缺少必需的列 指标编号(indicator_id)、年份(year)、数值(value)"),
    ("nocol.csv", b"indicator_id,year\npingyang-women-k03,2023\n", "第1行(表头): 缺少必需的列 数值(value)"),
    ("unknown.csv", b"indicator_id,year,value\nno-such-id,2023,5\n", "第2行 指标编号列: 未知指标编号“no-such-id”"),
    ("year.csv", b"indicator_id,year,value\npingyang-women-k03,2019,55\n", "第2行 年份列: 2019年不在规划期 2021–2025 年内"),
    ("badyear.csv", b"indicator_id,year,value\npingyang-women-k03,23,55\n", "第2行 年份列: 年份“23”不是有效的四位年份"),
    ("text.csv", "indicator_id,year,value\npingyang-women-k03,2023,约五成\n".encode(), "第2行 数值列: “约五成”不是数字"),
    ("blank.csv", b"indicator_id,year,value\npingyang-women-k03,2023,\n", "没有可导入的数值:1 行均未填写数值"),
    ("noteonly.csv", b"indicator_id,year,value,note\npingyang-women-k03,2023,,x\n", "第2行 数值列: 数值为空"),
    ("dup.csv", b"indicator_id,year,value\npingyang-women-k03,2023,55\npingyang-women-k03,2023,56\n",
     "第3行: 指标“pingyang-women-k03”2023年与第2行重复"),
    ("pct.csv", b"indicator_id,year,value\npingyang-women-k05,2023,101\n", "第2行 数值列: 101 超过100%"),
    ("neg.csv", b"indicator_id,year,value\npingyang-women-k07,2023,-3\n", "第2行 数值列: -3 为负数"),
    ("huge.csv", b"indicator_id,year,value\npingyang-women-k08,2023,1.7e308\n", "第2行 数值列: 1.7e308 过大"),
    ("huge_count.csv", b"indicator_id,year,value,numerator,denominator\npingyang-women-k08,2023,1.7,2,1e16\n",
     "第2行 分母列: 1e16 过大"),
    ("formula.csv", b"indicator_id,year,value\npingyang-women-k03,2023,=1+1\n", "第2行 数值列: “=1+1”以 = 开头,可能是公式"),
    ("at.csv", b"indicator_id,year,value,note\npingyang-women-k03,2023,55,@SUM(A1)\n", "第2行 备注列: “@SUM(A1)”以 @ 开头"),
    ("minus.csv", b"indicator_id,year,value,note\npingyang-women-k03,2023,55,-cmd\n", "第2行 备注列: “-cmd”以 - 开头"),
    ("plus.csv", b"indicator_id,year,value\npingyang-women-k03,2023,+55\n", "第2行 数值列: “+55”以 + 开头"),
    ("big.csv", b"indicator_id,year,value\n" + b"x" * (importer.MAX_BYTES + 1), "超过 5MB 上限"),
]


@pytest.mark.parametrize("name,data,message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_the_problem_and_changes_nothing(fresh_db, capsys, name, data, message):
    before = digest(fresh_db)
    code, err = run_import(fresh_db, data, name, capsys)
    assert code != 0
    assert message in err
    assert "Traceback" not in err
    assert digest(fresh_db) == before


def test_every_problem_is_listed(fresh_db, capsys):
    data = "指标编号,年份,数值\nno-such,2023,5\npingyang-women-k03,2040,abc\n".encode()
    code, err = run_import(fresh_db, data, "many.csv", capsys)
    assert code == 2
    assert "第2行 指标编号列" in err and "第3行 年份列" in err and "第3行 数值列" in err


def test_formula_cell_in_xlsx_is_refused(fresh_db, capsys):
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["指标编号", "年份", "数值"])
    book.active.append([K03, 2023, "=50+5"])
    buffer = io.BytesIO()
    book.save(buffer)
    code, err = run_import(fresh_db, buffer.getvalue(), "formula.xlsx", capsys)
    assert code == 2 and "第2行 数值列: 单元格是公式“=50+5”" in err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_three_encodings_land(fresh_db, capsys, encoding):
    data = "指标编号,年份,数值,备注\npingyang-women-k03,2023,55.5,县教育局报送\n".encode(encoding)
    code, _ = run_import(fresh_db, data, f"{encoding}.csv", capsys)
    assert code == 0
    assert one(fresh_db, "SELECT value, source_kind, note FROM v_observation WHERE indicator_id = ? AND year = 2023",
               [K03]) == (55.5, "填报", "县教育局报送")


@pytest.mark.parametrize("data,message", [
    # UTF-8 with one byte pasted from another encoding: read as GB18030 its notes were stored garbled (鏉ユ簮)
    ("指标编号,年份,数值,备注\npingyang-women-k03,2023,55.5,来源县统计局\n".encode() + b"pingyang-women-k05,2023,30,caf\xe9\n",
     "是 UTF-8 编码,但第3行不是"),
    # a note pasted from a GBK file among UTF-8 ones: read as GB18030 the UTF-8 notes were stored garbled
    ("indicator_id,year,value,note\npingyang-women-k03,2023,55,数据来源\npingyang-women-k05,2023,30,卫健报表\n".encode()
     + "pingyang-women-k02,2023,95,统计局年报\n".encode("gbk"), "是 UTF-8 编码,但第4行不是"),
    # …even when the UTF-8 Chinese is one note of two characters (暂无 was stored as 鏆傛棤)
    ("indicator_id,year,value,note\npingyang-women-k03,2023,55,暂无\n".encode()
     + "pingyang-women-k05,2023,30,估计\n".encode("gbk"), "是 UTF-8 编码,但第3行不是"),
    ("指标编号,年份,数值,备注\npingyang-women-k03,2023,55.5,来源\x00县\n".encode(), "第2行含有空字符(NUL)"),
])
def test_a_damaged_text_file_is_refused_naming_its_line(fresh_db, capsys, data, message):
    code, err = run_import(fresh_db, data, "damaged.csv", capsys)
    assert code == 2 and message in err
    assert one(fresh_db, "SELECT count(*) FROM observation")[0] == 0


def test_percent_sign_and_thousands_separator_are_accepted(fresh_db, capsys):
    data = 'indicator_id,year,value\npingyang-women-k03,2023,55.5%\npingyang-women-k10,2023,"已援助1,210人"\n'.encode()
    assert run_import(fresh_db, data, "friendly.csv", capsys)[0] == 0
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2023", [K03]) == (55.5,)


def test_filled_template_round_trips(fresh_db, capsys):
    with duckdb.connect(str(fresh_db)) as con:
        data = template.workbook_bytes(con, 2023, region="330326", plan="pingyang-women")  # 平阳县
    book = load_workbook(io.BytesIO(data))
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    assert {"指标编号", "年份", "数值", "备注"} <= set(header)
    assert sheet.protection.sheet and "说明" in book.sheetnames
    value_col, kind_col = header.index("数值") + 1, header.index("填写内容") + 1
    assert sheet.cell(2, value_col).protection.locked is False and sheet.cell(2, 1).protection.locked is True
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, value_col).value = 60 if sheet.cell(row, kind_col).value == "数字" else "已落实"
    buffer = io.BytesIO()
    book.save(buffer)
    code, _ = run_import(fresh_db, buffer.getvalue(), "filled.xlsx", capsys)
    assert code == 0
    n_plan = one(fresh_db, "SELECT count(*) FROM indicator WHERE plan_id = 'pingyang-women'")
    assert one(fresh_db, "SELECT count(*) FROM v_observation WHERE batch_id = 1") == n_plan
    assert one(fresh_db, "SELECT value_text FROM v_observation WHERE indicator_id = 'pingyang-women-k10'") == ("已落实",)


def test_undo_restores_previous_values_and_keeps_the_record(fresh_db, capsys):
    run_import(fresh_db, b"indicator_id,year,value\npingyang-women-k03,2023,55\n", "a.csv", capsys)
    run_import(fresh_db, b"indicator_id,year,value\npingyang-women-k03,2023,61\n", "b.csv", capsys)
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ?", [K03]) == (61,)
    assert cli.main(["undo", "2", "--db", str(fresh_db), "--by", "张三"]) == 0
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ?", [K03]) == (55,)
    assert one(fresh_db, "SELECT undone_by, row_count FROM import_batch WHERE batch_id = 2") == ("张三", 1)
    capsys.readouterr()
    assert cli.main(["batches", "--db", str(fresh_db)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["1", "2"]
    assert lines[1].endswith("已撤销")


def test_undo_refusals(fresh_db, capsys):
    assert cli.main(["undo", "99", "--db", str(fresh_db)]) == 2
    assert "没有编号为 99 的导入批次" in capsys.readouterr().err


def _import_process(db: Path, csv_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _big_csv(path: Path, years=(2022,), value: float = 50, plan: str = "zhangjiagang-children") -> Path:
    """Every numeric indicator of a plan (or of all plans) for the given years."""
    with duckdb.connect() as con:
        ids = [r[0] for r in con.execute(
            "SELECT indicator_id FROM read_csv(?) WHERE target_op <> 'qualitative'",
            [str(ROOT / f"data/plans/{plan}/indicators.csv")]).fetchall()]
    path.write_text("indicator_id,year,value\n" + "".join(f"{i},{y},{value}\n" for i in ids for y in years),
                    encoding="utf-8")
    return path


def test_two_concurrent_imports_both_land(fresh_db, tmp_path):
    first_csv, second_csv = _big_csv(tmp_path / "one.csv", (2022,), 50), _big_csv(tmp_path / "two.csv", (2023,), 60)
    rows = len(first_csv.read_text().splitlines()) - 1
    first, second = _import_process(fresh_db, first_csv), _import_process(fresh_db, second_csv)
    assert first.wait(120) == 0, first.stderr.read().decode()
    assert second.wait(120) == 0, second.stderr.read().decode()
    assert one(fresh_db, "SELECT count(*) FROM import_batch WHERE source_kind = '填报'") == (2,)
    assert one(fresh_db, "SELECT count(DISTINCT year), count(*) FROM v_observation") == (2, 2 * rows)


def test_killed_import_leaves_the_database_as_before(fresh_db, tmp_path):
    """Kill the importer at many moments (before, during and after its transaction); each time the database
    holds a whole batch or none of it, and it still opens and answers."""
    path = _big_csv(tmp_path / "x.csv", years=(2021, 2022, 2023, 2024, 2025), plan="*")
    rows = len(path.read_text().splitlines()) - 1
    for tenth in range(4, 30, 2):
        proc = _import_process(fresh_db, path)
        time.sleep(tenth / 10)
        proc.kill()
        proc.wait()
        with duckdb.connect(str(fresh_db)) as con:
            for batch_id, row_count in con.execute("SELECT batch_id, row_count FROM import_batch").fetchall():
                stored = con.execute("SELECT count(*) FROM observation WHERE batch_id = ?", [batch_id]).fetchone()[0]
                assert stored == row_count == rows
            assert con.execute("SELECT count(*) FROM v_status").fetchone()[0] > 0


def test_damaged_database_file_is_reported_not_mistaken_for_busy(tmp_path, capsys):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all")
    truncated = tmp_path / "truncated.duckdb"  # DuckDB's header, then nothing
    with duckdb.connect(str(tmp_path / "whole.duckdb")) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(100000)")
    truncated.write_bytes((tmp_path / "whole.duckdb").read_bytes()[:5000])
    for path in (broken, truncated):
        assert cli.main(["batches", "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"{path} 不是 DuckDB 数据库文件(或已损坏),未改动"), err
