"""Issue 11 reviewed as a careless clerk and a hostile visitor would: cases the other tests do not cover.

Every accepted value is the value the clerk meant (or the file is refused naming the row and column), and the
command line works from any directory."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import one
from openpyxl import Workbook
from test_upload_values import xlsx

from planwatch import cli

K03 = "pingyang-women-k03"  # unit %
PEOPLE = "pingyang-children-k02"  # unit 人
HEADER = ["指标编号", "年份", "数值", "备注"]
REPO = Path(__file__).resolve().parent.parent


def run_import(db: Path, data: bytes, name: str, capsys) -> tuple[int, str]:
    path = db.parent / name
    path.write_bytes(data)
    code = cli.main(["import", str(path), "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(db: Path, data: bytes, name: str, capsys) -> str:
    """The refusal text of an import that must fail and leave the database file untouched."""
    before = digest(db)
    code, text = run_import(db, data, name, capsys)
    assert code == 2, text
    assert "Traceback" not in text
    assert digest(db) == before
    return text


def sheets(content: dict[str, list]) -> dict[str, tuple[list, str]]:
    return {name: (rows, "visible") for name, rows in content.items()}


def test_csv_quote_never_closed_does_not_swallow_the_rows_below(fresh_db, capsys):
    # the unclosed quote in row 2's note used to run to the end of the file: row 3 became part of the note,
    # the import said 已导入 and the second value was silently lost
    data = (f"指标编号,年份,数值,备注\n{K03},2023,95,\"备注开始\n{PEOPLE},2023,80,好\n").encode()
    text = refused(fresh_db, data, "quote.csv", capsys)
    assert "第2行" in text and "引号" in text and "unexpected" not in text


def test_csv_quoted_multiline_note_still_imports(fresh_db, capsys):
    data = f"指标编号,年份,数值,备注\n{K03},2023,95,\"第一行\n第二行\"\n{PEOPLE},2023,80,好\n".encode()
    assert run_import(fresh_db, data, "multi.csv", capsys)[0] == 0
    assert one(fresh_db, "SELECT note FROM v_observation WHERE indicator_id = ? AND year = 2023", [K03]) == \
        ("第一行\n第二行",)
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2023", [PEOPLE]) == (80,)


def test_sql_command_with_a_relative_database_path_from_another_directory(demo_db, tmp_path):
    # the worker process ran in the repository directory, so a relative --db named a file that does not exist
    (tmp_path / "here.duckdb").write_bytes(demo_db.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "planwatch", "sql", "SELECT count(*) AS n FROM v_indicator",
                           "--db", "here.duckdb"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert str(one(demo_db, "SELECT count(*) FROM v_indicator")[0]) in done.stdout.split()


def test_a_reader_that_goes_away_ends_the_command_quietly(demo_db):
    """`python -m planwatch sql … | head`: when the reader of the output closes it, the command stops with exit 1
    and no traceback (the output is larger than a pipe's buffer, so the write fails while the command runs)."""
    proc = subprocess.Popen([sys.executable, "-m", "planwatch", "sql", "SELECT * FROM range(100000)", "--db",
                             str(demo_db)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()   # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_footnote_superscript_is_not_read_as_a_digit(fresh_db, capsys):
    # NFKC turned "95¹" (a value copied with its footnote mark) into 951, and "9²" into 92
    for text in ("95¹", "9²", "⑨5"):
        data = f"指标编号,年份,数值\n{PEOPLE},2023,{text}\n".encode()
        code, message = run_import(fresh_db, data, "sup.csv", capsys)
        assert code == 2, text
        assert "第2行 数值列" in message
    assert one(fresh_db, "SELECT count(*) FROM v_observation WHERE indicator_id = ?", [PEOPLE]) == (0,)


def test_notes_are_stored_as_written_and_full_width_digits_still_read(fresh_db, capsys):
    note = "①加强宣传;②面积 30㎡;温度 25℃"
    data = f"指标编号,年份,数值,备注\n{K03},２０２３,９５.５％,{note}\n".encode()
    assert run_import(fresh_db, data, "wide.csv", capsys)[0] == 0
    assert one(fresh_db, "SELECT value, note FROM v_observation WHERE indicator_id = ? AND year = 2023", [K03]) == \
        (95.5, note)


def test_date_formatted_number_cell_is_refused_as_the_date_the_clerk_sees(fresh_db, capsys):
    # 45000 formatted as a date shows 2023-03-15 in Excel; it was stored as 45000 people
    text = refused(fresh_db, xlsx([HEADER, [PEOPLE, 2023, 45000]], {"C2": "yyyy-mm-dd"}), "date.xlsx", capsys)
    assert "第2行 数值列" in text and "2023-03-15" in text


def test_date_in_the_year_column_is_named_as_a_date_in_either_date_system(fresh_db, capsys):
    import datetime

    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    for epoch in (None, CALENDAR_MAC_1904):
        book = Workbook()
        if epoch:
            book.epoch = epoch
        sheet = book.active
        sheet.title = "填报"
        sheet.append(HEADER)
        sheet.append([PEOPLE, datetime.date(2023, 1, 1), 5])
        buffer = io.BytesIO()
        book.save(buffer)
        text = refused(fresh_db, buffer.getvalue(), "year.xlsx", capsys)
        assert "第2行 年份列" in text and "2023-01-01" in text, text


def test_two_visible_data_sheets_without_a_sheet_named_tianbao_are_refused(fresh_db, capsys):
    # the values on the second sheet were silently left out
    data = xlsx(None, sheets=sheets({"2023年": [HEADER, [PEOPLE, 2023, 1]], "2024年": [HEADER, [PEOPLE, 2024, 2]]}))
    text = refused(fresh_db, data, "two.xlsx", capsys)
    assert "2023年" in text and "2024年" in text


def test_sheet_named_tianbao_is_the_one_read_beside_other_sheets(fresh_db, capsys):
    data = xlsx(None, sheets=sheets({"说明": [["列", "说明"], ["指标编号", "模板中的编号"]],
                                     "填报": [HEADER, [PEOPLE, 2023, 7]], "草稿": [HEADER, [PEOPLE, 2024, 9]]}))
    assert run_import(fresh_db, data, "template.xlsx", capsys)[0] == 0
    assert one(fresh_db, "SELECT list(value ORDER BY year) FROM v_observation WHERE indicator_id = ?", [PEOPLE]) == \
        ([7.0],)


def test_long_subscript_and_json_arrow_chains_are_refused_before_they_hold_the_app():
    # the guard runs in the app's process; sqlglot's cost for these chains is quadratic (800 arrows: 7 s of CPU)
    import time

    from planwatch import guard
    for sql in ("SELECT j" + "->'a'" * 800 + " FROM (SELECT '{}'::json j)", "SELECT [1]" + "[1]" * 500,
                "SELECT " + ",".join(["[1][1][1]"] * 300)):
        start = time.process_time()
        try:
            guard.check(sql)
            refused = None
        except guard.QueryRefused as exc:
            refused = str(exc)
        assert refused and "过于复杂" in refused
        assert time.process_time() - start < 0.5
    assert guard.check("SELECT [1, 2][1] AS a, '{\"k\": 1}'::json->>'k' AS b").sql


@pytest.mark.parametrize("number_format", ["0.0,", "#,##0,,", '0,"千"', '0!.0000"万"'])
def test_a_cell_whose_format_shows_another_number_is_refused(fresh_db, capsys, number_format):
    # 12345 formatted 0.0, shows 12.3 (and 0!.0000"万" shows 1.2345万): storing 12345 is not what the clerk saw
    data = xlsx([["指标编号", "年份", "数值"], [PEOPLE, 2023, 12345]], {"C2": number_format})
    text = refused(fresh_db, data, "scaled.xlsx", capsys)
    assert "第2行 数值列" in text and "数字格式" in text


def test_thousands_separator_format_is_not_scaling(fresh_db, capsys):
    data = xlsx([["指标编号", "年份", "数值"], [PEOPLE, 2023, 12345]], {"C2": "#,##0"})
    assert run_import(fresh_db, data, "plain.xlsx", capsys)[0] == 0
