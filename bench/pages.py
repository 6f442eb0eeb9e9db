"""Page speed: warm AppTest reruns of every page, and time to content in headless Chromium against a blank page.

    python bench/pages.py [--runs N]

Targets (issue 5): every page's warm rerun under 0.5 s; time to content visible in Chromium at most 1.3x that
of a blank Streamlit page measured in the same run. Prints medians.
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

from common import ROOT, demo_database, runs_option

sys.path.insert(0, str(ROOT / "tests"))

PAGES = ["overview", "warnings", "domains", "regions", "units", "indicator", "catalogue", "method"]
CHROMIUM = dict(executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def apptest_reruns(runs: int) -> None:
    from apptest import open_page

    print(f"AppTest warm rerun (median of {runs}):")
    for page in PAGES:
        at = open_page(page, year="2024")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        print(f"  {page:10s} {statistics.median(times) * 1000:6.0f} ms")


def _serve(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], env=env, cwd=script.parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not start")


def browser_times(runs: int, db: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.py"
        blank.write_text("import streamlit as st\nst.title('空白页')\n", encoding="utf-8")
        env = os.environ | {"PLANWATCH_DB": str(db)}
        servers = [_serve(blank, env), _serve(ROOT / "app.py", env)]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**CHROMIUM)

                def time_to(url: str, selector: str) -> float:
                    context = browser.new_context()
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector(selector, state="visible", timeout=60_000)
                    took = time.perf_counter() - start
                    context.close()
                    return took

                main = "[data-testid='stMainBlockContainer']"
                targets = {
                    "blank page": (servers[0][1] + "/", f"{main} h1"),
                    "overview (metrics)": (servers[1][1] + "/?year=2024", f"{main} [data-testid='stMetricValue']"),
                    "overview (first chart)": (servers[1][1] + "/?year=2024", f"{main} .vega-embed"),
                    "indicator detail (chart)": (servers[1][1] + "/indicator?id=pingyang-women-k03&year=2024",
                                                 f"{main} .vega-embed"),
                }
                for url, selector in targets.values():  # warm both servers and the browser
                    time_to(url, selector)
                results = {name: [] for name in targets}
                for _ in range(runs):  # interleaved, so machine noise hits all alike
                    for name, (url, selector) in targets.items():
                        results[name].append(time_to(url, selector))
                browser.close()
        finally:
            for proc, _ in servers:
                proc.terminate()
        blank_median = statistics.median(results["blank page"])
        print(f"Chromium time to content (median of {runs}, fresh browser context each):")
        for name, values in results.items():
            median = statistics.median(values)
            print(f"  {name:26s} {median * 1000:6.0f} ms   {median / blank_median:4.2f}x blank")


def main() -> None:
    runs = runs_option(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(tmp)
        browser_db = Path(tmp) / "browser.duckdb"
        shutil.copy(db, browser_db)
        os.environ["PLANWATCH_DB"] = str(db)
        apptest_reruns(runs)
        browser_times(runs, browser_db)


if __name__ == "__main__":
    main()
