"""Benchmark the annual report: gathering the numbers, drawing the charts and each format; prints medians.

    python bench/reports.py [--runs N] [--region NAME]
    python bench/reports.py --db PATH --region NAME [--region NAME …] [--checkout DIR …] [--runs N] [--formats …]

Without --db: builds a demo database in a temporary directory and times, per run: report.gather (all queries), the
chart PNGs (vl-convert), and each whole format as the command line and the app's download buttons make it
(report.generate: gather + charts + layout). The first run of a process also loads the fonts and starts
vl-convert; it is reported separately and left out of the medians.

With --db (a large database, e.g. `python -m planwatch synth --regions 2850`): each format of each region's report
is made by `python -m planwatch report` in a process of its own, and its wall seconds, CPU seconds and peak RSS
(os.wait4) are printed. --checkout DIR (repeatable; default this checkout) runs another checkout's code on the same
database, interleaved run by run, for before/after tables (`git archive main | tar -x -C /tmp/before`). The
refusal of a scope above content.MAX_INDICATORS is lifted in the measured process, so a checkout that refuses a
province can still be measured.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from planwatch import build, db, report  # noqa: E402
from planwatch.report import render  # noqa: E402
from scale import child_cpu  # noqa: E402

# run in the measured process: the given checkout's command line, without the refusal of a large scope
CHILD = """import sys
sys.path.insert(0, sys.argv[1])
from planwatch import cli
from planwatch.report import content
content.MAX_INDICATORS = 10 ** 9
sys.exit(cli.main(["report", *sys.argv[2:]]))"""


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


def large(args) -> None:
    """Each format of each region's report by the command line of each checkout, one process each."""
    checkouts = [Path(c).resolve() for c in args.checkout] or [Path(__file__).resolve().parent.parent]
    load = os.getloadavg()
    print(f"年度报告 · {args.db} · 截至{args.year}年 · load {load[0]:.1f} {load[1]:.1f} at the start")
    results: dict[tuple, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for region in args.region:
                for fmt in args.formats:
                    for checkout in checkouts:  # interleaved: the same load for before and after
                        out = Path(tmp) / f"report.{fmt}"
                        wall, cpu, rss, _ = child_cpu(
                            [sys.executable, "-c", CHILD, str(checkout), "--format", fmt, "--out", str(out),
                             "--db", str(Path(args.db).resolve()), "--region", region, "--as-of", str(args.year)])
                        size = out.stat().st_size / 1e6
                        results.setdefault((region, fmt, checkout), []).append((wall, cpu, rss, size))
                        print(f"run {run + 1} {region} {fmt} {checkout.name}: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                              f"{rss:.0f} MB peak RSS, {size:.1f} MB file", flush=True)
    load = os.getloadavg()
    print(f"\nmedians ({args.runs} runs; load {load[0]:.1f} {load[1]:.1f} at the end)")
    print("| region | format | checkout | wall s | CPU s | peak RSS MB | file MB |\n|---|---|---|---|---|---|---|")
    for (region, fmt, checkout), rows in results.items():
        wall, cpu, rss, size = (statistics.median(col) for col in zip(*rows))
        print(f"| {region} | {fmt} | {checkout.name} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {size:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=None, help="default 5, with --db 1")
    parser.add_argument("--region", default=None, action="append")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--db", help="measure each format of each --region on this database, by the command line")
    parser.add_argument("--checkout", action="append", default=[], help="with --db: a checkout to measure")
    parser.add_argument("--formats", nargs="+", default=list(report.FORMATS), choices=report.FORMATS)
    args = parser.parse_args()
    if args.db:
        if not args.region:
            parser.error("--db needs --region")
        args.runs = args.runs or 1
        return large(args)
    args.runs = args.runs or 5
    args.region = args.region[-1] if args.region else None
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
