"""登录: the entry to 填报与管理 (planwatch/navigation.py). A visitor logs in here; a logged-in account sees the
pages of its role (the sidebar lists them too) and 退出登录."""
import streamlit as st

from planwatch import login, navigation, ui

ui.page_filters()
st.title(navigation.WORK)
if navigation.current_role() is None:  # staff find it among their pages below
    st.page_link("pages/progress.py", label="报送进度(各单位报送情况,无需登录)",
                 icon=":material/checklist:")
account = login.require(note="单位填报、审核、数据填报和管理需要登录;监测、分析与说明各页无需登录。")
login.logout_button(account)
st.write("本账号可使用:")
for spec in navigation.role_pages(account.role):
    if spec.section == navigation.WORK:
        st.page_link(spec.script, label=spec.title, icon=spec.icon)
