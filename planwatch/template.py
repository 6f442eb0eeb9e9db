"""The Excel template member units fill in (数据填报模板): it imports as it is.

Sheet 填报: one row per indicator, reference columns locked (grey), the columns to fill (年份 prefilled, 数值,
分子, 分母, 备注, 原因说明, 整改措施) unlocked; rows left blank are skipped on import; sheet 说明 explains every
column in Chinese. The sheet is protected without a password so that a clerk cannot overwrite the reference
columns by accident (it is a guide, not a security measure).
"""
from __future__ import annotations

import io

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from planwatch import db, downloads

INPUT_COLUMNS = ("年份", "数值", "分子", "分母", "备注", "原因说明", "整改措施")
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HELP = [
    ("指标编号", "系统识别指标的编号,请勿修改。"),
    ("地区 / 规划 / 领域 / 指标名称 / 单位", "指标的基本信息(灰色,只读)。"),
    ("基线(2020年) / 目标 / 目标年", "规划文本中的基线和目标,供填报时对照。"),
    ("填写内容", "“数字”:只填数值,不带单位;单位为%的指标填 95.5 或 95.5%(设为百分比格式的单元格按显示的数读取);"
             "千位分隔须每三位一组(1,234,567),小数用小数点(12.5,不写 12,5)。“文字”:定性目标,填简要文字说明。"),
    ("责任单位", "规划列明的责任单位;“规划未列明”表示规划文本没有写明。"),
    ("已有数据", "系统中已有的各年数值;标注“(示例)”的是演示数据,不是真实统计。"),
    ("年份", "报告年份(已预填)。成员单位只能报送已开启年度监测的年份;工委办公室补录往年数据时可改为规划期内的其他年份。"),
    ("数值", "本年度监测值。百分比不超过100,比率和人数不能为负。不要输入公式。"),
    ("分子 / 分母", "比率背后的事件数和人口数(可不填),如孕产妇死亡数和活产数;填实际数,不带百分号。"),
    ("备注", "口径说明、数据来源等(可不填)。"),
    ("原因说明 / 整改措施", "指标进度滞后或逆向变化时,说明原因和整改措施(各不超过2000字)。"),
    ("不报送的指标", "数值等填报列留空即可,导入时跳过并告知跳过的行数;只填了备注等却没有数值的行会被拒收。"),
    ("上传", "成员单位在“单位填报”页面、工委办公室在“数据填报”页面上传本文件(xlsx),或另存为 CSV(UTF-8 或 GBK 均可)。系统会整份检查,全部正确才导入。"),
]


def rows(con: duckdb.DuckDBPyConnection, region=None, plan=None, unit=None):
    return db.run_query(con, "template_rows", region=region, plan=plan, unit=unit)


def workbook_bytes(con: duckdb.DuckDBPyConnection, year: int, region=None, plan=None, unit=None) -> bytes:
    frame = rows(con, region, plan, unit)
    frame["年份"] = year
    for column in INPUT_COLUMNS[1:]:
        frame[column] = None
    book = Workbook()
    sheet = book.active
    sheet.title = "填报"
    sheet.append(list(frame.columns))
    for record in downloads.formula_safe(frame).itertuples(index=False):
        sheet.append([None if v != v else v for v in record])  # NaN -> empty cell
    inputs = {i + 1 for i, c in enumerate(frame.columns) if c in INPUT_COLUMNS}
    for row in sheet.iter_rows():
        for cell in row:
            editable = cell.column in inputs and cell.row > 1
            cell.protection = Protection(locked=not editable)
            cell.fill = INPUT_FILL if cell.column in inputs else LOCKED_FILL
            if cell.row == 1:
                cell.font = Font(bold=True)
    for index, column in enumerate(frame.columns, start=1):
        width = 40 if column in ("指标名称", "已有数据", "责任单位") else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may still be changed
    help_sheet = book.create_sheet("说明")
    help_sheet.append(["列", "说明"])
    for item in HELP:
        help_sheet.append(list(item))
    help_sheet.column_dimensions["A"].width = 34
    help_sheet.column_dimensions["B"].width = 90
    for cell in help_sheet["B"]:
        cell.alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
