"""Figures as printed in plan text: Arabic numbers, Chinese numerals (read with cn2an), fractions and ratios.

A figure keeps its printed span so that quotes stay verbatim; `value` is the number the catalogue stores (a
fraction such as 三分之二 or 一半 becomes a percentage, since plans state shares in %).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

CN_DIGITS = "零一二两三四五六七八九十百千"
ARABIC = r"[0-9]+(?:\.[0-9]+)?"  # ASCII digits only: \d is any script's (٩٥, １２)
CN = f"[{CN_DIGITS}]+"
# Units a target figure may carry, longest first so that 万人 wins over 万 and 个百分点 over 个.
UNITS = [
    "个百分点", "/10万", "/万", "/千", "万平方米", "平方米", "万人", "万个", "万元", "小时", "分钟", "个月", "月龄",
    "%", "%", "‰", "岁", "年", "人", "名", "所", "个", "家", "次", "项", "张", "天", "处", "座", "倍", "件", "户", "场", "期",
    "支", "台", "间", "门", "节", "课时", "学时",
]
UNIT_RE = "|".join(re.escape(u) for u in UNITS)
# One figure: a fraction (三分之二, 2/3), half (一半), a ratio (3:2), a range (1-2) or a plain number.
FIGURE = re.compile(
    rf"(?P<frac>(?P<den>{CN})分之(?P<num>{CN}))"
    rf"|(?P<half>[一]半)"
    rf"|(?P<ratio>{ARABIC}[::]{ARABIC})"
    rf"|(?P<arabic>{ARABIC})(?:\s*[-—~～至]\s*(?P<upper>{ARABIC}))?"
    rf"|(?P<cn>{CN})"
)


@dataclass
class Figure:
    start: int      # span in the line, unit included
    end: int
    text: str       # as printed, unit included
    value: str      # the number as the catalogue stores it ('95', '0.5', '3:2', '66.7')
    unit: str
    chinese: bool   # written in Chinese numerals (weaker evidence of a target)


def cn_number(text: str) -> float | None:
    """A Chinese numeral ('十二', '两') as a number via cn2an, or None when it is not one."""
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def fmt(value: float) -> str:
    """A number as printed in the catalogue: no trailing zeros, at most one decimal for computed shares."""
    text = f"{value:.1f}" if abs(value - round(value)) > 1e-9 else str(int(round(value)))
    return text


def figures(line: str) -> list[Figure]:
    """Every figure in a line with the unit that follows it (possibly none)."""
    found = []
    for m in FIGURE.finditer(line):
        unit_m = re.compile(rf"\s*({UNIT_RE})").match(line, m.end())
        unit = unit_m.group(1) if unit_m else ""
        end = unit_m.end() if unit_m else m.end()
        if m["frac"]:
            den, num = cn_number(m["den"]), cn_number(m["num"])
            if not den or num is None:
                continue
            value, unit, chinese = fmt(100 * num / den), unit or "%", True
        elif m["half"]:
            value, unit, chinese = fmt(100 * cn_number(m["half"][0]) / 2), unit or "%", True
        elif m["ratio"]:
            value, chinese = m["ratio"].replace(":", ":"), False
        elif m["arabic"]:
            value, chinese = m["arabic"], False
        else:
            number = cn_number(m["cn"])
            if number is None or not unit:
                continue  # a Chinese numeral counts only with a measure word (一所, 两个), not 一体化 or 十四五
            value, chinese = fmt(number), True
        unit = {"%": "%"}.get(unit, unit)
        found.append(Figure(m.start(), end, line[m.start():end], value, unit, chinese))
    return found
