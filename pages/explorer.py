"""数据探索: read-only SQL over the public views — saved analyst queries, a SQL editor whose query lives in the URL,
the views' columns with Chinese descriptions; results as a table, a quick chart and CSV / Excel / Parquet files.

Every query goes through planwatch.guard: checked, then run on a sealed in-memory copy of the public views, never
on the app's own connection (planwatch.explorer_view runs and draws them).
"""
import pandas as pd
import streamlit as st

from planwatch import guard, saved, ui
from planwatch.explorer_view import (EXAMPLE, TAB_SAVED, TAB_SCHEMA, TAB_SQL, demo_notice, param_inputs, plain, run,
                                     show_result)

f = ui.page_filters()
st.title("数据探索")
st.caption(f"用 SQL 查询公开视图(v_indicator、v_status、v_warning 等,见“数据字典”)。查询在数据的只读副本上运行:"
           f"只允许一条查询语句,超过 {guard.DEFAULT_TIMEOUT:g} 秒自动停止,表格显示前 {guard.SHOW_ROWS:,} 行,"
           f"下载最多 {guard.MAX_ROWS:,} 行。侧栏筛选不作用于本页;参数“截至年份”默认取侧栏的截至年份。")

st.html("<style>.st-key-sql textarea { font-family: 'Source Code Pro', 'DejaVu Sans Mono', monospace; }</style>")
has_sql = bool((st.query_params.get("sql") or "").strip())
tab_saved, tab_sql, tab_schema = st.tabs([TAB_SAVED, TAB_SQL, TAB_SCHEMA], key="tab", bind="query-params",
                                         default=TAB_SQL if has_sql else TAB_SAVED)


def _open_in_editor(query: saved.SavedQuery) -> None:
    lines = query.sql.strip().splitlines()
    while lines and lines[0].startswith("--"):  # the header: title, description, params, order
        lines.pop(0)
    sql = "\n".join(lines).strip()
    st.session_state["sql"] = sql
    st.session_state["tab"] = TAB_SQL
    st.query_params["sql"] = sql  # a value set in code is not written to the URL by the widget's binding


if tab_saved.open:
    with tab_saved:
        queries = {q.name: q for q in saved.all_queries()}
        asked = st.query_params.get("saved")
        if asked and "saved" not in st.session_state and asked not in queries and \
                asked not in {q.title for q in queries.values()}:
            shown = asked if len(asked) <= 40 else asked[:40] + "…"
            st.warning(f"网址参数 saved={plain(shown)} 不是常用查询,已显示第一条常用查询。", icon=":material/link_off:")
        elif asked in queries and "saved" not in st.session_state:
            st.session_state["saved"] = asked   # a file name, as the command line takes it (the URL binds titles)
        left, right = st.columns([1, 2], gap="large")
        with left:
            name = st.radio("常用查询", list(queries), key="saved", bind="query-params",
                            format_func=lambda n: queries[n].title, captions=[q.description for q in queries.values()],
                            label_visibility="collapsed")
        query = queries[name]
        with right:
            st.subheader(query.title)
            values = param_inputs(query.params, query, f.year)
            sql_box = st.expander("SQL", icon=":material/code:", key="saved_sql_open", on_change="rerun")
            if sql_box.open:  # drawn only when opened: st.code loads a 1.5 MB syntax highlighter
                sql_box.code(query.sql, language="sql", line_numbers=True)
                sql_box.caption(f"文件:queries/saved/{query.name}.sql;命令行:python -m planwatch sql --saved {query.name}")
            st.button("在 SQL 查询中修改", icon=":material/edit:", on_click=_open_in_editor, args=(query,),
                      key="edit_saved", help="把这条查询复制到“SQL 查询”页签的编辑框")
            result, error = run(query.sql, saved.resolve(query, values, f.year))
            if error:
                st.error(plain(error), icon=":material/block:")
            else:
                demo_notice(query.sql)
                show_result(result, query.title, key="saved_result")

if tab_sql.open:
    with tab_sql:
        sql = st.text_area("SQL", key="sql", bind="query-params", height=180, placeholder=EXAMPLE,
                           help="只读:SELECT / WITH … SELECT,一条语句;按 Ctrl+Enter 运行。查询写在网址里,复制网址即可分享结果。"
                                "命名参数写作 $year、$region。")
        run_row = st.container(horizontal=True, vertical_alignment="center")
        run_row.button("运行", type="primary", icon=":material/play_arrow:", key="run_sql",
                       help="编辑框失去焦点时即提交;也可按 Ctrl+Enter")
        run_row.caption("或按 **Ctrl+Enter**(Mac 上 ⌘+Enter)运行。查询保存在网址中,复制浏览器地址即可把结果分享给同事。")
        if not (sql or "").strip():
            st.info("在上面输入查询,例如:\n\n```sql\n" + EXAMPLE + "\n```\n\n"
                    "可用的视图和列见“数据字典”;“常用查询”里的每条查询都可以复制过来修改。")
        else:
            try:
                names = guard.check(sql).params
            except guard.QueryRefused:
                names = ()
            values = param_inputs(names, None, f.year)
            result, error = run(sql, values)
            if error:
                st.error(plain(error), icon=":material/block:")
            else:
                demo_notice(sql)
                show_result(result, "查询结果", key="sql_result")

if tab_schema.open:
    with tab_schema:
        described = pd.DataFrame(saved.schema_descriptions())
        views = described[described["column"] == ""].set_index("view")["description"]
        view = st.selectbox("视图", list(guard.PUBLIC_VIEWS), key="view", bind="query-params")
        st.markdown(f"**{view}**:{views.get(view, '')}")
        types, _ = run(f"DESCRIBE {view}", {})
        columns = described[(described["view"] == view) & (described["column"] != "")]
        if types is not None:
            columns = (types.frame[["column_name", "column_type"]]
                       .rename(columns={"column_name": "column", "column_type": "type"})
                       .merge(columns[["column", "description"]], on="column", how="left"))
        ui.static_table(columns.rename(columns={"column": "列", "type": "类型", "description": "说明"}))
        st.caption(f"共 {len(columns)} 列。完整说明见 README“The analysts' API”;"
                   "数据字典文件:queries/saved/_schema.csv。")
