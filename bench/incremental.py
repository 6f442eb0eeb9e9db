"""The incremental refresh of an import's indicators (views.refresh with their ids, as every import, review and undo
calls it), timed per statement, with this checkout's view SQL installed first. Everything is rolled back: the file is
left as it was, but DuckDB opens it for writing, so give it a copy (never a database another process uses).

    python bench/incremental.py --db var/scale/copy.duckdb [--ids 1000] [--runs 5]

Prints the median wall and CPU seconds (the process's own) of the refresh over --runs runs, the last run's statements
that took 10 ms or more, and the peak RSS. The ids are the first --ids synthetic indicators with a 2024 value (the
ones bench/scale.py's import file touches).
"""
import argparse
import resource
import statistics
import time

import duckdb
from common import ROOT  # noqa: F401 (puts the project on sys.path)

from planwatch import views


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Timed:
    """A connection whose execute() records (wall, CPU, statement)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.log = con, []

    def __getattr__(self, name):
        return getattr(self.con, name)

    def execute(self, sql: str, *args):
        start, start_cpu = time.perf_counter(), cpu()
        result = self.con.execute(sql, *args)
        self.log.append((time.perf_counter() - start, cpu() - start_cpu, " ".join(sql.split())))
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a copy of a database (opened for writing, rolled back)")
    parser.add_argument("--ids", type=int, default=1000, help="how many indicators the write touched")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    con = duckdb.connect(args.db)
    ids = [r[0] for r in con.execute(
        "SELECT DISTINCT o.indicator_id FROM observation o JOIN indicator i USING (indicator_id) "
        "WHERE i.plan_id LIKE 'synth-%' AND o.year = 2024 ORDER BY 1 LIMIT $n", {"n": args.ids}).fetchall()]
    con.execute("BEGIN TRANSACTION")
    views.create(con)  # this checkout's SQL (the file holds the SQL of the code that built it)
    runs = []
    for _ in range(args.runs):
        timed = Timed(con)
        start, start_cpu = time.perf_counter(), cpu()
        views.refresh(timed, ids)
        runs.append((time.perf_counter() - start, cpu() - start_cpu))
    con.execute("ROLLBACK")
    print(f"incremental refresh of {len(ids):,} indicators: median {statistics.median(w for w, _ in runs):.3f} s, "
          f"{statistics.median(c for _, c in runs):.3f} CPU-s over {len(runs)} runs; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for wall, used, sql in timed.log:
        if wall >= 0.01:
            print(f"  {wall:6.3f} s {used:6.3f} CPU-s  {sql[:100]}")


if __name__ == "__main__":
    main()
