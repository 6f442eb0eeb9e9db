"""What each kind of element costs a new visitor: a blank page plus one element kind, cold, against a blank page.

    python bench/element_cost.py [--runs N] [--kinds KIND ...]

Same method as bench/pages.py (a fresh browser context per load, until the content is complete; each load right
after a load of the blank page, the median of the ratios): the blank page is one st.title on a server without the
app's configuration; every other row is served by one tiny script (`?kind=...`) run with the app's configuration
(.streamlit/config.toml: the web font, the toolbar) on a demo database, drawing the title and one kind of element
as the pages draw it. "app config" is that script with no element: what the configuration alone costs. The
sidebar rows (navigation, menu, page setup, filters, shell) are what every page of the app pays; menu_page_links is
the menu as it was (a st.page_link per page), popover/expander_x5_sidebar five selectboxes folded away.
"""
import os
import statistics
import sys
import tempfile
from pathlib import Path

from common import ROOT
from pages import CHROMIUM, build_demo, cold_load, load_average, serve

# One element kind per ?kind=; the code runs after st.title (the page's h1, which the "complete" test waits for).
SCRIPT = r'''
import sys
sys.path.insert(0, {root!r})
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False  # pages/ is linked for st.navigation only (no legacy router)
kind = st.query_params.get("kind", "none")
st.set_page_config(page_title="元素", layout="wide")
if kind in ("navigation", "menu", "menu_page_links", "shell"):
    from planwatch import navigation
    st.navigation(navigation.st_pages(), position="hidden")
st.title("元素")
frame = pd.DataFrame({{"地区": [f"地区{{i}}" for i in range(20)], "指标": ["孕产妇死亡率"] * 20,
                      "数值": [i * 1.5 for i in range(20)], "原因": ["按近三年趋势2025年约为55%,低于目标70%"] * 20}})
if kind == "vega_lite_chart":
    from planwatch import charts
    counts = pd.DataFrame({{"category": [f"地区{{i}}" for i in range(8) for _ in range(2)],
                           "status": ["已达标", "进度滞后"] * 8, "n": [3, 5] * 8}})
    st.vega_lite_chart(charts.themed(charts.status_bars(counts, "category", "各地区")).to_dict(), width="stretch")
elif kind == "dataframe":
    st.dataframe(frame, hide_index=True, width="stretch")
elif kind == "multiselect":
    st.multiselect("级别", ["红", "黄", "灰"], placeholder="全部级别")
elif kind == "selectbox":
    st.selectbox("截至年份", [2024, 2023, 2022])
elif kind == "selectbox_x5_sidebar":
    for label in ("规划类别", "地区", "领域", "责任单位", "截至年份"):
        st.sidebar.selectbox(label, ["全部", "甲", "乙"])
elif kind in ("popover_x5_sidebar", "expander_x5_sidebar"):  # the filters folded away until opened
    with (st.sidebar.popover("筛选") if kind.startswith("popover") else st.sidebar.expander("筛选")):
        for label in ("规划类别", "地区", "领域", "责任单位", "截至年份"):
            st.selectbox(label, ["全部", "甲", "乙"])
elif kind == "segmented_control_sidebar":
    st.sidebar.segmented_control("规划类别", ["全部", "妇女", "儿童"], default="全部")
elif kind == "page_link":
    st.page_link("https://example.org/warnings?year=2024", label="查看全部 12 条预警 →")
elif kind == "metric":
    st.metric("达标率", "37%", help="已达标 ÷ 已评估")
elif kind == "metric_row":  # 预警清单's four figures as st.metric draws them
    for col, (label, value) in zip(st.columns(4), (("预警总数", "194"), ("红色预警", "96"), ("黄色预警", "38"),
                                                    ("灰色预警", "60"))):
        col.metric(label, value, help="说明")
elif kind == "metric_row_html":  # the same four as one block of HTML (svg.metrics)
    from planwatch import svg
    st.html(svg.metrics([("预警总数", "194", "说明"), ("红色预警", "96", "说明"), ("黄色预警", "38", "说明"),
                         ("灰色预警", "60", "说明")]))
elif kind == "html":
    st.html("<div style='font-size:.85rem'><span style='color:#009E73'>■</span> 已达标</div>")
elif kind == "html_svg":
    from planwatch import charts, svg
    rows = pd.DataFrame({{"label": [f"地区{{i}} 妇女 {{i * 9}}%({{i}}/12)" for i in range(8)],
                         "href": [f"./warnings?region=r{{i}}&year=2024" for i in range(8)],
                         "已达标": [i for i in range(8)], "进度滞后": [5] * 8, "无数据": [1] * 8}})
    st.html(svg.stacked_bars(rows, ["已达标", "进度滞后", "无数据"], charts.STATUS_COLORS, "各地区"))
elif kind == "html_table":  # 50 rows of 11 columns, as 预警清单 draws its first view
    from planwatch import ui
    st.html("<div class='pw-wide'>" + ui.table_html(pd.concat([frame] * 3).head(50).assign(
        **{{c: "示例" for c in ("类型", "规划", "责任单位", "状态", "领域", "数据来源", "级别")}})) + "</div>")
elif kind == "markdown":
    st.markdown("**原因**:按近三年趋势2025年约为55%,低于目标70%")
    st.caption("说明文字")
elif kind == "subheader":
    st.subheader("最紧急的红色预警")
elif kind == "alert":
    st.info("**示例数据**:本页含系统生成的演示监测值", icon=":material/science:")
elif kind == "toggle":
    st.toggle("显示状态变化明细")
elif kind == "checkbox":
    st.checkbox("表格视图")
elif kind == "pagination":
    st.pagination(5, key="p", max_visible_pages=7)
elif kind == "columns":
    left, right = st.columns(2)
    left.write("左")
    right.write("右")
elif kind == "horizontal_container":
    row = st.container(horizontal=True)
    row.write("甲")
    row.write("乙")
elif kind == "expander":
    with st.expander("更多"):
        st.write("内容")
elif kind == "popover":
    with st.popover("筛选"):
        st.write("内容")
elif kind == "segmented_control":
    st.segmented_control("级别", ["红", "黄", "灰"], selection_mode="multi")
elif kind == "pills":
    st.pills("级别", ["红", "黄", "灰"], selection_mode="multi")
elif kind == "tabs":
    one, two = st.tabs(["规划", "地区"])
    one.write("甲")
    two.write("乙")
elif kind == "text_input":
    st.text_input("查找指标", placeholder="名称、地区或规划")
elif kind == "download_button":
    st.download_button("下载 CSV", b"a,b\n", file_name="a.csv", on_click="ignore", icon=":material/download:")
elif kind == "button":
    st.button("确定")
elif kind == "sidebar":
    st.sidebar.caption("侧栏")
elif kind == "page_setup":
    from planwatch import ui
    ui.page_setup()
elif kind == "menu":
    from planwatch import navigation
    navigation.menu(None, "overview")
elif kind == "menu_page_links":  # the menu as it was: a caption per section and a st.page_link per page
    from planwatch import navigation
    with st.sidebar.container(key="menu"):
        for i, spec in enumerate(navigation.role_pages(None)):
            if i == 0 or spec.section != navigation.role_pages(None)[i - 1].section:
                st.caption(spec.section)
            st.page_link(spec.script, label=spec.title, icon=spec.icon)
elif kind == "filters":
    from planwatch import ui
    ui.filters()
elif kind == "shell":  # what every page of the app draws around its content (app.py)
    from planwatch import navigation, ui
    ui.page_setup()
    navigation.menu(None, "overview")
    ui.filters()
'''

