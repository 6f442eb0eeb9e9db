"""数据填报: every accepted value is the value the clerk meant; anything ambiguous is refused with its row and
column (issue 11 items 3 and 5, issue 12 blank template rows, 分子/分母/原因说明/整改措施)."""
from __future__ import annotations

import hashlib
import io
import math

import duckdb
import pytest
from conftest import one
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from planwatch import cli, template
from planwatch.upload_check import NotANumber, parse_number
from planwatch.xlsx_read import number_text

K03 = "pingyang-women-k03"  # 高等教育毛入学率, unit %
PEOPLE = "pingyang-children-k02"  # unit 人
PERMILLE = "pingyang-children-k01"  # unit ‰
HEADER = ["指标编号", "年份", "数值", "备注"]


def run_import(db, data: bytes, name: str, capsys) -> tuple[int, str, str]:
    path = db.parent / name
    path.write_bytes(data)
    code = cli.main(["import", str(path), "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def xlsx(rows, formats: dict[str, str] | None = None, sheets: dict[str, tuple[list, str]] | None = None) -> bytes:
    """A workbook: rows on sheet 填报 (cell number formats by coordinate), or several sheets {name: (rows, state)}."""
    book = Workbook()
    book.remove(book.active)
    for name, (content, state) in (sheets or {"填报": (rows, "visible")}).items():
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        for row in content:
            sheet.append(row)
        for ref, number_format in (formats or {}).items():
            sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stored(db, indicator=K03, year=2023):
    return one(db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = ?", [indicator, year])


@pytest.mark.parametrize("number_format", ["0.0%", "0%", "0.00%", '0.0"pct"%'])
def test_percent_formatted_cell_on_percent_indicator_is_what_excel_shows(fresh_db, capsys, number_format):
    data = xlsx([HEADER, [K03, 2023, 0.955]], {"C2": number_format})
    assert run_import(fresh_db, data, "pct.xlsx", capsys)[0] == 0
    assert stored(fresh_db) == (95.5,)


def test_percent_formatted_cell_on_other_unit_is_refused_naming_the_unit(fresh_db, capsys):
    before = hashlib.sha256(fresh_db.read_bytes()).hexdigest()
    data = xlsx([HEADER, [PEOPLE, 2023, 0.5]], {"C2": "0%"})
    code, _, err = run_import(fresh_db, data, "pct.xlsx", capsys)
    assert code == 2 and "第2行 数值列: “50%”带 % 号,但该指标的单位是“人”" in err
    assert hashlib.sha256(fresh_db.read_bytes()).hexdigest() == before


def test_text_that_looks_like_a_format_is_not_a_percent(fresh_db, capsys):
    """A literal "%" inside quotes or after a backslash in a number format does not scale the value."""
    data = xlsx([HEADER, [K03, 2023, 55.5], [K03, 2024, 56]], {"C2": '0.0" %"', "C3": "0\\%"})
    assert run_import(fresh_db, data, "lit.xlsx", capsys)[0] == 0
    assert stored(fresh_db) == (55.5,) and stored(fresh_db, year=2024) == (56,)


@pytest.mark.parametrize("text", ["95.5", "95.5%", "95.5 %", "95.5％", "９５.５ ％", "95.50"])
def test_percent_spellings_on_percent_indicator(fresh_db, capsys, text):
    data = f"指标编号,年份,数值\n{K03},2023,{text}\n".encode()
    assert run_import(fresh_db, data, "p.csv", capsys)[0] == 0
    assert stored(fresh_db) == (95.5,)


@pytest.mark.parametrize("text,message", [
    ("95%", "第2行 数值列: “95%”带 % 号,但该指标的单位是“人”"),
    ("12,5", "“12,5”中的逗号不是有效的千位分隔(应每三位一组,如 1,234,567);如果是小数,请写小数点,如 12.5"),
    ("1,2,3,4", "“1,2,3,4”中的逗号不是有效的千位分隔"),
    ("1,23", "“1,23”中的逗号不是有效的千位分隔"),
    ("12,3456", "“12,3456”中的逗号不是有效的千位分隔"),
    ("95.5万", "“95.5万”不是数字(只填数值,不带单位或文字)"),
    ("1e999", "“1e999”超出可表示的数值范围"),
    ("٣", "“٣”不是数字"),   # digits of other scripts (Arabic-Indic, Devanagari, mathematical bold): not what a clerk
    ("९५", "“९५”不是数字"),  # means, and Python's \d took them as 3 and 95
    ("𝟗𝟓", "“𝟗𝟓”不是数字"),
])
def test_ambiguous_numbers_are_refused_with_a_reason(fresh_db, capsys, text, message):
    data = f'指标编号,年份,数值\n{PEOPLE},2023,"{text}"\n'.encode()
    code, _, err = run_import(fresh_db, data, "a.csv", capsys)
    assert code == 2 and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("text,value", [("1,234", 1234), ("1,234,567", 1234567), ("1,234.5", 1234.5),
                                        ("0.00001", 0.00001), ("1e-05", 0.00001), ("1E-05", 0.00001),
                                        ("2.5e3", 2500), (".5", 0.5), ("12", 12)])
def test_plain_numbers_are_accepted(fresh_db, capsys, text, value):
    data = f'指标编号,年份,数值\n{PEOPLE},2023,"{text}"\n'.encode()
    code, _, err = run_import(fresh_db, data, "n.csv", capsys)
    assert code == 0, err
    assert stored(fresh_db, PEOPLE) == (pytest.approx(value),)


@pytest.mark.parametrize("indicator,text,value", [
    ("pingyang-children-t21", "102.5", 102.5),    # 学前教育毛入园率 (%): a gross rate passes 100% by definition
    ("pingyang-children-t16", "-0.3", -0.3),      # 儿童总体近视率年降幅 (个百分点): myopia rose
    ("zhangjiagang-children-t17", "-5", -5.0)])   # 儿童伤害死亡率下降幅度 (%): the rate went up
def test_gross_rates_over_100_and_changes_below_0_are_accepted(fresh_db, capsys, indicator, text, value):
    code, _, err = run_import(fresh_db, f"指标编号,年份,数值\n{indicator},2023,{text}\n".encode(), "g.csv", capsys)
    assert code == 0, err
    assert stored(fresh_db, indicator) == (pytest.approx(value),)


def test_a_change_indicator_still_refuses_negative_counts(fresh_db, capsys):
    data = "指标编号,年份,数值,分子,分母\npingyang-children-t16,2023,-0.3,-2,100\n".encode()
    code, _, err = run_import(fresh_db, data, "c.csv", capsys)
    assert code == 2 and "第2行 分子列: -2 为负数" in err


def test_tiny_number_in_xlsx_is_not_called_not_a_number(fresh_db, capsys):
    data = xlsx([HEADER, [PEOPLE, 2023, 0.00001]])
    code, _, err = run_import(fresh_db, data, "tiny.xlsx", capsys)
    assert code == 0, err
    assert stored(fresh_db, PEOPLE) == (pytest.approx(0.00001),)


def test_permille_sign_on_permille_indicator(fresh_db, capsys):
    data = f"指标编号,年份,数值\n{PERMILLE},2023,4.5‰\n{K03},2023,5‰\n".encode()
    code, _, err = run_import(fresh_db, data, "pm.csv", capsys)
    assert code == 2 and "第3行 数值列: “5‰”带 ‰ 号,但该指标的单位是“%”" in err and "第2行" not in err


@pytest.mark.parametrize("year,message", [("0202", "年份“0202”不是有效的四位年份"), ("202", "年份“202”"),
                                          ("20233", "年份“20233”"), ("2023.5", "年份“2023.5”")])
def test_year_is_named_as_written(fresh_db, capsys, year, message):
    data = f"指标编号,年份,数值\n{K03},{year},55\n".encode()
    code, _, err = run_import(fresh_db, data, "y.csv", capsys)
    assert code == 2 and f"第2行 年份列: {message}" in err
    assert "202年" not in err


def test_year_with_nian_is_read(fresh_db, capsys):
    assert run_import(fresh_db, f"指标编号,年份,数值\n{K03},2023年,55\n".encode(), "y.csv", capsys)[0] == 0
    assert stored(fresh_db) == (55,)


def test_hidden_sheet_is_never_imported(fresh_db, capsys):
    data = xlsx(None, sheets={"旧数据": ([HEADER, [K03, 2023, 11]], "hidden"),
                              "本年": ([HEADER, [K03, 2023, 55]], "visible")})
    assert run_import(fresh_db, data, "h.xlsx", capsys)[0] == 0
    assert stored(fresh_db) == (55,)


def test_hidden_fill_sheet_loses_to_the_visible_sheet(fresh_db, capsys):
    data = xlsx(None, sheets={"填报": ([HEADER, [K03, 2023, 11]], "veryHidden"),
                              "Sheet1": ([["说明文字"]], "visible"),
                              "本年数据": ([["平阳县2023年监测数据"], HEADER, [K03, 2023, 55]], "visible")})
    assert run_import(fresh_db, data, "h.xlsx", capsys)[0] == 0
    assert stored(fresh_db) == (55,)


def test_only_hidden_sheets_with_data_is_refused_with_the_reason(fresh_db, capsys):
    data = xlsx(None, sheets={"数据": ([HEADER, [K03, 2023, 11]], "hidden"), "空": ([], "visible")})
    code, _, err = run_import(fresh_db, data, "h.xlsx", capsys)
    assert code == 2 and "隐藏的工作表(“数据”)不会被导入" in err


@pytest.mark.parametrize("header,message", [
    (["指标编号", "年份", "数值", "value"], "表头: C列“数值”和D列“value”都对应数值(value)"),
    (["指标编号", "年份", "年度", "数值"], "表头: B列“年份”和C列“年度”都对应年份(year)"),
])
def test_two_columns_for_one_field_are_refused_naming_both(fresh_db, capsys, header, message):
    data = ",".join(header).encode() + f"\n{K03},2023,55,56\n".encode()
    code, _, err = run_import(fresh_db, data, "two.csv", capsys)
    assert code == 2 and message in err


@pytest.mark.parametrize("encoding,separator", [("utf-16", "\t"), ("utf-16", ","), ("utf-16-le", "\t"),
                                                ("utf-8", "\t"), ("gb18030", ",")])
def test_unicode_text_exports_land(fresh_db, capsys, encoding, separator):
    """Excel's "Unicode 文本" is UTF-16 with a BOM, tab-separated."""
    text = separator.join(HEADER) + "\r\n" + separator.join([K03, "2023", "55.5", "县教育局"]) + "\r\n"
    code, _, err = run_import(fresh_db, text.encode(encoding), "u.txt", capsys)
    assert code == 0, err
    assert one(fresh_db, "SELECT value, note FROM v_observation WHERE indicator_id = ? AND year = 2023",
               [K03]) == (55.5, "县教育局")


def test_mixed_line_endings_land(fresh_db, capsys):
    data = f"指标编号,年份,数值\r\n{K03},2023,55\r{K03},2024,56\n{K03},2025,57\r\n".encode()
    code, _, err = run_import(fresh_db, data, "mixed.csv", capsys)
    assert code == 0, err
    assert one(fresh_db, "SELECT count(*) FROM v_observation WHERE batch_id = 1") == (3,)


def test_note_over_the_csv_field_limit_is_refused_in_chinese_with_its_row(fresh_db, capsys):
    data = f'指标编号,年份,数值,备注\n{K03},2023,55,"{"长" * 200_000}"\n'.encode()
    code, _, err = run_import(fresh_db, data, "long.csv", capsys)
    assert code == 2 and "第2行 备注列: 共 200000 字,超过 2000 字上限" in err
    assert "field" not in err and "Traceback" not in err


def test_over_long_reason_in_xlsx_is_refused_with_row_and_column(fresh_db, capsys):
    data = xlsx([["指标编号", "年份", "数值", "原因说明"], [K03, 2023, 55, "因" * 2001]])
    code, _, err = run_import(fresh_db, data, "long.xlsx", capsys)
    assert code == 2 and "第2行 原因说明列: 共 2001 字,超过 2000 字上限" in err


def test_formatted_blank_xlsx_rows_are_skipped_like_csv_blank_rows(fresh_db, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([K03, 2023, 55])
    for row in range(3, 200):
        for col in range(1, 5):
            sheet.cell(row, col).number_format = "0.0%"
            sheet.cell(row, col).fill = __import__("openpyxl").styles.PatternFill("solid", fgColor="FFF8DC")
    buffer = io.BytesIO()
    book.save(buffer)
    code, _, err = run_import(fresh_db, buffer.getvalue(), "styled.xlsx", capsys)
    assert code == 0, err
    assert one(fresh_db, "SELECT count(*) FROM v_observation WHERE batch_id = 1") == (1,)


def test_template_with_one_value_and_blank_rows_imports_the_one_value(fresh_db, capsys):
    with duckdb.connect(str(fresh_db)) as con:
        data = template.workbook_bytes(con, 2023)
    book = load_workbook(io.BytesIO(data))
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    total = sheet.max_row - 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == K03)
    sheet.cell(row, header.index("数值") + 1).value = 0.555
    sheet.cell(row, header.index("数值") + 1).number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    code, out, err = run_import(fresh_db, buffer.getvalue(), "模板.xlsx", capsys)
    assert code == 0, err
    assert f"跳过 {total - 1} 行未填写的空行" in out
    assert one(fresh_db, "SELECT count(*), max(value) FROM observation WHERE batch_id = 1") == (1, 55.5)


def test_numerator_denominator_reason_and_measures_are_stored(fresh_db, capsys):
    with duckdb.connect(str(fresh_db)) as con:
        data = template.workbook_bytes(con, 2023, plan="pingyang-women")
    book = load_workbook(io.BytesIO(data))
    sheet = book["填报"]
    header = [c.value for c in sheet[1]]
    assert {"分子", "分母", "原因说明", "整改措施"} <= set(header)
    assert sheet.cell(2, header.index("整改措施") + 1).protection.locked is False
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == K03)
    for column, value in (("数值", 50.5), ("分子", "1,010"), ("分母", 2000), ("原因说明", "生源外流\n二次说明"),
                          ("整改措施", "扩大招生")):
        sheet.cell(row, header.index(column) + 1).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    code, _, err = run_import(fresh_db, buffer.getvalue(), "full.xlsx", capsys)
    assert code == 0, err
    assert one(fresh_db, "SELECT value, numerator, denominator, reason, measures FROM observation WHERE batch_id = 1"
               ) == (50.5, 1010, 2000, "生源外流\n二次说明", "扩大招生")


@pytest.mark.parametrize("cells,message", [
    ("55,5%,100", "第2行 分子列: “5%”带 % 号,但分子应为实际数"),
    ("55,5,0", "第2行 分母列: 分母为0,应为不小于1的人数或例数"),
    ("55,5,1e-300", "第2行 分母列: 分母为1e-300,应为不小于1的人数或例数"),   # a rate of 5e300 broke 指标详情
    ("55,5,2", "第2行 分子列: 分子 5 大于分母 2,事件数不能多于人数"),   # a 250% share judged 已达标
    ("55,-5,100", "第2行 分子列: -5 为负数"),
    ("55,五,100", "第2行 分子列: “五”不是数字"),
    # a value that is not its counts' rate: a count of another year, or a slip of scale
    ("55,5,100", "第2行 数值列: 数值 55 与分子÷分母不符:5 ÷ 100 折合 5%,请核对数值、分子、分母和单位"),
])
def test_numerator_and_denominator_refusals(fresh_db, capsys, cells, message):
    data = f"indicator_id,year,value,numerator,denominator\n{K03},2023,{cells}\n".encode()
    code, _, err = run_import(fresh_db, data, "nd.csv", capsys)
    assert code == 2 and message in err


@pytest.mark.parametrize("indicator,cells,ok", [
    (K03, "93.8,15,16", True),          # 15/16 = 93.75%, rounded to its reported digit
    (K03, "94,15,16", True),
    (K03, "93.7,15,16", True),          # within 1% of the counts' rate (rates of slightly different populations)
    (K03, "92,15,16", False),           # off by 1.75 points: more than 1% of 93.75 and half a unit
    ("zhangjiagang-women-k02", "4,2,50000", True),     # 孕产妇死亡率 1/10万: 2 in 50,000 = 4/10万
    ("zhangjiagang-women-k02", "40,2,50000", False),   # ten times its counts (a review's case)
])
def test_a_value_is_checked_against_its_counts(fresh_db, capsys, indicator, cells, ok):
    data = f"indicator_id,year,value,numerator,denominator\n{indicator},2023,{cells}\n".encode()
    code, _, err = run_import(fresh_db, data, "nd.csv", capsys)
    assert (code == 0) == ok, err
    assert ok or "与分子÷分母不符" in err


def test_file_name_and_notes_lose_control_characters(fresh_db, capsys):
    data = f"指标编号,年份,数值,备注\n{K03},2023,55,\"a\x1b[31mb\x07\"\n".encode()
    code, _, err = run_import(fresh_db, data, "ok.csv", capsys)
    assert code == 0, err
    from planwatch import importer
    with duckdb.connect(str(fresh_db)) as con:
        checked = importer.check(con, data, "x\n2\t2026-01-01\t填报\x1b[2J.csv")
    assert checked.file_name == "x 2 2026-01-01 填报[2J.csv"
    assert one(fresh_db, "SELECT note FROM observation WHERE batch_id = 1") == ("a[31mb",)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=999))
