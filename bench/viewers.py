"""Many viewers: several `streamlit run` processes over one synthetic database, with a write in the middle. Each
load is a fresh Chromium context, timed until the content is complete (bench/pages.py's COMPLETE).

1. first loads: every public page once on a cold app (empty caches), then once more (warm);
2. viewers at once: N viewers (spread over the apps) load 总览 at the same moment, caches warm;
3. a write: 总览 for the whole country, for a province the write does not touch and for the province it touches are
   warm on every app; a 1,000-row import runs through the command line while viewers keep loading them; once it
   has landed, each app loads each of the three again. Page caches key on the version of the regions a page covers
   (planwatch.versions): the untouched province's page stays cached, the other two are computed again;
4. the same write seen from the server (AppTest in this process, no browser): for each of the three 总览, its run
   time warm and right after the write, and the named queries it ran again then (counted through db.run_query).

Prints the load times, and the app processes' peak RSS (the largest and all together). Under a high load average
the browser's times (Chromium shares the cores) say less than the server's counts.

    python bench/viewers.py [--regions 2850] [--apps 3] [--viewers 1,3,6] [--dir var/scale]

The database is var/scale/synth-N.duckdb, made by `synth` when missing (bench/scale.py leaves it there); the
import is written into it (use a copy).
"""
import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from common import ROOT
from pages import CHROMIUM, COMPLETE
from rss import PeakRss
from scale import import_file

sys.path.insert(0, str(ROOT / "tests"))
from servers import streamlit_app  # noqa: E402

from playwright.async_api import async_playwright  # noqa: E402

from planwatch import db  # noqa: E402

YEAR = 2025
PAGES = {  # the public pages with the default filters (指标详情: the first synthetic indicator)
    "总览": "/", "预警清单": "/warnings", "领域": "/domains", "地区": "/regions", "责任单位": "/units",
    "指标详情": "/indicator?id={indicator}", "规划指标目录": "/catalogue", "方法说明": "/method",
}
UNTOUCHED = "330000"  # 浙江省: the import below (the first 1,000 synthetic indicators by id) lies in the north


async def load(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=600_000)
    await page.wait_for_timeout(50)  # let the script run start before asking whether it ended
    await page.wait_for_function(COMPLETE, timeout=600_000, polling=50)
    took = time.perf_counter() - start
    await context.close()
    return took


