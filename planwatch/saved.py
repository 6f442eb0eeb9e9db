"""Saved analyst queries (queries/saved/*.sql) and the public views' column descriptions (queries/saved/_schema.csv).

A saved query is one read-only query over the public views with a header:
    -- title: 中文标题
    -- description: 中文说明
    -- params: year, region          (optional; DuckDB named parameters $year, $region)
    -- defaults: region=平阳县        (optional)
    -- order: 3                      (optional; position in the page's list)
year defaults to the newest year with data; group, region and domain default to NULL (= all); any other
parameter needs a default or a value. The saved queries read $region as a name or a code and cover every region
below it (joined through v_region's city_code and province_code).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from planwatch import integers
from planwatch.db import query_header
from planwatch.paths import QUERIES_DIR

SAVED_DIR = QUERIES_DIR / "saved"
SCHEMA_FILE = SAVED_DIR / "_schema.csv"
OPTIONAL_PARAMS = ("group", "region", "domain")  # NULL means all, as in the dashboard's filters
PARAM_LABELS = {"year": "截至年份", "group": "规划类别", "region": "地区", "domain": "领域"}
# the pages' default 截至年份 (queries/default_year.sql), from the public views the sandbox may read: the latest year
# with a value, but a year still being reported (its round open)
DEFAULT_YEAR_SQL = ("SELECT coalesce(max(year), year(current_date) - 1) AS year FROM v_observation "
                    "WHERE year <= year(current_date) "
                    "AND year NOT IN (SELECT year FROM v_reporting_progress WHERE closed_at IS NULL AND NOT reopened)")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[str, ...]
    defaults: tuple[tuple[str, str], ...]
    sql: str
    order: int = 999

    def default(self, param: str):
        """The header's default for a parameter (int when it is a number), else None."""
        value = dict(self.defaults).get(param)
        return parse_value(value, param) if value is not None else None


def parse_value(text: str, name: str = ""):
    """A parameter as typed: a whole number as an int (a year), else the text; empty or 全部 is NULL. A region, plan
    group or domain stays text (a region's code 330000 is text beside its name)."""
    from planwatch import guard

    text = text.strip()
    if text in ("", "全部", "NULL", "null"):
        return None
    number = None if name in OPTIONAL_PARAMS else integers.whole_number(text, negative=True)
    if name == "year" and not (number and 2000 <= number <= 2100):
        raise guard.QueryRefused(f"参数 year 应为 2000–2100 之间的年份,例如 --param year=2024(收到“{text[:40]}”)。")
    return text if number is None else number


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


@lru_cache(maxsize=1)
def _load(signature: tuple) -> tuple[SavedQuery, ...]:
    queries = []
    for path in sorted(SAVED_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        header = query_header(sql)
        defaults = tuple((k.strip(), v.strip()) for k, _, v in (d.partition("=") for d in _split(header.get("defaults"))))
        order = header.get("order", "")
        queries.append(SavedQuery(path.stem, header.get("title", path.stem), header.get("description", ""),
                                  tuple(_split(header.get("params"))), defaults, sql,
                                  integers.whole_number(order) or 999))
    return tuple(sorted(queries, key=lambda q: (q.order, q.name)))


def all_queries() -> tuple[SavedQuery, ...]:
    """Every saved query, in the order their headers give; re-read when a file changes."""
    return _load(tuple((p.name, p.stat().st_mtime_ns) for p in sorted(SAVED_DIR.glob("*.sql"))))


def get(name: str) -> SavedQuery | None:
    return next((q for q in all_queries() if q.name == name), None)


def resolve(query: SavedQuery, given: dict, default_year: int) -> dict:
    """The parameter values a run binds: the given ones, else the header's defaults, year and NULL-means-all."""
    values = {}
    for param in query.params:
        if param in given:
            values[param] = given[param]
        elif dict(query.defaults).get(param) is not None:
            values[param] = query.default(param)
        elif param == "year":
            values[param] = default_year
        elif param in OPTIONAL_PARAMS:
            values[param] = None
    return values


def schema_descriptions() -> list[dict]:
    """Rows of _schema.csv: view, column ('' for the view itself) and description."""
    with SCHEMA_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


MAX_TIMEOUT = 60.0  # seconds: the most `sql --timeout` allows


def parse_timeout(text: str) -> float:
    """`--timeout` as seconds: a finite number, 0 < t <= MAX_TIMEOUT; else QueryRefused in Chinese."""
    from planwatch import guard

    try:
        seconds = float(text)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 < seconds <= MAX_TIMEOUT:  # NaN fails every comparison
        raise guard.QueryRefused(f"--timeout 应为 0 到 {MAX_TIMEOUT:g} 之间的秒数(收到“{_short(str(text))}”)。")
    return seconds


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def run_command(db_path, sql: str | None, name: str | None, given: list[str], timeout: str):
    """`python -m planwatch sql`: run a query or a saved query on a sealed copy of db_path.

    Returns (result, label); raises guard.QueryRefused with a Chinese message."""
    from planwatch import guard

    if bool(sql) == bool(name):
        names = "\n".join(f"  {q.name}\t{q.title}" for q in all_queries())
        raise guard.QueryRefused("请给出一条查询语句,或用 --saved 指定常用查询(二者选一)。常用查询:\n" + names)
    values = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise guard.QueryRefused(f"参数写法应为 名称=值,例如 --param year=2024(收到“{item}”)。")
        values[key.strip().lstrip("$")] = parse_value(value, key.strip().lstrip("$"))
    seconds = parse_timeout(timeout)
    query = get(name) if name else None
    if name and query is None:
        raise guard.QueryRefused(f"没有名为“{name}”的常用查询。可用:{'、'.join(q.name for q in all_queries())}。")
    sandbox = guard.Sandbox(db_path, size=1)
    try:
        if query is None:
            return sandbox.run(sql, values, timeout=seconds), "查询结果"
        default_year = int(sandbox.run(DEFAULT_YEAR_SQL).frame.iloc[0, 0])
        return sandbox.run(query.sql, resolve(query, values, default_year), timeout=seconds), query.title
    finally:
        sandbox.close()


def as_text(frame, max_rows: int) -> str:
    """A result as a plain-text table (CJK-aware column widths), at most max_rows rows."""
    import pandas as pd

    if frame.empty:  # (pandas would print "Empty DataFrame / Columns: […] / Index: []")
        return "  ".join(map(str, frame.columns)) + "\n(没有返回任何行)"
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 10_000):
        return frame.head(max_rows).to_string(index=False, max_colwidth=60, na_rep="NULL")
