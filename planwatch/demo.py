"""Demonstration monitoring values (示例数据), 2021–2024, generated reproducibly.

They are NOT real figures. They exist so every status and warning can be seen before member units report, and
they are stored as batch 0 with source kind 示例 so that every page can label them. Each indicator gets one of
several trajectories, chosen from a checksum of its id (stable across machines and Python versions).
"""
from __future__ import annotations

import random
import zlib

import duckdb
import pandas as pd

SEED = 20211
YEARS = range(2021, 2025)
DEMO_BATCH = 0
TRAJECTORIES = ("on_track", "on_track", "lagging", "met_early", "reversed", "volatile", "missing_years",
                "on_track", "lagging", "met_early", "on_track", "unreported")


def _decimals(*printed: float | None) -> int:
    """Round like the plan prints its figures, one digit finer."""
    places = [len(repr(v).split(".")[1]) if v is not None and v != int(v) else 0 for v in printed]
    return min(max(places, default=0) + 1, 3)


def trajectory(indicator: dict) -> tuple[str, dict[int, float]]:
    """The demonstration series of one numeric indicator: (trajectory kind, {year: value})."""
    iid = indicator["indicator_id"]
    rng = random.Random(SEED * 1_000_003 + zlib.crc32(iid.encode()))
    kind = TRAJECTORIES[zlib.crc32(iid.encode()) % len(TRAJECTORIES)]
    target, base = indicator["target_value"], indicator["baseline_value"]
    better = -1.0 if indicator["direction"] == "lower" or indicator["target_op"] in ("<=", "<") else 1.0
    if target is None:  # 保持: hold the baseline
        target = base
    if base is None:  # no printed 2020 value: start a little on the worse side of the target
        base = target - better * abs(target) * rng.uniform(0.05, 0.15) if target else 1.0
    gap = target - base
    if abs(gap) < 1e-9:  # baseline already at the target: trajectories move around it
        gap = better * max(abs(base) * 0.03, 0.1)
    span = indicator["target_year"] - 2020
    series: dict[int, float] = {}
    for year in YEARS:
        t = (year - 2020) / span
        if kind == "on_track":
            value = base + gap * min(1.0, t * rng.uniform(1.0, 1.2))
        elif kind == "lagging":
            value = base + gap * t * rng.uniform(0.25, 0.55)
        elif kind == "met_early":
            value = base + gap * min(1.05, t * 2.2)
        elif kind == "reversed":
            value = base - gap * t * rng.uniform(0.2, 0.5)
        elif kind == "volatile":
            swing = max(abs(base) * 0.07, abs(gap) * 0.4)
            value = base + gap * t + (swing if year % 2 == 0 else -swing)
        elif kind == "unreported":  # no member unit has reported yet
            continue
        else:  # missing_years: steady progress but 2022 and 2024 not reported
            if year in (2022, 2024):
                continue
            value = base + gap * t * rng.uniform(0.9, 1.1)
        if indicator["unit"] == "%":
            value = min(value, 100.0)
        series[year] = round(max(value, 0.0), _decimals(indicator["baseline_value"], indicator["target_value"]))
    return kind, series


def insert(con: duckdb.DuckDBPyConnection) -> int:
    """Write the demonstration batch (batch 0); returns the number of values."""
    indicators = con.execute(
        "SELECT indicator_id, direction, target_op, target_value, baseline_value, unit, target_year "
        "FROM indicator ORDER BY indicator_id").fetchall()
    cols = ["indicator_id", "direction", "target_op", "target_value", "baseline_value", "unit", "target_year"]
    rows = []
    for values in indicators:
        ind = dict(zip(cols, values))
        if ind["target_op"] == "qualitative":
            rows += [(ind["indicator_id"], y, None, "示例:已按要求落实", "示例数据") for y in YEARS]
            continue
        kind, series = trajectory(ind)
        rows += [(ind["indicator_id"], y, v, None, f"示例数据({kind})") for y, v in series.items()]
    con.execute("INSERT INTO import_batch (batch_id, source_kind, file_name, uploader, created_at, row_count) "
                "VALUES (?, '示例', ?, 'system', now(), ?)",
                [DEMO_BATCH, f"示例数据(随机种子 {SEED})", len(rows)])
    frame = pd.DataFrame(rows, columns=["indicator_id", "year", "value", "value_text", "note"])  # noqa: F841
    con.execute(f"INSERT INTO observation (batch_id, row_no, indicator_id, year, value, value_text, note) "
                f"SELECT {DEMO_BATCH}, NULL, * FROM frame")
    return len(rows)
