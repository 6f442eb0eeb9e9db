"""Demonstration monitoring values (示例数据), 2021–2024, generated reproducibly.

They are NOT real figures. They exist so every status and warning can be seen before member units report, and
they are stored as batch 0 with source kind 示例 so that every page can label them. Each indicator gets one of
several trajectories, chosen from a checksum of its id (stable across machines and Python versions); its random
factors come from a generator seeded by the same checksum, so a value depends only on its indicator and year.
The values are computed as arrays over all indicators and years at once (the synthetic national database of
planwatch.synth has some 360,000 indicators).
"""
from __future__ import annotations

import math
import random
import zlib
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd

SEED = 20211
YEARS = range(2021, 2025)
DEMO_BATCH = 0
TRAJECTORIES = ("on_track", "on_track", "lagging", "met_early", "reversed", "volatile", "missing_years",
                "on_track", "lagging", "met_early", "on_track", "unreported")
# the trajectory as the value's note (备注) names it on the pages
# the trajectory a series was drawn from, in its note: no status word (a drawn "逆向变化" may be judged 进度滞后)
KIND_NOTES = {"on_track": "模拟轨迹:按期推进", "lagging": "模拟轨迹:推进偏慢", "met_early": "模拟轨迹:提前接近目标",
              "reversed": "模拟轨迹:背离目标", "volatile": "模拟轨迹:上下波动", "missing_years": "模拟轨迹:部分年份未报"}
SKIPPED = (2022, 2024)  # the years a missing_years series leaves unreported
DRAWING = ("on_track", "lagging", "reversed", "missing_years")  # kinds that draw a random factor per reported year
INDICATOR_COLUMNS = ["indicator_id", "direction", "target_op", "target_value", "baseline_value", "unit", "target_year"]


def _decimals(*printed: float | None) -> int:
    """Round like the plan prints its figures, one digit finer (at most 3: 0.00001% rounds to 0.000)."""
    places = [max(0, -Decimal(repr(v)).normalize().as_tuple().exponent) if v is not None and math.isfinite(v) else 0
              for v in printed]
    return min(max(places, default=0) + 1, 3)


def _randoms(checksum: int, count: int) -> list[float]:
    rng = random.Random(SEED * 1_000_003 + checksum)
    return [rng.random() for _ in range(count)]


def _uniform(low: float, high: float, r: np.ndarray) -> np.ndarray:
    return low + (high - low) * r  # as random.uniform computes it


def series(indicators: pd.DataFrame, years=YEARS) -> pd.DataFrame:
    """The demonstration values of numeric indicators (a frame with INDICATOR_COLUMNS), one row per reported
    indicator and year: indicator_id, year, value, kind (the trajectory)."""
    years = np.asarray(list(years))
    n = len(indicators)
    checksums = [zlib.crc32(i.encode()) for i in indicators["indicator_id"]]
    kind = np.asarray(TRAJECTORIES, dtype=object)[np.asarray(checksums, dtype=np.int64) % len(TRAJECTORIES)]
    # one uniform for a missing baseline, then one per year, in the order the years draw them
    draws = np.array([_randoms(c, len(years) + 1) for c in checksums]).reshape(n, len(years) + 1)
    base = indicators["baseline_value"].to_numpy(dtype=float, na_value=np.nan)
    target = indicators["target_value"].to_numpy(dtype=float, na_value=np.nan)
    lower = (indicators["direction"] == "lower") | indicators["target_op"].isin(["<=", "<"])
    better = np.where(lower.to_numpy(), -1.0, 1.0)
    target = np.where(np.isnan(target), base, target)  # 保持: hold the baseline
    no_base = np.isnan(base)  # no printed 2020 value: start a little on the worse side of the target
    started = np.where(np.nan_to_num(target) != 0, target - better * np.abs(target) * _uniform(0.05, 0.15, draws[:, 0]),
                       1.0)
    base = np.where(no_base, started, base)
    gap = target - base
    gap = np.where(np.abs(gap) < 1e-9, better * np.maximum(np.abs(base) * 0.03, 0.1), gap)  # baseline at the target
    t = (years[None, :] - 2020) / (indicators["target_year"].to_numpy(dtype=float) - 2020)[:, None]
    skipped = np.isin(years, SKIPPED)[None, :] & (kind == "missing_years")[:, None]
    reported = ~skipped & (kind != "unreported")[:, None]
    drawn = np.isin(kind, DRAWING)[:, None] & reported
    which = no_base[:, None] + np.cumsum(drawn, axis=1) - 1
    u = np.take_along_axis(draws, np.clip(which, 0, len(years)), axis=1)
    base, gap, k = base[:, None], gap[:, None], kind[:, None]
    swing = np.maximum(np.abs(base) * 0.07, np.abs(gap) * 0.4)
    value = np.select(
        [k == "on_track", k == "lagging", k == "met_early", k == "reversed", k == "volatile"],
        [base + gap * np.minimum(1.0, t * _uniform(1.0, 1.2, u)),
         base + gap * t * _uniform(0.25, 0.55, u),
         base + gap * np.minimum(1.05, t * 2.2),
         base - gap * t * _uniform(0.2, 0.5, u),
         base + gap * t + np.where(years % 2 == 0, swing, -swing)],
        base + gap * t * _uniform(0.9, 1.1, u))  # missing_years: steady progress with gaps
    value = np.where((indicators["unit"] == "%").to_numpy()[:, None], np.minimum(value, 100.0), value)
    value = np.maximum(value, 0.0)
    decimals = np.array([_decimals(b, v) for b, v in zip(indicators["baseline_value"].tolist(), indicators["target_value"].tolist())])
    for places in np.unique(decimals):
        value[decimals == places] = np.round(value[decimals == places], places)
    rows, cols = np.nonzero(reported)
    return pd.DataFrame({"indicator_id": indicators["indicator_id"].to_numpy()[rows], "year": years[cols],
                         "value": value[rows, cols], "kind": kind[rows]})


def insert(con: duckdb.DuckDBPyConnection, years=YEARS) -> int:
    """Write the demonstration batch (batch 0) for every indicator; returns the number of values."""
    indicators = con.execute(f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM indicator ORDER BY indicator_id").df()
    numeric = series(indicators[indicators["target_op"] != "qualitative"], years)
    numeric["kind"] = numeric["kind"].map(KIND_NOTES)  # read by DuckDB below
    qualitative = indicators.loc[indicators["target_op"] == "qualitative", ["indicator_id"]]  # noqa: F841
    years_frame = pd.DataFrame({"year": list(years)})  # noqa: F841
    n = len(numeric) + len(qualitative) * len(years_frame)
    con.execute("INSERT INTO import_batch (batch_id, source_kind, file_name, uploader, created_at, row_count) "
                "VALUES (?, '示例', ?, 'system', now(), ?)", [DEMO_BATCH, f"示例数据(随机种子 {SEED})", n])
    con.execute(f"""
        INSERT INTO observation (batch_id, row_no, indicator_id, year, value, value_text, note)
        SELECT {DEMO_BATCH}, NULL, indicator_id, year, value, NULL, '示例数据(' || kind || ')' FROM numeric
        UNION ALL
        SELECT {DEMO_BATCH}, NULL, indicator_id, year, NULL, '示例:已按要求落实', '示例数据'
        FROM qualitative CROSS JOIN years_frame
        ORDER BY indicator_id, year""")
    return n