KINDS = ["none", "vega_lite_chart", "dataframe", "multiselect", "selectbox", "selectbox_x5_sidebar", "popover_x5_sidebar",
         "expander_x5_sidebar", "segmented_control_sidebar", "page_link",
         "metric", "html", "html_svg", "html_table", "markdown", "subheader", "alert", "toggle", "checkbox",
         "pagination", "columns", "horizontal_container", "expander", "popover", "segmented_control", "pills", "tabs",
         "text_input", "download_button", "button", "sidebar", "page_setup", "navigation", "menu_page_links", "menu", "filters", "shell"]


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kinds", nargs="*", default=KINDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "blank").mkdir()
        blank = folder / "blank" / "blank.py"
        blank.write_text("import streamlit as st\nst.title('空白页')\n", encoding="utf-8")
        (folder / "elements").mkdir()
        for name in ("pages", "static", ".streamlit"):
            (folder / "elements" / name).symlink_to(ROOT / name)
        script = folder / "elements" / "elements.py"
        script.write_text(SCRIPT.format(root=str(ROOT)), encoding="utf-8")
        db = build_demo(ROOT, folder / "demo.duckdb")
        servers = [serve(blank, dict(os.environ)),
                   serve(script, os.environ | {"PLANWATCH_DB": str(db), "PYTHONPATH": str(ROOT)})]
        start_load = load_average()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**CHROMIUM)
                blank_url, elements_url = servers[0][1] + "/", servers[1][1] + "/?kind="
                cold_load(browser, blank_url)
                for kind in args.kinds:  # warm the server (imports, caches) once per kind
                    cold_load(browser, elements_url + kind)
                ratios, busy = {kind: [] for kind in args.kinds}, {kind: [] for kind in ["空白页", *args.kinds]}
                blanks, js = [], {}
                for _ in range(args.runs):
                    for kind in args.kinds:
                        cpu = {}
                        took_blank, js["空白页"] = cold_load(browser, blank_url, cpu)
                        busy["空白页"].append(cpu["task"])
                        took, js[kind] = cold_load(browser, elements_url + kind, cpu)
                        busy[kind].append(cpu["task"])
                        blanks.append(took_blank)
                        ratios[kind].append(took / took_blank)
                browser.close()
        finally:
            for proc, _ in servers:
                proc.terminate()
    blank_busy = statistics.median(busy["空白页"])
    print(f"Cold load of a blank page plus one element kind ÷ the blank page loaded just before it, median of "
          f"{args.runs}; blank page {statistics.median(blanks) * 1000:.0f} ms, {js['空白页'] / 1e6:.1f} MB JS, "
          f"main thread CPU {blank_busy * 1000:.0f} ms (cpu = Chromium's ThreadTime, median, as a multiple of "
          "the blank page's: far less sensitive to other jobs than wall time)")
    print(f"  load average at the start {start_load}, at the end {load_average()}")
    floor = statistics.median(ratios["none"]) if "none" in ratios else 1.0
    for kind in args.kinds:
        ratio = statistics.median(ratios[kind])
        print(f"  {kind:22s} {ratio:5.2f}x  (+{ratio - floor:5.2f} over 'none')  JS {js[kind] / 1e6:4.1f} MB  "
              f"cpu {statistics.median(busy[kind]) / blank_busy:4.2f}x")


if __name__ == "__main__":
    sys.exit(main())
