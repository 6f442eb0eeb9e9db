"""What 数据探索 (pages/explorer.py) draws and runs: the analysts' queries through planwatch.guard (a worker pool per
server, a bounded cache of every visitor's results), the saved queries' parameter inputs, and a result as figures,
a table, a quick chart on demand and CSV / Excel / Parquet files. The page itself lays out its three tabs.
"""
from __future__ import annotations

import io
import re
import weakref
from collections.abc import Callable

import altair as alt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from planwatch import charts, downloads, guard, saved, ui
from planwatch.paths import default_db

ALL = ui.ALL
# openpyxl needs about a second per 100,000 cells, in the app's own process; larger results: CSV or Parquet (20,000
# rows of 200 columns took 38 s of the server's CPU)
XLSX_MAX_ROWS, XLSX_MAX_CELLS = 20_000, 400_000
CHART_MAX_BARS = 40
EXPIRED = "该查询结果已不在缓存中(其他查询占用了结果缓存),请重新运行查询后再下载。"
HTML_ROWS = 100  # a result of at most this many rows is drawn as an HTML table; a longer one in the data grid
CELL_CHARS = 1000  # characters of a text cell shown on the page (the files keep every one): three cells of
# repeat('x', 10000000) had made a 30 MB page that took the browser 27 s
PAGE_CHARS, MIN_CELL_CHARS = 2_000_000, 20  # all text cells shown together; a cell keeps at least MIN_CELL_CHARS
MAX_OPTIONS = 100  # a parameter with more choices (regions at national scale) is typed, not picked
RESULT_CACHE_BYTES = 128 * 2**20  # all visitors' cached results together
PLAN_VIEWS = {"v_indicator", "v_reference"}  # views without monitoring values (so without 示例数据)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
AUTOLINK = re.compile(r"://|(?i:www)\.|@")
DEMO_SQL = "SELECT count(*) > 0 FROM v_observation WHERE source_kind = '示例'"
TAB_SAVED, TAB_SQL, TAB_SCHEMA = "常用查询", "SQL 查询", "数据字典"
EXAMPLE = "SELECT region, count(*) AS 指标数\nFROM v_indicator\nGROUP BY region\nORDER BY 指标数 DESC"


@st.cache_resource(show_spinner=False)
def sandbox(db_path: str) -> guard.Sandbox:
    """The worker processes that run analysts' queries on a sealed copy of the public views (one pool per server)."""
    return guard.Sandbox(db_path)


@st.cache_resource(show_spinner=False)
def answers() -> guard.ResultCache:
    """Recent results and refusals of every visitor, bounded in bytes (results hold up to MAX_ROWS rows each)."""
    return guard.ResultCache(RESULT_CACHE_BYTES)


def run(sql: str, params: dict) -> tuple[guard.Result | None, str | None]:
    """A result or the refusal message. Refusals that may pass on another try (time, memory, busy) are not kept."""
    version = ui.data_version()
    key = (sql, tuple(sorted(params.items())), version)
    answer = answers().get(key)
    if answer is not None:
        return answer
    box = sandbox(str(default_db()))
    box.follow(version)
    try:
        with st.spinner("正在查询……"):
            result = box.run(sql, params)
    except guard.QueryRefused as exc:
        if not exc.transient:
            answers().put(key, (None, str(exc)), len(str(exc)) * 4)
        return None, str(exc)
    answers().put(key, (result, None), result.nbytes)
    return result, None


def plain(text: str) -> str:
    """Text for st.error / st.warning shown as typed: a refusal quotes the visitor's SQL (a shared link), whose
    Markdown (links, images, emphasis) and bare URLs (GFM autolinks) must not render."""
    text = AUTOLINK.sub(lambda m: m[0][:-1] + "\u200b" + m[0][-1], text)  # a zero-width space breaks bare URLs
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def demo_notice(sql: str) -> None:
    """示例数据 when the query reads observation-based views and the database holds demonstration values."""
    try:
        views = set(guard.check(sql).views)
    except guard.QueryRefused:
        return
    if views - PLAN_VIEWS and (choices(DEMO_SQL) or [False])[0]:
        ui.demo_notice()


def choices(sql: str) -> list:
    return choices_with(sql, {})


def choices_with(sql: str, params: dict) -> list:
    result, _ = run(sql, params)
    return [] if result is None else result.frame.iloc[:, 0].tolist()


