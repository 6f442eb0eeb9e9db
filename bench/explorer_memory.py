"""数据探索 under attack: peak resident memory of the whole server (streamlit and its query workers) and the time
until the visitor reads the refusal, for the worst queries found; then four of them at once.

    python bench/explorer_memory.py

Runs `streamlit run app.py` on a fresh demo database and opens /explorer?sql=… in headless Chromium, sampling the
server's process tree every 5 ms (bench/rss.py). Target (issue 11): never past about 1.5 GB, never past the time
limit (5 s) plus the page's own time. Also prints what starting a query worker costs.
"""
import os
import statistics
import sys
import tempfile
import time
import urllib.parse

from common import ROOT, demo_database
from pages import CHROMIUM
from pages import _serve as serve
from rss import PeakRss

sys.path.insert(0, str(ROOT / "tests"))

from test_guard import BOMBS  # noqa: E402  (the same queries the tests assert on)

MB = 2**20
MAIN = "[data-testid='stMainBlockContainer']"
DONE = f"{MAIN} [data-testid='stAlertContentError'], {MAIN} [data-testid='stMetricValue']"
CONCURRENT = ["nested_repeat", "cross_join", "string_agg", "big_strings_many_rows"]


def worker_start(db, runs: int = 5) -> float:
    from planwatch import worker

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        w = worker.Worker(db)
        w.ready()
        times.append(time.perf_counter() - start)
        w.kill()
    return statistics.median(times)


def pool_alone(db) -> None:
    """The same queries straight on a pool of workers (no page, no browser): the time the engine is held."""
    from concurrent.futures import ThreadPoolExecutor

    from planwatch import guard

    sandbox = guard.Sandbox(db)
    sandbox.run("SELECT 1")

    def attempt(sql: str) -> tuple[float, str]:
        start = time.perf_counter()
        try:
            sandbox.run(sql)
            said = "(ran)"
        except guard.QueryRefused as exc:
            said = str(exc)
        return time.perf_counter() - start, said[:6]

    try:
        print(f"pool alone ({guard.worker.POOL_SIZE} workers), four at once:")
        with PeakRss(only=str(db)) as peak, ThreadPoolExecutor(4) as threads:
            answers = list(threads.map(attempt, [BOMBS[name] for name in CONCURRENT]))
        for name, (took, said) in zip(CONCURRENT, answers):
            print(f"  {name:24s} {took:5.1f}s  {said}")
        print(f"  workers' peak together: {peak.total / MB:.0f} MB")
    finally:
        sandbox.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(tmp)
        start_cost = worker_start(db)
        print(f"starting a query worker (load the sealed copy): {start_cost * 1000:.0f} ms (median of 5)")
        pool_alone(db)
        proc, base = serve(ROOT / "app.py", os.environ | {"PLANWATCH_DB": str(db)})
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**CHROMIUM)
                page = browser.new_page(viewport={"width": 1280, "height": 720})

                def url(sql: str) -> str:
                    return f"{base}/explorer?sql={urllib.parse.quote(sql)}"

                def visit(sql: str) -> tuple[float, int, str]:
                    with PeakRss(pid=proc.pid) as peak:
                        start = time.perf_counter()
                        page.goto(url(sql))
                        page.wait_for_selector(DONE, state="visible", timeout=120_000)
                        took = time.perf_counter() - start
                    errors = page.locator(f"{MAIN} [data-testid='stAlertContentError']")
                    said = errors.first.inner_text().splitlines()[-1] if errors.count() else "(ran)"
                    return took, peak.total, said

                visit("SELECT 1 AS n")  # the server, its first worker and the browser warm
                took, idle, _ = visit("SELECT region, count(*) AS n FROM v_indicator GROUP BY region")
                print(f"server tree, an ordinary query: {idle / MB:.0f} MB, page complete in {took:.1f} s")
                print(f"{'query':26s} {'peak MB':>8s} {'to refusal':>11s}  message (time: the whole page)")
                worst = 0
                for name, sql in BOMBS.items():
                    time.sleep(start_cost + 1)  # the replacement of a killed worker is ready: not part of the time
                    took, peak, said = visit(sql)
                    worst = max(worst, peak)
                    print(f"{name:26s} {peak / MB:8.0f} {took:10.1f}s  {said[:40]}")

                pages = [browser.new_page() for _ in CONCURRENT]
                with PeakRss(pid=proc.pid) as peak:
                    start = time.perf_counter()
                    for tab, name in zip(pages, CONCURRENT):
                        tab.goto(url(BOMBS[name]), wait_until="commit")
                    for tab in pages:
                        tab.wait_for_selector(DONE, state="visible", timeout=120_000)
                    took = time.perf_counter() - start
                said = [t.locator(f"{MAIN} [data-testid='stAlertContentError']").first.inner_text().splitlines()[-1][:6]
                        for t in pages]
                worst = max(worst, peak.total)
                print(f"{'four at once':26s} {peak.total / MB:8.0f} {took:10.1f}s  {' / '.join(said)}")
                print(f"worst peak of the server's process tree: {worst / MB:.0f} MB")
                browser.close()
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
