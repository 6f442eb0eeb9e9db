"""数据填报: template download, upload with all-or-nothing validation, preview, confirm, history and undo.

Viewing the dashboard needs no login; this page asks for an importer or admin login first (planwatch/login.py).
Writes go through importer.commit/undo (db.writing: one writer at a time, a copy renamed into place).
"""
import streamlit as st

from planwatch import choice, importer, login, round_ui, template, ui
from planwatch import round as round_mod
from planwatch.paths import default_db

CHANGE_COLORS = {"新增": "#009E73", "修改": "#E69F00", "不变": "#BBBBBB"}  # the preview's 变化 chips

BATCH_COLUMNS = {"batch_id": "批次", "created_at": "导入时间", "source_kind": "来源", "file_name": "文件",
                 "row_count": "行数", "uploader": "导入人", "submitted_by": "提交人", "round_year": "监测年度",
                 "state": "状态", "reviewed_by": "审核人", "reviewed_at": "审核时间", "review_note": "审核意见",
                 "undone_at": "撤销时间", "undone_by": "撤销人", "checksum": "校验和"}

f = ui.page_filters()
st.title("数据填报")

account = login.require({"importer", "admin"}, note="数据填报需要导入员或管理员账号登录;查看各页面无需登录。"
                        "管理员可在服务器上运行 `python -m planwatch users add 用户名 --role admin` 添加账号。")
editor = account.name
login.logout_button(account)
st.caption("每次导入记为一个批次,可查看、可撤销,数据不会丢失。")

con = ui.connection().cursor()
tab_template, tab_upload, tab_history = st.tabs(["① 下载模板", "② 上传数据", "③ 导入记录与撤销"])

with tab_template:
    st.write("按地区、规划或责任单位下载填报模板(Excel)。灰色列为指标信息,只需填写黄色的“数值”(和“备注”)列。")
    st.caption(f"地区:{f.region_name or '全部地区'}(含下级地区;在侧栏“更改筛选”中选择)。")
    plans = ui.query("plan_choices", region=f.region, most=ui.MAX_UNIT_OPTIONS)  # more: one row, the count
    units = ui.query("unit_options", region=f.region, unit=None, most=ui.MAX_UNIT_OPTIONS)
    offered, unit_rows = plans.dropna(subset=["plan_id"]), units.dropna(subset=["value"])
    n_plans, n_units = (int(rows.iloc[0, -1]) if len(rows) else 0 for rows in (plans, units))
    wide = f"请先在侧栏选择地区(共 {n_plans:,} 个规划、{n_units:,} 个责任单位)"
    left, middle, right = st.columns(3)
    titles = {None: "全部", **dict(zip(offered["plan_id"], offered["title"]))}
    unit_labels = {None: "全部", **dict(zip(unit_rows["value"], unit_rows["label"]))}
    plan = left.selectbox("规划", list(titles), format_func=titles.get, help=wide if offered.empty else None)
    unit = middle.selectbox("责任单位", list(unit_labels), format_func=unit_labels.get,
                            help=wide if unit_rows.empty else None)
    year = right.number_input("报告年份", min_value=2021, max_value=2030, value=f.year, step=1)
    too_wide = offered.empty and unit is None   # a template of every plan in the country: choose a region first
    database = ui.connection()  # the file is made when the button is clicked (on another thread): thread-safe
    st.download_button("下载填报模板(xlsx)" if not too_wide else f"下载填报模板:{wide}",
                       lambda: template.workbook_bytes(database, int(year), f.region, plan, unit),
                       file_name=f"填报模板_{f.region_name or '全部地区'}_{year}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
                       disabled=too_wide)

with tab_upload:
    st.write("上传填好的模板(xlsx),或包含 指标编号、年份、数值、备注 等列的 CSV(UTF-8、GBK 或 Unicode 文本)。"
             "未填写数值的行会跳过;整份文件检查无误才会导入;有任何问题,会列出行号和列名,数据库不作改动。")
    upload = round_ui.uploader("选择文件", "upload")  # emptied after a confirmed import
    if upload is not None:
        try:
            checked = importer.check(con, upload.getvalue(), upload.name)
        except importer.ImportRefused as refused:
            st.error(f"**文件未导入,数据库未改动。** 共 {len(refused.problems)} 处问题,请修改后重新上传:")
            st.text("\n".join(refused.problems[:importer.MAX_PROBLEMS]))  # plain text: problems quote the file
        else:
            preview = importer.preview(con, checked)
            counts = preview["change"].value_counts()
            st.success(f"检查通过:共 {len(preview)} 行,新增 {counts.get('新增', 0)} 条,修改 {counts.get('修改', 0)} 条,"
                       f"不变 {counts.get('不变', 0)} 条。请核对后确认导入。")
            for notice in checked.notices:
                st.text(notice)
            shown = preview.rename(columns={"row_no": "行号", "indicator_id": "指标编号", "name": "指标", "year": "年份",
                                            "old_value": "原值", "new_value": "新值", "old_text": "原文字",
                                            "new_text": "新文字", "old_source": "原值来源", "change": "变化",
                                            "old_note": "原备注", "new_note": "新备注"})
            shown = shown.dropna(axis="columns", how="all")
            shown = shown.assign(**{c: shown[c].map(ui.number) for c in ("原值", "新值") if c in shown})
            st.dataframe(ui.as_chips(ui.shown(shown), "变化"), hide_index=True, width="stretch",
                         column_order=["行号", "变化", *(c for c in shown if c not in ("行号", "变化"))],
                         column_config={"变化": ui.chip_column(CHANGE_COLORS, width=60)})
            earlier = round_mod.already_accepted(con, checked.checksum)
            again = earlier is not None and st.checkbox(f"同一文件已作为批次 {earlier} 导入;确认再次导入")
            if st.button(f"确认导入 {len(preview)} 行", type="primary", key=f"confirm_{checked.checksum}",
                         disabled=earlier is not None and not again):
                batch_id = round_mod.store(con, default_db(), checked, None, uploader=editor, resubmit=again)
                st.session_state["imported"] = (batch_id, checked.file_name, checked.rows["indicator_id"].iloc[0])
                round_ui.clear_uploader("upload")
                st.rerun()
    if "imported" in st.session_state:
        batch_id, name, first = st.session_state.pop("imported")
        st.success(f"已导入批次 {batch_id}({name})。各页面已按新数据更新。")
        st.page_link("pages/indicator.py", label="查看第一个指标的详情 →", query_params={"id": first})

with tab_history:
    batches = importer.batches(con)
    st.dataframe(ui.shown(batches.rename(columns=BATCH_COLUMNS)[list(BATCH_COLUMNS.values())]),
                 hide_index=True, width="stretch")
    undoable = batches[batches["state"].isin(["已通过", "待审核"]) & (batches["source_kind"] != "示例")]
    if len(undoable):
        chosen, picked = choice.pick(
            "撤销批次", list(undoable["batch_id"])[::-1], "undo_batch",
            lambda b: f"批次 {b}:{undoable.set_index('batch_id').loc[b, 'file_name']}")
        if choice.act(st.button("撤销该批次", help="批次记录保留并标为已撤销,被它替换的数值恢复。"), picked):
            try:
                importer.undo(default_db(), int(chosen), by=editor)
            except importer.UndoRefused as refused:
                st.error(str(refused))
            else:
                st.session_state["undone"] = int(chosen)
                st.rerun()
    else:
        choice.none_left("undo_batch")
    if "undone" in st.session_state:
        st.success(f"已撤销批次 {st.session_state.pop('undone')},被替换的数值已恢复。")
