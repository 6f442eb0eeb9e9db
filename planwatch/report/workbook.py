"""The annual review as an Excel workbook (openpyxl): one sheet per cut, every sheet a filterable table.

Header frozen, autofilter, formula-safe text (planwatch.downloads.write_sheet), shares as percentages. With
demonstration values the 说明 sheet says so first, and every sheet prints 示例数据 in its page header.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill

from planwatch import downloads
from planwatch.report.content import DEMO_NOTE, ReportContent, method_points

SHEETS = ("说明", "指标状态", "预警", "按规划", "按领域", "按地区", "按责任单位")
PERCENT = "0.0%"
NUMBER_FORMATS = {"目标进程": PERCENT, "时间进度": PERCENT, "达标率": PERCENT, "进度比": "0.00",
                  "基线年份": "0", "目标年": "0", "最新年份": "0"}


def _formats(sheet, frame: pd.DataFrame) -> None:
    for index, column in enumerate(frame.columns, start=1):
        fmt = NUMBER_FORMATS.get(column)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt


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
        "预警": c.warnings.rename(columns={"indicator_id": "指标编号"}),
        "按规划": c.cut("plan"),
        "按领域": c.cut("domain"),
        "按地区": c.cut("region"),
        "按责任单位": c.units.rename(columns={"unit_id": "单位编号", "n_demo": "示例值指标"}),
    }


def xlsx_bytes(content: ReportContent) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames(content).items():
            sheet = downloads.write_sheet(writer, frame, name)
            _formats(sheet, frame)
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
        about = writer.sheets["说明"]
        about.column_dimensions["B"].width = 100
        for (cell,) in about.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if content.has_demo:
            about["A2"].font = about["B2"].font = Font(bold=True, color="C65A00")
            about["A2"].fill = about["B2"].fill = PatternFill("solid", fgColor="FDEBD9")
        writer.book.properties.title = f"{content.title}({content.subtitle})"
        writer.book.properties.keywords = "示例数据" if content.has_demo else ""
    return buffer.getvalue()
