"""Page speed: warm AppTest reruns of every page, and cold loads in headless Chromium against a blank page.

    python bench/pages.py [--runs N] [--app DIR ...] [--browser-only]

A cold load is a fresh browser context (no cache, new session) from navigation until the content is complete:
the script has finished, the title is shown, and every chart, data grid and map has drawn. Pages are loaded
interleaved with a blank Streamlit page (one st.title) so machine noise hits all alike; medians are printed as
milliseconds and as multiples of the blank page (the median of each load divided by the blank load just before
it, so that a change of machine load between rounds cancels out). The machine's load average is printed
with the figures (a shared machine: compare runs taken at a similar load). Targets (issue 15): 总览, 预警清单
and 指标详情 at most 1.6x, every page at most 1.8x. `--app DIR` (repeatable) measures other checkouts side by side, each on a demo database
built by its own code, interleaved in the same run (for before/after tables).
"""
import os
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


# JavaScript the browser fetched for the page (decoded bytes): what a cold load parses before it can draw
SCRIPT_BYTES = """() => performance.getEntriesByType('resource').filter(r => r.name.split('?')[0].endsWith('.js'))
  .reduce((sum, r) => sum + r.decodedBodySize, 0)"""


def cold_load(browser, url: str, cpu: dict | None = None) -> tuple[float, int]:
    """Seconds from navigation to complete content in a fresh browser context, and the JavaScript fetched.
    `cpu` (optional) receives the page's main-thread busy time in seconds (Chromium's TaskDuration): less
    sensitive than wall time to other jobs on a shared machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_timeout(50)  # let the first script run start before asking whether it ended
    page.wait_for_function(COMPLETE, timeout=60_000, polling=20)
    took = time.perf_counter() - start
    script_bytes = page.evaluate(SCRIPT_BYTES)
    if cpu is not None:
        cpu["task"] = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["TaskDuration"]
    context.close()
    return took, script_bytes


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


def build_demo(app: Path, path: Path) -> Path:
    """A demo database built by the checkout's own code (its views may differ from this one's)."""
    subprocess.run([sys.executable, "-c", f"from pathlib import Path; from planwatch import build; "
                    f"build.build(Path({str(path)!r}), with_demo=True)"], cwd=app, check=True,
                   env=os.environ | {"PYTHONPATH": str(app)})
    return path


def browser_times(runs: int, apps: list[Path], folder: Path, pages: dict[str, str]) -> dict[str, dict[str, list[float]]]:
    """Cold-load times per app and page, each load right after a load of the blank page."""
    from playwright.sync_api import sync_playwright

    blank = folder / "blank.py"
    blank.write_text("import streamlit as st\nst.title('空白页')\n", encoding="utf-8")
    servers = [serve(blank, dict(os.environ))]
    for i, app in enumerate(apps):
        db = build_demo(app, folder / f"app{i}.duckdb")
        servers.append(serve(app / "app.py", os.environ | {"PLANWATCH_DB": str(db), "PYTHONPATH": str(app)}))
    blank_url = servers[0][1] + "/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**CHROMIUM)

            script_bytes, busy = {}, {}

            def load(url: str) -> float:
                cpu = {}
                took, script_bytes[url] = cold_load(browser, url, cpu)
                busy.setdefault(url, []).append(cpu["task"])
                return took

            load(blank_url)
            for _, url in servers[1:]:  # warm the servers' caches
                for path in pages.values():
                    load(url + path)
            results = {str(app): {name: [] for name in ["空白页", *pages]} for app in apps}
            ratios = {str(app): {name: [] for name in pages} for app in apps}
            scripts = {str(app): {"空白页": script_bytes[blank_url]} for app in apps}
            for _ in range(runs):
                for name, path in pages.items():
                    for app, (_, url) in zip(apps, servers[1:]):
                        blank_time = load(blank_url)
                        results[str(app)]["空白页"].append(blank_time)
                        results[str(app)][name].append(load(url + path))
                        ratios[str(app)][name].append(results[str(app)][name][-1] / blank_time)
                        scripts[str(app)][name] = script_bytes[url + path]
            browser.close()
    finally:
        for proc, _ in servers:
            proc.terminate()
    busy_ratio = {str(app): {name: statistics.median(busy[url + path][1:]) / statistics.median(busy[blank_url])
                             for name, path in pages.items()} for app, (_, url) in zip(apps, servers[1:])}
    return results, ratios, scripts, busy_ratio


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) + f" (1/5/15 min, {os.cpu_count()} cores)"


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app", type=Path, action="append", help="checkout whose app.py is measured (repeatable)")
    parser.add_argument("--browser-only", action="store_true")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="page names to load (default: all)")
    args = parser.parse_args()
    pages = {name: PAGES[name] for name in args.pages}
    apps = [a.resolve() for a in (args.app or [ROOT])]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.browser_only:
            os.environ["PLANWATCH_DB"] = str(demo_database(tmp))
            apptest_reruns(args.runs)
        before = load_average()
        results, ratios, scripts, busy = browser_times(args.runs, apps, Path(tmp), pages)
    print(f"Chromium cold load to complete content at 1280x720, median of {args.runs} (x = median of each load ÷ the "
          "blank page loaded just before it; best = fastest load ÷ fastest blank load; JS = JavaScript fetched; "
          "busy = the browser's main-thread time (TaskDuration), median ÷ the blank page's: less sensitive to other "
          "jobs on the machine than wall time);")
    print(f"  load average at the start {before}, at the end {load_average()}")
    print(f"  {'page':8s}" + "".join(f"  {app.name[:45]:>45s}" for app in apps))
    for name in ["空白页", *pages]:
        cells = []
        for app in apps:
            times = results[str(app)][name]
            cell = f"{statistics.median(times) * 1000:6.0f} ms"
            if name != "空白页":
                best = min(times) / min(results[str(app)]["空白页"])
                cell += f" {statistics.median(ratios[str(app)][name]):4.2f}x best {best:4.2f}x"
            cell += f" {scripts[str(app)][name] / 1e6:4.1f} MB"
            cells.append(cell + (f" busy {busy[str(app)][name]:4.2f}x" if name != "空白页" else ""))
        print(f"  {name:8s}" + "".join(f"  {c:>45s}" for c in cells))


if __name__ == "__main__":
    main()