def test_grouped_numbers_read_back(whole, thousandths):
    number, sign = parse_number(f"{whole:,}.{thousandths:03d}")
    assert sign is None and number == pytest.approx(whole + thousandths / 1000)


@given(st.lists(st.from_regex(r"[0-9]{1,4}", fullmatch=True), min_size=2, max_size=5))
def test_comma_groups_other_than_three_digits_are_refused(groups):
    text = ",".join(groups)
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        assert parse_number(text)[0] == float(text.replace(",", ""))
    else:
        with pytest.raises(NotANumber, match="逗号"):
            parse_number(text)


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_chinese_reason(text):
    try:
        number, _ = parse_number(text)
    except NotANumber as reason:
        assert "“" in str(reason)
    else:
        assert number == number  # finite, not NaN


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_excel_numbers_are_written_plainly_and_read_back_exactly(number):
    """What xlsx_read makes of a cell's stored number parses back to that number (no exponent, no noise)."""
    text = number_text(repr(number))
    assert "e" not in text.lower() and float(text) == number
    assert parse_number(text) == (number, None)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_percent_formatted_numbers_are_a_hundred_times_the_stored_number(number):
    text = number_text(repr(number), percent=True)
    value, sign = parse_number(text)
    assert sign == "%" and value == pytest.approx(number * 100, rel=1e-12)


