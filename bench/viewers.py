"""Many viewers: several `streamlit run` processes over one synthetic database, 1, 4 and 8 viewers loading a page at
the same moment (each a fresh Chromium context, until the content is complete: bench/pages.py's COMPLETE), once
with the apps' caches warm and once while a 1,000-row import lands (the new file empties every cache). Prints
the load times (median and slowest) and the app processes' peak RSS.

    python bench/viewers.py [--regions 500] [--apps 2] [--viewers 1,4,8] [--page "/?year=2025"] [--dir var/scale]

The database is var/scale/synth-N.duckdb, made by `synth` when missing (bench/scale.py leaves it there).
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


async def load(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=300_000)
    await page.wait_for_timeout(50)  # let the script run start before asking whether it ended
    await page.wait_for_function(COMPLETE, timeout=300_000, polling=50)
    took = time.perf_counter() - start
    await context.close()
    return took


def show(n: int, times: list[float], importing: float | None) -> None:
    during = f"while an import lands ({importing:.1f} s)" if importing else "caches warm"
    print(f"  {n} viewer{'s' if n > 1 else ' '}  median {statistics.median(times):6.2f}  slowest {max(times):6.2f}   "
          f"{during}", flush=True)


async def rounds(urls: list[str], viewers: list[int], path: Path, csv_path: Path) -> None:
    """Each number of viewers twice: caches warm, then while an import lands; prints each round."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(**CHROMIUM)
        await asyncio.gather(*(load(browser, url) for url in urls))  # warm every app's caches
        for n in viewers:
            targets = [urls[i % len(urls)] for i in range(n)]
            show(n, await asyncio.gather(*(load(browser, u) for u in targets)), None)
            start = time.perf_counter()
            importing = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "planwatch", "import", str(csv_path), "--db", str(path), "--resubmit",
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times = await asyncio.gather(*(load(browser, u) for u in targets), importing.wait())
            show(n, times[:-1], time.perf_counter() - start)
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=500)
    parser.add_argument("--apps", type=int, default=2)
    parser.add_argument("--viewers", default="1,4,8")
    parser.add_argument("--page", default="/?year=2025", help="URL path of the page every viewer loads")
    parser.add_argument("--dir", default=str(ROOT / "var" / "scale"))
    args = parser.parse_args()
    path = Path(args.dir) / f"synth-{args.regions}.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "planwatch", "synth", "--db", str(path), "--regions",
                        str(args.regions)], cwd=ROOT, check=True)
    csv_path = import_file(path, path.parent)
    with db.open_reader(path) as reader:
        n_obs = reader.cursor().execute("SELECT count(*) FROM observation").fetchone()[0]
    print(f"{args.apps} app processes over synth-{args.regions} ({n_obs:,} observations, "
          f"{path.stat().st_size / 1e6:.0f} MB), page {args.page}; load to complete content, seconds:", flush=True)
    with ExitStack() as stack, PeakRss(only="streamlit") as peak:
        urls = [stack.enter_context(streamlit_app(path)) + args.page for _ in range(args.apps)]
        asyncio.run(rounds(urls, [int(v) for v in args.viewers.split(",")], path, csv_path))
    print(f"load average over the last 5 minutes: {os.getloadavg()[1]:.1f}")
    print(f"app processes' peak RSS: largest {peak.largest_child / 1e6:.0f} MB, all together {peak.total / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