def param_inputs(names: tuple[str, ...], query: saved.SavedQuery | None, default_year: int) -> dict:
    """One input per named parameter, kept in the URL as p_<name>; 全部 binds NULL (= all). The inputs sit in a
    查询参数 popover (mounted by the browser only when opened: no selectbox code on a first screen), the values in
    force beside it."""
    if not names:
        return {}
    values, notes = {}, []
    keys = [f"p_{name}" for name in names]
    ui.keep_shown(keys)
    fresh = {key: key not in st.session_state for key in keys}  # a default only for a new input (state wins)
    row = st.container(horizontal=True, vertical_alignment="center")
    box = row.popover("查询参数", icon=":material/tune:")
    summary = row.empty()
    for name, key in zip(names, keys):
        label = saved.PARAM_LABELS.get(name, f"${name}")
        default = query.default(name) if query else None
        if name == "year":
            years = [int(y) for y in choices("SELECT DISTINCT as_of_year FROM v_status ORDER BY 1")] or [default_year]
            start = default if default in years else default_year if default_year in years else years[-1]
            values[name] = box.selectbox(label, years, index=years.index(start) if fresh[key] else None, key=key,
                                         bind="query-params", help="$year:只用截至该年的数据")
        elif name in saved.OPTIONAL_PARAMS:
            options = {"group": list(ui.GROUPS),
                       # every region with plans in or below it: a province or city covers its counties
                       "region": choices("SELECT name FROM v_region WHERE n_plans_within > 0 ORDER BY region_code"),
                       "domain": choices("SELECT DISTINCT domain FROM v_indicator ORDER BY domain")}[name]
            if len(options) > MAX_OPTIONS:  # a province has thousands of counties: typed, not picked from a list
                typed = box.text_input(label, value=(default or "") if fresh[key] else None, key=key,
                                       bind="query-params",
                                       help=f"${name}:地区全称或6位代码(含其全部下级地区),空即不限")
                values[name] = (typed or "").strip() or None
                note = _region_note(values[name]) if values[name] else None
                notes += [note] if note else []
                continue
            options = [ALL, *options]
            asked = st.query_params.get(key)
            if fresh[key] and name == "region" and asked and asked not in options:  # a code, or no region at all
                named = choices_with("SELECT name FROM v_region WHERE region_code = $r", {"r": asked})
                if named and named[0] in options:
                    st.session_state[key] = named[0]
                else:
                    notes.append(f"没有名称或代码为“{ui.shorten(asked)}”的地区,已按全部地区查询。")
            index = options.index(default) if default in options else 0
            chosen = box.selectbox(label, options, index=index if fresh[key] else None, key=key,
                                   bind="query-params", help=f"${name};“全部”即不限")
            values[name] = None if chosen == ALL else chosen
        else:
            text = box.text_input(label, value=("" if default is None else str(default)) if fresh[key] else None,
                                  key=key, bind="query-params", help=f"${name}(整数按数字传入)")
            values[name] = saved.parse_value(text or "", name)
    summary.caption(plain("参数:" + ";".join(
        f"{saved.PARAM_LABELS.get(name, '$' + name)} {ALL if values[name] is None else ui.shorten(values[name])}"
        for name in names)) + "".join(plain(" " + note) for note in notes))
    return values


def _region_note(typed: str) -> str | None:
    """What to say about a typed 地区: that none has this name or code, or that several share the name (普陀区 of
    上海 and of 舟山: the saved queries then cover them all)."""
    paths = choices_with("SELECT path FROM v_region WHERE $r IN (region_code, name) ORDER BY region_code", {"r": typed})
    if not paths:
        return f"没有名称或代码为“{ui.shorten(typed)}”的地区。"
    if len(paths) > 1:
        shown = "、".join(paths[:3]) + (" 等" if len(paths) > 3 else "")
        return f"“{ui.shorten(typed)}”对应 {len(paths)} 个地区({shown}),结果包含全部;只要其中一个请填地区代码。"
    return None


def _year_like(frame: pd.DataFrame, column: str) -> bool:
    name = str(column).lower()
    if "year" in name or "年" in name or name.endswith("_id") or "编号" in name:
        return True
    values = frame[column].dropna()
    return pd.api.types.is_integer_dtype(values) and len(values) > 0 and values.between(1900, 2100).all()


