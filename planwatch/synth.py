"""A reproducible national-scale database for benchmarks and demonstrations (示例, never real figures).

`synth(path, n_regions, seed)` builds the catalogue from data/ without demonstration values, then adds N
county-level regions of China (cpca's adcode table, with their cities and provinces) and gives each two plans,
妇女 and 儿童. Each synthetic plan copies the indicator set of one seed plan of its group: names, domains, canonical
ids, baselines, targets, target years, and the responsible units (recreated for the region, unit_id
"<region_code>:<name>" as for the seed plans). The copied quotes stay what the seed plan printed: the plan's
source_file says "示例:引自 <seed file>", and each indicator's note names the seed plan, so nothing pretends the
synthetic region printed them. Every indicator, seed or synthetic, then gets the demonstration trajectories of
planwatch.demo for SYNTH_YEARS, stored as the demonstration batch (示例). Same seed, same rows.

A later `build` over the file resets it to data/ (the synthetic catalogue is not in data/).
"""
from __future__ import annotations

import contextlib
import random
from pathlib import Path

import duckdb
import pandas as pd

from planwatch import build, catalogue, db, demo, views
from planwatch.extract import regions
from planwatch.paths import DATA_DIR

SYNTH_YEARS = range(2021, 2026)
COUNTY_LEVELS = ("区", "县", "县级市")
GROUPS = {"妇女": "women", "儿童": "children"}
SYNTH_SOURCE = "示例:引自 "  # the prefix of a synthetic plan's source_file


class SynthError(Exception):
    pass


def candidates(taken: set[str]) -> dict[str, list[str]]:
    """County-level units by province (a prefecture city without counties, such as 东莞市, counts as one),
    leaving out the regions that already have a plan."""
    units = regions.all_units()
    parents = {u["parent_code"] for u in units.values()}
    out: dict[str, list[str]] = {}
    for code, u in sorted(units.items()):
        county = u["level"] in COUNTY_LEVELS or (u["level"] == "市" and code not in parents)
        if county and code not in taken:
            out.setdefault(code[:2], []).append(code)
    return out


def check_count(n: int, available: int) -> None:
    if not 1 <= n <= available:
        raise SynthError(f"地区数须在 1 到 {available} 之间(全国县级单位中尚无规划的数目),实为 {n}")


def pick_regions(n: int, rng: random.Random, taken: set[str]) -> list[str]:
    """n county-level adcodes spread over the provinces: each province's counties shuffled, then taken in turn."""
    by_province = candidates(taken)
    check_count(n, sum(len(c) for c in by_province.values()))
    queues = []
    for province in sorted(by_province):
        codes = by_province[province][:]
        rng.shuffle(codes)
        queues.append(codes)
    rng.shuffle(queues)
    picked: list[str] = []
    while len(picked) < n:
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop())
    return picked


def synth(db_path: Path | str, n_regions: int, seed: int = 1) -> dict:
    """Build db_path as a synthetic national database (replacing an earlier one, never any other database);
    returns row counts. It is built beside db_path under the writers' lock and renamed into place when complete: a
    refusal, a failure or a kill leaves db_path as it was. OSError (an unwritable place) is the caller's to word."""
    db_path = Path(db_path)
    taken = {r["region_code"] for r in catalogue.read_csv(DATA_DIR / "plans.csv")}  # as the build will load them
    check_count(n_regions, sum(len(c) for c in candidates(taken).values()))  # before building anything
    _check_replaceable(db_path)  # refused before anything is created beside it …
    tmp = db_path.with_name(db_path.name + ".synth")
    try:
        with db.write_lock(db_path):
            _check_replaceable(db_path)  # … and again under the lock: a build may have landed since
            db.discard(tmp)
            counts = _synth(tmp, n_regions, seed)
            db.replace_atomically(tmp, db_path)
    finally:
        with contextlib.suppress(OSError):  # e.g. a path under a file: the first error is the one to tell
            db.discard(tmp)
            Path(str(tmp) + ".lock").unlink(missing_ok=True)
    return counts


def _check_replaceable(db_path: Path) -> None:
    """Refuse a path that is not a file synth may replace: a folder, a device, any database but a synthetic one
    without imported values."""
    if not str(db_path) or db_path.is_dir():
        raise SynthError(f"{db_path} 是一个目录,请用 --db 给出数据库文件名(如 var/synth.duckdb)")
    if not db_path.exists():
        return
    if not db_path.is_file():
        raise SynthError(f"{db_path} 不是普通文件,未改动;请用 --db 指定另一个文件")
    try:
        with db.open_reader(db_path) as reader:
            con = reader.cursor()
            synthetic = con.execute("SELECT count(*) FROM meta WHERE key = 'synth'").fetchone()[0]
            imported = con.execute("SELECT count(*) FROM import_batch WHERE source_kind <> '示例'").fetchone()[0]
    except (duckdb.Error, db.NotADatabase):
        synthetic = 0
    if not synthetic:
        raise SynthError(f"{db_path} 已存在且不是示例数据库,未改动;请用 --db 指定另一个文件")
    if imported:
        raise SynthError(f"{db_path} 是示例数据库,但含导入的监测数据({imported} 个批次),未改动;"
                         "请用 --db 指定另一个文件")


