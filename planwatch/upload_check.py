"""Checking an uploaded file (数据填报) against the catalogue: every problem found, with its row and column.

Number grammar for 数值, 分子 and 分母 (full-width digits, ％ and wide spaces count as ASCII; superscripts
and circled digits are not digits):
  [-] digits [. digits] [e|E [+|-] digits] [spaces] [% | ‰]
- thousands separators only in whole groups of three (1,234,567.5); any other comma (12,5 · 1,2,3,4) is
  refused as ambiguous, with the hint to write a decimal point;
- a percent sign (95.5%, 95.5 %) only on an indicator whose unit is % (‰ likewise), where it means the same as
  95.5; a percent-formatted Excel cell reads as the clerk sees it (0.955 shown as 95.5% is 95.5);
- 1e-05 and 0.00001 are the same number; a leading + is refused (it starts an Excel formula).
Rows whose input columns (数值, 分子, 分母, 备注, 原因说明, 整改措施) are all blank are skipped and counted
(a template is downloaded with every indicator and filled only where there is a value).
"""
from __future__ import annotations

import datetime
import hashlib
import math
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from planwatch.upload_read import TIME_LIMIT, ImportRefused, clean_name, header_key, narrow, read
from planwatch.xlsx_read import column_letter

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = {"indicator_id": "指标编号", "year": "年份", "value": "数值"}
LABELS = REQUIRED | {"note": "备注", "numerator": "分子", "denominator": "分母", "reason": "原因说明",
                     "measures": "整改措施"}
INPUTS = ("value", "numerator", "denominator", "note", "reason", "measures")
TEXTS = ("note", "reason", "measures")
MAX_TEXT = 2000
# above any count, rate or amount a plan monitors (a thousand trillion); larger values only overflow the charts and
# the trend (1.7e308 was accepted and broke 指标详情 for every visitor)
MAX_NUMBER = 1e15
FORMULA_START = ("=", "+", "-", "@")
# ASCII digits only (full-width ones are narrowed first): Python's \d also takes ٣ or ९५, which no clerk means
NUMBER = re.compile(r"(-?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)([eE][+-]?\d+)? *([%‰])?", re.ASCII)
YEAR = re.compile(r"([12]\d{3})年?", re.ASCII)


class NotANumber(ValueError):
    """The reason (Chinese) a text is not read as a number."""


# the accepted rows' columns, with their DuckDB types
COLUMNS = {"row_no": "INTEGER", "indicator_id": "VARCHAR", "year": "INTEGER", "value": "DOUBLE",
           "value_text": "VARCHAR", "note": "VARCHAR", "numerator": "DOUBLE", "denominator": "DOUBLE",
           "reason": "VARCHAR", "measures": "VARCHAR"}


@dataclass
class Checked:
    """A validated file, ready to preview and commit: records holds one tuple per accepted row (COLUMNS)."""
    file_name: str
    checksum: str
    records: list[tuple]
    notices: list[str] = field(default_factory=list)
    header: tuple[str, ...] = ()  # the fields the file's header named (indicator_id, year, value, reason …)

    def column(self, name: str) -> list:
        at = list(COLUMNS).index(name)
        return [r[at] for r in self.records]

    @property
    def rows(self) -> pd.DataFrame:
        """The rows as a new DataFrame on each access (for the pages; a change to it changes nothing stored)."""
        import pandas as pd  # imported here: the command line's import and its writes need no pandas (~0.5 s)

        return pd.DataFrame(self.records, columns=list(COLUMNS))

    def incoming(self) -> tuple[str, dict[str, list]]:
        """The rows as a DuckDB query over list parameters ($in_<column>), and those parameters."""
        sql = "SELECT " + ", ".join(f"unnest($in_{c}::{t}[]) AS {c}" for c, t in COLUMNS.items())
        return sql, {f"in_{c}": self.column(c) for c in COLUMNS}


def parse_number(text: str) -> tuple[float, str | None]:
    """The number written in text and the % or ‰ sign it carried; NotANumber says why not."""
    match = NUMBER.fullmatch(text)
    shown = text if len(text) <= 60 else text[:60] + "…"
    if match is None:
        if re.fullmatch(r"-?[\d,]+(\.\d+)?[%‰]?", text.replace(" ", ""), re.ASCII) and "," in text:
            raise NotANumber(f"“{shown}”中的逗号不是有效的千位分隔(应每三位一组,如 1,234,567);"
                             f"如果是小数,请写小数点,如 {text.replace(',', '.', 1) if text.count(',') == 1 else '12.5'}")
        if re.match(r"-?\d", text, re.ASCII):
            raise NotANumber(f"“{shown}”不是数字(只填数值,不带单位或文字)")
        raise NotANumber(f"“{shown}”不是数字")
    number = float(match[1] + match[2].replace(",", "") + (match[3] or ""))
    if not math.isfinite(number):
        raise NotANumber(f"“{shown}”超出可表示的数值范围")
    return number + 0.0, match[4]  # + 0.0: "-0" is stored as 0, never as -0.0


