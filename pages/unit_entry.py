"""单位填报: a 填报员 reports the unit's indicators for an open round — online grid (draft, 提交) or template upload.

Submissions land as 待审核 and count only once a 审核员 approves them (pages/review.py).
"""
import streamlit as st

from planwatch import downloads, importer, login, review, round_ui, template, ui
from planwatch import round as round_mod
from planwatch.paths import default_db

ui.page_filters()
st.title("单位填报")
account = login.require({"filler"}, note="单位填报需要填报员账号登录;查看各页面无需登录。")
login.logout_button(account)
con = ui.connection().cursor()
rounds = round_mod.rounds(con)
if rounds.empty:
    st.info("尚未开启年度监测。管理员在“监测管理”页(或命令行 `python -m planwatch round open`)开启后即可填报。")
    st.stop()
year = st.selectbox("监测年份", list(rounds["year"]), format_func=lambda y: round_mod.round_label(rounds, y))
deadline, closed = round_mod.round_of(rounds, year)
st.caption(f"{round_mod.scope_label(con, account)} · 报送 {year} 年数值 · 截止日期 {deadline:%Y-%m-%d}。"
           "提交后由审核员审核,通过后计入各页面和报告。")
for message in st.session_state.pop("unit_entry_done", []):
    st.success(message)
if closed:  # submitting and saving drafts are refused (round.py); the buttons say so before a click
    st.warning(round_mod.closed_message(int(year), closed) + "。已提交待审核的数值仍由审核员审核。")

grid = round_mod.unit_grid(con, account.unit, int(year))
returned = grid[grid["state"] == "已退回"]
if len(returned) and not closed:
    named = returned["indicator"] + returned["submitted_by"].map(lambda by: f"({by}报送)" if isinstance(by, str) else "")
    by_note = named.groupby(returned["review_note"].fillna(""), sort=False).agg("、".join)
    st.warning("以下指标被退回,请修改后重新提交:\n\n" + "\n".join(  # the reviewer's words, not Markdown
        f"- {ui.plain(names)}" + (f":{ui.plain(note)}" if note else "") for note, names in by_note.items()))
tab_grid, tab_file, tab_history = st.tabs(["① 在线填报", "② 模板上传", "③ 本单位提交记录"], key="unit_entry_tab",
                                        on_change="rerun")  # the chosen tab survives reruns

with tab_grid:
    st.write(f"本单位可填报 {len(grid)} 项指标,其中牵头(应报){(grid['role'] == '牵头').sum()} 项,排在前面。"
             + ("本年度报送已结束,下表仅供查看。" if closed else
                "在“本年数值”列填写(百分比填 95.5,不带 %),填写时即时检查;"
                "数值使指标“进度滞后”或“逆向变化”时,须填写原因说明和整改措施。"))
    edited = round_ui.grid_editor(grid, key=f"grid_{year}_{st.session_state.get('grid_generation', 0)}")
    checked, reasons = None, []
    if (edited["value_input"].fillna("").astype(str).str.strip() != "").any():
        try:
            checked = round_mod.grid_checked(con, edited, int(year))
        except importer.ImportRefused as refused:
            round_ui.problems(refused)
        else:
            rows = checked.rows  # a new DataFrame on each access: made once here
            statuses = review.preview_rows(con, rows)
            reasons = round_mod.reason_problems(rows, statuses)
            st.write(f"按所填数值计算的状态({len(rows)} 项):")
            round_ui.status_table(statuses.merge(rows, on=["indicator_id", "year"]))
            if reasons:
                st.warning("提交前请补充:\n\n" + "\n".join(f"- {p}" for p in reasons))
    left, right = st.columns(2)
    try:
        if left.button("保存草稿", width="stretch", disabled=bool(closed)):
            n = round_mod.save_draft(default_db(), account.unit, int(year), edited, by=account.name)
            st.session_state["unit_entry_done"] = [f"草稿已保存({n} 行),下次登录可继续填写;草稿不计入统计。" if n
                                                   else "表中没有填写任何内容,草稿已清空(原有草稿不再保留)。"]
            st.rerun()
        if right.button("提交审核", type="primary", width="stretch",
                        disabled=checked is None or bool(reasons) or bool(closed)):
            batch_id = round_mod.store(con, default_db(), checked, account)
            round_mod.clear_draft(default_db(), account.unit, int(year))
            st.session_state["grid_generation"] = st.session_state.get("grid_generation", 0) + 1
            st.session_state["unit_entry_done"] = [f"已提交批次 {batch_id}({len(checked.records)} 项),等待审核。"]
            st.rerun()
    except round_mod.RoundRefused as refused:  # the round closed since this page was drawn
        st.error(f"{refused}。未提交,数据库未改动。")
    except importer.ImportRefused as refused:
        round_ui.problems(refused)

with tab_file:
    database = ui.connection()  # the file is made when the button is clicked (on another thread): thread-safe
    st.download_button("下载本单位填报模板(xlsx)", lambda: template.workbook_bytes(database, int(year), unit=account.unit),
                       file_name=f"填报模板_{year}.xlsx", mime=downloads.XLSX_MIME, on_click="ignore")
    st.caption("填写“数值”列(和“备注”);数值使指标进度滞后或逆向变化的,还须填写“原因说明”和“整改措施”。"
               "不报送的指标留空即可,上传时跳过。文件中只能有本单位负责的指标。")
    upload = round_ui.uploader("上传填好的模板", "unit_upload")
    if upload is not None:
        try:
            checked = round_mod.check_file(con, upload.getvalue(), upload.name, account)  # all that 提交 will check
        except round_mod.RoundRefused as refused:
            st.error(f"{refused}。文件未提交,数据库未改动。")
        except importer.ImportRefused as refused:
            round_ui.problems(refused, "文件未提交,数据库未改动。")
        else:
            st.success(f"检查通过:{len(checked.rows)} 项。" + "".join(checked.notices))
            round_ui.status_table(review.preview_rows(con, checked.rows).merge(checked.rows, on=["indicator_id", "year"]))
            earlier = round_mod.already_accepted(con, checked.checksum)
            again = earlier is not None and st.checkbox(f"同一文件已作为批次 {earlier} 提交;确认再次提交")
            if st.button("提交审核", type="primary", key="submit_file",
                         disabled=(earlier is not None and not again) or bool(closed)):
                try:
                    batch_id = round_mod.store(con, default_db(), checked, account, resubmit=again)
                except round_mod.RoundRefused as refused:
                    st.error(f"{refused}。文件未提交,数据库未改动。")
                except importer.ImportRefused as refused:
                    round_ui.problems(refused, "文件未提交,数据库未改动。")
                else:
                    round_ui.clear_uploader("unit_upload")
                    st.session_state["unit_entry_done"] = [f"已提交批次 {batch_id}({upload.name}),等待审核。"]
                    st.rerun()

with tab_history:
    st.dataframe(ui.shown(ui.query("unit_batches", unit=account.unit)), hide_index=True, width="stretch")
