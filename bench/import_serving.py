"""Imports while the app serves: command-line import time with and without a running app, and how long until the
app's page shows the new value (Chromium reloading the indicator page). Prints medians.

    python bench/import_serving.py [--runs N]
"""
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, demo_database, runs_option

sys.path.insert(0, str(ROOT / "tests"))
from servers import streamlit_app  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

INDICATOR = "pingyang-women-k03"
LAUNCH = dict(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                                                          "--disable-background-networking"])


def cli_import(db: Path, value: float) -> float:
    csv_path = db.parent / "bench.csv"
    csv_path.write_text(f"indicator_id,year,value,note\n{INDICATOR},2024,{value},\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(db)], cwd=ROOT,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    runs = runs_option(5)
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(tmp)
        idle = [cli_import(db, 60 + run / 100) for run in range(runs)]
        serving, shown = [], []
        url_path = f"/indicator?id={INDICATOR}&year=2024"
        with streamlit_app(db) as url, sync_playwright() as p:
            browser = p.chromium.launch(**LAUNCH)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url + url_path)
            page.get_by_text("高等教育毛入学率").first.wait_for(timeout=60_000)
            for run in range(runs):
                value = 70 + run + 0.25
                serving.append(cli_import(db, value))
                landed = time.perf_counter()
                page.goto(url + url_path)
                page.get_by_text(f"{value:g}").first.wait_for(timeout=30_000)
                shown.append(time.perf_counter() - landed)
            browser.close()
    print(f"command-line import of one row ({runs} runs; includes Python start-up), medians:")
    print(f"  app not running        {statistics.median(idle):6.2f} s")
    print(f"  app serving            {statistics.median(serving):6.2f} s  (ratio {statistics.median(serving) / statistics.median(idle):.2f})")
    print(f"  page shows the value   {statistics.median(shown):6.2f} s after the import returned (one page load)")


if __name__ == "__main__":
    main()