def url_of(base: str, path: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": YEAR, **params}.items())
    return f"{base}{path}{'&' if '?' in path else '?'}{query}"


def line(label: str, times: list[float]) -> None:
    shown = f"{times[0]:7.1f}" if len(times) == 1 else \
        f"median {statistics.median(times):6.1f}  slowest {max(times):6.1f}  (n={len(times)})"
    print(f"  {label:<44} {shown}", flush=True)


async def first_loads(browser, base: str, indicator: str) -> None:
    print("1. first load of each page on a cold app, then warm (seconds):", flush=True)
    for name, path in PAGES.items():
        url = url_of(base, path.format(indicator=indicator))
        cold = await load(browser, url)
        warm = await load(browser, url)
        print(f"  {name:<8} cold {cold:6.1f}   warm {warm:6.1f}", flush=True)


async def many(browser, urls: list[str], viewers: list[int]) -> None:
    print("2. N viewers loading 总览 at once, caches warm (seconds):", flush=True)
    overview = [url_of(u, "/") for u in urls]
    await asyncio.gather(*(load(browser, u) for u in overview))  # every app warm
    for n in viewers:
        line(f"{n} viewer{'s' if n > 1 else ''}", await asyncio.gather(*(load(browser, overview[i % len(urls)])
                                                                          for i in range(n))))


async def write(browser, urls: list[str], path: Path, csv_path: Path, touched: str) -> None:
    views = {"总览 全国": {}, f"总览 {UNTOUCHED} (not written)": {"region": UNTOUCHED},
             f"总览 {touched} (written)": {"region": touched}}
    targets = {label: [url_of(u, "/", **params) for u in urls] for label, params in views.items()}
    print(f"3. a 1,000-row import while viewers load; {len(urls)} apps, each page warm on every app first:",
          flush=True)
    for label, pages in targets.items():
        await asyncio.gather(*(load(browser, u) for u in pages))
        line(f"{label}, warm", await asyncio.gather(*(load(browser, u) for u in pages)))
    start = time.perf_counter()
    importing = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(path), "--resubmit",
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    during, rounds = [], 0
    while importing.returncode is None:
        pages = [u for group in targets.values() for u in group]
        during += await asyncio.gather(*(load(browser, u) for u in pages))
        rounds += 1
        await asyncio.sleep(0)
        if importing.returncode is None:
            try:
                await asyncio.wait_for(importing.wait(), 0.1)
            except asyncio.TimeoutError:
                pass
    assert importing.returncode == 0, "the import failed"
    line(f"during the import ({time.perf_counter() - start:.0f} s, {rounds} rounds)", during)
    for label, pages in targets.items():  # one app at a time: each its own first load after the write
        line(f"{label}, first load after it", [await load(browser, u) for u in pages])


async def run(urls: list[str], viewers: list[int], path: Path, csv_path: Path, indicator: str,
              touched: str) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(**CHROMIUM)
        await first_loads(browser, urls[0], indicator)
        await many(browser, urls, viewers)
        await write(browser, urls, path, csv_path, touched)
        await browser.close()


def server_side(path: Path, csv_path: Path, touched: str) -> None:
    import streamlit as st
    from apptest import open_page

    from planwatch import ui

    print("4. the same write, server side (AppTest): 总览's run time warm, then right after the write, and the "
          "queries it ran again (their time):", flush=True)
    ran = []
    run_query = db.run_query

    def timed(con, name, **params):
        start = time.perf_counter()
        try:
            return run_query(con, name, **params)
        finally:
            ran.append(time.perf_counter() - start)

    db.run_query = timed
    os.environ["PLANWATCH_DB"] = str(path)
    ui.connection.clear()
    st.cache_data.clear()
    scopes = {"全国": {}, f"{UNTOUCHED} (not written)": {"region": UNTOUCHED}, f"{touched} (written)": {"region": touched}}
    warm = {}
    for label, params in scopes.items():
        open_page(year=str(YEAR), **params)
        start = time.perf_counter()
        open_page(year=str(YEAR), **params)
        warm[label] = time.perf_counter() - start
    subprocess.run([sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(path), "--resubmit"],
                   cwd=ROOT, check=True, capture_output=True)
    for label, params in scopes.items():
        ran.clear()
        start = time.perf_counter()
        open_page(year=str(YEAR), **params)
        print(f"  总览 {label:<20} warm {warm[label]:5.1f} s   after the write {time.perf_counter() - start:5.1f} s, "
              f"{len(ran)} queries ran again ({sum(ran):.1f} s)", flush=True)
    db.run_query = run_query


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=2850)
    parser.add_argument("--apps", type=int, default=3)
    parser.add_argument("--viewers", default="1,3,6")
    parser.add_argument("--dir", default=str(ROOT / "var" / "scale"))
    parser.add_argument("--server-side-only", action="store_true", help="only step 4")
    args = parser.parse_args()
    path = Path(args.dir) / f"synth-{args.regions}.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "planwatch", "synth", "--db", str(path), "--regions",
                        str(args.regions)], cwd=ROOT, check=True)
    csv_path = import_file(path, path.parent)
    with db.open_reader(path) as reader:
        cur = reader.cursor()
        n_obs = cur.execute("SELECT count(*) FROM observation").fetchone()[0]
        indicator = cur.execute("SELECT min(indicator_id) FROM indicator WHERE plan_id LIKE 'synth-%'").fetchone()[0]
        touched = cur.execute("SELECT r.province_code FROM read_csv($csv) c JOIN v_indicator i USING (indicator_id) "
                              "JOIN region r USING (region_code) GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
                              {"csv": str(csv_path)}).fetchone()[0]
        provinces = {r[0] for r in cur.execute(
            "SELECT DISTINCT r.province_code FROM read_csv($csv) c JOIN v_indicator i USING (indicator_id) "
            "JOIN region r USING (region_code)", {"csv": str(csv_path)}).fetchall()}
    assert UNTOUCHED not in provinces, f"the import touches {UNTOUCHED}"
    print(f"{args.apps} app processes over synth-{args.regions} ({n_obs:,} observations, "
          f"{path.stat().st_size / 1e6:.0f} MB); the import touches the provinces {sorted(provinces)}; "
          f"load average at start {os.getloadavg()[1]:.1f}", flush=True)
    if args.server_side_only:
        return server_side(path, csv_path, touched)
    with ExitStack() as stack, PeakRss(only="streamlit") as peak:
        urls = [stack.enter_context(streamlit_app(path)) for _ in range(args.apps)]
        asyncio.run(run(urls, [int(v) for v in args.viewers.split(",")], path, csv_path, indicator, touched))
    print(f"load average over the last 5 minutes: {os.getloadavg()[1]:.1f}")
    print(f"app processes' peak RSS: largest {peak.largest_child / 1e6:.0f} MB, all together {peak.total / 1e6:.0f} MB")
    server_side(path, csv_path, touched)


if __name__ == "__main__":
    main()
