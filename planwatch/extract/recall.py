"""Extractor recall against the hand-checked catalogue: a catalogue target counts as found when a candidate row
sits on its line with the same value (or, for a target without a number, on its line with no value either); as its
own row (distinct_found) when each candidate is counted for one target only (怀柔区's five vaccination rates of one
sentence are one candidate, which the reviewer splits)."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from planwatch.paths import DATA_DIR


def _value(text: str) -> str:
    text = (text or "").strip()
    try:
        return repr(float(text))
    except ValueError:
        return text.replace(":", ":")


def catalogue_targets(source_file: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """Every catalogue row of the plans read from one seed document."""
    with (data_dir / "plans.csv").open(encoding="utf-8", newline="") as fh:
        plans = [p["plan_id"] for p in csv.DictReader(fh) if p["source_file"] == source_file]
    rows = []
    for plan_id in plans:
        with (data_dir / "plans" / plan_id / "indicators.csv").open(encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def missed(candidates: list[dict], expected: list[dict]) -> list[dict]:
    found = {(int(c["source_line"]), _value(c["target_value"])) for c in candidates}
    return [r for r in expected if (int(r["target_line"]), _value(r["target_value"])) not in found]


def distinct_found(candidates: list[dict], expected: list[dict]) -> int:
    """How many catalogue targets each have a candidate of their own (line and value)."""
    have = Counter((int(c["source_line"]), _value(c["target_value"])) for c in candidates)
    want = Counter((int(r["target_line"]), _value(r["target_value"])) for r in expected)
    return sum(min(n, have[key]) for key, n in want.items())


def recall(candidates: list[dict], expected: list[dict]) -> float:
    return 1 - len(missed(candidates, expected)) / len(expected) if expected else 1.0
