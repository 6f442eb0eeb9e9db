"""Canonical suggestions: the shared measure (data/canonical_indicators.csv) a candidate most likely is.

Known names are the canonical name and every catalogue name already linked to it; the score is the best
character-sequence similarity of the names, and a unit that disagrees with the canonical unit rules it out.
A suggestion is shown for confirmation, never applied silently (below MIN_SCORE none is offered).
"""
from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from pathlib import Path

from planwatch.paths import DATA_DIR

MIN_SCORE = 0.6
MAX_NAME_CHARS = 50  # of a candidate's name compared: an indicator's name is shorter; a 10,000-character "name"
                     # (a line of repeated target phrases) took minutes of the server's CPU
UNIT_EQUIV = {"名": "人", "1/‰": "‰", "家": "个"}


def _norm_name(name: str) -> str:
    return re.sub(r"[\s()()“”\"、,,]", "", name).replace("—", "-")


def _norm_unit(unit: str) -> str:
    unit = (unit or "").strip()
    return UNIT_EQUIV.get(unit, unit)


class Suggester:
    def __init__(self, canonical: list[dict], known: list[tuple[str, str]]):
        self.canonical = {c["canonical_id"]: c for c in canonical}
        self.names = [(_norm_name(c["name"]), c["canonical_id"]) for c in canonical]
        self.names += [(_norm_name(n), cid) for n, cid in known if cid in self.canonical]

    @classmethod
    def from_catalogue(cls, data_dir: Path = DATA_DIR) -> "Suggester":
        def rows(path: Path) -> list[dict]:
            with path.open(encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        known = [(r["name"], r["canonical_id"]) for p in sorted((data_dir / "plans").glob("*/indicators.csv"))
                 for r in rows(p) if r["canonical_id"]]
        return cls(rows(data_dir / "canonical_indicators.csv"), known)

    def suggest(self, name: str, unit: str) -> dict:
        """{canonical_id, canonical_name, canonical_score, canonical_direction} (empty strings when none fits)."""
        target = _norm_name(name)[:MAX_NAME_CHARS]
        best_id, best = "", 0.0
        for known, cid in self.names:
            c_unit = _norm_unit(self.canonical[cid]["unit"])
            if unit and c_unit and _norm_unit(unit) != c_unit or not target:
                continue
            matcher = SequenceMatcher(None, target, known, autojunk=False)
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:  # upper bounds: cannot win
                continue
            score = matcher.ratio()
            if score > best:
                best_id, best = cid, score
        if best < MIN_SCORE:
            return {"canonical_id": "", "canonical_name": "", "canonical_score": "", "canonical_direction": ""}
        c = self.canonical[best_id]
        return {"canonical_id": best_id, "canonical_name": c["name"], "canonical_score": round(best, 2),
                "canonical_direction": c["direction"]}
