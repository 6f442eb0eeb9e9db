"""Make the web font that the app serves to browsers (static/fonts/), from the report font.

    pip install 'fonttools[woff]' && python scripts/webfont.py

PCs without Chinese fonts (a Linux projector PC, a fresh 麒麟 install) would show boxes: the app serves WenQuanYi
Micro Hei (planwatch/report/fonts/, Apache-2.0) as WOFF2 in two parts, declared in .streamlit/config.toml
([[theme.fontFaces]] with unicodeRange, so a browser downloads a part only when a page uses one of its characters):
- common: ASCII, punctuation and symbols, the 3,755 level-1 Hanzi of GB 2312 and every character that the app's
  own text and data use (pages, planwatch, queries, data); almost every page needs only this part;
- rest: every other character of the font (the level-2 and GBK Hanzi a clerk's note may hold).
Run it again after adding data with rare characters; it rewrites the two files and the unicodeRange lines.
"""
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "planwatch/report/fonts/wqy-microhei.ttc"
OUT = ROOT / "static/fonts"
CONFIG = ROOT / ".streamlit/config.toml"
FAMILY = "WenQuanYi Micro Hei Web"


def gb2312_level1() -> set[int]:
    chars = set()
    for row in range(0xB0, 0xD8):  # rows 16-55: level-1 Hanzi, in pinyin order
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def used_by_the_app() -> set[int]:
    chars = set()
    for folder, pattern in (("pages", "*.py"), ("planwatch", "**/*.py"), ("queries", "**/*.sql"), ("data", "**/*"),
                            (".", "app.py")):
        for path in (ROOT / folder).glob(pattern):
            if path.is_file() and path.suffix in (".py", ".sql", ".csv", ".json", ".md", ".toml", ".txt"):
                chars |= {ord(c) for c in path.read_text(encoding="utf-8", errors="ignore")}
    return chars


def ranges(codepoints: list[int]) -> str:
    """CSS unicode-range of sorted code points, runs merged: "U+20-7E, U+4E00, …"."""
    parts, start = [], None
    for i, cp in enumerate(codepoints):
        if start is None:
            start = cp
        if i + 1 == len(codepoints) or codepoints[i + 1] != cp + 1:
            parts.append(f"U+{start:X}" if start == cp else f"U+{start:X}-{cp:X}")
            start = None
    return ", ".join(parts)


def write(font_path: Path, codepoints: list[int], out: Path) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    font = TTCollection(str(font_path)).fonts[0]
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    subset.save_font(font, str(out), options)


def main() -> None:
    face = TTCollection(str(SOURCE)).fonts[0]
    available = set(face.getBestCmap())
    common = sorted(available & (set(range(0x20, 0x2FFF)) | set(range(0x3000, 0x303F)) | set(range(0xFF00, 0xFFEF))
                                 | gb2312_level1() | used_by_the_app()))
    rest = sorted(available - set(common))
    OUT.mkdir(parents=True, exist_ok=True)
    write(SOURCE, common, OUT / "wqy-microhei-common.woff2")
    write(SOURCE, rest, OUT / "wqy-microhei-rest.woff2")
    # The rest first, with the font's whole coverage as its range (short); where two faces cover a character the
    # browser checks the one declared last first, so it fetches the rest only for a character not in common.
    faces = "".join(
        f'[[theme.fontFaces]]\nfamily = "{FAMILY}"\nurl = "app/static/fonts/wqy-microhei-{part}.woff2"\n'
        f'unicodeRange = "{ranges(points)}"\n\n'
        for part, points in (("rest", sorted(available)), ("common", common)))
    config = CONFIG.read_text(encoding="utf-8")
    begin, end = "# --- web font (scripts/webfont.py) ---\n", "# --- end of web font ---\n"
    block = begin + faces + end
    config = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, config, flags=re.S) \
        if begin in config else config.rstrip("\n") + "\n\n" + block
    CONFIG.write_text(config, encoding="utf-8")
    for path in sorted(OUT.glob("*.woff2")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
