"""What every page shares: the cached connection, named queries, the sidebar filters kept in the URL, labels,
user text shown as text, rates, detail links and download buttons."""
from __future__ import annotations

import html
import importlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from planwatch import build, charts, db, downloads, explain, integers, streamlit_compat, svg
from planwatch.paths import default_db

GROUPS = ("妇女", "儿童")
ALL = "全部"  # the "no filter" choice (a selectbox cannot hold None as a chosen value)


@st.cache_resource(show_spinner="首次启动:正在从 data/ 构建数据库……")
def connection() -> db.Database:
    """One read-only view of the database per process (pages query through cursors); built on first start.
    It reopens by itself when a writer (this app, another app process, the command line) replaced the file."""
    path = default_db()
    build.ensure(path)
    return db.Database(path)


def data_version() -> tuple:
    """The identity of the database file being served: it changes with every write (from this process or
    another). Caches of whole-file work (the explorer's workers, the annual report) key on it."""
    return connection().version


@st.cache_data(show_spinner=False, max_entries=512)
def _run(name: str, params: tuple, version: tuple, _reader: db.Reader) -> pd.DataFrame:
    return db.run_query(_reader, name, **dict(params))


def region_version(region: str | None) -> tuple:
    """The version of the data filtered to a region (a code; None: the whole country): the key of a cache of
    region-scoped work. It changes when a write changes that region, one below it or one above it."""
    return connection().reader().versions.of(region)


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with named parameters ($name in the SQL); a result is cached until a write changes
    the regions its `region` filter covers (planwatch.versions: a write in one county keeps the other provinces'
    pages), and it is computed on the file whose version is its key."""
    reader = connection().reader()
    return _run(name, tuple(sorted(params.items())), reader.versions.of(params.get("region")), reader)


@dataclass(frozen=True)
class Filters:
    year: int
    group: str | None = None
    region: str | None = None
    domain: str | None = None
    unit: str | None = None
    region_name: str | None = None   # the name of the region (a code) for text; not a filter of its own

    def params(self) -> dict:
        return {"year": self.year, "group": self.group, "region": self.region, "domain": self.domain,
                "unit": self.unit}

    def url(self, **changes) -> dict:
        """The filters as URL parameters, for links to other pages that keep the same view (the year always, so
        that the link names its filters); `changes` replace some (None removes one)."""
        return {k: str(v) for k, v in {**self.params(), **changes}.items() if v is not None}


def page_filters() -> Filters:
    """The filters app.py set for this run (pages call this, never st.session_state["filters"] directly: the first
    request after the server starts may reach a page through Streamlit's legacy pages/ router, which skips app.py;
    streamlit_compat switches that router off and reruns through app.py)."""
    if "filters" not in st.session_state:
        streamlit_compat.rerun_through_app()
    return st.session_state["filters"]


# <html lang="zh-CN"> (Streamlit's page says "en": screen readers, font choice and translation prompts follow it),
# and less empty space above the title, so that 总览 shows 达标率, red warnings and the bars at 1280×720; the
# sidebar menu's spacing (navigation.menu), which on a phone closes the sidebar after a click; on a phone, a row
# of metrics (columns holding one st.metric each) stays three to a row with smaller figures instead of stacking
# into a tall column; small tables (table_html).
PAGE_SETUP = """<script>document.documentElement.lang = 'zh-CN';
if (!window.planwatchMenu) {  // on a phone, a click in the menu closes the sidebar (as Streamlit's own menu does)
  window.planwatchMenu = true;
  document.addEventListener("click", (event) => {
    if (window.innerWidth <= 768 && event.target.closest(".pw-menu a"))  // where the sidebar covers the page
      document.querySelector("[data-testid='stSidebarCollapseButton'] button")?.click();
    // A link of the app's own in st.html (./warnings?..., ./indicator?...) opens its page in this session, as
    // st.page_link does, instead of reloading the app (a new session: the whole start again). Streamlit's
    // back/forward handling (popstate) runs the page named by the URL with its query string.
    const link = event.target.closest("[data-testid='stHtml'] a[href^='./'], svg.pw-map a[href^='./']");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      window.history.pushState(null, "", link.getAttribute("href"));  // an SVG link's .href is not a string
      window.dispatchEvent(new PopStateEvent("popstate"));
      window.scrollTo(0, 0);
    }
  }, true);
}</script>
<style>[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }
.pw-menu { display: flex; flex-direction: column; gap: 0.125rem; }
.pw-menu p { margin: 0.4rem 0 0 0.5rem; font-size: 0.875rem; line-height: 1.4; color: rgba(49, 51, 63, 0.6); }
.pw-menu a { padding: 0.125rem 0.5rem; line-height: 1.4; border-radius: 0.5rem; color: inherit; text-decoration: none; }
.pw-menu a:hover { background: rgba(151, 166, 195, 0.15); }
.pw-menu a[aria-current] { background: rgba(151, 166, 195, 0.25); font-weight: 600; }
.pw-table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
.pw-table th { text-align: left; font-weight: 400; color: rgba(49, 51, 63, 0.6); }
.pw-table th, .pw-table td { padding: 0.25rem 0.375rem; border-bottom: 1px solid rgba(49, 51, 63, 0.1);
                             vertical-align: top; overflow-wrap: anywhere; }
