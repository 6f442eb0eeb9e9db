"""Pages at national scale: each page's server-side script time and what it sends, seed data against a big database.

    python bench/scale_pages.py --big PATH [--runs N] [--pages overview warnings ...]
    python bench/scale_pages.py --regions 2850       # builds the big database with `planwatch synth` first
    python bench/scale_pages.py --big PATH --app DIR  # another checkout's pages (e.g. `git archive main`)
    python bench/scale_pages.py --big PATH --base DIR --base-big PATH2   # before (DIR) and after in one run
    python bench/scale_pages.py --big PATH --repeat 3   # each first load 3 times (fresh processes): the median

For each database (the demo build of data/ by the checkout measured, then the big one) every page runs in AppTest
in a fresh process, opened directly (as a link to it is): the first run (empty caches: what the first visitor after
a write waits for), the seconds of it spent in named queries (q; the rest is start-up, Python and drawing), the
median of N warm reruns, the bytes of the elements the page sends (protobuf size of every element: tables, chart
data, selectbox options), the largest selectbox (options), the largest table (rows) and the process's peak RSS.
The last column is the big database's first-run time as a multiple of the seed's (issue 17: at most 1.5x).
With --repeat N every page is opened N times in fresh processes, the rounds interleaved, and the median first run
is kept (single first loads on a shared machine vary by tens of percent). With --base, the base checkout's pages
run too (on --base-big, a big database built by that checkout: the views live in the file), interleaved page by
page with this one's, and its ratio is printed beside.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

PAGES = {  # page: URL parameters
    "overview": {"year": "2024"},
    "warnings": {"year": "2024"},
    "indicator": {"year": "2024", "id": "pingyang-women-k03"},
    "domains": {"year": "2024"},
    "regions": {"year": "2024"},
    "units": {"year": "2024"},
    "catalogue": {},
    "progress": {},
    "reports": {"year": "2024"},
    "explorer": {},
}


def _walk(node):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)
    else:
        yield node


def measure_one(app: Path, page: str, params: dict, runs: int) -> dict:
    """Run one page of the checkout `app` in this process (a fresh child process per database and page)."""
    sys.path.insert(0, str(app))
    import psutil
    from streamlit.testing.v1 import AppTest

    from planwatch import db

    in_queries = []  # seconds in each named query of the first run (the rest: Python, drawing, start-up)
    run_query = db.run_query

    def timed_query(*args, **kwargs):
        start = time.perf_counter()
        try:
            return run_query(*args, **kwargs)
        finally:
            in_queries.append(time.perf_counter() - start)

    db.run_query = timed_query
    start = time.perf_counter()
    at = AppTest.from_file(str(app / "app.py"), default_timeout=600)
    at.query_params.update(params)
    at.switch_page(f"pages/{page}.py")  # the page itself, not the default page first
    at.run()
    first = time.perf_counter() - start
    queries = sum(in_queries)
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    nodes = [n for n in _walk(at._tree) if getattr(n, "proto", None) is not None]
    sent = sum(n.proto.ByteSize() for n in nodes)
    options = max((len(s.options) for s in at.main.selectbox), default=0)  # the sidebar filters are app.py's
    rows = max((len(d.value) for d in at.dataframe), default=0)
    rss = psutil.Process().memory_info().rss
    return {"first": first, "queries": queries, "warm": statistics.median(warm), "bytes": sent, "options": options,
            "rows": rows, "rss": rss, "error": str(at.exception[0].message)[:80] if at.exception else ""}


def served_copy(app: Path, db: Path, folder: Path) -> Path:
    """A copy of db stamped with the checkout's catalogue hash: the app would otherwise rebuild a database whose
    queries/ differ from its own (db must hold that checkout's views: built by its own build or synth)."""
    import duckdb

    stamp = subprocess.run([sys.executable, "-c", "from planwatch import build; print(build.catalogue_hash())"],
                           cwd=app, capture_output=True, text=True, check=True).stdout.strip()
    copy = folder / f"served-{db.stem}-{abs(hash(str(app))) % 10**6}.duckdb"
    shutil.copyfile(db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'catalogue_hash'", [stamp])
    return copy


def measure(app: Path, db: Path, page: str, runs: int, folder: Path) -> dict:
    env = {**os.environ, "PLANWATCH_DB": str(db)}
    out = subprocess.run([sys.executable, __file__, "--child", page, "--runs", str(runs), "--app", str(app)],
                         env=env, capture_output=True, text=True, cwd=app)
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if out.returncode == 0 and lines else {"error": out.stderr[-200:]}


def median_run(runs: list[dict]) -> dict:
    """The run with the median first-load time (failed runs count only when all failed)."""
    done = sorted((r for r in runs if "first" in r), key=lambda r: r["first"])
    return done[(len(done) - 1) // 2] if done else runs[-1]


def seed_database(app: Path, folder: Path) -> Path:
    """The demo build of data/ by the checkout's own code (its views are in the file)."""
    path = folder / f"seed-{abs(hash(str(app))) % 10**6}.duckdb"
    subprocess.run([sys.executable, "-m", "planwatch", "build", "--db", str(path)], cwd=app, check=True,
                   capture_output=True)
    return path


def report(name: str, pages: list[str], both: dict, base: dict | None) -> None:
    print(f"\n{name}\n{'page':10s} {'seed first':>10s} {'big first':>10s} {'seed warm':>10s} {'big warm':>10s} "
          f"{'seed q':>7s} {'big q':>7s} {'seed KB':>8s} {'big KB':>8s} {'options':>8s} {'rows':>6s} {'RSS MB':>7s} "
          f"{'ratio':>6s}"
          + (f" {'base':>6s}" if base else ""))
    for page in pages:
        s, b = both["seed"][page], both["big"][page]
        if "first" not in s or "first" not in b:
            print(f"{page:10s} failed: {s.get('error') or b.get('error')}")
            continue
        before = ""
        if base and "first" in base["seed"][page] and "first" in base["big"][page]:
            before = f" {base['big'][page]['first'] / base['seed'][page]['first']:6.2f}"
        print(f"{page:10s} {s['first']:10.2f} {b['first']:10.2f} {s['warm']:10.2f} {b['warm']:10.2f} "
              f"{s.get('queries', float('nan')):7.2f} {b.get('queries', float('nan')):7.2f} "
              f"{s['bytes'] / 1e3:8.0f} {b['bytes'] / 1e3:8.0f} {b['options']:8d} {b['rows']:6d} {b['rss'] / 1e6:7.0f} "
              f"{b['first'] / s['first']:6.2f}" + before + (f"  {b['error']}" if b["error"] else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=Path, help="a big database (else built with synth --regions)")
    parser.add_argument("--regions", type=int, default=2850)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes per page and database (median)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--app", type=Path, default=ROOT, help="the checkout whose pages are measured")
    parser.add_argument("--base", type=Path, help="another checkout to measure in the same run (before)")
    parser.add_argument("--base-big", type=Path, help="the big database for --base, built by that checkout")
    parser.add_argument("--child")
    args = parser.parse_args()
    app = args.app.resolve()
    if args.child:
        print(json.dumps(measure_one(app, args.child, PAGES[args.child], args.runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = args.big
        if big is None:
            big = folder / "big.duckdb"
            subprocess.run([sys.executable, "-m", "planwatch", "synth", "--db", str(big), "--regions",
                            str(args.regions)], check=True, cwd=ROOT)
        checkouts = {"this": (app, big)} | ({"base": (args.base.resolve(), args.base_big)} if args.base else {})
        served = {name: {"seed": served_copy(a, seed_database(a, folder), folder),
                         "big": served_copy(a, b, folder)} for name, (a, b) in checkouts.items()}
        rounds = {name: {"seed": {}, "big": {}} for name in checkouts}
        for _ in range(args.repeat):
            for page in args.pages:  # interleaved: a change of the machine's load hits both checkouts alike
                for kind in ("seed", "big"):
                    for name, (a, _) in checkouts.items():
                        rounds[name][kind].setdefault(page, []).append(
                            measure(a, served[name][kind], page, args.runs, folder))
        results = {name: {kind: {page: median_run(runs) for page, runs in pages.items()}
                          for kind, pages in kinds.items()} for name, kinds in rounds.items()}
    load = os.getloadavg()
    for name, (a, _) in checkouts.items():
        report(f"{name}: {a}", args.pages, results[name], results.get("base") if name == "this" else None)
    print(f"\nload average (1, 5, 15 min) at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
