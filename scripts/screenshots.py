"""Screenshot pages of a running app in headless Chromium.

    python scripts/screenshots.py URL OUT_DIR path [path ...]     (PAGE_HEIGHT=2400 for a tall window)

Streamlit scrolls inside its own container, so a taller window is how to see a whole page.
"""
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = dict(executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def main(base: str, out: str, paths: list[str]) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(**CHROMIUM)
        page = browser.new_page(viewport={"width": 1440, "height": int(os.environ.get("PAGE_HEIGHT", 1000))}, locale="zh-CN")
        for path in paths:
            page.goto(base.rstrip("/") + "/" + path.lstrip("/"))
            page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
            page.wait_for_timeout(2500)  # charts draw after the first paint
            name = (path.strip("/").split("?")[0] or "overview").replace("/", "_")
            name += "_" + path.split("?")[1].replace("&", "_").replace("=", "-") if "?" in path else ""
            page.screenshot(path=f"{out}/{name}.png", full_page=True)
            print(f"{out}/{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