def _synth(db_path: Path, n_regions: int, seed: int) -> dict:
    build.build(db_path, with_demo=False)
    with db.writing(db_path) as con:
        rng = random.Random(seed)
        taken = {r[0] for r in con.execute("SELECT DISTINCT region_code FROM plan").fetchall()}
        codes = pick_regions(n_regions, rng, taken)
        _insert_regions(con, codes)
        _insert_plans(con, _plans(con, codes, rng))
        demo.insert(con, SYNTH_YEARS)
        con.execute("UPDATE meta SET value = '1' WHERE key = 'demo'")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('synth', ?)", [f"regions={n_regions} seed={seed}"])
        views.refresh(con, catalogue=True, own_copy=True)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("region", "plan", "indicator", "unit", "indicator_unit", "observation")}
    return counts


def _insert_regions(con: duckdb.DuckDBPyConnection, codes: list[str]) -> None:
    """Each picked county (is_seed: it has plans) and its city and province, unless already present."""
    rows = {}
    for code in codes:
        for unit in regions.chain(code):
            rows[unit["region_code"]] = unit | {"is_seed": unit["region_code"] == code}
    frame = pd.DataFrame(list(rows.values()))  # noqa: F841 (read by DuckDB)
    con.execute("""
        INSERT INTO region (region_code, name, level, parent_code, province, longitude, latitude, is_seed)
        SELECT region_code, name, level, parent_code, province, TRY_CAST(longitude AS DOUBLE), TRY_CAST(latitude AS DOUBLE), is_seed
        FROM frame WHERE region_code NOT IN (SELECT region_code FROM region)
        ORDER BY region_code""")
    con.execute("UPDATE region SET is_seed = true WHERE region_code IN (SELECT unnest(?::VARCHAR[]))", [codes])


def _plans(con: duckdb.DuckDBPyConnection, codes: list[str], rng: random.Random) -> pd.DataFrame:
    """(plan_id, region_code, region_name, plan_group, seed_plan_id): two plans a region, each drawn from the
    seed plans of its group that end in 2025 (all of the group's plans when none does)."""
    seeds = con.execute("SELECT plan_group, plan_id, period_end FROM plan ORDER BY plan_id").fetchall()
    names = dict(con.execute("SELECT region_code, name FROM region").fetchall())
    rows = []
    for code in codes:
        for group, slug in GROUPS.items():
            pool = [p for g, p, _ in seeds if g == group]
            pool = [p for g, p, end in seeds if g == group and end == 2025] or pool
            if not pool:
                raise SynthError(f"data/ 中没有{group}规划,无法生成示例规划")
            rows.append((f"synth-{code}-{slug}", code, names[code], group, rng.choice(pool)))
    return pd.DataFrame(rows, columns=["plan_id", "region_code", "region_name", "plan_group", "seed_plan_id"])


def _insert_plans(con: duckdb.DuckDBPyConnection, plans: pd.DataFrame) -> None:
    """The plans, their indicators, units and unit links, copied from each plan's seed plan in four statements."""
    con.register("synth_plan", plans)
    con.execute(f"""
        INSERT INTO plan BY NAME
        SELECT s.plan_id, s.region_code, s.plan_group,
               s.region_name || s.plan_group || '发展规划(示例)' AS title,
               p.period_start, p.period_end, p.target_year, '示例(合成数据,无印发文件)' AS issuing_document,
               '{SYNTH_SOURCE}' || p.source_file AS source_file, p.title_line, p.title_quote
        FROM synth_plan s JOIN plan p ON p.plan_id = s.seed_plan_id
        ORDER BY s.plan_id""")
    con.execute("""
        INSERT INTO indicator BY NAME
        SELECT i.* REPLACE (
                   s.plan_id || substr(i.indicator_id, length(i.plan_id) + 1) AS indicator_id,
                   s.plan_id AS plan_id,
                   '示例:指标、基线、目标及引文取自' || p.title || '(' || p.plan_id || '),并非本地区规划' AS note)
        FROM synth_plan s JOIN indicator i ON i.plan_id = s.seed_plan_id JOIN plan p ON p.plan_id = s.seed_plan_id
        ORDER BY indicator_id""")
    con.execute("""
        INSERT INTO unit BY NAME
        SELECT DISTINCT s.region_code || ':' || u.name AS unit_id, s.region_code, u.name
        FROM synth_plan s JOIN indicator_unit l ON l.plan_id = s.seed_plan_id JOIN unit u USING (unit_id)
        ORDER BY unit_id""")
    con.execute("""
        INSERT INTO indicator_unit BY NAME
        SELECT l.* REPLACE (
                   s.plan_id || substr(l.indicator_id, length(l.plan_id) + 1) AS indicator_id,
                   s.plan_id AS plan_id,
                   s.region_code || ':' || u.name AS unit_id)
        FROM synth_plan s JOIN indicator_unit l ON l.plan_id = s.seed_plan_id JOIN unit u USING (unit_id)
        ORDER BY plan_id, indicator_id, position, unit_id""")
    con.unregister("synth_plan")