.pw-table a { white-space: nowrap; }
.pw-wide { overflow-x: auto; }  /* a wide table scrolls sideways on a phone instead of squeezing its columns */
.pw-wide .pw-table { min-width: 50rem; }
.pw-wide .pw-table th { white-space: nowrap; }
.pw-wide .pw-table td { min-width: 3.6em; }
.pw-chip { display: inline-block; padding: 0 0.45rem; border-radius: 0.6rem; color: white; white-space: nowrap; }
/* Streamlit's file box speaks English ("Upload", "5MB per file • XLSX, CSV, TXT") and cannot be told otherwise:
   its words are hidden and Chinese ones drawn instead; each box's label names its formats and size limit. */
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p { font-size: 0; }
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid='stFileUploaderDropzoneInstructions'] span { font-size: 0; }
[data-testid='stFileUploaderDropzoneInstructions'] span::after { content: "或将文件拖到此处"; font-size: 0.875rem; }
@media (max-width: 640px) {
  [data-testid='stColumn']:has(> [data-testid='stVerticalBlock'] > [data-testid='stElementContainer']:only-child
                               > [data-testid='stMetric']) { min-width: calc(33.3% - 0.75rem); }
  [data-testid='stMetricValue'] { font-size: 1.5rem; }
  [data-testid='stMetricLabel'] p { font-size: 0.8rem; white-space: normal; }
  [data-testid='stMainBlockContainer'] h1 { font-size: 1.9rem; }
}</style>"""


def page_setup() -> None:
    """What every page gets from app.py: the document language and the top spacing (PAGE_SETUP). Drawn in the
    sidebar: an element in the main area would add a gap above the page's content."""
    st.sidebar.html(PAGE_SETUP, unsafe_allow_javascript=True, width="content")


def _options() -> dict:
    frame = query("filter_options")
    return {kind: dict(zip(g["value"], g["label"])) for kind, g in frame.groupby("kind", sort=False)}


# The region filter is a cascade of short selectboxes (province, then its cities, then their counties), each
# offering only regions with plans in or below them; its value is the deepest region chosen, by code (adcode).
REGION_LEVELS = 3   # province, city, county


def _level_label(children: list[str], tree: pd.DataFrame) -> str:
    ranks = set(tree.loc[children, "level_rank"])
    return {frozenset({1}): "地区", frozenset({2}): "下辖市", frozenset({3}): "下辖县(市、区)"}.get(
        frozenset(ranks), "下辖地区")


def region_tree() -> pd.DataFrame:
    """Regions with plans in or below them, by code: name, parent_code (None at the top), level_rank."""
    frame = query("region_options").set_index("region_code")
    return frame.astype(object).where(frame.notna(), None)


def resolve_region(raw: str, tree: pd.DataFrame) -> str | None:
    """A region code from a URL value: a code, or a name that only one region with plans has (old links)."""
    if raw in tree.index:
        return raw
    codes = tree.index[tree["name"] == raw]
    return codes[0] if len(codes) == 1 else None


def _ambiguous_region(name: str, tree: pd.DataFrame) -> str | None:
    """Why a region name in a URL is not enough, when several regions bear it (鼓楼区: 南京市, 福州市 …)."""
    codes = tree.index[tree["name"] == name]
    if len(codes) < 2:
        return None
    named = [f"{tree.at[tree.at[c, 'parent_code'], 'name'] if tree.at[c, 'parent_code'] else ''}{name}({c})"
             for c in codes[:4]]
    return f"对应 {len(codes)} 个地区({'、'.join(named)}{'等' if len(codes) > 4 else ''}),请用地区代码"


