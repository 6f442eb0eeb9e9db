"""监测管理 (administrators): open and close (结束报送) a reporting round, and assign responsible units (工委指定) to
indicators whose plan names none — each decision recorded with who decided, when and on what basis."""
import datetime as dt

import pandas as pd
import streamlit as st

from planwatch import assignment, choice, login, ui
from planwatch import round as round_mod
from planwatch.paths import default_db

f = ui.page_filters()
st.title("监测管理")
account = login.require({"admin"}, note="监测管理需要管理员账号登录;查看各页面无需登录。")
login.logout_button(account)
con = ui.connection().cursor()
for message in st.session_state.pop("admin_done", []):
    st.success(message)
tab_round, tab_assign = st.tabs(["年度监测", "指标分配"])

with tab_round:
    table = round_mod.rounds(con)
    # a reopened round keeps its last closer (round.open_round): said so, beside an empty 结束时间
    table["closed_by"] = [by if pd.isna(by) or pd.notna(at) else f"(已重新开启;上次结束:{by})"
                          for by, at in zip(table["closed_by"], table["closed_at"])]
    st.dataframe(ui.shown(table.rename(columns={
        "year": "监测年份", "deadline": "截止日期", "opened_by": "开启人", "opened_at": "开启时间",
        "closed_at": "结束时间", "closed_by": "结束人"})), hide_index=True, width="stretch")
    with st.form("open_round"):
        left, right = st.columns(2)
        year = left.number_input("监测年份", min_value=2021, max_value=2035, value=dt.date.today().year - 1)
        deadline = right.date_input("报送截止日期", value=round_mod.next_deadline(dt.date.today()))
        st.caption("再次开启已有的年度:更新截止日期;已结束的年度重新开放报送。")
        if st.form_submit_button("开启年度监测", type="primary"):
            try:
                round_mod.open_round(default_db(), int(year), deadline, by=account.name)
            except round_mod.RoundRefused as refused:
                st.error(str(refused))
            else:
                st.session_state["admin_done"] = [f"已开启 {year} 年度监测,截止日期 {deadline:%Y-%m-%d}。"
                                                  + round_mod.past_deadline_note(deadline, dt.date.today())]
                st.rerun()
    open_years = [int(y) for y in table.loc[table["closed_at"].isna(), "year"]]
    if open_years:
        st.subheader("结束报送")
        ending, picked = choice.pick("结束哪一年度的报送", open_years, "close_year", lambda y: f"{y}年度监测")
        st.warning(round_mod.close_warning(ending, round_mod.owed_in(
            ui.query("round_board_totals", year=ending, region=None))))
        sure = st.checkbox(f"确认结束 {ending} 年度报送")
        if choice.act(st.button("结束报送", disabled=not sure), picked):
            try:
                owed = round_mod.close_round(default_db(), ending, account)
            except round_mod.RoundRefused as refused:
                st.error(str(refused))
            else:
                st.session_state["admin_done"] = [f"已结束 {ending} 年度报送(结束时:{round_mod.owed_text(owed)})。"]
                st.rerun()
    else:
        choice.none_left("close_year")

with tab_assign:
    pending = ui.query("unassigned_indicators", region=f.region)
    st.write(f"规划未列明责任单位、尚未指定的指标:{len(pending)} 项"
             + (f"({f.region_name})" if f.region else "(侧栏可选地区)") + "。指定后,该单位的填报员即可填报这些指标。")
    if len(pending):
        labels = {r.indicator_id: f"{r.region} · {r.plan_group} · {r.name}({r.indicator_id})"
                  for r in pending.itertuples()}
        chosen, picked = choice.pick("指标", labels, "assign_indicator", labels.get)  # outside the form: it calls back
        with st.form("assign"):
            left, mid = st.columns(2)
            unit = left.text_input("责任单位(如 市卫健局)", max_chars=60)
            role = mid.selectbox("角色", assignment.ROLES)
            basis = st.text_input("指定依据(会议、文件)", max_chars=200)
            if choice.act(st.form_submit_button("指定", type="primary"), picked):
                try:
                    assignment.assign(default_db(), chosen, unit, role, by=account.name, basis=basis)
                except assignment.AssignmentRefused as refused:
                    st.error(str(refused))
                else:
                    st.session_state["admin_done"] = [f"已指定 {unit} 为“{labels[chosen]}”的{role}单位。"]
                    st.rerun()
    decisions = ui.query("unit_assignments")
    st.subheader("指定记录")
    st.dataframe(ui.shown(decisions.drop(columns=["assignment_id", "indicator_id"])), hide_index=True, width="stretch")
    active = decisions[decisions["状态"] == "有效"]
    if len(active):
        revoke, picked = choice.pick("撤销一项指定", list(active["assignment_id"]), "revoke_assignment",
                                        lambda a: "{地区} · {指标} · {责任单位}".format(
                                            **active.set_index("assignment_id").loc[a].to_dict()))
        if choice.act(st.button("撤销该指定"), picked):
            assignment.revoke(default_db(), int(revoke), by=account.name)
            st.session_state["admin_done"] = ["已撤销该指定(记录保留)。"]
            st.rerun()
    else:
        choice.none_left("revoke_assignment")
