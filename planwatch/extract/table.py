"""The key indicator table (主要指标 / 重点指标目标表), also when web scraping flattened it to one cell per line.

A flattened table reads 序号, the column headers (主要统计指标, 2020年, 2025年 or 规划目标), then per row its number,
the name cell with the unit in brackets, and the value cells. A row ends where the next row number is followed
by a name cell; the table ends at the first line too long to be a cell.
"""
from __future__ import annotations

import re

HEADER = re.compile(r"^(?:序\s*号|编\s*号)$")
MAX_CELL = 40
NAME_UNIT = re.compile(
    r"^(?P<name>.*?)(?:\s*[((]?\s*(?P<unit>%|%|‰|1/‰|1?/10万|1?/万|1?/千|个百分点|万人|万个|万元|小时|岁|年|人|个|张|名|所|家|"
    r"次|项|天|元)\s*[))]?)?\s*$"
)
CELL = re.compile(
    r"^(?P<label>[\u4e00-\u9fff]*?)\s*(?P<op><|>|≤|≥|<|>)?\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*"
    r"(?P<unit>%|%|‰|1?/10万|1?/万|万人|小时|人|个|岁|年|张|名|所|家|次)?\s*(?P<mod>左右|以上|以下|以内)?$"
)
LOWER_IS_BETTER = re.compile(r"死亡率|发生率|患病率|失业(?!保险)|近视率|伤害|缺陷|传播率|发病率")
QUALITATIVE_MAINTAIN = {"保持", "持续提升", "稳步提升", "逐步提高", "持续提高", "稳定", "保持稳定"}
ATTRIBUTES = {"预期性", "约束性"}   # the 属性 column of many 十四五 tables: not a value


def _is_name(text: str) -> bool:
    return len(text) >= 4 and bool(re.search(r"[\u4e00-\u9fff]{2}", text)) and not CELL.match(text)


def _cells(lines: list[str], start: int) -> list[tuple[int, str]]:
    cells = []
    for no in range(start, len(lines)):
        text = lines[no].strip()
        if not text:
            continue
        if len(text) > MAX_CELL or re.match(r"^[一二三四五六七八九十]+、|^[((][一二三四五六七八九十]+[))]", text):
            break
        cells.append((no + 1, text))
    return cells


def _split_rows(cells):
    """Header cells and rows [(number, line, [(line, cell) …])]; row N+1 starts where its number meets a name."""
    first = next((i for i, (_, t) in enumerate(cells) if t == "1"), None)
    if first is None:
        return [], []
    header, rows, i = [t for _, t in cells[:first]], [], first
    while i < len(cells) and cells[i][1] == str(len(rows) + 1) and i + 1 < len(cells):
        n, j = len(rows) + 1, i + 2
        while j < len(cells) and not (cells[j][1] == str(n + 1) and j + 1 < len(cells) and _is_name(cells[j + 1][1])):
            j += 1
        rows.append((n, cells[i + 1], cells[i + 2:j]))
        i = j
    return header, rows


def parse_cell(text: str, name: str) -> dict:
    """A target or baseline cell: '<9', '45左右', '0.85人左右', '城市社区100', '保持', '应援尽援'."""
    m = CELL.match(text)
    if not m:
        if text in QUALITATIVE_MAINTAIN:
            return {"target_op": "maintain", "target_value": "", "label": ""}
        return {"target_op": "qualitative", "target_value": "", "label": ""}
    ops = {"<": "<", "<": "<", ">": ">", ">": ">", "≤": "<=", "≥": ">="}
    if m["op"]:
        op = ops[m["op"]]
    elif m["mod"]:
        op = {"左右": "~", "以上": ">=", "以下": "<=", "以内": "<="}[m["mod"]]
    elif LOWER_IS_BETTER.search(name):
        op = "<="
    else:
        op = "=" if float(m["value"]) == 100 else ">="
    unit = re.sub(r"^/", "1/", (m["unit"] or "").replace("%", "%"))
    return {"target_op": op, "target_value": m["value"], "label": m["label"], "unit": unit}


def find_tables(lines: list[str], year_at) -> tuple[list[dict], set[int]]:
    """Key-table rows and the line numbers the tables occupy (so that text targets skip them)."""
    rows_out, used = [], set()
    for idx, line in enumerate(lines):
        if not HEADER.match(line.strip()):
            continue
        cells = _cells(lines, idx + 1)
        header, rows = _split_rows(cells)
        if not rows:
            continue
        used.update(range(idx + 1, cells[-1][0] + 1))
        years = [int(y) for h in header for y in re.findall(r"(20\d\d)\s*年", h)]
        has_baseline = any(y <= 2020 for y in years) or any(re.search(r"基期|基数|现状", h) for h in header)
        unit_column = any(h.strip() in ("单位", "计量单位") for h in header)
        target_year = next((y for y in years if y > 2020), year_at(idx + 1))
        for n, (name_line, name_cell), values in rows:
            nm = NAME_UNIT.match(name_cell)
            name, unit = nm["name"].rstrip(" ((%"), re.sub(r"^/", "1/", (nm["unit"] or "").replace("%", "%"))
            if unit_column and values:
                unit, values = unit or values[0][1].strip("()()").replace("%", "%"), values[1:]
            attribute = [t for _, t in values if t in ATTRIBUTES]
            values = [(no, t) for no, t in values if t not in ATTRIBUTES]
            baseline = values[0] if has_baseline and len(values) >= 2 else None
            targets = values[1:] if baseline else values
            for k, (t_line, t_text) in enumerate(targets):
                cell = parse_cell(t_text, name)
                suffix = chr(ord("a") + k) if len(targets) > 1 else ""
                base_ok = baseline and re.fullmatch(r"\d+(?:\.\d+)?", baseline[1])
                rows_out.append({
                    "key_no": f"{n:02d}{suffix}", "is_key": 1,
                    "name": name + (f"({cell['label']})" if cell["label"] else ""),
                    "unit": cell.get("unit") or unit,
                    "baseline_year": 2020 if base_ok else "",
                    "baseline_value": baseline[1] if base_ok else "",
                    "baseline_line": baseline[0] if base_ok else "",
                    "baseline_quote": baseline[1] if base_ok else "",
                    "target_op": cell["target_op"], "target_value": cell["target_value"], "target_text": t_text,
                    "target_year": target_year, "source_line": t_line, "quote": t_text, "name_line": name_line,
                    "responsible_units": "", "note": f"{attribute[0]}指标" if attribute else "", "confidence": 0.9 if cell["target_value"] or cell["target_op"] == "maintain"
                    else 0.7,
                })
    return rows_out, used