def region_chain(code: str, tree: pd.DataFrame) -> list[str]:
    """The region's code and its parents' (those with plans), the province first."""
    chain = []
    while code is not None:
        chain.insert(0, code)
        code = tree.at[code, "parent_code"]
    return chain


def _region_widgets(tree: pd.DataFrame) -> str | None:
    """Draw the cascade; the deepest region chosen, or None for all."""
    parent = chosen = None
    for depth in range(1, REGION_LEVELS + 1):
        key = f"filter_region_{depth}"
        children = list(tree.index[tree["parent_code"].isna()] if parent is None else
                        tree.index[tree["parent_code"] == parent])
        if not children:
            st.session_state.pop(key, None)
            continue
        if st.session_state.get(key) not in [ALL, *children]:
            st.session_state[key] = ALL
        shown_all = ALL if parent is None else f"全部({tree.at[parent, 'name']})"
        value = st.selectbox(_level_label(children, tree), [ALL, *children], key=key,
                             format_func=lambda c, a=shown_all: a if c == ALL else tree.at[c, "name"])
        if value == ALL:
            for deeper in range(depth + 1, REGION_LEVELS + 1):
                st.session_state.pop(f"filter_region_{deeper}", None)
            break
        parent = chosen = value
    return chosen


MAX_UNIT_OPTIONS = 100   # more units than this (several regions): choose a region first


def _unit_widget(region: str | None) -> tuple[str, str]:
    """The units of the chosen region (and below) — all of them only while they are few (the query then brings
    only the count and the unit already chosen, not the country's ~35,000); the chosen one and its label."""
    current = st.session_state.get("filter_unit", ALL)
    rows = query("unit_options", region=region, unit=None if current == ALL else current, most=MAX_UNIT_OPTIONS)
    n_units = int(rows["n_units"].iloc[0]) if len(rows) else 0
    rows = rows.dropna(subset=["value"])
    labels = dict(zip(rows["value"], rows["label"]))
    offered = [ALL, *labels]
    if current not in offered:
        st.session_state["filter_unit"] = ALL   # another region was chosen
    unit = st.selectbox("责任单位", offered, key="filter_unit", format_func=lambda v: labels.get(v, v),
                        help=f"共 {n_units} 个责任单位:请先选择地区" if n_units > MAX_UNIT_OPTIONS else None)
    return unit, labels.get(unit, unit)


def is_unit(value: str) -> bool:
    """A unit the unit filter can choose (one with indicators), checked without listing every unit."""
    return bool(query("unit_options", region=None, unit=value, most=0)["value"].notna().any())


# The filters' widget values, kept outside the widgets: a browser sends back only the values of widgets it has
# mounted, and the filter widgets are mounted only when their popover is opened, so on another page Streamlit
# would otherwise forget them.
KEPT = "filters_kept"


