"""Benchmark the annual report: gathering the numbers, drawing the charts and each format; prints medians.

    python bench/reports.py [--runs N] [--region NAME]

Builds a demo database in a temporary directory and times, per run: report.gather (all queries), the chart PNGs
(vl-convert), and each whole format as the command line and the app's download buttons make it
(report.generate: gather + charts + layout). The first run of a process also loads the fonts and starts
vl-convert; it is reported separately and left out of the medians.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from planwatch import build, db, report  # noqa: E402
from planwatch.report import render  # noqa: E402


def timed(fn, runs: int) -> tuple[float, list[float], object]:
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - start)
    return first, out, result


def line(label: str, first: float, times: list[float], extra: str = "") -> None:
    print(f"{label:<22} median {statistics.median(times):6.2f} s  (min {min(times):.2f}, max {max(times):.2f}, "
          f"{len(times)} runs; first in process {first:.2f} s){extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--region", default=None)
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        build.build(path, with_demo=True)
        with db.open_reader(path) as con:
            scope = args.region or "全部监测地区"
            print(f"年度报告 · 截至{args.year}年 · {scope}")
            first, t, content = timed(lambda: report.gather(con, args.year, args.region), args.runs)
            line("gather (queries)", first, t, f"  {len(report.outline(content))} slides")
            first, t, pngs = timed(lambda: render.chart_pngs(content), args.runs)
            line("charts (PNG)", first, t, f"  {len(pngs)} charts, {sum(map(len, pngs.values())) // 1024} KB")
            for fmt in report.FORMATS:
                first, t, data = timed(lambda: report.render_content(content, fmt, pngs), args.runs)
                line(f"{fmt} layout only", first, t, f"  {len(data) // 1024} KB")
            for fmt in report.FORMATS:
                first, t, data = timed(lambda: report.generate(con, fmt, args.year, args.region), args.runs)
                line(f"{fmt} total", first, t)


if __name__ == "__main__":
    main()
