"""The annual review as an Excel workbook (openpyxl): one sheet per cut, every sheet a filterable table.

Header frozen, autofilter, formula-safe text (planwatch.downloads.new_sheet and rows), shares as percentages. With
demonstration values the 说明 sheet says so first, and every sheet prints 示例数据 in its page header.

The sheets are streamed (openpyxl's write-only mode: each row goes to a temporary file as it is written), so a
province's workbook, every indicator and warning of thousands of counties, takes tens of megabytes, not the
gigabyte a workbook held in memory took. Whatever a write-only sheet needs before its rows (column widths) is set
first; styles are set per cell.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from planwatch import downloads
from planwatch.report.content import DEMO_NOTE, ReportContent, method_points

SHEETS = ("说明", "指标状态", "预警", "按规划", "按领域", "按地区", "按责任单位", "未列明责任单位")
PERCENT = "0.0%"
NUMBER_FORMATS = {"目标进程": PERCENT, "时间进度": PERCENT, "达标率": PERCENT, "进度比": "0.00",
                  "基线年份": "0", "目标年": "0", "最新年份": "0"}
DEMO_FONT, DEMO_FILL = Font(bold=True, color="C65A00"), PatternFill("solid", fgColor="FDEBD9")
WRAPPED = Alignment(wrap_text=True, vertical="top")


def frames(content: ReportContent) -> dict[str, pd.DataFrame]:
    """The table of each sheet, in sheet order."""
    c = content
    counts = c.warning_counts()
    about = [("报告", c.title), ("编制单位", c.committee), ("截至年份", f"{c.year}年"), ("范围", c.scope),
             ("生成日期", f"{c.generated:%Y-%m-%d}"),
             ("达标率", c.rate_text()), ("达标率分母", c.denominator_text()),
             ("预警", f"红色 {counts['红']} 条、黄色 {counts['黄']} 条、未填报(灰色){counts['灰']} 条"),
             *((f"方法 {i}", p) for i, p in enumerate(method_points(c), start=1))]
    if c.has_demo:
        about.insert(0, ("示例数据", DEMO_NOTE + ";各表“数据来源”为“示例”的数值均为演示值。"))
    return {
        "说明": pd.DataFrame(about, columns=["项目", "内容"]),
        "指标状态": c.indicators,
        "预警": c.warnings.rename(columns={"indicator_id": "指标编号", "urgency": "紧迫度"}),
        "按规划": c.cut("plan"),
        "按领域": c.cut("domain"),
        "按地区": c.cut("region"),
        "按责任单位": c.units.rename(columns={"unit_id": "单位编号", "n_demo": "示例值指标"}),
        "未列明责任单位": c.unlisted.drop(columns="plan_id").rename(
            columns={"region_code": "地区代码"}),
    }


def _styled(sheet, value, **style):
    """A cell (value may be one already) with the given style attributes (font, fill, alignment)."""
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
    for key, setting in style.items():
        setattr(cell, key, setting)
    return cell


def _write_sheet(book: Workbook, frame: pd.DataFrame, name: str, content: ReportContent) -> None:
    """One sheet: widths, frozen header, autofilter, print setup, then the rows streamed with their formats."""
    frame = downloads.excel_ready(frame)
    sheet = downloads.new_sheet(book, frame, name)
    if name == "说明":
        sheet.column_dimensions["B"].width = 100
    sheet.oddHeader.left.text = f"{content.title} · {content.subtitle}"
    if content.has_demo:
        sheet.oddHeader.right.text = "示例数据"
        sheet.oddHeader.right.color = "C65A00"
    sheet.oddFooter.right.text = "第 &P 页 / 共 &N 页"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    formats = [NUMBER_FORMATS.get(column) for column in frame.columns]
    for number, cells in enumerate(downloads.rows(frame, sheet, formats), start=1):
        if name == "说明" and number > 1:  # the explanations wrap; the demonstration notice (first row) stands out
            cells[1] = _styled(sheet, cells[1], alignment=WRAPPED)
            if number == 2 and content.has_demo:
                cells = [_styled(sheet, cell, font=DEMO_FONT, fill=DEMO_FILL) for cell in cells]
        sheet.append(cells)


def xlsx_bytes(content: ReportContent) -> bytes:
    book = Workbook(write_only=True)
    for name, frame in frames(content).items():
        _write_sheet(book, frame, name, content)
    book.properties.title = f"{content.title}({content.subtitle})"
    book.properties.keywords = "示例数据" if content.has_demo else ""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
