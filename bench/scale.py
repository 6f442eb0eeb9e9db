"""National scale: synthetic databases of 100, 500 and 2,850 county-level regions (python -m planwatch synth), and at
each size the full method refresh against a floor measured in the same run, a 1,000-row import and its undo, the
writer's copy of the file, and the named queries the pages run with their default filters. One run of each
(medians of three for the page queries, warm).

    python bench/scale.py [--regions 100,500,2850] [--dir var/scale] [--only refresh]
    python bench/scale.py --db PATH [--only refresh]    # a given database (copied into --dir), no synth

Times are wall-clock seconds; peak RSS is the measured process's own (os.wait4). The floor is what any status
computation must do: the latest value up to each as-of year per indicator against its target (met or not), and a
bare latest-value aggregation; ratio = refresh ÷ floor, in wall and in CPU seconds (the process's own, which a
loaded machine disturbs less). --only refresh stops after the refresh and its file growth. The databases stay in
--dir (var/ is not committed).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

from planwatch import db
from planwatch.paths import QUERIES_DIR

SIZES = (100, 500, 2850)
# the named queries (queries/<name>.sql) each page runs on its first screen with the default filters; a name ending
# in * is a paged list (planwatch.paging): its first page of PAGE_ROWS (else PAGE_SIZE) rows and its row count, in one
# run where the query takes its page itself ($page_limit, $page_offset), else a count and a page, as paging.fetch
PAGE_QUERIES = {
    "筛选栏": ["filter_options", "region_options", "unit_options", "default_year"],
    "总览": ["headline", "warning_counts", "warnings_list*", "attainment_bars", "status_change_counts",
             "status_changes*"],
    "预警清单": ["warning_counts", "warnings_list*"],
    "领域": ["status_mix", "domain_spread", "domain_indicators*"],
    "地区": ["region_children", "headline", "shared_canonical_indicators", "canonical_comparison"],
    "责任单位": ["unit_scorecard*", "units_unlisted*"],
    "指标详情": ["indicator_search", "indicator_detail", "indicator_series", "indicator_reference",
                 "method_thresholds", "parent_comparison", "indicator_warnings"],
    "规划指标目录": ["catalogue_plans*", "catalogue_totals", "catalogue_indicators*"],
}
PAGE_SIZE = 200  # planwatch.paging.PAGE_SIZE (not imported: it imports Streamlit)
# the pages' own page sizes (pages/warnings.py, domains.py, catalogue.py ROWS and PLANS, units.py UNITS)
PAGE_ROWS = {"warnings_list": 50, "domain_indicators": 50, "catalogue_indicators": 50, "catalogue_plans": 100,
             "unit_scorecard": 100}
# the pages' own settings (pages/overview.py BARS, pages/domains.py SPREAD and its cut, pages/indicator.py MATCHES,
# ui.MAX_UNIT_OPTIONS) and the default of every filter (全部: None)
PAGE_PARAMS = {"top": 6, "per_domain": 200, "n": 51, "words": "", "levels": [], "kinds": [], "search": None,
               "cut": "domain", "most": 100}
# lists whose page takes its length from counts it has already (paging.fetch's total): their page alone is timed
TOTAL_KNOWN = {"warnings_list"}
# what a query's page sets besides the filters: 领域 lists one domain's indicators (the first, 健康, at first)
QUERY_PARAMS = {"domain_indicators": {"domain": "健康"}}
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


def child(args: list[str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Run a command; (wall seconds, its peak RSS in MB, stdout). Raises with its stderr when it fails."""
    wall, _, rss, out = child_cpu(args, cwd)
    return wall, rss, out