def test_formula_in_a_column_that_is_not_read_is_ignored(fresh_db, capsys):
    data = xlsx([HEADER + ["辅助列"], [K03, 2023, 55, None, "=C2*2"]])
    code, _, err = run_import(fresh_db, data, "helper.xlsx", capsys)
    assert code == 0, err
    data = xlsx([HEADER + ["辅助列"], [K03, 2024, 56, "=A1", "=C2*2"]])
    code, _, err = run_import(fresh_db, data, "note.xlsx", capsys)
    assert code == 2 and "第2行 备注列: 单元格是公式“=A1”" in err and "辅助列" not in err


def test_refusals_quote_at_most_sixty_characters_of_a_cell():
    with pytest.raises(NotANumber) as caught:
        parse_number("无" * 5000)
    assert str(caught.value) == f"“{'无' * 60}…”不是数字"


@pytest.mark.parametrize("text", ["-0", "-0.0", "-0.00", "-0%"])
def test_minus_zero_is_read_as_zero(text):
    """A clerk's "-0" is 0: stored with a minus sign it would show as "-0" on pages and in reports."""
    value, _ = parse_number(text)
    assert value == 0 and math.copysign(1, value) == 1


def test_a_year_still_to_come_is_accepted_with_a_notice(fresh_db):
    # 2029 typed for 2022 in December 2026 went in silently and gave every indicator as-of years 2027–2029
    import datetime

    from planwatch import importer
    later = datetime.date.today().year + 3
    data = f"指标编号,年份,数值\n{K03},2023,55\nxianyang-women-t17,{later},45\n".encode()
    with duckdb.connect(str(fresh_db)) as con:
        checked = importer.check(con, data, "v.csv")
    assert checked.notices == [f"请核对年份:第3行的年份({later}年)晚于今年({later - 3}年)"]