def filters() -> Filters:
    """Sidebar filters, read from and written back to the URL; a bad URL value gives a notice, not an error."""
    options = _options()
    tree = region_tree()
    years = sorted(int(y) for y in options["year"])
    default_year = int(query("default_year").iloc[0, 0])
    choices = {"group": list(GROUPS), "region": list(tree.index), "domain": list(options["domain"]),
               "unit": None, "year": years}   # a unit: checked by is_unit (the country has tens of thousands)
    labels = {"group": "规划类别", "region": "地区", "domain": "领域", "unit": "责任单位", "year": "截至年份"}
    # The URL wins when it names filters other than the ones this session last wrote there (a shared link, a
    # link or a chart click on another page); a URL without filters (the sidebar navigation) keeps the session's.
    from_url = {key: st.query_params.get(key) for key in choices}
    fresh = any(v is not None for v in from_url.values()) and from_url != st.session_state.get("filters_in_url")
    if not fresh:  # widget values the browser did not send back (their popover was never opened on this page)
        for state_key, value in st.session_state.get(KEPT, {}).items():
            st.session_state.setdefault(state_key, value)
    for key, allowed in choices.items():
        state_key = f"filter_{key}"
        if state_key in st.session_state and not fresh:
            continue
        raw = from_url[key]
        value = ALL if key != "year" else default_year
        if raw is not None:
            parsed = integers.whole_number(raw) if key == "year" else raw
            if key == "region":
                parsed = resolve_region(raw, tree)
            if is_unit(parsed) if key == "unit" else parsed in allowed:
                value = parsed
            else:
                why = _ambiguous_region(raw, tree) if key == "region" else None
                st.session_state.setdefault("url_notices", []).append(
                    f"网址参数 {key}={shorten(raw)} {why or '无效'},{labels[key]}已恢复为默认值。")
        st.session_state[state_key] = value
        if key == "region":
            chain = [] if value == ALL else region_chain(value, tree)
            for depth in range(1, REGION_LEVELS + 1):
                st.session_state[f"filter_region_{depth}"] = chain[depth - 1] if depth <= len(chain) else ALL

    keep_shown([k for k in st.session_state if k.startswith("filter_")])
    with st.sidebar:
        head = st.container(horizontal=True, vertical_alignment="center", key="filters_head")
        head.subheader("筛选")
        summary = st.empty()  # the filters in force, written once the widgets below have run
        # The widgets sit in a popover, whose content the browser mounts only when it is opened: five selectboxes
        # on the first screen made every new visitor fetch their JavaScript (about twenty files) before the page
        # was complete. The script still runs them, so their values, keys and URL parameters are as before.
        with head.popover("更改筛选", icon=":material/tune:"):
            group = st.selectbox("规划类别", [ALL, *GROUPS], key="filter_group")
            region = st.session_state["filter_region"] = _region_widgets(tree) or ALL
            domain = st.selectbox("领域", [ALL, *choices["domain"]], key="filter_domain")
            unit, unit_label = _unit_widget(None if region == ALL else region)
            year = st.selectbox("截至年份", years, key="filter_year", format_func=lambda v: f"{v}年")
    places = " › ".join(tree.at[c, "name"] for c in region_chain(region, tree)) if region != ALL else ALL
    summary.markdown(plain(f"规划类别:{group}\n地区:{places}\n领域:{domain}\n"
                           f"责任单位:{unit_label}\n截至年份:{year}年"))
    chosen = {k: (None if v == ALL else v) for k, v in
              {"group": group, "region": region, "domain": domain, "unit": unit}.items()}
    current = Filters(year=year, **chosen, region_name=tree.at[region, "name"] if region != ALL else None)
    for key in choices:
        value = getattr(current, key)
        if value is None or (key == "year" and value == default_year):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(value)
    st.session_state["filters_in_url"] = {key: st.query_params.get(key) for key in choices}
    st.session_state[KEPT] = {k: v for k, v in st.session_state.items() if k.startswith("filter_")}
    for notice in st.session_state.pop("url_notices", []):
        st.warning(plain(notice), icon=":material/link_off:")
    return current


def keep_shown(keys: list[str]) -> None:
    """Widgets in a popover show their current values when it is opened. The browser learns a widget's value only
    from the element the script sends (it keeps none of its own for a widget it has not mounted), and the element
    carries the value only when it was set through the session state in this run: without this, a popover opened
    after a rerun that another widget caused showed each widget's first option, and sent it back with the next
    change (the year became 2021)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def metrics(items, widths=None) -> None:
    """A row of figures, each (label, figure[, what it counts]): svg.metrics, st.metric's look without its code."""
    st.html(svg.metrics([(label, str(value), *rest) for label, value, *rest in items], widths))


def demo_notice(frame: pd.DataFrame | None = None, column: str = "latest_source_kind") -> None:
    """Say 示例数据 wherever demonstration values are shown."""
    if frame is None or (column in frame and (frame[column] == "示例").any()):
        st.info("**示例数据**:本页含系统生成的演示监测值(非真实统计),成员单位填报后替换。", icon=":material/science:")


# ---- user text is text -------------------------------------------------------------------------------------
# Streamlit reads the text of st.markdown, st.info/warning/error/success, st.caption, st.toast, labels of
# st.page_link and st.metric as Markdown: a link or an image in a value, a note or a file name would be live
# (an image is fetched by every viewer's browser). Text that comes from data or users goes through plain().
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&@])")


def plain(text) -> str:
    """Text shown literally inside Markdown: every ASCII punctuation mark (all of Markdown's syntax, Streamlit's
    :colour[...] and :icon: directives, $ for LaTeX, autolinked URLs) is backslash-escaped; line breaks are
    kept as line breaks. None and NaN read "—"."""
    if text is None or (isinstance(text, float) and text != text):
        return MISSING
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in lines)