def child_cpu(args: list[str], cwd: Path = ROOT) -> tuple[float, float, float, str]:
    """Run a command in cwd; (wall seconds, its CPU seconds (user + system), its peak RSS in MB, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode:
            raise RuntimeError(f"{' '.join(args)} failed: {err.read()}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def measure_refresh(path: str) -> None:
    """(in a child process) The full refresh, then the floor, each in a transaction rolled back; prints JSON."""
    import resource

    import duckdb

    from planwatch import views

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    con = duckdb.connect(path)
    timings = {}
    for name, work in (("refresh", lambda: views.refresh(con)), ("floor_status", lambda: con.execute(FLOOR_STATUS)),
                       ("floor_latest", lambda: con.execute(FLOOR_LATEST))):
        con.execute("BEGIN TRANSACTION")
        start, start_cpu = time.perf_counter(), cpu()
        work()
        timings[name], timings[f"{name}_cpu"] = time.perf_counter() - start, cpu() - start_cpu
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
        params = PAGE_PARAMS | {
            "year": int(db.run_query(reader, "default_year").iloc[0, 0]),
            "id": cur.execute("SELECT min(indicator_id) FROM indicator WHERE plan_id LIKE 'synth-%'").fetchone()[0],
            "canonical": cur.execute("SELECT canonical_id FROM indicator WHERE canonical_id IS NOT NULL "
                                     "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]}
        for entry in dict.fromkeys(q for qs in PAGE_QUERIES.values() for q in qs):
            name = entry.rstrip("*")
            sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
            wanted = set(re.findall(r"\$([a-z_]+)", sql)) - {"page_limit", "page_offset"}
            named = {p: params.get(p) for p in wanted} | QUERY_PARAMS.get(name, {})  # the other filters: 全部
            rows = PAGE_ROWS.get(name, PAGE_SIZE)

            def run() -> int | None:
                if not entry.endswith("*"):
                    return len(db.run_query(reader, name, **named))
                if "$page_limit" in sql:  # pages itself and counts the list as it chooses the page (n_rows)
                    page = db.run_query(reader, name, page_limit=rows, page_offset=0, **named)
                    return int(page["n_rows"].iloc[0]) if len(page) else 0
                db.run_query(reader, name, limit=rows, **named)
                if name not in TOTAL_KNOWN:
                    return int(db.run_query(reader, name, count=True, **named).iloc[0, 0])

            times, n = [], 0
            for _ in range(4):
                start = time.perf_counter()
                n = run()
                times.append(time.perf_counter() - start)
            if n is None:  # counted by the page from its summaries: counted here, untimed
                n = int(db.run_query(reader, name, count=True, **named).iloc[0, 0])
            out[entry] = (times[0], statistics.median(times[1:]), n)
    return out


def size(path: Path) -> float:
    return path.stat().st_size / 1e6


def measure(n: int, folder: Path, only_refresh: bool = False, given: Path | None = None) -> dict:
    """Synthesise n regions (or copy the database `given`), then measure; the figures as a dict."""
    path = folder / (f"synth-{n}.duckdb" if given is None else f"given-{given.name}")
    r = {"regions": n}
    if given is None:
        r["synth_s"], r["synth_rss_mb"], _ = child([sys.executable, "-m", "planwatch", "synth", "--db", str(path),
                                                    "--regions", str(n)])
    else:
        shutil.copyfile(given, path)
    r["file_mb"] = size(path)
    with db.open_reader(path) as reader:
        r["observations"], r["indicators"] = reader.cursor().execute(
            "SELECT (SELECT count(*) FROM observation), (SELECT count(*) FROM indicator)").fetchone()
    _, r["refresh_process_rss_mb"], out = child([sys.executable, __file__, "--measure-refresh", str(path)])
    r |= json.loads(out)
    r["refresh_cmd_s"], r["refresh_cmd_rss_mb"], _ = child([sys.executable, "-m", "planwatch", "refresh", "--db",
                                                            str(path)])
    r["refresh_growth_mb"] = size(path) - r["file_mb"]
    if only_refresh:
        return r
    start = time.perf_counter()
    with db.writing(path):  # copy, checkpoint, fsync, rename: what every write pays before and after its work
        pass
    r["copy_fsync_s"] = time.perf_counter() - start
    before = size(path)
    r["import_s"], r["import_cpu"], r["import_rss_mb"], out = child_cpu(
        [sys.executable, "-m", "planwatch", "import", str(import_file(path, folder)), "--db", str(path)])
    r["import_growth_mb"] = size(path) - before
    batch = out.strip().splitlines()[-1]
    r["undo_s"], r["undo_cpu"], r["undo_rss_mb"], _ = child_cpu([sys.executable, "-m", "planwatch", "undo", batch,
                                                                 "--db", str(path)])
    r["pages"] = page_queries(path)
    return r


def report(r: dict) -> None:
    print(f"\n{r['regions']:,} regions: {r['indicators']:,} indicators, {r['observations']:,} observations, "
          f"file {r['file_mb']:.0f} MB")
    if "synth_s" in r:
        print(f"  synth                      {r['synth_s']:7.1f} s   peak RSS {r['synth_rss_mb']:6.0f} MB")
    print(f"  full refresh               {r['refresh']:7.2f} s   peak RSS {r['refresh_rss_mb']:6.0f} MB   "
          f"{r['refresh_cpu']:6.2f} CPU-s")
    for floor, label in (("floor_status", "status vs target"), ("floor_latest", "latest value    ")):
        print(f"  floor: {label}    {r[floor]:7.3f} s   refresh ÷ floor {r['refresh'] / r[floor]:5.1f}   "
              f"{r[f'{floor}_cpu']:6.2f} CPU-s   in CPU {r['refresh_cpu'] / r[f'{floor}_cpu']:5.1f}")
    print(f"  refresh command            {r['refresh_cmd_s']:7.2f} s   peak RSS {r['refresh_cmd_rss_mb']:6.0f} MB   "
          f"file growth {r['refresh_growth_mb']:+.1f} MB")
    if "import_s" not in r:
        return
    print(f"  writer's copy + fsync      {r['copy_fsync_s']:7.2f} s   (db.writing with nothing written, "
          f"{r['file_mb'] + r['refresh_growth_mb']:.0f} MB file)")
    print(f"  import 1,000 rows          {r['import_s']:7.2f} s   peak RSS {r['import_rss_mb']:6.0f} MB   "
          f"{r['import_cpu']:6.2f} CPU-s   file growth {r['import_growth_mb']:+.1f} MB")
    print(f"  undo that import           {r['undo_s']:7.2f} s   peak RSS {r['undo_rss_mb']:6.0f} MB   "
          f"{r['undo_cpu']:6.2f} CPU-s")
    print("  page queries (default filters; first run / warm median, ms; rows; * = a list's first page and its count):")
    for page, names in PAGE_QUERIES.items():
        for name in names:
            first, warm, rows = r["pages"][name]
            print(f"    {page:8s} {name:30s} {first * 1000:8.0f} {warm * 1000:8.0f} {rows:9,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", default=",".join(map(str, SIZES)), help="comma-separated sizes")
    parser.add_argument("--dir", default=str(ROOT / "var" / "scale"), help="where the databases are kept")
    parser.add_argument("--only", choices=["refresh"], help="stop after the full refresh and its file growth")
    parser.add_argument("--db", type=Path, help="measure this database (copied into --dir) instead of synthesising")
    parser.add_argument("--measure-refresh", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_refresh:
        return measure_refresh(args.measure_refresh)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"bench/scale.py on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    if args.db:
        with db.open_reader(args.db) as reader:
            regions = reader.cursor().execute("SELECT count(DISTINCT region_code) FROM plan "
                                              "WHERE plan_id LIKE 'synth-%'").fetchone()[0]
        runs = [(regions, args.db)]
    else:
        runs = [(int(s), None) for s in args.regions.split(",")]
    for n, given in runs:
        report(measure(n, folder, args.only == "refresh", given))
        print(f"  (load average over the last 5 minutes: {os.getloadavg()[1]:.1f})")


if __name__ == "__main__":
    main()
