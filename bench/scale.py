"""National scale: synthetic databases of 100, 500 and 2,850 county-level regions (python -m planwatch synth), and at
each size the full method refresh against a floor measured in the same run, a 1,000-row import and its undo, the
writer's copy of the file, and the named queries the pages run with their default filters. One run of each
(medians of three for the page queries, warm).

    python bench/scale.py [--regions 100,500,2850] [--dir var/scale]

Times are wall-clock seconds; peak RSS is the measured process's own (os.wait4). The floor is what any status
computation must do: the latest value up to each as-of year per indicator against its target (met or not), and a
bare latest-value aggregation; ratio = refresh ÷ floor. The databases stay in --dir (var/ is not committed).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

from planwatch import db

SIZES = (100, 500, 2850)
# the named queries (queries/<name>.sql) each page runs on its first screen with the default filters
PAGE_QUERIES = {
    "筛选栏": ["filter_options", "default_year"],
    "总览": ["headline", "warnings_list", "attainment_bars", "status_changes"],
    "预警清单": ["warnings_list"],
    "领域": ["domain_indicators", "status_mix"],
    "地区": ["region_attainment", "shared_canonical_indicators", "canonical_comparison"],
    "责任单位": ["unit_scorecard", "units_unlisted"],
    "指标详情": ["indicator_choices", "indicator_detail", "indicator_series", "indicator_reference",
                 "indicator_warnings", "method_thresholds"],
    "规划指标目录": ["catalogue_plans", "catalogue_indicators"],
}
# what every as-of year's judgement needs at the least: the latest approved value against the target
FLOOR_STATUS = """
    CREATE OR REPLACE TEMP TABLE floor_status AS
    WITH years AS (SELECT DISTINCT year AS as_of_year FROM observation),
    latest AS (
        SELECT o.indicator_id, y.as_of_year, max_by(o.value, o.year) AS value
        FROM observation o JOIN import_batch b USING (batch_id) JOIN years y ON o.year <= y.as_of_year
        WHERE b.undone_at IS NULL AND b.status = '已通过' AND o.value IS NOT NULL
        GROUP BY ALL)
    SELECT l.indicator_id, l.as_of_year, l.value,
           CASE WHEN i.target_op IN ('<=', '<') OR i.direction = 'lower' THEN l.value <= i.target_value
                ELSE l.value >= coalesce(i.target_value, i.baseline_value) END AS met
    FROM latest l JOIN indicator i USING (indicator_id)"""
FLOOR_LATEST = """
    CREATE OR REPLACE TEMP TABLE floor_latest AS
    SELECT indicator_id, max_by(value, year) AS value FROM observation GROUP BY ALL"""


def child(args: list[str]) -> tuple[float, float, str]:
    """Run a command; (wall seconds, its peak RSS in MB, stdout). Raises with its stderr when it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode:
            raise RuntimeError(f"{' '.join(args)} failed: {err.read()}")
        return wall, usage.ru_maxrss / 1024, out.read()