def shorten(text, limit: int = 40) -> str:
    """A value echoed back to the user (a bad URL parameter, a search word) at most `limit` characters long."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[:limit] + f"…(共 {len(text)} 个字符)"


# ---- numbers ------------------------------------------------------------------------------------------------
MISSING = "—"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT


def rate(value, digits: int = 0) -> str:
    """A share as a percentage ("37%"); "—" when there is none; never "-0%"."""
    return MISSING if is_missing(value) else explain.share(value, digits)


def count(n) -> str:
    """A count as a headline figure: with a thousands separator below 10,000 (4,823, as every list prints counts),
    then in 万 with one decimal below 10万 (86,952 → 8.7万, 224,310 → 22万), so that national figures fit their
    column at 1280 px (the exact count goes in its help)."""
    n = float(n)
    if n < 1e4:
        return f"{n:,.0f}"
    wan = f"{n / 1e4:.1f}" if round(n / 1e4, 1) < 10 else f"{n / 1e4:.0f}"
    return wan.removesuffix(".0") + "万"


def number(value, unit: str | None = None) -> str:
    """A value with its unit as printed ("29.6%", "12.5万人"); "—" when there is none; never "-0"."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):g}"
    return (text[1:] if text in ("-0", "-0.0") else text) + (unit or "")


# ---- charts -------------------------------------------------------------------------------------------------
LEVEL_MARKERS = {"红": ":red[●]", "黄": ":orange[●]", "灰": ":gray[●]"}


def chart_spec(builder, *args, size: int = 15, **kwargs) -> dict:
    """The themed Vega-Lite spec of a planwatch.charts builder, made once per data and arguments (Altair's
    validation is most of a rerun's time); draw it with st.vega_lite_chart."""
    return _chart_spec(f"{builder.__module__}:{builder.__qualname__}", args, tuple(sorted(kwargs.items())), size)


@st.cache_data(show_spinner=False, max_entries=128)
def _chart_spec(builder: str, args: tuple, kwargs: tuple, size: int) -> dict:
    module, name = builder.split(":")
    return charts.themed(getattr(importlib.import_module(module), name)(*args, **dict(kwargs)), size=size).to_dict()


def progress(value) -> str:
    """目标进程 (share of the way from baseline to target): "已超目标" past 100% (not "475%"), else a rate."""
    return "已超目标" if not is_missing(value) and float(value) > 1 else rate(value)


