"""CSV and xlsx downloads: Chinese text survives Excel, the header is frozen and filterable, no cell is a formula."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from planwatch import downloads

RISKY = ["=1+1", "+86 123", "-3 个百分点", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


def sample() -> pd.DataFrame:
    return pd.DataFrame({
        "指标": ["孕产妇死亡率", *RISKY],
        "数值": [7.0, 1.5, -2.0, None, 3.0, 4.25],
        "说明": ["控制在7/10万以下", "普通文字", "", None, "a-b", "结尾="],
    })


def test_csv_has_bom_and_reads_back_in_chinese():
    data = downloads.csv_bytes(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["指标", "数值", "说明"]
    assert back.loc[0, "指标"] == "孕产妇死亡率"
    assert back.loc[2, "数值"] == -2.0  # numbers stay numbers, negative ones included


def test_csv_text_never_starts_like_a_formula():
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(sample())), encoding="utf-8-sig", dtype=str)
    assert back["指标"].tolist()[1:] == ["'" + v for v in RISKY]
    assert back.loc[4, "说明"] == "a-b" and back.loc[5, "说明"] == "结尾="  # only a leading sign is risky


def test_xlsx_header_frozen_with_autofilter():
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(sample(), sheet_name="预警清单")))
    sheet = book["预警清单"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C7"  # header and six rows
    assert [c.value for c in sheet[1]] == ["指标", "数值", "说明"]
    assert sheet["A2"].value == "孕产妇死亡率"
    assert sheet["B4"].value == -2.0 and sheet["B4"].data_type == "n"
    assert sheet.column_dimensions["A"].width >= 12  # wide enough for six Chinese characters


def test_xlsx_risky_text_is_stored_as_text_not_formula():
    data = downloads.xlsx_bytes(sample())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for row, text in enumerate(RISKY, start=3):
        cell = sheet[f"A{row}"]
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


DDE = "=cmd|' /C calc'!A0"  # a column alias from a shared explorer link


def hostile() -> pd.DataFrame:
    return pd.DataFrame({DDE: ["=1+1", "ok"], "+x": [1, 2], "normal": ["@A1", "-"]})


def test_csv_header_never_starts_like_a_formula():
    text = downloads.csv_bytes(hostile()).decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header == "'" + DDE + ",'+x,normal"
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back.iloc[0, 0] == "'=1+1" and back.iloc[0, 2] == "'@A1" and back.iloc[1, 2] == "'-"


def test_xlsx_header_is_text_not_formula():
    data = downloads.xlsx_bytes(hostile())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == [DDE, "+x", "normal"]
    for cell in [sheet["A1"], sheet["B1"], sheet["A2"], sheet["C2"]]:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_values_excel_lacks_are_written_as_text():
    """What an explorer query can return: lists, structs, bytes, times with a time zone."""
    frame = pd.DataFrame({"list": pd.Series([[1, 2], ["=x"]], dtype=object), "struct": [{"a": 1}, None],
                          "bytes": [b"abc", b""],
                          "tz": pd.to_datetime(["2024-01-01 08:00", "2024-06-01 12:30"]).tz_localize("Asia/Shanghai")})
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(frame))).active
    assert [c.value for c in sheet[2]][:3] == ["[1, 2]", "{'a': 1}", "b'abc'"]
    assert sheet["D2"].value.isoformat() == "2024-01-01T08:00:00"  # the wall-clock time shown in the app
    assert sheet["A3"].value == "['=x']" and sheet["A3"].data_type == "s"
