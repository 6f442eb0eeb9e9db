"""妇女儿童发展规划监测 — the Streamlit entry point: page router and shared sidebar."""
import streamlit as st

from planwatch import streamlit_compat, ui

st.set_page_config(page_title="妇女儿童发展规划监测", page_icon=":material/monitoring:", layout="wide")

PAGES = {
    "监测": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/warnings.py", title="预警清单", icon=":material/warning:", url_path="warnings"),
        st.Page("pages/domains.py", title="领域", icon=":material/category:", url_path="domains"),
        st.Page("pages/regions.py", title="地区", icon=":material/map:", url_path="regions"),
        st.Page("pages/units.py", title="责任单位", icon=":material/account_balance:", url_path="units"),
        st.Page("pages/indicator.py", title="指标详情", icon=":material/monitoring:", url_path="indicator"),
    ],
    "填报": [
        st.Page("pages/progress.py", title="报送进度", icon=":material/checklist:", url_path="progress"),
        st.Page("pages/unit_entry.py", title="单位填报", icon=":material/edit_note:", url_path="unit_entry"),
        st.Page("pages/review.py", title="审核", icon=":material/fact_check:", url_path="review"),
        st.Page("pages/data_entry.py", title="数据填报", icon=":material/upload_file:", url_path="data_entry"),
    ],
    "管理": [
        st.Page("pages/round_admin.py", title="监测管理", icon=":material/admin_panel_settings:", url_path="round_admin"),
        st.Page("pages/accounts.py", title="账号管理", icon=":material/manage_accounts:", url_path="accounts"),
        st.Page("pages/plan_import.py", title="规划导入", icon=":material/post_add:", url_path="plan_import"),
    ],
    "分析": [
        st.Page("pages/explorer.py", title="数据探索", icon=":material/query_stats:", url_path="explorer"),
    ],
    "报告": [
        st.Page("pages/reports.py", title="年度报告", icon=":material/summarize:", url_path="reports"),
    ],
    "说明": [
        st.Page("pages/catalogue.py", title="规划指标目录", icon=":material/menu_book:", url_path="catalogue"),
        st.Page("pages/method.py", title="方法说明", icon=":material/functions:", url_path="method"),
    ],
}

streamlit_compat.open_default_page_by_its_path("overview")
page = st.navigation(PAGES)
ui.page_setup()
st.session_state["filters"] = ui.filters()
page.run()