def as_chips(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The frame with `column` as one-item lists, for chip_column (display only; downloads keep the text)."""
    return frame.assign(**{column: frame[column].map(lambda v: [v])})


def chip_column(colours: dict[str, str], **kwargs) -> st.column_config.MultiselectColumn:
    """Cells shown as coloured chips (级别 红/黄/灰, 状态): column_config, not a pandas Styler (no per-cell CSS)."""
    return st.column_config.MultiselectColumn(options=list(colours), color=list(colours.values()), **kwargs)


# ---- tables -------------------------------------------------------------------------------------------------
SERIES_COLUMNS = {"year": "年份", "value": "数值", "value_text": "文字报告", "source_kind": "来源", "batch_id": "批次",
                  "note": "备注"}


def shown(frame: pd.DataFrame, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table for display: a missing value reads "—" (Streamlit would show "None"), a date or time as a reader
    writes it (2026-03-31, or 2026-03-31 09:05; not 2026-03-31 00:00:00). Columns in `keep` stay as they are (a
    column a column_config draws)."""
    out = frame.copy()
    for column in out.columns:
        if column in keep:
            continue
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            times = out[column]
            pattern = "%Y-%m-%d" if (times.dropna() == times.dropna().dt.normalize()).all() else "%Y-%m-%d %H:%M"
            out[column] = times.dt.strftime(pattern).astype(object).where(times.notna(), MISSING)
        elif out[column].isna().any():
            if pd.api.types.is_numeric_dtype(out[column]):
                out[column] = out[column].map(number)
            else:
                out[column] = out[column].astype(object).where(out[column].notna(), MISSING)
    return out


def static_table(frame: pd.DataFrame, wide: bool = False) -> None:
    """A table as escaped HTML in st.html: neither the data grid's code nor st.table's (Arrow formatting,
    0.8 MB of JavaScript on a cold load) is needed. Numbers as printed (ui.number), missing values as "—"; links
    and chips as in table_html. `wide`: many columns, which keep their width and scroll sideways (.pw-wide)."""
    st.html(f"<div class='pw-wide'>{table_html(frame)}</div>" if wide else table_html(frame))


def table_html(frame: pd.DataFrame) -> str:
    """The frame as an HTML table of class pw-table (styled in PAGE_SETUP), every cell escaped but the links and
    chips of planwatch.svg (svg.link, svg.chip)."""
    def cell(value) -> str:
        if isinstance(value, svg.Markup):  # a link or chip made (and escaped) by planwatch.svg
            return value.html
        if isinstance(value, float) or is_missing(value):
            value = number(value)
        return html.escape(str(value)).replace("\n", "<br>")

    head = "".join(f"<th>{cell(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False, name=None))
    return f"<table class='pw-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def as_links(frame: pd.DataFrame, column: str = "详情", text: str | None = "查看 →") -> pd.DataFrame:
    """The frame with the URLs of `column` as link cells (svg.link) reading `text` (None: the URL itself), for
    table_html; an empty cell stays "—"."""
    return frame.assign(**{column: [svg.link(url, url if text is None else text) if _linkable(url) else MISSING
                                     for url in frame[column]]})


def _linkable(url) -> bool:
    """A page of this app or a web address (never javascript: and the like)."""
    return isinstance(url, str) and url.lower().startswith(("./", "http://", "https://"))


# Words of the curators' shorthand in notes (data/plans/*.csv), as a reader would say them.
NOTE_WORDS = {"direction": "方向", "keep": "保持在某水平", "higher": "越高越好", "lower": "越低越好",
              "canonical_id": "通用指标", "canonical": "通用指标", "target_value": "目标值", "target_year": "目标年",
              "op": "目标符号", "id": "编号"}


def curator_note(note) -> str:
    """A curator's note in Chinese: field names and direction codes in words, shared measure ids by name."""
    if is_missing(note):
        return MISSING
    names = dict(query("canonical_names").itertuples(index=False))
    words = {**NOTE_WORDS, **{k: f"“{v}”" for k, v in names.items()}}
    return re.sub(r"(?<![A-Za-z0-9_-])([A-Za-z_]+)(?![A-Za-z0-9_-])", lambda m: words.get(m[1], m[1]), str(note))


# ---- links and downloads ------------------------------------------------------------------------------------
def page_url(url_path: str, filters: Filters, **changes) -> str:
    """URL of a page (relative, so it works behind any host) with the filters (`changes` replace some), for links
    in HTML (svg.stacked_bars, table_html): PAGE_SETUP makes a click on one open the page in the same session."""
    return f"./{url_path}?" + urlencode(filters.url(**changes))


def indicator_link(indicator_id: str, filters: Filters | None = None) -> str:
    """URL of an indicator's detail page (relative, so it works behind any host), keeping the filters."""
    return "./indicator?" + urlencode({"id": indicator_id, **(filters.url() if filters else {})})


DETAIL = "详情"


def with_detail_links(frame: pd.DataFrame, filters: Filters, column: str = "indicator_id") -> pd.DataFrame:
    """The frame with a 详情 column linking each row's indicator (keeping year, region and the other filters)."""
    return frame.assign(**{DETAIL: frame[column].map(lambda i: indicator_link(i, filters))})


def detail_column() -> st.column_config.LinkColumn:
    """Column config of the 详情 links: each cell reads 查看 →."""
    return st.column_config.LinkColumn(DETAIL, display_text="查看 →", width="small")


def download_menu(frame, name: str, sheet_name: str, label: str = "下载", formats=("csv", "xlsx")) -> None:
    """download_buttons in a popover opened by `label`: the browser mounts them, and fetches the download button's
    code, only when it is opened (a page whose point is not its files keeps them off its first screen)."""
    with st.popover(label, icon=":material/download:"):
        download_buttons(frame, name, sheet_name, formats)


def download_buttons(frame, name: str, sheet_name: str, formats=("csv", "xlsx")) -> None:
    """下载 CSV / 下载 Excel side by side; each file is made only when its button is clicked. `frame` is a
    DataFrame or a function returning one (called on click: a long list is fetched only then, paging.every_row)."""
    rows = frame if callable(frame) else lambda: frame
    made = {"csv": ("下载 CSV", lambda: downloads.csv_bytes(rows()), downloads.CSV_MIME,
                    "UTF-8(带 BOM),Excel 可直接打开"),
            "xlsx": ("下载 Excel", lambda: downloads.xlsx_bytes(rows(), sheet_name=sheet_name), downloads.XLSX_MIME,
                     "首行冻结并带筛选")}
    row = st.container(horizontal=True)
    for ext in formats:
        label, data, mime, help_text = made[ext]
        row.download_button(label, data, file_name=f"{name}.{ext}", mime=mime, on_click="ignore",
                            icon=":material/download:", help=help_text)