def test_a_cell_beyond_the_header_is_refused_not_dropped(fresh_db, capsys):
    # "K03,2023,1,234" under a three-column header: the comma split the value, 1 was stored and 234 dropped
    data = f"indicator_id,year,value\n{K03},2023,1,234\n{K03},2022,95,5\n".encode()
    code, _, err = run_import(fresh_db, data, "split.csv", capsys)
    assert code == 2 and stored(fresh_db) is None
    assert "第2行 D列: “234”在表头之外(表头只有 3 列)" in err and "第3行 D列: “5”在表头之外" in err
    # quoted, the comma is a thousands separator inside one cell; empty cells past the header are nothing
    data = f"indicator_id,year,value\n{PEOPLE},2023,\"1,234\"\n{K03},2022,95.5,,\n".encode()
    assert run_import(fresh_db, data, "quoted.csv", capsys)[0] == 0
    assert (stored(fresh_db, PEOPLE), stored(fresh_db, year=2022)) == ((1234.0,), (95.5,))
    # in a workbook too: a note typed in a column without a header
    data = xlsx([HEADER, [K03, 2021, 60.5, "", "", "见附件"]])
    code, _, err = run_import(fresh_db, data, "note.xlsx", capsys)
    assert code == 2 and "第2行 F列: “见附件”在表头之外(表头只有 4 列)" in err