def measure_refresh(path: str) -> None:
    """(in a child process) The full refresh, then the floor, each in a transaction rolled back; prints JSON."""
    import resource

    import duckdb

    from planwatch import views

    con = duckdb.connect(path)
    timings = {}
    for name, work in (("refresh", lambda: views.refresh(con)), ("floor_status", lambda: con.execute(FLOOR_STATUS)),
                       ("floor_latest", lambda: con.execute(FLOOR_LATEST))):
        con.execute("BEGIN TRANSACTION")
        start = time.perf_counter()
        work()
        timings[name] = time.perf_counter() - start
        con.execute("ROLLBACK")
        if name == "refresh":
            timings["refresh_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(timings))


def import_file(path: Path, folder: Path) -> Path:
    """1,000 rows for 2025 of numeric indicators of synthetic plans: each 2024 value nudged by 1%."""
    with db.open_reader(path) as reader:
        rows = reader.cursor().execute("""
            SELECT o.indicator_id, least(round(o.value * 1.01, 2), CASE WHEN i.unit = '%' THEN 100 END) AS value
            FROM observation o JOIN indicator i USING (indicator_id)
            WHERE i.plan_id LIKE 'synth-%' AND o.year = 2024 AND o.value IS NOT NULL
            ORDER BY o.indicator_id LIMIT 1000""").fetchall()
    csv_path = folder / "scale_import.csv"
    csv_path.write_text("indicator_id,year,value,note\n" + "".join(f"{i},2025,{v},bench\n" for i, v in rows),
                        encoding="utf-8")
    return csv_path


def page_queries(path: Path) -> dict[str, tuple[float, float, int]]:
    """name: (first run, median of three warm runs, rows) for every page query, run the way the app runs them."""
    out = {}
    with db.open_reader(path) as reader:
        cur = reader.cursor()
        params = {"year": cur.execute(db.query_text("default_year")).fetchone()[0], "search": None,
                  "id": cur.execute("SELECT min(indicator_id) FROM indicator WHERE plan_id LIKE 'synth-%'").fetchone()[0],
                  "canonical": cur.execute("SELECT canonical_id FROM indicator WHERE canonical_id IS NOT NULL "
                                           "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]}
        for name in dict.fromkeys(q for qs in PAGE_QUERIES.values() for q in qs):
            sql = db.query_text(name)
            named = {p: params.get(p) for p in re.findall(r"\$([a-z_]+)", sql)}  # the other filters: 全部
            times, n = [], 0
            for _ in range(4):
                start = time.perf_counter()
                n = len(reader.cursor().execute(sql, named).df())
                times.append(time.perf_counter() - start)
            out[name] = (times[0], statistics.median(times[1:]), n)
    return out


def size(path: Path) -> float:
    return path.stat().st_size / 1e6


def measure(n: int, folder: Path) -> dict:
    path = folder / f"synth-{n}.duckdb"
    r = {"regions": n}
    r["synth_s"], r["synth_rss_mb"], _ = child([sys.executable, "-m", "planwatch", "synth", "--db", str(path),
                                                "--regions", str(n)])
    r["file_mb"] = size(path)
    with db.open_reader(path) as reader:
        r["observations"], r["indicators"] = reader.cursor().execute(
            "SELECT (SELECT count(*) FROM observation), (SELECT count(*) FROM indicator)").fetchone()
    _, r["refresh_process_rss_mb"], out = child([sys.executable, __file__, "--measure-refresh", str(path)])
    r |= json.loads(out)
    r["refresh_cmd_s"], r["refresh_cmd_rss_mb"], _ = child([sys.executable, "-m", "planwatch", "refresh", "--db",
                                                            str(path)])
    r["refresh_growth_mb"] = size(path) - r["file_mb"]
    start = time.perf_counter()
    with db.writing(path):  # copy, checkpoint, fsync, rename: what every write pays before and after its work
        pass
    r["copy_fsync_s"] = time.perf_counter() - start
    before = size(path)
    r["import_s"], r["import_rss_mb"], out = child([sys.executable, "-m", "planwatch", "import",
                                                    str(import_file(path, folder)), "--db", str(path)])
    r["import_growth_mb"] = size(path) - before
    batch = out.strip().splitlines()[-1]
    r["undo_s"], r["undo_rss_mb"], _ = child([sys.executable, "-m", "planwatch", "undo", batch, "--db", str(path)])
    r["pages"] = page_queries(path)
    return r


def report(r: dict) -> None:
    print(f"\n{r['regions']:,} regions: {r['indicators']:,} indicators, {r['observations']:,} observations, "
          f"file {r['file_mb']:.0f} MB")
    print(f"  synth                      {r['synth_s']:7.1f} s   peak RSS {r['synth_rss_mb']:6.0f} MB")
    print(f"  full refresh               {r['refresh']:7.2f} s   peak RSS {r['refresh_rss_mb']:6.0f} MB")
    print(f"  floor: status vs target    {r['floor_status']:7.3f} s   refresh ÷ floor {r['refresh'] / r['floor_status']:5.1f}")
    print(f"  floor: latest value        {r['floor_latest']:7.3f} s   refresh ÷ floor {r['refresh'] / r['floor_latest']:5.1f}")
    print(f"  refresh command            {r['refresh_cmd_s']:7.2f} s   peak RSS {r['refresh_cmd_rss_mb']:6.0f} MB   "
          f"file growth {r['refresh_growth_mb']:+.1f} MB")
    print(f"  writer's copy + fsync      {r['copy_fsync_s']:7.2f} s   (db.writing with nothing written, "
          f"{r['file_mb'] + r['refresh_growth_mb']:.0f} MB file)")
    print(f"  import 1,000 rows          {r['import_s']:7.2f} s   peak RSS {r['import_rss_mb']:6.0f} MB   "
          f"file growth {r['import_growth_mb']:+.1f} MB")
    print(f"  undo that import           {r['undo_s']:7.2f} s   peak RSS {r['undo_rss_mb']:6.0f} MB")
    print("  page queries (default filters; first run / warm median, ms; rows):")
    for page, names in PAGE_QUERIES.items():
        for name in names:
            first, warm, rows = r["pages"][name]
            print(f"    {page:8s} {name:28s} {first * 1000:8.0f} {warm * 1000:8.0f} {rows:9,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", default=",".join(map(str, SIZES)), help="comma-separated sizes")
    parser.add_argument("--dir", default=str(ROOT / "var" / "scale"), help="where the databases are kept")
    parser.add_argument("--measure-refresh", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_refresh:
        return measure_refresh(args.measure_refresh)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"bench/scale.py on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    for n in (int(s) for s in args.regions.split(",")):
        report(measure(n, folder))
        print(f"  (load average over the last 5 minutes: {os.getloadavg()[1]:.1f})")


if __name__ == "__main__":
    main()