def quick_chart(frame: pd.DataFrame, key: str) -> None:
    """Bars of a numeric column (or the row count) per category, when the result has a category column."""
    categories = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) and frame[c].nunique() > 1]
    numbers = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c]) and frame[c].notna().any()]
    if not categories or not numbers or len(frame) < 2:
        return
    count = "(行数)"
    measures = [c for c in numbers if not _year_like(frame, c)] + [count] + [c for c in numbers if _year_like(frame, c)]
    chart_box = st.expander("图表", icon=":material/bar_chart:", key=f"{key}_chart_open", on_change="rerun")
    if not chart_box.open:  # drawn only when opened: the chart library is 1 MB of JavaScript on a cold load
        return
    with chart_box:
        left, middle, right = st.columns(3)
        few = [c for c in categories if frame[c].nunique() <= CHART_MAX_BARS]
        category = left.selectbox("类别", categories, index=categories.index((few or categories)[0]),
                                  key=f"{key}_cat")
        # one row per category: its number; several: a count-like number adds up, anything else is counted
        first = measures[0]
        count_like = first != count and ("数" in str(first) or str(first).lower() == "n"
                                         or str(first).lower().startswith(("n_", "count")))
        default = first if frame[category].is_unique or count_like else count
        value = middle.selectbox("数值", measures, index=measures.index(default), key=f"{key}_val",
                                 help="“(行数)”:每个类别的行数;年份和编号列排在最后")
        ratio_like = any(s in str(value) for s in ("率", "%", "比", "rate", "ratio", "progress"))
        how = right.selectbox("同类多行时", ["合计", "平均", "最大", "最小"], index=1 if ratio_like else 0,
                              key=f"{key}_agg", disabled=value == count)
        if value == count:
            data = frame.groupby(category, as_index=False).size().rename(columns={"size": count})
            title = "行数"
        else:
            agg = {"合计": "sum", "平均": "mean", "最大": "max", "最小": "min"}[how]
            data = frame[[category, value]].dropna().groupby(category, as_index=False)[value].agg(agg)
            title = f"{value}({how})"
        # fixed field names: an alias with ':', '.' or '[' would be read as Vega-Lite syntax
        data = data.set_axis(["category", "value"], axis=1).sort_values("value", ascending=False)
        shown = data.head(CHART_MAX_BARS)
        if len(data) > CHART_MAX_BARS:
            st.caption(f"共 {len(data)} 类,图中只画数值最大的 {CHART_MAX_BARS} 类。")
        chart = alt.Chart(shown).mark_bar(color=charts.STATUS_COLORS["进展顺利"]).encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("value:Q", title=title),
            tooltip=[alt.Tooltip("category:N", title=str(category)),
                     alt.Tooltip("value:Q", format=",.4~f", title=title)],
        ).properties(height=max(80, 28 * len(shown)))
        st.altair_chart(charts.themed(chart, size=13), width="stretch")


def _clip(value, limit: int):
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}…(共 {len(value):,} 字,完整内容见下载文件)"
    return value


