"""How long a 1,000-row import takes (validation, preview, commit: copy, write, status refresh, rename); prints medians.

    python bench/import_speed.py [--runs N]
    python bench/import_speed.py --db PATH [--base DIR] [--runs N]

With --db: the `import` of bench/scale.py's file (1,000 rows of 2025 values) and its `undo` as whole command-line
processes on copies of PATH (wall and CPU seconds, peak RSS); with --base, the same commands of another checkout
(e.g. `git archive main | tar -x -C DIR`) interleaved run by run, for a before/after in the same conditions.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, demo_database

from planwatch import db, importer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int)
    parser.add_argument("--db", type=Path, help="time the import and undo commands on copies of this database")
    parser.add_argument("--base", type=Path, help="with --db: another checkout's commands, interleaved")
    args = parser.parse_args()
    if args.db:
        return commands(args.db, args.base, args.runs or 5)
    runs = args.runs or 5
    with tempfile.TemporaryDirectory() as tmp:
        base = demo_database(tmp)
        with db.open_reader(base) as reader:
            ids = [r[0] for r in reader.cursor().execute(
                "SELECT indicator_id FROM indicator WHERE target_op <> 'qualitative' ORDER BY 1").fetchall()]
        rows = [(i, y) for y in (2021, 2022, 2023, 2024, 2025) for i in ids][:1000]
        data = ("indicator_id,year,value,note\n" + "".join(f"{i},{y},{50 + y % 7},基准测试\n" for i, y in rows)).encode()
        phases = {"check": [], "preview": [], "commit": [], "total": []}
        for run in range(runs):
            path = Path(tmp) / f"run{run}.duckdb"
            shutil.copy(base, path)
            with db.open_reader(path) as reader:
                t0 = time.perf_counter()
                checked = importer.check(reader.cursor(), data, "bench.csv")
                t1 = time.perf_counter()
                importer.preview(reader.cursor(), checked)
                t2 = time.perf_counter()
            importer.commit(path, checked, uploader="bench")
            t3 = time.perf_counter()
            for key, value in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
                phases[key].append(value)
        print(f"1,000-row CSV import ({len(rows)} rows, {runs} runs), medians:")
        for key, values in phases.items():
            print(f"  {key:8s} {statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")



def commands(path: Path, base: Path | None, runs: int) -> None:
    from scale import child_cpu, import_file

    sides = {"this": ROOT} | ({f"base ({base})": base.resolve()} if base else {})
    figures = {(side, command): [] for side in sides for command in ("import", "undo")}
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp:  # var/: the filesystem a deployment writes on
        values = import_file(path, Path(tmp))
        for run in range(runs):
            for side, cwd in list(sides.items())[::1 if run % 2 == 0 else -1]:  # alternating which goes first
                copy = Path(tmp) / "work.duckdb"
                shutil.copyfile(path, copy)
                wall, cpu, rss, out = child_cpu([sys.executable, "-m", "planwatch", "import", str(values), "--db",
                                                 str(copy)], cwd)
                figures[side, "import"].append((wall, cpu, rss))
                batch = out.strip().splitlines()[-1]
                figures[side, "undo"].append(child_cpu([sys.executable, "-m", "planwatch", "undo", batch, "--db",
                                                        str(copy)], cwd)[:3])
                db.discard(copy)
    print(f"{path.name}: import of 1,000 rows and its undo, whole processes, medians of {runs} "
          f"(load average over the last 5 minutes {os.getloadavg()[1]:.1f}):")
    for (side, command), values in figures.items():
        wall, cpu, rss = (statistics.median(v) for v in zip(*values))
        print(f"  {side:40s} {command:6s} {wall:6.2f} s wall  {cpu:5.2f} CPU-s  peak RSS {rss:4.0f} MB  "
              f"(CPU-s {min(v[1] for v in values):.2f}–{max(v[1] for v in values):.2f})")


if __name__ == "__main__":
    main()
