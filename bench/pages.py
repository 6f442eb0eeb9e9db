"""Page speed: warm AppTest reruns of every page, and cold loads in headless Chromium against a blank page.

    python bench/pages.py [--runs N] [--app DIR]

A cold load is a fresh browser context (no cache, new session) from navigation until the content is complete:
the script has finished, the title is shown, and every chart, data grid and map has drawn. Pages are loaded
interleaved with a blank Streamlit page (one st.title) so machine noise hits all alike; medians are printed as
milliseconds and as multiples of the blank page. Targets (issue 15): 总览, 预警清单 and 指标详情 at most 1.6x,
every page at most 1.8x. `--app DIR` measures another checkout (for before/after tables).
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, demo_database

PAGES = {  # name: URL path (the leader's path first)
    "总览": "/?year=2024",
    "预警清单": "/warnings?year=2024",
    "指标详情": "/indicator?id=pingyang-women-k03&year=2024",
    "领域": "/domains?year=2024",
    "地区": "/regions?year=2024",
    "责任单位": "/units?year=2024",
    "规划指标目录": "/catalogue",
    "数据探索": "/explorer",
    "方法说明": "/method",
}
CHROMIUM = dict(executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
# Content complete: the script run has finished and every chart, grid and map in the main area has drawn.
COMPLETE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const main = document.querySelector("[data-testid='stMainBlockContainer']");
  if (!app || !main || app.dataset.testScriptState !== 'notRunning' || !main.querySelector('h1')) return false;
  if (main.querySelector("[data-testid='stSkeleton']")) return false;
  const drawn = (sel, child) => [...main.querySelectorAll(sel)].every(e => e.querySelector(child));
  return drawn('.vega-embed', 'canvas, svg') && drawn("[data-testid='stDataFrame']", 'canvas')
    && drawn("[data-testid='stDeckGlJsonChart']", 'canvas');
}"""


def apptest_reruns(runs: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from apptest import open_page

    print(f"AppTest warm rerun (median of {runs}):")
    for page in ["overview", "warnings", "domains", "regions", "units", "indicator", "catalogue", "method"]:
        at = open_page(page, year="2024")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        print(f"  {page:10s} {statistics.median(times) * 1000:6.0f} ms")


def serve(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], env=env, cwd=script.parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not start")


def browser_times(runs: int, db: Path, app: Path) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.py"
        blank.write_text("import streamlit as st\nst.title('空白页')\n", encoding="utf-8")
        env = os.environ | {"PLANWATCH_DB": str(db)}
        servers = [serve(blank, env), serve(app / "app.py", env)]
        targets = {"空白页": servers[0][1] + "/", **{name: servers[1][1] + path for name, path in PAGES.items()}}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**CHROMIUM)

                def load(url: str) -> float:
                    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_timeout(50)  # let the first script run start before asking whether it ended
                    page.wait_for_function(COMPLETE, timeout=60_000, polling=20)
                    took = time.perf_counter() - start
                    context.close()
                    return took

                for url in targets.values():  # warm the servers' caches and the browser
                    load(url)
                results = {name: [] for name in targets}
                for _ in range(runs):  # each page right after a blank page
                    for name, url in list(targets.items())[1:]:
                        results["空白页"].append(load(targets["空白页"]))
                        results[name].append(load(url))
                browser.close()
        finally:
            for proc, _ in servers:
                proc.terminate()
    return results


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app", type=Path, default=ROOT, help="checkout whose app.py is measured")
    parser.add_argument("--browser-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(tmp)
        browser_db = Path(tmp) / "browser.duckdb"
        shutil.copy(db, browser_db)
        if not args.browser_only:
            os.environ["PLANWATCH_DB"] = str(db)
            apptest_reruns(args.runs)
        results = browser_times(args.runs, browser_db, args.app.resolve())
    blank = statistics.median(results["空白页"])
    print(f"Chromium cold load to complete content at 1280x720 (median of {args.runs}, blank page {blank * 1000:.0f} ms):")
    for name, values in results.items():
        if name != "空白页":
            median = statistics.median(values)
            print(f"  {name:8s} {median * 1000:6.0f} ms   {median / blank:4.2f}x blank")


if __name__ == "__main__":
    main()