def _clipped(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows the page shows, each text cell cut to CELL_CHARS characters, or fewer so that all of them hold at
    most PAGE_CHARS (a cell's cap alone let 320 columns of 1,000 characters make a 32 MB page), with its length
    said."""
    shown = frame.head(guard.SHOW_ROWS)
    texts = shown.select_dtypes(exclude="number").columns
    limit = max(MIN_CELL_CHARS, min(CELL_CHARS, PAGE_CHARS // max(1, len(shown) * len(texts))))
    return shown.assign(**{c: shown[c].map(lambda v: _clip(v, limit)) for c in texts})


def unique_names(columns) -> list[str]:
    """Two columns of one name (a join's plan_id, unit) as "plan_id" and "plan_id (2)": the data grid, the charts
    and Parquet readers refuse repeated names."""
    names: list[str] = []
    taken: set[str] = set()
    tried: dict[str, int] = {}  # the last suffix tried per name: 5,000 columns of one name are linear, not cubic
    for column in map(str, columns):
        name, n = column, tried.get(column, 1)
        while name in taken:
            n += 1
            name = f"{column} ({n})"
        tried[column] = n
        names.append(name)
        taken.add(name)
    return names


def _named(result: guard.Result) -> pd.DataFrame:
    """The result's frame with its columns' names made unique (unique_names)."""
    return result.frame.set_axis(unique_names(result.frame.columns), axis=1)


def show_result(result: guard.Result, name: str, key: str) -> None:
    frame = _named(result)
    shown = _clipped(frame)
    ui.metrics([("行数", f"{result.n_rows:,}", f"最多取 {guard.MAX_ROWS:,} 行;表格显示前 {guard.SHOW_ROWS:,} 行"),
                ("列数", len(frame.columns)),
                ("用时", f"{result.elapsed * 1000:,.0f} 毫秒" if result.elapsed < 10 else f"{result.elapsed:.1f} 秒",
                 f"查询与读取结果的时间;超过 {guard.DEFAULT_TIMEOUT:g} 秒即停止")], widths=[1, 1, 1, 3])
    if result.truncated:
        st.warning(f"结果超过 {guard.MAX_ROWS:,} 行,只保留了前 {guard.MAX_ROWS:,} 行(下载文件也只含这些行)。"
                   "请加 WHERE 条件、GROUP BY 或 LIMIT 缩小结果。")
    elif result.n_rows > guard.SHOW_ROWS:
        st.info(f"表格只显示前 {guard.SHOW_ROWS:,} 行;下载的文件含全部 {result.n_rows:,} 行。")
    if frame.empty:
        st.info("查询没有返回任何行。")
    if len(frame) <= HTML_ROWS:
        floats = shown.select_dtypes("float").columns  # every digit an analyst asked for (ui.number keeps six)
        ui.static_table(shown.assign(**{c: shown[c].map(lambda v: ui.MISSING if pd.isna(v) else f"{v:.15g}")
                                        for c in floats}), wide=len(frame.columns) > 6)
    else:
        st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table",
                     height=min(38 + 35 * max(len(frame), 1), 500))
    quick_chart(frame, key)

    # in a popover: the browser fetches the download button's code only when it is opened (as ui.download_menu)
    buttons = st.popover(f"下载结果({result.n_rows:,} 行)", icon=":material/download:")
    made = files(result)
    buttons.download_button("下载 CSV", made["csv"], file_name=f"{name}.csv",
                            mime=downloads.CSV_MIME, on_click="ignore", icon=":material/download:",
                            key=f"{key}_csv", help="UTF-8(带 BOM),Excel 可直接打开")
    too_big = (f"超过 {XLSX_MAX_ROWS:,} 行" if result.n_rows > XLSX_MAX_ROWS else
               f"超过 {XLSX_MAX_CELLS // 10_000} 万个单元格" if result.n_rows * len(frame.columns) > XLSX_MAX_CELLS else "")
    # disabled, the button shows no help: its label says why
    buttons.download_button("下载 Excel" + (f"({too_big},请用 CSV 或 Parquet)" if too_big else ""),
                            made["xlsx"],
                            file_name=f"{name}.xlsx", mime=downloads.XLSX_MIME, on_click="ignore",
                            icon=":material/download:", key=f"{key}_xlsx", disabled=bool(too_big),
                            help=None if too_big else "首行冻结并带筛选")
    buttons.download_button("下载 Parquet", made["parquet"], file_name=f"{name}.parquet",
                            mime="application/vnd.apache.parquet", on_click="ignore", icon=":material/download:",
                            key=f"{key}_parquet", help="保留列类型,R(arrow::read_parquet)、Python、DuckDB 可直接读取")


def files(result: guard.Result) -> dict[str, Callable[[], bytes]]:
    """The result's CSV, Excel and Parquet files, each made when its button is clicked, from the result while the
    shared cache (RESULT_CACHE_BYTES) holds it: a button holding the result kept every session's results alive past
    the cache (+90 MB a tab, kept after the tab closed). Once the cache has let it go, a file says so (EXPIRED)."""
    held = weakref.ref(result)

    def named() -> pd.DataFrame:
        kept = held()
        return pd.DataFrame({"提示": [EXPIRED]}) if kept is None else _named(kept)

    return {"csv": lambda: downloads.csv_bytes(named()),
            "xlsx": lambda: downloads.xlsx_bytes(named(), sheet_name="查询结果"),
            "parquet": lambda: _parquet(held())}


def _parquet(result: guard.Result | None) -> bytes:
    buffer = io.BytesIO()
    table = pa.table({"提示": [EXPIRED]}) if result is None else result.table
    pq.write_table(table.rename_columns(unique_names(table.column_names)), buffer)
    return buffer.getvalue()


# --- the page ---------------------------------------------------------------------------------------------------------