def _deadline_passed() -> ImportRefused:
    return ImportRefused([f"文件检查超过 {TIME_LIMIT:g} 秒仍未完成,已停止;请拆分后上传"])


def check(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str) -> Checked:
    """Validate a whole file against the catalogue; raise ImportRefused listing every problem."""
    deadline = time.monotonic() + TIME_LIMIT
    header, rows, problems = read(data, file_name, deadline)
    if not header:
        raise ImportRefused(["文件中没有表头和数据行(空表)"])
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = header_key(name)
        if key in columns:
            first = columns[key]
            problems.append(f"表头: {column_letter(first)}列“{header[first]}”和{column_letter(index)}列“{name}”"
                            f"都对应{LABELS[key]}({key}),无法判断用哪一列;请只保留一列")
        elif key:
            columns[key] = index
    missing = [f"{label}({key})" for key, label in REQUIRED.items() if key not in columns]
    if missing:
        raise ImportRefused([f"第1行(表头): 缺少必需的列 {'、'.join(missing)};现有列:{'、'.join(h for h in header if h)}"])
    if problems and any(p.startswith("表头") for p in problems):
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused(["只有表头,没有数据行"])

    # the catalogue rows of the indicators the file names (not all of them: 248,486 at national scale)
    at = columns["indicator_id"]
    named = sorted({narrow(cells[at]) for _, cells in rows if at < len(cells) and len(cells[at]) <= MAX_TEXT})
    catalogue = {r[0]: r[1:] for r in con.execute(
        "SELECT i.indicator_id, i.target_op, i.unit, p.period_start, p.period_end, i.name, "
        # what values it can take (00_macros.sql): a change may be negative, a gross rate pass 100%; and, for a rate,
        # events per how many (a value given with 分子/分母 must be their rate)
        "pw_signed(i.name, i.unit), pw_over_100(i.name), pw_rate_scale(i.unit) "
        "FROM indicator i JOIN plan p USING (plan_id) WHERE i.indicator_id IN (SELECT unnest($ids))",
        {"ids": named}).fetchall()}
    # the columns the header names: a cell to the right of them has no column (a comma inside a CSV value, 1,234
    # or 95,5, splits it into two cells and shifts what follows; its first part was stored as the value)
    width = max((index + 1 for index, name in enumerate(header) if str(name).strip()), default=0)
    seen: dict[tuple[str, int], int] = {}
    accepted, blank, faulty = [], 0, set()  # faulty: the rows with a problem of their own
    for count, (row_no, cells) in enumerate(rows):
        before = len(problems)
        if count % 1000 == 0 and time.monotonic() > deadline:
            raise _deadline_passed()
        raw = lambda key: cells[columns[key]] if key in columns and columns[key] < len(cells) else ""  # noqa: E731
        get = lambda key: raw(key) if key in TEXTS else narrow(raw(key))  # noqa: E731
        where = lambda key: f"第{row_no}行 {LABELS[key]}列"  # noqa: E731
        # a cell longer than any note is refused before anything reads it (one 32,000-character shared string can
        # fill every cell of a sheet)
        too_long = [key for key in columns if len(raw(key)) > MAX_TEXT]
        if too_long:
            problems.extend(f"{where(key)}: 共 {len(raw(key))} 字,超过 {MAX_TEXT} 字上限,请精简" for key in too_long)
            continue
        extra = next((index for index in range(width, len(cells)) if str(cells[index]).strip()), None)
        if extra is not None:
            problems.append(f"第{row_no}行 {column_letter(extra)}列: “{str(cells[extra])[:20]}”在表头之外(表头只有 {width} 列);"
                            "若是数值中的逗号(1,234 或 95,5)把一格拆成了两格,请去掉逗号或整格加引号")
        if not any(get(key) for key in INPUTS):
            blank += 1
            continue
        for key in columns:
            text = get(key)
            if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
                problems.append(f"{where(key)}: “{text[:60]}”以 {text[0]} 开头,可能是公式,不予接受")
        iid, year_text, value_text = get("indicator_id"), get("year"), get("value")
        known = catalogue.get(iid)
        if not iid:
            problems.append(f"{where('indicator_id')}: 指标编号为空")
        elif known is None:
            problems.append(f"{where('indicator_id')}: 未知指标编号“{iid[:60]}”(请使用模板中的编号)")
        year_match = YEAR.fullmatch(year_text)
        year = int(year_match[1]) if year_match else None
        if year is None:
            problems.append(f"{where('year')}: 年份“{year_text[:20]}”不是有效的四位年份(如 2023)")
        elif known and not known[2] <= year <= known[3]:
            problems.append(f"{where('year')}: {year}年不在规划期 {known[2]}–{known[3]} 年内")
        value, text_value = None, None
        if not value_text:
            problems.append(f"{where('value')}: 数值为空(已填写其他列,却没有填写数值)")
        elif known and known[0] == "qualitative":
            text_value = value_text = raw("value")  # as written
        else:
            value = _number(value_text, "value", where, known, problems)
        numerator, denominator = (_number(get(key), key, where, known, problems) if get(key) else None
                                  for key in ("numerator", "denominator"))
        if denominator is not None and denominator < 1:
            # a population or count of cases: below 1 it turns the small-number rule's rate into nonsense
            problems.append(f"{where('denominator')}: 分母为{get('denominator')},应为不小于1的人数或例数")
        elif numerator is not None and denominator is not None and numerator > denominator:
            problems.append(f"{where('numerator')}: 分子 {get('numerator')} 大于分母 {get('denominator')},"
                            "事件数不能多于人数")
        elif None not in (value, numerator, denominator) and known and known[7] is not None:
            counted = numerator / denominator * known[7]
            # the value as reported may round the counts' rate to its last digit; a wrong scale (‰ for 1/10万) or
            # a count of another year is off by far more
            if abs(value - counted) > max(0.5 * 10 ** -_decimals(value), 0.01 * abs(counted)) + 1e-9:
                problems.append(f"{where('value')}: 数值 {get('value')} 与分子÷分母不符:{get('numerator')} ÷ "
                                f"{get('denominator')} 折合 {counted:.4g}{known[1]},请核对数值、分子、分母和单位")
        if iid and year is not None:
            if (iid, year) in seen:
                problems.append(f"第{row_no}行: 指标“{iid[:60]}”{year}年与第{seen[(iid, year)]}行重复")
            else:
                seen[(iid, year)] = row_no
        accepted.append((row_no, iid, year, value, text_value, get("note") or None, numerator, denominator,
                         get("reason") or None, get("measures") or None))
        if len(problems) > before:
            faulty.add(row_no)
    if not accepted and not problems:
        problems.append(f"没有可导入的数值:{blank} 行均未填写数值")
    if problems:
        passed = [r for r in accepted if r[0] not in faulty]
        raise ImportRefused(problems, Checked(clean_name(file_name), "", passed, [], tuple(columns)) if passed else None)
    notices = [f"跳过 {blank} 行未填写的空行(数值等填报列均为空)"] if blank else []
    # a year still to come is allowed (the method then runs to it) but most likely a typo (2029 for 2022): said
    this_year = datetime.date.today().year
    future = sorted({(row_no, year) for row_no, _, year, *_ in accepted if year > this_year})
    if future:
        notices.append(f"请核对年份:第{'、'.join(str(r) for r, _ in future[:5])}{'等' if len(future) > 5 else ''}行的年份"
                       f"({'、'.join(sorted({str(y) for _, y in future}))}年)晚于今年({this_year}年)")
    return Checked(clean_name(file_name), hashlib.sha256(data).hexdigest(), accepted, notices, tuple(columns))


