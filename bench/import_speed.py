"""How long a 1,000-row import takes (validation, preview, commit: copy, write, status refresh, rename); prints medians.

    python bench/import_speed.py [--runs N]
"""
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import demo_database, runs_option

from planwatch import db, importer


def main() -> None:
    runs = runs_option(5)
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


if __name__ == "__main__":
    main()
