"""Benchmark the catalogue build and the progress views; prints medians (seconds / milliseconds).

    python bench/engine.py [--runs N]

Targets (issues 3 and 4): build under 2 s; v_status + v_warning over all indicators and as-of years, warm,
under 100 ms.
"""
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
from common import runs_option

from planwatch import build


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    runs = runs_option(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        for demo in (True, False):
            t = timed(lambda: build.build(db, with_demo=demo), runs)
            print(f"build {'with demo' if demo else '--no-demo'}: median {statistics.median(t):.3f} s "
                  f"(min {min(t):.3f}, max {max(t):.3f}, {runs} runs)")
        build.build(db, with_demo=True)
        con = duckdb.connect(str(db), read_only=True)
        n_status = con.execute("SELECT count(*) FROM v_status").fetchall()[0][0]
        n_warning = con.execute("SELECT count(*) FROM v_warning").fetchall()[0][0]

        def both():
            con.sql("SELECT * FROM v_status").to_arrow_table()
            con.sql("SELECT * FROM v_warning").to_arrow_table()

        both()  # warm
        t = timed(both, runs * 3)
        print(f"v_status ({n_status} rows) + v_warning ({n_warning} rows), warm: median "
              f"{statistics.median(t) * 1000:.1f} ms (min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f}, {runs * 3} runs)")
        one_year = timed(lambda: con.sql("SELECT * FROM v_status WHERE as_of_year = 2024").to_arrow_table(), runs * 3)
        print(f"v_status for one as-of year, warm: median {statistics.median(one_year) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