def _decimals(x: float) -> int:
    """The decimals a value was written with, at most 4 (as the method's pw_decimals: 93.8 -> 1, 94 -> 0)."""
    return next((d for d in range(4) if abs(x - round(x, d)) < 1e-7), 4)


def _number(text: str, key: str, where, known, problems: list[str]) -> float | None:
    """A number cell checked for its indicator's unit; None (and a problem recorded) if it is not acceptable."""
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return None  # already refused as a possible formula
    try:
        number, sign = parse_number(text)
    except NotANumber as reason:
        problems.append(f"{where(key)}: {reason}")
        return None
    unit = known[1] if known else None
    if sign and (key != "value" or (known and unit != sign)):
        whose = f"该指标的单位是“{unit}”" if key == "value" and unit else f"{LABELS[key]}应为实际数"
        problems.append(f"{where(key)}: “{text}”带 {sign} 号,但{whose},请去掉 {sign} 号按"
                        f"{'该单位' if key == 'value' and unit else '实际数'}填写")
        return None
    signed, over_100 = (known[5], known[6]) if known else (False, False)
    if number < 0 and not (key == "value" and signed):
        problems.append(f"{where(key)}: {text} 为负数,比率和人数不能为负")
        return None
    if abs(number) > MAX_NUMBER:
        problems.append(f"{where(key)}: {text} 过大(超过10的15次方),不是可能的监测值,请核对单位和位数")
        return None
    if key == "value" and unit == "%" and number > 100 and not (over_100 or signed):
        problems.append(f"{where(key)}: {text} 超过100%(单位为%)")
        return None
    return number
