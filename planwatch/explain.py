"""One line that lets a committee member recompute a progress call by hand (指标详情 page, docs/method.md).

The inputs are the columns of v_status_detail (indicator_detail.sql): the start, the value judged, the noise
tolerance and the reported precision, progress and time, the projection, the gap and the 基本实现 tolerance, and
for small numbers the pooled rate with its interval. The thresholds are method_threshold's key → value.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal


def _given(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def num(x) -> str:
    """A number with up to four decimals and no trailing zeros (0.0207, 36.9, 45000)."""
    text = f"{float(x):.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def unit_text(unit) -> str:
    """The unit as written after a value: % ‰ /10万 岁 (a table printing "1/‰" means ‰)."""
    if not _given(unit):
        return ""
    return "‰" if unit == "1/‰" else unit[1:] if unit.startswith("1/") else unit


def diff_unit(unit) -> str:
    """The unit of a difference: percentage points for %, per-mille points for ‰."""
    return {"%": "个百分点", "‰": "个千分点", "1/‰": "个千分点"}.get(unit, unit_text(unit))


def share(x: float, digits: int = 0) -> str:
    """A share as a percentage ("37%"), rounded half up as the SQL and the statistics bureaus round (12.5% → 13%),
    never "-0%" (a progress of -0.001 reads 0%)."""
    if not abs(float(x)) < 1e12:  # no share is that large (or infinite): shown as a number, never a traceback
        return f"{float(x) * 100:.3g}%"
    shown = Decimal(str(float(x) * 100)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{abs(shown) if shown == 0 else shown}%"


def line(row: Mapping, thresholds: Mapping) -> str:
    """The call of one indicator and as-of year, with every input, in one sentence."""
    status = row["status"]
    if status in ("定性", "无数据") or not _given(row.get("latest_year")):
        return f"{status or '无数据'}:不作数值判定。"
    u, du = unit_text(row.get("unit")), diff_unit(row.get("unit"))
    start = f"{row['ref_year']:.0f}年{'基线' if row.get('has_baseline') else ''}{num(row['ref_value'])}{u}"
    parts = [f"起点{start}"]
    if _given(row.get("pooled_rate")):
        span = f"{row['pooled_from_year']:.0f}–{row['latest_year']:.0f}" \
            if row["pooled_from_year"] < row["latest_year"] else f"{row['latest_year']:.0f}"
        counted = f"分子{num(row['events'])}" if row.get("unit") == "%" else f"{num(row['events'])}例"
        parts.append(f"判定值{num(row['pooled_rate'])}{u}({span}年合计{counted} ÷ "
                     f"{num(row['population'])},95%置信区间{num(row['interval_low'])}–{num(row['interval_high'])}{u},"
                     f"{row['interval_method']})")
    else:
        parts.append(f"判定值{row['latest_year']:.0f}年{num(row['judged_value'])}{u}")
    parts.append(f"目标{row['target_label']}({row['target_year']:.0f}年)")
    pooled = _given(row.get("pooled_rate"))
    if row["latest_year"] > row["ref_year"] and pooled and row["interval_low"] <= row["ref_value"] <= row["interval_high"]:
        parts.append("起点在合并率的95%置信区间内→基本持平")
    elif row["latest_year"] > row["ref_year"]:
        if pooled:  # level all the same when the change is within the tolerance (method.md §2)
            parts.append("起点不在合并率的95%置信区间内")
        # for = and a two-sided 左右 what counts is the change of the distance to the target (method.md §2; the
        # query's two_sided, from pw_two_sided in 00_macros.sql)
        to_target, goal = bool(row.get("two_sided")), row.get("target_value")
        change = abs(row["judged_value"] - goal) - abs(row["ref_value"] - goal) if to_target \
            else row["judged_value"] - row["ref_value"]
        # the reported unit counts at most precision_cap_relative of the scale (the query's noise_precision:
        # pw_noise_precision), and the tolerance is capped at half the way to go for a start short of its target
        # (method.md §2)
        precision = row["noise_precision"]
        precision_text = f"报告精度{num(row['reported_precision'])}"
        if precision < row["reported_precision"] - 1e-9:
            precision_text += f"(计入不超过量级的{thresholds['precision_cap_relative']:.0%},即{num(precision)})"
        uncapped = max(thresholds["noise_relative"] * abs(row["ref_value"]), precision)
        rule = (f"起点×{thresholds['noise_relative']:.0%}与起点到目标距离的一半取小,再与"
                if row["noise_tolerance"] < uncapped - 1e-4 else f"起点×{thresholds['noise_relative']:.0%}与")
        tolerance = f"容差{num(row['noise_tolerance'])}{du}({rule}{precision_text}取大)"
        if row.get("judged_op") == "improve":
            # 持续提升: met by a change for the better of more than one reported unit (method.md §3), not by noise
            improved = (row.get("better") or 1) * change > precision + 1e-9
            parts.append(f"变化{'+' if change > 0 else ''}{num(change)}{du},{'超过' if improved else '未超过'}"
                         f"一个报告单位{num(precision)}{du}→{'有改善' if improved else '改善不明显'}")
        elif row.get("from_within_ceiling") and _given(row.get("gap")) and row["gap"] > 0:
            # a ceiling the start was within: what counts is the excess over it (4.01 against ≤4 is no 逆向变化)
            within = row["gap"] < row["noise_tolerance"] - 1e-9 or row["gap"] <= precision + 1e-9
            parts.append(f"超出上限{num(row['gap'])}{du},{tolerance}→{'在容差内' if within else '超出容差'}")
        else:
            parts.append(f"{'与目标的距离' if to_target else ''}变化{'+' if change > 0 else ''}{num(change)}{du},"
                         f"{tolerance}→{'基本持平' if row.get('within_noise') else '有变化'}")
    if _given(row.get("progress")) and _given(row.get("ratio")):
        parts.append(f"目标进程{share(row['progress'])} ÷ 时间进度{share(row['expected_progress'])} = 进度比"
                     f"{num(row['ratio'])}(进展顺利需 ≥ {num(thresholds['on_track_ratio'])})")
    if row.get("is_final"):
        early = _given(row.get("latest_year")) and row["latest_year"] < row["target_year"]
        parts.append(f"目标年{row['target_year']:.0f}年已到,"
                     + (f"{row['target_year']:.0f}年数值尚未报送,暂依据{row['latest_year']:.0f}年数值判定"
                        if early else "最终判定") + ",不再外推")
    elif _given(row.get("slope")):
        parts.append(f"趋势斜率每年{num(row['slope'])}{du},{row['target_year']:.0f}年约{num(row['projected_value'])}{u}")
    if _given(row.get("gap")) and status != "不能判断":
        within = row["gap"] <= row["basic_tolerance"] + 1e-9
        kept_baseline = status == "逆向变化" and row.get("target_op") == "maintain"
        # beyond the tolerance yet 基本实现: the trend reaches the target (method.md §3 ②)
        by_trend = not within and row["assessment"] == "基本实现"
        parts.append(f"距达标{num(row['gap'])}{du}{'≤' if within else '>'}基本实现容差"
                     f"{num(row['basic_tolerance'])}{du}" + ("(保持目标逆向变化不评基本实现)" if kept_baseline else "")
                     + (",但按趋势可达到目标" if by_trend else ""))
    return ";".join(parts) + f" → {status} · {row['assessment']}。"
