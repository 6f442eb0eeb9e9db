"""Screenshot pages of a running app in headless Chromium.

    python scripts/screenshots.py URL OUT_DIR path [path ...]
        WIDTH=1280 HEIGHT=720 (defaults; WIDTH=390 HEIGHT=844 for a phone), FULL=1 for the whole page,
        NO_CJK_FONTS=1 to run Chromium with fontconfig limited to DejaVu (as a PC without Chinese fonts)

The file name is the path with its parameters, plus the width (overview_1280.png, warnings_year-2024_390.png).
"""
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from pages import COMPLETE  # noqa: E402  (bench/pages.py: the script ended and every chart, grid and map drew)

CHROMIUM = dict(executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>"""


def no_cjk_fonts_env(folder: str) -> dict:
    """Environment for Chromium that sees only the DejaVu fonts (no CJK), as on a PC without Chinese fonts."""
    conf = Path(folder) / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=Path(folder) / "cache"), encoding="utf-8")
    return os.environ | {"FONTCONFIG_FILE": str(conf)}


def main(base: str, out: str, paths: list[str]) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    width, height = int(os.environ.get("WIDTH", 1280)), int(os.environ.get("HEIGHT", 720))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        env = no_cjk_fonts_env(tmp) if os.environ.get("NO_CJK_FONTS") else None
        browser = p.chromium.launch(**CHROMIUM, env=env)
        page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN",
                                device_scale_factor=1, is_mobile=width < 600, has_touch=width < 600)
        for path in paths:
            page.goto(base.rstrip("/") + "/" + path.lstrip("/"))
            page.wait_for_timeout(100)
            page.wait_for_function(COMPLETE, timeout=90_000, polling=50)
            page.wait_for_timeout(500)
            name = (path.strip("/").split("?")[0] or "overview").replace("/", "_")
            name += "_" + path.split("?")[1].replace("&", "_").replace("=", "-") if "?" in path else ""
            page.screenshot(path=f"{out}/{name}_{width}.png", full_page=bool(os.environ.get("FULL")))
            print(f"{out}/{name}_{width}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
